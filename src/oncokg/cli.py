"""The ``oncokg`` command line: a thin layer over the library.

Exit codes: 0 success (the graph conforms), 1 the graph does not conform or a check
failed, 2 unreadable input or a usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from oncokg import __version__
from oncokg.errors import OncoKGError

T = TypeVar("T")


@click.group()
@click.version_option(__version__, prog_name="oncokg")
def main() -> None:
    """OncoKG: a knowledge graph of targeted oncology drugs."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format.",
)
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Validate the ontology plus the curated graph (or PATHS) against the SHACL shapes.

    Exit code 0: conforms; 1: violations; 2: unreadable input.
    """
    from oncokg.validation import validate as run_validation

    report = _guard(lambda: run_validation(list(paths) or None))
    click.echo(report.render(fmt))
    sys.exit(report.exit_code)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only report files that are not canonical (exit 1).")
def fmt(paths: tuple[Path, ...], check: bool) -> None:
    """Rewrite curated data files (default: all of data/) into canonical Turtle."""
    from oncokg.canonical import non_canonical, rewrite
    from oncokg.resources import data_files

    files = list(paths) or data_files()
    if check:
        bad = _guard(lambda: non_canonical(files))
        for path in bad:
            click.echo(f"not canonical: {path}")
        if bad:
            click.echo("run: oncokg fmt", err=True)
        sys.exit(1 if bad else 0)
    changed = _guard(lambda: rewrite(files))
    for path in changed:
        click.echo(f"rewrote {path}")
    click.echo(f"{len(files)} files, {len(changed)} rewritten.")


@main.command()
def stats() -> None:
    """Print instance counts per class and per source document."""
    from oncokg.stats import graph_stats

    click.echo(_guard(graph_stats).render())


def _guard(action: Callable[[], T]) -> T:
    """Run ``action``; turn an :class:`OncoKGError` into a one-line message and its exit code."""
    try:
        return action()
    except OncoKGError as err:
        click.echo(f"oncokg: error: {err}", err=True)
        sys.exit(err.exit_code)


if __name__ == "__main__":
    main()
