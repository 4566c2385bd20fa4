"""A trigram index of the names in a built store, so that a search by part of a name does not
read every name of the graph.

``label-search`` finds entities whose label, synonym or brand name contains a text: a filter
on every name, which no SPARQL index serves (2.8 s at ten million triples). Each build of a
store folder therefore writes the names it holds into an SQLite FTS5 table with the trigram
tokenizer (in the build's folder, :data:`FILE_NAME`), and a catalogue query that declares
``# text-index: PARAM -> VARIABLE`` gets ``?VARIABLE`` bound to the entities whose names
contain the text before it runs. The index only narrows: the query still applies its own
filter, so its rows are the rows of the full scan. A text shorter than three characters
(no trigram), or one found in more than :data:`MAX_ENTITIES` entities, is left to the scan.

>>> import pyoxigraph as ox, tempfile
>>> store = ox.Store()
>>> sunitinib = ox.NamedNode("https://w3id.org/oncokg/resource/sunitinib")
>>> store.add(ox.Quad(sunitinib, LABEL, ox.Literal("舒尼替尼", language="zh-hans")))
>>> folder = Path(tempfile.mkdtemp())
>>> write_index(store, folder)
1
>>> TextIndex(folder / FILE_NAME).entities("尼替尼")
['https://w3id.org/oncokg/resource/sunitinib']
>>> TextIndex(folder / FILE_NAME).entities("尼") is None  # one character: no trigram
True
"""

from __future__ import annotations

# sqlite3 and shutil are imported where they are used: a query that does not search names
# does without them (start-up, tests/test_entry.py)
import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from oncokg.errors import InputError
from oncokg.namespaces import PREFIXES
from oncokg.terms import Iri

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    import sqlite3
    from typing import Protocol

    from oncokg.hierarchy import Hierarchy
else:
    from oncokg.lean_typing import Protocol

FILE_NAME = "oncokg-names.sqlite"
LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
NAME_PROPERTIES = (
    LABEL,
    ox.NamedNode(PREFIXES["skos"] + "altLabel"),
    ox.NamedNode(PREFIXES["okg"] + "brandName"),
)
"""The properties ``label-search`` reads; the index holds exactly their values."""
MIN_LENGTH = 3  # the trigram tokenizer indexes runs of three characters
MAX_ENTITIES = 1_000  # beyond this, binding the entities costs more than the scan saves


def write_index(store: ox.Store, folder: Path) -> int:
    """Index the names in ``store``'s default graph into ``folder/FILE_NAME``; their number.

    Each name is kept lower-cased (as ``LCASE`` does), with the entity it names; the table
    ``entries`` finds an entity's rows again, for :func:`update_index`.
    """
    path = folder / FILE_NAME
    path.unlink(missing_ok=True)
    with _writing(path) as connection:
        connection.execute(
            "CREATE VIRTUAL TABLE names USING fts5(entity UNINDEXED, name, tokenize='trigram')"
        )
        connection.execute("CREATE TABLE entries (entity TEXT NOT NULL, row INTEGER NOT NULL)")
        _insert(connection, names_in(store), first_row=1)
        connection.execute("CREATE INDEX entries_by_entity ON entries (entity)")
        (count,) = connection.execute("SELECT COUNT(*) FROM names").fetchone()
    return int(count)


def update_index(store: ox.Store, previous: Path, folder: Path, entities: set[str]) -> None:
    """The index of ``folder``'s build made from the index of the ``previous`` build: the rows
    of ``entities`` (those whose names a rebuild may have changed) are written again from
    ``store``. Without an index in ``previous``, the whole index is written."""
    if not (previous / FILE_NAME).is_file():
        write_index(store, folder)
        return
    import shutil

    path = folder / FILE_NAME
    shutil.copyfile(previous / FILE_NAME, path)
    with _writing(path) as connection:
        for entity in sorted(entities):
            rows = connection.execute("SELECT row FROM entries WHERE entity = ?", (entity,))
            connection.executemany("DELETE FROM names WHERE rowid = ?", rows.fetchall())
            connection.execute("DELETE FROM entries WHERE entity = ?", (entity,))
        (last,) = connection.execute("SELECT COALESCE(MAX(rowid), 0) FROM names").fetchone()
        subjects = [ox.NamedNode(entity) for entity in sorted(entities)]
        _insert(connection, _names(store, subjects, ox.DefaultGraph()), first_row=int(last) + 1)


