"""Names a researcher types resolve to the graph's entities, or fail loudly with a suggestion.

Expected entities are read from the curated data with rdflib (a path apart from the store and
the resolve queries).
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef

from oncokg.api import OncoKG
from oncokg.errors import NotFound
from oncokg.resources import data_files

from .conftest import run_oncokg
from .test_hardening import one_error_line

OKG = Namespace("https://w3id.org/oncokg/ontology#")
OKR = "https://w3id.org/oncokg/resource/"
DATA = Graph()
for _path in data_files():
    DATA.parse(_path)


@pytest.fixture(scope="module")
def kg() -> OncoKG:
    return OncoKG.open()


def _holder(prop: URIRef, value: str) -> str:
    (subject,) = DATA.subjects(prop, URIRef(value))
    return str(subject)


IDENTIFIERS = [
    ("HGNC:6342", "gene", OKG.hgnc, "http://identifiers.org/hgnc/6342"),
    ("hgnc:6342", "target", OKG.hgnc, "http://identifiers.org/hgnc/6342"),
    ("ncbigene:3815", "gene", OKG.ncbiGene, "http://identifiers.org/ncbigene/3815"),
    ("chembl:CHEMBL941", "drug", OKG.chembl, "http://identifiers.org/chembl.compound/CHEMBL941"),
    ("CHEMBL941", "drug", OKG.chembl, "http://identifiers.org/chembl.compound/CHEMBL941"),
    ("DOID:9253", "disease", OKG.doid, "http://purl.obolibrary.org/obo/DOID_9253"),
    (
        "http://identifiers.org/hgnc/6342",
        "gene",
        OKG.hgnc,
        "http://identifiers.org/hgnc/6342",
    ),
]


@pytest.mark.parametrize(("text", "kind", "prop", "value"), IDENTIFIERS)
def test_identifiers_in_any_common_form(
    kg: OncoKG, text: str, kind: str, prop: URIRef, value: str
) -> None:
    assert kg.resolve(text, kind) == [_holder(prop, value)]


def test_identifier_count() -> None:
    assert len(IDENTIFIERS) == 7


def test_an_hgnc_number_is_not_read_as_an_ncbi_gene_number(kg: OncoKG) -> None:
    """KIT is HGNC:6342 and NCBI Gene 3815: each prefix reads its own property only."""
    with pytest.raises(NotFound):
        kg.resolve("HGNC:3815", "gene")
    with pytest.raises(NotFound):
        kg.resolve("ncbigene:6342", "gene")


@pytest.mark.parametrize(
    ("text", "kind", "entity"),
    [
        ("洛滿舒", "drug", "sotorasib"),  # the brand name without its dosage form (膜衣錠)
        ("洛滿舒膜衣錠", "drug", "sotorasib"),
        ("lumakras", "drug", "sotorasib"),
        ("Hsp90", "target", "family-hsp90"),  # "Hsp90 (heat shock protein 90)"
        ("heat shock protein 90", "target", "family-hsp90"),
        ("okr:imatinib", "drug", "imatinib"),
    ],
)
def test_names_resolve(kg: OncoKG, text: str, kind: str, entity: str) -> None:
    assert kg.resolve(text, kind) == [OKR + entity]


@pytest.mark.parametrize(
    "text", ["okr:no-such-drug", "https://w3id.org/oncokg/resource/KIT", "chembl:CHEMBL1"]
)
def test_an_iri_that_names_no_drug_is_not_found(kg: OncoKG, text: str) -> None:
    with pytest.raises(NotFound, match="is no drug of the graph"):
        kg.resolve(text, "drug")


def test_a_misspelt_name_gets_suggestions(kg: OncoKG) -> None:
    with pytest.raises(NotFound, match="did you mean 'imatinib'"):
        kg.resolve("imatinb", "drug")


def test_the_command_line_exits_1_for_an_unknown_iri_never_0_with_no_rows() -> None:
    result = run_oncokg("query", "targets-of-drug", "-p", "drug", "okr:no-such-drug")
    line = one_error_line(result, 1)
    assert "no drug named 'okr:no-such-drug'" in line
    result = run_oncokg("query", "targets-of-drug", "-p", "drug", "sorafenb")
    assert "did you mean 'sorafenib'" in one_error_line(result, 1)
