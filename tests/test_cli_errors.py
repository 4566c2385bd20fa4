"""One clear line instead of a traceback, and a command line a newcomer can trust (#7)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from oncokg import __version__
from oncokg.api import OncoKG
from oncokg.cli import cli
from oncokg.errors import ParameterError
from oncokg.output import display_width

from .conftest import REPO, run_oncokg
from .test_hardening import one_error_line

SHAPES = Path(__file__).parent / "shapes"


def test_iri_with_a_space_gets_the_same_verdict_everywhere(tmp_path: Path) -> None:
    bad = tmp_path / "space.ttl"
    bad.write_text("<http://a/s> <http://a/p> <http://exa mple.org/> .\n")
    for command in (["validate"], ["validate", "--format", "turtle"], ["fmt", "--check"]):
        assert "bad syntax" in one_error_line(run_oncokg(*command, str(bad)), 2)


def test_a_query_name_over_255_characters() -> None:
    line = one_error_line(run_oncokg("query", "q" * 300), 1)
    assert "no catalogue query named" in line and "(300 characters)" in line


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_timeouts_must_be_positive_finite_numbers(value: str) -> None:
    result = run_oncokg("query", "dosing", "-p", "drug", "imatinib", "--timeout", value)
    assert "is not a number of seconds above 0" in one_error_line(result, 2)
    with pytest.raises(ParameterError):
        OncoKG.connect("http://127.0.0.1:1/query", timeout=float(value))


def test_serve_location_that_is_a_file(tmp_path: Path) -> None:
    a_file = tmp_path / "f"
    a_file.write_text("x")
    result = run_oncokg("serve", "--port", "7999", "--location", str(a_file))
    assert "is a file, not a store folder" in one_error_line(result, 2)


def test_export_to_a_bad_path(tmp_path: Path) -> None:
    result = run_oncokg("export", "-o", str(tmp_path / "no" / "such" / "dir" / "x.ttl"))
    assert "cannot write" in one_error_line(result, 2)


def test_resolve_needs_a_string() -> None:
    with pytest.raises(ParameterError, match="must be a string"):
        OncoKG.open().resolve(123, "drug")  # type: ignore[arg-type]


def test_validate_a_folder_validates_the_rdf_files_in_it(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (SHAPES / "base.ttl").read_bytes()
    (tmp_path / "base.ttl").write_bytes((SHAPES / "base.ttl").read_bytes())
    (tmp_path / "sub" / "gene.ttl").write_bytes(
        (SHAPES / "GeneShape" / "violates.ttl").read_bytes()
    )
    result = run_oncokg("validate", str(tmp_path))
    assert result.returncode == 1 and "gene.ttl: okr:x (pdgfra)" in result.stdout
    assert "from 3 files" in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no RDF files" in one_error_line(run_oncokg("validate", str(empty)), 2)


def test_long_values_are_cut_in_messages() -> None:
    result = run_oncokg("query", "dosing", "-p", "drug", "A" * 100_000)
    line = one_error_line(result, 2)  # no name is that long: a parameter error
    assert len(line) < 400 and "100,000 characters" in line


def test_a_repeated_parameter_binds_every_value() -> None:
    both = run_oncokg(
        "query", "dosing", "-p", "drug", "sotorasib", "-p", "drug", "sunitinib", "--format", "json"
    )
    one = [
        run_oncokg("query", "dosing", "-p", "drug", name, "--format", "json")
        for name in ("sotorasib", "sunitinib")
    ]
    rows = json.loads(both.stdout)
    assert len(rows) == sum(len(json.loads(r.stdout)) for r in one) > 1


def test_sparql_error_positions_count_from_the_users_text() -> None:
    result = run_oncokg("sparql", "-", stdin="SELECT *\nWHERE {\n  ?s ?p \n}\n")
    line = one_error_line(result, 2)
    assert "line 4" in line or "4:" in line, line


def test_json_output_never_emits_nan() -> None:
    query = 'SELECT ?x WHERE { VALUES ?x { "NaN"^^xsd:double "INF"^^xsd:double 1.5e0 } }'
    result = run_oncokg("sparql", "--format", "json", "-", stdin=query)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"emitted {c}"))
    assert [v["x"] for v in values] == ["nan", "inf", 1.5]


def test_a_big_report_starts_with_a_summary_and_has_a_limit(tmp_path: Path) -> None:
    genes = tmp_path / "genes.ttl"
    genes.write_text(
        "@prefix okg: <https://w3id.org/oncokg/ontology#> .\n"
        + "".join(f'<urn:g{i}> a okg:Gene ; okg:symbol "g{i}" .\n' for i in range(300))
    )
    result = run_oncokg("validate", "--limit", "5", str(genes))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Results by shape:" and "oks:GeneShape" in lines[1]
    assert sum(line.startswith("  Violation:") for line in lines) == 5
    assert "more not listed; --limit 0 lists all" in result.stdout
    assert "Does not conform:" in lines[-1]


def test_an_empty_csv_result_keeps_its_header() -> None:
    result = run_oncokg("query", "label-search", "-p", "text", "zzzz-nothing", "--format", "csv")
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["entity,label,matched,language,class"]


def test_table_output_aligns_chinese_text() -> None:
    result = run_oncokg("query", "label-search", "-p", "text", "尼")
    lines = result.stdout.splitlines()
    widths = {display_width(line) for line in lines[2:-1]}
    header_width = display_width(lines[1])
    assert all(w <= header_width for w in widths) and any("尼" in line for line in lines)
    column = lines[1].split("  ")
    starts = [sum(len(c) + 2 for c in column[:i]) for i in range(len(column))]
    for line in lines[2:-1]:
        assert display_width(line[: len(line)]) <= header_width
        assert _display_starts(line, starts)


def _display_starts(line: str, starts: list[int]) -> bool:
    """Every column starts at its display column: two spaces (or nothing) precede it."""
    cells: list[int] = []
    width = 0
    for i, c in enumerate(line):
        if i >= 2 and line[i - 2 : i] == "  " and c != " ":
            cells.append(width)
        width += display_width(c)
    return all(start in starts for start in cells)


# ---------------------------------------------------------------- a tool a newcomer trusts
def test_help_version_and_python_m() -> None:
    assert run_oncokg("-h").returncode == 0
    module = subprocess.run(
        [sys.executable, "-m", "oncokg", "--version"], capture_output=True, text=True, cwd=REPO
    )
    assert module.stdout.strip() == f"oncokg, version {__version__}"
    for command in cli.commands:
        assert run_oncokg(command, "-h").returncode == 0, command


def test_every_option_has_help_text() -> None:
    missing = [
        f"{name} {param.opts[0]}"
        for name, command in cli.commands.items()
        for param in command.params
        if isinstance(param, click.Option) and not param.help
    ]
    assert missing == []


def test_query_help_lists_the_catalogue_with_examples() -> None:
    from oncokg.catalogue import load_catalogue

    text = run_oncokg("query", "--help").stdout
    names = list(load_catalogue())
    assert all(name in text for name in names)
    assert "oncokg query drugs-by-target -p target 'KRAS G12C'" in text


def test_a_usage_error_is_one_line() -> None:
    line = one_error_line(run_oncokg("query"), 2)
    assert "Missing argument" in line and "oncokg query -h" in line
    assert "No such command" in one_error_line(run_oncokg("frobnicate"), 2)


def test_fmt_refuses_files_of_the_installed_package(tmp_path: Path) -> None:
    inside = REPO / "src" / "oncokg" / "probe.ttl"
    try:
        inside.write_text("<http://a/s> <http://a/p> <http://a/o> .\n")
        line = one_error_line(run_oncokg("fmt", str(inside)), 2)
        assert "belongs to the installed package" in line
        assert inside.read_text() == "<http://a/s> <http://a/p> <http://a/o> .\n"
    finally:
        inside.unlink()


def test_serve_keeps_its_store_in_the_cache_folder(tmp_path: Path) -> None:
    from oncokg.resources import cache_dir

    assert (
        cache_dir().parts[-2:] == (".cache", "oncokg")
        or "XDG_CACHE_HOME" in __import__("os").environ
    )
    result = subprocess.run(
        [sys.executable, "-c", "from oncokg.resources import cache_dir; print(cache_dir())"],
        capture_output=True,
        text=True,
        env={"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin"},
    )
    assert result.stdout.strip() == str(tmp_path / "oncokg")


def test_csv_output_parses() -> None:
    result = run_oncokg("query", "dosing", "-p", "drug", "sotorasib", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and "amount" in rows[0]
