"""The ``oncokg`` command as a user runs it: exit codes, messages, formats."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

FIXTURES = Path(__file__).parent / "shapes"


def test_validate_curated_graph_conforms(run_cli) -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Conforms:")


def test_validate_violation_exit_1_with_file_label_and_message(run_cli) -> None:
    result = run_cli(
        "validate", str(FIXTURES / "base.ttl"), str(FIXTURES / "GeneShape" / "violates.ttl")
    )
    assert result.returncode == 1
    assert "GeneShape/violates.ttl: okr:x (pdgfra)" in result.stdout
    assert 'path okg:symbol, value "pdgfra"' in result.stdout
    assert "A gene needs exactly one official symbol in capitals" in result.stdout


def test_validate_json_report(run_cli) -> None:
    result = run_cli(
        "validate",
        "--format",
        "json",
        str(FIXTURES / "base.ttl"),
        str(FIXTURES / "ArmComparisonShape" / "violates.ttl"),
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    messages = {v["message"] for v in report["violations"]}
    assert "The hazard ratio 0.54 must lie within its confidence interval [0.57, 0.95]." in messages


def test_validate_turtle_report_parses(run_cli) -> None:
    result = run_cli(
        "validate",
        "--format",
        "turtle",
        str(FIXTURES / "base.ttl"),
        str(FIXTURES / "DrugShape" / "violates.ttl"),
    )
    assert result.returncode == 1
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 5


def test_malformed_turtle_exit_2_names_file_and_line(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix okg: <https://w3id.org/oncokg/ontology#> .\n\nokg:a okg:b okg:c ;\n  okg:d ] .\n"
    )
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert f"{bad}:4:" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_non_utf8_input_exit_2(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes(b'<urn:a> <urn:b> "caf\xe9" .\n')
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert "not valid UTF-8" in result.stderr and f"{bad}:1" in result.stderr


def test_missing_file_exit_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nope.ttl"))
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_fmt_check_reports_non_canonical_file(run_cli, tmp_path: Path) -> None:
    messy = tmp_path / "messy.ttl"
    messy.write_text("<urn:a>    <urn:b> <urn:c> .\n")
    result = run_cli("fmt", "--check", str(messy))
    assert result.returncode == 1
    assert "not canonical" in result.stdout and "oncokg fmt" in result.stderr
    assert run_cli("fmt", str(messy)).returncode == 0
    assert run_cli("fmt", "--check", str(messy)).returncode == 0


def test_stats_counts_per_class_and_source(run_cli) -> None:
    result = run_cli("stats")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["class", "total"]
    assert "000_1206c359b5332aa7.txt" in lines[0] and "002_02962377e6049bbb.txt" in lines[0]
    drug_row = next(line for line in lines if line.startswith("okg:Drug "))
    assert int(drug_row.split()[1]) == 22


def test_query_formats(run_cli) -> None:
    table = run_cli("query", "drugs-by-target", "-p", "target", "KRAS G12C")
    assert table.returncode == 0, table.stderr
    assert "okr:sotorasib" in table.stdout and "(2 rows)" in table.stdout
    as_json = run_cli("query", "dose-reduction", "-p", "drug", "洛滿舒膜衣錠", "--format", "json")
    assert [row["amount"] for row in json.loads(as_json.stdout)] == [960, 480, 240, None]
    as_csv = run_cli("query", "trial-comparisons", "-p", "drug", "lurbinectedin", "--format", "csv")
    assert "OS,0.73,0.57,0.95,0.95,=,0.0174" in as_csv.stdout
    as_tsv = run_cli("query", "pk-properties", "-p", "drug", "sotorasib", "--format", "tsv")
    assert as_tsv.stdout.splitlines()[0] == "role\tgene\tstrength\tclaim"


def test_query_unknown_name_is_a_clear_error(run_cli) -> None:
    result = run_cli("query", "dosing", "-p", "drug", "aspirinx")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "oncokg: error: no drug named 'aspirinx' in the graph; "
        "search labels with: oncokg query label-search -p text ..."
    )
    unknown = run_cli("query", "no-such-query")
    assert unknown.returncode == 1 and "catalogue query" in unknown.stderr


def test_queries_lists_the_catalogue(run_cli) -> None:
    result = run_cli("queries", "--format", "tsv")
    names = [line.split("\t")[0] for line in result.stdout.splitlines()[1:]]
    assert len(names) == 58 and "drugs-by-target" in names


def test_sparql_from_stdin_and_file(run_cli, tmp_path: Path) -> None:
    ask = run_cli("sparql", "-", stdin='ASK { okr:sotorasib okg:brandName "LUMAKRAS" }')
    assert ask.stdout == "true\n"
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?symbol WHERE { okr:KIT okg:symbol ?symbol }")
    select = run_cli("sparql", str(query), "--format", "csv")
    assert select.stdout == "symbol\nKIT\n"
    bad = run_cli("sparql", "-", stdin="SELECT * WHERE { ?s ?p }")
    assert bad.returncode == 2 and "SPARQL syntax error" in bad.stderr


def test_export_is_deterministic_and_round_trips(run_cli, tmp_path: Path) -> None:
    from oncokg.resources import data_files, ontology_file

    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run_cli("export", "-o", str(first)).returncode == 0
    assert run_cli("export", "-o", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert text.startswith("# OncoKG 0.1.0 export:") and "@prefix okg:" in text
    exported = Graph().parse(first)
    source = Graph()
    for path in [ontology_file(), *data_files()]:
        source.parse(path)
    from rdflib import BNode

    # The graph has no blank nodes, so isomorphism is equality of the triple sets. Oxigraph
    # writes xsd:decimal in canonical form ("9.0" becomes "9") and lower-cases language tags:
    # same values, and rdflib's literal equality agrees once decimals are canonical.
    assert not any(isinstance(t, BNode) for triple in source for t in triple)
    assert set(_canonical_decimals(exported)) == set(_canonical_decimals(source))
    ntriples = run_cli("export", "--format", "ntriples")
    assert len(ntriples.stdout.splitlines()) == len(source) + 1
    jsonld = run_cli("export", "--format", "jsonld")
    assert len(Graph().parse(data=jsonld.stdout, format="json-ld")) == len(source)


def test_serve_answers_sparql(tmp_path: Path) -> None:
    import subprocess
    import sys

    from oncokg.api import OncoKG

    from .conftest import REPO, free_port, wait_until_up

    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oncokg.cli",
            "serve",
            "--port",
            str(port),
            "--location",
            str(tmp_path / "s"),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process, seconds=30)
        kg = OncoKG.connect(f"http://127.0.0.1:{port}/query", timeout=5)
        kg.backend.graphs = []  # the server shows the union of its graphs as default graph
        assert [d.drug_label for d in kg.drugs_targeting("KRAS G12C")] == ["sotorasib", "sotorasib"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def _canonical_decimals(graph: Graph) -> Graph:
    from decimal import Decimal

    from rdflib import XSD, Literal

    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize() + 0, "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out
