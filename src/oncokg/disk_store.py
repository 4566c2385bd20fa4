"""The on-disk store: a folder of built Oxigraph stores and a marker naming the current one.

::

    STORE/
      oncokg-store.json   the marker: format, the current build, the sources it was built from
      build-000002/       an Oxigraph store, complete before the marker ever names it: each
                          source in its named graph, and their union in the default graph
      .lock               taken by a process that builds; readers never take it

A build goes into a new folder by bulk load, is flushed, and only then does the marker switch
to it (written to a temporary file, fsynced, renamed): a process killed at any point leaves
the previous build current. Readers open the current build read-only, so any number of them
run at once, on a read-only mount too. OncoKG writes only in folders that carry its marker, or
in a new or empty folder: anything else is refused, never emptied.

>>> import tempfile
>>> folder = StoreFolder(Path(tempfile.mkdtemp()) / "store")
>>> folder.current() is None
True
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from oncokg.errors import InputError

MARKER = "oncokg-store.json"
FORMAT = 3  # 2: the default graph holds the union of the named graphs; 3: and the inferred graph
_READABLE_FORMATS = (1, 2, 3)  # an older build is rebuilt, never read
LOCK_WAIT_SECONDS = 120.0


@dataclass(frozen=True)
class SourceFile:
    """A file a build was made from, as the marker records it."""

    name: str
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> SourceFile:
        """Read ``path`` once: its size, modification time and SHA-256."""
        stat = path.stat()
        return cls(str(path), stat.st_size, stat.st_mtime_ns, file_sha256(path))


class StoreFolder:
    """One store folder on disk; see the module documentation for its layout."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._check_place()

    def _check_place(self) -> None:
        path = self.path
        if path.is_symlink() and not path.exists():
            raise InputError(path, "is a dangling link; give a folder for the store")
        if path.exists() and not path.is_dir():
            raise InputError(path, "is a file, not a store folder; give a folder for the store")
        parent = path.parent
        if not path.exists():
            for ancestor in [parent, *parent.parents]:
                if ancestor.exists():
                    if not ancestor.is_dir():
                        raise InputError(path, f"cannot create the store: {ancestor} is a file")
                    break
            return
        if not (path / MARKER).is_file() and any(path.iterdir()):
            raise InputError(
                path,
                f"is not an OncoKG store (it has no {MARKER}) and is not empty; OncoKG never "
                "writes into such a folder: give a new or empty folder",
            )

    # ------------------------------------------------------------------ reading
    def marker(self) -> dict[str, Any] | None:
        """The marker's content, or None for a folder never built."""
        try:
            data = json.loads((self.path / MARKER).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            raise InputError(self.path / MARKER, f"unreadable store marker ({err})") from None
        if not isinstance(data, dict) or data.get("format") not in _READABLE_FORMATS:
            raise InputError(self.path / MARKER, "not a store marker this OncoKG can read")
        return data

    def current(self) -> Path | None:
        """The folder of the current build, or None."""
        data = self.marker()
        if data is None:
            return None
        build = self.path / str(data["current"])
        if not build.is_dir():
            raise InputError(build, "the store marker names a build that is missing")
        return build

    def is_current(self, sources: Sequence[Path]) -> bool:
        """True when the current build was made from exactly these files, unchanged.

        Sizes and modification times decide first; a file whose size or time differs is hashed,
        and the build is still current if its bytes are the same.
        """
        data = self.marker()
        if data is None or data.get("format") != FORMAT:
            return False
        recorded = [SourceFile(**f) for f in data.get("sources", [])]
        if [f.name for f in recorded] != [str(p) for p in sources]:
            return False
        for known, path in zip(recorded, sources, strict=True):
            try:
                stat = path.stat()
            except OSError:
                return False
            if (stat.st_size, stat.st_mtime_ns) == (known.size, known.mtime_ns):
                continue
            if SourceFile.of(path).sha256 != known.sha256:
                return False
        return True

    def open_read_only(self) -> ox.Store:
        """The current build, opened read-only (any number of readers at once)."""
        build = self.current()
        if build is None:
            raise InputError(self.path, "the store has not been built yet")
        try:
            return ox.Store.read_only(str(build))
        except OSError as err:
            raise InputError(build, f"cannot open the store read-only ({err})") from None

    # ------------------------------------------------------------------ building
    @contextlib.contextmanager
    def _writer_lock(self, wait: float) -> Iterator[None]:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle = (self.path / ".lock").open("a")
        except OSError as err:
            raise InputError(self.path, f"cannot write the store ({err.strerror})") from None
        with handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise InputError(
                            self.path,
                            f"another process has been building this store for over {wait:.0f} s;"
                            " try again when it has finished",
                        ) from None
                    time.sleep(0.1)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def build(
        self,
        sources: Sequence[Path],
        fill: Callable[[ox.Store], None],
        *,
        wait: float = LOCK_WAIT_SECONDS,
    ) -> Path:
        """Build a new store with ``fill`` and make it current; return its folder.

        ``sources`` are recorded in the marker (for :meth:`is_current`). If another process
        finished a build of the same sources while this one waited for the lock, that build is
        kept and nothing is built again.
        """
        with self._writer_lock(wait):
            if self.is_current(sources):
                current = self.current()
                assert current is not None
                return current
            recorded = [SourceFile.of(p).__dict__ for p in sources]
            previous = self.marker()
            number = int(str(previous["current"]).rsplit("-", 1)[1]) + 1 if previous else 1
            build = self.path / f"build-{number:06d}"
            if build.exists():  # left by a build killed before the marker switched
                shutil.rmtree(build)
            try:
                store = ox.Store(str(build))
                fill(store)
                store.flush()
                del store
            except OSError as err:
                shutil.rmtree(build, ignore_errors=True)
                raise InputError(self.path, f"cannot write the store ({err})") from None
            except BaseException:
                shutil.rmtree(build, ignore_errors=True)
                raise
            marker = {"format": FORMAT, "current": build.name, "sources": recorded}
            try:
                write_atomically(self.path / MARKER, json.dumps(marker, indent=2).encode())
            except OSError as err:
                shutil.rmtree(build, ignore_errors=True)
                raise InputError(self.path, f"cannot write the store ({err.strerror})") from None
            self._remove_old_builds(keep={build.name, str(previous["current"]) if previous else ""})
            return build

    def _remove_old_builds(self, keep: set[str]) -> None:
        """Drop builds older than the previous one (a reader may still use the previous one)."""
        for child in self.path.glob("build-*"):
            if child.is_dir() and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hexadecimal."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_atomically(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content``: temporary file in the same folder, fsync, rename.

    A process killed at any point, or a full disk, leaves either the old or the new file.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
