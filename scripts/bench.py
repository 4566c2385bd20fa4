"""Benchmarks of OncoKG: prints a table of medians and ratios against baselines run alongside.

Run on demand (never in CI); results also go to build/bench.json.

    python scripts/bench.py            # everything (about 10 minutes on 2 cores)
    python scripts/bench.py --quick    # fewer repetitions

Measured, each against a baseline measured in the same run:
1. every catalogue query on the curated graph, embedded (pyoxigraph) vs rdflib's SPARQL engine
   over the same named graphs (the entailments included), with the rows of both compared
   (rdflib runs in a child process stopped at RDFLIB_LIMIT_S; a query over 1 s is timed once);
2. catalogue helper queries on a 1M-triple synthetic graph (scripts/synthetic.py), through the
   API vs the same SPARQL sent straight to pyoxigraph (the API's overhead);
3. whole processes: ``oncokg query`` and ``oncokg validate`` vs ``python -c pass``;
4. export of the 1M-triple graph to Turtle (pyoxigraph) vs rdflib's Turtle serialiser at 100k.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
RDFLIB_LIMIT_S = 120.0  # a query, its repetitions included: rdflib needs minutes for some
sys.path.insert(0, str(ROOT / "src"))

from oncokg.api import OncoKG, load_sources  # noqa: E402
from oncokg.backend import CURATED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PROLOGUE  # noqa: E402
from oncokg.bind import bind_values  # noqa: E402
from oncokg.catalogue import load_catalogue  # noqa: E402
from oncokg.embedded import EmbeddedBackend  # noqa: E402
from oncokg.errors import QueryError  # noqa: E402
from oncokg.export import export  # noqa: E402
from oncokg.isolation import QueryTimeout, run_isolated  # noqa: E402
from oncokg.namespaces import PREFIXES  # noqa: E402
from oncokg.resources import data_files, ontology_file  # noqa: E402
from oncokg.terms import Iri, from_oxigraph  # noqa: E402


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def process_ms(command: list[str], repeat: int) -> float:
    return median_ms(
        lambda: subprocess.run(command, cwd=ROOT, capture_output=True, check=False), repeat
    )


def curated_queries(repeat: int) -> list[dict[str, object]]:
    from rdflib import Dataset, URIRef

    kg = OncoKG.open()
    dataset = Dataset(default_union=True)  # the same graphs, under the same names
    dataset.graph(URIRef(ONTOLOGY_GRAPH)).parse(ontology_file())
    graph = dataset.graph(URIRef(CURATED_GRAPH))
    for path in data_files():
        graph.parse(path)
    inferred = kg.backend.store.dump(  # type: ignore[attr-defined]
        format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(INFERRED_GRAPH)
    )
    dataset.graph(URIRef(INFERRED_GRAPH)).parse(data=inferred.decode(), format="nt")
    results = []
    for name, query in load_catalogue().items():
        params = {p.name: p.example for p in query.parameters}
        bound = {}
        for p in query.parameters:  # resolve names once, as the API does, outside the timing
            value = kg._convert(query, p.name, params[p.name])[0]
            bound[p.name] = value
        text = bind_values(query.sparql, bound)
        embedded = median_ms(lambda q=query, b=bound: kg.backend.select(q.sparql, b), repeat)
        ours = sorted(
            sorted(comparable(v) for v in r.values if v is not None)
            for r in kg.backend.select(query.sparql, bound)
        )
        row: dict[str, object] = {"query": name, "embedded_ms": embedded, "rows": len(ours)}
        try:  # in a child process, killed at the limit
            theirs, rdflib_ms, runs = run_isolated(
                lambda t=text: rdflib_rows_and_ms(dataset, t, max(3, repeat // 4)), RDFLIB_LIMIT_S
            )
        except QueryTimeout:
            row["rdflib_error"] = f"stopped after {RDFLIB_LIMIT_S:g} s"
        except QueryError as err:  # rdflib's own failure, reported beside the figures
            row["rdflib_error"] = str(err)
        else:
            row.update(rdflib_ms=rdflib_ms, rdflib_runs=runs, ratio=rdflib_ms / embedded)
            row["same_rows"] = ours == theirs
        results.append(row)
    return results


def comparable(value: object) -> str:
    """A cell as the rows of both engines are compared: a number by its value (rdflib writes
    the decimal 10.0 as 10), anything else as text (rdflib's literals as Python values)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def rdflib_rows_and_ms(dataset: Any, text: str, repeat: int) -> tuple[list[list[str]], float, int]:
    """rdflib's rows of ``text`` (as sorted strings), its median ms and how many runs that is:
    a query that takes over a second is timed once, as its repetitions would take minutes."""
    start = time.perf_counter()
    rows = sorted(
        sorted(comparable(v.toPython()) for v in r if v is not None)  # type: ignore[union-attr]
        for r in dataset.query(PROLOGUE + text)
    )
    first = (time.perf_counter() - start) * 1000
    if first > 1000:
        return rows, first, 1
    return rows, median_ms(lambda: list(dataset.query(PROLOGUE + text)), repeat), repeat


def synthetic(repeat: int, path: Path) -> tuple[list[dict[str, object]], dict[str, float]]:
    if not path.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "synthetic.py"), "-o", str(path)], check=True
        )
    backend = EmbeddedBackend.in_memory()
    start = time.perf_counter()
    load_sources(backend)
    backend.load([path], Iri("https://w3id.org/oncokg/graph/synthetic"))
    load_s = time.perf_counter() - start
    kg = OncoKG(backend)
    triples = len(backend.store)
    cases = [
        ("drugs-by-target", {"target": "SYN7"}),
        ("targets-of-drug", {"drug": "synthdrug 42"}),
        ("response-by-drug", {"drug": "synthdrug 42"}),
        ("response-by-gene", {"gene": "SYN7"}),
        ("trial-outcomes", {"drug": "synthdrug 42"}),
        ("trial-comparisons", {"drug": "synthdrug 42"}),
        ("adverse-events", {"drug": "synthdrug 42"}),
        ("dosing", {"drug": "synthdrug 42"}),
        ("interactions", {"drug": "synthdrug 42"}),
        ("options-after-drug", {"drug": "synthdrug 42"}),
        (
            "resolve-name",
            {"name": "synthdrug 42", "class": "https://w3id.org/oncokg/ontology#Drug"},
        ),
        ("endpoint-across-drugs", {"endpoint": "PFS"}),
        ("label-search", {"text": "合成药42"}),
    ]
    catalogue = load_catalogue()
    kg.query("sources")  # entailments computed, so the dataset below holds them
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(backend.dataset)
    rows = []
    for name, params in cases:
        query = catalogue[name]
        bound = {p.name: kg._convert(query, p.name, params[p.name])[0] for p in query.parameters}
        text = bind_values(query.sparql, bound)
        answer = kg.select(query.sparql, bound)
        solutions = backend.store.query(text, prefixes=PREFIXES, default_graph=graphs)
        theirs = [[from_oxigraph(t) for t in s] for s in solutions]  # type: ignore[attr-defined]
        if [list(r.values) for r in answer] != theirs:
            raise SystemExit(f"{name}: kg.select and pyoxigraph differ in rows")
        api = median_ms(lambda n=name, p=params: kg.query(n, **p), repeat)
        bound_api = median_ms(lambda q=query, b=bound: kg.select(q.sparql, b), repeat)
        raw = median_ms(
            lambda t=text: list(backend.store.query(t, prefixes=PREFIXES, default_graph=graphs)),
            repeat,
        )
        # what a pyoxigraph user does to get the same answer: run the query, read every value
        direct = median_ms(
            lambda t=text: read_values(
                backend.store.query(t, prefixes=PREFIXES, default_graph=graphs)
            ),
            repeat,
        )
        rows.append(
            {
                "query": name,
                "api_ms": api,
                "api_bound_ms": bound_api,
                "pyoxigraph_raw_ms": raw,
                "pyoxigraph_ms": direct,
                "overhead": bound_api / direct,
                "per_call_ms": bound_api - direct,  # checking, binding and converting the rows
                "rows": len(kg.query(name, **params)),
            }
        )
    out = BUILD / "synthetic-export.ttl"
    named = [g for g in graphs if isinstance(g, ox.NamedNode)]
    export_s = median_ms(lambda: export(backend.store, named, "turtle", out), 3) / 1000
    return rows, {"triples": triples, "load_s": load_s, "export_s": export_s}


