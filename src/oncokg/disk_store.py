"""The on-disk store: a folder of built Oxigraph stores and a marker naming the current one.

::

    STORE/
      oncokg-store.json   the marker: format, the current build, the sources it was built from
      build-000002/       an Oxigraph store, complete before the marker ever names it: each
                          source in its named graph, and their union in the default graph;
                          with the index of its names (:mod:`oncokg.text_index`)
      .lock               taken by a process that builds; readers never take it

A build goes into a new folder, is flushed, and only then does the marker switch to it
(written to a temporary file, fsynced, renamed): a process killed at any point leaves the
previous build current. When some graphs' files are unchanged, and they outweigh the changed
ones, the new folder starts as a copy of the current build (hard links, so it costs no time
and no space) in which only the changed graphs are replaced; otherwise every graph is bulk
loaded into an empty folder. Readers open the current build read-only, so any number of them
run at once, on a read-only mount too. OncoKG writes only in folders that carry its marker, or
in a new or empty folder: anything else is refused, never emptied.

>>> import tempfile
>>> folder = StoreFolder(Path(tempfile.mkdtemp()) / "store")
>>> folder.current() is None
True
"""

from __future__ import annotations

# shutil and hashlib are imported where a build needs them: opening a store for one query
# does without them (start-up, tests/test_entry.py)
import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from oncokg.errors import InputError
from oncokg.terms import Iri

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from oncokg.lean_typing import NamedTuple

MARKER = "oncokg-store.json"
FORMAT = 4  # 2: the default graph holds the union of the named graphs; 3: and the inferred
# graph; 4: the marker records each file's graph, so a build can replace only what changed
_READABLE_FORMATS = (1, 2, 3, 4)  # an older build is rebuilt, never read
GraphFiles = Sequence[tuple[Iri, Sequence[Path]]]
"""Each named graph of a store with the files it is loaded from."""
Fill = Callable[[ox.Store, GraphFiles], None]
"""Fills an empty store with the graphs given."""
Update = Callable[[ox.Store, Sequence[Iri], GraphFiles], None]
"""Turns a copy of the current build into the new one: drops the graphs named, loads those
given; raises :class:`NotIncremental` to have the store built whole instead."""


class NotIncremental(Exception):
    """An update cannot replace these graphs in place (say, they hold blank nodes)."""


LOCK_WAIT_SECONDS = 120.0


