"""Competency questions: SPARQL over the curated graph answers what the sources say.

The questions, their SPARQL and the answers read from the source text are data in
``tests/competency/questions.toml``; this module only runs them on the embedded store.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from oncokg.namespaces import PREFIXES
from oncokg.resources import data_files, ontology_file

QUESTIONS = tomllib.loads(
    (Path(__file__).parent / "competency" / "questions.toml").read_text(encoding="utf-8")
)["question"]
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for path in [ontology_file(), *data_files()]:
        store.load(path=path, format=ox.RdfFormat.TURTLE)
    return store


def _text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and term.datatype.value.endswith("#decimal"):
        return format(Decimal(term.value).normalize(), "f")
    return str(getattr(term, "value", term))


def test_question_count() -> None:
    by_source = {s: sum(q["source"] == s for q in QUESTIONS) for s in ("000", "001", "002")}
    assert len(QUESTIONS) == 73
    assert by_source == {"000": 26, "001": 32, "002": 15}
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_competency_question(store: ox.Store, question: dict[str, object]) -> None:
    solutions = store.query(PROLOGUE + str(question["sparql"]))
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    rows = sorted(tuple(_text(row[v]) for v in variables) for row in solutions)
    expected = sorted(tuple(r) for r in question["expected"])  # type: ignore[union-attr]
    assert rows == expected, question["question"]
