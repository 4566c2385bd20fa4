"""One compliance suite, run against every backend: the embedded store, and live Oxigraph and
Virtuoso servers loaded through ``oncokg push``. All must give the expected rows, hence
identical ones."""

from __future__ import annotations

import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from oncokg.api import OncoKG
from oncokg.backend import CURATED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, Rows
from oncokg.catalogue import load_catalogue
from oncokg.embedded import EmbeddedBackend
from oncokg.errors import OncoKGError
from oncokg.export import export
from oncokg.http_client import Response
from oncokg.name_trigrams import INDEX_GRAPH, ServerNameIndex
from oncokg.output import cell
from oncokg.remote import RemoteBackend
from oncokg.resources import data_files
from oncokg.sparql_text import joins_as_written
from oncokg.terms import Iri, LangString
from oncokg.text_index import MIN_LENGTH
from oncokg.virtuoso import LocalVirtuoso, bulk_load, bulk_push

from .conftest import run_oncokg
from .test_catalogue import comparable, expected_rows
from .test_import_moalmanac import moalmanac_command
from .test_text_index import TEXTS

NAMES = sorted(load_catalogue())
ROWS_JOINED_AS_WRITTEN = {"trial-comparisons": 16, "trial-outcomes": 88}
"""The rows of the queries joined as written, for every drug: what the loop must go through."""
_DRUGS = "SELECT DISTINCT ?drug WHERE { ?drug a okg:Drug }"


@pytest.mark.parametrize("name", NAMES)
def test_catalogue_query(kg_both: OncoKG, name: str) -> None:
    params, variables, rows = expected_rows(name)
    got = [[cell(v) for v in r.values] for r in kg_both.query(name, **params)]
    assert comparable(name, variables, got) == comparable(name, variables, rows)


def test_compliance_suite_size() -> None:
    assert len(NAMES) == 58


def test_select_with_bindings_and_types(kg_both: OncoKG) -> None:
    rows = kg_both.select(
        "SELECT ?claim ?hr ?level WHERE { "
        "?claim okg:hazardRatio ?hr ; okg:confidenceLevel ?level ; okg:endpoint ?e }",
        {"e": Iri("https://w3id.org/oncokg/ontology#OS")},
    )
    assert [(r["claim"], str(r["hr"]), str(r["level"])) for r in rows] == [
        ("https://w3id.org/oncokg/resource/s002-cmp-os", "0.73", "0.95")
    ]
    assert isinstance(rows[0]["claim"], Iri)


def test_language_tagged_binding(kg_both: OncoKG) -> None:
    rows = kg_both.select(
        "SELECT ?d WHERE { ?d rdfs:label ?l }", {"l": LangString("舒尼替尼", "zh-hans")}
    )
    assert [r["d"] for r in rows] == ["https://w3id.org/oncokg/resource/sunitinib"]


def test_several_alternatives_for_several_parameters(kg_both: OncoKG) -> None:
    """The exact look-up every name goes through first binds several literals and a class:
    each backend must find the drug there, not only in the slower fallback (Virtuoso lost
    these rows at 1M triples when they were one two-column VALUES block)."""
    texts = ["舒尼替尼", LangString("舒尼替尼", "en"), LangString("舒尼替尼", "zh-hans")]
    rows = kg_both.select(
        kg_both.catalogue()["resolve-exact"].sparql,
        {"text": texts, "class": Iri("https://w3id.org/oncokg/ontology#Drug")},
    )
    assert [r["entity"] for r in rows] == ["https://w3id.org/oncokg/resource/sunitinib"]


def test_ask_and_construct(kg_both: OncoKG) -> None:
    assert kg_both.ask("ASK { ?d okg:brandName ?b }", {"b": "LUMAKRAS"}) is True
    assert kg_both.ask("ASK { ?d okg:brandName ?b }", {"b": "NOPE"}) is False
    triples = kg_both.construct(
        "CONSTRUCT { ?d okg:brandName ?b } WHERE { ?d okg:brandName ?b ; a okg:Drug }"
    )
    assert sorted((str(s), str(o)) for s, _, o in triples) == [
        ("https://w3id.org/oncokg/resource/sotorasib", "LUMAKRAS"),
        ("https://w3id.org/oncokg/resource/sotorasib", "洛滿舒膜衣錠"),
    ]