def named_in(store: ox.Store, graphs: Iterable[str], hierarchy: Hierarchy) -> set[str]:
    """The entities with a statement in one of ``graphs`` that names them, or that entails
    a name (a sub-property of a name property in ``hierarchy``, the store's)."""
    properties = {*NAME_PROPERTIES, *(a for a, b in hierarchy.properties if b in NAME_PROPERTIES)}
    return {
        quad.subject.value
        for graph in graphs
        for prop in properties
        for quad in store.quads_for_pattern(None, prop, None, ox.NamedNode(graph))
        if isinstance(quad.subject, ox.NamedNode)
    }


def names_in(
    store: ox.Store, graphs: Iterable[ox.NamedNode] | None = None
) -> Iterator[tuple[str, str]]:
    """(entity, lower-cased name) of every name in ``graphs`` of ``store`` (its default graph
    when None), the values of :data:`NAME_PROPERTIES`."""
    for graph in [ox.DefaultGraph()] if graphs is None else graphs:
        yield from _names(store, None, graph)


def _names(
    store: ox.Store,
    subjects: list[ox.NamedNode] | None,
    graph: ox.NamedNode | ox.DefaultGraph,
) -> Iterator[tuple[str, str]]:
    """(entity, lower-cased name) of every name in ``graph``, or of ``subjects``'."""
    for subject in subjects if subjects is not None else [None]:
        for prop in NAME_PROPERTIES:
            for quad in store.quads_for_pattern(subject, prop, None, graph):
                if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                    yield quad.subject.value, quad.object.value.lower()


def _insert(
    connection: sqlite3.Connection, names: Iterable[tuple[str, str]], first_row: int
) -> None:
    numbered = [(row, entity, name) for row, (entity, name) in enumerate(names, first_row)]
    connection.executemany("INSERT INTO names (rowid, entity, name) VALUES (?, ?, ?)", numbered)
    connection.executemany(
        "INSERT INTO entries VALUES (?, ?)", [(entity, row) for row, entity, _ in numbered]
    )


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[sqlite3.Connection]:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        with connection:
            yield connection
    finally:
        connection.close()


class NameIndex(Protocol):
    """What narrows a ``# text-index:`` query: :class:`TextIndex` (a built store's) and
    :class:`oncokg.name_trigrams.ServerNameIndex` (a Virtuoso server's)."""

    def entities(self, text: str) -> list[Iri] | None:
        """The entities with a name that contains ``text``, or None if it cannot narrow."""
        ...


class TextIndex:
    """The name index of one build, opened read-only for each look-up (so any thread and any
    number of processes use it at once, on a read-only mount too)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def of_build(cls, build: Path | None) -> TextIndex | None:
        """The index of the build in folder ``build``, or None if it has none."""
        if build is None or not (build / FILE_NAME).is_file():
            return None
        return cls(build / FILE_NAME)

    def entities(self, text: str) -> list[Iri] | None:
        """The entities with a name that contains ``text`` (ignoring case), or None when the
        index cannot narrow the search (a text under three characters, or too many hits)."""
        import sqlite3

        needle = text.lower()
        if len(needle) < MIN_LENGTH:
            return None
        phrase = '"' + needle.replace('"', '""') + '"'  # a phrase: the characters in a row
        try:
            connection = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as err:
            raise InputError(self.path, f"cannot open the name index ({err})") from None
        try:
            found = connection.execute(
                "SELECT DISTINCT entity FROM names WHERE name MATCH ? LIMIT ?",
                (phrase, MAX_ENTITIES + 1),
            ).fetchall()
        except sqlite3.Error as err:
            raise InputError(self.path, f"cannot read the name index ({err})") from None
        finally:
            connection.close()
        if len(found) > MAX_ENTITIES:
            return None
        return sorted(Iri(entity) for (entity,) in found)
