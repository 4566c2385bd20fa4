"""``oncokg serve``: a read-only SPARQL endpoint over a built store, with limits that hold.

Queries run in a small pool of worker processes, each with the store open read-only. The
server checks every query before a worker sees it (:func:`oncokg.sparql_text.check_query`:
form, size, depth, SERVICE), gives each a time limit and each worker a memory limit; a
worker past its time limit is killed and replaced, so the server stays responsive and no
query keeps computing after its answer is due. Updates are refused (read-only). On SIGINT or
SIGTERM the server stops and takes its workers with it; a worker whose server dies is ended
by the kernel (``PR_SET_PDEATHSIG``).

Endpoints: ``/query`` (the SPARQL 1.1 Protocol: GET or POST, ``query=`` or a
``application/sparql-query`` body; JSON, XML, CSV or TSV results, Turtle, N-Triples, JSON-LD
or RDF/XML graphs, by ``Accept`` or by ``format=json|xml|csv|tsv`` for a link; a browser asking
for HTML is sent to the query page), ``/update`` (403), and the web application of
:mod:`oncokg.web.app` (pages, search, plots, the query page at ``/sparql``). The OncoKG
prefixes are predeclared.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import queue
import resource
import signal
import socket
import threading
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oncokg.backend import QueryLimits
from oncokg.errors import InputError, OncoKGError, QueryError

if TYPE_CHECKING:
    from oncokg.embedded import EmbeddedBackend

DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY = 4 * 2**30
FORMAT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
}


@dataclass(frozen=True)
class Answer:
    """What a worker sends back: an HTTP status, a content type and a body."""

    status: int
    content_type: str
    body: bytes


def check_port_free(host: str, port: int) -> None:
    """Refuse a port that is out of range or taken, before anything is built or started."""
    if not 0 < port < 65536:
        raise InputError("--port", f"{port} is not a TCP port (1-65535)")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as err:
            raise InputError(
                "--port", f"cannot listen on {host}:{port} ({err.strerror}); choose another port"
            ) from None


# ---------------------------------------------------------------------- workers
def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _worker_main(conn: Connection, store_path: str, memory_bytes: int | None) -> None:
    """One worker: open the store read-only, then answer queries until the pipe closes."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers stop
    import pyoxigraph as ox

    from oncokg.embedded import EmbeddedBackend

    backend = EmbeddedBackend(ox.Store.read_only(store_path), union_default=True)
    if memory_bytes:
        limit = _address_space() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            text, accept = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(backend, text, accept))


def _answer(backend: EmbeddedBackend, text: str, accept: str) -> Answer:
    import pyoxigraph as ox

    try:
        result = backend.results(text)
        if isinstance(result, ox.QueryTriples):
            media = _negotiate(accept, GRAPH_TYPES, "text/turtle")
            fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media])
            return Answer(200, media, result.serialize(format=fmt) or b"")
        media = _negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
        body = result.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media]))
        return Answer(200, media, body or b"")
    except QueryError as err:
        return _error(400, str(err))
    except MemoryError:
        return _error(503, "the query ran out of memory and was stopped")


def _negotiate(accept: str, types: dict[str, str], default: str) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in types:
            return media
    return default


def _error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


class QueryWorkers:
    """A pool of worker processes over one store, each query bounded in time and memory."""

    def __init__(self, store_path: Path, size: int, limits: QueryLimits) -> None:
        self.store_path = store_path
        self.limits = limits
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[tuple[BaseProcess, Connection]] = queue.Queue()
        self._all: set[BaseProcess] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> tuple[BaseProcess, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(child, str(self.store_path), self.limits.memory_bytes),
            daemon=True,
        )
        process.start()
        child.close()
        with self._lock:
            self._all.add(process)
        return process, parent

    def _retire(self, process: BaseProcess, conn: Connection) -> None:
        conn.close()
        process.kill()
        process.join(timeout=5)
        with self._lock:
            self._all.discard(process)

    def run(self, text: str, accept: str) -> Answer:
        """Answer one query, or a 503 when it runs past the limit or no worker frees up."""
        timeout = self.limits.timeout or DEFAULT_TIMEOUT
        try:
            process, conn = self._idle.get(timeout=timeout)
        except queue.Empty:
            return _error(503, f"the server is busy: no worker was free within {timeout:g} s")
        try:
            conn.send((text, accept))
            if conn.poll(timeout):
                answer: Answer = conn.recv()
                self._idle.put((process, conn))
                return answer
            message = f"the query was stopped after the server's time limit of {timeout:g} s"
        except (EOFError, OSError):
            message = "the query process died; the query may have run out of memory"
        self._retire(process, conn)
        if not self._closed:
            self._idle.put(self._start())
        return _error(503, message)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            processes = list(self._all)
        for process in processes:
            process.kill()
            process.join(timeout=5)


