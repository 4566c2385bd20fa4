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
