"""The embedded backend: a pyoxigraph store in memory, or a built store on disk read-only.

Every query is checked before the engine sees it (:func:`oncokg.sparql_text.check_query`:
its form, size, nesting depth and SERVICE clauses); with a ``timeout`` it runs in a child
process that is killed at the deadline (:mod:`oncokg.isolation`).

>>> backend = EmbeddedBackend.in_memory()
>>> from oncokg.resources import ontology_file
>>> backend.load([ontology_file()], ONTOLOGY_GRAPH) > 1000
True
>>> backend.ask("ASK { okg:Drug a owl:Class }")
True
"""

from __future__ import annotations

# the file reader and the thread pool are imported where files are loaded: a query on a
# built store does without them (start-up, tests/test_entry.py)
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from oncokg.backend import (
    DEFAULT_GRAPHS,
    GRAPH_NAMESPACE,
    INFERRED_GRAPH,
    NO_LIMITS,
    ONTOLOGY_GRAPH,
    STAGING_GRAPH,
    Bindings,
    QueryLimits,
    Row,
    Rows,
    Triple,
    triple_from_oxigraph,
)
from oncokg.bind import bind_values
from oncokg.errors import InputError, QueryError
from oncokg.namespaces import PREFIXES
from oncokg.sparql_text import QUERY_FORMS, UPDATE_OPERATIONS, require_form
from oncokg.terms import Iri, from_oxigraph

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    from typing import Any, TypeVar

    from oncokg.disk_store import StoreFolder
    from oncokg.hierarchy import Hierarchy

    T = TypeVar("T")

__all__ = ["ONTOLOGY_GRAPH", "EmbeddedBackend"]

_STAGING = ox.NamedNode(STAGING_GRAPH)
_HIDDEN = {STAGING_GRAPH}
_INFERRED = ox.NamedNode(INFERRED_GRAPH)
_DERIVED = {INFERRED_GRAPH}  # queried, but neither counted nor exported as data
GraphPlan = Sequence[tuple[Iri, Sequence[Path]]]
SERVICE_TIMEOUT = 30.0  # seconds, for a federated query run without a time limit of its own


