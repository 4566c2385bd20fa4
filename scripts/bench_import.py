"""Benchmark the importers and queries on an imported store (on demand, about a minute).

Prints medians of several runs, each beside a baseline measured in the same run, and writes
``build/bench-import.json``:

- each import (read, map, save and build the store), against a plain pyoxigraph bulk load of
  the same triples into a new store;
- all of them into one store, reference vocabularies (HGNC, Sequence Ontology) read included;
- catalogue queries with bound parameters on that store, against the same query text run
  straight on pyoxigraph (no checks, no name resolution, no row conversion);
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
    table = data / "drugcentral" / "drug.target.interaction.2018.tsv.gz"

    from oncokg.api import OncoKG
    from oncokg.disk_store import StoreFolder
    from oncokg.importers.base import ImportedGraph
    from oncokg.importers.civic import import_civic
    from oncokg.importers.disease_ontology import import_disease_ontology
    from oncokg.importers.drugcentral import import_drugcentral
    from oncokg.importers.moalmanac import import_moalmanac
    from oncokg.importers.vocabularies import Vocabularies
    from oncokg.store_sources import save_import

    results: dict[str, object] = {}
    work = Path(tempfile.mkdtemp(prefix="oncokg-bench-"))
    vocabularies = Vocabularies.load(hgnc, so)
    runs = iter(range(10_000))
    importers: dict[str, Callable[[], ImportedGraph]] = {
        "civic": lambda: import_civic(data / "civic-2024-08", vocabularies),
        "moalmanac": lambda: import_moalmanac(data / "moalmanac-2026-05", vocabularies),
        "drugcentral": lambda: import_drugcentral(table, vocabularies, date="2018-01"),
        "disease-ontology": lambda: import_disease_ontology(
            data / "reference-2024-07" / "doid.json", date="2024-07-23"
        ),
    }

    for kind, run_import in importers.items():

        def full_import(run: Callable[[], ImportedGraph] = run_import, name: str = kind) -> None:
            save_import(StoreFolder(work / f"store-{name}-{next(runs)}"), run())

        ours = median_seconds(full_import, args.repeat)
        imported = run_import()
        sample = work / f"{kind}.nt"
        sample.write_bytes(imported.ntriples())

        def plain_load(path: Path = sample) -> None:
            store = ox.Store(str(work / f"plain-{next(runs)}"))
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
            store.flush()

        baseline = median_seconds(plain_load, args.repeat)
        results[f"import {kind}"] = {"seconds": ours, "bulk load of its triples": baseline}
        print(
            f"import {kind:<17} {ours:6.2f} s   (pyoxigraph bulk load of its "
            f"{len(imported.triples):,} triples alone: {baseline:.2f} s)"
        )

    store = work / "all"

    def everything() -> None:
        """The four imports as a user runs them: one command each, vocabularies read by each."""
        folder = str(work / f"all-{next(runs)}")
        oncokg = [sys.executable, "-m", "oncokg", "import"]
        genes = ["--hgnc", str(hgnc)]
        doid_release = ["--release", "2024-07-23"]
        for command in (
            ["civic", str(data / "civic-2024-08"), *genes, "--sequence-ontology", str(so)],
            ["moalmanac", str(data / "moalmanac-2026-05"), *genes],
            ["drugcentral", str(table), "--release", "2018-01", *genes],
            ["disease-ontology", str(data / "reference-2024-07" / "doid.json"), *doid_release],
        ):
            subprocess.run([*oncokg, *command, "--store", folder], check=True, capture_output=True)

    all_sources = median_seconds(everything, max(1, args.repeat // 2))
    results["import all sources"] = {"seconds": all_sources}
    print(f"import all four sources, four oncokg import commands: {all_sources:.1f} s")
    for run_import in importers.values():
        save_import(StoreFolder(store), run_import())
    kg = OncoKG.open(store)
    print(f"store with every import: {kg.backend.triple_count():,} triples")
    from oncokg.bind import bind_values
    from oncokg.catalogue import get_query

    raw = ox.Store.read_only(str(kg.backend.path))  # type: ignore[attr-defined]
    from oncokg.namespaces import PREFIXES

    for name, params in (
        ("evidence-by-genotype", {"genotype": "KIT T670I"}),
        ("evidence-by-genotype", {"genotype": "PDGFRA D842V"}),
        ("evidence-by-gene", {"gene": "KIT"}),
        ("evidence-by-drug", {"drug": "avapritinib"}),
        ("evidence-by-drug", {"drug": "imatinib"}),
        ("drugs-by-target", {"target": "EGFR"}),
        ("targets-of-drug", {"drug": "imatinib"}),
        ("response-by-genotype", {"genotype": "KIT T670I"}),
        ("disease-subtypes", {"disease": "lung cancer"}),
    ):
        rows = kg.query(name, **params)
        ours = median_seconds(lambda n=name, p=params: kg.query(n, **p), args.repeat * 4)  # type: ignore[misc]
        bound = {k: kg.resolve(v, get_query(name).parameters[0].type) for k, v in params.items()}
        text = bind_values(get_query(name).sparql, bound)
        direct = median_seconds(
            lambda t=text: list(raw.query(t, prefixes=PREFIXES)),  # type: ignore[misc]
            args.repeat * 4,
        )
        label = f"{name} {next(iter(params.values()))}"
        results[f"query {label}"] = {
            "ms": ours * 1000,
            "pyoxigraph ms": direct * 1000,
            "rows": len(rows),
        }
        print(
            f"query {label:<35} {ours * 1000:7.2f} ms  (pyoxigraph {direct * 1000:6.2f} ms; "
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
