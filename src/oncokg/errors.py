"""The exceptions OncoKG raises; the CLI turns each into a one-line message and an exit code."""

from __future__ import annotations

from pathlib import Path


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
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")


class ShapesError(InputError):
    """The SHACL shapes themselves are broken (say, a SPARQL constraint that does not parse)."""
