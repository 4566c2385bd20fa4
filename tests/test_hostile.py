"""Hostile parameter values change nothing and give an empty result or a clear error."""

from __future__ import annotations

import pytest

from oncokg.api import OncoKG
from oncokg.errors import NotFound, ParameterError

HOSTILE = [
    '"} ; DROP ALL ; #',
    "'} } ; CLEAR DEFAULT ; #",
    '") } } DELETE WHERE { ?s ?p ?o } #',
    'x\\" } UNION { ?s ?p ?o',
    "line one\nline two\r\n} DROP ALL",
    "<http://example.org/>",
    "A" * 10_000,
    "\udcff\udcfe non-UTF-8 bytes",
    "\x00\x07 control",
]


def test_hostile_value_count() -> None:
    assert len(HOSTILE) == 9


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_string_parameter(kg_both: OncoKG, value: str) -> None:
    before = kg_both.backend.triple_count()
    try:
        rows = kg_both.query("label-search", text=value)
    except ParameterError as err:
        assert "text" in str(err)
    else:
        assert rows == []
    assert kg_both.backend.triple_count() == before


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_name_parameter(kg_both: OncoKG, value: str) -> None:
    before = kg_both.backend.triple_count()
    with pytest.raises((NotFound, ParameterError)):
        kg_both.query("dosing", drug=value)
    assert kg_both.backend.triple_count() == before


@pytest.mark.parametrize(
    "iri", ["http://example.org/a>b", "http://exa mple.org/", "okr:x> } DROP ALL #"]
)
def test_bad_iri_parameter_is_refused(kg_both: OncoKG, iri: str) -> None:
    with pytest.raises(ParameterError):
        kg_both.query("claim-provenance", claim=iri)


def test_unknown_and_missing_parameters(kg_both: OncoKG) -> None:
    with pytest.raises(ParameterError, match="has no parameter 'drgu'"):
        kg_both.query("dosing", drgu="imatinib")
    with pytest.raises(ParameterError, match="needs drug"):
        kg_both.query("dosing")
    with pytest.raises(NotFound, match="catalogue query"):
        kg_both.query("no-such-query")
