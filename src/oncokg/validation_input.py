"""The files a validation reads, loaded for its engine: merged into an rdflib graph for
pySHACL (:func:`load_graph`), or into a pyoxigraph store for the SPARQL-compiled engine
(:class:`LoadedStore`); both remember which file described each node, so a report names it.

Every file is read by :mod:`oncokg.rdf_files`, so both engines refuse the same files.

>>> from oncokg.resources import ontology_file
>>> loaded = load_graph([ontology_file()])
>>> len(loaded.graph) > 1000
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from oncokg.errors import InputError
from oncokg.namespaces import PREFIXES
from oncokg.rdf_files import preflight, rdf_format, read_quads, read_text

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node


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


def to_rdflib(quads: Iterable[ox.Quad]) -> Graph:
    """The triples of ``quads`` as an rdflib graph (through N-Triples, so terms stay exact)."""
    from rdflib import Graph

    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def parse_file(path: Path) -> Graph:
    """Parse one RDF file into an rdflib graph; raise :class:`InputError` if it is bad.

    The graph binds the project's prefixes, so terms print as CURIEs (``oks:ValueOrRange``).
    """
    graph = to_rdflib(read_quads(path))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


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


_FILE_GRAPH = "urn:oncokg:validated-file:"


@dataclass
class LoadedStore:
    """Files loaded into one pyoxigraph store, for the SPARQL-compiled SHACL engine.

    Each file is in a named graph of its own (so a result names the files its focus node came
    from), and their union, each triple once as in a merged graph, is the default graph the
    checks query. ``graph`` is a small rdflib graph for display: the project's prefixes, and
    the labels of the nodes a report names (:meth:`describe`).
    """

    store: ox.Store
    files: list[Path]
    graph: Graph
    origins: dict[str, set[int]] = field(default_factory=dict)  # node -> its files (describe)

    @classmethod
    def load(cls, paths: Iterable[Path]) -> LoadedStore:
        """Load every file (all or nothing); the same refusals as :func:`read_quads`."""
        from rdflib import Graph

        files = list(paths)
        store = ox.Store()
        for index, path in enumerate(files):
            fmt = preflight(path)
            try:
                store.load(
                    path=str(path),
                    format=fmt,
                    base_iri=path.resolve().as_uri(),
                    to_graph=ox.NamedNode(f"{_FILE_GRAPH}{index}"),
                )
            except SyntaxError as err:
                message = str(err.msg or err)
                if "UTF-8" in message:
                    read_text(path)  # names the line of the first bad byte, as every reader does
                if "LoadDocumentCallback" in message:
                    message = "it names a remote JSON-LD @context, which OncoKG never fetches"
                raise InputError(path, f"bad syntax: {message}", line=err.lineno) from None
            except (OSError, ValueError) as err:
                raise InputError(path, f"cannot read ({err})") from None
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        return cls(store, files, graph)

    def triple_count(self) -> int:
        """Distinct triples of the union of the files."""
        solutions = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(solutions, ox.QuerySolutions)
        return int(next(iter(solutions))[0].value)

    def describe(self, nodes: Iterable[ox.NamedNode | ox.BlankNode]) -> None:
        """Fetch the files and labels of ``nodes`` (the focus nodes of a report).

        Read by pattern, not by query: a SPARQL text cannot name a blank node.
        """
        for node in dict.fromkeys(nodes):
            origins = self.origins.setdefault(str(node), set())
            for quad in self.store.quads_for_pattern(node, None, None, None):
                if isinstance(quad.graph_name, ox.NamedNode):
                    origins.add(int(quad.graph_name.value.removeprefix(_FILE_GRAPH)))
                elif quad.predicate == _LABEL:
                    self.graph.add(
                        (rdflib_term(node), rdflib_term(_LABEL), rdflib_term(quad.object))
                    )

    def written_objects(self, pairs: set[tuple[Node, Node]]) -> dict[tuple[Node, Node], list[Node]]:
        """The objects of (subject, predicate) ``pairs`` as the files write them (the store
        keeps literals in canonical form); each file that describes one is read once more."""
        wanted = {(f"<{s}>", f"<{p}>") for s, p in pairs}
        files = {i for s, _ in pairs for i in self.origins.get(f"<{s}>", set())}
        found: dict[tuple[Node, Node], list[Node]] = {}
        for index in sorted(files):
            path = self.files[index]
            quads = ox.parse(
                path=str(path), format=rdf_format(path), base_iri=path.resolve().as_uri()
            )
            for quad in quads:
                key = (str(quad.subject), str(quad.predicate))
                if key in wanted:
                    pair = (rdflib_term(quad.subject), rdflib_term(quad.predicate))
                    found.setdefault(pair, []).append(rdflib_term(quad.object))
        return found

    def files_of(self, node: Node) -> list[Path]:
        """The files in which ``node`` appears as a subject, in load order."""
        from rdflib import BNode

        key = f"_:{node}" if isinstance(node, BNode) else f"<{node}>"
        found = self.origins.get(key, set())
        return [f for i, f in enumerate(self.files) if i in found]


_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def ox_term(node: Node) -> ox.NamedNode | ox.BlankNode:
    """An rdflib IRI or blank node as pyoxigraph's (blank node ids kept)."""
    from rdflib import BNode, URIRef

    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    raise TypeError(f"not an IRI or blank node: {node!r}")


def rdflib_term(term: object) -> Node:
    """A pyoxigraph term as rdflib's (blank node ids kept, xsd:string literals plain).

    >>> rdflib_term(ox.Literal("4.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    rdflib.term.Literal('4.5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if not isinstance(term, ox.Literal):
        raise TypeError(f"not an RDF term: {term!r}")
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))
