"""Every catalogue query runs on the curated graph and returns the expected rows.

Expected rows live in ``tests/catalogue/<query>.json`` with the parameters they were run with
(the examples of the query's header); data-quality checks (``*-violation``) return no rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncokg.api import OncoKG
from oncokg.catalogue import load_catalogue
from oncokg.output import cell

EXPECTED = Path(__file__).parent / "catalogue"
CATALOGUE = load_catalogue()
NAMES = sorted(CATALOGUE)


@pytest.fixture(scope="module")
def kg() -> OncoKG:
    return OncoKG.open()


def expected_rows(name: str) -> tuple[dict[str, str], list[str], list[list[str]]]:
    data = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    return data["params"], data["variables"], data["rows"]


def test_catalogue_size_and_metadata() -> None:
    assert len(NAMES) == 29
    assert sum(CATALOGUE[n].is_violation_check for n in NAMES) == 6
    for query in CATALOGUE.values():
        assert query.title and query.description and query.keywords, query.name
        assert "PREFIX" not in query.sparql.upper().split("SELECT")[0], (
            "prefixes come from the prologue"
        )
    assert sorted(p.stem for p in EXPECTED.glob("*.json")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_catalogue_query_expected_rows(kg: OncoKG, name: str) -> None:
    params, variables, rows = expected_rows(name)
    assert params == {p.name: p.example for p in CATALOGUE[name].parameters}
    result = kg.query(name, **params)
    assert [[cell(v) for v in r.values] for r in result] == rows
    if result:
        assert list(result[0].variables) == variables
    if CATALOGUE[name].is_violation_check:
        assert rows == []
    else:
        assert rows, f"{name}: the example parameters should find something"
