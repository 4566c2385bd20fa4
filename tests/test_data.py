"""Checks of the curated data itself: canonical form, external identifiers against CIViC."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace

from oncokg.canonical import FMT_COMMAND, non_canonical
from oncokg.resources import data_files

OKG = Namespace("https://w3id.org/oncokg/ontology#")
CIVIC = Path(__file__).resolve().parents[2] / "shared" / "data" / "civic-2018"
DATA = Graph()
for _path in data_files():
    DATA.parse(_path)


def test_data_files_are_canonical() -> None:
    files = data_files()
    assert len(files) == 5
    bad = non_canonical(files)
    assert not bad, f"not in canonical form: {[str(p) for p in bad]}; run: {FMT_COMMAND}"


def _civic_rows() -> list[dict[str, str]]:
    path = CIVIC / "nightly-ClinicalEvidenceSummaries.tsv"
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def civic() -> list[dict[str, str]]:
    return _civic_rows()


def test_entrez_ids_agree_with_civic(civic: list[dict[str, str]]) -> None:
    civic_ids = {row["gene"]: row["entrez_id"] for row in civic}
    checked = 0
    for gene, entrez in DATA.subject_objects(OKG.ncbiGene):
        symbol = str(DATA.value(gene, OKG.symbol))
        if symbol in civic_ids:  # the rest are checked against HGNC below
            assert str(entrez).rsplit("/", 1)[1] == civic_ids[symbol], symbol
            checked += 1
    assert checked == 20


def test_gene_ids_agree_with_hgnc() -> None:
    hgnc_file = CIVIC.parent / "reference-2024-07" / "hgnc_entries.tsv"
    with hgnc_file.open(encoding="utf-8", newline="") as handle:
        hgnc = {r["Approved symbol"]: r for r in csv.DictReader(handle, delimiter="\t")}
    genes = set(DATA.subjects(RDF.type, OKG.Gene))
    assert len(genes) == 50  # 19 the documents name, 31 members of their families (and BCR)
    for gene in genes:
        row = hgnc[str(DATA.value(gene, OKG.symbol))]
        assert str(DATA.value(gene, OKG.hgnc)).rsplit("/", 1)[1] == row["HGNC ID"][5:], gene
        entrez = DATA.value(gene, OKG.ncbiGene)
        if entrez is not None:
            assert str(entrez).rsplit("/", 1)[1] == row["NCBI Gene ID(supplied by NCBI)"], gene
        uniprot = DATA.value(gene, OKG.uniprot)
        if uniprot is not None:
            assert str(uniprot).rsplit("/", 1)[1] in row["UniProt ID(supplied by UniProt)"], gene


def test_doids_agree_with_civic(civic: list[dict[str, str]]) -> None:
    civic_doids = {row["doid"] for row in civic if row["doid"]}
    doids = [str(d).rsplit("_", 1)[1] for d in DATA.objects(None, OKG.doid)]
    assert len(doids) == 6
    assert sorted(d for d in doids if d not in civic_doids) == []


# The common level a curated statement takes from the design of the study it rests on.
LEVEL_BY_DESIGN = {OKG.InVitro: OKG.LevelD, OKG.Retrospective: OKG.LevelC}


def test_curated_statements_support_their_proposition_at_their_study_level() -> None:
    statements = set(DATA.subjects(RDF.type, OKG.DrugResponseStatement))
    assert len(statements) == 31
    for statement in statements:
        assert list(DATA.objects(statement, OKG.direction)) == [OKG.Supports], statement
        studies = list(DATA.objects(statement, OKG.evidenceStudy))
        expected = {LEVEL_BY_DESIGN[d] for s in studies for d in DATA.objects(s, OKG.design)}
        assert set(DATA.objects(statement, OKG.commonEvidenceLevel)) == expected, statement
    levelled = [s for s in statements if (s, OKG.commonEvidenceLevel, None) in DATA]
    assert len(levelled) == 5  # the sorafenib statements of Heinrich's in vitro study
