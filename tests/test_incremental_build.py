"""A rebuild replaces only the graphs whose files changed, and gives the store a whole build
would: the ontology, the curated graph (copied, so it can be edited) and a real DrugCentral
import, edited step by step, each step's store compared quad for quad with a build from
nothing."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest

from oncokg.api import source_plan
from oncokg.backend import CURATED_GRAPH, ONTOLOGY_GRAPH
from oncokg.disk_store import MARKER, GraphFiles, StoreFolder
from oncokg.embedded import update_fill
from oncokg.terms import Iri
from oncokg.text_index import FILE_NAME, TextIndex

from .conftest import run_oncokg
from .test_import_drugcentral import drugcentral_command

TESTGENE1 = "<https://w3id.org/oncokg/resource/TESTGENE1>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
INFERRED = "<https://w3id.org/oncokg/graph/inferred>"
DRUGCENTRAL = Iri("https://w3id.org/oncokg/graph/drugcentral/2018-01")
NEW_GENE = """@prefix okg: <https://w3id.org/oncokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/oncokg/resource/TESTGENE1> a okg:Gene ; okg:symbol "TESTGENE1" ;
    rdfs:label "a gene for the test"@en .
"""
BLANK = """@prefix okg: <https://w3id.org/oncokg/ontology#> .
<https://w3id.org/oncokg/resource/TESTGENE2> a okg:Gene ; okg:note [ okg:symbol "x" ] .
"""


@pytest.fixture(scope="module")
def drugcentral_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DrugCentral import of the shared data, as the store keeps it (sorted N-Triples)."""
    store = tmp_path_factory.mktemp("drugcentral") / "store"
    result = run_oncokg(*drugcentral_command(store))
    assert result.returncode == 0, result.stderr
    (path,) = (store / "imports").glob("*/*.nt")
    return path


class Updates:
    """:func:`update_fill`, recording what each call was asked to drop and load."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], list[str]]] = []

    def __call__(self, store: ox.Store, dropped: Sequence[Iri], loaded: GraphFiles) -> None:
        self.calls.append((sorted(dropped), sorted(g for g, _ in loaded)))
        update_fill(store, dropped, loaded)


def _quads(folder: StoreFolder) -> list[str]:
    build = folder.current()
    assert build is not None
    dump = ox.Store.read_only(str(build)).dump(format=ox.RdfFormat.N_QUADS) or b""
    return sorted(dump.decode().splitlines())


def _names(folder: StoreFolder) -> list[tuple[str, str]]:
    """The rows of a build's name index, as (entity, name)."""
    build = folder.current()
    assert build is not None
    with contextlib.closing(sqlite3.connect(build / FILE_NAME)) as connection:
        rows = connection.execute("SELECT entity, name FROM names").fetchall()
        entries = connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    assert entries == len(rows) > 1000
    return sorted(rows)


def _never(store: ox.Store, dropped: Sequence[Iri], loaded: GraphFiles) -> None:
    raise AssertionError("a store built from nothing has nothing to update")