class EmbeddedBackend:
    """A pyoxigraph :class:`~pyoxigraph.Store`; queries see the OncoKG graphs as one graph.

    ``path`` is the folder of an on-disk store (None in memory). ``union_default`` says the
    store's default graph already holds the union of its named graphs (as every build of
    :func:`bulk_fill` does): queries then read it directly, which Oxigraph answers an order of
    magnitude faster than a union of named graphs computed per query.
    """

    def __init__(
        self,
        store: ox.Store,
        path: Path | None = None,
        limits: QueryLimits = NO_LIMITS,
        *,
        union_default: bool = False,
    ) -> None:
        self.store = store
        self.path = path
        self.limits = limits
        self.union_default = union_default
        self._stale = False  # data changed since the inferred graph was computed
        self._graphs: list[ox.NamedNode] = []
        self._refresh_graphs()

    @classmethod
    def in_memory(cls, limits: QueryLimits = NO_LIMITS) -> EmbeddedBackend:
        """A new, empty store in memory."""
        return cls(ox.Store(), limits=limits)

    @classmethod
    def built(
        cls, folder: StoreFolder, plan: GraphPlan, limits: QueryLimits = NO_LIMITS
    ) -> EmbeddedBackend:
        """The store in ``folder``, built from ``plan`` first if its sources changed.

        The store is opened read-only, so any number of processes read it at once.
        """
        if not folder.is_current(plan):
            folder.build(plan)
        build = folder.current()
        assert build is not None
        return cls(folder.open_read_only(), build, limits, union_default=True)

    def _drop_staging(self) -> None:
        if self.store.contains_named_graph(_STAGING):
            self.store.remove_graph(_STAGING)

    def _refresh_graphs(self) -> None:
        present = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
        ours = [g for g in present if g.startswith(GRAPH_NAMESPACE) and g not in _HIDDEN | _DERIVED]
        # the ontology and curated graphs first, then imports, in a stable order
        order: dict[str, int] = {g: i for i, g in enumerate(DEFAULT_GRAPHS)}
        ordered = sorted(ours, key=lambda g: (order.get(g, len(order)), g))
        self._graphs = [ox.NamedNode(g) for g in ordered]
        self._dataset = self._graphs + [ox.NamedNode(g) for g in sorted(present & _DERIVED)]

    def infer(self) -> int:
        """(Re)compute the graph of what the class and property hierarchies entail from the
        data graphs (:func:`entailed`); the number of triples it holds."""
        if self.store.contains_named_graph(_INFERRED):
            self.store.remove_graph(_INFERRED)
        quads = entailed(self.store, list(self._graphs), _INFERRED)
        self.store.extend(quads)
        self._refresh_graphs()
        self._stale = False
        return len(quads)

    @property
    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs queries see, as pyoxigraph terms."""
        return list(self._graphs)

    @property
    def dataset(self) -> list[ox.NamedNode]:
        """The named graphs whose union is a query's default graph: the data graphs, and the
        entailments computed from them (once a query has run)."""
        return list(self._dataset)

    @property
    def graphs(self) -> list[Iri]:
        """The named graphs queries see as their default graph."""
        return [Iri(g.value) for g in self._graphs]

    def _run(
        self,
        sparql: str,
        bindings: Bindings | None,
        forms: tuple[str, ...],
        convert: Callable[[Any], T],
        *,
        isolate: bool = True,
    ) -> T:
        shape = require_form(sparql, *forms, allow_service=self.limits.allow_service)
        if self._stale:
            self.infer()
        text = bind_values(sparql, bindings)
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
            None if self.union_default else list(self._dataset) or None
        )

        def evaluate() -> T:
            try:
                solutions = self.store.query(text, prefixes=PREFIXES, default_graph=graphs)
                return convert(solutions)
            except SyntaxError as err:
                raise QueryError(f"SPARQL syntax error: {err}") from None
            except OSError as err:
                raise QueryError(f"query failed: {err}") from None

        timeout = self.limits.timeout
        if timeout is None and shape.services:  # the engine's SERVICE calls have no timeout
            timeout = SERVICE_TIMEOUT
        if timeout is None or not isolate:
            return evaluate()
        from oncokg.isolation import run_isolated

        return run_isolated(evaluate, timeout, self.limits.memory_bytes)

    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query; values are bound as an escaped VALUES block (:mod:`oncokg.bind`)."""
        return self._run(sparql, bindings, ("SELECT",), _rows)

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        return self._run(sparql, bindings, ("ASK",), bool)

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""
        return self._run(
            sparql,
            bindings,
            ("CONSTRUCT", "DESCRIBE"),
            lambda triples: [triple_from_oxigraph(t) for t in triples],
        )

    def results(self, sparql: str) -> QueryResults:
        """Run any query form and return the engine's own results, for serialising as they are.

        The query is checked as every other; the results stay in this process, so no time
        limit applies here (the server's workers bound their queries themselves).
        """
        return self._run(sparql, None, QUERY_FORMS, _as_is, isolate=False)

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (applied in one transaction)."""
        require_form(sparql, *UPDATE_OPERATIONS, allow_service=self.limits.allow_service)
        try:
            self.store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from None
        self._refresh_graphs()
        self._stale = True  # inferred again before the next query, once for many loads

    def load(self, paths: Sequence[Path], graph: Iri) -> int:
        """Replace ``graph`` with the triples of ``paths``; return its new size.

        Every file is checked first, then loaded into a staging graph that one update moves
        over ``graph``: a bad file leaves ``graph`` as it was. (Stores on disk are not loaded
        this way but built anew and switched to: :meth:`built`.)
        """
        from oncokg.rdf_files import preflight

        formats = [preflight(path) for path in paths]  # every file checked before any loads
        self._drop_staging()
        for path, fmt in zip(paths, formats, strict=True):
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
        self._stale = True  # inferred again before the next query, once for many loads
        return self.triple_count([graph])

    def triple_count(self, graphs: Sequence[Iri] | None = None) -> int:
        """Number of triples in ``graphs`` (default: the graphs queries see)."""
        from oncokg.export import graph_size

        targets = [ox.NamedNode(g) for g in graphs] if graphs else self._graphs
        return sum(graph_size(self.store, g) for g in targets)

    def close(self) -> None:
        """Release the store."""
        del self.store


def bulk_fill(store: ox.Store, plan: GraphPlan) -> None:
    """Bulk-load each named graph of ``plan`` from its files into a new ``store``, and each
    file into the default graph too, which then holds their union (see ``union_default``):
    the two loads of a file run at once, in two threads (12.7 s instead of 24 s for 1M
    triples, for 1.7 GB of peak memory instead of 1.1 GB); then add what the class and
    property hierarchies entail (:func:`entailed`) to the inferred graph and to the default
    graph.

    The store is compacted at the end (under a second for 400,000 quads), which halves the
    time of a typical catalogue query on it. For building a store that nobody reads yet (bulk
    loads are not transactional); raises :class:`InputError` naming the file and line of a
    syntax error.
    """
    _load_twice(store, plan)
    quads = entailed(store, None, _INFERRED)  # the default graph already holds the union
    store.bulk_extend(quads)
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    store.optimize()  # one compaction: lookups no longer probe every bulk-loaded file


def update_fill(store: ox.Store, dropped: Sequence[Iri], loaded: GraphPlan) -> None:
    """Turn ``store``, a copy of a store :func:`bulk_fill` built, into the store of its graphs
    less ``dropped``, plus ``loaded``, as :func:`bulk_fill` would have built it.

    A dropped triple leaves the default graph unless a graph still holds it or it is still
    entailed. When the class and property hierarchies are unchanged, only the entailments of
    the dropped and loaded triples are revised (an entailment of a dropped triple goes unless
    a remaining triple entails it too); otherwise they are computed again and only their
    difference is written. Raises :class:`oncokg.disk_store.NotIncremental` when a dropped
    graph holds blank nodes (each load names them afresh, so the default graph's copies
    cannot be found), before anything is changed.
    """
    from oncokg.disk_store import NotIncremental

    drops = {g: list(store.quads_for_pattern(None, None, None, ox.NamedNode(g))) for g in dropped}
    for graph, quads in drops.items():
        if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
            raise NotIncremental(f"{graph} holds blank nodes")
    from oncokg.hierarchy import Hierarchy

    hierarchy = Hierarchy.of(store, _data_graphs(store))
    for graph in drops:
        store.remove_graph(ox.NamedNode(graph))
    _load_twice(store, loaded)
    graphs = _data_graphs(store)
    revised = Hierarchy.of(store, graphs)
    if revised != hierarchy:
        _reentail(store, graphs, revised, drops.values())
        return

    def derivable(triple: ox.Triple) -> bool:
        """Entailed by a triple a data graph holds."""
        return any(_asserted(store, source) for source in hierarchy.sources(triple))

    lost: dict[ox.Triple, None] = {}
    for quads in drops.values():
        for quad in quads:
            lost.update(dict.fromkeys(hierarchy.entails(quad.triple)))
            if not _asserted(store, quad.triple) and not derivable(quad.triple):
                store.remove(_in(quad.triple, ox.DefaultGraph()))
    for triple in lost:
        if not derivable(triple):
            store.remove(_in(triple, _INFERRED))
            if not _asserted(store, triple):
                store.remove(_in(triple, ox.DefaultGraph()))
    added = {q.triple for q in hierarchy.instances(store, [ox.NamedNode(g) for g, _ in loaded])}
    store.extend([_in(t, g) for t in added for g in (_INFERRED, ox.DefaultGraph())])


def _reentail(
    store: ox.Store,
    graphs: list[ox.NamedNode],
    hierarchy: Hierarchy,
    drops: Iterable[list[ox.Quad]],
) -> None:
    """Compute the entailments again, write their difference, and drop from the default graph
    the dropped triples that no graph holds any more."""
    before = {q.triple for q in store.quads_for_pattern(None, None, None, _INFERRED)}
    after = {q.triple for q in hierarchy.instances(store, graphs)} | {_title_quad(_INFERRED).triple}
    for quads in drops:
        for quad in quads:
            if quad.triple not in after and not _asserted(store, quad.triple):
                store.remove(_in(quad.triple, ox.DefaultGraph()))
    for triple in before - after:
        store.remove(_in(triple, _INFERRED))
        if not _asserted(store, triple):
            store.remove(_in(triple, ox.DefaultGraph()))
    fresh = after - before
    store.extend([_in(t, g) for t in fresh for g in (_INFERRED, ox.DefaultGraph())])


def _asserted(store: ox.Store, triple: ox.Triple) -> bool:
    """Held by a named graph other than the inferred one."""
    return any(
        isinstance(q.graph_name, ox.NamedNode) and q.graph_name != _INFERRED
        for q in store.quads_for_pattern(triple.subject, triple.predicate, triple.object)
    )


def _data_graphs(store: ox.Store) -> list[ox.NamedNode]:
    return [g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g != _INFERRED]


def _in(triple: ox.Triple, graph: ox.NamedNode | ox.DefaultGraph) -> ox.Quad:
    return ox.Quad(triple.subject, triple.predicate, triple.object, graph)


def _load_twice(store: ox.Store, plan: GraphPlan) -> None:
    """Bulk-load each file of ``plan`` into its named graph and into the default graph, the
    two loads of a file at once, in two threads."""
    from concurrent.futures import ThreadPoolExecutor

    from oncokg.rdf_files import preflight

    with ThreadPoolExecutor(max_workers=2) as pool:
        for graph, paths in plan:
            for path in paths:
                fmt = preflight(path)
                loads = [
                    pool.submit(
                        store.bulk_load,
                        path=str(path),
                        format=fmt,
                        base_iri=path.resolve().as_uri(),
                        to_graph=target,
                    )
                    for target in (ox.NamedNode(graph), ox.DefaultGraph())
                ]
                try:
                    for load in loads:
                        load.result()
                except SyntaxError as err:
                    raise InputError(path, f"bad syntax: {err.msg}", line=err.lineno) from None
                except FileNotFoundError:
                    raise InputError(path, "no such file") from None


def with_entailments(plan: GraphPlan) -> EmbeddedBackend:
    """The graphs of ``plan`` in memory with the graph they entail (what ``oncokg push``
    derives before it sends them: :func:`entailed_ntriples`, the server's name index)."""
    backend = EmbeddedBackend.in_memory()
    for graph, paths in plan:
        backend.load(list(paths), graph)
    backend.infer()
    return backend


def entailed_ntriples(backend: EmbeddedBackend) -> bytes:
    """The entailed graph of ``backend`` (:meth:`EmbeddedBackend.infer`), as N-Triples."""
    return backend.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_INFERRED) or b""


def entailed(
    store: ox.Store, graphs: list[ox.NamedNode] | None, target: ox.NamedNode
) -> list[ox.Quad]:
    """What rdfs:subClassOf and rdfs:subPropertyOf entail for OncoKG's classes and properties
    over ``graphs`` (the default graph when None), as quads in ``target``, each once, with the
    triple by which ``target`` names itself."""
    from oncokg.hierarchy import Hierarchy

    quads = Hierarchy.of(store, graphs).instances(store, graphs, target)
    return [*quads, _title_quad(target)]


def _title_quad(target: ox.NamedNode) -> ox.Quad:
    title = "OncoKG entailments of the class and property hierarchies"  # the graph names itself
    title_property = ox.NamedNode(PREFIXES["dcterms"] + "title")
    return ox.Quad(target, title_property, ox.Literal(title, language="en"), target)


QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def _as_is(results: QueryResults) -> QueryResults:
    return results


def _rows(solutions: object) -> Rows:
    assert isinstance(solutions, ox.QuerySolutions)
    variables = tuple(v.value for v in solutions.variables)
    width = range(len(variables))
    return Rows(
        variables, [Row(variables, tuple([from_oxigraph(s[i]) for i in width])) for s in solutions]
    )
