"""The ``oncokg`` command line: a thin layer over the library.

Exit codes: 0 success (the graph conforms); 1 the graph does not conform, a check failed, or
a name is not in the graph; 2 unreadable input, a bad query, a query stopped at its time
limit, or a usage error; 3 the SPARQL endpoint failed. Every error is one line on standard
error, ``oncokg: error: ...``, never a traceback.
"""

from __future__ import annotations

import math
import os
import sys
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from oncokg import __version__
from oncokg.errors import ParameterError
from oncokg.running import (
    DEFAULT_TIMEOUT,
    QueryCall,
    fail,
    guard,
    open_graph,
    run_bounded,
    run_query,
    unencodable,
)

if TYPE_CHECKING:
    from oncokg.disk_store import StoreFolder
    from oncokg.importers.base import ImportedGraph

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
OUTPUT_FORMATS = ("table", "json", "csv", "tsv")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _positive_seconds(_: click.Context, param: click.Parameter, value: float | None) -> Any:
    if value is not None and (not math.isfinite(value) or value <= 0):
        raise click.BadParameter(f"{value} is not a number of seconds above 0", param=param)
    return value


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
            help="Query a SPARQL endpoint (http or https, e.g. http://host:7878/query).",
        ),
        click.option(
            "--store",
            "store_path",
            type=click.Path(path_type=Path),
            help="Use a store folder on disk (built on first use, rebuilt when sources change).",
        ),
        click.option(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            show_default=True,
            callback=_positive_seconds,
            help="Seconds a query may run (the whole request, for an endpoint).",
        ),
        click.option(
            "--allow-service",
            is_flag=True,
            help="Let SERVICE clauses reach http(s) endpoints (federated queries are off).",
        ),
        click.option("--user", help="User name for the endpoint (password from ONCOKG_PASSWORD)."),
        click.option(
            "--all-sources",
            is_flag=True,
            help="With --endpoint: query every OncoKG graph it holds, imports included.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


class CatalogueCommand(click.Command):
    """``query``: its help ends with the catalogue, each query with an example."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from oncokg.catalogue import load_catalogue

        with formatter.section("Catalogue queries (oncokg queries describes each)"):
            for q in load_catalogue().values():
                example = " ".join(f"-p {p.name} {_quote(p.example)}" for p in q.parameters)
                formatter.write(f"  {q.name}: {q.title}\n")
                formatter.write(f"      oncokg query {q.name} {example}".rstrip() + "\n")


def _quote(text: str) -> str:
    return f"'{text}'" if " " in text else text


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="oncokg")
def cli() -> None:
    """OncoKG: a knowledge graph of targeted oncology drugs."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="Violations to list in the text report, after a per-shape summary (0: all).",
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    help="Validate the sources imported into this store folder too, with the curated graph.",
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    help="With --store: only the imports of this source (civic ...); repeatable.",
)
@click.option(
    "--engine",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="SHACL engine: the shapes compiled to SPARQL (fast), or pySHACL (the reference; "
    "both give the same results).",
)
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    limit: int,
    store_path: Path | None,
    sources: tuple[str, ...],
    engine: str,
) -> None:
    """Validate the ontology plus the curated graph (or PATHS: files or folders of RDF files)
    against the SHACL shapes.

    Exit code 0: conforms; 1: violations; 2: unreadable input.
    """
    from oncokg.validation import default_files
    from oncokg.validation import validate as run_validation

    def files() -> list[Path] | None:
        if store_path is None:
            return list(paths) or None
        from oncokg.disk_store import StoreFolder
        from oncokg.store_sources import import_plan

        imported = import_plan(StoreFolder(store_path))
        chosen = [p for _, (p, *_) in imported if not sources or p.parent.name in sources]
        if sources and not chosen:
            known = ", ".join(sorted({p.parent.name for _, (p, *_) in imported})) or "none"
            raise ParameterError(f"the store has no import of {', '.join(sources)}; it has {known}")
        return [*(list(paths) or default_files()[1:]), *chosen]

    report = guard(lambda: run_validation(files(), engine=engine))
    click.echo(report.render(fmt, limit=limit))
    sys.exit(report.exit_code)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only report files that are not canonical (exit 1).")
