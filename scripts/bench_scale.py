"""Benchmark of OncoKG at scale: store builds, and catalogue queries on the embedded store and
on Virtuoso, each beside a peer doing the same work in the same run.

Run on demand (never in CI). For each size, a synthetic graph of OncoKG's shape
(``scripts/synthetic.py``) with the ontology and the curated graph:

1. **Store build**, each a whole process run several times (median CPU seconds, wall
   seconds, peak memory): ``OncoKG`` building an on-disk store (bulk load into a new build
   folder, entailments, name index, atomic switch); ``OncoKG`` rebuilding that store after a
   curator's edit (one small file more in the curated graph: only that graph is replaced);
   plain pyoxigraph ``bulk_load`` of the same files into a new store (the floor); Jena TDB2's
   ``tdb2.tdbloader`` (Debian's Jena 4.5).
2. **Catalogue queries with bound parameters**, median wall milliseconds of several calls:
   ``kg.query`` on the embedded store built in 1 (names resolved, rows converted, the name
   index used where a query declares it); the same
   bound SPARQL sent straight to pyoxigraph (the floor); ``kg.query`` through
   ``OncoKG.connect`` on a local Virtuoso 7 loaded by its bulk loader with the same graphs
   (the entailment graph included) and the index of their names, as ``push --bulk-dir``
   gives it (its load time includes the index), measured right after the load and again
   after a restart (Virtuoso's plans change from one server start to the next). The rows of
   the embedded store and of Virtuoso must be equal, or the script stops.
3. **Whole processes**, warm, median wall milliseconds: the ``oncokg query --store`` console
   script on a store folder holding the synthetic graph as an import; the same command
   through the full click command line; ``oxigraph query`` running the same bound SPARQL on
   the same build; a Python process that only imports pyoxigraph, opens the build and runs
   that SPARQL (the floor). The same number of rows from all four, or the script stops.

Prints a table and writes ``build/bench-scale.json``. Needs Java and Jena, and Virtuoso
(``scripts/install-peer-tools``).

    python scripts/bench_scale.py                              # 100k and 1M, 3 runs
    python scripts/bench_scale.py --sizes 10000000 --runs 1
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

import pyoxigraph as ox  # noqa: E402
from bench import median_ms  # noqa: E402  (a sibling script: scripts/ is on sys.path)
from bench_validate import synthetic  # noqa: E402
from tests.peer.jena import jena_classpath  # noqa: E402

from oncokg.api import OncoKG, source_plan  # noqa: E402
from oncokg.backend import INFERRED_GRAPH  # noqa: E402
from oncokg.name_trigrams import INDEX_GRAPH, TRIGRAMS, trigram_ntriples  # noqa: E402
from oncokg.output import cell  # noqa: E402
from oncokg.text_index import TextIndex  # noqa: E402
from oncokg.virtuoso import LocalVirtuoso, analyze_quads, bulk_load, index_free_text  # noqa: E402

SYNTHETIC_GRAPH = "https://w3id.org/oncokg/graph/synthetic"
PROCESS_COLUMNS = ("oncokg_s", "full_cli_s", "oxigraph_s", "python_floor_s")
# the least a Python process can do for a query: import pyoxigraph, open the build, count rows
FLOOR = (
    "import sys, pyoxigraph as ox; "
    "print(len(list(ox.Store.read_only(sys.argv[1]).query(sys.argv[2]))))"
)
EDIT = """@prefix okg: <https://w3id.org/oncokg/ontology#> .
<https://w3id.org/oncokg/resource/bench-gene> a okg:Gene ; okg:symbol "BENCH1" .
"""  # a curator's edit: the rebuild replaces the curated graph only
CASES: list[tuple[str, dict[str, str]]] = [
    ("drugs-by-target", {"target": "SYN7"}),
    ("targets-of-drug", {"drug": "synthdrug 42"}),
    ("drug-facts", {"drug": "synthdrug 42"}),
    ("response-by-drug", {"drug": "synthdrug 42"}),
    ("response-by-gene", {"gene": "SYN7"}),
    ("evidence-by-drug", {"drug": "synthdrug 42"}),
    ("trial-outcomes", {"drug": "synthdrug 42"}),
    ("trial-comparisons", {"drug": "synthdrug 42"}),
    ("adverse-events", {"drug": "synthdrug 42"}),
    ("dosing", {"drug": "synthdrug 42"}),
    ("interactions", {"drug": "synthdrug 42"}),
    ("options-after-drug", {"drug": "synthdrug 42"}),
    ("label-search", {"text": "合成药42"}),
    ("claim-provenance", {"claim": "okr:syn-resp-42-0"}),
    ("graph-size", {"graph": "https://w3id.org/oncokg/graph/curated"}),
]


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Run ``command``: its CPU seconds, wall seconds and peak memory in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        raise SystemExit(f"{command[:4]} failed: {error[-800:]}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def build_commands(data: Path, target: Path, jena: str) -> dict[str, list[str]]:
    """The three store builds of ``data`` (with the ontology and curated graph) into ``target``."""
    files = [str(p) for _, paths in source_plan() for p in paths] + [str(data)]
    ours = (
        "import sys; from pathlib import Path; from oncokg.api import source_plan; "
        "from oncokg.disk_store import StoreFolder; from oncokg.embedded import EmbeddedBackend; "
        "from oncokg.terms import Iri; "
        f"plan = source_plan() + [(Iri({SYNTHETIC_GRAPH!r}), [Path(sys.argv[2])])]; "
        "extra = [Path(p) for p in sys.argv[3:]]; "  # more files in the curated graph
        "plan = [(g, [*f, *extra] if g.endswith('/curated') else f) for g, f in plan]; "
        "EmbeddedBackend.built(StoreFolder(Path(sys.argv[1])), plan).close()"
    )
    plain = (
        "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
        "[s.bulk_load(path=f, format=ox.RdfFormat.from_extension(f.rsplit('.', 1)[1]), "
        "to_graph=ox.NamedNode('urn:g:%d' % i)) for i, f in enumerate(sys.argv[2:])]; "
        "s.flush()"
    )
    return {
        "oncokg": [sys.executable, "-c", ours, str(target / "oncokg"), str(data)],
        "pyoxigraph": [sys.executable, "-c", plain, str(target / "pyoxigraph"), *files],
        "jena-tdb2": [
            "java",
            "-Xmx8g",
            "-cp",
            jena,
            "tdb2.tdbloader",
            "--loc",
            str(target / "tdb2"),
            *files,
        ],
    }


def rows_of(kg: OncoKG, name: str, params: dict[str, str]) -> list[list[str]]:
    return [[cell(v) for v in row.values] for row in kg.query(name, **params)]


def virtuoso_with(store: ox.Store, data: Path, folder: Path, size: int) -> LocalVirtuoso:
    """A Virtuoso loaded by its bulk loader with the graphs of the embedded ``store``, and the
    index of their names (:mod:`oncokg.name_trigrams`)."""
    buffers = max(10_000, min(1_500_000, size // 8))  # about 64 KiB of buffers per 1,000 triples
    server = LocalVirtuoso(folder, buffers=buffers).start()
    graphs = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    for number, graph in enumerate(graphs):
        part = folder / f"part-{number}"
        part.mkdir()
        if graph.value == SYNTHETIC_GRAPH:
            shutil.copy(data, part / "data.nt")
        else:
            store.dump(
                output=str(part / "data.nt"), format=ox.RdfFormat.N_TRIPLES, from_graph=graph
            )
        bulk_load(server, part, "*.nt", graph.value)
    part = folder / "part-names"  # the name index label-search uses, as push --bulk-dir gives
    part.mkdir()
    with (part / "data.nt").open("w", encoding="utf-8") as lines:
        lines.writelines(trigram_ntriples(store))
    bulk_load(server, part, "*.nt", INDEX_GRAPH)
    index_free_text(server, TRIGRAMS)
    analyze_quads(server)  # as push --bulk-dir does
    return server


def peak_mb(server: LocalVirtuoso) -> int:
    """The peak resident memory of a running Virtuoso, in MB (the kernel's VmHWM)."""
    assert server.process is not None
    status = Path(f"/proc/{server.process.pid}/status").read_text(encoding="ascii")
    return round(int(status.split("VmHWM:")[1].split()[0]) / 1024)


def virtuoso_ms(embedded: OncoKG, remote: OncoKG, repeat: int) -> dict[str, float]:
    """Each case's median ms on Virtuoso, its rows checked equal to the embedded store's."""
    times = {}
    for name, params in CASES:
        if rows_of(embedded, name, params) != rows_of(remote, name, params):
            raise SystemExit(f"{name} {params}: Virtuoso's rows differ from ours")
        times[name] = median_ms(lambda n=name, p=params: remote.query(n, **p), repeat)
    return times


def queries(store_folder: Path, data: Path, size: int, repeat: int) -> list[dict[str, object]]:
    from oncokg.backend import PROLOGUE
    from oncokg.bind import bind_values
    from oncokg.catalogue import get_query
    from oncokg.disk_store import StoreFolder
    from oncokg.embedded import EmbeddedBackend
    from oncokg.terms import Iri

    plan = [*source_plan(), (Iri(SYNTHETIC_GRAPH), [data])]
    backend = EmbeddedBackend.built(StoreFolder(store_folder), plan)  # built before: opened
    embedded = OncoKG(backend, text_index=TextIndex.of_build(backend.path))
    store = backend.store
    dataset = [*backend.named_graphs, ox.NamedNode(INFERRED_GRAPH)]
    with tempfile.TemporaryDirectory(prefix="bench-virtuoso-", dir=BUILD) as folder:
        started = time.perf_counter()
        server = virtuoso_with(store, data, Path(folder), size)
        load_s = time.perf_counter() - started
        try:
            graphs = [str(g.value) for g in dataset]
            remote = OncoKG.connect(server.query_url, timeout=120)
            remote.backend.graphs = graphs  # type: ignore[attr-defined]
            fresh = virtuoso_ms(embedded, remote, repeat)
            virtuoso_peak = peak_mb(server)  # the load's peak: a restart starts its count anew
            server.stop()
            server.start()
            restarted = virtuoso_ms(embedded, remote, repeat)
            results = []
            for name, params in CASES:
                mine = rows_of(embedded, name, params)
                query = get_query(name)
                choices = embedded._choices(query, dict(params))
                bindings = {c[0][0]: [value for _, value in c] for c in choices}
                text = PROLOGUE + bind_values(query.sparql, bindings)
                results.append(
                    {
                        "triples": size,
                        "query": name,
                        "rows": len(mine),
                        "embedded_ms": median_ms(
                            lambda n=name, p=params: embedded.query(n, **p), repeat
                        ),
                        "pyoxigraph_ms": median_ms(
                            lambda t=text: [list(s) for s in store.query(t, default_graph=dataset)],
                            repeat,
                        ),
                        "virtuoso_ms": fresh[name],
                        "virtuoso_restarted_ms": restarted[name],
                        "virtuoso_load_s": round(load_s, 1),
                    }
                )
            memory = {
                "embedded_process_peak_mb": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                ),
                "virtuoso_peak_mb": virtuoso_peak,
            }
            for row in results:
                row.update(memory)
        finally:
            server.stop()
    embedded.close()
    return results


