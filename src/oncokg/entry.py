"""The ``oncokg`` console script: a catalogue query on the embedded store starts without click.

``oncokg query NAME [-p PARAM VALUE]... [--format F] [--store DIR] [--timeout S]
[--allow-service]`` is the command scripts call in loops, so its start-up counts: this module
reads exactly that form itself and runs it through :func:`oncokg.running.run_query`, as the
click command does. Anything else (other commands, ``--help``, ``--endpoint``, ``--opt=value``,
a value that looks like an option, an option given twice, an invalid value) goes to the full
command line (:mod:`oncokg.cli`), which also gives every usage error.

>>> quick_query(["query", "drugs-by-target", "-p", "target", "KIT", "--format", "csv"])
QueryCall(name='drugs-by-target', params=(('target', 'KIT'),), fmt='csv', endpoint=None, \
store_path=None, timeout=30.0, allow_service=False, user=None, all_sources=False)
>>> quick_query(["query", "drugs-by-target", "--format=csv"]) is None
True
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from oncokg.running import DEFAULT_TIMEOUT, QueryCall, fail, run_query, unencodable

_VALUED = ("--format", "--store", "--timeout")


def quick_query(args: Sequence[str]) -> QueryCall | None:
    """The :class:`QueryCall` that ``args`` spell, or None unless they are in the quick form."""
    if len(args) < 2 or args[0] != "query":
        return None
    from oncokg.output import FORMATS

    name: str | None = None
    params: list[tuple[str, str]] = []
    options: dict[str, str] = {}
    allow_service = False
    rest = list(args[1:])
    while rest:
        token = rest.pop(0)
        if token in ("-p", "--param"):
            if len(rest) < 2 or any(value.startswith("-") for value in rest[:2]):
                return None
            params.append((rest.pop(0), rest.pop(0)))
        elif token in _VALUED:
            if not rest or rest[0].startswith("-") or token in options:
                return None
            options[token] = rest.pop(0)
        elif token == "--allow-service" and not allow_service:
            allow_service = True
        elif token.startswith("-") or name is not None:
            return None
        else:
            name = token
    fmt = options.get("--format", "table")
    timeout = _seconds(options["--timeout"]) if "--timeout" in options else DEFAULT_TIMEOUT
    if name is None or fmt not in FORMATS or timeout is None:
        return None
    store = options.get("--store")
    return QueryCall(
        name,
        tuple(params),
        fmt,
        store_path=None if store is None else Path(store),
        timeout=timeout,
        allow_service=allow_service,
    )


def _seconds(text: str) -> float | None:
    """``text`` as a time limit (:func:`oncokg.backend.check_timeout`), or None if it is not."""
    from oncokg.backend import check_timeout
    from oncokg.errors import ParameterError

    try:
        return check_timeout(float(text))
    except (ValueError, ParameterError):
        return None


def main(argv: Sequence[str] | None = None) -> None:
    """The console script: the quick path when it applies, else the full command line."""
    args = list(sys.argv[1:] if argv is None else argv)
    call = quick_query(args)
    if call is None:
        from oncokg.cli import main as full_command_line

        full_command_line(args)
        return
    _answer(call)


def console() -> None:
    """The installed ``oncokg`` script and ``python -m oncokg``: :func:`main`; once a quick query
    has written its answer (flushed, the store closed), the process ends at once.

    Skipping the interpreter's teardown (every module's objects freed one by one) saves about
    8 ms of the 100 ms such a process takes; nothing is left to flush or release. Commands
    that click runs end as click ends them.
    """
    call = quick_query(sys.argv[1:])
    if call is None:
        main()
        return
    _answer(call)
    sys.stderr.flush()
    os._exit(0)


def _answer(call: QueryCall) -> None:
    """Run ``call`` and write its rows; a reader that leaves ends the process quietly."""
    text = run_query(call)
    try:
        _write(text)
    except BrokenPipeError:  # the reader left (say, `| head`): exit 1 quietly, as click does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except UnicodeEncodeError as error:
        unencodable(error)
    except KeyboardInterrupt:
        fail("interrupted", 130)


def _write(text: str) -> None:
    """Write ``text`` to standard output as ``click.echo`` does: in UTF-8 where the stream
    claims ASCII (a C locale, ``PYTHONIOENCODING=ascii``), in its own encoding otherwise."""
    stream = sys.stdout
    binary = getattr(stream, "buffer", None)
    ascii_only = codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
    if ascii_only and binary is not None:
        stream.flush()
        binary.write(text.encode("utf-8", "replace"))
        binary.flush()
    else:
        stream.write(text)
        stream.flush()
