"""A failing endpoint gives EndpointError (naming the URL) within the configured timeout."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from oncokg.api import OncoKG
from oncokg.errors import EndpointError

from .conftest import free_port


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/query"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def test_refused_connection() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    kg = OncoKG.connect(url, timeout=2, retries=2)
    start = time.monotonic()
    with pytest.raises(EndpointError) as info:
        kg.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert time.monotonic() - start < 3
    assert url in str(info.value) and "cannot connect" in str(info.value)


def test_server_that_never_answers(silent_server: str) -> None:
    kg = OncoKG.connect(silent_server, timeout=1, retries=3)
    start = time.monotonic()
    with pytest.raises(EndpointError, match="timed out"):
        kg.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert time.monotonic() - start < 2.5


def test_html_page_is_not_taken_for_results(oxigraph_url: str) -> None:
    base = oxigraph_url.rsplit("/", 1)[0]
    kg = OncoKG.connect(base + "/", timeout=5)
    with pytest.raises(EndpointError) as info:
        kg.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert base in str(info.value)


def test_malformed_query_names_the_status(oxigraph_url: str) -> None:
    kg = OncoKG.connect(oxigraph_url, timeout=5)
    with pytest.raises(EndpointError) as info:
        kg.select("SELECT * WHERE { ?s ?p }")
    assert info.value.status == 400
