"""The canonical form of curated data files, and the ``fmt`` command behind it.

Turtle's canonical form is rdflib's ``longturtle`` with the project's prefixes: one subject
block per node, sorted, one predicate per line. N-Triples' is one triple per line, sorted,
without duplicates. Every file under ``data/`` is kept canonical so that diffs show facts,
not formatting; ``tests/test_data.py`` fails with the command to run.

A formatter must never change what a file says. ``fmt`` keeps each file's format and every
literal's lexical form (``"01"^^xsd:integer`` stays ``01``), checks the new text against the
old (the same triples, term for term) before writing anything, writes atomically (temporary
file, fsync, rename), and refuses what it cannot keep: comments, relative IRIs and the
formats it has no canonical form for (JSON-LD, RDF/XML) are reported, the file untouched.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from oncokg.disk_store import write_atomically
from oncokg.errors import InputError
from oncokg.namespaces import PREFIXES
from oncokg.rdf_files import rdf_format, read_quads, read_text
from oncokg.sparql_text import comment_lines
from oncokg.terms import XSD

if TYPE_CHECKING:
    from rdflib import Graph

FMT_COMMAND = "oncokg fmt"
CANONICAL_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)
# relative IRIs resolve against this base, so that fmt can tell them apart
_PROBE_BASE = "http://relative-iri.oncokg.invalid/"


def canonical_text(path: Path) -> str:
    """The canonical text of one Turtle or N-Triples file; raises :class:`InputError` when the
    file cannot be put in canonical form without losing something."""
    fmt = rdf_format(path)
    if fmt not in CANONICAL_FORMATS:
        raise InputError(
            path,
            f"fmt rewrites Turtle (.ttl) and N-Triples (.nt) files only; this is {fmt.name}, "
            "left as it is",
        )
    text = read_text(path)
    comments = comment_lines(text)
    if comments:
        raise InputError(
            path,
            "has comments, which fmt would drop; move them into rdfs:comment or "
            "okg:curatorNote, then run fmt again",
            line=comments[0],
        )
    quads = read_quads(path, base_iri=_PROBE_BASE)
    relative = next((t for q in quads for t in _iris(q) if t.startswith(_PROBE_BASE)), None)
    if relative is not None:
        raise InputError(
            path,
            f"has relative IRIs (<{relative.removeprefix(_PROBE_BASE)}>), which fmt cannot keep "
            "relative; write them in full or declare @base",
        )
    try:
        with _lexical_forms_kept():
            graph = _rdflib_graph(text, fmt, path)
            new = _ntriples_text(graph) if fmt == ox.RdfFormat.N_TRIPLES else _turtle_text(graph)
            same = _same(graph, _rdflib_graph(new, fmt, path))
    except RecursionError:
        raise InputError(path, "is nested too deeply for fmt to rewrite; left as it is") from None
    if not same:
        raise InputError(
            path, "fmt would change the file's triples or lexical forms; left as it is"
        )
    return new


def non_canonical(paths: Iterable[Path]) -> list[Path]:
    """The files whose text differs from their canonical form."""
    return [p for p in paths if read_text(p) != canonical_text(p)]


def rewrite(paths: Iterable[Path]) -> list[Path]:
    """Rewrite files into canonical form; return those that changed.

    Every file is read and checked before any is written, so one bad file leaves all untouched;
    each write is atomic, so a kill or a full disk leaves the old file or the new one.
    """
    pending = [(p, canonical_text(p)) for p in paths]
    changed = []
    for path, text in pending:
        if read_text(path) != text:
            try:
                write_atomically(path, text.encode("utf-8"))
            except OSError as err:
                raise InputError(path, f"cannot write ({err.strerror}); file unchanged") from None
            changed.append(path)
    return changed


def _iris(quad: ox.Quad) -> Iterator[str]:
    for term in (quad.subject, quad.predicate, quad.object):
        if isinstance(term, ox.NamedNode):
            yield term.value
        elif isinstance(term, ox.Literal):
            yield term.datatype.value


def _rdflib_graph(text: str, fmt: ox.RdfFormat, path: Path) -> Graph:
    """The file parsed by rdflib, which keeps language tags as written (pyoxigraph lower-cases
    them); :func:`read_quads` has already checked the text with the strict parser."""
    from rdflib import Graph

    graph = Graph()
    try:
        graph.parse(
            data=text,
            format="nt" if fmt == ox.RdfFormat.N_TRIPLES else "turtle",
            publicID=_PROBE_BASE,
        )
    except RecursionError:
        raise
    except Exception as err:  # rdflib raises many types; all mean "cannot parse"
        raise InputError(path, f"bad syntax: {str(err).splitlines()[0][:200]}") from None
    return graph


def _ntriples_text(graph: Graph) -> str:
    lines = graph.serialize(format="nt").splitlines()
    return "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip())


def _turtle_text(graph: Graph) -> str:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    buffer = io.BytesIO()
    _lexical_turtle_serializer()(graph).serialize(buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8").rstrip("\n") + "\n"


# the lexical forms that Turtle's bare numbers and booleans give back unchanged
_BARE = {
    XSD + "integer": re.compile(r"-?(0|[1-9][0-9]*)"),
    XSD + "decimal": re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}


@functools.cache
def _lexical_turtle_serializer() -> type:
    """rdflib's longturtle, writing a literal bare (``4.0``) only where the bare form reads
    back as the same lexical form; otherwise quoted with its datatype (``"01"^^xsd:integer``).
    """
    from rdflib import Literal
    from rdflib.plugins.serializers.longturtle import LongTurtleSerializer

    class LexicalTurtleSerializer(LongTurtleSerializer):
        def label(self, node: object, position: object) -> str:
            if isinstance(node, Literal) and node.datatype is not None:
                bare = _BARE.get(str(node.datatype))
                plain = bare is not None and bare.fullmatch(str(node)) is not None
                return str(
                    node._literal_n3(
                        use_plain=plain,
                        qname_callback=lambda dt: self.get_pname(dt, True),  # type: ignore[no-untyped-call]
                    )
                )
            return str(super().label(node, position))  # type: ignore[no-untyped-call]

    return LexicalTurtleSerializer


@contextlib.contextmanager
def _lexical_forms_kept() -> Iterator[None]:
    """rdflib rewrites literals (``"01"^^xsd:integer`` to ``"1"``) unless told not to."""
    import rdflib

    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


def _same(old: Graph, new: Graph) -> bool:
    """The same triples, literals compared by lexical form, blank nodes up to renaming."""
    from rdflib import BNode
    from rdflib.compare import isomorphic

    if len(old) != len(new):
        return False
    if any(isinstance(t, BNode) for triple in old for t in triple):
        return isomorphic(old, new)
    return set(old) == set(new)
