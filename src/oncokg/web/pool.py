"""The backend protocol over the server's query workers, so that every query of a web page
runs with the limits of a query sent to ``/query``: checked first, stopped at the time limit
in a worker that is then replaced, never an update."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from oncokg.backend import Bindings, Rows, Triple, triple_from_oxigraph
from oncokg.bind import bind_values
from oncokg.errors import QueryError
from oncokg.sparql_text import require_form
from oncokg.terms import Iri

if TYPE_CHECKING:
    from oncokg.server import Answer, QueryWorkers

_JSON = "application/sparql-results+json"


class PoolBackend:
    """Read-only queries answered by a :class:`~oncokg.server.QueryWorkers` pool."""

    def __init__(self, workers: QueryWorkers) -> None:
        self.workers = workers

    def _run(self, sparql: str, bindings: Bindings | None, accept: str, *forms: str) -> Answer:
        require_form(sparql, *forms)
        answer = self.workers.run(bind_values(sparql, bindings), accept)
        if answer.status != 200:
            raise QueryError(answer.body.decode("utf-8", "replace").strip())
        return answer

    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query in a worker."""
        return Rows.from_sparql_json(json.loads(self._run(sparql, bindings, _JSON, "SELECT").body))

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query in a worker."""
        return bool(json.loads(self._run(sparql, bindings, _JSON, "ASK").body)["boolean"])

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query in a worker."""
        import pyoxigraph as ox

        body = self._run(sparql, bindings, "application/n-triples", "CONSTRUCT", "DESCRIBE").body
        return [triple_from_oxigraph(t) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def update(self, sparql: str) -> None:
        """Refused: the web application is read-only."""
        raise QueryError("the web application is read-only")

    def load(self, paths: Sequence[Path], graph: Iri) -> int:
        """Refused: the web application is read-only."""
        raise QueryError("the web application is read-only")

    def triple_count(self, graphs: Sequence[Iri] | None = None) -> int:
        """Number of triples in ``graphs`` (default: every OncoKG graph but the entailed one)."""
        from oncokg.backend import INFERRED_GRAPH
        from oncokg.catalogue import get_query

        if not graphs:
            named = self.select(get_query("named-graphs").sparql)
            graphs = [Iri(str(r["graph"])) for r in named if r["graph"] != INFERRED_GRAPH]
        query = get_query("graph-size").sparql
        return sum(int(str(self.select(query, {"graph": g})[0]["triples"])) for g in graphs)

    def close(self) -> None:
        """Nothing to release: the server owns the workers."""