def fmt(paths: tuple[Path, ...], check: bool) -> None:
    """Rewrite Turtle and N-Triples files (default: all of data/) into canonical form.

    The triples, the format and every lexical form are kept; files with comments or relative
    IRIs are refused, not rewritten; each file is replaced atomically.
    """
    from oncokg.canonical import non_canonical, rewrite
    from oncokg.resources import checkout_files

    files = guard(lambda: checkout_files(list(paths)))
    if check:
        bad = guard(lambda: non_canonical(files))
        for path in bad:
            click.echo(f"not canonical: {path}")
        if bad:
            click.echo("run: oncokg fmt", err=True)
        sys.exit(1 if bad else 0)
    changed = guard(lambda: rewrite(files))
    for path in changed:
        click.echo(f"rewrote {path}")
    click.echo(f"{len(files)} files, {len(changed)} rewritten.")


@cli.command()
@output_option
def queries(fmt: str) -> None:
    """List the catalogue: name, title and parameters of every query."""
    from oncokg.backend import Row
    from oncokg.catalogue import load_catalogue
    from oncokg.output import render

    catalogue = guard(load_catalogue)
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


@cli.command(cls=CatalogueCommand)
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help="A query parameter; give one several times to bind several values.",
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
    allow_service: bool,
    user: str | None,
    all_sources: bool,
) -> None:
    """Run catalogue query NAME with parameters bound (names are resolved)."""
    call = QueryCall(
        name, params, fmt, endpoint, store_path, timeout, allow_service, user, all_sources
    )
    click.echo(run_query(call), nl=False)


@cli.command()
@click.argument("source", type=click.Path(allow_dash=True, path_type=Path))
@output_option
@backend_options
def sparql(
    source: Path,
    fmt: str,
    endpoint: str | None,
    store_path: Path | None,
    timeout: float,
    allow_service: bool,
    user: str | None,
    all_sources: bool,
) -> None:
    """Run the SPARQL query in file SOURCE (or - for standard input); the OncoKG prefixes are
    predeclared. Only queries run here (SELECT, ASK, CONSTRUCT, DESCRIBE), never updates."""
    from oncokg.backend import Row
    from oncokg.output import render
    from oncokg.sparql_text import require_form

    def run() -> str:
        text = _read_query(source)
        form = require_form(
            text, "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", allow_service=allow_service
        ).form
        with open_graph(endpoint, store_path, timeout, user, allow_service, all_sources) as kg:
            if form == "ASK":
                return "true\n" if kg.ask(text) else "false\n"
            if form in ("CONSTRUCT", "DESCRIBE"):
                triples = kg.construct(text)
                names = ("subject", "predicate", "object")
                return render([Row(names, t) for t in triples], fmt, names)
            return render(kg.select(text), fmt)

    click.echo(run_bounded(run, endpoint, timeout), nl=False)


