"""The SPARQL-compiled SHACL engine gives exactly pySHACL's results, result for result.

Compared: focus node, path, value, severity, message and source shape of every top-level
result, as a multiset, on every fixture, the curated graph, an imported CIViC release (as
imported and with violations injected), and graphs with random violations injected.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from oncokg.resources import data_files, shapes_file
from oncokg.shacl_sparql import compile_shapes
from oncokg.validation import ValidationReport, validate
from oncokg.validation_input import parse_file

from .conftest import SHARED, run_oncokg

FIXTURES = Path(__file__).parent / "shapes"
BASE = FIXTURES / "base.ttl"
OKG = Namespace("https://w3id.org/oncokg/ontology#")
DATA = SHARED / "data"


def _results(report: ValidationReport) -> Counter[tuple[object, ...]]:
    return Counter(
        (v.focus_node, v.path, v.value, v.severity, v.message, v.shape, v.files)
        for v in report.violations
    )


def _same(paths: list[Path] | None) -> ValidationReport:
    """Validate with both engines, assert the same results; the report."""
    reference = validate(paths, engine="pyshacl")
    compiled = validate(paths, engine="sparql")
    assert compiled.conforms == reference.conforms
    assert _results(compiled) == _results(reference)
    assert compiled.triple_count == reference.triple_count
    return compiled


def _cases() -> list[tuple[str, list[Path]]]:
    cases = [("base", [BASE])]
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for kind in ("conforms", "violates"):
            cases.append((f"{folder.name}-{kind}", [BASE, folder / f"{kind}.ttl"]))
    return cases


CASES = _cases()


def test_every_shape_compiles() -> None:
    """No shape falls back to pySHACL: every constraint of ours has a query."""
    checks = compile_shapes(parse_file(shapes_file()))
    assert len({c.shape for c in checks}) > 61 and len(checks) > 400


@pytest.mark.parametrize(("name", "paths"), CASES, ids=[c[0] for c in CASES])
def test_fixture(name: str, paths: list[Path]) -> None:
    report = _same(paths)
    assert report.conforms == (not name.endswith("-violates"))
    assert len(CASES) == 1 + 2 * 61


def test_curated_graph() -> None:
    assert _same(None).conforms


@pytest.fixture(scope="module")
def civic_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("civic-engines")
    store = folder / "store"
    imported = run_oncokg(
        "import",
        "civic",
        str(DATA / "civic-2024-08"),
        "--store",
        str(store),
        "--hgnc",
        str(DATA / "reference-2024-07" / "hgnc_entries.tsv"),
        "--sequence-ontology",
        str(DATA / "sequence-ontology-2024-11" / "so.obo"),
        timeout=600,
    )
    assert imported.returncode == 0, imported.stderr[-2000:]
    exported = folder / "civic.nt"
    result = run_oncokg(
        "export",
        "--store",
        str(store),
        "--source",
        "civic",
        "--format",
        "ntriples",
        "-o",
        str(exported),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return exported


def test_imported_civic_release(civic_export: Path) -> None:
    """As ``validate --store`` does: the curated graph with the imported release."""
    assert _same([*data_files(), civic_export]).conforms


def test_imported_civic_release_with_violations(civic_export: Path, tmp_path: Path) -> None:
    """Labels removed, evidence levels and directions replaced, years as strings."""
    graph = Graph().parse(civic_export, format="nt")
    rng = random.Random(11)
    statements = sorted(graph.subjects(OKG.evidenceLevel, None))
    for node in rng.sample(statements, 20):
        graph.remove((node, RDFS.label, None))
    for node in rng.sample(statements, 20):
        graph.set((node, OKG.evidenceLevel, OKG.NotALevel))
    for node in rng.sample(statements, 20):
        graph.set((node, OKG.direction, Literal("supports")))
    mutated = tmp_path / "civic-mutated.nt"
    graph.serialize(mutated, format="nt", encoding="utf-8")
    report = _same([*data_files(), mutated])
    assert len(report.violations) >= 40


def test_a_sparql_constraint_with_several_solutions_reports_once(tmp_path: Path) -> None:
    """Found by the random test below: a membership in two families that both miss the gene
    gives two solutions of the SPARQL constraint, and one result."""
    fixture = FIXTURES / "FamilyMembershipShape" / "conforms.ttl"
    graph = Graph().parse(fixture)
    membership = next(graph.subjects(OKG.family, None))
    for family in ("family-a", "family-b"):
        graph.add((membership, OKG.family, URIRef(f"https://w3id.org/oncokg/resource/{family}")))
    mutated = tmp_path / "two-families.ttl"
    graph.serialize(mutated, format="turtle", encoding="utf-8")
    report = _same([BASE, mutated])
    messages = [v.message for v in report.violations]
    assert messages.count("The family of a membership must list the gene with okg:hasMember.") == 1


# ---------------------------------------------------------------- random violations
_REPLACEMENTS = [
    Literal("x"),
    Literal("x", lang="en"),
    Literal(12),
    Literal("-5.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
    Literal(True),
    Literal("2016", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
    URIRef("https://w3id.org/oncokg/resource/t-drug"),
    OKG.Resistance,
    URIRef("https://w3id.org/oncokg/resource/nowhere"),
]
_CONFORMING = sorted(FIXTURES.glob("*/conforms.ttl"))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fixture=st.sampled_from(_CONFORMING),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["drop", "replace", "add"]),
            st.integers(0, 10_000),
            st.sampled_from(_REPLACEMENTS),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_random_violations(
    tmp_path: Path, fixture: Path, edits: list[tuple[str, int, object]]
) -> None:
    """A conforming fixture with triples dropped, objects replaced or values added."""
    graph = Graph().parse(fixture)
    for action, index, replacement in edits:
        triples = sorted(graph, key=str)
        if not triples:
            break
        s, p, o = triples[index % len(triples)]
        if action == "drop":
            graph.remove((s, p, o))
        elif action == "replace" and p != RDF.type:
            graph.remove((s, p, o))
            graph.add((s, p, replacement))  # type: ignore[arg-type]
        else:
            graph.add((s, p, replacement))  # type: ignore[arg-type]
    mutated = tmp_path / f"mutated-{fixture.parent.name}.ttl"
    graph.serialize(mutated, format="turtle", encoding="utf-8")
    _same([BASE, mutated])
