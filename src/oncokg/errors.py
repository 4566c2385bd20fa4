"""The exceptions OncoKG raises; the CLI turns each into a one-line message and an exit code."""

from __future__ import annotations

from pathlib import Path


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, so that no message echoes a huge value.

    >>> shorten("x" * 100, 10)
    'xxxxxxxxx… (100 characters)'
    """
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


class OncoKGError(Exception):
    """Base class of every error OncoKG raises on purpose."""

    exit_code = 2


class InputError(OncoKGError):
    """An input file cannot be read or parsed.

    >>> str(InputError(Path("data/x.ttl"), "unexpected ']'", line=12))
    "data/x.ttl:12: unexpected ']'"
    """

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        name = path if isinstance(path, str) else str(path)  # a str may be an IRI: kept whole
        where = f"{name}:{line}" if line is not None else name
        super().__init__(f"{where}: {reason}")


class ShapesError(InputError):
    """The SHACL shapes themselves are broken (say, a SPARQL constraint that does not parse)."""


class NotFound(OncoKGError):
    """A name, query or claim that the graph does not know.

    >>> str(NotFound("drug", "aspirinx"))
    "no drug named 'aspirinx' in the graph"
    """

    exit_code = 1

    def __init__(self, kind: str, name: str, hint: str = "") -> None:
        self.kind = kind
        self.name = name
        message = f"no {kind} named {shorten(name)!r} in the graph"
        super().__init__(f"{message}; {hint}" if hint else message)


class ParameterError(OncoKGError):
    """A query parameter is missing, unknown, or has a value of the wrong type."""

    exit_code = 2


class QueryError(OncoKGError):
    """A SPARQL query or update is malformed or failed in the store."""

    exit_code = 2


class EndpointError(OncoKGError):
    """A remote SPARQL endpoint failed: refused, timed out, or answered with an error.

    >>> str(EndpointError("http://127.0.0.1:1/query", "connection refused"))
    'SPARQL endpoint http://127.0.0.1:1/query: connection refused'
    """

    exit_code = 3

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        self.reason = reason
        status_text = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"SPARQL endpoint {url}: {reason}{status_text}")
