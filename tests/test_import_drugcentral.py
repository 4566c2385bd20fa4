"""The DrugCentral importer on the real 2018 table, beside CIViC in one store.

Expected answers come from the raw table read here with the csv module.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest

from oncokg.api import OncoKG
from oncokg.disk_store import MARKER

from .conftest import SHARED, run_oncokg
from .test_hardening import one_error_line
from .test_import_civic import HGNC, import_command

TABLE = SHARED / "data" / "drugcentral" / "drug.target.interaction.2018.tsv.gz"
GRAPH = "https://w3id.org/oncokg/graph/drugcentral/2018-01"
SALTS = ("mesylate", "hydrochloride", "acetate", "sodium", "maleate", "sulfate")

with gzip.open(TABLE, "rt", encoding="utf-8", newline="") as _handle:
    ROWS = list(csv.DictReader(_handle, delimiter="\t"))
with HGNC.open(encoding="utf-8", newline="") as _handle:
    _APPROVED = [r for r in csv.DictReader(_handle, delimiter="\t") if r["Status"] == "Approved"]
SYMBOL = {r["Approved symbol"]: r["Approved symbol"] for r in _APPROVED}
for _record in _APPROVED:  # aliases and previous symbols name the approved symbol
    for _alias in f"{_record['Alias symbols']},{_record['Previous symbols']}".split(","):
        SYMBOL.setdefault(_alias.strip().upper(), _record["Approved symbol"])
IN_SCOPE = [
    r for r in ROWS if r["ORGANISM"] == "Homo sapiens" and (r["ACTION_TYPE"] or r["MOA"] == "1")
]


def _drug(name: str) -> str:
    words = name.lower().split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1] in SALTS else " ".join(words)


def drugcentral_command(store: Path, table: Path = TABLE) -> list[str]:
    return [
        "import",
        "drugcentral",
        str(table),
        "--store",
        str(store),
        "--hgnc",
        str(HGNC),
        "--release",
        "2018-01",
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("drugcentral") / "store"
    for command in (drugcentral_command(path), import_command(path)):
        result = run_oncokg(*command)
        assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def kg(store: Path) -> OncoKG:
    return OncoKG.open(store)


def test_counts_agree_with_the_raw_table(kg: OncoKG) -> None:
    assert (len(ROWS), len(IN_SCOPE)) == (16702, 2698)
    pairs = {
        (r["STRUCT_ID"], SYMBOL.get(g) or SYMBOL[g.upper()])
        for r in IN_SCOPE
        for g in r["GENE"].split("|")
        if g
    }
    source = next(r for r in kg.query("sources") if str(r["source"]) == GRAPH)
    assert (source["statements"], source["skipped"]) == (len(pairs), 0)
    assert source["licence"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert "share derived data under the same licence" in str(source["notice"])
    notes = sorted(
        str(r["note"])
        for r in kg.select(
            "SELECT ?note WHERE { ?r a okg:KnowledgeBaseRelease ; okg:outOfScope ?note ; "
            'okg:releaseDate ?d FILTER (STR(?d) = "2018-01") }'
        )
    )
    human = [r for r in ROWS if r["ORGANISM"] == "Homo sapiens"]
    assert notes == sorted(
        [
            f"{len(human) - len(IN_SCOPE)} rows: activity measurements without an action type",
            f"{len(ROWS) - len(human)} rows: targets of other organisms",
        ]
    )


GENES = ["EGFR", "ABL1", "KIT", "BRAF", "ALK", "KDR"]


@pytest.mark.parametrize("gene", GENES)
def test_drugs_targeting_a_gene(kg: OncoKG, gene: str) -> None:
    expected = {_drug(r["DRUG_NAME"]) for r in IN_SCOPE if gene in r["GENE"].split("|")}
    found = kg.drugs_targeting(gene)
    from_drugcentral = {d.drug_label for d in found if d.source == "DrugCentral release 2018-01"}
    assert from_drugcentral == expected and expected
    assert {d.licence for d in found if d.source.startswith("DrugCentral")} == {
        "https://creativecommons.org/licenses/by-sa/4.0/"
    }


@pytest.mark.parametrize("drug", ["imatinib", "sunitinib", "gefitinib", "sorafenib"])
def test_targets_of_a_drug(kg: OncoKG, drug: str) -> None:
    expected = {
        SYMBOL.get(g) or SYMBOL[g.upper()]
        for r in IN_SCOPE
        if _drug(r["DRUG_NAME"]) == drug
        for g in r["GENE"].split("|")
    }
    found = {
        t.target.rsplit("/", 1)[1]
        for t in kg.targets_of(drug)
        if t.source.startswith("DrugCentral")
    }
    assert found == expected and expected


def test_imatinib_now_has_its_abl1_target(kg: OncoKG) -> None:
    abl1 = [t for t in kg.targets_of("imatinib") if t.target.endswith("/ABL1")]
    assert [(t.action, t.mechanism_of_action) for t in abl1] == [("inhibits", True)]
    assert len(GENES) + 4 == 10


def test_no_duplicate_nodes_after_both_imports(kg: OncoKG) -> None:
    duplicates = kg.select(
        "SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE { "
        "{ ?x a okg:Gene ; okg:symbol ?key } UNION "
        "{ ?x a okg:Drug ; rdfs:label ?l "
        '  FILTER (LANGMATCHES(LANG(?l), "en")) BIND (LCASE(STR(?l)) AS ?key) } '
        "UNION { ?x a okg:Disease ; okg:doid ?key } } GROUP BY ?key HAVING (COUNT(DISTINCT ?x) > 1)"
    )
    assert duplicates == []
    imatinib = kg.resolve("imatinib", "drug")
    assert imatinib == ["https://w3id.org/oncokg/resource/imatinib"]
    counts = kg.select(
        "SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { okr:imatinib ?p ?o } "
        "FILTER (?g != <https://w3id.org/oncokg/graph/inferred>) }"
    )
    assert counts[0]["graphs"] == 2  # curated, and DrugCentral's ID for it; CIViC only refers


def test_reimport_changes_nothing(store: Path) -> None:
    marker = (store / MARKER).read_bytes()
    result = run_oncokg(*drugcentral_command(store))
    assert result.returncode == 0 and "nothing changed" in result.stdout
    assert (store / MARKER).read_bytes() == marker


def test_a_table_of_another_layout_is_refused(tmp_path: Path) -> None:
    civic = SHARED / "data" / "civic-2024-08" / "01-Aug-2024-ClinicalEvidenceSummaries.tsv"
    line = one_error_line(run_oncokg(*drugcentral_command(tmp_path / "s", civic)), 2)
    assert "lacks the columns DRUG_NAME" in line and "DrugCentral drug-target interaction" in line
    damaged = tmp_path / "damaged.tsv.gz"
    damaged.write_bytes(TABLE.read_bytes()[:5000])
    line = one_error_line(run_oncokg(*drugcentral_command(tmp_path / "s", damaged)), 2)
    assert "damaged gzip file" in line
    assert not (tmp_path / "s" / MARKER).exists()


def test_sources_lists_every_release_with_its_licence(store: Path) -> None:
    result = run_oncokg("sources", "--store", str(store), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["title"], r["licence"]) for r in rows] == [
        ("CIViC", "https://creativecommons.org/publicdomain/zero/1.0/"),
        ("DrugCentral", "https://creativecommons.org/licenses/by-sa/4.0/"),
        ("OncoKG curated graph", "https://creativecommons.org/licenses/by/4.0/"),
        ("OncoKG ontology graph", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ]
