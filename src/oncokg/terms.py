"""RDF terms as plain Python values, the same whichever backend answered.

IRIs become :class:`Iri` (a ``str``), language-tagged strings :class:`LangString` (a ``str``
with ``.lang``), ``xsd:decimal`` :class:`~decimal.Decimal`, ``xsd:integer`` ``int``,
``xsd:boolean`` ``bool``, ``xsd:double``/``xsd:float`` ``float``; anything else its lexical form.

>>> from_lexical("9.0", XSD + "decimal")
Decimal('9')
>>> Iri("https://w3id.org/oncokg/resource/KIT").curie()
'okr:KIT'
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from oncokg.namespaces import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_XSD_STRING = XSD + "string"
_INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
    )
}


class Iri(str):
    """An IRI, kept apart from a string literal with the same text."""

    __slots__ = ()

    def curie(self) -> str:
        """The shortest CURIE with a project prefix, or the IRI itself."""
        best = str(self)
        for prefix, namespace in PREFIXES.items():
            if self.startswith(namespace) and len(self) - len(namespace) + len(prefix) + 1 < len(
                best
            ):
                best = f"{prefix}:{self[len(namespace) :]}"
        return best


class BlankNode(str):
    """A blank node identifier (only meaningful within one answer)."""

    __slots__ = ()


class LangString(str):
    """A string literal with its language tag."""

    lang: str

    def __new__(cls, value: str, lang: str) -> LangString:
        obj = super().__new__(cls, value)
        obj.lang = lang
        return obj

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (str(self), self.lang)


Value = Iri | BlankNode | LangString | str | Decimal | int | float | bool


def from_lexical(lexical: str, datatype: str | None, lang: str | None = None) -> Value:
    """Turn a literal's lexical form and datatype into a Python value."""
    if lang:
        return LangString(lexical, lang)
    if datatype is None or datatype == XSD + "string":
        return lexical
    try:
        if datatype == XSD + "decimal":
            return Decimal(lexical).normalize() + 0
        if datatype in _INTEGER_TYPES:
            return int(lexical)
        if datatype == XSD + "boolean":
            return lexical in ("true", "1")
        if datatype in (XSD + "double", XSD + "float"):
            return float(lexical)
    except (ValueError, InvalidOperation):
        return lexical
    return lexical


def from_oxigraph(term: object) -> Value | None:
    """Convert a pyoxigraph term (or None for an unbound variable)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return Iri(term.value)  # type: ignore[attr-defined]
    if kind is ox.Literal:
        language = term.language  # type: ignore[attr-defined]
        if language:
            return LangString(term.value, language)  # type: ignore[attr-defined]
        datatype = term.datatype.value  # type: ignore[attr-defined]
        if datatype == _XSD_STRING:
            return term.value  # type: ignore[attr-defined,no-any-return]
        return from_lexical(term.value, datatype)  # type: ignore[attr-defined]
    if term is None:
        return None
    if kind is ox.BlankNode:
        return BlankNode(term.value)  # type: ignore[attr-defined]
    return str(term)


def from_sparql_json(binding: dict[str, str]) -> Value:
    """Convert one binding of the SPARQL 1.1 JSON results format."""
    kind = binding["type"]
    if kind == "uri":
        return Iri(binding["value"])
    if kind == "bnode":
        return BlankNode(binding["value"])
    return from_lexical(binding["value"], binding.get("datatype"), binding.get("xml:lang"))


def to_sparql_text(value: Value) -> str:
    """A value as a SPARQL term, escaped by pyoxigraph's N-Triples writer (never by hand).

    >>> to_sparql_text('a "quoted"\\nline')
    '"a \\\\"quoted\\\\"\\\\nline"'
    """
    return str(to_oxigraph(value))


def to_oxigraph(value: Value) -> object:
    """A Python value as a pyoxigraph term; raises ValueError for an invalid IRI."""
    if isinstance(value, Iri):
        return ox.NamedNode(value)
    if isinstance(value, LangString):
        return ox.Literal(value, language=value.lang)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, Decimal):
        return ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(str(value))
