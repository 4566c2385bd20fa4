"""Benchmark the importers and queries on an imported store (on demand, about a minute).

Prints medians of several runs, each beside a baseline measured in the same run, and writes
``build/bench-import.json``:

- CIViC and DrugCentral imports (read, map, save and build the store), against a plain
  pyoxigraph bulk load of the same triples into a new store;
- catalogue queries with bound parameters on the store holding both imports, against the same
  query text run straight on pyoxigraph (no checks, no binding, no row conversion);
- ``oncokg query`` as a whole process with ``--store``, against
  ``python -c "import pyoxigraph"``.

Usage: ``python scripts/bench_import.py [--shared ../shared] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = args.shared / "data"
    hgnc = data / "reference-2024-07" / "hgnc_entries.tsv"
    so = data / "sequence-ontology-2024-11" / "so.obo"
    civic = data / "civic-2024-08"
    table = data / "drugcentral" / "drug.target.interaction.2018.tsv.gz"

    from oncokg.api import OncoKG
    from oncokg.disk_store import StoreFolder
    from oncokg.importers.civic import import_civic
    from oncokg.importers.drugcentral import import_drugcentral
    from oncokg.importers.vocabularies import Vocabularies
    from oncokg.store_sources import save_import

    results: dict[str, object] = {}
    work = Path(tempfile.mkdtemp(prefix="oncokg-bench-"))
    vocabularies = Vocabularies.load(hgnc, so)
    runs = iter(range(10_000))

    def full_import(kind: str) -> None:
        store = StoreFolder(work / f"store-{kind}-{next(runs)}")
        imported = (
            import_civic(civic, vocabularies)
            if kind == "civic"
            else import_drugcentral(table, vocabularies, date="2018-01")
        )
        save_import(store, imported)

    for kind in ("civic", "drugcentral"):
        ours = median_seconds(lambda k=kind: full_import(k), args.repeat)  # type: ignore[misc]
        sample = work / f"{kind}.nt"
        imported = (
            import_civic(civic, vocabularies)
            if kind == "civic"
            else import_drugcentral(table, vocabularies, date="2018-01")
        )
        sample.write_bytes(imported.ntriples())

        def plain_load(path: Path = sample) -> None:
            store = ox.Store(str(work / f"plain-{next(runs)}"))
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
            store.flush()

        baseline = median_seconds(plain_load, args.repeat)
        results[f"import {kind}"] = {"seconds": ours, "bulk load of its triples": baseline}
        print(
            f"import {kind:<12} {ours:6.2f} s   (pyoxigraph bulk load of its "
            f"{len(imported.triples):,} triples alone: {baseline:.2f} s)"
        )

    store = work / "both"
    save_import(StoreFolder(store), import_civic(civic, vocabularies))
    save_import(StoreFolder(store), import_drugcentral(table, vocabularies, date="2018-01"))
    kg = OncoKG.open(store)
    print(f"store with both imports: {kg.backend.triple_count():,} triples")
    from oncokg.bind import bind_values
    from oncokg.catalogue import get_query

    raw = ox.Store.read_only(str(kg.backend.path))  # type: ignore[attr-defined]
    graphs = kg.backend.named_graphs  # type: ignore[attr-defined]
    from oncokg.namespaces import PREFIXES

    for name, params in (
        ("evidence-by-genotype", {"genotype": "KIT T670I"}),
        ("evidence-by-drug", {"drug": "imatinib"}),
        ("drugs-by-target", {"target": "EGFR"}),
        ("targets-of-drug", {"drug": "imatinib"}),
    ):
        rows = kg.query(name, **params)
        ours = median_seconds(lambda n=name, p=params: kg.query(n, **p), args.repeat * 4)  # type: ignore[misc]
        bound = {k: kg.resolve(v, get_query(name).parameters[0].type) for k, v in params.items()}
        text = bind_values(get_query(name).sparql, bound)
        direct = median_seconds(
            lambda t=text: list(raw.query(t, prefixes=PREFIXES, default_graph=graphs)),  # type: ignore[misc]
            args.repeat * 4,
        )
        results[f"query {name}"] = {
            "ms": ours * 1000,
            "pyoxigraph ms": direct * 1000,
            "rows": len(rows),
        }
        print(
            f"query {name:<22} {ours * 1000:7.2f} ms  (pyoxigraph {direct * 1000:6.2f} ms; "
            f"{len(rows)} rows)"
        )

    def whole(command: list[str]) -> None:
        subprocess.run(command, check=True, capture_output=True)

    cli = [
        sys.executable,
        "-m",
        "oncokg",
        "query",
        "evidence-by-genotype",
        "-p",
        "genotype",
        "KIT T670I",
        "--store",
        str(store),
    ]
    ours = median_seconds(lambda: whole(cli), args.repeat)
    baseline = median_seconds(
        lambda: whole([sys.executable, "-c", "import pyoxigraph"]), args.repeat
    )
    results["oncokg query --store"] = {"seconds": ours, "import pyoxigraph": baseline}
    print(
        f"oncokg query --store (whole process) {ours:.3f} s  "
        f"(python -c 'import pyoxigraph' {baseline:.3f} s; {ours / baseline:.1f}x)"
    )
    out = REPO / "build" / "bench-import.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
