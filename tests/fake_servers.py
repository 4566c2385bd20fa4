"""Misbehaving HTTP servers on 127.0.0.1 for the endpoint tests, each stopped by its context.

Each server answers every connection with a handler of its own and records the raw requests
it received, so a test can assert what a client sent (say, that no credentials arrived).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class FakeServer:
    """A listening socket, the requests it saw, and its URL."""

    url: str
    requests: list[bytes] = field(default_factory=list)


Handler = Callable[[socket.socket, bytes], None]


@contextlib.contextmanager
def fake_server(handler: Handler, seconds: float = 30) -> Iterator[FakeServer]:
    """Serve ``handler`` on a free 127.0.0.1 port for at most ``seconds``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    server = FakeServer(f"http://127.0.0.1:{listener.getsockname()[1]}")
    stop = threading.Event()
    deadline = time.monotonic() + seconds

    def serve_one(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = _read_request(conn)
            server.requests.append(request)
            with contextlib.suppress(OSError):
                handler(conn, request)

    def loop() -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    with contextlib.suppress(OSError):
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        data = head + b"\r\n\r\n" + body
    return data


def answer(status: str, content_type: str, body: bytes, extra: str = "") -> Handler:
    """A handler that sends one complete response."""

    def handle(conn: socket.socket, _: bytes) -> None:
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + body)

    return handle


def drip(interval: float, total: float) -> Handler:
    """A handler that sends a response one byte every ``interval`` seconds, for ``total``."""

    def handle(conn: socket.socket, _: bytes) -> None:
        text = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n" + (
            b" " * 1000
        )
        end = time.monotonic() + total
        for byte in text:
            if time.monotonic() > end:
                return
            conn.sendall(bytes([byte]))
            time.sleep(interval)

    return handle
