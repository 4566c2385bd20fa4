"""SHACL validation compiled to SPARQL and run by pyoxigraph: the engine behind ``validate``.

pySHACL walks the data graph node by node in Python (about 0.8 ms per triple on our graphs).
Here every constraint of every shape becomes one SELECT query that returns exactly the focus
nodes and values violating it, and the store evaluates it in bulk (the approach of the
SHACL-to-SPARQL literature). The results are written as a SHACL validation report (an rdflib
graph with the same terms pySHACL uses), so every report, message and exit code stays the same
and the two engines can be compared result for result (``tests/test_shacl_engines.py``).

Supported: targets by class (with ``rdfs:subClassOf*``) and by subject of a property; property
shapes with an IRI path; ``sh:class``, ``datatype``, ``nodeKind``, ``in``, ``hasValue``,
``pattern``, ``languageIn``, ``uniqueLang``, the value ranges, ``minCount``, ``maxCount``,
``qualifiedValueShape`` with ``qualifiedMinCount``, ``lessThan``, ``lessThanOrEquals``,
``disjoint``, the logical ``and``, ``or``, ``xone``, ``not`` and ``node`` over nested shapes,
and SPARQL-based constraints. A shapes graph using anything else raises
:class:`Unsupported`, and the caller falls back to pySHACL.

The queries are generated, not written, so they live here rather than in ``queries/``: each
is built from the shapes graph alone, its constants written by rdflib's N3 serialiser (IRIs
and literals escaped); no user value reaches the text. What keeps them right is the
differential test against pySHACL, not a file of expected rows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pyoxigraph as ox
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from oncokg.sparql_text import where_group
from oncokg.validation_input import LoadedStore, rdflib_term

_XSD = "http://www.w3.org/2001/XMLSchema#"
_SUBCLASS = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
# lexical forms the datatype check accepts (as rdflib, which pySHACL relies on, does)
_LEXICAL = {
    _XSD + "integer": r"^[+-]?[0-9]+$",
    _XSD + "decimal": r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    _XSD + "boolean": r"^(true|false|1|0)$",
    _XSD + "date": r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_CONSTRAINTS = {
    SH[name]
    for name in [
        "class",
        "datatype",
        "nodeKind",
        "in",
        "hasValue",
        "pattern",
        "flags",
        "languageIn",
        "uniqueLang",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "minCount",
        "maxCount",
        "qualifiedValueShape",
        "qualifiedMinCount",
        "lessThan",
        "lessThanOrEquals",
        "disjoint",
        "and",
        "or",
        "xone",
        "not",
        "node",
        "sparql",
        "property",
        "path",
        "message",
        "name",
        "description",
        "order",
        "group",
        "severity",
        "targetClass",
        "targetSubjectsOf",
        "deactivated",
    ]
}
# the constraints on each value node, and the SHACL component each reports its results under
_VALUE_COMPONENTS = {
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH["in"]: "InConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH["not"]: "NotConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH["and"]: "AndConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH.xone: "XoneConstraintComponent",
}
_RANGES = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}


class Unsupported(Exception):
    """The shapes use a SHACL feature this engine does not compile."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: its query and what its results are reported as."""

    sparql: str
    shape: Node
    component: URIRef
    path: URIRef | None
    messages: tuple[Literal, ...]
    severity: URIRef = SH.Violation
    value_is_focus: bool = False  # node-level constraints: the value node is the focus node
    sparql_based: bool = False  # a SHACL-SPARQL constraint: ?path, ?value and messages vary


def _integer(node: Node) -> int:
    return int(str(node))


