"""Validate RDF files against the OncoKG shapes and report violations a curator can act on.

>>> report = validate()          # the ontology plus the curated graph
>>> report.conforms
True
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from oncokg.errors import InputError, ShapesError
from oncokg.rdf_files import LoadedGraph, load_graph, parse_file, rdf_files_in
from oncokg.resources import data_files, ontology_file, shapes_file

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

FORMATS = ("text", "json", "turtle")


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
    results_graph: Graph

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


def validate(paths: Sequence[Path] | None = None) -> ValidationReport:
    """Validate the ontology plus ``paths`` (default: the curated graph) against the shapes.

    Raises :class:`oncokg.errors.InputError` when a file cannot be read or parsed.
    """
    files = default_files() if not paths else [ontology_file(), *_expand(paths)]
    files = list(dict.fromkeys(f.absolute() for f in files))
    loaded = load_graph(files)
    shapes = parse_file(shapes_file())
    return _run(loaded, shapes)


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

    conforms, results, _ = shacl_validate(
        loaded.graph,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
    )
    if not hasattr(results, "subjects"):  # pySHACL returns a ValidationFailure for broken shapes
        raise ShapesError(shapes_file(), str(results))
    violations = tuple(sorted(_violations(loaded, results, shapes), key=_sort_key))
    return ValidationReport(
        conforms=bool(conforms),
        violations=violations,
        files=tuple(_display_path(f) for f in loaded.files),
        triple_count=len(loaded.graph),
        results_graph=results,
    )


def _violations(loaded: LoadedGraph, results: Graph, shapes: Graph) -> list[Violation]:
    from rdflib import RDF, SH

    data = loaded.graph
    found = []
    # Only the report's own results: pySHACL also types the nested results it attaches under
    # sh:detail (for sh:or, sh:not, sh:node) as sh:ValidationResult, and SHACL counts those as
    # details of one result, not as results.
    top_level = (
        result
        for report in results.subjects(RDF.type, SH.ValidationReport)
        for result in results.objects(report, SH.result)
    )
    for result in top_level:
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        shape = results.value(result, SH.sourceShape)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        if focus is None:  # every SHACL result has a focus node; skip a malformed one
            continue
        found.append(
            Violation(
                files=tuple(str(_display_path(f)) for f in loaded.files_of(focus)),
                focus_node=_show(data, focus),
                focus_label=_english_label(data, focus),
                path=_show(data, path) if path is not None else None,
                value=_show(data, value) if value is not None else None,
                message="; ".join(messages) or "(no message)",
                severity=_show(data, severity).removeprefix("sh:"),
                shape=_shape_name(shapes, shape),
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
