"""HTTP requests to SPARQL endpoints, bounded in time and careful with credentials.

Written on :mod:`http.client` rather than SPARQLWrapper, which decides between query and update
by searching the text for keywords, bounds each socket read but not a whole request, and
forwards ``Authorization`` to whatever origin a redirect names. Here:

- the timeout bounds the whole request, connection, headers and body: a watchdog shuts the
  socket at the deadline, so a server that sends one byte every second cannot stretch it;
- only ``http`` and ``https`` URLs are accepted (never ``file:`` or ``ftp:``);
- redirects are followed (five at most), and credentials are sent to the origin they were
  given for and never to another one;
- credentials go as HTTP Basic; a server that refuses them and challenges for Digest
  (Virtuoso's Graph Store endpoint does) gets them once more as HTTP Digest (RFC 7616); one
  that refuses them by closing the connection before it has read a large body (Virtuoso
  does, past a few megabytes) is asked for its challenge as well;
- every failure is an :class:`~oncokg.errors.EndpointError` naming the URL.

>>> request("GET", "file:///etc/passwd", timeout=1)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
oncokg.errors.EndpointError: SPARQL endpoint file:///etc/passwd: only http and https URLs ...
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import re
import secrets
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
    server: str = ""  # the Server header: the product answering, for its known quirks

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


@dataclass(frozen=True)
class Credentials:
    """A user name and password for an endpoint (never sent to another origin)."""

    user: str
    password: str = ""

    def basic(self) -> str:
        """The ``Authorization`` value for HTTP Basic.

        >>> Credentials("dba", "dba").basic()
        'Basic ZGJhOmRiYQ=='
        """
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()

    def digest(
        self, challenge: str, method: str, path: str, cnonce: str | None = None
    ) -> str | None:
        """The ``Authorization`` value answering a ``WWW-Authenticate: Digest`` challenge
        (qop ``auth`` or none; MD5 or SHA-256), or None when the challenge is not Digest.

        RFC 2617's worked example:

        >>> challenge = (
        ...     'Digest realm="testrealm@host.com", qop="auth,auth-int", '
        ...     'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
        ...     'opaque="5ccc069c403ebaf9f0171e9517f40e41"'
        ... )
        >>> answer = Credentials("Mufasa", "Circle Of Life").digest(
        ...     challenge, "GET", "/dir/index.html", cnonce="0a4f113b"
        ... )
        >>> 'response="6629fae49393a05397450978507c4ef1"' in answer
        True
        """
        scheme, _, rest = challenge.strip().partition(" ")
        if scheme.lower() != "digest":
            return None
        fields = {k.lower(): v1 or v2 for k, v1, v2 in _CHALLENGE_FIELD.findall(rest)}
        algorithm = fields.get("algorithm", "MD5").upper()
        if algorithm not in _DIGEST_HASHES:
            return None
        hash_name = _DIGEST_HASHES[algorithm]

        def h(text: str) -> str:
            return hashlib.new(hash_name, text.encode()).hexdigest()

        realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
        ha1 = h(f"{self.user}:{realm}:{self.password}")
        ha2 = h(f"{method}:{path}")
        parts = [
            f'username="{self.user}"',
            f'realm="{realm}"',
            f'nonce="{nonce}"',
            f'uri="{path}"',
        ]
        qops = [q.strip() for q in fields.get("qop", "").split(",") if q.strip()]
        if "auth" in qops:
            cnonce, count = cnonce or secrets.token_hex(8), "00000001"
            response = h(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
            parts += [f'response="{response}"', "qop=auth", f"nc={count}", f'cnonce="{cnonce}"']
        else:
            parts.append(f'response="{h(f"{ha1}:{nonce}:{ha2}")}"')
        if "opaque" in fields:
            parts.append(f'opaque="{fields["opaque"]}"')
        parts.append(f"algorithm={algorithm}")
        return "Digest " + ", ".join(parts)


_CHALLENGE_FIELD = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]*))')
_DIGEST_HASHES = {"MD5": "md5", "SHA-256": "sha256"}


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
    credentials: Credentials | None = None,
) -> Response:
    """Send one request and read the whole answer within ``timeout`` seconds in all.

    ``credentials`` go only to the origin of ``url``: as Basic, then as Digest if the server
    answers 401 with a Digest challenge.
    """
    deadline = time.monotonic() + check_timeout(timeout)
    origin = _origin(check_url(url))
    withheld = False
    digest: str | None = None
    for _ in range(MAX_REDIRECTS + 2):
        parts = check_url(url)
        sent_headers = dict(headers or {})
        if credentials is not None:
            if _origin(parts) == origin:
                sent_headers["Authorization"] = digest or credentials.basic()
            else:
                withheld = True
        path = _path(parts)
        try:
            status, location, content_type, data, challenge, server = _exchange(
                method, parts, body, sent_headers, deadline, url
            )
        except _BodyRefused:
            if digest is not None or credentials is None or withheld:
                raise
            # Virtuoso answers Basic with 401 before it reads the body, and closes: past a
            # few megabytes the body no longer fits the socket's buffers, and sending breaks
            digest = credentials.digest(_challenge(parts, deadline, url), method, path)
            if digest is None:  # not a refusal of Basic after all
                raise
            continue
        if status == 401 and digest is None and credentials is not None and not withheld:
            # a server may refuse Basic without saying what it wants (Virtuoso does): ask
            # with a bodiless, credential-less GET, which only reads, for its challenge
            if challenge is None:
                challenge = _challenge(parts, deadline, url)
            digest = credentials.digest(challenge or "", method, path)
            if digest is not None:
                continue
        if status in _REDIRECTS and location:
            url = urllib.parse.urljoin(url, location)
            if status == 303 or (status in (301, 302) and method == "POST"):
                method, body = "GET", None
            continue
        return Response(url, status, content_type, data, withheld, server)
    raise EndpointError(url, f"more than {MAX_REDIRECTS} redirects")


def _challenge(parts: urllib.parse.SplitResult, deadline: float, url: str) -> str:
    """The ``WWW-Authenticate`` challenge of a bodiless, credential-less GET (which only
    reads); empty if the server gives none."""
    return _exchange("GET", parts, None, {}, deadline, url)[4] or ""


class _BodyRefused(EndpointError):
    """The server closed the connection while a request body was being sent."""


def _origin(parts: urllib.parse.SplitResult) -> tuple[str, str, int]:
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def _path(parts: urllib.parse.SplitResult) -> str:
    return urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))


def _exchange(
    method: str,
    parts: urllib.parse.SplitResult,
    body: bytes | None,
    headers: dict[str, str],
    deadline: float,
    url: str,
) -> tuple[int, str | None, str, bytes, str | None, str]:
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
    try:
        connection.request(method, _path(parts), body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return (
            response.status,
            response.getheader("Location"),
            response.getheader("Content-Type", ""),
            data,
            response.getheader("WWW-Authenticate"),
            response.getheader("Server", ""),
        )
    except (OSError, http.client.HTTPException) as err:
        if expired.is_set() or isinstance(err, TimeoutError | socket.timeout):
            raise EndpointError(url, "timed out") from None
        reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
        if body and isinstance(err, BrokenPipeError | ConnectionResetError):
            raise _BodyRefused(url, f"cannot connect ({reason})") from None
        raise EndpointError(url, f"cannot connect ({reason})") from None
    finally:
        watchdog.cancel()
        connection.close()