def test_each_rebuild_replaces_only_what_changed_and_equals_a_whole_build(
    tmp_path: Path, drugcentral_file: Path
) -> None:
    ((_, ontology), (_, curated)) = source_plan()
    copies = tmp_path / "curated"
    copies.mkdir()
    files = [Path(shutil.copy(p, copies / p.name)) for p in curated]
    folder = StoreFolder(tmp_path / "store")
    updates = Updates()

    def step(plan: GraphFiles, expected: tuple[list[str], list[str]] | None) -> list[str]:
        before = len(updates.calls)
        folder.build(plan, update=updates)
        assert updates.calls[before:] == ([expected] if expected else [])
        quads = _quads(folder)
        whole = StoreFolder(tmp_path / f"whole-{before}-{len(quads)}")
        whole.build(plan, update=_never)
        assert quads == _quads(whole)
        assert _names(folder) == _names(whole)
        return quads

    with_import = [
        (ONTOLOGY_GRAPH, ontology),
        (CURATED_GRAPH, files),
        (DRUGCENTRAL, [drugcentral_file]),
    ]
    first = step(with_import, None)  # from nothing

    # the curated graph loses a file (its genes, drugs and their entailments) and gains one
    entities = next(p for p in files if p.name == "entities.ttl")
    imported = drugcentral_file.read_text(encoding="utf-8").splitlines()
    gene = next(line for line in imported if line.endswith("ontology#Gene> ."))  # ABAT a Gene
    target = next(line for line in imported if "ontology#target>" in line)
    shared = f"{NEW_GENE}{gene}\n{target}\n"  # two triples the import holds too
    (copies / "new.ttl").write_text(shared, encoding="utf-8")
    edited = [p for p in files if p != entities] + [copies / "new.ttl"]
    plan = [(ONTOLOGY_GRAPH, ontology), (CURATED_GRAPH, edited), (DRUGCENTRAL, [drugcentral_file])]
    second = step(plan, ([CURATED_GRAPH], [CURATED_GRAPH]))
    entailed = f"{TESTGENE1} {RDF_TYPE} <https://w3id.org/oncokg/ontology#Target>"
    assert {f"{entailed} {INFERRED} .", f"{entailed} ."} <= set(second)
    assert len(second) < len(first)
    names = TextIndex.of_build(folder.current())
    assert names is not None and names.entities("GENE FOR THE") == [TESTGENE1[1:-1]]

    # the class hierarchy changes (every gene a protein too), then changes back: the
    # entailments are computed again, and only their difference is written
    widened = tmp_path / "oncokg.ttl"
    axiom = "\nokg:Gene rdfs:subClassOf okg:Protein .\n"
    widened.write_text(ontology[0].read_text(encoding="utf-8") + axiom, encoding="utf-8")
    protein = f"{TESTGENE1} {RDF_TYPE} <https://w3id.org/oncokg/ontology#Protein>"
    third = step([(ONTOLOGY_GRAPH, [widened]), *plan[1:]], ([ONTOLOGY_GRAPH], [ONTOLOGY_GRAPH]))
    assert f"{protein} {INFERRED} ." in third
    assert step(plan, ([ONTOLOGY_GRAPH], [ONTOLOGY_GRAPH])) == second

    # a file's bytes rewritten unchanged (a new modification time) changes nothing
    (copies / "new.ttl").write_text(shared, encoding="utf-8")
    assert step(plan, None) == second

    # the import removed: its triples leave the default graph, except those the curated
    # graph holds too
    without = plan[:2]
    fourth = step(without, ([DRUGCENTRAL], []))
    assert not any(DRUGCENTRAL in line for line in fourth)
    abat_target = gene.replace("ontology#Gene>", "ontology#Target>")[:-2]  # still entailed
    assert {gene, target, f"{abat_target} {INFERRED} ."} <= set(fourth)

    # the import back: it outweighs what would be kept, so the store is built whole
    step(plan, None)

    # a graph with blank nodes cannot be replaced in place: built whole, and still equal
    (copies / "blank.ttl").write_text(BLANK, encoding="utf-8")
    blank = [(ONTOLOGY_GRAPH, ontology), (CURATED_GRAPH, [*edited, copies / "blank.ttl"]), plan[2]]
    folder.build(blank, update=updates)  # loads the blank node in place
    assert updates.calls[-1] == ([CURATED_GRAPH], [CURATED_GRAPH])
    calls = len(updates.calls)
    folder.build(plan, update=updates)  # tries, finds the blank node, builds whole
    assert len(updates.calls) == calls + 1
    assert _quads(folder) == second
    assert sorted(p.name for p in folder.path.glob("build-*")) == ["build-000007", "build-000008"]
    assert (folder.path / MARKER).is_file()


def test_sizes_and_times_decide_and_only_a_touched_file_is_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncokg import disk_store

    copies = tmp_path / "curated"
    copies.mkdir()
    ((_, ontology), (_, curated)) = source_plan()
    files = [Path(shutil.copy(p, copies / p.name)) for p in curated]
    plan = [(ONTOLOGY_GRAPH, ontology), (CURATED_GRAPH, files)]
    folder = StoreFolder(tmp_path / "store")
    folder.build(plan)
    hashed: list[str] = []
    real = disk_store.file_sha256
    monkeypatch.setattr(disk_store, "file_sha256", lambda p: hashed.append(p.name) or real(p))
    assert folder.is_current(plan) and hashed == []
    os.utime(files[0], ns=(0, files[0].stat().st_mtime_ns + 10**9))  # touched, same bytes
    assert folder.is_current(plan) and hashed == [files[0].name]
    files[0].write_bytes(files[0].read_bytes().replace(b"sotorasib", b"sotorasiB"))
    assert not folder.is_current(plan) and hashed == [files[0].name] * 2
    hashed.clear()
    folder.build(plan)  # the changed file is read once; the others by size and time only
    assert hashed == [files[0].name] and folder.is_current(plan)
