"""Bound values reach the whole query, whatever SPARQL form the user writes it in.

Each form binds ``?drug`` to sotorasib and must answer exactly as the same query with the IRI
written in it: the VALUES block goes to the outermost WHERE group, found from the grammar,
never inside a subquery, a template, a string or a comment.
"""

from __future__ import annotations

import pytest

from oncokg.api import OncoKG
from oncokg.bind import bind_values
from oncokg.errors import ParameterError
from oncokg.terms import Iri

SOTORASIB = Iri("https://w3id.org/oncokg/resource/sotorasib")
TARGETS = "?t okg:drug ?drug ; a okg:DrugTargetInteraction"

SELECTS = {
    "select with WHERE": f"SELECT ?t WHERE {{ {TARGETS} }}",
    "select without WHERE": f"SELECT ?t {{ {TARGETS} }}",
    "subquery, no WHERE keyword": f"SELECT ?t {{ SELECT ?t ?drug WHERE {{ {TARGETS} }} }}",
    "subquery and WHERE": f"SELECT ?t WHERE {{ {{ SELECT ?t ?drug {{ {TARGETS} }} }} }}",
    "prologue, comment and string with braces": (
        "PREFIX x: <urn:x#>\n# { a comment with a brace\n"
        f'SELECT ?t ?note WHERE {{ BIND ("}}{{" AS ?note) {TARGETS} }}'
    ),
    "FROM clause": f"SELECT ?t FROM <https://w3id.org/oncokg/graph/curated> WHERE {{ {TARGETS} }}",
    "DISTINCT with modifiers": f"SELECT DISTINCT ?t WHERE {{ {TARGETS} }} ORDER BY ?t LIMIT 100",
    "aggregate with GROUP BY": f"SELECT ?t (COUNT(*) AS ?n) {{ {TARGETS} }} GROUP BY ?t",
    "OPTIONAL and UNION inside": (
        f"SELECT ?t WHERE {{ {{ {TARGETS} }} UNION {{ ?t okg:drug ?drug ; a okg:Nothing }} "
        "OPTIONAL { ?t rdfs:label ?l } }"
    ),
}


@pytest.fixture(scope="module")
def kg() -> OncoKG:
    return OncoKG.open()


@pytest.fixture(scope="module")
def expected(kg: OncoKG) -> set[str]:
    written = kg.select(f"SELECT ?t {{ ?t okg:drug <{SOTORASIB}> ; a okg:DrugTargetInteraction }}")
    return {str(r["t"]) for r in written}


@pytest.mark.parametrize("form", sorted(SELECTS))
def test_select_forms_bind_at_the_top(kg: OncoKG, expected: set[str], form: str) -> None:
    rows = kg.select(SELECTS[form], {"drug": SOTORASIB})
    assert {str(r["t"]) for r in rows} == expected
    assert len(expected) >= 2 and len(SELECTS) == 9


def test_ask_forms(kg: OncoKG) -> None:
    for text in (f"ASK {{ {TARGETS} }}", f"ASK WHERE {{ {TARGETS} }}"):
        assert kg.ask(text, {"drug": SOTORASIB}) is True
        assert kg.ask(text, {"drug": Iri("https://w3id.org/oncokg/resource/none")}) is False


def test_construct_forms(kg: OncoKG, expected: set[str]) -> None:
    """The template's braces come first in the text; the values still go to the WHERE group."""
    template = f"CONSTRUCT {{ ?t okg:drug ?drug }} WHERE {{ {TARGETS} }}"
    short = "CONSTRUCT WHERE { ?t okg:drug ?drug }"
    for text in (template, short):
        triples = kg.construct(text, {"drug": SOTORASIB})
        assert {str(s) for s, _, o in triples if o == SOTORASIB} >= expected
        assert all(o == SOTORASIB for _, _, o in triples)


def test_describe_with_a_group(kg: OncoKG) -> None:
    triples = kg.construct("DESCRIBE ?drug WHERE { ?drug a okg:Drug }", {"drug": SOTORASIB})
    assert triples and {str(s) for s, _, _ in triples} == {SOTORASIB}


def test_a_query_without_a_group_cannot_be_bound() -> None:
    with pytest.raises(ParameterError, match="no WHERE group"):
        bind_values("DESCRIBE ?drug", {"drug": SOTORASIB})
