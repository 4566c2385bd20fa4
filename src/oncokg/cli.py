"""The ``oncokg`` command line: a thin layer over the library.

Exit codes: 0 success (the graph conforms); 1 the graph does not conform, a check failed, or
a name is not in the graph; 2 unreadable input, a bad query or a usage error; 3 the SPARQL
endpoint failed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from oncokg import __version__
from oncokg.errors import OncoKGError

if TYPE_CHECKING:
    from oncokg.api import OncoKG

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
OUTPUT_FORMATS = ("table", "json", "csv", "tsv")


def output_option(function: F) -> F:
    """The ``--format`` option shared by every command that prints rows."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(OUTPUT_FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(function)


def backend_options(function: F) -> F:
    """Where to run: the embedded store (default), a store on disk, or a SPARQL endpoint."""
    options = [
        click.option(
            "--endpoint",
            metavar="URL",
            help="Query a SPARQL endpoint (e.g. http://host:7878/query).",
        ),
        click.option(
            "--store",
            "store_path",
            type=click.Path(path_type=Path),
            help="Use (and build) a store on disk.",
        ),
        click.option(
            "--timeout",
            type=float,
            default=30.0,
            show_default=True,
            help="Endpoint timeout in seconds.",
        ),
        click.option("--user", help="User name for the endpoint (password from ONCOKG_PASSWORD)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def open_graph(
    endpoint: str | None, store_path: Path | None, timeout: float, user: str | None
) -> OncoKG:
    """The OncoKG object the backend options describe."""
    import os

    from oncokg.api import OncoKG

    if endpoint:
        return OncoKG.connect(
            endpoint, timeout=timeout, user=user, password=os.environ.get("ONCOKG_PASSWORD")
        )
    return OncoKG.open(store_path)


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
@output_option
def queries(fmt: str) -> None:
    """List the catalogue: name, title and parameters of every query."""
    from oncokg.backend import Row
    from oncokg.catalogue import load_catalogue
    from oncokg.output import render

    catalogue = _guard(load_catalogue)
    if fmt == "table":
        for q in catalogue.values():
            click.echo(f"{q.name}\n  {q.title}: {q.description}")
            for p in q.parameters:
                click.echo(f"  -p {p.name} VALUE   {p.type}: {p.description} (e.g. {p.example})")
        return
    rows = [
        Row(
            ("name", "title", "parameters"),
            (
                q.name,
                q.title,
                ", ".join(f"{p.name} ({p.type}, e.g. {p.example})" for p in q.parameters),
            ),
        )
        for q in catalogue.values()
    ]
    click.echo(render(rows, fmt), nl=False)


@main.command()
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help="A query parameter.",
)
@output_option
@backend_options
def query(
    name: str,
    params: tuple[tuple[str, str], ...],
    fmt: str,
    endpoint: str | None,
    store_path: Path | None,
    timeout: float,
    user: str | None,
) -> None:
    """Run catalogue query NAME with parameters bound (names are resolved)."""
    from oncokg.output import render

    def run() -> str:
        with open_graph(endpoint, store_path, timeout, user) as kg:
            rows = kg.query(name, **dict(params))
        return render(rows, fmt)

    click.echo(_guard(run), nl=False)


@main.command()
@click.argument("source", type=click.File("r", encoding="utf-8"))
@output_option
@backend_options
def sparql(
    source: Any,
    fmt: str,
    endpoint: str | None,
    store_path: Path | None,
    timeout: float,
    user: str | None,
) -> None:
    """Run the SPARQL query in file SOURCE (or - for standard input)."""
    from oncokg.backend import Row
    from oncokg.output import render
    from oncokg.sparql_form import query_form

    text = source.read()

    def run() -> str:
        form = query_form(text)
        with open_graph(endpoint, store_path, timeout, user) as kg:
            if form == "ASK":
                return "true\n" if kg.ask(text) else "false\n"
            if form in ("CONSTRUCT", "DESCRIBE"):
                triples = kg.construct(text)
                return render([Row(("subject", "predicate", "object"), t) for t in triples], fmt)
            return render(kg.select(text), fmt)

    click.echo(_guard(run), nl=False)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "ntriples", "jsonld"]),
    default="turtle",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (default: standard output).",
)
def export(fmt: str, output: Path | None) -> None:
    """Export the ontology and curated graph, byte-identical across runs."""
    from oncokg.api import OncoKG

    count = _guard(lambda: OncoKG.open().export(output or sys.stdout.buffer, fmt))
    if output is not None:
        click.echo(f"wrote {count} triples to {output}", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7878, show_default=True, type=int)
@click.option(
    "--location",
    type=click.Path(path_type=Path),
    default=Path("build/serve-store"),
    show_default=True,
    help="Folder of the store the server reads (rebuilt on every start).",
)
def serve(host: str, port: int, location: Path) -> None:
    """Serve the graph with the Oxigraph SPARQL server (query page at http://HOST:PORT/)."""
    import shutil

    from oncokg.api import load_sources
    from oncokg.embedded import EmbeddedBackend
    from oncokg.server import run_server

    def build() -> int:
        if location.exists():
            shutil.rmtree(location)
        backend = EmbeddedBackend.on_disk(location)
        count = load_sources(backend)
        backend.close()
        return count

    count = _guard(build)
    click.echo(
        f"serving {count} triples at http://{host}:{port}/ "
        f"(SPARQL endpoint http://{host}:{port}/query); Ctrl-C stops",
        err=True,
    )
    sys.exit(run_server(location, host, port))


@main.command()
@click.argument("url")
@click.option(
    "--store-url",
    metavar="URL",
    help="Graph Store Protocol URL (default: URL with /query -> /store).",
)
@click.option("--user", help="User name (password from ONCOKG_PASSWORD).")
@click.option("--timeout", type=float, default=60.0, show_default=True)
def push(url: str, store_url: str | None, user: str | None, timeout: float) -> None:
    """Load the ontology and curated graph into the SPARQL endpoint URL (its /query URL)."""
    import os

    from oncokg.api import load_sources
    from oncokg.remote import RemoteBackend

    backend = RemoteBackend(
        url,
        store_url=store_url,
        user=user,
        password=os.environ.get("ONCOKG_PASSWORD"),
        timeout=timeout,
    )
    count = _guard(lambda: load_sources(backend))
    click.echo(f"pushed {count} triples to {backend.store_url}")


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