def whole_processes(data: Path, size: int, repeat: int) -> list[dict[str, object]]:
    """Warm whole processes on a store folder holding the synthetic graph as an import:
    the ``oncokg query --store`` console script (its check that the store is current, name
    resolution, binding, rows), the same command through the full click command line
    (``python -m oncokg.cli``), ``oxigraph query`` running the same bound SPARQL on the same
    build, and the Python floor (a process that imports pyoxigraph, opens the build and runs
    that SPARQL); all with the same number of rows, and with bytecode cached as installs have."""
    from oncokg.backend import PROLOGUE
    from oncokg.bind import bind_values
    from oncokg.catalogue import get_query
    from oncokg.disk_store import StoreFolder

    store_folder = BUILD / f"bench-cli-{size}"
    shutil.rmtree(store_folder, ignore_errors=True)
    OncoKG.open(store_folder).close()  # a store folder, then the import beside it
    (store_folder / "imports" / "synthetic").mkdir(parents=True)
    shutil.copyfile(data, store_folder / "imports" / "synthetic" / "bench.nt")
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    results = []
    # built in a process of its own, so that this one's peak memory stays that of queries
    opening = "import sys; from oncokg.api import OncoKG; OncoKG.open(sys.argv[1]).close()"
    measured([sys.executable, "-c", opening, str(store_folder)])
    with OncoKG.open(store_folder) as kg:  # opens the build
        build = StoreFolder(store_folder).current()
        assert build is not None
        for name, params in CASES[:4]:
            query = get_query(name)
            bindings = {c[0][0]: [v for _, v in c] for c in kg._choices(query, dict(params))}
            text = PROLOGUE + bind_values(query.sparql, bindings)
            args = ["query", name, "--store", str(store_folder), "--format", "csv"]
            args += [a for key, value in params.items() for a in ("-p", key, value)]
            ours = [str(Path(sys.executable).parent / "oncokg"), *args]
            full = [sys.executable, "-m", "oncokg.cli", *args]
            peer = [oxigraph, "query", "--location", str(build), "--query", text]
            peer += ["--results-format", "csv"]
            floor = [sys.executable, "-c", FLOOR, str(build), text]
            commands = (ours, full, peer, floor)
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            rows = [
                subprocess.run(c, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
                for c in commands
            ]
            counts = [len(r.stdout.splitlines()) for r in rows[:3]] + [int(rows[3].stdout) + 1]
            if len(set(counts)) != 1:
                raise SystemExit(f"{name}: the processes differ in rows: {counts}")
            times = [
                statistics.median(measured(c, env)[1] for _ in range(repeat)) for c in commands
            ]
            results.append(
                {
                    "query": name,
                    "rows": counts[0] - 1,
                    **dict(zip(PROCESS_COLUMNS, times, strict=True)),
                }
            )
    shutil.rmtree(store_folder, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each store build")
    parser.add_argument("--calls", type=int, default=11, help="calls of each query")
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["oncokg", "oncokg-rebuild", "pyoxigraph", "jena-tdb2", "queries"],
    )
    args = parser.parse_args()
    BUILD.mkdir(exist_ok=True)
    jena = jena_classpath(Path(tempfile.mkdtemp(prefix="jena-")))
    report: dict[str, list[dict[str, object]]] = {"builds": [], "queries": []}
    print(
        f"{'triples':>11}  {'store build':<11} {'CPU s':>7} {'wall s':>7} {'triples/s':>10} "
        f"{'peak MB':>8} {'x ours':>7}"
    )
    for size in args.sizes:
        data = synthetic(size)
        keep = BUILD / f"bench-store-{size}"
        ours_wall = None
        for tool in ("oncokg", "oncokg-rebuild", "pyoxigraph", "jena-tdb2"):
            if tool in args.skip:
                continue
            runs, whole = [], []  # whole: the builds before each rebuild, its baseline
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory(prefix="bench-build-", dir=BUILD) as scratch:
                    commands = build_commands(data, Path(scratch), jena)
                    if tool == "oncokg-rebuild":  # built, then one curated file more
                        whole.append(measured(commands["oncokg"])[1])
                        edit = Path(scratch) / "edit.ttl"
                        edit.write_text(EDIT, encoding="utf-8")
                        runs.append(measured([*commands["oncokg"], str(edit)]))
                    else:
                        runs.append(measured(commands[tool]))
            cpu, wall, peak = (statistics.median(r[i] for r in runs) for i in range(3))
            ours_wall = wall if tool == "oncokg" else ours_wall or statistics.median(whole or [0])
            rate = size / wall
            print(
                f"{size:>11,}  {tool:<11} {cpu:>7.1f} {wall:>7.1f} {rate:>10,.0f} {peak:>8.0f} "
                f"{wall / ours_wall if ours_wall else 1:>7.2f}"
            )
            report["builds"].append(
                {
                    "triples": size,
                    "tool": tool,
                    "cpu_s": round(cpu, 2),
                    "wall_s": round(wall, 2),
                    "triples_per_s": round(rate),
                    "peak_mb": round(peak),
                    "runs": args.runs,
                }
            )
        if "queries" in args.skip:
            continue
        shutil.rmtree(keep, ignore_errors=True)
        measured(build_commands(data, keep, jena)["oncokg"])
        processes = whole_processes(data, size, args.calls)
        print(
            f"\n{'triples':>11}  {'whole process (ms)':<20} {'rows':>5} {'oncokg query':>13} "
            f"{'(click CLI)':>12} {'oxigraph query':>15} {'python floor':>13}  x oxigraph"
        )
        for row in processes:
            print(
                f"{size:>11,}  {row['query']:<20} {row['rows']:>5} {1000 * row['oncokg_s']:>13.0f} "
                f"{1000 * row['full_cli_s']:>12.0f} {1000 * row['oxigraph_s']:>15.0f} "
                f"{1000 * row['python_floor_s']:>13.0f}  {row['oncokg_s'] / row['oxigraph_s']:.1f}"
            )
        report.setdefault("processes", []).extend({"triples": size, **r} for r in processes)
        rows = queries(keep / "oncokg", data, size, args.calls)
        report["queries"] += rows
        print(
            f"\n{'triples':>11}  {'query':<20} {'rows':>5} {'kg.query':>9} {'pyoxigraph':>11} "
            f"{'Virtuoso':>9} {'restarted':>10}   (median ms; rows equal on both)"
        )
        for row in rows:
            print(
                f"{size:>11,}  {row['query']:<20} {row['rows']:>5} {row['embedded_ms']:>9.1f} "
                f"{row['pyoxigraph_ms']:>11.1f} {row['virtuoso_ms']:>9.1f} "
                f"{row['virtuoso_restarted_ms']:>10.1f}"
            )
        if rows:
            print(
                f"memory: the embedded queries' process peaked at "
                f"{rows[0]['embedded_process_peak_mb']} MB, Virtuoso at "
                f"{rows[0]['virtuoso_peak_mb']} MB; Virtuoso's bulk load took "
                f"{rows[0]['virtuoso_load_s']} s"
            )
        print()
        shutil.rmtree(keep, ignore_errors=True)
    (BUILD / "bench-scale.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
