"""The ontology parses, documents every term, and declares every term the data uses."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

import oncokg
from oncokg.namespaces import ONTOLOGY
from oncokg.resources import data_files, ontology_file, shapes_file

from .conftest import REPO

ONTOLOGY_GRAPH = Graph().parse(ontology_file())
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _terms() -> list[URIRef]:
    """OncoKG's own classes and properties (other vocabularies' terms are declared, not
    documented again here)."""
    return sorted(
        s
        for t in TERM_TYPES
        for s in ONTOLOGY_GRAPH.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY)
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


# ---------------------------------------------------------------- conventions (ROBOT report)
def test_no_two_terms_share_an_english_label_or_a_definition() -> None:
    """A class and its property used to share a label (okg:Route / okg:route, "route")."""
    terms = _terms()
    labels = [str(_english(t, RDFS.label)[0]).lower() for t in terms]
    definitions = [str(_english(t, SKOS.definition)[0]) for t in terms]
    assert len(terms) > 300
    assert sorted(x for x in set(labels) if labels.count(x) > 1) == []
    assert sorted(x for x in set(definitions) if definitions.count(x) > 1) == []


def test_every_property_is_used() -> None:
    """Each OncoKG property is used by the data, the ontology, the shapes, a query or an
    importer (an unused property, like okg:mutationFrequencySubject was, is dead weight)."""
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "queries").glob("*.rq")]
    texts += [p.read_text(encoding="utf-8") for p in (REPO / "src").rglob("*.py")]
    used = {p for path in [*data_files(), shapes_file()] for p in Graph().parse(path).predicates()}
    used |= set(ONTOLOGY_GRAPH.predicates())
    properties = [t for t in _terms() if (t, RDF.type, OWL.Class) not in ONTOLOGY_GRAPH]
    local = {t: str(t).removeprefix(ONTOLOGY) for t in properties}
    unused = [
        name
        for term, name in local.items()
        if term not in used and not any(f"okg:{name}" in x or f'"{name}"' in x for x in texts)
    ]
    assert len(properties) > 200 and unused == []


def test_every_controlled_value_is_in_its_value_sets_scheme() -> None:
    """One skos:ConceptScheme per value set, as the header promises, and each value in it."""
    data = Graph()
    for path in data_files():
        data.parse(path)
    value_sets = list(ONTOLOGY_GRAPH.subjects(RDFS.subClassOf, SKOS.Concept))
    wrong = []
    members = 0
    for value_set in value_sets:
        scheme = URIRef(f"{value_set}Values")
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ONTOLOGY_GRAPH, scheme
        for graph in (ONTOLOGY_GRAPH, data):
            for value in graph.subjects(RDF.type, value_set):
                members += 1
                if list(graph.objects(value, SKOS.inScheme)) != [scheme]:
                    wrong.append(value)
    assert len(value_sets) == 37 and members == 220
    assert wrong == []


def test_other_vocabularies_terms_are_reused_not_relabelled() -> None:
    """QUDT units, PROV, SKOS and Dublin Core terms keep their own labels and definitions:
    the ontology declares them and gives units only the notation OncoKG prints."""
    own = (ONTOLOGY, "https://w3id.org/oncokg/")
    relabelled = sorted(
        str(s)
        for predicate in (RDFS.label, SKOS.definition)
        for s in ONTOLOGY_GRAPH.subjects(predicate, None)
        if isinstance(s, URIRef) and not str(s).startswith(own)
    )
    units = list(ONTOLOGY_GRAPH.subjects(RDF.type, URIRef(ONTOLOGY + "Unit")))
    assert relabelled == [] and len(units) == 13
    assert all(ONTOLOGY_GRAPH.value(u, SKOS.notation) is not None for u in units)
