"""The name index of a built store narrows ``label-search`` and never changes its rows: every
search on a store folder (index) gives exactly the rows of the same search in memory (a scan
of every name)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncokg.api import OncoKG
from oncokg.catalogue import parse_query_file
from oncokg.errors import ParameterError
from oncokg.text_index import MIN_LENGTH, TextIndex

TEXTS_PER_KIND = 40


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> OncoKG:
    return OncoKG.open(tmp_path_factory.mktemp("names") / "store")


@pytest.fixture(scope="module")
def scanned() -> OncoKG:
    return OncoKG.open()


def _texts() -> list[str]:
    """Parts of the graph's real names: whole words, their middles, Chinese runs, mixed case,
    texts with SQL and FTS syntax, and texts too short for the index."""
    with OncoKG.open() as kg:
        names = sorted({str(r["name"]) for r in kg.select(_NAMES)})
    words = sorted({w for n in names for w in re.findall(r"[A-Za-z0-9-]{4,}", n)})
    step = max(1, len(words) // TEXTS_PER_KIND)
    picked = words[::step][:TEXTS_PER_KIND]
    chinese = sorted({m for n in names for m in re.findall(r"[\u4e00-\u9fff]{3,}", n)})
    step = max(1, len(chinese) // TEXTS_PER_KIND)
    return [
        *picked,
        *(w[1:-1].upper() for w in picked),
        *chinese[::step][:TEXTS_PER_KIND],
        *(c[:2] for c in chinese[:5]),
        '" OR "',
        "NEAR(kit",
        "100%",
        "a_b",
        "kit*",
        "xyzzy-not-a-name",
    ]


_NAMES = """SELECT DISTINCT ?name WHERE {
  { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } UNION { ?e okg:brandName ?name } }"""
TEXTS = _texts()


def test_the_texts_cover_every_kind() -> None:
    assert len(TEXTS) == 2 * TEXTS_PER_KIND + 40 + 5 + 6  # the graph has 40+ Chinese runs


@pytest.mark.parametrize("text", TEXTS)
def test_an_indexed_search_gives_the_rows_of_the_scan(
    built: OncoKG, scanned: OncoKG, text: str
) -> None:
    assert built.text_index is not None
    narrowed = built.text_index.entities(text)
    assert (narrowed is None) == (len(text) < MIN_LENGTH)
    assert list(built.query("label-search", text=text)) == list(
        scanned.query("label-search", text=text)
    )


def test_the_index_narrows_to_the_entities_named(built: OncoKG) -> None:
    assert built.text_index is not None
    sunitinib = "https://w3id.org/oncokg/resource/sunitinib"
    section = "https://w3id.org/oncokg/resource/sec-001-2-1-1"  # its title names sunitinib
    assert built.text_index.entities("舒尼替尼") == [section, sunitinib]
    assert built.text_index.entities("SUNITINIB") == built.text_index.entities("sunitinib")
    assert sunitinib in (built.text_index.entities("nitin") or [])


def test_a_store_in_memory_has_no_index(scanned: OncoKG) -> None:
    assert scanned.text_index is None and TextIndex.of_build(None) is None


def test_a_bad_text_index_header_names_the_file(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text(
        "# title: t\n# description: d\n# param: text | string | x | the text\n"
        "# text-index: text => entity\nSELECT * { ?s ?p ?o }\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match=r"q\.rq: bad '# text-index:' line"):
        parse_query_file(query)


def test_the_index_holds_the_properties_the_query_searches() -> None:
    """Were ``label-search`` to search one more property, the index would hide its matches."""
    from oncokg.catalogue import get_query
    from oncokg.namespaces import PREFIXES
    from oncokg.text_index import NAME_PROPERTIES

    query = get_query("label-search").sparql
    searched = re.findall(r"\{ \?entity (\w+):(\w+) \?matched \}", query)
    assert {PREFIXES[p] + local for p, local in searched} == {p.value for p in NAME_PROPERTIES}
    assert len(searched) == 3 and get_query("label-search").text_index == ("text", "entity")


def test_virtuoso_names_index_holds_every_trigram_of_every_name(scanned: OncoKG) -> None:
    """The graph ``push --bulk-dir`` gives Virtuoso: one literal per name of three characters
    or more, holding the word of each of its trigrams, so that asking for a text's trigrams
    finds every name that contains the text."""
    import pyoxigraph as ox

    from oncokg.embedded import EmbeddedBackend
    from oncokg.name_trigrams import INDEX_GRAPH, TRIGRAMS, trigram_ntriples, trigram_words

    backend = scanned.backend
    assert isinstance(backend, EmbeddedBackend)
    scanned.query("graph-size", graph="okg:curated")  # the entailments are computed now
    names = {(str(r["e"]), str(r["name"]).lower()) for r in scanned.select(_NAMES_OF)}
    text = "".join(trigram_ntriples(backend.store, backend.dataset)).encode()
    triples = set(ox.parse(text, ox.RdfFormat.N_TRIPLES))
    words = {(t.subject.value, t.object.value) for t in triples if t.predicate.value == TRIGRAMS}
    long_names = {(entity, name) for entity, name in names if len(name) >= MIN_LENGTH}
    assert words == {(entity, " ".join(trigram_words(name))) for entity, name in long_names}
    assert len(long_names) > 1500 and len(triples) == len(long_names) + 1  # and the title
    assert {t.subject.value for t in triples if t.predicate.value != TRIGRAMS} == {INDEX_GRAPH}
    assert trigram_words("KIT") == trigram_words("kit") == ["t6b6974"]


def test_a_free_text_expression_takes_only_trigram_words() -> None:
    """The expression is written into the query text (``bif:contains`` takes no bound value):
    anything but a hex word is refused, and the query has one place for it."""
    from oncokg.catalogue import queries_dir
    from oncokg.errors import OncoKGError
    from oncokg.name_trigrams import free_text_expression
    from oncokg.text_index import MAX_ENTITIES

    with pytest.raises(OncoKGError, match="not an expression of trigram words"):
        free_text_expression(["t6b6974' OR 'x"])
    with pytest.raises(OncoKGError, match="not an expression of trigram words"):
        free_text_expression([])
    query = parse_query_file(queries_dir() / "virtuoso" / "name-trigrams.rq").sparql
    assert query.count("?expression") == 1 and f"LIMIT {MAX_ENTITIES + 1}" in query


_NAMES_OF = """SELECT DISTINCT ?e ?name WHERE {
  { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } UNION { ?e okg:brandName ?name }
  FILTER (isIRI(?e)) }"""
