"""How a name a user types becomes the IRIs of the graph: identifiers, dosage forms, suggestions.

The queries that look names up live in ``queries/resolve-*.rq``; this module parses what they
cannot: external identifiers in their common spellings, and close names for a "did you mean".

>>> parse_identifier("HGNC:6342")
'http://identifiers.org/hgnc/6342'
>>> parse_identifier("chembl:CHEMBL941")
'http://identifiers.org/chembl.compound/CHEMBL941'
>>> parse_identifier("DOID:9253")
'http://purl.obolibrary.org/obo/DOID_9253'
>>> parse_identifier("ncbigene:3815")
'http://identifiers.org/ncbigene/3815'
>>> parse_identifier("imatinib") is None
True
>>> suggestions("imatinb", ["imatinib", "nilotinib", "sunitinib"])
['imatinib']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from oncokg.namespaces import PREFIXES
from oncokg.terms import Iri

_OBO = PREFIXES["obo"]
# scheme (any case) -> (IRI base, the local part's pattern, how it is written in the IRI)
_SCHEMES: dict[str, tuple[str, str]] = {
    "hgnc": (PREFIXES["hgnc"], r"(?:HGNC:)?([0-9]+)"),
    "ncbigene": (PREFIXES["ncbigene"], r"([0-9]+)"),
    "entrez": (PREFIXES["ncbigene"], r"([0-9]+)"),
    "chembl": (PREFIXES["chembl"], r"(CHEMBL[0-9]+)"),
    "uniprot": (PREFIXES["uniprot"], r"([A-Z0-9]{6,10})"),
    "doid": (_OBO + "DOID_", r"([0-9]+)"),
    "ncit": (_OBO + "NCIT_", r"(C[0-9]+)"),
    "drugcentral": (PREFIXES["drugcentral"], r"([0-9]+)"),
}


def parse_identifier(text: str) -> Iri | None:
    """The IRI of an external identifier written ``SCHEME:ID`` (HGNC, NCBI Gene, ChEMBL,
    UniProt, DOID, NCIt, DrugCentral; the scheme in any case), or None for anything else."""
    scheme, separator, local = text.strip().partition(":")
    if not separator or scheme.lower() not in _SCHEMES:
        return None
    base, pattern = _SCHEMES[scheme.lower()]
    match = re.fullmatch(pattern, local.strip(), flags=re.IGNORECASE)
    if match is None:
        return None
    value = match[1].upper() if scheme.lower() in ("chembl", "uniprot", "ncit") else match[1]
    return Iri(base + value)


def suggestions(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The known names closest to ``name`` (case ignored), best first."""
    import difflib

    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(candidate.lower(), candidate)
    close = difflib.get_close_matches(name.lower(), list(by_key), n=limit, cutoff=0.75)
    return [by_key[key] for key in close]


__all__ = ["parse_identifier", "suggestions"]
