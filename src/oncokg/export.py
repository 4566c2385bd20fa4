"""Deterministic export of the graph: the same bytes for the same content, every run.

Turtle and N-Triples are written by pyoxigraph straight from the store, one named graph after
the other in a fixed order (ontology, curated, then imports), each in pyoxigraph's index order,
which depends on the content only; concatenated Turtle documents are one valid Turtle document.
JSON-LD needs a single document, so its triples are first merged into one graph. The output
starts with a comment naming the OncoKG version (not for JSON-LD, which has no comments).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from oncokg import __version__
from oncokg.disk_store import write_atomically
from oncokg.errors import InputError
from oncokg.namespaces import PREFIXES

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def graph_size(store: ox.Store, graph: ox.NamedNode) -> int:
    """Number of triples in one named graph, counted by the store (catalogue: graph-size)."""
    from oncokg.bind import bind_values
    from oncokg.catalogue import get_query
    from oncokg.terms import Iri

    text = bind_values(get_query("graph-size").sparql, {"graph": Iri(graph.value)})
    solutions = store.query(text)
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))[0].value)


def export(store: ox.Store, graphs: list[ox.NamedNode], fmt: str, output: BinaryIO | Path) -> int:
    """Write the union of ``graphs`` of ``store`` to ``output``; return the triple count."""
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
    prefixes = PREFIXES if fmt == "turtle" else None
    for graph in graphs:
        store.dump(output, format=FORMATS[fmt], from_graph=graph, prefixes=prefixes)
    return count