def _read_query(source: Path) -> str:
    from oncokg.rdf_files import check_readable, decode_utf8

    if str(source) == "-":
        data = sys.stdin.buffer.read()
    else:
        check_readable(source)
        data = source.read_bytes()
    return decode_utf8(source, data, "query")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "ntriples", "jsonld", "trig", "nquads"]),
    default="turtle",
    show_default=True,
    help="Serialisation to write; trig and nquads keep each named graph, the others merge them.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write, atomically (default: standard output).",
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    help="Export a store folder with its imported sources (default: the curated graph).",
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    help="Export only this source's graphs (ontology, curated, civic ...), one graph per file "
    "if you like; repeatable.",
)
@click.option(
    "--exclude-source",
    "excluded",
    multiple=True,
    help="Leave this source out (say, a licence you cannot accept); repeatable.",
)
def export(
    fmt: str,
    output: Path | None,
    store_path: Path | None,
    sources: tuple[str, ...],
    excluded: tuple[str, ...],
) -> None:
    """Export the ontology and curated graph (or a store's graphs), byte-identical across runs."""
    from oncokg.api import OncoKG

    def run() -> int:
        with OncoKG.open(store_path) as kg:
            target = output or sys.stdout.buffer
            return kg.export(target, fmt, sources=sources, exclude=excluded)

    count = guard(run)
    if output is not None:
        click.echo(f"wrote {count} triples to {output}", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=7878, show_default=True, type=int, help="TCP port to listen on (1-65535)."
)
@click.option(
    "--store",
    "--location",
    "location",
    type=click.Path(path_type=Path),
    help="Store folder the server reads (built or updated first; a new, empty or OncoKG store "
    "folder), with the sources imported into it. Default: the user's cache folder.",
)
@click.option(
    "--timeout",
    type=float,
    default=DEFAULT_TIMEOUT,
    show_default=True,
    callback=_positive_seconds,
    help="Seconds a query may run before it is stopped.",
)
@click.option(
    "--memory-limit",
    type=click.FloatRange(min=0.1),
    default=4.0,
    show_default=True,
    help="GiB of memory a query may take.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Queries answered at once.",
)
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses reach http(s) endpoints.")
def serve(
    host: str,
    port: int,
    location: Path | None,
    timeout: float,
    memory_limit: float,
    workers: int,
    allow_service: bool,
) -> None:
    """Serve the graph read-only: the web application at http://HOST:PORT/ (pages, search,
    plots, the query page at /sparql) and the SPARQL 1.1 Protocol at /query."""
    from oncokg.api import OncoKG
    from oncokg.backend import QueryLimits
    from oncokg.server import check_port_free, run_server

    folder = location or _store_folder(None)

    def build() -> tuple[Path, int]:
        check_port_free(host, port)
        from oncokg.embedded import EmbeddedBackend

        with OncoKG.open(folder) as kg:
            backend = kg.backend
            assert isinstance(backend, EmbeddedBackend) and backend.path is not None
            return backend.path, backend.triple_count()

    build_path, count = guard(build)
    limits = QueryLimits(
        timeout=timeout, memory_bytes=int(memory_limit * 2**30), allow_service=allow_service
    )
    click.echo(
        f"serving {count} triples from {folder} at http://{host}:{port}/ "
        f"(SPARQL endpoint http://{host}:{port}/query); Ctrl-C stops",
        err=True,
    )
    sys.exit(guard(lambda: run_server(build_path, host, port, limits, workers)))


