"""Fast parsing of RDF files with pyoxigraph, with errors that name the file and line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from oncokg.errors import InputError

OXIGRAPH_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def parse_quads(path: Path) -> Iterator[ox.Quad]:
    """Yield the triples of one file as quads in the default graph."""
    try:
        fmt = OXIGRAPH_FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(path, f"unknown RDF file type {path.suffix!r}") from None
    try:
        yield from ox.parse(path=path, format=fmt, base_iri=path.resolve().as_uri())
    except SyntaxError as err:  # pyoxigraph reports parse errors as SyntaxError
        raise InputError(path, f"bad syntax: {err.msg}", line=err.lineno) from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
