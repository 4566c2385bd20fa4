"""One compliance suite, run against both backends: the embedded store and a live Oxigraph
server loaded through ``oncokg push``. Both must give the expected rows, hence identical ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oncokg.api import OncoKG
from oncokg.catalogue import load_catalogue
from oncokg.output import cell
from oncokg.terms import Iri, LangString

from .test_catalogue import expected_rows

NAMES = sorted(load_catalogue())


@pytest.fixture(scope="module", params=["embedded", "remote"])
def kg(request: pytest.FixtureRequest) -> Iterator[OncoKG]:
    if request.param == "embedded":
        graph = OncoKG.open()
    else:
        graph = OncoKG.connect(request.getfixturevalue("oxigraph_url"), timeout=10)
    yield graph
    graph.close()


@pytest.mark.parametrize("name", NAMES)
def test_catalogue_query(kg: OncoKG, name: str) -> None:
    params, _, rows = expected_rows(name)
    assert [[cell(v) for v in r.values] for r in kg.query(name, **params)] == rows


def test_compliance_suite_size() -> None:
    assert len(NAMES) == 29


def test_select_with_bindings_and_types(kg: OncoKG) -> None:
    rows = kg.select(
        "SELECT ?claim ?hr ?level WHERE { "
        "?claim okg:hazardRatio ?hr ; okg:confidenceLevel ?level ; okg:endpoint ?e }",
        {"e": Iri("https://w3id.org/oncokg/ontology#OS")},
    )
    assert [(r["claim"], str(r["hr"]), str(r["level"])) for r in rows] == [
        ("https://w3id.org/oncokg/resource/s002-cmp-os", "0.73", "0.95")
    ]
    assert isinstance(rows[0]["claim"], Iri)


def test_language_tagged_binding(kg: OncoKG) -> None:
    rows = kg.select(
        "SELECT ?d WHERE { ?d rdfs:label ?l }", {"l": LangString("舒尼替尼", "zh-Hans")}
    )
    assert [r["d"] for r in rows] == ["https://w3id.org/oncokg/resource/sunitinib"]


def test_ask_and_construct(kg: OncoKG) -> None:
    assert kg.ask("ASK { ?d okg:brandName ?b }", {"b": "LUMAKRAS"}) is True
    assert kg.ask("ASK { ?d okg:brandName ?b }", {"b": "NOPE"}) is False
    triples = kg.construct(
        "CONSTRUCT { ?d okg:brandName ?b } WHERE { ?d okg:brandName ?b ; a okg:Drug }"
    )
    assert sorted((str(s), str(o)) for s, _, o in triples) == [
        ("https://w3id.org/oncokg/resource/sotorasib", "LUMAKRAS"),
        ("https://w3id.org/oncokg/resource/sotorasib", "洛滿舒膜衣錠"),
    ]


def test_helpers_agree(kg: OncoKG) -> None:
    assert [d.drug_label for d in kg.drugs_targeting("PD-L1")] == ["atezolizumab"]
    assert [(lv.level, lv.discontinue) for lv in kg.dose_reduction("LUMAKRAS")] == [
        (0, None),
        (1, None),
        (2, None),
        (3, True),
    ]