@cli.command()
@click.argument("url")
@click.option(
    "--store-url",
    metavar="URL",
    help="Graph Store Protocol URL (default: URL with /query -> /store).",
)
@click.option("--user", help="User name (password from ONCOKG_PASSWORD).")
@click.option(
    "--timeout",
    type=float,
    default=60.0,
    show_default=True,
    callback=_positive_seconds,
    help="Seconds each request may take, whole.",
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    help="Push the imported sources of this store folder too, each in its named graph.",
)
@click.option(
    "--exclude-source",
    "excluded",
    multiple=True,
    metavar="NAME",
    help="With --store: leave this source out (say, a licence the endpoint's users cannot "
    "accept); give it several times for several.",
)
@click.option(
    "--bulk-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Load through Virtuoso's bulk loader instead of PUTs (tens of millions of triples): "
    "the files are staged in this folder, which the server must read (its DirsAllowed), and "
    "the loader runs through isql-vt as --user (default dba).",
)
@click.option(
    "--isql-port",
    type=click.IntRange(1, 65535),
    default=1111,
    show_default=True,
    help="With --bulk-dir: the port of Virtuoso's SQL interface, on URL's host.",
)
def push(
    url: str,
    store_url: str | None,
    user: str | None,
    timeout: float,
    store_path: Path | None,
    excluded: tuple[str, ...],
    bulk_dir: Path | None,
    isql_port: int,
) -> None:
    """Load the ontology and curated graph into the SPARQL endpoint URL (its /query URL), and
    with --store every imported source; each graph is replaced by one PUT (or, with
    --bulk-dir, by Virtuoso's bulk loader). The graph of what the class and property
    hierarchies entail goes too (not counted as data); with --bulk-dir, so does the index
    of every name by trigram that label-search uses there (without, it is dropped), and
    Virtuoso gathers the statistics its plans need at its next start."""
    import tempfile

    from oncokg.api import source_plan
    from oncokg.backend import INFERRED_GRAPH
    from oncokg.embedded import entailed_ntriples, with_entailments
    from oncokg.name_trigrams import INDEX_GRAPH, TRIGRAMS, trigram_ntriples
    from oncokg.remote import RemoteBackend
    from oncokg.store_sources import imports_without
    from oncokg.virtuoso import Isql, analyze_quads, bulk_push, index_free_text

    def run() -> tuple[int, int, str]:
        if excluded and store_path is None:
            raise ParameterError("--exclude-source needs --store")
        plan = list(source_plan())
        if store_path is not None:
            plan += imports_without(store_path, excluded)
        backend = RemoteBackend(
            url,
            store_url=store_url,
            user=user,
            password=os.environ.get("ONCOKG_PASSWORD"),
            timeout=timeout,
        )
        with tempfile.TemporaryDirectory(prefix="oncokg-push-") as folder:
            derived = with_entailments(plan)  # what the hierarchies entail, derived here
            inferred = Path(folder) / "inferred.nt"
            inferred.write_bytes(entailed_ntriples(derived))
            if bulk_dir is None:
                count = sum(backend.load(paths, graph) for graph, paths in plan)
                backend.load([inferred], INFERRED_GRAPH)
                if backend.is_virtuoso():  # an index of the names pushed before would hide some
                    backend.drop(INDEX_GRAPH)
                return count, len(plan), backend.store_url
            names = Path(folder) / "names.nt"  # the index of the names, for label-search
            with names.open("w", encoding="utf-8") as lines:
                lines.writelines(trigram_ntriples(derived.store, derived.dataset))
            host = urllib.parse.urlsplit(url).hostname or "127.0.0.1"
            isql = Isql(host, isql_port, user or "dba", os.environ.get("ONCOKG_PASSWORD", ""))
            bulk_push(isql, bulk_dir, [*plan, (INFERRED_GRAPH, [inferred]), (INDEX_GRAPH, [names])])
            index_free_text(isql, TRIGRAMS)
            analyze_quads(isql)  # read when the server next starts: restart it before use
        count = backend.triple_count([graph for graph, _ in plan])  # as the server now holds
        return count, len(plan), f"{url} (bulk loader, isql port {isql_port})"

    count, graphs, target = guard(run)
    click.echo(f"pushed {count} triples in {graphs} graphs to {target}")
    if bulk_dir is not None:
        click.echo(
            "restart the server before it takes queries: its plans then use the statistics "
            "gathered after the load",
            err=True,
        )


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("build/release"),
    show_default=True,
    help="Folder under which the release folder oncokg-VERSION is written.",
)
@click.option(
    "--allow-untagged",
    is_flag=True,
    help="Build from a checkout whose HEAD is not tagged vVERSION (a trial run).",
)
def release(output: Path, allow_untagged: bool) -> None:
    """Build the versioned release artefacts: Turtle, N-Triples, JSON-LD with @context, TSV
    tables, a VoID/DCAT description with counts, licences and checksums, and SHA256SUMS."""
    from oncokg.release import build_release
    from oncokg.resources import resource_root

    built = guard(lambda: build_release(output, resource_root(), allow_untagged=allow_untagged))
    click.echo(f"wrote {len(built.files)} files ({built.triples} triples) to {built.folder}")


