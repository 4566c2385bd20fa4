"""Read RDF files into rdflib graphs, with errors that name the file and line.

>>> from oncokg.resources import ontology_file
>>> loaded = load_graph([ontology_file()])
>>> len(loaded.graph) > 1000
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from oncokg.errors import InputError
from oncokg.namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}
_LINE_IN_MESSAGE = re.compile(r"line (\d+)")


def rdf_format(path: Path) -> str:
    """The rdflib parser name for a file, from its suffix.

    >>> rdf_format(Path("data/x.ttl"))
    'turtle'
    """
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise InputError(
            path, f"unknown RDF file type {path.suffix!r}; use one of {known}"
        ) from None


@dataclass
class LoadedGraph:
    """A graph merged from several files, remembering which file described each subject."""

    graph: Graph
    files: list[Path]
    origins: dict[Node, set[Path]] = field(default_factory=dict)

    def files_of(self, node: Node) -> list[Path]:
        """The files in which ``node`` appears as a subject, in load order."""
        found = self.origins.get(node, set())
        return [f for f in self.files if f in found]


def parse_file(path: Path) -> Graph:
    """Parse one RDF file; raise :class:`InputError` naming the file and line if it is bad."""
    from rdflib import Graph

    fmt = rdf_format(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not an RDF file") from None
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise InputError(path, "not valid UTF-8; save the file as UTF-8", line=line) from None
    graph = Graph()
    try:
        graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib raises many types; all mean "cannot parse"
        raise _syntax_error(path, err) from None
    return graph


def _syntax_error(path: Path, err: Exception) -> InputError:
    line = getattr(err, "lines", None)
    if isinstance(line, int):
        reason = getattr(err, "_why", None) or str(err)
        return InputError(path, f"bad {rdf_format(path)} syntax: {reason}", line=line + 1)
    text = str(err)
    match = _LINE_IN_MESSAGE.search(text)
    first_line = text.strip().splitlines()[0] if text.strip() else type(err).__name__
    return InputError(
        path, f"bad {rdf_format(path)} syntax: {first_line}", line=int(match[1]) if match else None
    )


def load_graph(paths: Iterable[Path]) -> LoadedGraph:
    """Parse every file and merge them into one graph (all or nothing)."""
    from rdflib import Graph

    merged = Graph()
    files = list(paths)
    loaded = LoadedGraph(merged, files)
    for path in files:
        part = parse_file(path)
        for subject in part.subjects(unique=True):
            loaded.origins.setdefault(subject, set()).add(path)
        merged += part
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace, override=True)
    return loaded
