"""The embedded backend: a pyoxigraph store in memory or on disk.

>>> backend = EmbeddedBackend.in_memory()
>>> from oncokg.resources import ontology_file
>>> backend.load([ontology_file()], ONTOLOGY_GRAPH) > 1000
True
>>> backend.ask("ASK { okg:Drug a owl:Class }")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from oncokg.backend import (
    DEFAULT_GRAPHS,
    GRAPH_NAMESPACE,
    META_GRAPH,
    ONTOLOGY_GRAPH,
    PROLOGUE,
    STAGING_GRAPH,
    Bindings,
    Row,
    Triple,
)
from oncokg.bind import bind_values
from oncokg.errors import InputError, QueryError
from oncokg.store_loading import OXIGRAPH_FORMATS
from oncokg.terms import Iri, from_oxigraph

__all__ = ["ONTOLOGY_GRAPH", "EmbeddedBackend"]

_STAGING = ox.NamedNode(STAGING_GRAPH)
_HIDDEN = {STAGING_GRAPH, META_GRAPH}


class EmbeddedBackend:
    """A pyoxigraph :class:`~pyoxigraph.Store`; queries see the OncoKG graphs as one graph."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self.store = store
        self.path = path
        self._graphs: list[ox.NamedNode] = []
        self._refresh_graphs()

    @classmethod
    def in_memory(cls) -> EmbeddedBackend:
        """A new, empty store in memory."""
        return cls(ox.Store())

    @classmethod
    def on_disk(cls, path: Path) -> EmbeddedBackend:
        """The store at ``path`` (created if missing); one process may open it at a time."""
        path.mkdir(parents=True, exist_ok=True)
        try:
            store = ox.Store(str(path))
        except OSError as err:
            raise InputError(
                path, f"cannot open the store ({err}); is another process using it?"
            ) from None
        backend = cls(store, path)
        backend._drop_staging()  # left over by a process killed mid-load
        return backend

    def _drop_staging(self) -> None:
        if self.store.contains_named_graph(_STAGING):
            self.store.remove_graph(_STAGING)

    def _refresh_graphs(self) -> None:
        present = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
        ours = [g for g in present if g.startswith(GRAPH_NAMESPACE) and g not in _HIDDEN]
        # the ontology and curated graphs first, then imports, in a stable order
        order: dict[str, int] = {g: i for i, g in enumerate(DEFAULT_GRAPHS)}
        ordered = sorted(ours, key=lambda g: (order.get(g, len(order)), g))
        self._graphs = [ox.NamedNode(g) for g in ordered]

    @property
    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs queries see, as pyoxigraph terms."""
        return list(self._graphs)

    @property
    def graphs(self) -> list[Iri]:
        """The named graphs queries see as their default graph."""
        return [Iri(g.value) for g in self._graphs]

    def _run(self, sparql: str, bindings: Bindings | None) -> object:
        text = PROLOGUE + bind_values(sparql, bindings)
        try:
            graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(self._graphs)
            return self.store.query(text, default_graph=graphs or None)
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from None
        except OSError as err:
            raise QueryError(f"query failed: {err}") from None

    def select(self, sparql: str, bindings: Bindings | None = None) -> list[Row]:
        """Run a SELECT query; values are bound as an escaped VALUES block (:mod:`oncokg.bind`)."""
        solutions = self._run(sparql, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        variables = tuple(v.value for v in solutions.variables)
        width = range(len(variables))
        return [Row(variables, tuple([from_oxigraph(s[i]) for i in width])) for s in solutions]

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        answer = self._run(sparql, bindings)
        if not isinstance(answer, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(answer)

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""
        triples = self._run(sparql, bindings)
        if not isinstance(triples, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        return [_triple(t) for t in triples]

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (applied in one transaction)."""
        try:
            self.store.update(PROLOGUE + sparql)
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from None
        self._refresh_graphs()

    def load(self, paths: Sequence[Path], graph: Iri) -> int:
        """Replace ``graph`` with the triples of ``paths``; return its new size.

        The files are loaded into a staging graph (each file one transaction), then moved
        over ``graph`` by one update (one transaction): a process killed at any point leaves
        either the old or the new content of ``graph``, never a mix. A staging graph left by a
        killed process is dropped when the store is next opened.
        """
        self._drop_staging()
        for path in paths:
            try:
                fmt = OXIGRAPH_FORMATS[path.suffix.lower()]
            except KeyError:
                raise InputError(path, f"unknown RDF file type {path.suffix!r}") from None
            try:
                self.store.load(
                    path=str(path), format=fmt, base_iri=path.resolve().as_uri(), to_graph=_STAGING
                )
            except SyntaxError as err:
                self._drop_staging()
                raise InputError(path, f"bad syntax: {err.msg}", line=err.lineno) from None
            except FileNotFoundError:
                self._drop_staging()
                raise InputError(path, "no such file") from None
        target = ox.NamedNode(graph)
        self.store.update(f"MOVE SILENT GRAPH <{_STAGING.value}> TO <{target.value}>")
        self._refresh_graphs()
        return self.triple_count([graph])

    def set_meta(self, key: str, value: str) -> None:
        """Record a bookkeeping value (say, the hash of the loaded sources)."""
        meta, predicate = ox.NamedNode(META_GRAPH), ox.NamedNode(GRAPH_NAMESPACE + key)
        for quad in list(self.store.quads_for_pattern(meta, predicate, None, meta)):
            self.store.remove(quad)
        self.store.add(ox.Quad(meta, predicate, ox.Literal(value), meta))

    def get_meta(self, key: str) -> str | None:
        """A bookkeeping value recorded by :meth:`set_meta`."""
        meta, predicate = ox.NamedNode(META_GRAPH), ox.NamedNode(GRAPH_NAMESPACE + key)
        for quad in self.store.quads_for_pattern(meta, predicate, None, meta):
            return str(getattr(quad.object, "value", ""))
        return None

    def triple_count(self, graphs: Sequence[Iri] | None = None) -> int:
        """Number of triples in ``graphs`` (default: the graphs queries see)."""
        from oncokg.export import graph_size

        targets = [ox.NamedNode(g) for g in graphs] if graphs else self._graphs
        return sum(graph_size(self.store, g) for g in targets)

    def close(self) -> None:
        """Flush and release the store."""
        if self.path is not None:
            self.store.flush()
        del self.store


def _triple(triple: ox.Triple) -> Triple:
    subject = from_oxigraph(triple.subject)
    predicate = from_oxigraph(triple.predicate)
    obj = from_oxigraph(triple.object)
    assert subject is not None and predicate is not None and obj is not None
    return (subject, predicate, obj)
