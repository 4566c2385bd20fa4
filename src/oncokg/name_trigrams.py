"""The name index of a Virtuoso server, so that ``label-search`` there does not read every name.

The embedded store narrows ``label-search`` with its SQLite trigram index
(:mod:`oncokg.text_index`). Virtuoso's own free-text index finds words and word prefixes, not
part of a word ("nitin" in sunitinib), so ``oncokg push --bulk-dir`` writes every name's
trigrams as words: one literal per name, in the graph :data:`INDEX_GRAPH`, which is outside
the OncoKG graphs so that no query's dataset holds it, and has Virtuoso index the literals
of :data:`TRIGRAMS`. A search asks for the entities whose literal holds every trigram of the
text (``bif:contains``, :class:`ServerNameIndex`) and binds them; the query's own filter then
decides, as on the embedded store, so its rows are those of the full scan. A push without
``--bulk-dir`` drops the graph (a stale index would hide names), and the search scans again.

A trigram is written as ``t`` and the hex of its UTF-8 bytes: a word of letters and digits in
any script, which Virtuoso's word breaker keeps whole and no noise-word list drops.

>>> trigram_words("NItin")
['t697469', 't6e6974', 't74696e']
>>> trigram_words("尼替")  # two characters: no trigram
[]
>>> free_text_expression(["t6e6974", "t74696e"])
"'t6e6974' AND 't74696e'"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from oncokg.catalogue import parse_query_file, queries_dir
from oncokg.errors import OncoKGError
from oncokg.namespaces import PREFIXES
from oncokg.terms import Iri
from oncokg.text_index import MAX_ENTITIES, MIN_LENGTH, names_in

if TYPE_CHECKING:
    from oncokg.remote import RemoteBackend

INDEX_NAMESPACE = "https://w3id.org/oncokg/index/"
INDEX_GRAPH = Iri(INDEX_NAMESPACE + "name-trigrams")
TRIGRAMS = Iri(INDEX_NAMESPACE + "trigrams")
"""The property whose literals Virtuoso indexes: the trigram words of one name."""
MAX_WORDS = 24
"""A longer text is looked up by 24 of its trigrams (the query's filter checks all of it)."""
_EXPRESSION = re.compile(r"'t[0-9a-f]{6,24}'(?: AND 't[0-9a-f]{6,24}')*")


def trigram_words(text: str) -> list[str]:
    """The distinct trigrams of ``text`` lower-cased (as ``LCASE`` and the SQLite index do),
    each as a word, in sorted order."""
    lowered = text.lower()
    return sorted({_word(lowered[i : i + 3]) for i in range(len(lowered) - MIN_LENGTH + 1)})


def free_text_expression(words: Sequence[str]) -> str:
    """Virtuoso's free-text expression that asks for every one of ``words``.

    Only hex words pass: the expression is written into the query text (``bif:contains``
    takes no bound value), so nothing a user typed ever reaches it as such.
    """
    expression = " AND ".join(f"'{word}'" for word in words)
    if not _EXPRESSION.fullmatch(expression):
        raise OncoKGError(f"not an expression of trigram words: {expression[:80]!r}")
    return expression


def trigram_ntriples(
    store: ox.Store, graphs: Iterable[ox.NamedNode] | None = None
) -> Iterator[str]:
    """The graph :data:`INDEX_GRAPH` for the names in ``graphs`` of ``store`` (its default graph
    when None), as N-Triples lines, one at a time: a triple for each name of three characters
    or more (a name stated in several graphs comes once per graph), and the graph's title."""
    trigrams = ox.NamedNode(TRIGRAMS)
    for entity, name in names_in(store, graphs):
        if len(name) >= MIN_LENGTH:
            words = ox.Literal(" ".join(trigram_words(name)))
            yield f"{ox.Triple(ox.NamedNode(entity), trigrams, words)} .\n"
    title = ox.Literal("OncoKG names by trigram (the index of label-search)", language="en")
    graph = ox.NamedNode(INDEX_GRAPH)
    yield f"{ox.Triple(graph, ox.NamedNode(PREFIXES['dcterms'] + 'title'), title)} .\n"


class ServerNameIndex:
    """The name index of the Virtuoso server behind ``backend``, asked once per search.

    On another server, or on a Virtuoso pushed to without ``--bulk-dir``, it cannot narrow
    (``entities`` gives None) and ``label-search`` scans.
    """

    def __init__(self, backend: RemoteBackend) -> None:
        self.backend = backend

    def entities(self, text: str) -> list[Iri] | None:
        """The entities with a name that contains ``text`` (ignoring case), or None when the
        index cannot narrow the search (no index, a text under three characters, too many
        hits)."""
        words = trigram_words(text)[:MAX_WORDS]
        if not words or not self.backend.is_virtuoso():
            return None
        query = parse_query_file(queries_dir() / "virtuoso" / "name-trigrams.rq")
        literal = str(ox.Literal(free_text_expression(words)))
        rows = self.backend.select(query.sparql.replace("?expression", literal), graphs=[])
        if not rows:  # not even the graph's title: this server has no index
            return None
        found = sorted({Iri(str(row["entity"])) for row in rows if row["entity"] is not None})
        return None if len(found) > MAX_ENTITIES else found


def _word(trigram: str) -> str:
    return "t" + trigram.encode("utf-8", "surrogatepass").hex()  # a lone surrogate, typed, too