def _n3(node: Node) -> str:
    if isinstance(node, BNode):
        raise Unsupported("a blank node as a constant in a constraint")
    return str(node.n3())


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self._fresh = itertools.count()

    def var(self) -> str:
        return f"?_v{next(self._fresh)}"

    def objects(self, node: Node, predicate: URIRef) -> list[Node]:
        return list(self.shapes.objects(node, predicate))

    def one(self, node: Node, predicate: URIRef) -> Node | None:
        found = self.objects(node, predicate)
        if len(found) > 1:
            raise Unsupported(f"several {predicate} on one shape")
        return found[0] if found else None

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def path(self, shape: Node) -> URIRef | None:
        path = self.one(shape, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise Unsupported("a property path other than one IRI")
        return path

    # ---------------------------------------------------------------- conditions
    def value_condition(
        self, var: str, shape: Node, *, property_level: bool, only: URIRef | None = None
    ) -> str:
        """A SPARQL expression true when ``var`` conforms to the value constraints of ``shape``
        (``property_level``: the shape is a property shape, so sh:hasValue is not one;
        ``only``: just the constraints of this predicate)."""
        for predicate in self.shapes.predicates(shape):
            shacl = isinstance(predicate, URIRef) and str(predicate).startswith(str(SH))
            if shacl and predicate not in _CONSTRAINTS:
                raise Unsupported(str(predicate))

        def objects(predicate: URIRef) -> list[Node]:
            if only is not None and predicate != only:
                return []
            return self.objects(shape, predicate)

        conditions = []
        for cls in objects(SH["class"]):
            conditions.append(f"EXISTS {{ {var} {_SUBCLASS} {_n3(cls)} }}")
        for datatype in objects(SH.datatype):
            check = f"isLiteral({var}) && sameTerm(DATATYPE({var}), {_n3(datatype)})"
            if str(datatype) in _LEXICAL:
                check += f' && REGEX(STR({var}), "{_LEXICAL[str(datatype)]}")'
            conditions.append(f"({check})")
        for kind in objects(SH.nodeKind):
            tests = {
                SH.IRI: f"isIRI({var})",
                SH.Literal: f"isLiteral({var})",
                SH.BlankNode: f"isBlank({var})",
                SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
                SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
                SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
            }
            conditions.append(tests[kind])  # type: ignore[index]
        for allowed in objects(SH["in"]):
            members = [f"sameTerm({var}, {_n3(m)})" for m in self.items(allowed)]
            conditions.append(f"({' || '.join(members) or 'false'})")
        if not property_level:
            for value in objects(SH.hasValue):
                conditions.append(f"sameTerm({var}, {_n3(value)})")
        for pattern in objects(SH.pattern):
            flags = self.one(shape, SH.flags)
            extra = f", {_n3(Literal(str(flags)))}" if flags is not None else ""
            conditions.append(
                f"(!isBlank({var}) && REGEX(STR({var}), {_n3(Literal(str(pattern)))}{extra}))"
            )
        for languages in objects(SH.languageIn):
            tags = [f"LANGMATCHES(LANG({var}), {_n3(t)})" for t in self.items(languages)]
            conditions.append(f"COALESCE(isLiteral({var}) && ({' || '.join(tags)}), false)")
        for predicate, operator in _RANGES.items():
            for bound in objects(predicate):
                conditions.append(f"COALESCE({var} {operator} {_n3(bound)}, false)")
        for nested in objects(SH["not"]):
            conditions.append(f"!({self.conforms(var, nested)})")
        for nested in objects(SH.node):
            conditions.append(self.conforms(var, nested))
        for conjunction in objects(SH["and"]):
            conditions += [self.conforms(var, m) for m in self.items(conjunction)]
        for disjunction in objects(SH["or"]):
            options = [self.conforms(var, m) for m in self.items(disjunction)]
            conditions.append(f"({' || '.join(options) or 'false'})")
        for exclusive in objects(SH.xone):
            counted = [f"IF({self.conforms(var, m)}, 1, 0)" for m in self.items(exclusive)]
            conditions.append(f"(({' + '.join(counted) or '0'}) = 1)")
        for nested in objects(SH.property):
            conditions.append(self.property_condition(var, nested))
        if objects(SH.sparql) and property_level is False:
            raise Unsupported("a SPARQL constraint inside a logical constraint")
        return " && ".join(conditions) or "true"

    def conforms(self, var: str, shape: Node) -> str:
        """True when the node ``var`` conforms to ``shape`` (node or property shape)."""
        if self.path(shape) is not None:
            return self.property_condition(var, shape)
        return f"({self.value_condition(var, shape, property_level=False)})"

    def property_condition(self, focus: str, shape: Node) -> str:
        """True when ``focus`` conforms to the property shape ``shape``."""
        path = self.path(shape)
        if path is None:
            raise Unsupported("a property shape without sh:path")
        for unsupported in (SH.lessThan, SH.lessThanOrEquals, SH.disjoint, SH.uniqueLang):
            if self.objects(shape, unsupported):
                raise Unsupported(f"{unsupported} inside a logical constraint")
        if self.objects(shape, SH.qualifiedValueShape):
            raise Unsupported("sh:qualifiedValueShape inside a logical constraint")
        p = _n3(path)
        conditions = []
        for count in self.objects(shape, SH.minCount):
            if _integer(count) > 1:
                raise Unsupported("sh:minCount above 1 inside a logical constraint")
            if _integer(count) == 1:
                conditions.append(f"EXISTS {{ {focus} {p} {self.var()} }}")
        for count in self.objects(shape, SH.maxCount):
            a, b = self.var(), self.var()
            if _integer(count) == 0:
                conditions.append(f"NOT EXISTS {{ {focus} {p} {a} }}")
            elif _integer(count) == 1:
                conditions.append(
                    f"NOT EXISTS {{ {focus} {p} {a}, {b} FILTER (!sameTerm({a}, {b})) }}"
                )
            else:
                raise Unsupported("sh:maxCount above 1 inside a logical constraint")
        for value in self.objects(shape, SH.hasValue):
            conditions.append(f"EXISTS {{ {focus} {p} {_n3(value)} }}")
        each_value = self.var()
        each = self.value_condition(each_value, shape, property_level=True)
        if each != "true":
            conditions.append(f"NOT EXISTS {{ {focus} {p} {each_value} FILTER (!({each})) }}")
        return f"({' && '.join(conditions) or 'true'})"

    # ---------------------------------------------------------------- top-level checks
    def target(self, shape: Node) -> str:
        parts = [f"{{ ?this {_SUBCLASS} {_n3(c)} }}" for c in self.objects(shape, SH.targetClass)]
        parts += [f"{{ ?this {_n3(p)} [] }}" for p in self.objects(shape, SH.targetSubjectsOf)]
        for unsupported in (SH.targetNode, SH.targetObjectsOf, SH.target):
            if self.objects(shape, unsupported):
                raise Unsupported(str(unsupported))
        return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(parts)} }} }}"

    def checks(self) -> Iterator[Check]:
        roots = {
            s
            for predicate in (
                SH.targetClass,
                SH.targetSubjectsOf,
                SH.targetNode,
                SH.targetObjectsOf,
            )
            for s in self.shapes.subjects(predicate, None)
        }
        for shape in sorted(roots, key=str):
            if self.one(shape, SH.deactivated) == Literal(True):
                continue
            target = self.target(shape)
            yield from self.node_checks(shape, target)
            for property_shape in self.objects(shape, SH.property):
                yield from self.property_checks(property_shape, target)

    def severity(self, shape: Node) -> URIRef:
        found = self.one(shape, SH.severity)
        return found if isinstance(found, URIRef) else SH.Violation

    def _messages(self, shape: Node) -> tuple[Literal, ...]:
        return tuple(m for m in self.objects(shape, SH.message) if isinstance(m, Literal))

    def node_checks(self, shape: Node, target: str) -> Iterator[Check]:
        if self.path(shape) is not None:
            raise Unsupported("a property shape with a target")
        messages = self._messages(shape)
        single = {**_VALUE_COMPONENTS, SH.hasValue: "HasValueConstraintComponent"}
        for predicate, component in single.items():
            if self.objects(shape, predicate):  # one query covers every value of the predicate
                condition = self._one_constraint("?this", shape, predicate, property_level=False)
                yield Check(
                    f"SELECT ?this WHERE {{ {target} FILTER (!({condition})) }}",
                    shape,
                    SH[component],
                    None,
                    messages,
                    severity=self.severity(shape),
                    value_is_focus=True,
                )
        for constraint in self.objects(shape, SH.sparql):
            yield self.sparql_check(shape, constraint, target)

    def _one_constraint(
        self, var: str, shape: Node, predicate: URIRef, *, property_level: bool
    ) -> str:
        """The condition of one kind of constraint of ``shape`` alone."""
        return self.value_condition(var, shape, property_level=property_level, only=predicate)

    def property_checks(self, shape: Node, target: str) -> Iterator[Check]:
        path = self.path(shape)
        if path is None:
            raise Unsupported("a property shape without sh:path")
        p = _n3(path)
        messages = self._messages(shape)

        def check(sparql: str, component: str) -> Check:
            return Check(sparql, shape, SH[component], path, messages, self.severity(shape))

        for count in self.objects(shape, SH.minCount):
            yield check(
                f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {p} ?value }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {_integer(count)})",
                "MinCountConstraintComponent",
            )
        for count in self.objects(shape, SH.maxCount):
            yield check(
                f"SELECT ?this WHERE {{ {target} ?this {p} ?value }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {_integer(count)})",
                "MaxCountConstraintComponent",
            )
        for value in self.objects(shape, SH.hasValue):
            yield check(
                f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} {_n3(value)} }} }}",
                "HasValueConstraintComponent",
            )
        for predicate, component in _VALUE_COMPONENTS.items():
            if self.objects(shape, predicate):
                condition = self._one_constraint("?value", shape, predicate, property_level=True)
                yield check(
                    f"SELECT ?this ?value WHERE {{ {target} ?this {p} ?value "
                    f"FILTER (!({condition})) }}",
                    component,
                )
        comparisons = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
        for predicate, operator in comparisons.items():
            for other in self.objects(shape, predicate):
                name = str(predicate).removeprefix(str(SH))
                yield check(
                    f"SELECT ?this ?value WHERE {{ {target} ?this {p} ?value . "
                    f"?this {_n3(other)} ?other "
                    f"FILTER (!COALESCE(?value {operator} ?other, false)) }}",
                    name[0].upper() + name[1:] + "ConstraintComponent",
                )
        for other in self.objects(shape, SH.disjoint):
            yield check(
                f"SELECT ?this ?value WHERE {{ {target} ?this {p} ?value . "
                f"?this {_n3(other)} ?value }}",
                "DisjointConstraintComponent",
            )
        if self.one(shape, SH.uniqueLang) == Literal(True):
            yield check(
                f"SELECT DISTINCT ?this ?language WHERE {{ {target} ?this {p} ?a, ?b "
                f'FILTER (!sameTerm(?a, ?b) && LANG(?a) != "" && LANG(?a) = LANG(?b)) '
                f"BIND (LANG(?a) AS ?language) }}",
                "UniqueLangConstraintComponent",
            )
        for qualified in self.objects(shape, SH.qualifiedValueShape):
            minimum = self.one(shape, SH.qualifiedMinCount)
            if minimum is None or self.objects(shape, SH.qualifiedMaxCount):
                raise Unsupported("sh:qualifiedValueShape without exactly a minimum count")
            condition = self.conforms("?value", qualified)
            yield check(
                f"SELECT ?this WHERE {{ {target} "
                f"OPTIONAL {{ ?this {p} ?value FILTER ({condition}) }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {_integer(minimum)})",
                "QualifiedMinCountConstraintComponent",
            )
        if self.objects(shape, SH.sparql):
            raise Unsupported("a SPARQL constraint on a property shape")

    def sparql_check(self, shape: Node, constraint: Node, target: str) -> Check:
        select = self.one(constraint, SH.select)
        if select is None:
            raise Unsupported("a SPARQL constraint without sh:select")
        prologue = ""
        for ontology in self.objects(constraint, SH.prefixes):
            for declaration in self.objects(ontology, SH.declare):
                prefix, namespace = (
                    self.one(declaration, SH.prefix),
                    self.one(declaration, SH.namespace),
                )
                prologue += f"PREFIX {prefix}: <{namespace}>\n"
        text = prologue + re.sub(r"\$this\b", "?this", str(select))
        group = where_group(text)
        text = f"{text[: group.opening + 1]} {target} {text[group.opening + 1 :]}"
        return Check(
            text,
            shape,
            SH.SPARQLConstraintComponent,
            None,
            tuple(m for m in self.objects(constraint, SH.message) if isinstance(m, Literal)),
            severity=self.severity(shape),
            sparql_based=True,
        )


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of ``shapes`` as a query; raises :class:`Unsupported` if one is not."""
    return list(_Compiler(shapes).checks())


# -------------------------------------------------------------------- running
def _fill(message: Literal, solution: ox.QuerySolution, variables: list[str]) -> Literal:
    text = str(message)
    for name in variables:
        term = solution[name]
        if term is not None:
            shown = term.value if hasattr(term, "value") else str(term)
            text = text.replace(f"{{?{name}}}", shown).replace(f"{{${name}}}", shown)
    return Literal(text, lang=message.language)


def _same_literal(written: Literal, kept: Literal) -> bool:
    """True when the store's canonical ``kept`` is the literal written as ``written``."""
    if written.language or kept.language:
        return (written.language or "").lower() == (kept.language or "").lower() and str(
            written
        ) == str(kept)
    string = URIRef(_XSD + "string")
    if (written.datatype or string) != (kept.datatype or string):
        return False
    return str(written) == str(kept) or bool(written.eq(kept))


