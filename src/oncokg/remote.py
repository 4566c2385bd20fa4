"""The remote backend: any SPARQL 1.1 endpoint, over the SPARQL 1.1 Protocol.

Reads (SELECT, ASK, CONSTRUCT) are checked first (:mod:`oncokg.sparql_text`: their form,
size, depth and SERVICE clauses), sent only as ``query=``, and retried with exponential
backoff within the timeout; updates are sent only as ``update=`` and never retried. Loading
uses the SPARQL 1.1 Graph Store HTTP Protocol (one ``PUT`` per named graph), which Oxigraph
server, Fuseki, GraphDB and others support. The timeout bounds each whole request
(:mod:`oncokg.http_client`). Every failure is an :class:`~oncokg.errors.EndpointError`
naming the URL and status.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from oncokg.backend import (
    ONE_LINE_PROLOGUE,
    QUERY_GRAPHS,
    Bindings,
    Rows,
    Triple,
    check_timeout,
    triple_from_oxigraph,
)
from oncokg.bind import bind_values
from oncokg.errors import EndpointError, InputError, QueryError
from oncokg.http_client import Credentials, Response, check_url, request
from oncokg.sparql_text import UPDATE_OPERATIONS, joins_as_written, require_form
from oncokg.terms import Iri

T = TypeVar("T")
_RDF_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples"}
_FORM_TYPE = "application/x-www-form-urlencoded"
# Virtuoso's pragma for joins in the written order; it goes before the prologue, on the same
# line, so that line numbers in Virtuoso's error messages stay those of the query
_VIRTUOSO_WRITTEN_ORDER = 'DEFINE sql:select-option "order" '


class RemoteBackend:
    """A SPARQL endpoint; queries see the OncoKG named graphs as their default graph."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        store_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        retries: int = 2,
        backoff: float = 0.25,
        graphs: Sequence[Iri] | None = QUERY_GRAPHS,
        allow_service: bool = False,
    ) -> None:
        """``timeout`` bounds each whole request; ``allow_service`` lets SERVICE clauses through."""
        for url in (query_url, update_url, store_url):
            if url is not None:
                check_url(url)
        self.query_url = query_url
        self.update_url = update_url or _sibling(query_url, "update")
        self.store_url = store_url or _sibling(query_url, "store")
        self.timeout = check_timeout(timeout)
        self.allow_service = allow_service
        self.retries = retries
        self.backoff = backoff
        self.graphs = list(graphs) if graphs else []
        self._credentials = Credentials(user, password or "") if user else None
        # whether the endpoint is Virtuoso 7, known from the first answer's Server header:
        # there each variable gets its own VALUES block (it loses rows of a block with several
        # columns and rows, see oncokg.bind), and a query that opens with "# join-order:
        # written" gets Virtuoso's written-order option (see oncokg.sparql_text)
        self.virtuoso: bool | None = None

    # ------------------------------------------------------------------ reads
    def _read(
        self,
        sparql: str,
        bindings: Bindings | None,
        form: str,
        accept: str,
        graphs: Sequence[str] | None = None,
    ) -> Response:
        forms = ("CONSTRUCT", "DESCRIBE") if form == "CONSTRUCT" else (form,)
        require_form(sparql, *forms, allow_service=self.allow_service)
        response = self._read_bound(sparql, bindings, accept, graphs, bool(self.virtuoso))
        if self.virtuoso is None:
            self.virtuoso = "virtuoso" in response.server.lower()
            if self.virtuoso and bind_values(sparql, bindings) != bind_values(
                sparql, bindings, separate=True
            ):  # the first answer may have lost rows: ask again as Virtuoso needs
                response = self._read_bound(sparql, bindings, accept, graphs, True)
        return response

    def _read_bound(
        self,
        sparql: str,
        bindings: Bindings | None,
        accept: str,
        graphs: Sequence[str] | None,
        virtuoso: bool,
    ) -> Response:
        text = ONE_LINE_PROLOGUE + bind_values(sparql, bindings, separate=virtuoso)
        if virtuoso and joins_as_written(sparql):
            text = _VIRTUOSO_WRITTEN_ORDER + text
        fields = [("query", text)]
        for graph in self.graphs if graphs is None else graphs:
            fields.append(("default-graph-uri", graph))  # the union is the default graph ...
            fields.append(("named-graph-uri", graph))  # ... and each stays reachable by GRAPH
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": _FORM_TYPE, "Accept": accept}

        def attempt() -> Response:
            return self._send("POST", self.query_url, body, headers)

        return self._with_retries(attempt)

    def _send(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> Response:
        response = request(
            method,
            url,
            body=body,
            headers=headers,
            timeout=self.timeout,
            credentials=self._credentials,
        )
        if response.status >= 400:
            raise response.error()
        return response

    def _with_retries(self, attempt: Callable[[], T]) -> T:
        deadline = time.monotonic() + self.timeout
        delay = self.backoff
        for number in range(self.retries + 1):
            try:
                return attempt()
            except EndpointError as error:
                retryable = error.status is None or error.status >= 500
                if not retryable or number == self.retries or time.monotonic() + delay >= deadline:
                    raise
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def select(
        self, sparql: str, bindings: Bindings | None = None, *, graphs: Sequence[str] | None = None
    ) -> Rows:
        """Run a SELECT query; values are bound as an escaped VALUES block."""
        response = self._read(sparql, bindings, "SELECT", _JSON_RESULTS, graphs)
        data = self._json(response)
        try:
            return Rows.from_sparql_json(data)
        except (KeyError, TypeError, AttributeError):
            raise EndpointError(
                response.url, "answered JSON that is not SPARQL SELECT results"
            ) from None

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        response = self._read(sparql, bindings, "ASK", _JSON_RESULTS)
        answer = self._json(response).get("boolean")
        if not isinstance(answer, bool):
            raise EndpointError(response.url, "answered JSON that is not SPARQL ASK results")
        return answer

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query (answers are read as N-Triples)."""
        import pyoxigraph as ox

        response = self._read(sparql, bindings, "CONSTRUCT", "application/n-triples")
        if "n-triples" not in response.content_type and "plain" not in response.content_type:
            raise EndpointError(response.url, f"answered {response.content_type!r}, not N-Triples")
        try:
            parsed = list(ox.parse(response.body, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as err:
            raise EndpointError(response.url, f"answered malformed N-Triples ({err})") from None
        return [triple_from_oxigraph(triple) for triple in parsed]

    def _json(self, response: Response) -> dict[str, Any]:
        if "json" not in response.content_type:
            raise EndpointError(
                response.url,
                f"answered {response.content_type or 'no content type'!r} instead of SPARQL "
                "results; is this the query endpoint (for Oxigraph, .../query)?",
            )
        try:
            data = json.loads(response.body)
        except ValueError as err:
            raise EndpointError(response.url, f"answered malformed JSON ({err})") from None
        if not isinstance(data, dict):
            raise EndpointError(response.url, "answered JSON that is not SPARQL results")
        return data

    # ------------------------------------------------------------------ writes
    def update(self, sparql: str) -> None:
        """Run a SPARQL update once (updates are never retried)."""
        require_form(sparql, *UPDATE_OPERATIONS, allow_service=self.allow_service)
        body = urllib.parse.urlencode([("update", ONE_LINE_PROLOGUE + sparql)]).encode()
        self._send("POST", self.update_url, body, {"Content-Type": _FORM_TYPE})

    def load(self, paths: Sequence[Path], graph: Iri) -> int:
        """Replace ``graph`` on the server with the files, by one Graph Store Protocol PUT.

        The files are sent as one body (Turtle and N-Triples documents concatenate), so the
        server swaps the graph in one request.
        """
        suffixes = {p.suffix.lower() for p in paths}
        if len(suffixes) != 1 or next(iter(suffixes)) not in _RDF_TYPES:
            raise InputError(paths[0], "push .ttl files or .nt files, not a mix of other types")
        try:
            body = b"\n".join(p.read_bytes() for p in paths)
        except FileNotFoundError as err:
            raise InputError(err.filename, "no such file") from None
        url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
        self._send("PUT", url, body, {"Content-Type": _RDF_TYPES[next(iter(suffixes))]})
        return self.triple_count([graph])

    def drop(self, graph: Iri) -> None:
        """Remove ``graph`` from the server by a Graph Store Protocol DELETE; a server without
        it is fine."""
        url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
        try:
            self._send("DELETE", url, b"", {})
        except EndpointError as error:
            if error.status != 404:
                raise

    def is_virtuoso(self) -> bool:
        """Whether the server is Virtuoso; if no answer has told yet, the one to the cheapest
        query there is (the OncoKG graphs each name themselves: an index look-up) does."""
        if self.virtuoso is None:
            from oncokg.catalogue import get_query

            self.select(get_query("named-graphs").sparql, graphs=[])
        return bool(self.virtuoso)

    def use_all_graphs(self) -> list[Iri]:
        """Name every OncoKG graph the endpoint holds (imports pushed with ``push --store``
        too) as the dataset of the queries that follow; the graphs found."""
        from oncokg.catalogue import get_query

        rows = self.select(get_query("named-graphs").sparql, graphs=[])
        found = [Iri(str(r["graph"])) for r in rows]
        if found:
            self.graphs = found
        return list(self.graphs)

    def triple_count(self, graphs: Sequence[Iri] | None = None) -> int:
        """Number of triples in ``graphs`` (default: the OncoKG graphs)."""
        from oncokg.catalogue import get_query

        query = get_query("graph-size").sparql
        total = 0
        for graph in graphs or self.graphs:
            rows = self.select(query, {"graph": Iri(graph)}, graphs=[])
            total += int(str(rows[0]["triples"] or 0))
        return total

    def close(self) -> None:
        """Nothing to release: every request opens its own connection."""


def _sibling(query_url: str, name: str) -> str:
    """``.../query`` -> ``.../update`` or ``.../store`` (Oxigraph's layout)."""
    base = (
        query_url.rsplit("/", 1)[0]
        if query_url.rstrip("/").endswith("query")
        else query_url.rstrip("/")
    )
    return f"{base}/{name}"


_JSON_RESULTS = "application/sparql-results+json"

__all__ = ["QueryError", "RemoteBackend"]