def test_helpers_agree(kg_both: OncoKG) -> None:
    assert [d.drug_label for d in kg_both.drugs_targeting("PD-L1")] == ["atezolizumab"]
    assert [(lv.level, lv.discontinue) for lv in kg_both.dose_reduction("LUMAKRAS")] == [
        (0, None),
        (1, None),
        (2, None),
        (3, True),
    ]


def test_queries_joined_as_written_agree_on_virtuoso_for_every_drug(
    virtuoso_server: LocalVirtuoso, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``# join-order: written`` sends Virtuoso its written-order option, a mode that loses
    ``BIND`` values in some layouts (``trial-outcomes`` did, for 2 of regorafenib's 8 rows):
    each such query gives the embedded store's rows for every drug, and only these queries
    carry the option."""
    embedded = OncoKG.open()
    remote = OncoKG.connect(virtuoso_server.query_url, timeout=30)
    backend = remote.backend
    assert isinstance(backend, RemoteBackend)
    send, sent = backend._send, []

    def recording(method: str, url: str, body: bytes, headers: dict[str, str]) -> Response:
        sent.append(urllib.parse.parse_qs(body.decode())["query"][0])
        return send(method, url, body, headers)

    monkeypatch.setattr(backend, "_send", recording)
    assert remote.ask("ASK { }") is True and backend.virtuoso is True  # Virtuoso, known now
    written = sorted(n for n, q in load_catalogue().items() if joins_as_written(q.sparql))
    drugs = sorted(Iri(str(r["drug"])) for r in embedded.select(_DRUGS))
    cases, rows = 0, dict.fromkeys(written, 0)
    for name in written:
        for drug in drugs:
            mine = sorted(_cells(embedded.query(name, drug=drug)))
            theirs = sorted(_cells(remote.query(name, drug=drug)))
            assert theirs == mine, (name, drug)
            cases, rows[name] = cases + 1, rows[name] + len(mine)
    assert written == ["trial-comparisons", "trial-outcomes"]
    assert len(drugs) == 22 and cases == 44 and rows == ROWS_JOINED_AS_WRITTEN
    option = 'DEFINE sql:select-option "order" '
    assert [text.startswith(option) for text in sent] == [False] + [True] * cases
    remote.query("trials")
    assert not sent[-1].startswith(option)
    embedded.close()
    remote.close()


_GROUPED_DRUGS = (
    "SELECT DISTINCT ?drug WHERE { ?statement okg:therapy ?group . ?group okg:hasMember ?drug }"
)
ROWS_OF_GROUPED_DRUGS = 3399  # MOAlmanac's statements of the 107 drugs in therapy groups


def test_response_by_drug_finds_drugs_in_therapy_groups_on_virtuoso(
    virtuoso_server: LocalVirtuoso, tmp_path: Path
) -> None:
    """``response-by-drug`` finds a drug alone or in a therapy group (the second branch of
    its ``UNION``, which the curated graph never takes): on Virtuoso, the embedded store's
    rows for every drug of MOAlmanac's therapy groups. Then the server holds the curated
    graph alone again."""
    store = tmp_path / "store"
    done = run_oncokg(*moalmanac_command(store))
    assert done.returncode == 0, done.stderr
    embedded = OncoKG.open(store)
    assert isinstance(embedded.backend, EmbeddedBackend)
    imported = [g.value for g in embedded.backend.named_graphs if "moalmanac" in g.value]
    # by PUTs: Virtuoso refuses Basic credentials by closing the connection before it reads
    # a body this large (MOAlmanac's 38,551 triples), which broke the push ("Broken pipe")
    _push(virtuoso_server, None, store)
    try:
        remote = OncoKG.connect(virtuoso_server.query_url, timeout=30, all_sources=True)
        drugs = sorted(Iri(str(r["drug"])) for r in embedded.select(_GROUPED_DRUGS))
        rows = 0
        for drug in drugs:
            mine = embedded.query("response-by-drug", drug=drug)
            theirs = remote.query("response-by-drug", drug=drug)
            assert sorted(_cells(theirs)) == sorted(_cells(mine)), drug
            rows += len(mine)
        assert len(imported) == 1 and len(drugs) == 107 and rows == ROWS_OF_GROUPED_DRUGS
    finally:
        embedded.close()
        writer = RemoteBackend(
            virtuoso_server.query_url,
            store_url=virtuoso_server.store_url,
            user="dba",
            password=virtuoso_server.password,
        )
        for graph in imported:
            writer.drop(Iri(graph))
        _push(virtuoso_server, None)  # the entailments of the curated graph alone
    with OncoKG.connect(virtuoso_server.query_url, timeout=30, all_sources=True) as remote:
        assert isinstance(remote.backend, RemoteBackend)
        assert not [g for g in remote.backend.graphs if "moalmanac" in g]


def _cells(rows: Rows) -> list[list[str]]:
    return [[cell(v) for v in row.values] for row in rows]


def test_virtuoso_bulk_loader_loads_what_push_loaded(virtuoso_server: LocalVirtuoso) -> None:
    """The bulk loader (the path for tens of millions of triples) gives the graph that the
    Graph Store Protocol push gave, triple for triple."""
    kg = OncoKG.connect(virtuoso_server.query_url, timeout=30)
    pushed = kg.backend.triple_count([CURATED_GRAPH])
    folder = virtuoso_server.folder / "bulk"  # inside the server's DirsAllowed
    folder.mkdir()
    with OncoKG.open() as embedded:
        store = embedded.backend.store
        export(store, [ox.NamedNode(CURATED_GRAPH)], "ntriples", folder / "c.nt")
    bulk_load(virtuoso_server, folder, "*.nt", "urn:oncokg:test:bulk")
    loaded = kg.backend.triple_count([Iri("urn:oncokg:test:bulk")])
    assert loaded == pushed > 4000
    with pytest.raises(OncoKGError, match="unsafe"):
        bulk_load(virtuoso_server, folder, "*.nt'); DROP", "urn:x")
    with pytest.raises(OncoKGError, match=r"no file matches \*\.ttl"):  # not a silent no-op
        bulk_load(virtuoso_server, folder, "*.ttl", "urn:oncokg:test:bulk")
    assert kg.backend.triple_count([Iri("urn:oncokg:test:bulk")]) == loaded


def test_push_by_the_bulk_loader_replaces_the_graphs_push_gave(
    virtuoso_server: LocalVirtuoso,
) -> None:
    """``oncokg push --bulk-dir`` (Virtuoso's bulk loader, for tens of millions of triples)
    leaves each graph as the Graph Store Protocol push left it, removes its staged files, and
    changes nothing when the server cannot see the folder."""
    kg = OncoKG.connect(virtuoso_server.query_url, timeout=30)
    graphs = [ONTOLOGY_GRAPH, CURATED_GRAPH, INFERRED_GRAPH]
    before = {g: kg.backend.triple_count([g]) for g in graphs}
    staging = virtuoso_server.folder / "staging"  # inside the server's DirsAllowed
    staging.mkdir()

    def push(folder: Path) -> subprocess.CompletedProcess[str]:
        return run_oncokg(
            "push",
            virtuoso_server.query_url,
            "--bulk-dir",
            str(folder),
            "--isql-port",
            str(virtuoso_server.isql_port),
            env={"ONCOKG_PASSWORD": virtuoso_server.password},
        )

    virtuoso_server.isql(_FORGET_STATISTICS)
    assert _quad_statistics(virtuoso_server) == 0
    done = push(staging)
    assert done.returncode == 0, done.stderr
    data = before[ONTOLOGY_GRAPH] + before[CURATED_GRAPH]
    assert done.stdout.startswith(f"pushed {data} triples in 2 graphs to ")
    assert _quad_statistics(virtuoso_server) == 4  # G, S, P and O, for the next server start
    assert done.stderr.startswith("restart the server before it takes queries")
    assert {g: kg.backend.triple_count([g]) for g in graphs} == before
    assert before[CURATED_GRAPH] > 4000 and before[INFERRED_GRAPH] > 700
    assert list(staging.iterdir()) == []

    class OnAnotherMachine:
        """The real server, as seen from a machine where the staged folder does not exist."""

        def isql(self, statements: str, timeout: float = 3600) -> str:
            return virtuoso_server.isql(statements.replace("ld_dir('/", "ld_dir('/elsewhere/"))

    plan = [(CURATED_GRAPH, data_files())]
    with pytest.raises(OncoKGError, match=r"saw 0 of the 5 files .* nothing was changed"):
        bulk_push(OnAnotherMachine(), staging, plan)
    assert {g: kg.backend.triple_count([g]) for g in graphs} == before
    assert list(staging.iterdir()) == []


_FORGET_STATISTICS = "DELETE FROM DB.DBA.SYS_COL_STAT WHERE CS_TABLE = 'DB.DBA.RDF_QUAD';"


def _quad_statistics(server: LocalVirtuoso) -> int:
    """How many columns of Virtuoso's quad table have statistics (``analyze_quads``)."""
    answer = server.isql(
        "SELECT COUNT(*) FROM DB.DBA.SYS_COL_STAT WHERE CS_TABLE = 'DB.DBA.RDF_QUAD';"
    )
    return int(answer.split("______\n\n", 1)[1].split()[0])


def _push(server: LocalVirtuoso, bulk_dir: Path | None, store: Path | None = None) -> None:
    """``oncokg push`` to ``server``: by the bulk loader through ``bulk_dir``, or by PUTs;
    with the imported sources of ``store`` if given."""
    how = (
        ["--bulk-dir", str(bulk_dir), "--isql-port", str(server.isql_port)]
        if bulk_dir
        else ["--store-url", server.store_url, "--user", "dba"]
    )
    how += ["--store", str(store)] if store else []
    done = run_oncokg("push", server.query_url, *how, env={"ONCOKG_PASSWORD": server.password})
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def name_indexed(virtuoso_server: LocalVirtuoso) -> Iterator[OncoKG]:
    """The Virtuoso server after ``push --bulk-dir``, which gives it the index of the names."""
    staging = virtuoso_server.folder / "staging-names"  # inside the server's DirsAllowed
    staging.mkdir()
    _push(virtuoso_server, staging)
    with OncoKG.connect(virtuoso_server.query_url, timeout=30) as remote:
        yield remote


@pytest.fixture(scope="module")
def scanned() -> Iterator[OncoKG]:
    with OncoKG.open() as kg:
        yield kg


@pytest.mark.parametrize("text", TEXTS)
def test_a_search_narrowed_by_virtuoso_names_index_gives_the_rows_of_the_scan(
    name_indexed: OncoKG, scanned: OncoKG, text: str
) -> None:
    """Virtuoso's trigram index (``push --bulk-dir``) narrows every search of three characters
    or more, and the rows are those of the embedded store's scan of every name (sorted here:
    SPARQL leaves the order of names in different languages to the engine)."""
    assert isinstance(name_indexed.text_index, ServerNameIndex)
    narrowed = name_indexed.text_index.entities(text)
    assert (narrowed is None) == (len(text) < MIN_LENGTH)
    theirs = _cells(name_indexed.query("label-search", text=text))
    mine = _cells(scanned.query("label-search", text=text))
    assert sorted(theirs) == sorted(mine)


def test_a_push_by_puts_drops_the_names_index_and_a_bulk_push_restores_it(
    name_indexed: OncoKG, scanned: OncoKG, virtuoso_server: LocalVirtuoso, oxigraph_url: str
) -> None:
    """An index of names pushed before would hide names pushed since, so a push by PUTs drops
    it (``label-search`` scans); the index is only asked on Virtuoso."""
    sunitinib = "https://w3id.org/oncokg/resource/sunitinib"
    index = name_indexed.text_index
    assert index is not None and sunitinib in (index.entities("NITIN") or [])
    assert name_indexed.backend.triple_count([INDEX_GRAPH]) > 1500  # a name each, and a title
    _push(virtuoso_server, None)
    assert index.entities("NITIN") is None
    assert name_indexed.backend.triple_count([INDEX_GRAPH]) == 0
    found = [r["entity"] for r in name_indexed.query("label-search", text="NITIN")]
    assert sunitinib in found and len(found) == len(scanned.query("label-search", text="nitin"))
    _push(virtuoso_server, virtuoso_server.folder / "staging-names")
    assert sunitinib in (index.entities("nitin") or [])
    with OncoKG.connect(oxigraph_url, timeout=10) as oxigraph:
        assert oxigraph.text_index is not None and oxigraph.text_index.entities("nitin") is None
