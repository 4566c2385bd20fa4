"""The ontology parses, documents every term, and declares every term the data uses."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

import oncokg
from oncokg.namespaces import ONTOLOGY
from oncokg.resources import data_files, ontology_file, shapes_file

ONTOLOGY_GRAPH = Graph().parse(ontology_file())
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


def _terms() -> list[URIRef]:
    return sorted(
        s for t in TERM_TYPES for s in ONTOLOGY_GRAPH.subjects(RDF.type, t) if isinstance(s, URIRef)
    )


def _english(node: URIRef, predicate: URIRef) -> list[Literal]:
    objects = ONTOLOGY_GRAPH.objects(node, predicate)
    return [o for o in objects if isinstance(o, Literal) and o.language == "en"]


def test_ontology_header_and_version() -> None:
    ontology = URIRef("https://w3id.org/oncokg/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in ONTOLOGY_GRAPH
    version = str(ONTOLOGY_GRAPH.value(ontology, OWL.versionInfo))
    assert version == oncokg.__version__
    assert str(ONTOLOGY_GRAPH.value(ontology, OWL.versionIRI)).endswith("/" + version)


def test_every_class_and_property_has_english_label_and_definition() -> None:
    terms = _terms()
    assert len(terms) > 200
    missing = [
        t
        for t in terms
        if len(_english(t, RDFS.label)) != 1 or len(_english(t, SKOS.definition)) != 1
    ]
    assert missing == []


def test_every_controlled_value_has_english_label() -> None:
    values = [
        s
        for cls in ONTOLOGY_GRAPH.subjects(RDFS.subClassOf, SKOS.Concept)
        for s in ONTOLOGY_GRAPH.subjects(RDF.type, cls)
    ]
    assert len(values) > 100
    assert [v for v in values if not _english(v, RDFS.label)] == []


def test_every_okg_term_used_in_data_and_shapes_is_declared() -> None:
    declared = set(ONTOLOGY_GRAPH.subjects())
    used: set[URIRef] = set()
    for path in [*data_files(), shapes_file()]:
        graph = Graph().parse(path)
        for triple in graph:
            used.update(t for t in triple if isinstance(t, URIRef) and str(t).startswith(ONTOLOGY))
    undeclared = sorted(str(t) for t in used - declared)
    assert undeclared == []
