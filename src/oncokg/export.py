"""Deterministic export of the graph: the same bytes for the same content, every run.

Every format is written by pyoxigraph straight from the store, one named graph after the
other in a fixed order (ontology, curated, then imports), each in pyoxigraph's index order,
which depends on the content only; concatenated Turtle (or TriG) documents are one valid
document. Turtle, N-Triples and JSON-LD hold triples, so the graphs are merged; TriG and
N-Quads keep every named graph, so that a store loaded from them answers ``graph-size`` and
``named-graphs`` as the original does. JSON-LD needs a single document, so its triples are
first merged into one graph. The output starts with a comment naming the OncoKG version (not
for JSON-LD, which has no comments).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from oncokg import __version__
from oncokg.backend import GRAPH_NAMESPACE
from oncokg.disk_store import write_atomically
from oncokg.errors import InputError, ParameterError
from oncokg.namespaces import PREFIXES

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
QUAD_FORMATS = ("trig", "nquads")


def graph_size(store: ox.Store, graph: ox.NamedNode) -> int:
    """Number of triples in one named graph, counted by the store (catalogue: graph-size)."""
    from oncokg.bind import bind_values
    from oncokg.catalogue import get_query
    from oncokg.terms import Iri

    text = bind_values(get_query("graph-size").sparql, {"graph": Iri(graph.value)})
    solutions = store.query(text)
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))[0].value)


def source_of(graph: ox.NamedNode | str) -> str:
    """The source a named graph belongs to: ``.../graph/civic/2024-08-01`` -> ``civic``.

    >>> source_of(ox.NamedNode("https://w3id.org/oncokg/graph/civic/2024-08-01"))
    'civic'
    """
    iri = graph.value if isinstance(graph, ox.NamedNode) else graph
    return iri.removeprefix(GRAPH_NAMESPACE).split("/", 1)[0]


def select_graphs(
    graphs: Sequence[ox.NamedNode], keep: Sequence[str], drop: Sequence[str]
) -> list[ox.NamedNode]:
    """The graphs of the sources in ``keep`` (all when empty), less those in ``drop``."""
    known = sorted({source_of(g) for g in graphs})
    for name in [*keep, *drop]:
        if name not in known:
            raise ParameterError(
                f"no source named {name!r} in this store; it has {', '.join(known)}"
            )
    chosen = [g for g in graphs if (not keep or source_of(g) in keep) and source_of(g) not in drop]
    if not chosen:
        raise ParameterError("those --source and --exclude-source options leave no graph")
    return chosen


def export(store: ox.Store, graphs: list[ox.NamedNode], fmt: str, output: BinaryIO | Path) -> int:
    """Write ``graphs`` of ``store`` to ``output``; return the triple count.

    Triple formats merge the graphs; TriG and N-Quads keep each in its named graph.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if isinstance(output, Path):
        buffer = io.BytesIO()
        count = export(store, graphs, fmt, buffer)
        try:
            write_atomically(output, buffer.getvalue())
        except OSError as err:
            raise InputError(output, f"cannot write ({err.strerror})") from None
        return count
    count = sum(graph_size(store, g) for g in graphs)
    if fmt == "jsonld":
        merged = ox.Store()
        merged.extend(
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            for g in graphs
            for q in store.quads_for_pattern(None, None, None, g)
        )
        merged.dump(output, format=FORMATS[fmt], from_graph=ox.DefaultGraph())
        return count
    output.write(f"# OncoKG {__version__} export: {count} triples\n".encode())
    prefixes = PREFIXES if fmt in ("turtle", "trig") else None
    for graph in graphs:
        if fmt in QUAD_FORMATS:
            quads = store.quads_for_pattern(None, None, None, graph)
            ox.serialize(quads, output, FORMATS[fmt], prefixes=prefixes)
        else:
            store.dump(output, format=FORMATS[fmt], from_graph=graph, prefixes=prefixes)
    return count