@dataclass(frozen=True)
class Result:
    """One top-level SHACL validation result, in rdflib terms (as pySHACL reports them)."""

    focus: Node
    path: Node | None
    value: Node | None
    severity: Node
    shape: Node
    component: Node
    messages: tuple[Literal, ...]


def results_of(report: Graph) -> list[Result]:
    """The top-level results of a SHACL validation report graph (pySHACL's, say).

    pySHACL also types the nested results it attaches under sh:detail (for sh:or, sh:not,
    sh:node) as sh:ValidationResult; SHACL counts those as details of one result, not as
    results, so only the report's own ``sh:result`` values are read.
    """
    found = []
    for root in report.subjects(RDF.type, SH.ValidationReport):
        for node in report.objects(root, SH.result):
            focus = report.value(node, SH.focusNode)
            if focus is None:  # every SHACL result has a focus node; skip a malformed one
                continue
            found.append(
                Result(
                    focus=focus,
                    path=report.value(node, SH.resultPath),
                    value=report.value(node, SH.value),
                    severity=report.value(node, SH.resultSeverity) or SH.Violation,
                    shape=report.value(node, SH.sourceShape) or BNode(),
                    component=report.value(node, SH.sourceConstraintComponent) or BNode(),
                    messages=tuple(
                        m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)
                    ),
                )
            )
    return found