class SourceFile(NamedTuple):
    """A file a build was made from, as the marker records it."""

    name: str
    size: int
    mtime_ns: int
    sha256: str
    graph: str = ""

    @classmethod
    def of(cls, path: Path, graph: str, known: SourceFile | None = None) -> SourceFile:
        """``path`` as loaded into ``graph``: its size, modification time and SHA-256. The hash
        of ``known`` (the same file as recorded before) is kept when the size and time are the
        same; otherwise the file is read once."""
        stat = path.stat()
        if known is not None and (stat.st_size, stat.st_mtime_ns) == (known.size, known.mtime_ns):
            return cls(str(path), stat.st_size, stat.st_mtime_ns, known.sha256, graph)
        return cls(str(path), stat.st_size, stat.st_mtime_ns, file_sha256(path), graph)

    def unchanged(self, path: Path) -> bool:
        """True when ``path`` holds the bytes recorded: same size and time, or else same hash."""
        try:
            stat = path.stat()
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns):
            return True
        return stat.st_size == self.size and file_sha256(path) == self.sha256


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

    def recorded(self) -> list[SourceFile]:
        """The files the current build was made from (empty for an older format)."""
        data = self.marker()
        if data is None or data.get("format") != FORMAT:
            return []
        return [SourceFile(**f) for f in data.get("sources", [])]

    def is_current(self, plan: GraphFiles) -> bool:
        """True when the current build was made from exactly these graphs and files, unchanged.

        Sizes and modification times decide first; a file whose time differs is hashed, and
        the build is still current if its bytes are the same.
        """
        recorded = self.recorded()
        wanted = _flatten(plan)
        if [(f.graph, f.name) for f in recorded] != [(g, str(p)) for g, p in wanted] or not wanted:
            return False
        return all(known.unchanged(path) for known, (_, path) in zip(recorded, wanted, strict=True))

    def changes(
        self, plan: GraphFiles, files: Sequence[SourceFile]
    ) -> tuple[list[Iri], GraphFiles]:
        """What a build of ``plan``, whose files are ``files`` (:meth:`SourceFile.of`, in the
        plan's order), changes against the current build: the graphs to drop (gone, or their
        files changed) and the graphs to load (new, or changed). Nothing is read again."""

        def by_graph(records: Iterable[SourceFile]) -> dict[str, list[tuple[str, str]]]:
            grouped: dict[str, list[tuple[str, str]]] = {}
            for record in records:
                grouped.setdefault(record.graph, []).append((record.name, record.sha256))
            return grouped

        before, after = by_graph(self.recorded()), by_graph(files)
        same = {graph for graph in after if before.get(graph) == after[graph]}
        dropped = [Iri(g) for g in before if g not in same]
        return dropped, [(g, p) for g, p in plan if g not in same]

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
        plan: GraphFiles,
        fill: Fill | None = None,
        update: Update | None = None,
        *,
        wait: float = LOCK_WAIT_SECONDS,
    ) -> Path:
        """Build a new store of ``plan`` and make it current; return its folder.

        ``fill`` builds a store from nothing, ``update`` turns a copy of the current build into
        the new one (:data:`Fill`, :data:`Update`; by default :func:`oncokg.embedded.bulk_fill`
        and :func:`oncokg.embedded.update_fill`). The update is used when the graphs it keeps
        are larger, in bytes of their files, than those it replaces. If another process
        finished a build of the same plan while this one waited for the lock, that build is
        kept and nothing is built again.
        """
        import shutil

        from oncokg import embedded

        fill = fill or embedded.bulk_fill
        update = update or embedded.update_fill
        with self._writer_lock(wait):
            known = {(f.graph, f.name): f for f in self.recorded()}
            recorded = [SourceFile.of(p, g, known.get((g, str(p)))) for g, p in _flatten(plan)]
            dropped, loaded = self.changes(plan, recorded)  # each changed file hashed once
            current = self.current()
            if current is not None and not dropped and not loaded:
                return current  # nothing changed: say, another process built it meanwhile
            previous = self.marker()
            number = int(str(previous["current"]).rsplit("-", 1)[1]) + 1 if previous else 1
            build = self.path / f"build-{number:06d}"
            if build.exists():  # left by a build killed before the marker switched
                shutil.rmtree(build)
            try:
                if not self._updated(build, dropped, loaded, plan, update):
                    self._write(build, lambda store: fill(store, plan))
            except OSError as err:
                shutil.rmtree(build, ignore_errors=True)
                raise InputError(self.path, f"cannot write the store ({err})") from None
            except BaseException:
                shutil.rmtree(build, ignore_errors=True)
                raise
            sources = [f._asdict() for f in recorded]
            marker = {"format": FORMAT, "current": build.name, "sources": sources}
            try:
                content = json.dumps(marker, indent=2)
                write_atomically(self.path / MARKER, content.encode())
            except OSError as err:
                shutil.rmtree(build, ignore_errors=True)
                raise InputError(self.path, f"cannot write the store ({err.strerror})") from None
            self._remove_old_builds(keep={build.name, str(previous["current"]) if previous else ""})
            return build

    def _updated(
        self,
        build: Path,
        dropped: Sequence[Iri],
        loaded: GraphFiles,
        plan: GraphFiles,
        update: Update,
    ) -> bool:
        """Build ``build`` as a copy of the current build with ``dropped`` replaced by
        ``loaded``, when that is worth it; False when the store must be built whole."""
        current = self.current() if self.recorded() else None
        if current is None:
            return False
        changed = {g for g in dropped} | {g for g, _ in loaded}
        kept = sum(p.stat().st_size for g, paths in plan if g not in changed for p in paths)
        replaced = sum(p.stat().st_size for _, paths in loaded for p in paths)
        if kept <= replaced:
            return False
        import shutil

        from oncokg.hierarchy import Hierarchy
        from oncokg.text_index import named_in, update_index, write_index

        previous = ox.Store.read_only(str(current))
        hierarchy = Hierarchy.of(previous, None)
        renamed = named_in(previous, dropped, hierarchy)  # entities whose names may change
        previous.backup(str(build))
        del previous

        def index(store: ox.Store) -> None:
            if Hierarchy.of(store, None) != hierarchy:  # names may be entailed anywhere
                write_index(store, build)
                return
            entities = renamed | named_in(store, [g for g, _ in loaded], hierarchy)
            update_index(store, current, build, entities)

        try:
            self._write(build, lambda store: update(store, dropped, loaded), index)
        except NotIncremental:
            shutil.rmtree(build, ignore_errors=True)
            return False
        return True

    @staticmethod
    def _write(
        build: Path,
        fill: Callable[[ox.Store], None],
        index: Callable[[ox.Store], None] | None = None,
    ) -> None:
        from oncokg.text_index import write_index

        store = ox.Store(str(build))
        fill(store)
        store.flush()
        if index is None:
            write_index(store, build)
        else:
            index(store)
        del store

    def _remove_old_builds(self, keep: set[str]) -> None:
        """Drop builds older than the previous one (a reader may still use the previous one)."""
        import shutil

        for child in self.path.glob("build-*"):
            if child.is_dir() and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)


def _flatten(plan: GraphFiles) -> list[tuple[Iri, Path]]:
    return [(graph, path) for graph, paths in plan for path in paths]


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hexadecimal."""
    import hashlib

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
            import shutil

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
