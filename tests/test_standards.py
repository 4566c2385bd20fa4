"""What OncoKG writes means the same in every tool: exports, literals, language tags, ontology.

The peer tools themselves (Jena, the OWL API) run in ``tests/peer/``; these checks need only
rdflib and pyoxigraph, which read RDF independently of each other.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from oncokg.api import OncoKG, source_plan
from oncokg.backend import CURATED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from oncokg.terms import Iri, LangString
from oncokg.validation import validate

from .conftest import REPO

SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
OKG = rdflib.Namespace("https://w3id.org/oncokg/ontology#")


def _files_graph(paths: list[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def kg() -> OncoKG:
    return OncoKG.open()


@pytest.fixture(scope="module")
def plan() -> dict[str, list[Path]]:
    return {str(graph): list(paths) for graph, paths in source_plan()}


def _export(kg: OncoKG, fmt: str) -> bytes:
    buffer = io.BytesIO()
    kg.export(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("turtle", "turtle"), ("ntriples", "nt")])
def test_export_is_isomorphic_to_the_files(
    kg: OncoKG, plan: dict[str, list[Path]], fmt: str, rdflib_format: str
) -> None:
    """Term for term (lexical forms and language tags included), not only as many triples."""
    files = _files_graph([path for paths in plan.values() for path in paths])
    exported = rdflib.Graph().parse(data=_export(kg, fmt), format=rdflib_format)
    assert len(exported) == len(files) > 8000
    assert isomorphic(exported, files)


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_quad_exports_keep_every_named_graph(
    kg: OncoKG, plan: dict[str, list[Path]], fmt: str
) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(data=_export(kg, fmt), format=fmt)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == set(plan) == {str(ONTOLOGY_GRAPH), str(CURATED_GRAPH)}
    for name, paths in plan.items():
        assert isomorphic(dataset.graph(rdflib.URIRef(name)), _files_graph(paths)), name


def test_a_store_loaded_from_the_trig_export_answers_graph_size(kg: OncoKG) -> None:
    """Loaded into another store, the TriG export answers the graph queries as the original."""
    store = ox.Store()
    store.load(_export(kg, "trig"), format=ox.RdfFormat.TRIG)
    names = [row["graph"] for row in kg.query("named-graphs") if row["graph"] != INFERRED_GRAPH]
    assert len(names) == 2  # the inferred graph is derived, so it is not exported
    for name in names:
        size = kg.query("graph-size", graph=name)[0]["triples"]
        reloaded = ox.NamedNode(str(name))
        assert sum(1 for _ in store.quads_for_pattern(None, None, None, reloaded)) == size > 0


def test_curated_files_hold_the_literals_the_store_keeps(plan: dict[str, list[Path]]) -> None:
    """Every literal is written in the store's canonical form: lower-case language tags,
    canonical decimals; so the store, the export and the files agree byte for byte on terms."""
    paths = [path for paths in plan.values() for path in paths]
    checked = 0
    for path in paths:
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        written = {
            (t.subject, t.predicate, t.object)
            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            if isinstance(t.object, ox.Literal)
        }
        kept = {
            (q.subject, q.predicate, q.object) for q in store if isinstance(q.object, ox.Literal)
        }
        rewritten = sorted(str(t[2]) for t in written - kept)
        assert not rewritten, f"{path.name}: not in canonical form: {rewritten[:5]}"
        checked += len(written)
    assert checked > 3000


def test_language_filters_find_the_chinese_names(kg: OncoKG) -> None:
    """The tag as BCP 47 writes it (zh-Hans) and as the store keeps it both find the names."""
    for tag in ("zh-Hans", "zh-hans", "ZH-HANS"):
        rows = kg.select(
            "SELECT ?label WHERE { ?s rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), ?tag)) }",
            {"tag": tag},
        )
        assert len(rows) > 100, tag
    hit = kg.select(
        "SELECT ?d WHERE { ?d rdfs:label ?l }", {"l": LangString("舒尼替尼", "zh-Hans")}
    )
    assert [str(r["d"]).rsplit("/", 1)[1] for r in hit] == ["sunitinib"]


def test_catalogue_compares_language_tags_with_langmatches() -> None:
    """``LANG(?x) = "en"`` misses ``en-GB``; and for mixed-case tags the case would decide."""
    equality = re.compile(r'LANG\(\?\w+\)\s*!?=\s*"[^"]')  # = "" (no tag at all) is fine
    queries = sorted((REPO / "queries").glob("*.rq"))
    offending = [p.name for p in queries if equality.search(p.read_text(encoding="utf-8"))]
    assert len(queries) == 58 and offending == []


def test_cross_references_do_not_entail_skos_concepts(tmp_path: Path) -> None:
    """With SKOS's own axioms loaded (exactMatch -> mappingRelation -> semanticRelation,
    whose domain and range are skos:Concept), no curated entity becomes a skos:Concept."""
    skos_axioms = """
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix owl: <http://www.w3.org/2002/07/owl#> .
    skos:exactMatch rdfs:subPropertyOf skos:closeMatch ; a owl:TransitiveProperty .
    skos:closeMatch rdfs:subPropertyOf skos:mappingRelation .
    skos:mappingRelation rdfs:subPropertyOf skos:semanticRelation .
    skos:semanticRelation rdfs:domain skos:Concept ; rdfs:range skos:Concept .
    """
    axioms = tmp_path / "skos-axioms.ttl"
    axioms.write_text(skos_axioms, encoding="utf-8")
    with OncoKG.open() as kg:
        kg.backend.load([axioms], Iri("https://w3id.org/oncokg/graph/skos"))
        crossed = kg.select("SELECT (COUNT(*) AS ?n) { ?e okg:crossReference ?x }")[0]["n"]
        typed = kg.select("SELECT ?e { ?e okg:crossReference ?x . ?e a skos:Concept }")
        mapped = kg.select("SELECT ?e { ?e skos:semanticRelation ?x }")
        entailed = list(kg.backend.results("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
    assert crossed > 100  # the inferred graph sees the cross-references under their parent
    assert [r["e"] for r in typed] == [] and list(mapped) == []
    closure = tmp_path / "closure.nt"
    ox.serialize(entailed, str(closure), ox.RdfFormat.N_TRIPLES)
    report = validate([closure])
    assert report.triple_count >= len(entailed) > 8000
    assert report.conforms, report.render("text", limit=5)
