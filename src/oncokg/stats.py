"""Counts of the curated graph: instances per class and per source document.

>>> table = graph_stats()
>>> table.total("okg:Drug") > 10
True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from oncokg.namespaces import ONTOLOGY, PREFIXES
from oncokg.resources import data_files

_RDF_TYPE = PREFIXES["rdf"] + "type"
_DERIVED_FROM = PREFIXES["prov"] + "wasDerivedFrom"
_FILE_NAME = ONTOLOGY + "fileName"


@dataclass
class GraphStats:
    """Instances per class, overall and per source document (by file name)."""

    triples: int = 0
    by_class: Counter[str] = field(default_factory=Counter)
    by_class_and_source: Counter[tuple[str, str]] = field(default_factory=Counter)
    sources: list[str] = field(default_factory=list)

    def total(self, curie: str) -> int:
        """Number of instances of a class given as a CURIE."""
        return self.by_class[curie]

    def render(self) -> str:
        """A plain-text table, classes sorted by name."""
        header = ["class", "total", *self.sources]
        rows = [
            [cls, str(n), *(str(self.by_class_and_source[cls, s]) for s in self.sources)]
            for cls, n in sorted(self.by_class.items())
        ]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = [_row(r, widths) for r in [header, *rows]]
        return "\n".join([*lines, f"{self.triples} triples"])


def _row(cells: list[str], widths: list[int]) -> str:
    """First cell left-aligned, numbers right-aligned."""
    padded = [cells[0].ljust(widths[0])]
    padded += [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
    return "  ".join(padded)


def graph_stats(paths: Sequence[Path] | None = None) -> GraphStats:
    """Count the instances of every ``okg:`` class in the curated data (or ``paths``)."""

    from oncokg.rdf_files import read_quads

    stats = GraphStats()
    types: dict[str, set[str]] = {}
    derived: dict[str, set[str]] = {}
    file_names: dict[str, str] = {}
    for path in paths or data_files():
        for quad in read_quads(path):
            stats.triples += 1
            predicate, subject, obj = quad.predicate.value, _text(quad.subject), _text(quad.object)
            if predicate == _RDF_TYPE and obj.startswith(ONTOLOGY):
                types.setdefault(subject, set()).add(obj)
            elif predicate == _DERIVED_FROM:
                derived.setdefault(subject, set()).add(obj)
            elif predicate == _FILE_NAME:
                file_names[subject] = obj
    for node, classes in types.items():
        for cls in classes:
            curie = "okg:" + cls.removeprefix(ONTOLOGY)
            stats.by_class[curie] += 1
            for source in derived.get(node, ()):
                stats.by_class_and_source[curie, file_names.get(source, source)] += 1
    stats.sources = sorted(set(file_names.values()))
    return stats


def _text(term: object) -> str:
    """The IRI, blank-node id or lexical form of a pyoxigraph term ("" for quoted triples)."""
    value = getattr(term, "value", "")
    return value if isinstance(value, str) else ""
