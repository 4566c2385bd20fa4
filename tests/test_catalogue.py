"""Every catalogue query runs on the curated graph and returns the expected rows.

Expected rows live in ``tests/catalogue/<query>.json`` with the parameters they were run with
(the examples of the query's header); data-quality checks (``*-violation``) return no rows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from oncokg.api import OncoKG
from oncokg.catalogue import load_catalogue, parse_query_file
from oncokg.errors import ParameterError
from oncokg.namespaces import PREFIXES
from oncokg.output import cell
from oncokg.terms import Iri

EXPECTED = Path(__file__).parent / "catalogue"
CATALOGUE = load_catalogue()
NAMES = sorted(CATALOGUE)


@pytest.fixture(scope="module")
def kg() -> OncoKG:
    return OncoKG.open()


_PREFIX_LINE = re.compile(r"^PREFIX (\w+): <([^>]*)>$", re.MULTILINE)
_CONCAT = re.compile(
    r'GROUP_CONCAT\((?:DISTINCT )?[^;]*;\s*SEPARATOR\s*=\s*"([^"]*)"\)\s+AS\s+\?(\w+)\)'
)


def comparable(name: str, variables: list[str], rows: list[list[str]]) -> list[list[object]]:
    """Rows with each GROUP_CONCAT cell as its sorted values: SPARQL leaves their order open."""
    separators = {var: sep for sep, var in _CONCAT.findall(CATALOGUE[name].sparql)}
    return [
        [
            sorted(value.split(separators[var])) if var in separators and value else value
            for var, value in zip(variables, row, strict=True)
        ]
        for row in rows
    ]


def expected_rows(name: str) -> tuple[dict[str, str], list[str], list[list[str]]]:
    data = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    return data["params"], data["variables"], data["rows"]


def test_catalogue_size_and_metadata() -> None:
    assert len(NAMES) == 58
    assert sum(CATALOGUE[n].is_violation_check for n in NAMES) == 6
    for query in CATALOGUE.values():
        assert query.title and query.description and query.keywords, query.name
        declared = dict(_PREFIX_LINE.findall(query.sparql))
        assert declared == {p: PREFIXES[p] for p in declared}, (
            f"{query.name}: a prefix declared with another namespace than namespaces.PREFIXES"
        )
    assert sorted(p.stem for p in EXPECTED.glob("*.json")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_catalogue_query_expected_rows(kg: OncoKG, name: str) -> None:
    params, variables, rows = expected_rows(name)
    assert params == {p.name: p.example for p in CATALOGUE[name].parameters}
    result = kg.query(name, **params)
    got = [[cell(v) for v in r.values] for r in result]
    assert comparable(name, variables, got) == comparable(name, variables, rows)
    if result:
        assert list(result[0].variables) == variables
    if CATALOGUE[name].is_violation_check:
        assert rows == []
    else:
        assert rows, f"{name}: the example parameters should find something"


TABLE_CLASSES = {
    "table-drugs": "Drug",
    "table-drug-targets": "DrugTargetInteraction",
    "table-outcomes": "Outcome",
    "table-adverse-events": "AdverseEventObservation",
}


@pytest.mark.parametrize("name", sorted(TABLE_CLASSES))
def test_release_tables_have_one_row_per_instance(kg: OncoKG, name: str) -> None:
    """Counted independently: rdflib over the data files, not the store and its SPARQL."""
    from rdflib import RDF, Graph, URIRef

    from oncokg.namespaces import ONTOLOGY
    from oncokg.resources import data_files

    graph = Graph()
    for path in data_files():
        graph.parse(path)
    instances = set(graph.subjects(RDF.type, URIRef(ONTOLOGY + TABLE_CLASSES[name])))
    rows = kg.query(name)
    assert len(TABLE_CLASSES) == 4
    assert len(rows) == len(instances) > 0
    assert {str(r.values[0]) for r in rows} == {str(i) for i in instances}


def test_class_counts_agree_with_stats(kg: OncoKG) -> None:
    """The store's counts against ``oncokg stats``, which counts while parsing the files."""
    from oncokg.stats import graph_stats

    stats = graph_stats()
    counted = {Iri(r["class"]).curie(): int(str(r["instances"])) for r in kg.query("class-counts")}
    expected = {c: n for c, n in stats.by_class.items() if c.startswith("okg:")}
    assert counted == expected and len(counted) > 30


def test_join_order_header_stays_on_the_text_and_takes_one_value(tmp_path: Path) -> None:
    head = "# title: t\n# description: d\n# join-order: "
    good, bad = tmp_path / "good.rq", tmp_path / "bad.rq"
    good.write_text(head + "written\nSELECT * { ?s ?p ?o }\n", encoding="utf-8")
    bad.write_text(head + "random\nSELECT * { ?s ?p ?o }\n", encoding="utf-8")
    assert parse_query_file(good).sparql == "# join-order: written\nSELECT * { ?s ?p ?o }\n"
    with pytest.raises(ParameterError, match=r"bad\.rq: bad '# join-order:' line"):
        parse_query_file(bad)
