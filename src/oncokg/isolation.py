"""Run a piece of work in a forked child with a time limit and a memory limit.

The embedded engine cannot be interrupted from Python once a query runs (it releases the GIL
and computes in Rust), so a query with a time limit runs in a child process that shares the
store by ``fork`` (copy on write, a few milliseconds). At the deadline the child is killed:
nothing keeps computing, and the memory it took is returned. The result comes back pickled.

>>> run_isolated(lambda: sum(range(10)), timeout=5)
45
"""

from __future__ import annotations

import _thread
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator

from oncokg.errors import OncoKGError, QueryError

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""


def run_isolated(work: Callable[[], T], timeout: float, memory_bytes: int | None = None) -> T:
    """``work()`` in a child process; raises :class:`QueryTimeout` past ``timeout`` seconds.

    With ``memory_bytes`` the child's address space is capped; a child that runs out of
    memory is reported as a :class:`QueryError`. Errors raised by ``work`` are raised here.
    """
    import pickle
    import resource
    import select
    import signal

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
        os.close(read_end)
        status = 0
        try:
            if memory_bytes:
                resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
            try:
                payload = pickle.dumps(("ok", work()))
            except OncoKGError as err:
                payload = pickle.dumps(("error", QueryError(str(err))))
            except MemoryError:
                payload = pickle.dumps(("error", QueryError("the query ran out of memory")))
            except BaseException as err:
                payload = pickle.dumps(("error", QueryError(f"{type(err).__name__}: {err}")))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    chunks: list[bytes] = []
    finished = False
    deadline = time.monotonic() + timeout
    try:
        while not finished:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout(f"the query was stopped after its time limit of {timeout:g} s")
            ready, _, _ = select.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                chunks.append(chunk)
                finished = not chunk
    finally:
        os.close(read_end)
        if not finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if not any(chunks):
        code = os.waitstatus_to_exitcode(status)
        cause = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        limit = f" (memory limit {memory_bytes / 2**30:g} GiB)" if memory_bytes else ""
        raise QueryError(f"the query process died ({cause}){limit}; it may have run out of memory")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "error":
        raise value
    return value  # type: ignore[no-any-return]


@contextlib.contextmanager
def exit_at_deadline(timeout: float, message: str, code: int = 2) -> Iterator[None]:
    """End this whole process at the deadline, with ``message`` on standard error.

    For a one-shot command whose process is the query's: as sure as :func:`run_isolated`
    (the process that computes is the one that ends) and free of its per-query fork.
    """
    cancelled = _thread.allocate_lock()  # a bare thread: threading takes 2 ms to import
    cancelled.acquire()

    def expire() -> None:
        if not cancelled.acquire(timeout=min(timeout, _thread.TIMEOUT_MAX)):
            sys.stderr.write(message + "\n")
            sys.stderr.flush()
            os._exit(code)

    _thread.start_new_thread(expire, ())
    try:
        yield
    finally:
        cancelled.release()
