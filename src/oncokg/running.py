"""How a command runs, without click: errors become one line and an exit code, an embedded
query ends at its time limit, and ``oncokg query`` itself (:class:`QueryCall`).

Both the click command line (:mod:`oncokg.cli`) and the console script's quick path
(:mod:`oncokg.entry`) run a catalogue query through :func:`run_query`, so they cannot differ.

>>> QueryCall("drugs-by-target", (("target", "KIT"), ("target", "KRAS"))).bound()
{'target': ['KIT', 'KRAS']}
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from oncokg.errors import OncoKGError, ParameterError, shorten

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    from pathlib import Path
    from typing import NamedTuple, NoReturn, TypeVar

    from oncokg.api import OncoKG

    T = TypeVar("T")
else:
    from oncokg.lean_typing import NamedTuple

DEFAULT_TIMEOUT = 30.0


class QueryCall(NamedTuple):
    """One ``oncokg query NAME -p PARAM VALUE ...``, with the backend options."""

    name: str
    params: tuple[tuple[str, str], ...] = ()
    fmt: str = "table"
    endpoint: str | None = None
    store_path: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    allow_service: bool = False
    user: str | None = None
    all_sources: bool = False

    def bound(self) -> dict[str, list[str]]:
        """The parameters by name, a name given several times with several values."""
        bound: dict[str, list[str]] = {}
        for key, value in self.params:
            bound.setdefault(key, []).append(value)
        return bound


def run_query(call: QueryCall) -> str:
    """The rows of ``call``, rendered; an embedded query ends the process at its time limit."""
    from oncokg.output import render

    def run() -> str:
        with open_graph(
            call.endpoint,
            call.store_path,
            call.timeout,
            call.user,
            call.allow_service,
            call.all_sources,
        ) as kg:
            rows = kg.query(call.name, **call.bound())
        return render(rows, call.fmt)

    return run_bounded(run, call.endpoint, call.timeout)


def open_graph(
    endpoint: str | None,
    store_path: Path | None,
    timeout: float,
    user: str | None,
    allow_service: bool,
    all_sources: bool = False,
) -> OncoKG:
    """The OncoKG object the backend options describe."""
    from oncokg.api import OncoKG

    if endpoint and store_path:
        raise ParameterError("give --endpoint or --store, not both")
    if endpoint:
        return OncoKG.connect(
            endpoint,
            timeout=timeout,
            user=user,
            password=os.environ.get("ONCOKG_PASSWORD"),
            allow_service=allow_service,
            all_sources=all_sources,
        )
    # the time limit of an embedded query is the command's own: see run_bounded
    return OncoKG.open(store_path, allow_service=allow_service)


def run_bounded(action: Callable[[], T], endpoint: str | None, timeout: float) -> T:
    """Run a query command: on the embedded store, this process ends at the time limit.

    (An endpoint's requests are bounded by the endpoint timeout instead.)
    """
    from oncokg.isolation import exit_at_deadline

    if endpoint:
        return guard(action)
    message = f"oncokg: error: the query was stopped after its time limit of {timeout:g} s"
    with exit_at_deadline(timeout, message):
        return guard(action)


def guard(action: Callable[[], T]) -> T:
    """Run ``action``; turn an :class:`OncoKGError` into a one-line message and its exit code."""
    try:
        return action()
    except OncoKGError as err:
        fail(str(err), err.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", 130)


def unencodable(error: UnicodeEncodeError) -> NoReturn:
    """Fail in one line where the output's encoding cannot write the text (a Latin-1 or other
    non-UTF-8 standard output and a Chinese label): nothing was written, and nothing is
    replaced silently."""
    character = error.object[error.start]
    encoding = getattr(sys.stdout, "encoding", None) or error.encoding  # "charmap" for cp1252
    fail(
        f"cannot write {character!r} (U+{ord(character):04X}) in {encoding}, the encoding of "
        "standard output: set PYTHONIOENCODING=utf-8 (or use a UTF-8 locale) and run again",
        2,
    )


def fail(message: str, code: int) -> NoReturn:
    """Print ``oncokg: error: MESSAGE`` (one line, at most 500 characters) and exit."""
    sys.stderr.write(f"oncokg: error: {shorten(' '.join(message.split()), 500)}\n")
    sys.stderr.flush()
    sys.exit(code)
