"""Content negotiation for a resource's IRI: HTML for a browser, RDF for a client that asks.

The RDF is the resource's own statements (the rows of ``resource-statements``), with the
OncoKG prefixes; JSON-LD carries them as its ``@context``.

>>> negotiate("text/turtle;q=0.9, text/html;q=0.5")
'ttl'
>>> negotiate("*/*")
'html'
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from oncokg.backend import Rows
from oncokg.namespaces import PREFIXES
from oncokg.terms import Iri, to_oxigraph

MEDIA_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
_ACCEPTED = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
}


def negotiate(accept: str) -> str:
    """``html``, ``ttl``, ``nt`` or ``jsonld``: the client's most preferred (HTML on a tie)."""
    best, best_q = "html", -1.0
    for part in accept.split(","):
        media, *options = (p.strip() for p in part.split(";"))
        quality = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        kind = _ACCEPTED.get(media.lower())
        if kind is None and media in ("*/*", "text/*"):
            kind = "html"
        if kind is not None and quality > best_q and quality > 0:
            best, best_q = kind, quality
    return best


def serialize(resource: Iri, statements: Rows, kind: str) -> bytes:
    """The statements about ``resource`` as Turtle, N-Triples or JSON-LD."""
    subject = ox.NamedNode(resource)
    triples = [
        ox.Triple(subject, ox.NamedNode(str(row["property"])), to_oxigraph(row["value"]))  # type: ignore[arg-type]
        for row in statements
        if row["value"] is not None
    ]
    if kind == "ttl":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    if kind == "nt":
        return ntriples
    return _json_ld(ntriples)


def _json_ld(ntriples: bytes) -> bytes:
    """JSON-LD compacted with the OncoKG prefixes as its ``@context``."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ntriples.decode("utf-8"), format="nt")
    text = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    json.loads(text)  # always a JSON document
    return text.encode("utf-8")
