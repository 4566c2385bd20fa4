"""The README's examples run, and its numbers are today's: docs that cannot drift."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from oncokg.api import OncoKG
from oncokg.stats import graph_stats

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
CONSOLE = re.findall(r"```console\n(.*?)```", README, re.DOTALL)
PYTHON = re.findall(r"```python\n(.*?)```", README, re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    examples = []
    for block in CONSOLE:
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


EXAMPLES = _examples()


def test_readme_example_count() -> None:
    assert (len(EXAMPLES), len(PYTHON)) == (4, 1)


@pytest.mark.parametrize(("command", "output"), EXAMPLES, ids=[c[:40] for c, _ in EXAMPLES])
def test_readme_console_example(command: str, output: str) -> None:
    shell = f'oncokg() {{ "{sys.executable}" -m oncokg "$@"; }}\n{command}'
    result = subprocess.run(
        ["bash", "-c", shell], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in result.stderr
    assert result.stdout == output


def test_readme_python_example_runs(tmp_path: Path) -> None:
    os.chdir(tmp_path)  # the example builds build/store in the working folder
    try:
        exec(compile(PYTHON[0], "README.md", "exec"), {})
    finally:
        os.chdir(REPO)
    assert (tmp_path / "build" / "store" / "oncokg-store.json").is_file()


def test_readme_states_todays_size() -> None:
    with OncoKG.open() as kg:
        triples = kg.backend.triple_count()
    stats = graph_stats()
    sentence = (
        f"Today the graph holds {triples:,} triples: the ontology and the curated claims of three "
        f"source\ndocuments ({stats.total('okg:Drug')} drugs, "
        f"{stats.total('okg:ClinicalTrial')} clinical trials, {stats.total('okg:Outcome')} "
        f"outcomes, {stats.total('okg:AdverseEventObservation')} adverse-event observations)."
    )
    assert sentence in README


def test_readme_push_example_does_not_reuse_the_serve_port() -> None:
    serve_port = re.search(r"oncokg serve --port (\d+)", README)
    push_port = re.search(r"oncokg push http://127\.0\.0\.1:(\d+)/query", README)
    assert serve_port and push_port and serve_port[1] != push_port[1]


def test_every_command_is_documented() -> None:
    from oncokg.cli import cli

    table = README[README.index("## Commands") : README.index("## Limits")]
    missing = [name for name in cli.commands if f"`oncokg {name}" not in table]
    assert missing == [] and len(cli.commands) == 13


def test_ci_runs_the_readme_test_command() -> None:
    """CI runs the quick start's test command as the README gives it (pip's -q aside)."""
    quick_start = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert quick_start
    command = quick_start[1].strip().splitlines()[-1]
    assert command.startswith("scripts/install-peer-tools && ")
    ci = (
        (REPO / ".ci" / "run")
        .read_text(encoding="utf-8")
        .replace("pip install -q ", "pip install ")
    )
    assert command in ci.splitlines()


def test_readme_pictures_are_in_the_repository() -> None:
    pictures = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", README)
    assert len(pictures) == 2
    for picture in pictures:
        assert (REPO / picture).is_file() and (REPO / picture).stat().st_size > 10_000, picture
