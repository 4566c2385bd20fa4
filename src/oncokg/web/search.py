"""One search box for drugs, genes, variants, diseases and trials: by label, synonym, brand
name or Chinese name (``label-search``), and by identifier or CURIE (the API's name
resolution: ``CHEMBL941``, ``HGNC:6342``, ``DOID:9253``).

Hits are ranked: a whole-name match before a prefix before a substring, then drugs, genes,
variants, diseases and trials before claims and other things, then by label.
"""

from __future__ import annotations

from dataclasses import dataclass

from oncokg.api import OncoKG
from oncokg.catalogue import ENTITY_KINDS
from oncokg.errors import NotFound, ParameterError
from oncokg.terms import Iri
from oncokg.web.pages import curie, local_path

MAX_TEXT = 200
_FIRST_CLASSES = ("drug", "gene", "genotype", "variant", "disease", "clinical trial", "target")


@dataclass
class Hit:
    """One thing the search found, and how it matched."""

    iri: Iri
    label: str
    matched: str
    language: str
    classes: list[str]

    @property
    def href(self) -> str:
        return local_path(self.iri) or self.iri

    def as_json(self) -> dict[str, object]:
        return {
            "iri": self.iri,
            "href": self.href,
            "label": self.label,
            "matched": self.matched,
            "language": self.language,
            "classes": self.classes,
        }


def search(kg: OncoKG, text: str, limit: int = 100) -> list[Hit]:
    """Things whose names contain ``text`` (any case, any language), or that an identifier
    names, best first."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ParameterError(f"search for at most {MAX_TEXT} characters, not {len(text):,}")
    if not text:
        return []
    hits: dict[str, Hit] = {}
    for row in kg.query("label-search", text=text):
        iri = row["entity"]
        if not isinstance(iri, Iri):
            continue
        hit = hits.get(iri)
        label = str(row["label"]) if row["label"] is not None else curie(iri)
        if hit is None:
            hit = hits[iri] = Hit(iri, label, str(row["matched"]), str(row["language"] or ""), [])
        elif _rank_of_match(str(row["matched"]), text) < _rank_of_match(hit.matched, text):
            hit.matched, hit.language = str(row["matched"]), str(row["language"] or "")
        if row["class"] is not None and str(row["class"]) not in hit.classes:
            hit.classes.append(str(row["class"]))
    looks_like_identifier = any(c.isdigit() for c in text) or ":" in text
    if looks_like_identifier and not any(
        _rank_of_match(h.matched, text) == 0 for h in hits.values()
    ):
        for kind in ENTITY_KINDS:  # an identifier or CURIE names one thing exactly
            try:
                found = kg.resolve(text, kind, suggest=False)
            except (NotFound, ParameterError):
                continue
            for iri in found:
                if iri not in hits:
                    hits[iri] = Hit(iri, curie(iri), text, "identifier", [kind])
    ranked = sorted(hits.values(), key=lambda h: _rank(h, text))
    return ranked[:limit]


def _rank_of_match(matched: str, text: str) -> int:
    matched, text = matched.casefold(), text.casefold()
    return 0 if matched == text else 1 if matched.startswith(text) else 2


def _rank(hit: Hit, text: str) -> tuple[int, int, str]:
    exactness = 0 if hit.language == "identifier" else _rank_of_match(hit.matched, text)
    kinds = [_FIRST_CLASSES.index(c) for c in hit.classes if c in _FIRST_CLASSES]
    return (exactness, min(kinds, default=len(_FIRST_CLASSES)), hit.label.casefold())
