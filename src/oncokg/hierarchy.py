"""The closures of OncoKG's class and property hierarchies, and what they entail: a triple
``?x a okg:X`` entails ``?x a`` every class above ``okg:X``, and one with a property entails
the same with every property above it. Builds write these entailments into their own graph
(:func:`oncokg.embedded.entailed`); incremental builds revise them (:meth:`Hierarchy.entails`,
:meth:`Hierarchy.sources`).

>>> import pyoxigraph as ox
>>> from oncokg.resources import ontology_file
>>> store = ox.Store()
>>> store.load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
>>> trial = ox.NamedNode("https://w3id.org/oncokg/resource/trial")
>>> triple = ox.Triple(trial, _RDF_TYPE, ox.NamedNode(PREFIXES["okg"] + "ClinicalTrial"))
>>> [t.object.value for t in Hierarchy.of(store, None).entails(triple)]
['https://w3id.org/oncokg/ontology#ClinicalStudy']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

from oncokg.backend import INFERRED_GRAPH
from oncokg.namespaces import PREFIXES

INFERRED = ox.NamedNode(INFERRED_GRAPH)
_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


@dataclass(frozen=True)
class Hierarchy:
    """The closures of the class and property hierarchies: each class or property with every
    OncoKG class or property above it (the small catalogue queries ``class-closure`` and
    ``property-closure``)."""

    classes: tuple[tuple[ox.NamedNode, ox.NamedNode], ...]
    properties: tuple[tuple[ox.NamedNode, ox.NamedNode], ...]

    @classmethod
    def of(cls, store: ox.Store, graphs: list[ox.NamedNode] | None) -> Hierarchy:
        """The hierarchies stated in ``graphs`` (the default graph when None)."""
        from oncokg.catalogue import get_query

        dataset: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
            list(graphs) if graphs else None
        )

        def closure(name: str) -> tuple[tuple[ox.NamedNode, ox.NamedNode], ...]:
            rows = store.query(get_query(name).sparql, prefixes=PREFIXES, default_graph=dataset)
            assert isinstance(rows, ox.QuerySolutions)
            pairs = [(row[0], row[1]) for row in rows]
            return tuple(
                (a, b)
                for a, b in pairs
                if isinstance(a, ox.NamedNode) and isinstance(b, ox.NamedNode)
            )

        return cls(closure("class-closure"), closure("property-closure"))

    def instances(
        self, store: ox.Store, graphs: list[ox.NamedNode] | None, target: ox.NamedNode = INFERRED
    ) -> list[ox.Quad]:
        """The entailments of the triples in ``graphs`` (the default graph when None), as quads
        in ``target``, each once: one index look-up per class or property, so nothing is
        joined or sorted at the size of the data (16 s at 1M triples as one query)."""
        places: list[ox.NamedNode | ox.DefaultGraph] = (
            list(graphs) if graphs is not None else [ox.DefaultGraph()]
        )
        quads: dict[ox.Quad, None] = {}
        for narrower, broader in self.classes:
            for place in places:
                for quad in store.quads_for_pattern(None, _RDF_TYPE, narrower, place):
                    quads[ox.Quad(quad.subject, _RDF_TYPE, broader, target)] = None
        for narrower, broader in self.properties:
            for place in places:
                for quad in store.quads_for_pattern(None, narrower, None, place):
                    quads[ox.Quad(quad.subject, broader, quad.object, target)] = None
        return list(quads)

    def entails(self, triple: ox.Triple) -> list[ox.Triple]:
        """What ``triple`` entails on its own."""
        return _linked(triple, self._up)

    def sources(self, triple: ox.Triple) -> list[ox.Triple]:
        """The triples that entail ``triple`` on their own."""
        return _linked(triple, self._down)

    @cached_property
    def _up(self) -> tuple[_Links, _Links]:
        return _links(self.classes), _links(self.properties)

    @cached_property
    def _down(self) -> tuple[_Links, _Links]:
        flip = [tuple((b, a) for a, b in pairs) for pairs in (self.classes, self.properties)]
        return _links(flip[0]), _links(flip[1])


_Links = dict[ox.NamedNode, list[ox.NamedNode]]


def _linked(triple: ox.Triple, links: tuple[_Links, _Links]) -> list[ox.Triple]:
    """``triple`` with its class (for ``rdf:type``) or its property replaced by each one
    ``links`` (classes, properties) leads to."""
    subject, predicate, value = triple.subject, triple.predicate, triple.object
    found = [ox.Triple(subject, other, value) for other in links[1].get(predicate, ())]
    if predicate == _RDF_TYPE and isinstance(value, ox.NamedNode):
        found += [ox.Triple(subject, _RDF_TYPE, other) for other in links[0].get(value, ())]
    return found


def _links(pairs: Iterable[tuple[ox.NamedNode, ox.NamedNode]]) -> _Links:
    links: _Links = {}
    for a, b in pairs:
        links.setdefault(a, []).append(b)
    return links
