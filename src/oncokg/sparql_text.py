"""Read the structure of a SPARQL text from its tokens, before any engine sees it.

OncoKG never decides what a text does by searching it for a word. This module masks comments,
strings and IRIs, then reads the grammar's own landmarks: the prologue (``BASE``/``PREFIX``),
the keyword that follows it (the query form, or an update operation), the outermost group,
the nesting depth and the ``SERVICE`` clauses. The checks that guard every query path are here:

>>> inspect_query("PREFIX x: <urn:x#> # SELECT in a comment\\nASK { ?s ?p ?o }").form
'ASK'
>>> inspect_query("DELETE { ?s ?p ?o } WHERE { SELECT ?s ?p ?o WHERE { ?s ?p ?o } }").form
'DELETE'
>>> inspect_query("SELECT * { " * 3 + "}" * 3).depth
3
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from oncokg.errors import QueryError

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from oncokg.lean_typing import NamedTuple

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_OPERATIONS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
)
MAX_QUERY_CHARS = 200_000
MAX_DEPTH = 64
CACHED_QUERY_CHARS = 20_000  # 256 cached shapes keep at most 5 MB of query text

_IRI = re.compile(r"<[^\s<>\"{}|^`\\]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_PNAME_CHARS = re.compile(r"[A-Za-z0-9_\-.:]")
# the comment line that asks for joins in the written order; written by the catalogue, read by
# joins_as_written with any spacing
WRITTEN_ORDER_LINE = "# join-order: written"
_WRITTEN_ORDER = re.compile(r"#\s*join-order:\s*written")


class QueryShape(NamedTuple):
    """What the tokens of a SPARQL text say: its form, how deep it nests, what it federates."""

    form: str
    depth: int
    services: tuple[str, ...]

    @property
    def is_update(self) -> bool:
        """True for SPARQL updates (INSERT, DELETE, LOAD, DROP ...)."""
        return self.form not in QUERY_FORMS


def _spans(text: str) -> Iterator[tuple[str, int, int]]:
    """The comments, string contents and IRIs of a SPARQL or Turtle text: (kind, start, end).

    Turtle and SPARQL share these lexical rules, so the same scan serves both.
    """
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            yield "comment", i, end
            i = end
        elif c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            end = i + len(quote)
            while end < n and not text.startswith(quote, end):
                end += 2 if text[end] == "\\" else 1
            closed = min(n, end + len(quote))
            yield "string", i + len(quote), min(end, n)  # the quotes stay: a literal stays a token
            i = closed
        elif c == "<" and (match := _IRI.match(text, i)):
            yield "iri", i, match.end()
            i = match.end()
        else:
            i += 1


def mask(text: str) -> str:
    """The text with comments, string literals and IRIs blanked out (same length).

    >>> mask('SELECT ?x { ?x <urn:a> "{ #" } # }')
    'SELECT ?x { ?x         "   " }    '
    """
    out = list(text)
    for _, start, end in _spans(text):
        for k in range(start, end):
            if out[k] != "\n":
                out[k] = " "
    return "".join(out)


def comment_lines(text: str) -> list[int]:
    """The line numbers (from 1) of the comments in a SPARQL or Turtle text.

    >>> comment_lines('<urn:a#b> <urn:p> "# not a comment" .\\n# a comment\\n')
    [2]
    """
    return [text.count("\n", 0, start) + 1 for kind, start, _ in _spans(text) if kind == "comment"]


def joins_as_written(text: str) -> bool:
    """True when the comment lines that open the text include ``# join-order: written``: the
    query asks engines that take a join-order hint to keep its written order (the catalogue
    header of that name; Virtuoso gets ``sql:select-option "order"``).

    >>> joins_as_written("# join-order: written\\nSELECT * { ?s ?p ?o }")
    True
    >>> joins_as_written('SELECT * { ?s ?p "# join-order: written" }')
    False
    """
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return False
        if _WRITTEN_ORDER.fullmatch(stripped):
            return True
    return False


def inspect_query(text: str) -> QueryShape:
    """The form, depth and SERVICE targets of a SPARQL query or update.

    Raises :class:`QueryError` when the text has no query form or update operation after its
    prologue (it cannot be a SPARQL request). The shapes of texts up to
    :data:`CACHED_QUERY_CHARS` are kept (a catalogue query is read once per process, not on
    every call).
    """
    return _cached_shape(text) if len(text) <= CACHED_QUERY_CHARS else _shape(text)


@lru_cache(maxsize=256)
def _cached_shape(text: str) -> QueryShape:
    return _shape(text)


def _shape(text: str) -> QueryShape:
    masked = mask(text)
    return QueryShape(
        form=_form(text, masked), depth=_depth(masked), services=_services(text, masked)
    )


def check_query(
    text: str,
    *,
    allow_service: bool = False,
    max_chars: int = MAX_QUERY_CHARS,
    max_depth: int = MAX_DEPTH,
) -> QueryShape:
    """Refuse a text that must not reach the engine; return its shape otherwise.

    Refused: texts over ``max_chars`` characters, groups nested deeper than ``max_depth``
    (deep nesting overflows the engines' stacks), and ``SERVICE`` clauses unless
    ``allow_service`` (then only to ``http(s)`` IRIs, never to a variable).

    >>> check_query("SELECT * { SERVICE <http://ex.org/q> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    oncokg.errors.QueryError: SERVICE <http://ex.org/q> refused: federated queries are off; ...
    """
    if len(text) > max_chars:
        raise QueryError(f"query of {len(text):,} characters refused: the limit is {max_chars:,}")
    shape = inspect_query(text)
    if shape.depth > max_depth:
        raise QueryError(
            f"query nested {shape.depth} levels deep refused: the limit is {max_depth} "
            "(groups, brackets and parentheses)"
        )
    for target in shape.services:
        if not allow_service:
            raise QueryError(
                f"SERVICE {target} refused: federated queries are off; "
                "turn them on with --allow-service (or allow_service=True)"
            )
        if not re.fullmatch(r"<https?://[^>]+>", target, re.IGNORECASE):
            raise QueryError(f"SERVICE {target} refused: only http(s) endpoints are allowed")
    return shape


def require_form(text: str, *forms: str, allow_service: bool = False) -> QueryShape:
    """:func:`check_query`, then refuse any form but ``forms`` (say, an update on a read path)."""
    shape = check_query(text, allow_service=allow_service)
    if shape.form not in forms:
        kind = "an update" if shape.is_update else f"a {shape.form} query"
        raise QueryError(f"expected a {' or '.join(forms)} query, got {kind} ({shape.form})")
    return shape


class WhereGroup(NamedTuple):
    """Where a query's WHERE group lies: the indexes of its ``{`` and ``}``, and what it holds.

    ``subselect``: the group is a subquery and nothing else (``SELECT ?x { SELECT ... }``);
    ``short_construct``: the query is ``CONSTRUCT WHERE { triples }``, whose group is also
    its template.
    """

    opening: int
    closing: int
    subselect: bool
    short_construct: bool


def where_group(text: str) -> WhereGroup:
    """The query's WHERE group, found from the grammar.

    The ``WHERE`` keyword is optional in SPARQL, so the group is the first ``{`` at the top
    level after the form keyword (for CONSTRUCT, after the template).

    >>> where_group("SELECT ?x { SELECT ?x WHERE { ?x ?p ?o } }")
    WhereGroup(opening=10, closing=41, subselect=True, short_construct=False)
    """
    masked = mask(text)
    start = _form_position(text, masked)
    if start is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    keyword, position = start
    level = 0
    i = position + len(keyword)
    skip_template = keyword == "CONSTRUCT"
    while i < len(masked):
        c = masked[i]
        if c == "(":
            level += 1
        elif c == ")":
            level -= 1
        elif c == "{" and level == 0:
            following = masked[position + len(keyword) : i].strip()
            if skip_template and not following:  # CONSTRUCT { template } WHERE { ... }
                i = _matching_brace(masked, i) + 1
                skip_template = False
                continue
            closing = _matching_brace(masked, i)
            first = _WORD.match(masked, _skip_space(masked, i + 1))
            return WhereGroup(
                opening=i,
                closing=closing,
                subselect=bool(first and first[0].upper() == "SELECT"),
                short_construct=skip_template and following.upper() == "WHERE",
            )
        i += 1
    raise QueryError("the query has no WHERE group")


def _matching_brace(masked: str, opening: int) -> int:
    level = 0
    for i in range(opening, len(masked)):
        if masked[i] == "{":
            level += 1
        elif masked[i] == "}":
            level -= 1
            if level == 0:
                return i
    raise QueryError("unbalanced braces in the query")


def _form_position(text: str, masked: str) -> tuple[str, int] | None:
    """The first keyword after the prologue and its position."""
    i, n = 0, len(masked)
    while i < n:
        if masked[i].isspace():
            i += 1
            continue
        match = _WORD.match(masked, i)
        if not match:
            return None
        word = match[0].upper()
        if word == "BASE":  # BASE <iri>: the IRI is blanked, skip to its end
            i = _skip_iri(text, match.end())
            continue
        if word == "PREFIX":  # PREFIX pname: <iri>
            colon = masked.find(":", match.end())
            if colon < 0:
                return None
            i = _skip_iri(text, colon + 1)
            continue
        return word, i
    return None


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _skip_iri(text: str, i: int) -> int:
    i = _skip_space(text, i)
    match = _IRI.match(text, i)
    return match.end() if match else i


def _form(text: str, masked: str) -> str:
    found = _form_position(text, masked)
    if found is None or found[0] not in (*QUERY_FORMS, *UPDATE_OPERATIONS):
        raise QueryError(
            "not a SPARQL query: after the prologue (PREFIX, BASE) it needs SELECT, ASK, "
            "CONSTRUCT or DESCRIBE"
        )
    return found[0]


def _depth(masked: str) -> int:
    level = deepest = 0
    for c in masked:
        if c in "{([":
            level += 1
            deepest = max(deepest, level)
        elif c in "})]":
            level -= 1
    return deepest


def _services(text: str, masked: str) -> tuple[str, ...]:
    found = []
    for match in re.finditer(r"(?i)\bSERVICE\b", masked):
        before = masked[match.start() - 1] if match.start() else " "
        after = masked[match.end()] if match.end() < len(masked) else " "
        if _PNAME_CHARS.match(before) or after in ":-":  # part of a prefixed name
            continue
        offset = _skip_space(text, match.end())
        silent = re.match(r"(?i)SILENT\b", masked[offset:])
        if silent:
            offset = _skip_space(text, offset + silent.end())
        iri = _IRI.match(text, offset)
        if iri:
            found.append(iri[0])
        else:
            token = re.match(r"\S+", masked[offset:])
            found.append(token[0] if token else "(nothing)")
    return tuple(found)
