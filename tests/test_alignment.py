"""Every external identifier the curated graph aligns to comes from the shared reference data.

Mappings are data in ``data/entities.ttl``; each test recomputes them from the shared files and
requires exactly the same set: none missing, none added (a wrong ID is worse than none).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef

from .conftest import REPO, SHARED

OKG = Namespace("https://w3id.org/oncokg/ontology#")
OBO = "http://purl.obolibrary.org/obo/"
DATA = SHARED / "data"


@pytest.fixture(scope="module")
def curated() -> Graph:
    graph = Graph()
    for path in sorted((REPO / "data").glob("*.ttl")):
        graph.parse(path)
    return graph


def _obo_terms(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n[Term]\n")


def _pairs(graph: Graph, kind: URIRef, predicate: URIRef) -> set[tuple[str, str]]:
    return {
        (str(s), str(o))
        for s in graph.subjects(RDF.type, kind)
        for o in graph.objects(s, predicate)
    }


def test_drug_ncit_and_chebi_come_from_moalmanac_and_the_ncit_map(curated: Graph) -> None:
    """A drug's NCIt concept is MOAlmanac's primary coding of the therapy of the same name;
    its ChEBI entity is what the NCIt map (shared reference data) gives for that concept."""
    drugs = {
        str(label).lower(): str(drug)
        for drug in curated.subjects(RDF.type, OKG.Drug)
        for label in curated.objects(drug, RDFS.label)
        if getattr(label, "language", None) == "en"
    }
    to_chebi: dict[str, list[str]] = {}
    with (DATA / "reference-2024-07" / "ncit_map.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["Target NS"] == "CHEBI":
                to_chebi.setdefault(row["NCIT ID"], []).append(row["Target ID"])
    therapies = json.loads((DATA / "moalmanac-2026-05" / "therapies.json").read_text("utf-8"))
    ncit, chebi = set(), set()
    for therapy in therapies:
        drug = drugs.get(therapy["name"].lower())
        if drug and therapy["primary_coding_id"].startswith("ncit:"):
            code = therapy["primary_coding_id"].removeprefix("ncit:")
            ncit.add((drug, f"{OBO}NCIT_{code}"))
            chebi |= {(drug, OBO + c.replace(":", "_")) for c in to_chebi.get(code, [])}
    assert _pairs(curated, OKG.Drug, OKG.ncit) == ncit
    assert _pairs(curated, OKG.Drug, OKG.chebi) == chebi
    assert (len(ncit), len(chebi)) == (9, 4)


def test_disease_ncit_codes_are_the_disease_ontologys_cross_references(curated: Graph) -> None:
    doids = {
        str(o).removeprefix(OBO + "DOID_"): str(s) for s, o in curated.subject_objects(OKG.doid)
    }
    expected = set()
    for term in _obo_terms(DATA / "disease-ontology-2026-07" / "NCIthesaurus.obo"):
        found = re.search(r"^id: DOID:(\d+)$", term, re.MULTILINE)
        if found and found[1] in doids:
            codes = re.findall(r"^xref: NCI:(C\d+)$", term, re.MULTILINE)
            expected |= {(doids[found[1]], f"{OBO}NCIT_{code}") for code in codes}
    assert _pairs(curated, OKG.Disease, OKG.ncit) == expected
    assert (len(doids), len(expected)) == (6, 10)


def test_variant_types_and_hgvs_come_from_civic_and_the_sequence_ontology(curated: Graph) -> None:
    """A protein-change variant's SO type and HGVS expressions are CIViC's (2024-08), the SO
    term read from the Sequence Ontology by the name CIViC gives."""
    so_ids = {}
    for term in _obo_terms(DATA / "sequence-ontology-2024-11" / "so.obo"):
        id_, name = (
            re.search(r"^id: SO:(\d+)$", term, re.M),
            re.search(r"^name: (\S+)$", term, re.M),
        )
        if id_ and name:
            so_ids[name[1]] = f"{OBO}SO_{id_[1]}"
    variants = {}
    for variant, change in curated.subject_objects(OKG.proteinChange):
        symbol = curated.value(curated.value(variant, OKG.gene), OKG.symbol)
        variants[(str(symbol), str(change).removeprefix("p."))] = str(variant)
    types, hgvs, links = set(), set(), set()
    summaries = DATA / "civic-2024-08" / "01-Aug-2024-VariantSummaries.tsv"
    with summaries.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            variant = variants.get((row["gene"], row["variant"]))
            if variant is None:
                continue
            types |= {(variant, so_ids[t.strip()]) for t in row["variant_types"].split(",")}
            hgvs |= {(variant, h.strip()) for h in row["hgvs_descriptions"].split(",")}
            links.add((variant, row["variant_civic_url"]))
    typed = {(str(s), str(o)) for s, o in curated.subject_objects(OKG.variantType)}
    written = {(str(s), str(o)) for s, o in curated.subject_objects(OKG.hgvs)}
    civic = {
        (str(s), str(o))
        for s, o in curated.subject_objects(OKG.crossReference)
        if str(o).startswith("https://civicdb.org/")
    }
    assert (typed, written, civic) == (types, hgvs, links)
    assert len(variants) == 6 and {o for _, o in typed} == {OBO + "SO_0001583"}
    assert len(written) == 24