def read_values(solutions: object) -> list[list[object]]:
    """Read every value of every solution, as a direct pyoxigraph user would."""
    return [[None if t is None else t.value for t in s] for s in solutions]  # type: ignore[attr-defined]


def rdflib_export_100k(path: Path) -> float:
    from rdflib import Graph

    graph = Graph()
    with path.open(encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(100_000)]
    graph.parse(data="".join(lines), format="nt")
    start = time.perf_counter()
    graph.serialize(format="turtle")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 5 if args.quick else 21
    BUILD.mkdir(exist_ok=True)
    report: dict[str, object] = {}

    print("1. catalogue queries on the curated graph (median ms)")
    curated = curated_queries(repeat)
    print(f"{'query':42s} {'rows':>5s} {'embedded':>9s} {'rdflib':>9s} {'rdflib/emb':>10s}  rows")
    for r in curated:
        if "rdflib_error" in r:  # said, rather than timed on half the work
            error = str(r["rdflib_error"])[:60]
            print(f"{r['query']:42s} {r['rows']:5d} {r['embedded_ms']:9.2f}   rdflib: {error}")
            continue
        same = "same" if r["same_rows"] else "DIFFER"
        same += " (rdflib timed once)" if r["rdflib_runs"] == 1 else ""
        print(
            f"{r['query']:42s} {r['rows']:5d} {r['embedded_ms']:9.2f} {r['rdflib_ms']:9.1f} "
            f"{r['ratio']:10.0f}x  {same}"
        )
    report["curated"] = curated

    print("\n2. helper queries on the synthetic graph (median ms)")
    synth_path = BUILD / "synthetic-1m.nt"
    rows, info = synthetic(max(5, repeat // 2), synth_path)
    print(f"   {info['triples']} triples loaded in {info['load_s']:.1f} s")
    head = ("query", "rows", "kg.query", "kg.select", "oxi raw", "oxi+values", "overhead")
    print("{:24s} {:>5s} {:>9s} {:>10s} {:>8s} {:>11s} {:>9s} {:>8s}".format(*head, "per call"))
    for r in rows:
        print(
            f"{r['query']:24s} {r['rows']:5d} {r['api_ms']:9.2f} {r['api_bound_ms']:10.2f} "
            f"{r['pyoxigraph_raw_ms']:8.2f} {r['pyoxigraph_ms']:11.2f} {r['overhead']:8.2f}x "
            f"{r['per_call_ms']:8.3f}"
        )
    per_call = statistics.median(r["per_call_ms"] for r in rows)  # type: ignore[misc]
    print(f"   per call (kg.select - oxi+values), median over the queries: {per_call:.3f} ms")
    report["synthetic"] = rows
    report["synthetic_info"] = info

    print("\n3. whole processes (median ms)")
    python = sys.executable
    oncokg = str(Path(python).parent / "oncokg")
    procs = {
        "python -c pass": process_ms([python, "-c", "pass"], repeat),
        "oncokg query drugs-by-target": process_ms(
            [oncokg, "query", "drugs-by-target", "-p", "target", "KRAS G12C"], repeat
        ),
        "oncokg query trial-comparisons": process_ms(
            [oncokg, "query", "trial-comparisons", "-p", "drug", "lurbinectedin"], repeat
        ),
        "oncokg validate": process_ms([oncokg, "validate"], max(3, repeat // 3)),
    }
    for name, ms in procs.items():
        print(f"{name:34s} {ms:8.0f}")
    report["processes"] = procs

    print("\n4. export to Turtle")
    rdflib_s = rdflib_export_100k(synth_path)
    print(f"   pyoxigraph, {info['triples']} triples: {info['export_s']:.2f} s (median of 3)")
    print(f"   rdflib, 100k triples:  {rdflib_s:.2f} s")
    report["rdflib_export_100k_s"] = rdflib_s
    (BUILD / "bench.json").write_text(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