STORE_HELP = "Store folder (default: the user's cache folder, the one serve reads)."


def _store_folder(store_path: Path | None) -> Path:
    from oncokg.resources import cache_dir

    return store_path or cache_dir() / "store"


store_option = click.option(
    "--store", "store_path", type=click.Path(path_type=Path), help=STORE_HELP
)
hgnc_option = click.option(
    "--hgnc",
    type=click.Path(path_type=Path),
    required=True,
    help="HGNC gene table (TSV with HGNC ID, Approved symbol, Alias symbols, NCBI Gene ID).",
)


validate_option = click.option(
    "--validate",
    "check",
    is_flag=True,
    help="Check the import against the SHACL shapes first; refuse it if it does not conform.",
)


def saved(store: StoreFolder, imported: ImportedGraph, check: bool = False) -> str:
    """Put an import into its store (checked first, with ``check``); the summary to print."""
    from oncokg.store_sources import check_conforms, save_import

    if check:
        check_conforms(imported)
    changed = save_import(store, imported)
    note = "" if changed else "\n  the store already held this release: nothing changed"
    return imported.summary() + note


def with_progress(label: str, total: int, work: Callable[[Callable[[int], None]], T]) -> T:
    """Run an import with a progress bar on a terminal (logs get the summary only)."""
    if not sys.stderr.isatty():
        return work(lambda _: None)
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        return work(bar.update)


@cli.group("import")
def import_() -> None:
    """Import a release of an external knowledge base into a store folder.

    Each source and release becomes one named graph with its licence, input checksums, counts
    and skipped rows; a new release replaces the old one in one step, and re-importing the
    same release changes nothing.
    """


@import_.command("civic")
@validate_option
@click.argument("folder", type=click.Path(path_type=Path))
@store_option
@hgnc_option
@click.option(
    "--sequence-ontology",
    type=click.Path(path_type=Path),
    help="Sequence Ontology (so.obo), to type variants.",
)
@click.option("--release", help="Release date YYYY-MM-DD (default: from the file names).")
def import_civic(
    check: bool,
    folder: Path,
    store_path: Path | None,
    hgnc: Path,
    sequence_ontology: Path | None,
    release: str | None,
) -> None:
    """Import CIViC's predictive evidence from FOLDER, a monthly release (CC0)."""
    from oncokg.disk_store import StoreFolder
    from oncokg.importers.civic import find_release, import_civic
    from oncokg.importers.vocabularies import Vocabularies

    def run() -> str:
        store = StoreFolder(_store_folder(store_path))
        found = find_release(folder, release)
        vocabularies = Vocabularies.load(hgnc, sequence_ontology)
        rows = max(0, found.evidence.read_bytes().count(b"\n") - 1)
        imported = with_progress(
            f"CIViC {found.date} -> {store.path}",
            rows,
            lambda step: import_civic(folder, vocabularies, date=release, progress=step),
        )
        return saved(store, imported, check)

    click.echo(guard(run))


@import_.command("drugcentral")
@validate_option
@click.argument("path", type=click.Path(path_type=Path))
@store_option
@hgnc_option
@click.option(
    "--release",
    required=True,
    help="Release date YYYY-MM-DD or YYYY-MM (DrugCentral's file names carry none).",
)
def import_drugcentral(
    check: bool, path: Path, store_path: Path | None, hgnc: Path, release: str
) -> None:
    """Import DrugCentral's drug-target table PATH (.tsv or .tsv.gz; CC BY-SA 4.0)."""
    from oncokg.disk_store import StoreFolder
    from oncokg.importers.drugcentral import import_drugcentral as run_import
    from oncokg.importers.drugcentral import read_rows
    from oncokg.importers.vocabularies import Vocabularies

    def run() -> str:
        store = StoreFolder(_store_folder(store_path))
        vocabularies = Vocabularies.load(hgnc)
        rows = len(read_rows(path))
        imported = with_progress(
            f"DrugCentral {release} -> {store.path}",
            rows,
            lambda step: run_import(path, vocabularies, date=release, progress=step),
        )
        return saved(store, imported, check)

    click.echo(guard(run))


