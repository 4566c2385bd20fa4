"""The backend protocol every store implements, and the row type both return.

Two backends implement it: :class:`oncokg.embedded.EmbeddedBackend` (a pyoxigraph store, in
memory or on disk) and :class:`oncokg.remote.RemoteBackend` (any SPARQL 1.1 endpoint).
The graph lives in named graphs, one per source; queries see their union as default graph.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

from oncokg.errors import ParameterError
from oncokg.namespaces import PREFIXES
from oncokg.terms import Iri, Value, from_oxigraph

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NamedTuple, Protocol
else:
    from oncokg.lean_typing import NamedTuple, Protocol

GRAPH_NAMESPACE = "https://w3id.org/oncokg/graph/"
ONTOLOGY_GRAPH = Iri(GRAPH_NAMESPACE + "ontology")
CURATED_GRAPH = Iri(GRAPH_NAMESPACE + "curated")
STAGING_GRAPH = Iri(GRAPH_NAMESPACE + "staging")
# what the class and property hierarchies entail (queries/inferred-*.rq): queried, never exported
INFERRED_GRAPH = Iri(GRAPH_NAMESPACE + "inferred")
DEFAULT_GRAPHS = (ONTOLOGY_GRAPH, CURATED_GRAPH)
QUERY_GRAPHS = (*DEFAULT_GRAPHS, INFERRED_GRAPH)
PROLOGUE = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())
# the same on one line, so that line numbers in an endpoint's error messages are the user's
ONE_LINE_PROLOGUE = PROLOGUE.replace("\n", " ")

Bindings = Mapping[str, Value | Sequence[Value]]


class QueryLimits(NamedTuple):
    """What every query path enforces, whichever backend runs it.

    ``timeout``: seconds a query may run (None: no limit); ``memory_bytes``: the memory a
    query may take on the embedded store (None: no limit); ``allow_service``: whether
    ``SERVICE`` clauses (federated queries, to http(s) endpoints only) may run.
    """

    timeout: float | None = None
    memory_bytes: int | None = None
    allow_service: bool = False


NO_LIMITS = QueryLimits()


def check_timeout(timeout: float) -> float:
    """A timeout in seconds must be a finite number above zero."""
    if not isinstance(timeout, int | float) or not math.isfinite(timeout) or timeout <= 0:
        raise ParameterError(f"the timeout must be a number of seconds above 0, not {timeout}")
    return float(timeout)


Triple = tuple[Value, Value, Value]


def triple_from_oxigraph(triple: Any) -> Triple:
    """A pyoxigraph triple (of a CONSTRUCT answer, or parsed N-Triples) as Python values."""
    subject = from_oxigraph(triple.subject)
    predicate = from_oxigraph(triple.predicate)
    obj = from_oxigraph(triple.object)
    assert subject is not None and predicate is not None and obj is not None
    return (subject, predicate, obj)


class Row:
    """One solution of a SELECT query: values by variable name (None when unbound).

    >>> row = Row(("drug", "year"), (Iri("https://w3id.org/oncokg/resource/imatinib"), 2002))
    >>> row["year"], row.get("missing")
    (2002, None)
    """

    __slots__ = ("values", "variables")

    def __init__(self, variables: tuple[str, ...], values: tuple[Value | None, ...]) -> None:
        self.variables = variables
        self.values = values

    def __getitem__(self, name: str) -> Value | None:
        try:
            return self.values[self.variables.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def get(self, name: str, default: Value | None = None) -> Value | None:
        """The value of ``name``, or ``default`` when the variable is unknown or unbound."""
        if name not in self.variables:
            return default
        value = self[name]
        return default if value is None else value

    def as_dict(self) -> dict[str, Value | None]:
        """The row as a plain dict."""
        return dict(zip(self.variables, self.values, strict=True))

    def __iter__(self) -> Iterator[Value | None]:
        return iter(self.values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return (self.variables, self.values) == (other.variables, other.values)

    def __hash__(self) -> int:
        return hash((self.variables, self.values))

    def __repr__(self) -> str:
        return f"Row({self.as_dict()!r})"


class Rows(list[Row]):
    """The rows of one SELECT answer, with its variables (known even when no row came back).

    >>> Rows(("drug",)).variables
    ('drug',)
    """

    def __init__(self, variables: Sequence[str], rows: Sequence[Row] = ()) -> None:
        super().__init__(rows)
        self.variables = tuple(variables)

    @classmethod
    def from_sparql_json(cls, data: Mapping[str, Any]) -> Rows:
        """The rows of a SPARQL 1.1 Query Results JSON document; KeyError, TypeError or
        AttributeError when it is not SELECT results.

        >>> Rows.from_sparql_json({"head": {"vars": ["n"]}, "results": {"bindings": [
        ...     {"n": {"type": "literal", "value": "KIT"}}]}})[0]["n"]
        'KIT'
        """
        from oncokg.terms import from_sparql_json

        variables = tuple(data["head"].get("vars", []))
        return cls(
            variables,
            [
                Row(variables, tuple(from_sparql_json(b[v]) if v in b else None for v in variables))
                for b in data["results"]["bindings"]
            ],
        )


class Backend(Protocol):
    """What OncoKG needs of a store. Values are always bound, never pasted into the text."""

    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query."""
        ...

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        ...

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update."""
        ...

    def load(self, paths: Sequence[Path], graph: Iri) -> int:
        """Replace the content of ``graph`` with the triples of the files, atomically."""
        ...

    def triple_count(self, graphs: Sequence[Iri] | None = None) -> int:
        """Number of triples in ``graphs`` (default: the OncoKG graphs)."""
        ...

    def close(self) -> None:
        """Release the store or connection."""
        ...