# ---------------------------------------------------------------------- the web app
def create_app(workers: QueryWorkers, *, allow_service: bool = False) -> Any:
    """The Starlette application over a pool of workers: the SPARQL protocol endpoint and
    the web application (:mod:`oncokg.web.app`), whose page queries run in the same pool."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Route

    from oncokg.api import OncoKG
    from oncokg.sparql_text import require_form
    from oncokg.text_index import TextIndex
    from oncokg.web.app import web_routes
    from oncokg.web.pool import PoolBackend

    async def query(request: Request) -> Response:
        text = await _query_text(request)
        if text is None:
            return PlainTextResponse("give a SPARQL query as query=... \n", status_code=400)
        try:
            require_form(
                text, "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", allow_service=allow_service
            )
        except QueryError as err:
            status = 403 if "update" in str(err) else 400
            return PlainTextResponse(f"{err}\n", status_code=status)
        accept = request.headers.get("accept", "")
        fmt = request.query_params.get("format")
        if fmt is not None:
            if fmt not in FORMAT_TYPES:
                known = ", ".join(FORMAT_TYPES)
                return PlainTextResponse(f"unknown format {fmt!r}; use {known}\n", 400)
            accept = FORMAT_TYPES[fmt]
        elif "text/html" in accept and "sparql-results" not in accept:
            page = "/sparql?" + urllib.parse.urlencode({"query": text})
            return RedirectResponse(page, status_code=303)
        answer = await run_in_threadpool(workers.run, text, accept)
        headers = {}
        if fmt is not None and answer.status == 200:
            headers["Content-Disposition"] = f'attachment; filename="results.{fmt}"'
        return Response(answer.body, answer.status, headers=headers, media_type=answer.content_type)

    async def update(_: Request) -> Response:
        return PlainTextResponse("this endpoint is read-only\n", status_code=403)

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        try:
            yield
        finally:
            workers.close()

    kg = OncoKG(PoolBackend(workers), text_index=TextIndex.of_build(workers.store_path))
    routes = [
        Route("/query", query, methods=["GET", "POST"]),
        Route("/update", update, methods=["GET", "POST"]),
        *web_routes(kg),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def _query_text(request: Any) -> str | None:
    """The query of a SPARQL Protocol request: ``query=`` in the URL or a form, or the body."""
    if request.method == "GET":
        value = request.query_params.get("query")
        return str(value) if value is not None else None
    body: bytes = await request.body()
    text = body.decode("utf-8", "replace")
    if request.headers.get("content-type", "").startswith("application/sparql-query"):
        return text
    values = urllib.parse.parse_qs(text).get("query")
    return values[0] if values else None


def run_server(
    store_path: Path, host: str, port: int, limits: QueryLimits, workers: int = 2
) -> int:
    """Serve until SIGINT or SIGTERM; return 0 after a clean stop."""
    import uvicorn

    pool = QueryWorkers(store_path, workers, limits)
    # uvicorn stops gracefully on SIGINT and SIGTERM, then raises the signal again to whatever
    # handler was there before: make that a no-op, so a requested stop exits with 0
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda *_: None)
    try:
        app = create_app(pool, allow_service=limits.allow_service)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            raise OncoKGError(f"the server could not listen on {host}:{port}")
    finally:
        pool.close()
    return 0
