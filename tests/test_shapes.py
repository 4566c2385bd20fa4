"""Every SHACL shape has a conforming and a violating fixture with the expected report.

Layout: ``tests/shapes/<ShapeName>/{conforms.ttl, violates.ttl, expected.tsv}``; each fixture is
validated together with ``tests/shapes/base.ttl`` (a small conforming context) and the ontology.
``expected.tsv`` lists focus node, path and message of every expected violation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SH, Graph, Namespace

from oncokg.resources import shapes_file
from oncokg.validation import validate

FIXTURES = Path(__file__).parent / "shapes"
BASE = FIXTURES / "base.ttl"
OKS = Namespace("https://w3id.org/oncokg/shapes#")


def _shape_names() -> list[str]:
    shapes = Graph().parse(shapes_file())
    return sorted(
        str(s).removeprefix(str(OKS))
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if str(s).startswith(str(OKS)) and (s, RDFS.label, None) in shapes
    )


SHAPES = _shape_names()
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def test_every_shape_has_fixtures() -> None:
    assert len(SHAPES) == 61  # QuantityShape folded into ValueOrRange, DrugOrTherapyShape split off
    assert CASES == SHAPES


def test_base_context_conforms() -> None:
    report = validate([BASE])
    assert report.conforms, report.render("text")


@pytest.mark.parametrize("name", CASES)
def test_conforming_fixture(name: str) -> None:
    report = validate([BASE, FIXTURES / name / "conforms.ttl"])
    assert report.conforms, report.render("text")


@pytest.mark.parametrize("name", CASES)
def test_violating_fixture(name: str) -> None:
    report = validate([BASE, FIXTURES / name / "violates.ttl"])
    assert not report.conforms
    assert report.exit_code == 1
    found = {f"{v.focus_node}\t{v.path or '-'}\t{v.message}" for v in report.violations}
    expected = set((FIXTURES / name / "expected.tsv").read_text(encoding="utf-8").splitlines())
    assert found == expected
    # the report names the file the focus node came from
    assert all(v.files for v in report.violations)
