"""The Human Disease Ontology as a reference graph (CC0): labels, synonyms, hierarchy, NCIt codes.

Reads the DO in its reduced JSON form (a list of terms with ``id``, ``name``, ``synonyms``,
``relations.is_a`` and ``xrefs``). Each term becomes its OBO IRI (``obo:DOID_9253``) with its
label, synonyms, ``skos:broader`` parents (not ``rdfs:subClassOf``: the terms are the values of
``okg:doid``, and SKOS keeps the ontology free of punning) and its NCIt codes. With it, a
question about a disease also finds the evidence on its subtypes (``disease-subtypes``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from oncokg.errors import InputError
from oncokg.importers.base import LICENCES, RDF_TYPE, RDFS_LABEL, ImportedGraph, english, okg, term


def read_terms(path: Path) -> list[dict[str, Any]]:
    """The terms of the DO JSON file; refuses another layout."""
    from oncokg.rdf_files import read_text

    try:
        terms = json.loads(read_text(path))
    except ValueError as err:
        raise InputError(path, f"is not valid JSON ({err}); download it again") from None
    if not isinstance(terms, list) or not all(isinstance(t, dict) and "id" in t for t in terms):
        raise InputError(path, "is not the Disease Ontology's JSON term list (id, name, relations)")
    return terms


def doid_iri(identifier: str) -> ox.NamedNode:
    """``DOID:9253`` -> ``obo:DOID_9253``."""
    return term("obo", identifier.replace(":", "_"))


def import_disease_ontology(
    path: Path, *, date: str, progress: Callable[[int], None] | None = None
) -> ImportedGraph:
    """The DO as a reference graph; see the module documentation."""
    graph = ImportedGraph("disease-ontology", date, "Human Disease Ontology", LICENCES["CC0-1.0"])
    graph.inputs = [path]
    broader, alt = term("skos", "broader"), term("skos", "altLabel")
    for position, item in enumerate(read_terms(path), start=1):
        graph.rows_read += 1
        if progress:
            progress(1)
        identifier = str(item["id"])
        if not identifier.startswith("DOID:") or not identifier[5:].isdigit():
            graph.skip(path, position, f"term id {identifier!r} is not a DOID")
            continue
        node = doid_iri(identifier)
        graph.add(node, RDF_TYPE, okg("DiseaseConcept"))
        graph.add(node, RDFS_LABEL, english(str(item.get("name") or identifier)))
        for synonym in item.get("synonyms") or []:
            graph.add(node, alt, english(str(synonym)))
        for parent in (item.get("relations") or {}).get("is_a") or []:
            if str(parent).startswith("DOID:"):
                graph.add(node, broader, doid_iri(str(parent)))
        for xref in item.get("xrefs") or []:
            code = str(xref.get("id", ""))
            if xref.get("namespace") == "NCI" and code.startswith("C") and code[1:].isdigit():
                graph.add(node, okg("ncit"), term("obo", f"NCIT_{code}"))
        graph.statements += 1
    graph.metadata()
    return graph
