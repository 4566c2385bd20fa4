"""Hostile parameter values change nothing and give an empty result or a clear error."""

from __future__ import annotations

from collections.abc import Iterator

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


@pytest.fixture(scope="module", params=["embedded", "remote"])
def kg(request: pytest.FixtureRequest) -> Iterator[OncoKG]:
    if request.param == "embedded":
        graph = OncoKG.open()
    else:
        graph = OncoKG.connect(request.getfixturevalue("oxigraph_url"), timeout=10)
    yield graph
    graph.close()


def test_hostile_value_count() -> None:
    assert len(HOSTILE) == 9


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_string_parameter(kg: OncoKG, value: str) -> None:
    before = kg.backend.triple_count()
    try:
        rows = kg.query("label-search", text=value)
    except ParameterError as err:
        assert "text" in str(err)
    else:
        assert rows == []
    assert kg.backend.triple_count() == before


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_name_parameter(kg: OncoKG, value: str) -> None:
    before = kg.backend.triple_count()
    with pytest.raises((NotFound, ParameterError)):
        kg.query("dosing", drug=value)
    assert kg.backend.triple_count() == before


@pytest.mark.parametrize(
    "iri", ["http://example.org/a>b", "http://exa mple.org/", "okr:x> } DROP ALL #"]
)
def test_bad_iri_parameter_is_refused(kg: OncoKG, iri: str) -> None:
    with pytest.raises(ParameterError):
        kg.query("claim-provenance", claim=iri)


def test_unknown_and_missing_parameters(kg: OncoKG) -> None:
    with pytest.raises(ParameterError, match="has no parameter 'drgu'"):
        kg.query("dosing", drgu="imatinib")
    with pytest.raises(ParameterError, match="needs drug"):
        kg.query("dosing")
    with pytest.raises(NotFound, match="catalogue query"):
        kg.query("no-such-query")
