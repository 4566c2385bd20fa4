"""The remote backend: any SPARQL 1.1 endpoint, through SPARQLWrapper.

Reads (SELECT, ASK, CONSTRUCT) are retried with exponential backoff within the timeout;
updates and loads are never retried. Loading uses the SPARQL 1.1 Graph Store HTTP Protocol
(one ``PUT`` per named graph), which Oxigraph server, Fuseki, GraphDB and others support.
Every failure is an :class:`~oncokg.errors.EndpointError` naming the URL and status.
"""

from __future__ import annotations

import base64
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from oncokg.backend import DEFAULT_GRAPHS, PROLOGUE, Bindings, Row, Triple
from oncokg.bind import bind_values
from oncokg.errors import EndpointError, InputError, QueryError
from oncokg.terms import Iri, from_oxigraph, from_sparql_json

T = TypeVar("T")
_RDF_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples"}


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
        graphs: Sequence[Iri] | None = DEFAULT_GRAPHS,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or _sibling(query_url, "update")
        self.store_url = store_url or _sibling(query_url, "store")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.graphs = list(graphs) if graphs else []
        self._auth = (user, password or "") if user else None

    # ------------------------------------------------------------------ reads
    def _wrapper(
        self,
        sparql: str,
        bindings: Bindings | None,
        accept: str,
        graphs: Sequence[str] | None = None,
    ) -> object:
        from SPARQLWrapper import POST, SPARQLWrapper

        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setMethod(POST)
        wrapper.setTimeout(max(1, int(self.timeout)))
        wrapper.setQuery(PROLOGUE + bind_values(sparql, bindings))
        wrapper.addCustomHttpHeader("Accept", accept)
        for graph in self.graphs if graphs is None else graphs:
            wrapper.addDefaultGraph(graph)  # the union of our graphs is the default graph ...
            wrapper.addNamedGraph(graph)  # ... and each stays reachable by GRAPH, as embedded
        if self._auth:
            wrapper.setCredentials(*self._auth)
        return wrapper

    def _read(
        self,
        sparql: str,
        bindings: Bindings | None,
        accept: str,
        graphs: Sequence[str] | None = None,
    ) -> tuple[str, bytes]:
        wrapper = self._wrapper(sparql, bindings, accept, graphs)

        def attempt() -> tuple[str, bytes]:
            response = wrapper.query().response  # type: ignore[attr-defined]
            content_type = response.headers.get("Content-Type", "")
            return content_type, response.read()

        return self._with_retries(attempt, self.query_url)

    def _with_retries(self, attempt: Callable[[], T], url: str) -> T:
        deadline = time.monotonic() + self.timeout
        delay = self.backoff
        for number in range(self.retries + 1):
            try:
                return attempt()
            except Exception as err:  # SPARQLWrapper and urllib raise many types
                error = _endpoint_error(url, err)
                retryable = error.status is None or error.status >= 500
                if not retryable or number == self.retries or time.monotonic() + delay >= deadline:
                    raise error from None
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def select(
        self, sparql: str, bindings: Bindings | None = None, *, graphs: Sequence[str] | None = None
    ) -> list[Row]:
        """Run a SELECT query; values are bound as an escaped VALUES block."""
        content_type, body = self._read(sparql, bindings, "application/sparql-results+json", graphs)
        data = self._json(content_type, body)
        variables = tuple(data["head"].get("vars", []))
        return [
            Row(variables, tuple(from_sparql_json(b[v]) if v in b else None for v in variables))
            for b in data["results"]["bindings"]
        ]

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        content_type, body = self._read(sparql, bindings, "application/sparql-results+json")
        return bool(self._json(content_type, body)["boolean"])

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query (answers are read as N-Triples)."""
        import pyoxigraph as ox

        content_type, body = self._read(sparql, bindings, "application/n-triples")
        if "n-triples" not in content_type and "plain" not in content_type:
            raise EndpointError(self.query_url, f"answered {content_type!r}, not N-Triples")
        triples = []
        for triple in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
            s, p, o = (from_oxigraph(t) for t in (triple.subject, triple.predicate, triple.object))
            assert s is not None and p is not None and o is not None
            triples.append((s, p, o))
        return triples

    def _json(self, content_type: str, body: bytes) -> dict:  # type: ignore[type-arg]
        if "json" not in content_type:
            raise EndpointError(
                self.query_url,
                f"answered {content_type or 'no content type'!r} instead of SPARQL results; "
                "is this the query endpoint (for Oxigraph, .../query)?",
            )
        try:
            return json.loads(body)  # type: ignore[no-any-return]
        except ValueError as err:
            raise EndpointError(self.query_url, f"answered malformed JSON ({err})") from None

    # ------------------------------------------------------------------ writes
    def update(self, sparql: str) -> None:
        """Run a SPARQL update once (updates are never retried)."""
        from SPARQLWrapper import POST, SPARQLWrapper

        wrapper = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url)
        wrapper.setMethod(POST)
        wrapper.setTimeout(max(1, int(self.timeout)))
        wrapper.setQuery(PROLOGUE + sparql)
        if self._auth:
            wrapper.setCredentials(*self._auth)
        try:
            wrapper.query()
        except Exception as err:
            raise _endpoint_error(self.update_url, err) from None

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
        headers = {"Content-Type": _RDF_TYPES[next(iter(suffixes))]}
        request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
        if self._auth:
            token = base64.b64encode(f"{self._auth[0]}:{self._auth[1]}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except Exception as err:
            raise _endpoint_error(self.store_url, err) from None
        return self.triple_count([graph])

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


def _endpoint_error(url: str, err: Exception) -> EndpointError:
    """Translate whatever SPARQLWrapper or urllib raised into one EndpointError."""
    if isinstance(err, EndpointError):
        return err
    status = getattr(err, "code", None)
    if isinstance(err, urllib.error.HTTPError):
        detail = err.read()[:300].decode("utf-8", "replace").strip()
        return EndpointError(url, detail or err.reason, status=err.code)
    reason = getattr(err, "reason", None)
    if isinstance(err, TimeoutError | socket.timeout) or isinstance(
        reason, TimeoutError | socket.timeout
    ):
        return EndpointError(url, "timed out")
    if isinstance(err, urllib.error.URLError):
        return EndpointError(url, f"cannot connect ({err.reason})")
    name = type(err).__name__
    if name in ("QueryBadFormed",):
        return EndpointError(
            url, f"rejected the query as malformed: {str(err).splitlines()[-1][:300]}", status=400
        )
    if name in ("EndPointNotFound",):
        return EndpointError(url, "not found", status=404)
    if name in ("Unauthorized",):
        return EndpointError(url, "credentials refused", status=401)
    if name in ("EndPointInternalError",):
        return EndpointError(url, "internal server error", status=500)
    return EndpointError(
        url, f"{name}: {str(err)[:300]}", status=int(status) if isinstance(status, int) else None
    )


__all__ = ["QueryError", "RemoteBackend"]