def report_graph(results: list[Result]) -> Graph:
    """The SHACL validation report of ``results``, as an rdflib graph."""
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(not results)))
    for result in results:
        node = BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, result.focus))
        report.add((node, SH.resultSeverity, result.severity))
        report.add((node, SH.sourceShape, result.shape))
        report.add((node, SH.sourceConstraintComponent, result.component))
        if result.path is not None:
            report.add((node, SH.resultPath, result.path))
        if result.value is not None:
            report.add((node, SH.value, result.value))
        for message in result.messages:
            report.add((node, SH.resultMessage, message))
    return report


def restore_written_values(results: list[Result], data: LoadedStore) -> list[Result]:
    """The results with each literal value as its file writes it: the store keeps literals
    in canonical form ("160.0" as "160"), pySHACL and a curator read them as written."""
    string = URIRef(_XSD + "string")
    wanted: set[tuple[Node, Node]] = {
        (r.focus, r.path)
        for r in results
        if isinstance(r.value, Literal)
        and isinstance(r.focus, URIRef)
        and isinstance(r.path, URIRef)
        and (r.value.language or (r.value.datatype or string) != string)  # strings stay as written
    }
    if not wanted:
        return results
    written = data.written_objects(wanted)
    restored = []
    for result in results:
        kept = result.value
        candidates = written.get((result.focus, result.path), [])  # type: ignore[arg-type]
        match = next(
            (
                c
                for c in candidates
                if isinstance(c, Literal) and isinstance(kept, Literal) and _same_literal(c, kept)
            ),
            None,
        )
        restored.append(replace(result, value=match) if match is not None else result)
    return restored


def validate_store(store: ox.Store, checks: list[Check]) -> list[Result]:
    """Run every check on the default graph of ``store``: its results, literal values as the
    store keeps them."""
    results = []
    for check in checks:
        solutions = store.query(check.sparql)
        assert isinstance(solutions, ox.QuerySolutions)
        variables = [v.value for v in solutions.variables]
        has_value, has_path = "value" in variables, "path" in variables
        reported: set[tuple[Node, Node | None, Node | None]] = set()
        for solution in solutions:
            focus = rdflib_term(solution["this"])
            path: Node | None = check.path
            found = solution["value"] if has_value else None
            value: Node | None = rdflib_term(found) if found is not None else None
            if check.sparql_based:
                if has_path and solution["path"] is not None:
                    path = rdflib_term(solution["path"])
                value = value if value is not None else focus
                if (focus, path, value) in reported:  # several solutions, one result (as pySHACL)
                    continue
                reported.add((focus, path, value))
            elif value is None and check.value_is_focus:
                value = focus
            messages = tuple(_fill(m, solution, variables) for m in check.messages)
            results.append(
                Result(focus, path, value, check.severity, check.shape, check.component, messages)
            )
    return results
