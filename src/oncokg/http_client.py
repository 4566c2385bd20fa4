"""HTTP requests to SPARQL endpoints, bounded in time and careful with credentials.

Written on :mod:`http.client` rather than SPARQLWrapper, which decides between query and update
by searching the text for keywords, bounds each socket read but not a whole request, and
forwards ``Authorization`` to whatever origin a redirect names. Here:

- the timeout bounds the whole request, connection, headers and body: a watchdog shuts the
  socket at the deadline, so a server that sends one byte every second cannot stretch it;
- only ``http`` and ``https`` URLs are accepted (never ``file:`` or ``ftp:``);
- redirects are followed (five at most), and credentials are sent to the origin they were
  given for and never to another one;
- every failure is an :class:`~oncokg.errors.EndpointError` naming the URL.

>>> request("GET", "file:///etc/passwd", timeout=1)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
oncokg.errors.EndpointError: SPARQL endpoint file:///etc/passwd: only http and https URLs ...
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from oncokg.backend import check_timeout
from oncokg.errors import EndpointError

MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Response:
    """A complete HTTP answer."""

    url: str
    status: int
    content_type: str
    body: bytes
    credentials_withheld: bool = False

    def error(self) -> EndpointError:
        """The answer as an :class:`EndpointError` (for a status of 400 or more)."""
        detail = self.body[:300].decode("utf-8", "replace").strip() or "no detail"
        if self.status == 401 and self.credentials_withheld:
            detail = (
                "the endpoint redirected to another origin; OncoKG does not send credentials "
                "to another origin (use the final URL)"
            )
        elif self.status == 401:
            detail = "credentials missing or refused"
        return EndpointError(self.url, " ".join(detail.split()), status=self.status)


def check_url(url: str) -> urllib.parse.SplitResult:
    """The parts of an ``http(s)`` URL; raises :class:`EndpointError` for any other."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise EndpointError(url, "only http and https URLs are supported")
    return parts


def request(
    method: str,
    url: str,
    *,
    timeout: float,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    authorization: str | None = None,
) -> Response:
    """Send one request and read the whole answer within ``timeout`` seconds in all.

    ``authorization`` (an ``Authorization`` header value) goes only to the origin of ``url``.
    """
    deadline = time.monotonic() + check_timeout(timeout)
    origin = _origin(check_url(url))
    withheld = False
    for _ in range(MAX_REDIRECTS + 1):
        parts = check_url(url)
        sent_headers = dict(headers or {})
        if authorization is not None:
            if _origin(parts) == origin:
                sent_headers["Authorization"] = authorization
            else:
                withheld = True
        status, location, content_type, data = _exchange(
            method, parts, body, sent_headers, deadline, url
        )
        if status in _REDIRECTS and location:
            url = urllib.parse.urljoin(url, location)
            if status == 303 or (status in (301, 302) and method == "POST"):
                method, body = "GET", None
            continue
        return Response(url, status, content_type, data, withheld)
    raise EndpointError(url, f"more than {MAX_REDIRECTS} redirects")


def _origin(parts: urllib.parse.SplitResult) -> tuple[str, str, int]:
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def _exchange(
    method: str,
    parts: urllib.parse.SplitResult,
    body: bytes | None,
    headers: dict[str, str],
    deadline: float,
    url: str,
) -> tuple[int, str | None, str, bytes]:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise EndpointError(url, "timed out")
    connection: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=remaining, context=context
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=remaining)
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, stop)
    watchdog.daemon = True
    watchdog.start()
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return (
            response.status,
            response.getheader("Location"),
            response.getheader("Content-Type", ""),
            data,
        )
    except (OSError, http.client.HTTPException) as err:
        if expired.is_set() or isinstance(err, TimeoutError | socket.timeout):
            raise EndpointError(url, "timed out") from None
        reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
        raise EndpointError(url, f"cannot connect ({reason})") from None
    finally:
        watchdog.cancel()
        connection.close()
