"""The MOAlmanac importer on the real May 2026 draft, beside CIViC and DrugCentral in one store.

Expected answers come from the raw JSON files read here with the json module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from oncokg.api import OncoKG

from .conftest import SHARED, run_oncokg
from .test_hardening import one_error_line
from .test_import_civic import HGNC, import_command
from .test_import_drugcentral import drugcentral_command

MOA = SHARED / "data" / "moalmanac-2026-05"
GRAPH = "https://w3id.org/oncokg/graph/moalmanac/2026-05-07"


def _json(name: str) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads((MOA / f"{name}.json").read_text(encoding="utf-8"))
    return data


STATEMENTS = _json("statements")
PROPOSITIONS = {p["id"]: p for p in _json("propositions")}
BIOMARKERS = {b["id"]: b for b in _json("biomarkers")}
GENES = {g["id"]: g for g in _json("genes")}
THERAPIES = {t["id"]: t for t in _json("therapies")}
GROUPS = {g["id"]: g for g in _json("therapy_groups")}


def moalmanac_command(store: Path, folder: Path = MOA) -> list[str]:
    return ["import", "moalmanac", str(folder), "--store", str(store), "--hgnc", str(HGNC)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("moalmanac") / "store"
    for command in (moalmanac_command(path), import_command(path), drugcentral_command(path)):
        result = run_oncokg(*command)
        assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def kg(store: Path) -> OncoKG:
    return OncoKG.open(store)


def _moa_ids(rows: list[object]) -> set[int]:
    prefix = "moalmanac-statement-"
    return {int(str(r.statement).rsplit(prefix, 1)[1]) for r in rows if prefix in str(r.statement)}  # type: ignore[attr-defined]


def _extension(biomarker: dict[str, object], name: str) -> object:
    return next((e["value"] for e in biomarker["extensions"] if e["name"] == name), None)  # type: ignore[attr-defined, index]


def test_counts_licence_and_notice(kg: OncoKG) -> None:
    source = next(r for r in kg.query("sources") if str(r["source"]) == GRAPH)
    assert (len(STATEMENTS), source["skipped"]) == (1944, 0)
    assert source["statements"] == len(STATEMENTS) + len(FLAT_IN_SCOPE)
    assert source["licence"] == "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html"
    assert "research use only" in str(source["notice"])
    count = kg.select(
        "SELECT (COUNT(?s) AS ?n) WHERE { ?s okg:sourceRecord ?r "
        'FILTER (STRSTARTS(STR(?r), "urn:moalmanac:statement:")) }'
    )
    assert count[0]["n"] == len(STATEMENTS)


VARIANTS = ["KRAS G12C", "PDGFRA D842V", "KIT D816V", "BRAF V600E", "EGFR T790M"]


@pytest.mark.parametrize("name", VARIANTS)
def test_statements_for_a_variant(kg: OncoKG, name: str) -> None:
    symbol, change = name.split(" ")
    biomarkers = {
        b
        for b, item in BIOMARKERS.items()
        if _extension(item, "protein_change") == f"p.{change}"
        and [GENES[g]["name"] for g in item.get("genes") or []] == [symbol]  # type: ignore[attr-defined]
    }
    expected = {
        int(s["id"])
        for s in STATEMENTS  # type: ignore[call-overload]
        if biomarkers & set(PROPOSITIONS[s["proposition_id"]]["biomarkers"])
    }  # type: ignore[index, arg-type]
    assert expected, f"{name}: pick a variant MOAlmanac has statements for"
    assert _moa_ids(kg.evidence(variant=name)) == expected


DRUGS = ["sotorasib", "adagrasib", "avapritinib", "imatinib", "osimertinib"]


@pytest.mark.parametrize("name", DRUGS)
def test_statements_for_a_drug(kg: OncoKG, name: str) -> None:
    def names(proposition: dict[str, object]) -> set[str]:
        if proposition["therapy_id"] is not None:
            return {str(THERAPIES[proposition["therapy_id"]]["name"]).lower()}
        group = GROUPS[proposition["therapy_group_id"]]
        return {str(THERAPIES[t]["name"]).lower() for t in group["therapies"]}  # type: ignore[attr-defined]

    expected = {
        int(s["id"])
        for s in STATEMENTS  # type: ignore[call-overload]
        if name in names(PROPOSITIONS[s["proposition_id"]])
    }  # type: ignore[index]
    assert expected, f"{name}: pick a drug MOAlmanac has statements for"
    assert _moa_ids(kg.evidence(drug=name)) == expected
    assert len(VARIANTS) + len(DRUGS) == 10


def test_three_sources_side_by_side_for_pdgfra_d842v(kg: OncoKG) -> None:
    rows = kg.evidence(variant="PDGFRA D842V")
    sources = {r.source_label for r in rows}
    assert {"CIViC release 2024-08-01", "Molecular Oncology Almanac release 2026-05-07"} <= sources
    assert any(r.statement.endswith("s001-res-primary-d842v") for r in rows)  # curated
    avapritinib = [
        r for r in rows if r.therapy_label == "avapritinib" and "moalmanac-statement" in r.statement
    ]
    assert avapritinib and {(r.common_level, r.direction) for r in avapritinib} == {
        ("A", "supports")
    }


def test_no_duplicate_nodes_after_all_imports(kg: OncoKG) -> None:
    duplicates = kg.select(
        "SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE { "
        "{ ?x a okg:Gene ; okg:symbol ?key } UNION "
        "{ ?x a okg:Variant ; okg:gene/okg:symbol ?s ; okg:proteinChange ?c "
        "  BIND (CONCAT(?s, ?c) AS ?key) } "
        "UNION { ?x a okg:Drug ; rdfs:label ?l "
        '  FILTER (LANGMATCHES(LANG(?l), "en")) BIND (LCASE(STR(?l)) AS ?key) } '
        "UNION { ?x a okg:Disease ; okg:doid ?key } } GROUP BY ?key HAVING (COUNT(DISTINCT ?x) > 1)"
    )
    assert duplicates == []
    assert kg.resolve("KRAS G12C", "genotype") == ["https://w3id.org/oncokg/resource/KRAS-G12C"]


def test_export_can_leave_moalmanac_out(store: Path) -> None:
    result = run_oncokg(
        "export", "--store", str(store), "--exclude-source", "moalmanac", "--format", "ntriples"
    )
    assert result.returncode == 0 and "urn:moalmanac" not in result.stdout
    assert "civicdb.org" in result.stdout and "drugcentral" in result.stdout


def test_a_release_with_a_missing_or_broken_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "moa"
    shutil.copytree(MOA, folder)
    (folder / "therapies.json").unlink()
    assert "has no therapies.json" in one_error_line(
        run_oncokg(*moalmanac_command(tmp_path / "s", folder)), 2
    )
    shutil.copy(MOA / "therapies.json", folder / "therapies.json")
    (folder / "statements.json").write_text('[{"id": 0,', encoding="utf-8")
    line = one_error_line(run_oncokg(*moalmanac_command(tmp_path / "s", folder)), 2)
    assert "statements.json: is not valid JSON" in line
    assert not (tmp_path / "s" / "oncokg-store.json").exists()


# ---------------------------------------------------------------- the flat assertion file
FLAT = _json("molecular-oncology-almanac")
IMPLICATIONS = ("Guideline", "Clinical trial", "Clinical evidence", "Preclinical", "Inferential")
FLAT_IN_SCOPE = [
    a
    for a in FLAT
    if a["_deprecated"] is False
    and a["predictive_implication"] in IMPLICATIONS
    and str(a["therapy_name"]).strip()
]


def _assertion_ids(rows: list[object]) -> set[int]:
    prefix = "moalmanac-assertion-"
    return {int(str(r.statement).rsplit(prefix, 1)[1]) for r in rows if prefix in str(r.statement)}  # type: ignore[attr-defined]


def test_the_flat_file_brings_the_evidence_below_fda_approval(kg: OncoKG) -> None:
    assert (len(FLAT), len(FLAT_IN_SCOPE)) == (1018, 505)
    source = next(r for r in kg.query("sources") if str(r["source"]) == GRAPH)
    assert source["statements"] == len(STATEMENTS) + len(FLAT_IN_SCOPE)
    levels = kg.select(
        "SELECT ?level (COUNT(?s) AS ?n) WHERE { ?s okg:evidenceLevel/skos:notation ?level "
        'FILTER (STRSTARTS(STR(?s), "https://w3id.org/oncokg/resource/moalmanac-assertion-")) } '
        "GROUP BY ?level"
    )
    expected: dict[str, int] = {}
    for a in FLAT_IN_SCOPE:
        expected[str(a["predictive_implication"])] = (
            expected.get(str(a["predictive_implication"]), 0) + 1
        )
    assert {str(r["level"]): r["n"] for r in levels} == expected
    notes = sorted(
        str(r["note"])
        for r in kg.select(
            "SELECT ?note WHERE { ?release okg:outOfScope ?note "
            'FILTER (CONTAINS(STR(?release), "moalmanac")) }'
        )
    )
    deprecated = sum(1 for a in FLAT if a["_deprecated"] is True)
    approved = sum(
        1
        for a in FLAT
        if a["_deprecated"] is False and a["predictive_implication"] == "FDA-Approved"
    )
    assert [n.split(":")[0] for n in notes] == sorted(
        [
            f"{deprecated} rows",
            f"{approved} rows",
            f"{len(FLAT) - deprecated - approved - len(FLAT_IN_SCOPE)} rows",
        ]
    )


FLAT_DRUGS = ["imatinib", "olaparib", "vemurafenib", "erlotinib", "trametinib"]


@pytest.mark.parametrize("name", FLAT_DRUGS)
def test_flat_file_evidence_for_a_drug(kg: OncoKG, name: str) -> None:
    expected = {
        int(a["assertion_id"])  # type: ignore[call-overload]
        for a in FLAT_IN_SCOPE
        if name in [t.strip().lower() for t in str(a["therapy_name"]).split(" + ")]
    }
    assert expected, f"{name}: pick a drug the flat file has evidence for"
    assert _assertion_ids(kg.evidence(drug=name)) == expected


def test_flat_file_effects_directions_and_levels(kg: OncoKG) -> None:
    rows = kg.evidence(variant="ABL1 T315I")
    expected = {
        int(a["assertion_id"]): a  # type: ignore[call-overload]
        for a in FLAT_IN_SCOPE
        if a.get("gene") == "ABL1" and a.get("protein_change") == "p.T315I"
    }
    assert expected and _assertion_ids(rows) == set(expected)
    common = {"Guideline": "A", "Clinical trial": "B", "Clinical evidence": "C"}
    for row in rows:
        if "moalmanac-assertion-" not in row.statement:
            continue
        item = expected[int(row.statement.rsplit("-", 1)[1])]
        effect = "resistance" if item["therapy_resistance"] == 1 else "sensitivity"
        assert row.effect == effect
        direction = "disputes" if item["therapy_sensitivity"] == 0 else "supports"
        assert row.direction == direction
        assert row.common_level == common.get(str(item["predictive_implication"]), "D")
    disputed = [a for a in FLAT_IN_SCOPE if a["therapy_sensitivity"] == 0]
    found = kg.select(
        "SELECT (COUNT(?s) AS ?n) WHERE { ?s okg:direction okg:Disputes ; "
        "okg:effect okg:Sensitivity "
        'FILTER (CONTAINS(STR(?s), "moalmanac-assertion-")) }'
    )
    assert found[0]["n"] == len(disputed) == 17


def test_a_pmid_with_two_dois_in_the_file_gets_neither(kg: OncoKG) -> None:
    dois: dict[str, set[str]] = {}
    for a in FLAT_IN_SCOPE:
        if a["pmid"] and a["doi"]:
            dois.setdefault(str(a["pmid"]), set()).add(str(a["doi"]))
    conflicting = {p for p, d in dois.items() if len(d) > 1}
    assert conflicting == {"28283584"}
    recorded = kg.select("SELECT ?pmid ?doi WHERE { ?paper okg:pubmed ?pmid ; okg:doi ?doi }")
    by_pmid = {str(r["pmid"]).rsplit("/", 1)[1]: str(r["doi"]) for r in recorded}
    assert "28283584" not in by_pmid
    for pmid, doi in by_pmid.items():
        if pmid in dois:
            assert doi == "https://doi.org/" + dois[pmid].pop()


def test_diseases_coded_by_ncit_reach_their_doid_subtypes(tmp_path: Path, store: Path) -> None:
    from .test_import_civic import DOID

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    result = run_oncokg(
        "import", "disease-ontology", str(DOID), "--store", str(copy), "--release", "2024-07-23"
    )
    assert result.returncode == 0, result.stderr
    diseases = {d["id"]: d for d in _json("diseases")}
    mappings = {m["id"]: m for m in _json("mappings")}
    ncit = {
        str(d["name"]): [str(d["primary_coding_id"])]
        + [
            str(mappings[m]["coding_id"])
            for m in d["mappings"]
            if mappings[m]["relation"] == "exactMatch"
        ]  # type: ignore[attr-defined]
        for d in diseases.values()
    }
    assert [c for c in ncit["Renal Cell Carcinoma"] if c.startswith("ncit:")] == ["ncit:C9385"]
    terms = json.loads(DOID.read_text(encoding="utf-8"))
    rcc = [t["id"] for t in terms if {"id": "C9385", "namespace": "NCI"} in (t.get("xrefs") or [])]
    assert rcc == ["DOID:4450"]
    below: dict[str, set[str]] = {}
    for t in terms:
        for parent in (t.get("relations") or {}).get("is_a") or []:
            below.setdefault(parent, set()).add(t["id"])
    subtypes, todo = set(), ["DOID:4450"]
    while todo:
        current = todo.pop()
        subtypes.add(current.removeprefix("DOID:"))
        todo += sorted(below.get(current, set()))
    from .test_import_civic import IMPORTED

    civic = {
        r["evidence_id"]
        for r in IMPORTED
        if r["doid"] in subtypes
        and "everolimus" in [t.strip().lower() for t in r["therapies"].split(",")]
    }
    flat = {
        int(a["assertion_id"])  # type: ignore[call-overload]
        for a in FLAT_IN_SCOPE
        if "everolimus" in str(a["therapy_name"]).lower() and a["oncotree_code"] == "RCC"
    }
    assert len(civic) >= 2 and flat
    with OncoKG.open(copy) as kg:
        rows = kg.evidence(drug="everolimus", disease="okr:ncit-c9385", include_subtypes=True)
        alone = kg.evidence(drug="everolimus", disease="okr:ncit-c9385")
    found = {str(r.statement).rsplit("-", 1)[1] for r in rows if "civic-eid-" in r.statement}
    assert found == civic  # CIViC's, by DOID, reached from MOAlmanac's NCIt-coded disease
    assert flat <= _assertion_ids(alone) == _assertion_ids(rows)
    assert {r.statement for r in alone} < {r.statement for r in rows}
