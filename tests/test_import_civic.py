"""The CIViC importer on the real August 2024 release, checked against the raw files.

Expected answers are computed here with the csv module straight from the TSV files (a code
path apart from the importer), then asked of the graph through the public API.
"""

from __future__ import annotations

import csv
import json
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from oncokg.api import OncoKG
from oncokg.backend import CURATED_GRAPH, ONTOLOGY_GRAPH
from oncokg.disk_store import MARKER
from oncokg.terms import Iri

from .conftest import REPO, SHARED, run_oncokg
from .test_hardening import one_error_line

CIVIC = SHARED / "data" / "civic-2024-08"
CIVIC_V1 = SHARED / "data" / "civic-2018"
HGNC = SHARED / "data" / "reference-2024-07" / "hgnc_entries.tsv"
SO = SHARED / "data" / "sequence-ontology-2024-11" / "so.obo"
DOID = SHARED / "data" / "reference-2024-07" / "doid.json"
GRAPH = "https://w3id.org/oncokg/graph/civic/2024-08-01"


def _tsv(name: str) -> list[dict[str, str]]:
    with (CIVIC / f"01-Aug-2024-{name}.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


EVIDENCE = _tsv("ClinicalEvidenceSummaries")
PREDICTIVE = [r for r in EVIDENCE if r["evidence_type"] == "Predictive"]
IMPORTED = [  # several therapies need their interaction type: CIViC leaves one row without
    r
    for r in PREDICTIVE
    if r["therapies"].strip() and ("," not in r["therapies"] or r["therapy_interaction_type"])
]
ASSERTIONS = _tsv("AssertionSummaries")
PREDICTIVE_ASSERTIONS = [r for r in ASSERTIONS if r["assertion_type"] == "Predictive"]
PROFILES = {r["molecular_profile_id"]: r for r in _tsv("MolecularProfileSummaries")}
VARIANTS = {r["variant_id"]: r for r in _tsv("VariantSummaries")}


def import_command(store: Path, folder: Path = CIVIC) -> list[str]:
    return [
        "import",
        "civic",
        str(folder),
        "--store",
        str(store),
        "--hgnc",
        str(HGNC),
        "--sequence-ontology",
        str(SO),
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("civic") / "store"
    result = run_oncokg(*import_command(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def kg(store: Path) -> OncoKG:
    return OncoKG.open(store)


def _civic_ids(rows: list[object]) -> set[str]:
    return {
        str(r.statement).rsplit("civic-eid-", 1)[1]
        for r in rows
        if "civic-eid-" in str(r.statement)
    }  # type: ignore[attr-defined]


# ---------------------------------------------------------------- counts
def test_counts_agree_with_the_raw_files(store: Path, kg: OncoKG) -> None:
    assert (len(EVIDENCE), len(PREDICTIVE), len(IMPORTED)) == (4375, 2634, 2632)
    assert (len(ASSERTIONS), len(PREDICTIVE_ASSERTIONS)) == (66, 20)
    statements = len(IMPORTED) + len(PREDICTIVE_ASSERTIONS)
    source = next(r for r in kg.query("sources") if str(r["source"]) == GRAPH)
    assert (source["statements"], source["skipped"]) == (statements, 2)
    count = kg.select(
        "SELECT (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a okg:DrugResponseStatement } }",
        {"g": Iri(GRAPH)},
    )
    assert count[0]["n"] == statements
    levels = kg.select(
        "SELECT ?level (COUNT(?s) AS ?n) WHERE { ?s okg:sourceRecord ?r ; "
        "okg:evidenceLevel/skos:notation ?level } GROUP BY ?level"
    )
    assert {str(r["level"]): r["n"] for r in levels} == dict(
        Counter(r["evidence_level"] for r in IMPORTED)
        + Counter(r["amp_category"] for r in PREDICTIVE_ASSERTIONS)
    )
    out_of_scope = Counter(
        f"{r['evidence_type'].lower()} evidence" for r in EVIDENCE if r not in PREDICTIVE
    ) + Counter(
        f"{r['assertion_type'].lower()} assertions"
        for r in ASSERTIONS
        if r not in PREDICTIVE_ASSERTIONS
    )
    summary = run_oncokg("sources", "--store", str(store), "--format", "json")
    assert json.loads(summary.stdout)[0]["statements"] == statements
    notes = kg.select("SELECT ?note WHERE { ?release okg:outOfScope ?note }")
    assert sorted(str(r["note"]) for r in notes) == sorted(
        f"{n} row{'s' if n > 1 else ''}: {kind}" for kind, n in out_of_scope.items()
    )


def test_the_skipped_row_is_listed_with_its_reason(kg: OncoKG) -> None:
    skipped = kg.select(
        "SELECT ?file ?line ?reason WHERE { ?release okg:skippedRecord ?r . "
        "?r okg:fileName ?file ; okg:lineNumber ?line ; okg:reason ?reason }"
    )
    lines = {i + 2: r for i, r in enumerate(EVIDENCE) if r in PREDICTIVE and r not in IMPORTED}
    assert sorted((str(r["file"]), r["line"]) for r in skipped) == [
        ("01-Aug-2024-ClinicalEvidenceSummaries.tsv", line) for line in sorted(lines)
    ]
    reasons = {r["line"]: str(r["reason"]) for r in skipped}
    for line, row in lines.items():
        expected = (
            "2 therapies without a therapy interaction type"
            if row["therapies"].strip()
            else "no therapy named"
        )
        assert reasons[line] == f"{expected}: evidence item {row['evidence_id']}"


# ---------------------------------------------------------------- questions
def _variant_names(profile_ids: set[str]) -> set[str]:
    return {
        f"{VARIANTS[v]['gene']} {VARIANTS[v]['variant']}"
        for p in profile_ids
        for v in PROFILES[p]["variant_ids"].replace(" ", "").split(",")
    }


VARIANT_QUESTIONS = [
    "KIT T670I",
    "KIT V654A",
    "KIT D816V",
    "PDGFRA D842V",
    "KRAS G12C",
    "BRAF V600E",
    "EGFR T790M",
    "EGFR L858R",
    "ABL1 T315I",
    "ALK F1174L",
    "ERBB2 L755S",
    "PIK3CA H1047R",
    "NRAS Q61K",
    "IDH1 R132H",
    "MET D1228N",
]
DRUG_QUESTIONS = [
    "Imatinib",
    "Sunitinib",
    "Regorafenib",
    "Sorafenib",
    "Vemurafenib",
    "Osimertinib",
    "Erlotinib",
    "Sotorasib",
    "Adagrasib",
    "Lapatinib",
    "Dasatinib",
    "Nilotinib",
    "Trametinib",
    "Cetuximab",
    "Ponatinib",
]
SALTS = ("mesylate", "hydrochloride", "acetate")  # the salt forms CIViC's therapy names use


def _drug_name(name: str) -> str:
    words = name.strip().lower().split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1] in SALTS else " ".join(words)


def _expected_for_variant(name: str) -> set[str]:
    gene, variant = name.split(" ")
    variant_ids = {v for v, r in VARIANTS.items() if (r["gene"], r["variant"]) == (gene, variant)}
    profiles = {
        p
        for p, r in PROFILES.items()
        if variant_ids & set(r["variant_ids"].replace(" ", "").split(","))
    }
    return {r["evidence_id"] for r in IMPORTED if r["molecular_profile_id"] in profiles}


@pytest.mark.parametrize("name", VARIANT_QUESTIONS)
def test_evidence_for_a_variant(kg: OncoKG, name: str) -> None:
    expected = _expected_for_variant(name)
    assert expected, f"{name}: pick a variant CIViC has predictive evidence for"
    assert _civic_ids(kg.evidence(variant=name)) == expected


@pytest.mark.parametrize("name", DRUG_QUESTIONS)
def test_evidence_for_a_drug(kg: OncoKG, name: str) -> None:
    expected = {
        r["evidence_id"]
        for r in IMPORTED
        if name.lower() in [_drug_name(t) for t in r["therapies"].split(",")]
    }
    assert expected, f"{name}: pick a drug CIViC has predictive evidence for"
    assert _civic_ids(kg.evidence(drug=name)) == expected


def test_question_count() -> None:
    assert len(VARIANT_QUESTIONS) + len(DRUG_QUESTIONS) == 30


def test_min_level_keeps_the_better_levels(kg: OncoKG) -> None:
    best = kg.evidence(drug="Imatinib", min_level="B")
    expected = {
        r["evidence_id"]
        for r in IMPORTED
        if r["evidence_level"] in "AB"
        and "imatinib" in [_drug_name(t) for t in r["therapies"].split(",")]
    }
    assert _civic_ids(best) == expected and {e.common_level for e in best} <= {"A", "B"}


def test_assertions_at_their_amp_tier_with_their_evidence_items(kg: OncoKG) -> None:
    rows = kg.select(
        "SELECT ?s ?tier ?common ?approval ?companion "
        "(GROUP_CONCAT(DISTINCT ?guideline) AS ?guidelines) "
        "(GROUP_CONCAT(DISTINCT STRAFTER(STR(?item), 'civic-eid-'); separator=',') AS ?items) "
        "WHERE { ?s okg:evidenceLevel/skos:notation ?tier ; okg:commonEvidenceLevel/skos:notation "
        "?common ; okg:regulatoryApproval ?approval . "
        "OPTIONAL { ?s okg:fdaCompanionTest ?companion } OPTIONAL { ?s okg:guidelineName "
        "?guideline } OPTIONAL { ?s okg:hasEvidenceItem ?item } } "
        "GROUP BY ?s ?tier ?common ?approval ?companion"
    )
    found = {str(r["s"]).rsplit("civic-aid-", 1)[1]: r for r in rows}
    assert len(found) == len(PREDICTIVE_ASSERTIONS) == 20
    imported = {r["evidence_id"] for r in IMPORTED}
    for row in PREDICTIVE_ASSERTIONS:
        got = found[row["assertion_id"]]
        assert str(got["tier"]) == row["amp_category"]
        assert str(got["common"]) == row["amp_category"][-1]  # "Tier I - Level A" -> A
        assert got["approval"] is (row["regulatory_approval"] == "true")
        if row["fda_companion_test"]:
            assert got["companion"] is (row["fda_companion_test"] == "true")
        else:
            assert got["companion"] is None
        cited = {e.strip() for e in row["evidence_item_ids"].split(",")}
        assert set(str(got["items"]).split(",")) - {""} == cited & imported
        if row["nccn_guideline"]:
            assert str(got["guidelines"]).startswith(f"NCCN {row['nccn_guideline']}, version ")


def test_an_assertion_takes_the_interaction_type_of_its_evidence(kg: OncoKG) -> None:
    combined = [r for r in PREDICTIVE_ASSERTIONS if "," in r["therapies"]]
    assert len(combined) == 4
    rows = kg.select(
        "SELECT ?s ?kind WHERE { ?s okg:therapy/okg:interactionType/rdfs:label ?kind ; "
        "okg:evidenceLevel/skos:notation ?tier FILTER (STRSTARTS(?tier, 'Tier')) }"
    )
    by_item = {r["evidence_id"]: r for r in IMPORTED}
    for row in combined:
        kinds = {
            by_item[e]["therapy_interaction_type"]
            for e in row["evidence_item_ids"].split(",")
            if e in by_item and "," in by_item[e]["therapies"]
        }
        got = [
            str(r["kind"]) for r in rows if str(r["s"]).endswith(f"civic-aid-{row['assertion_id']}")
        ]
        assert got == [kinds.pop().lower()] and not kinds


# ---------------------------------------------------------------- side by side
@pytest.mark.parametrize(
    ("variant", "curated"),
    [
        ("KIT T670I", "s001-res-t670i"),
        ("PDGFRA D842V", "s001-res-primary-d842v"),
        ("KRAS G12C", None),
    ],
)
def test_curated_and_imported_side_by_side(kg: OncoKG, variant: str, curated: str | None) -> None:
    rows = kg.evidence(variant=variant)
    sources = {r.source_label for r in rows}
    assert "CIViC release 2024-08-01" in sources
    assert _civic_ids(rows) == _expected_for_variant(variant)
    licences = {r.licence for r in rows if "civic-eid-" in r.statement}
    assert licences == {"https://creativecommons.org/publicdomain/zero/1.0/"}
    if curated:
        assert any(r.statement.endswith(curated) for r in rows)
        assert len(sources) == 2
    responses = kg.resistance(variant=variant)  # the same statements, with kind and mechanism
    assert _civic_ids(responses) == _civic_ids(rows)
    assert {r.source for r in responses} == sources


def test_one_node_per_real_thing(kg: OncoKG) -> None:
    genes = kg.select(
        "SELECT ?symbol (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a okg:Gene ; okg:symbol ?symbol } "
        "GROUP BY ?symbol HAVING (COUNT(DISTINCT ?g) > 1)"
    )
    diseases = kg.select(
        "SELECT ?doid (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a okg:Disease ; okg:doid ?doid } "
        "GROUP BY ?doid HAVING (COUNT(DISTINCT ?d) > 1)"
    )
    drugs = kg.select(
        "SELECT ?label (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a okg:Drug ; rdfs:label ?l "
        'FILTER (LANGMATCHES(LANG(?l), "en")) BIND (LCASE(STR(?l)) AS ?label) } '
        "GROUP BY ?label HAVING (COUNT(DISTINCT ?d) > 1)"
    )
    assert (genes, diseases, drugs) == ([], [], [])
    counts = kg.select(
        "SELECT (COUNT(DISTINCT ?g) AS ?genes) (COUNT(DISTINCT ?v) AS ?kit) WHERE { "
        '{ ?g a okg:Gene } UNION { ?v okg:gene okr:KIT ; okg:proteinChange "p.T670I" } }'
    )
    assert counts[0]["kit"] == 1 and counts[0]["genes"] > 300


def test_identifiers_come_from_the_reference_data(kg: OncoKG) -> None:
    with HGNC.open(encoding="utf-8", newline="") as handle:
        hgnc = {r["Approved symbol"]: r for r in csv.DictReader(handle, delimiter="\t")}
    rows = kg.select(
        "SELECT ?symbol ?hgnc ?entrez WHERE { GRAPH ?g { ?gene okg:symbol ?symbol ; okg:hgnc ?hgnc "
        "OPTIONAL { ?gene okg:ncbiGene ?entrez } } }",
        {"g": Iri(GRAPH)},
    )
    assert len(rows) > 300
    for row in rows:
        record = hgnc[str(row["symbol"])]
        assert str(row["hgnc"]).endswith("/" + record["HGNC ID"].removeprefix("HGNC:"))
        if row["entrez"]:
            assert str(row["entrez"]).endswith("/" + record["NCBI Gene ID(supplied by NCBI)"])
    given = {r["doid"] for r in EVIDENCE if r["doid"]}
    curated = {"1324", "1793", "3908", "5409", "9253", "9256"}  # tested in test_data.py
    found = {
        str(r["doid"]).rsplit("_", 1)[1]
        for r in kg.select("SELECT DISTINCT ?doid WHERE { ?d okg:doid ?doid }")
    }
    assert found and found <= given | curated
    in_ontology = {str(t["id"]).split(":", 1)[1] for t in _doid_terms()}
    assert found - in_ontology == {"715"}  # CIViC still uses it; the 2024 DO has dropped it


def _doid_terms() -> list[dict[str, object]]:
    terms: list[dict[str, object]] = json.loads(DOID.read_text(encoding="utf-8"))
    return terms


# ---------------------------------------------------------------- store behaviour
def test_reimporting_the_same_release_changes_nothing(store: Path) -> None:
    marker = (store / MARKER).read_bytes()
    builds = sorted(p.name for p in store.glob("build-*"))
    result = run_oncokg(*import_command(store))
    assert result.returncode == 0 and "nothing changed" in result.stdout
    assert (store / MARKER).read_bytes() == marker
    assert sorted(p.name for p in store.glob("build-*")) == builds


def test_remove_then_the_store_has_the_curated_graph_only(tmp_path: Path, store: Path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    result = run_oncokg("remove", "civic", "--store", str(copy))
    assert result.returncode == 0 and GRAPH in result.stdout
    with OncoKG.open(copy) as kg:
        assert [str(r["source"]) for r in kg.query("sources")] == [CURATED_GRAPH, ONTOLOGY_GRAPH]
    assert "no imported source named 'civic'" in one_error_line(
        run_oncokg("remove", "civic", "--store", str(copy)), 1
    )


# ---------------------------------------------------------------- bad input
def _copy_release(tmp_path: Path) -> Path:
    folder = tmp_path / "release"
    folder.mkdir()
    for path in CIVIC.glob("01-Aug-2024-*.tsv"):
        shutil.copy(path, folder / path.name)
    return folder


def _evidence_file(folder: Path) -> Path:
    return folder / "01-Aug-2024-ClinicalEvidenceSummaries.tsv"


def test_a_v1_release_is_refused(tmp_path: Path) -> None:
    line = one_error_line(run_oncokg(*import_command(tmp_path / "s", CIVIC_V1)), 2)
    assert "old v1 layout" in line and "nightly-ClinicalEvidenceSummaries.tsv" in line


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    folder = _copy_release(tmp_path)
    evidence = _evidence_file(folder)
    text = evidence.read_text(encoding="utf-8").replace("evidence_level", "level", 1)
    evidence.write_text(text, encoding="utf-8")
    line = one_error_line(run_oncokg(*import_command(tmp_path / "s", folder)), 2)
    assert f"{evidence}:1: lacks the columns evidence_level" in line


def test_non_utf8_names_file_and_line(tmp_path: Path) -> None:
    folder = _copy_release(tmp_path)
    evidence = _evidence_file(folder)
    data = evidence.read_bytes().split(b"\n")
    data[10] = data[10] + b"\xe9"
    evidence.write_bytes(b"\n".join(data))
    line = one_error_line(run_oncokg(*import_command(tmp_path / "s", folder)), 2)
    assert f"{evidence}:11: not valid UTF-8" in line


def test_a_duplicated_evidence_id_is_refused_and_the_store_kept(
    tmp_path: Path, store: Path
) -> None:
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    marker = (copy / MARKER).read_bytes()
    folder = _copy_release(tmp_path)
    evidence = _evidence_file(folder)
    lines = evidence.read_text(encoding="utf-8").split("\n")
    evidence.write_text("\n".join([*lines[:3], lines[2], *lines[3:]]), encoding="utf-8")
    line = one_error_line(run_oncokg(*import_command(copy, folder)), 2)
    assert f"{evidence}:4: evidence ID 2 appears twice (first on line 3)" in line
    assert (copy / MARKER).read_bytes() == marker


def test_a_truncated_file_lists_the_cut_row(tmp_path: Path) -> None:
    folder = _copy_release(tmp_path)
    evidence = _evidence_file(folder)
    data = evidence.read_bytes()
    evidence.write_bytes(data[: data.rindex(b"\t", 0, len(data) - 200)])
    result = run_oncokg(*import_command(tmp_path / "s", folder))
    assert result.returncode == 0, result.stderr
    with OncoKG.open(tmp_path / "s") as kg:
        reasons = [
            str(r["reason"]) for r in kg.select("SELECT ?reason WHERE { ?x okg:reason ?reason }")
        ]
    assert any(
        r.startswith("malformed row:") and "fields where the header has 25" in r for r in reasons
    )


IMPORTER = """
import sys
from pathlib import Path
from oncokg.disk_store import StoreFolder
from oncokg.importers.civic import import_civic
from oncokg.importers.vocabularies import Vocabularies
from oncokg.store_sources import save_import
vocabularies = Vocabularies.load(Path(sys.argv[3]))
imported = import_civic(Path(sys.argv[2]), vocabularies)
print("saving", flush=True)
save_import(StoreFolder(Path(sys.argv[1])), imported)
print("saved", flush=True)
"""


def test_killed_mid_import_leaves_the_previous_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    OncoKG.open(store).close()
    marker = (store / MARKER).read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(store), str(CIVIC), str(HGNC)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "saving"
    time.sleep(0.15)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import finished before the kill"
    assert (store / MARKER).read_bytes() == marker
    with OncoKG.open(store) as kg:
        sources = [str(r["source"]) for r in kg.query("sources")]
    assert sources in (
        [CURATED_GRAPH, ONTOLOGY_GRAPH],  # the kill came before the import file
        [GRAPH, CURATED_GRAPH, ONTOLOGY_GRAPH],  # ... or after: then it is built
    )


def test_the_store_with_its_import_conforms_to_the_shapes(store: Path) -> None:
    result = run_oncokg("validate", "--store", str(store), "--source", "civic", timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.stdout.startswith("Conforms:") and "in 7 files" in result.stdout
    line = one_error_line(run_oncokg("validate", "--store", str(store), "--source", "moa"), 2)
    assert "the store has no import of moa; it has civic" in line


def test_export_leaves_out_a_source(store: Path, kg: OncoKG) -> None:
    from rdflib import Graph

    everything = run_oncokg("export", "--store", str(store), "--format", "ntriples")
    without = run_oncokg(
        "export", "--store", str(store), "--format", "ntriples", "--exclude-source", "civic"
    )
    only = run_oncokg("export", "--store", str(store), "--format", "ntriples", "--source", "civic")
    size = {g: kg.backend.triple_count([g]) for g in kg.backend.graphs}  # type: ignore[attr-defined]
    assert len(Graph().parse(data=only.stdout, format="nt")) == size[GRAPH]
    assert len(Graph().parse(data=without.stdout, format="nt")) == sum(size.values()) - size[GRAPH]
    assert len(everything.stdout.splitlines()) == sum(size.values()) + 1  # the version comment
    # the curated graph links its variants to their CIViC pages; CIViC's own records are gone
    assert "civicdb.org/links/evidence_items" not in without.stdout
    assert "civicdb.org/links/evidence_items" in everything.stdout
    assert "no source named 'moa'" in one_error_line(
        run_oncokg("export", "--store", str(store), "--source", "moa"), 2
    )


def test_quad_exports_keep_the_imported_graph_apart(store: Path, kg: OncoKG) -> None:
    """TriG and N-Quads of a store keep each named graph, the CIViC release's among them."""
    import pyoxigraph as ox

    size = {g: kg.backend.triple_count([g]) for g in kg.backend.graphs}  # type: ignore[attr-defined]
    assert GRAPH in size and len(size) == 3
    for fmt, rdf_format in [("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS)]:
        exported = run_oncokg("export", "--store", str(store), "--format", fmt, timeout=300)
        reloaded = ox.Store()
        reloaded.load(exported.stdout.encode(), format=rdf_format)
        counts = {
            g: sum(1 for _ in reloaded.quads_for_pattern(None, None, None, ox.NamedNode(g)))
            for g in size
        }
        assert counts == size, fmt


@pytest.mark.parametrize(
    ("gene", "significance"), [("PDGFRA", "resistance"), ("KIT", "sensitivity")]
)
def test_evidence_for_a_gene_by_significance(kg: OncoKG, gene: str, significance: str) -> None:
    variants = {v for v, r in VARIANTS.items() if r["gene"] == gene}
    profiles = {
        p
        for p, r in PROFILES.items()
        if variants & set(r["variant_ids"].replace(" ", "").split(","))
    }
    effect = {"resistance": "Resistance", "sensitivity": "Sensitivity/Response"}[significance]
    expected = {
        r["evidence_id"]
        for r in IMPORTED
        if r["molecular_profile_id"] in profiles and r["significance"] == effect
    }
    found = kg.evidence(gene=gene, significance=significance)
    assert _civic_ids(found) == expected and expected
    gist = kg.evidence(gene=gene, significance=significance, disease="DOID:9253")
    assert _civic_ids(gist) == {
        r["evidence_id"] for r in IMPORTED if r["evidence_id"] in expected and r["doid"] == "9253"
    }


def test_a_terminal_sees_a_progress_bar(tmp_path: Path) -> None:
    command = " ".join([sys.executable, "-m", "oncokg", *import_command(tmp_path / "s")])
    result = subprocess.run(
        ["script", "-qc", command, "/dev/null"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert "CIViC 2024-08-01 -> " in result.stdout and "100%" in result.stdout
    assert f"statements: {len(IMPORTED) + len(PREDICTIVE_ASSERTIONS):,}" in result.stdout


def test_a_disease_with_its_subtypes_through_the_disease_ontology(
    tmp_path: Path, store: Path
) -> None:
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    result = run_oncokg(
        "import", "disease-ontology", str(DOID), "--store", str(copy), "--release", "2024-07-23"
    )
    assert result.returncode == 0, result.stderr
    terms = {str(t["id"]): t for t in _doid_terms()}

    def below(root: str) -> set[str]:  # every DOID under root, from the raw JSON
        children: dict[str, set[str]] = {}
        for identifier, item in terms.items():
            for parent in (item.get("relations") or {}).get("is_a", []):  # type: ignore[union-attr]
                children.setdefault(parent, set()).add(identifier)
        found, todo = {root}, [root]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return {f.split(":")[1] for f in found}

    lung = below("DOID:1324")
    expected = {
        r["evidence_id"]
        for r in IMPORTED
        if r["doid"] in lung
        and any(
            VARIANTS[v]["gene"] == "EGFR"
            for v in PROFILES[r["molecular_profile_id"]]["variant_ids"].replace(" ", "").split(",")
        )
    }
    with OncoKG.open(copy) as kg:
        wide = kg.evidence(gene="EGFR", disease="lung cancer", include_subtypes=True)
        narrow = kg.evidence(gene="EGFR", disease="lung cancer")
    assert _civic_ids(wide) == expected and len(expected) > 100
    assert _civic_ids(narrow) == {
        r for r in expected if next(x for x in IMPORTED if x["evidence_id"] == r)["doid"] == "1324"
    }


def test_validate_refuses_an_import_that_does_not_conform(tmp_path: Path) -> None:
    folder = _copy_release(tmp_path)
    evidence = _evidence_file(folder)
    lines = evidence.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    rating, kind, identifier = (header.index(c) for c in ("rating", "evidence_type", "evidence_id"))
    row = next(i for i, line in enumerate(lines[1:], 1) if line.split("\t")[kind] == "Predictive")
    fields = lines[row].split("\t")
    fields[rating] = "7"  # ratings run from 1 to 5
    lines[row] = "\t".join(fields)
    evidence.write_text("\n".join(lines), encoding="utf-8")
    store = tmp_path / "store"
    line = one_error_line(run_oncokg(*import_command(store, folder), "--validate", timeout=300), 2)
    assert (
        "the import does not conform (1 violation: oks:DrugResponseStatementShape (okg:rating) 1)"
        in line
    )
    assert f"okr:civic-eid-{fields[identifier]}: A rating is one whole number from 1 to 5" in line
    assert not (store / "imports").exists() or not any((store / "imports").rglob("*.nt"))


# ---------------------------------------------------------------- a SPARQL endpoint
def test_push_a_store_and_query_every_source_on_a_live_endpoint(store: Path, kg: OncoKG) -> None:
    from .conftest import running_oxigraph

    with running_oxigraph() as url:
        unknown = run_oncokg("push", url, "--store", str(store), "--exclude-source", "civc")
        assert "no source named civc" in one_error_line(unknown, 2)
        pushed = run_oncokg("push", url, "--store", str(store))
        assert pushed.returncode == 0, pushed.stderr
        assert " in 3 graphs to " in pushed.stdout
        curated_only = OncoKG.connect(url, timeout=30)
        assert _civic_ids(curated_only.evidence(variant="KIT T670I")) == set()
        remote = OncoKG.connect(url, timeout=30, all_sources=True)
        assert sorted(remote.backend.graphs) == sorted(  # type: ignore[attr-defined]
            str(r["graph"]) for r in kg.query("named-graphs")
        )
        for variant in ("KIT T670I", "PDGFRA D842V", "KRAS G12C"):
            here, there = kg.evidence(variant=variant), remote.evidence(variant=variant)
            assert _civic_ids(there) == _civic_ids(here) == _expected_for_variant(variant)
        cli = run_oncokg("query", "sources", "--endpoint", url, "--all-sources", "--format", "json")
        assert GRAPH in {r["source"] for r in json.loads(cli.stdout)}
        again = run_oncokg("push", url, "--store", str(store), "--exclude-source", "civic")
        assert " in 2 graphs to " in again.stdout  # the civic graph stays as pushed before
