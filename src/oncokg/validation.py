"""Validate RDF files against the OncoKG shapes and report violations a curator can act on.

Two engines give the same results: the shapes compiled to SPARQL and run by pyoxigraph
(:mod:`oncokg.shacl_sparql`, the default: about 20 times faster than pySHACL at 100k triples),
and pySHACL, the reference (``engine="pyshacl"``).

>>> report = validate()          # the ontology plus the curated graph
>>> report.conforms
True
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from oncokg.errors import InputError, ShapesError
from oncokg.rdf_files import rdf_files_in
from oncokg.resources import data_files, ontology_file, shapes_file
from oncokg.validation_input import LoadedGraph, LoadedStore, load_graph, ox_term, parse_file

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from oncokg.shacl_sparql import Check, Result

FORMATS = ("text", "json", "turtle")
ENGINES = ("sparql", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the focus node's label and the file it came from."""

    files: tuple[str, ...]
    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of one validation run."""

    conforms: bool
    violations: tuple[Violation, ...]
    files: tuple[Path, ...]
    triple_count: int
    results: tuple[Result, ...] = field(repr=False, default=())

    @cached_property
    def results_graph(self) -> Graph:
        """The SHACL validation report, as an rdflib graph (built when first asked for)."""
        from oncokg.shacl_sparql import report_graph

        return report_graph(list(self.results))

    @property
    def exit_code(self) -> int:
        """0 when the graph conforms, 1 when it has violations."""
        return 0 if self.conforms else 1

    def render(self, fmt: str, limit: int = 0) -> str:
        """The report as ``text``, ``json`` or ``turtle``; ``limit`` caps the violations the
        text report lists (0: all), after a per-shape summary."""
        if fmt == "text":
            return self._text(limit)
        if fmt == "json":
            return json.dumps(
                {
                    "conforms": self.conforms,
                    "triples": self.triple_count,
                    "files": [str(f) for f in self.files],
                    "violations": [asdict(v) for v in self.violations],
                },
                indent=2,
                ensure_ascii=False,
                allow_nan=False,
            )
        if fmt == "turtle":
            return self.results_graph.serialize(format="turtle")
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")

    def summary(self) -> list[tuple[str, str, int]]:
        """(shape, severity, count) for every shape with results, the most frequent first."""
        counts = Counter((v.shape, v.severity) for v in self.violations)
        return [(shape, sev, n) for (shape, sev), n in counts.most_common()]

    def _text(self, limit: int) -> str:
        lines = []
        shown = self.violations[:limit] if limit else self.violations
        if len(shown) < len(self.violations) or len(self.summary()) > 1:
            lines.append("Results by shape:")
            lines += [f"  {n:>7}  {sev:<9} {shape}" for shape, sev, n in self.summary()]
        for v in shown:
            where = ", ".join(v.files) or "(no file describes this node)"
            label = f" ({v.focus_label})" if v.focus_label else ""
            lines.append(f"{where}: {v.focus_node}{label}")
            detail = [f"path {v.path}"] if v.path else []
            if v.value is not None:
                detail.append(f"value {v.value}")
            if detail:
                lines.append("  " + ", ".join(detail))
            lines.append(f"  {v.severity}: {v.message}")
        files = f"{len(self.files)} file{'s' if len(self.files) != 1 else ''}"
        if len(shown) < len(self.violations):
            lines.append(
                f"({len(self.violations) - len(shown)} more not listed; --limit 0 lists all)"
            )
        if self.conforms:
            lines.append(f"Conforms: {self.triple_count} triples in {files}.")
        else:
            n = len(self.violations)
            lines.append(
                f"Does not conform: {n} violation{'s' if n != 1 else ''} "
                f"in {self.triple_count} triples from {files}."
            )
        return "\n".join(lines)


def default_files() -> list[Path]:
    """The ontology followed by every curated data file."""
    return [ontology_file(), *data_files()]


def validate(paths: Sequence[Path] | None = None, engine: str = "sparql") -> ValidationReport:
    """Validate the ontology plus ``paths`` (default: the curated graph) against the shapes.

    ``engine`` is ``sparql`` (the shapes compiled to SPARQL and run by pyoxigraph, see
    :mod:`oncokg.shacl_sparql`) or ``pyshacl``, the reference it is tested against; both give
    the same results. Raises :class:`oncokg.errors.InputError` when a file cannot be read or
    parsed.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of {', '.join(ENGINES)}")
    files = default_files() if not paths else [ontology_file(), *_expand(paths)]
    files = list(dict.fromkeys(f.absolute() for f in files))
    shapes = parse_file(shapes_file())
    if engine == "sparql":
        from oncokg.shacl_sparql import Unsupported, compile_shapes

        try:
            checks = compile_shapes(shapes)
        except Unsupported:
            engine = "pyshacl"  # a feature the compiler lacks: the reference engine decides
    if engine == "sparql":
        return _run_compiled(LoadedStore.load(files), shapes, checks)
    return _run(load_graph(files), shapes)


