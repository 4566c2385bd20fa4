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
        lines = [
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
            for r in [header, *rows]
        ]
        return "\n".join([*lines, f"{self.triples} triples"])


def graph_stats(paths: Sequence[Path] | None = None) -> GraphStats:
    """Count the instances of every ``okg:`` class in the curated data (or ``paths``)."""
    import pyoxigraph as ox

    from oncokg.store_loading import parse_quads

    stats = GraphStats()
    types: dict[ox.NamedNode | ox.BlankNode, set[str]] = {}
    derived: dict[ox.NamedNode | ox.BlankNode, set[str]] = {}
    file_names: dict[str, str] = {}
    for path in paths or data_files():
        for quad in parse_quads(path):
            stats.triples += 1
            predicate = quad.predicate.value
            if predicate == _RDF_TYPE and quad.object.value.startswith(ONTOLOGY):
                types.setdefault(quad.subject, set()).add(quad.object.value)  # type: ignore[arg-type]
            elif predicate == _DERIVED_FROM:
                derived.setdefault(quad.subject, set()).add(quad.object.value)  # type: ignore[arg-type]
            elif predicate == _FILE_NAME:
                file_names[quad.subject.value] = quad.object.value
    for node, classes in types.items():
        for cls in classes:
            curie = "okg:" + cls.removeprefix(ONTOLOGY)
            stats.by_class[curie] += 1
            for source in derived.get(node, ()):
                stats.by_class_and_source[curie, file_names.get(source, source)] += 1
    stats.sources = sorted(set(file_names.values()))
    return stats
