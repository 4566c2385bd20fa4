"""What OncoKG writes, checked by independent tools: Jena riot, ARQ and SHACL, and the OWL API.

Each test runs the peer on our real files (the curated graph, every export format, every
catalogue query with its example parameters, every SHACL fixture) and compares its answer
with ours.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, SH, Graph

from oncokg.api import OncoKG
from oncokg.catalogue import load_catalogue
from oncokg.resources import shapes_file
from oncokg.validation import validate
from oncokg.validation_input import load_graph

from ..conftest import REPO
from ..test_catalogue import comparable
from .jena import JAVA_LIBRARY, run_java

CATALOGUE = load_catalogue()
FIXTURES = REPO / "tests" / "shapes"
ONTOLOGY = REPO / "ontology" / "oncokg.ttl"
DATA = sorted((REPO / "data").glob("*.ttl"))
CURATED_FILES = [ONTOLOGY, REPO / "ontology" / "shapes.ttl", *DATA]
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int")}


@pytest.fixture(scope="module")
def kg() -> OncoKG:
    return OncoKG.open()


# ---------------------------------------------------------------------- riot
def test_riot_strict_parses_the_files_and_every_export(
    jena: str, kg: OncoKG, tmp_path: Path
) -> None:
    exports = []
    for fmt, suffix in [("turtle", "ttl"), ("ntriples", "nt"), ("trig", "trig"), ("nquads", "nq")]:
        path = tmp_path / f"oncokg.{suffix}"
        kg.export(path, fmt)
        exports.append(path)
    files = [*CURATED_FILES, *exports]
    result = subprocess.run(
        ["java", "-cp", jena, "riotcmd.riot", "--strict", "--validate", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    complaints = [
        line for line in result.stderr.splitlines() if " WARN " in line or " ERROR " in line
    ]
    assert (result.returncode, complaints) == (0, [])
    assert len(files) == 11


def test_jena_counts_the_export_as_we_do(jena: str, kg: OncoKG, tmp_path: Path) -> None:
    path = tmp_path / "oncokg.nq"
    size = kg.export(path, "nquads")
    result = subprocess.run(
        ["java", "-cp", jena, "riotcmd.riot", "--count", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert f"Quads = {size:,}" in result.stdout + result.stderr


# ---------------------------------------------------------------------- ARQ
def test_every_query_file_is_standalone_sparql(jena: str) -> None:
    """Each ``queries/*.rq`` parses in Jena's strict SPARQL 1.1 mode: it declares its prefixes."""
    paths = [query.path for query in CATALOGUE.values()]
    lines = run_java(jena, "JenaPeer.java", "parse", *paths).splitlines()
    assert len(lines) == len(paths) == 58
    assert [line for line in lines if not line.startswith("ok\t")] == []


def _term(binding: dict[str, str] | None) -> str | None:
    """A SPARQL JSON term as comparable text; numbers by value, blank nodes anonymous,
    language tags in lower case (RDF 1.1 compares them without regard to case)."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:b"
    if "xml:lang" in binding:
        return f'"{value}"@{binding["xml:lang"].lower()}'
    datatype = binding.get("datatype", XSD + "string")
    if datatype in NUMERIC:
        try:
            return f"{float(Decimal(value)):.6g}"
        except InvalidOperation:
            return value
    if datatype == XSD + "string":
        return value  # bare, so that GROUP_CONCAT cells split into their values
    return f'"{value}"^^<{datatype}>'


def _ours(kg: OncoKG, text: str) -> tuple[list[str], list[list[str | None]]]:
    """Our store's answer, written as SPARQL JSON by pyoxigraph and read back like Jena's."""
    solutions = kg.backend.results(text)
    assert isinstance(solutions, ox.QuerySolutions)
    document = json.loads(solutions.serialize(format=ox.QueryResultsFormat.JSON))
    return _rows(document)


def _rows(document: dict) -> tuple[list[str], list[list[str | None]]]:
    variables = document["head"]["vars"]
    rows = [[_term(b.get(v)) for v in variables] for b in document["results"]["bindings"]]
    return variables, rows


def test_arq_returns_our_rows_for_every_catalogue_query(
    jena: str, kg: OncoKG, tmp_path: Path
) -> None:
    """Every catalogue query, bound with its example parameters, over the same dataset."""
    dataset = tmp_path / "dataset.nq"
    kg.backend.infer()  # the inferred graph is part of what our queries see
    kg.backend.store.dump(str(dataset), format=ox.RdfFormat.N_QUADS)
    texts = {}
    for name, query in CATALOGUE.items():
        params = {p.name: p.example for p in query.parameters}
        texts[name] = kg.sparql_for(name, **params)
        (tmp_path / f"{name}.rq").write_text(texts[name], encoding="utf-8")
    out = tmp_path / "results"
    out.mkdir()
    run_java(
        jena,
        "JenaPeer.java",
        "select",
        dataset,
        out,
        *(tmp_path / f"{name}.rq" for name in texts),
    )
    differing, compared = [], 0
    for name, text in texts.items():
        ours_vars, ours = _ours(kg, text)
        jena_vars, jena = _rows(json.loads((out / f"{name}.srj").read_text(encoding="utf-8")))
        assert jena_vars == ours_vars, name
        key = comparable  # GROUP_CONCAT cells compare as sets of values
        if sorted(map(str, key(name, ours_vars, ours))) != sorted(
            map(str, key(name, jena_vars, jena))
        ):
            differing.append(name)
        compared += len(ours)
    assert differing == [], differing
    assert len(texts) == 58 and compared > 500


# ---------------------------------------------------------------------- SHACL
def _fixture_cases() -> list[tuple[str, list[Path]]]:
    """(name, data files): each is validated with the ontology, as ``oncokg validate`` does."""
    base = FIXTURES / "base.ttl"
    cases = [("curated", DATA), ("base", [base])]
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for kind in ("conforms", "violates"):
            cases.append((f"{folder.name}-{kind}", [base, folder / f"{kind}.ttl"]))
    return cases


def _results(report: Graph) -> set[tuple[str, str, str, str]]:
    """(focus node, path, severity, message) of each top-level result of a SHACL report."""
    found = set()
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(top, SH.result):
            found.add(
                (
                    str(report.value(result, SH.focusNode)),
                    str(report.value(result, SH.resultPath)),
                    str(report.value(result, SH.resultSeverity)),
                    " ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage))),
                )
            )
    return found


def test_jena_shacl_agrees_with_ours_on_every_fixture(jena: str, tmp_path: Path) -> None:
    """The same focus node, path, severity and curator message from Jena SHACL and OncoKG's
    default engine, for the curated graph and every conforming and violating fixture
    (``tests/test_shacl_engines.py`` shows that engine agrees with pySHACL on each)."""
    cases = _fixture_cases()
    merged = []
    for name, files in cases:
        path = tmp_path / f"{name}.nt"
        load_graph([ONTOLOGY, *files]).graph.serialize(path, format="nt", encoding="utf-8")
        merged.append(path)
    out = tmp_path / "reports"
    out.mkdir()
    run_java(jena, "JenaPeer.java", "shacl", shapes_file(), out, *merged)
    disagreements, results = [], 0
    for name, files in cases:
        ours = _results(validate(files).results_graph)
        jena = _results(Graph().parse(out / f"{name}.ttl"))
        if ours != jena:
            disagreements.append((name, sorted(ours ^ jena)))
        results += len(ours)
    assert disagreements == []
    assert len(cases) == 2 + 2 * 61 and results >= 61


# ---------------------------------------------------------------------- OWL 2 DL
def test_ontology_and_data_are_owl2_dl(owlapi: str) -> None:
    """The OWL API's OWL 2 DL profile check (ROBOT's validate-profile) finds no violation."""
    output = run_java(owlapi, "OwlProfile.java", ONTOLOGY, *DATA)
    assert output.splitlines()[-1] == "violations: 0", output[-3000:]
    assert JAVA_LIBRARY.is_dir()
