"""The namespaces of OncoKG and the prefixes its files declare, in one place.

>>> PREFIXES["okg"]
'https://w3id.org/oncokg/ontology#'
"""

from __future__ import annotations

ONTOLOGY = "https://w3id.org/oncokg/ontology#"
RESOURCE = "https://w3id.org/oncokg/resource/"
SHAPES = "https://w3id.org/oncokg/shapes#"

PREFIXES: dict[str, str] = {
    "okg": ONTOLOGY,
    "okr": RESOURCE,
    "oks": SHAPES,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
    "unit": "http://qudt.org/vocab/unit/",
    "qudt": "http://qudt.org/schema/qudt/",
    "chembl": "http://identifiers.org/chembl.compound/",
    "hgnc": "http://identifiers.org/hgnc/",
    "ncbigene": "http://identifiers.org/ncbigene/",
    "uniprot": "http://purl.uniprot.org/uniprot/",
    "obo": "http://purl.obolibrary.org/obo/",
    "drugcentral": "http://identifiers.org/drugcentral/",
}
