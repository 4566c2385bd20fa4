"""Deterministic export of the graph: the same bytes for the same content, every run.

The triples of the OncoKG graphs are copied into one default graph of a fresh in-memory
store and dumped by pyoxigraph, which writes in its index order (a function of the content,
not of load order); the output starts with a comment naming the OncoKG version.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from oncokg import __version__
from oncokg.namespaces import PREFIXES

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def export(store: ox.Store, graphs: list[ox.NamedNode], fmt: str, output: BinaryIO | Path) -> int:
    """Write the union of ``graphs`` of ``store`` to ``output``; return the triple count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    merged = ox.Store()
    merged.extend(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        for g in graphs
        for q in store.quads_for_pattern(None, None, None, g)
    )
    count = len(merged)
    header = (
        b"" if fmt == "jsonld" else f"# OncoKG {__version__} export: {count} triples\n".encode()
    )
    prefixes = PREFIXES if fmt == "turtle" else None
    if isinstance(output, Path):
        with output.open("wb") as handle:
            handle.write(header)
            merged.dump(
                handle, format=FORMATS[fmt], from_graph=ox.DefaultGraph(), prefixes=prefixes
            )
    else:
        output.write(header)
        merged.dump(output, format=FORMATS[fmt], from_graph=ox.DefaultGraph(), prefixes=prefixes)
    return count