@import_.command("moalmanac")
@validate_option
@click.argument("folder", type=click.Path(path_type=Path))
@store_option
@hgnc_option
def import_moalmanac(check: bool, folder: Path, store_path: Path | None, hgnc: Path) -> None:
    """Import the Molecular Oncology Almanac release in FOLDER (its referenced/*.json files;
    GPL-2.0, research use only)."""
    from oncokg.disk_store import StoreFolder
    from oncokg.importers.moalmanac import import_moalmanac as run_import
    from oncokg.importers.moalmanac import statement_count
    from oncokg.importers.vocabularies import Vocabularies

    def run() -> str:
        store = StoreFolder(_store_folder(store_path))
        vocabularies = Vocabularies.load(hgnc)
        imported = with_progress(
            f"MOAlmanac -> {store.path}",
            statement_count(folder),
            lambda step: run_import(folder, vocabularies, progress=step),
        )
        return saved(store, imported, check)

    click.echo(guard(run))


@import_.command("disease-ontology")
@validate_option
@click.argument("path", type=click.Path(path_type=Path))
@store_option
@click.option("--release", required=True, help="Release date YYYY-MM-DD or YYYY-MM.")
def import_disease_ontology(check: bool, path: Path, store_path: Path | None, release: str) -> None:
    """Import the Human Disease Ontology (its JSON term list; CC0) as a reference graph, so
    that questions about a disease find its subtypes."""
    from oncokg.disk_store import StoreFolder
    from oncokg.importers.disease_ontology import import_disease_ontology as run_import
    from oncokg.importers.disease_ontology import read_terms

    def run() -> str:
        store = StoreFolder(_store_folder(store_path))
        imported = with_progress(
            f"Disease Ontology {release} -> {store.path}",
            len(read_terms(path)),
            lambda step: run_import(path, date=release, progress=step),
        )
        return saved(store, imported, check)

    click.echo(guard(run))


@cli.command()
@store_option
@output_option
def sources(store_path: Path | None, fmt: str) -> None:
    """List the knowledge base releases imported into a store, with their licences."""
    from oncokg.api import OncoKG
    from oncokg.output import render

    def run() -> str:
        with OncoKG.open(_store_folder(store_path)) as kg:
            return render(kg.query("sources"), fmt)

    click.echo(guard(run), nl=False)


@cli.command()
@click.argument("source")
@store_option
def remove(source: str, store_path: Path | None) -> None:
    """Remove every release of imported SOURCE (civic, moalmanac, drugcentral) from a store."""
    from oncokg.disk_store import StoreFolder
    from oncokg.store_sources import remove_source

    removed = guard(lambda: remove_source(StoreFolder(_store_folder(store_path)), source))
    for graph in removed:
        click.echo(f"removed {graph}")


@cli.command()
def stats() -> None:
    """Print instance counts per class and per source document."""
    from oncokg.stats import graph_stats

    click.echo(guard(graph_stats).render())


def main(argv: Sequence[str] | None = None) -> None:
    """The full command line (the console script's fallback, :mod:`oncokg.entry`): usage
    errors become one line and exit code 2."""
    try:
        code = cli.main(args=argv, prog_name="oncokg", standalone_mode=False)
    except click.UsageError as err:
        hint = f" (see: oncokg {err.ctx.info_name} -h)" if err.ctx and err.ctx.parent else ""
        fail(f"{err.format_message()}{hint}", 2)
    except click.ClickException as err:
        fail(err.format_message(), err.exit_code)
    except click.Abort:
        fail("interrupted", 130)
    except UnicodeEncodeError as error:  # click.echo to a standard output that is not UTF-8
        unencodable(error)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
