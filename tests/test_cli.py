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