def _run_compiled(data: LoadedStore, shapes: Graph, checks: list[Check]) -> ValidationReport:
    from oncokg.shacl_sparql import restore_written_values, validate_store

    results = validate_store(data.store, checks)
    data.describe(ox_term(r.focus) for r in results)
    results = restore_written_values(results, data)
    return _report(data, shapes, not results, results, data.triple_count())


def _expand(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder stands for the RDF files in it (a folder with none is an error)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = rdf_files_in(path)
            if not found:
                raise InputError(path, "is a folder with no RDF files (.ttl, .nt, .jsonld, ...)")
            files += found
        else:
            files.append(path)
    return files


def _run(loaded: LoadedGraph, shapes: Graph) -> ValidationReport:
    from pyshacl import validate as shacl_validate

    from oncokg.shacl_sparql import results_of

    conforms, report, _ = shacl_validate(
        loaded.graph,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
    )
    if not hasattr(report, "subjects"):  # pySHACL returns a ValidationFailure for broken shapes
        raise ShapesError(shapes_file(), str(report))
    return _report(loaded, shapes, bool(conforms), results_of(report), len(loaded.graph))


def _report(
    loaded: LoadedGraph | LoadedStore,
    shapes: Graph,
    conforms: bool,
    results: list[Result],
    triple_count: int,
) -> ValidationReport:
    violations = tuple(sorted(_violations(loaded, results, shapes), key=_sort_key))
    return ValidationReport(
        conforms=conforms,
        violations=violations,
        files=tuple(_display_path(f) for f in loaded.files),
        triple_count=triple_count,
        results=tuple(results),
    )


def _violations(
    loaded: LoadedGraph | LoadedStore, results: list[Result], shapes: Graph
) -> list[Violation]:
    data = loaded.graph
    shown_files = {f: str(_display_path(f)) for f in loaded.files}
    shape_names: dict[Node, str] = {}
    found = []
    for result in results:
        if result.shape not in shape_names:
            shape_names[result.shape] = _shape_name(shapes, result.shape)
        found.append(
            Violation(
                files=tuple(shown_files[f] for f in loaded.files_of(result.focus)),
                focus_node=_show(data, result.focus),
                focus_label=_english_label(data, result.focus),
                path=_show(data, result.path) if result.path is not None else None,
                value=_show(data, result.value) if result.value is not None else None,
                message="; ".join(sorted(str(m) for m in result.messages)) or "(no message)",
                severity=_show(data, result.severity).removeprefix("sh:"),
                shape=shape_names[result.shape],
            )
        )
    return found


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """A shape's CURIE; a blank property shape is named by its node shape and path."""
    from rdflib import SH, BNode

    if isinstance(shape, BNode):
        parent = shapes.value(predicate=SH.property, object=shape)
        path = shapes.value(shape, SH.path)
        if parent is not None:
            where = f" ({_show(shapes, path)})" if path is not None else ""
            return _show(shapes, parent) + where
    return _show(shapes, shape)


def _sort_key(v: Violation) -> tuple[str, ...]:
    return (*v.files, v.focus_node, v.path or "", v.message, v.value or "")


def _show(graph: Graph, node: Node | None) -> str:
    from rdflib import BNode, URIRef

    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(node, generate=False)
        except (KeyError, ValueError):
            return f"<{node}>"
    if isinstance(node, BNode):
        return "[blank node]"
    return str(node.n3(graph.namespace_manager))


def _english_label(graph: Graph, node: Node | None) -> str | None:
    from rdflib import RDFS, Literal

    if node is None:
        return None
    labels = [lab for lab in graph.objects(node, RDFS.label) if isinstance(lab, Literal)]
    for lab in labels:
        if lab.language == "en":
            return str(lab)
    return str(labels[0]) if labels else None


def _display_path(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
