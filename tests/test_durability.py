"""A store folder on disk: built once, reused, never half-written, never someone else's files."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oncokg.api import OncoKG, source_plan
from oncokg.backend import CURATED_GRAPH
from oncokg.disk_store import MARKER, StoreFolder
from oncokg.errors import InputError
from oncokg.terms import Iri, from_oxigraph

from .conftest import REPO, run_oncokg

RDF_TYPE = Iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

BUILDER = """
import sys
from pathlib import Path
from oncokg.backend import CURATED_GRAPH
from oncokg.disk_store import StoreFolder
from oncokg.embedded import bulk_fill
folder = StoreFolder(Path(sys.argv[1]))
big = Path(sys.argv[2])
def fill(store, plan):
    print("loading", flush=True)
    bulk_fill(store, plan)
folder.build([(CURATED_GRAPH, [big])], fill)
print("built", flush=True)
"""

READER = """
import sys
from oncokg.api import OncoKG
kg = OncoKG.open(sys.argv[1])
print(kg.backend.triple_count())
"""


def _big_file(path: Path, triples: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(triples):
            out.write(f'<urn:oncokg:test:s{i}> <urn:oncokg:test:p> "value {i}" .\n')
    return path


def _marker(store: Path) -> dict[str, object]:
    return json.loads((store / MARKER).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_open_builds_then_reuses_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with OncoKG.open(store) as kg:
        count = kg.backend.triple_count()
    first = _marker(store)["current"]
    with OncoKG.open(store) as kg:
        assert kg.backend.triple_count() == count > 7000
    assert _marker(store)["current"] == first  # unchanged sources: nothing rebuilt
    assert [p.name for p in store.glob("build-*")] == [first]


def test_a_build_of_the_older_format_is_rebuilt_not_read(tmp_path: Path) -> None:
    """Format 1 builds had no union in their default graph: read as they are, every query
    would come back empty."""
    store = tmp_path / "store"
    with OncoKG.open(store) as kg:
        drugs = kg.query("table-drugs")
    marker = _marker(store)
    assert marker["format"] == 4
    (store / MARKER).write_text(json.dumps({**marker, "format": 1}), encoding="utf-8")
    with OncoKG.open(store) as kg:
        assert len(kg.query("table-drugs")) == len(drugs) > 20
    assert _marker(store)["format"] == 4 and _marker(store)["current"] != marker["current"]
    (store / MARKER).write_text(json.dumps({**marker, "format": 5}), encoding="utf-8")
    with pytest.raises(InputError, match="not a store marker this OncoKG can read"):
        OncoKG.open(store)


def test_queries_on_a_built_store_read_its_default_graph_the_union(tmp_path: Path) -> None:
    import pyoxigraph as ox

    store = tmp_path / "store"
    with OncoKG.open(store) as kg:
        named = kg.backend.triple_count()
    raw = ox.Store.read_only(str(store / _marker(store)["current"]))
    union = {(q.subject, q.predicate, q.object) for q in raw if q.graph_name != ox.DefaultGraph()}
    default = {
        (q.subject, q.predicate, q.object)
        for q in raw.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    assert default == union and len(default) > named  # the sources, and what they entail
    inferred = ox.NamedNode("https://w3id.org/oncokg/graph/inferred")
    assert len(list(raw.quads_for_pattern(None, None, None, inferred))) == len(default) - named


def test_built_store_entails_exactly_what_the_inference_queries_answer(tmp_path: Path) -> None:
    """The build materialises entailments by closure and index look-ups, not by the catalogue's
    inferred-types and inferred-properties queries: both must give the same triples."""
    import pyoxigraph as ox

    store = tmp_path / "store"
    with OncoKG.open(store) as kg:
        expected = {(r["resource"], RDF_TYPE, r["type"]) for r in kg.query("inferred-types")}
        expected |= {
            (r["subject"], r["property"], r["object"]) for r in kg.query("inferred-properties")
        }
    raw = ox.Store.read_only(str(store / _marker(store)["current"]))
    inferred = ox.NamedNode("https://w3id.org/oncokg/graph/inferred")
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    built = {
        (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object))
        for q in raw.quads_for_pattern(None, None, None, inferred)
        if q.predicate != title
    }
    assert len(expected) == 744 and built == expected


def test_changed_source_rebuilds_and_keeps_the_previous_build(tmp_path: Path) -> None:
    store = tmp_path / "store"
    plan = [(CURATED_GRAPH, [_big_file(tmp_path / "a.nt", 10)])]
    folder = StoreFolder(store)
    from oncokg.embedded import EmbeddedBackend

    EmbeddedBackend.built(folder, plan).close()
    first = _marker(store)["current"]
    _big_file(tmp_path / "a.nt", 20)
    backend = EmbeddedBackend.built(folder, plan)
    assert backend.triple_count() == 20
    backend.close()
    assert _marker(store)["current"] != first
    assert sorted(p.name for p in store.glob("build-*")) == sorted([first, "build-000002"])


def test_killed_mid_build_leaves_previous_content(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with OncoKG.open(store) as kg:
        before = kg.backend.triple_count([CURATED_GRAPH])
    marker_before = (store / MARKER).read_bytes()
    big = _big_file(tmp_path / "big.nt", 1_500_000)
    process = subprocess.Popen(
        [sys.executable, "-c", BUILDER, str(store), str(big)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "loading"
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the build finished before the kill"
    assert (store / MARKER).read_bytes() == marker_before
    with OncoKG.open(store) as kg:
        assert kg.backend.triple_count([CURATED_GRAPH]) == before
        assert kg.backend.graphs == [
            "https://w3id.org/oncokg/graph/ontology",
            "https://w3id.org/oncokg/graph/curated",
        ]


def test_six_concurrent_readers_all_succeed(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with OncoKG.open(store) as kg:
        expected = kg.backend.triple_count()
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(store)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    outputs = [r.communicate(timeout=60) for r in readers]
    assert [r.returncode for r in readers] == [0] * 6, [err for _, err in outputs]
    assert {int(out) for out, _ in outputs} == {expected}


@pytest.mark.parametrize("content", ["file", "folder"])
def test_a_folder_that_is_not_a_store_is_refused_untouched(tmp_path: Path, content: str) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "t.txt").write_text("k\n")
    if content == "folder":
        (target / "sub").mkdir()
    before = sorted(p.relative_to(target) for p in target.rglob("*"))
    with pytest.raises(InputError, match="is not an OncoKG store"):
        OncoKG.open(target)
    result = run_oncokg("query", "dosing", "-p", "drug", "imatinib", "--store", str(target))
    assert result.returncode == 2 and "is not an OncoKG store" in result.stderr
    assert sorted(p.relative_to(target) for p in target.rglob("*")) == before
    assert (target / "t.txt").read_text() == "k\n"


def test_store_paths_that_cannot_be_stores(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    cases = {
        a_file: "is a file, not a store folder",
        a_file / "below": f"cannot create the store: {a_file} is a file",
        dangling: "is a dangling link",
    }
    for path, message in cases.items():
        result = run_oncokg("query", "dosing", "-p", "drug", "imatinib", "--store", str(path))
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert a_file.read_text() == "x"


def test_source_plan_names_every_source_file() -> None:
    files = [p for _, paths in source_plan() for p in paths]
    assert files[0].name == "oncokg.ttl" and len(files) == 6
    assert all(p.is_relative_to(REPO) for p in files)
