"""The Python API: one object over either backend, catalogue queries by name, typed helpers.

>>> kg = OncoKG.open()
>>> [d.drug_label for d in kg.drugs_targeting("KRAS G12C")][:1]
['sotorasib']
>>> kg.resolve("舒尼替尼", "drug")
['https://w3id.org/oncokg/resource/sunitinib']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from oncokg.backend import (
    CURATED_GRAPH,
    ONTOLOGY_GRAPH,
    Backend,
    Bindings,
    QueryLimits,
    Rows,
    Triple,
    check_timeout,
)
from oncokg.bind import bind_values
from oncokg.catalogue import CatalogueQuery, get_query, load_catalogue
from oncokg.errors import NotFound, OncoKGError, ParameterError
from oncokg.names import parse_identifier, suggestions
from oncokg.namespaces import ONTOLOGY, PREFIXES
from oncokg.resources import data_files, ontology_file
from oncokg.terms import Iri, LangString, Value

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:  # the typed rows are imported when a helper first needs them
    from typing import Any, BinaryIO

    from oncokg.rows import (
        AdverseEvent,
        Comparison,
        Dose,
        DoseLevel,
        DrugEntry,
        DrugTarget,
        EndpointValue,
        Evidence,
        GuidelineLine,
        Interaction,
        Pathway,
        Provenance,
        ResponseStatement,
        Results,
        SearchHit,
        Target,
        Trial,
        TrialOutcome,
        VariantFacts,
    )
    from oncokg.text_index import NameIndex

LABEL_LANGUAGES = ("en", "zh-hans", "zh-hant")
COMMON_LEVELS = ("A", "B", "C", "D")
_VARIANT_NAME = re.compile(r"([A-Z0-9-]+)\s+(?:p\.)?([A-Z][1-9][0-9]*[A-Z*])")


MAX_NAME_LENGTH = 500  # longer than any name; Virtuoso refuses long values in some joins


class OncoKG:
    """The knowledge graph behind one backend."""

    def __init__(
        self, backend: Backend, queries: Path | None = None, text_index: NameIndex | None = None
    ) -> None:
        self.backend = backend
        self._queries = queries
        self.text_index = text_index

    # ------------------------------------------------------------------ factories
    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        timeout: float | None = None,
        memory_limit: int | None = None,
        allow_service: bool = False,
    ) -> OncoKG:
        """The embedded store with the ontology and the curated graph.

        Without ``path`` the store is in memory and loaded now (about 50 ms). With ``path`` it
        is a store folder on disk (:mod:`oncokg.disk_store`) with the curated graph and the
        sources imported into it (:mod:`oncokg.store_sources`): built on first use, rebuilt
        when the sources change, and otherwise opened read-only, so many processes share it.
        A folder that is neither new, empty nor an OncoKG store is refused, never touched.

        ``timeout`` (seconds) stops a query that runs longer, in a child process that is
        killed (:mod:`oncokg.isolation`); ``memory_limit`` (bytes) caps that process;
        ``allow_service`` lets SERVICE clauses reach http(s) endpoints (off by default).
        """
        from oncokg.disk_store import StoreFolder
        from oncokg.embedded import EmbeddedBackend

        limits = QueryLimits(
            timeout=None if timeout is None else check_timeout(timeout),
            memory_bytes=memory_limit,
            allow_service=allow_service,
        )
        if path is None:
            backend = EmbeddedBackend.in_memory(limits)
            load_sources(backend)
            return cls(backend)
        from oncokg.store_sources import store_plan
        from oncokg.text_index import TextIndex

        folder = StoreFolder(Path(path))
        backend = EmbeddedBackend.built(folder, store_plan(folder), limits)
        return cls(backend, text_index=TextIndex.of_build(backend.path))

    @classmethod
    def connect(
        cls,
        query_url: str,
        update_url: str | None = None,
        *,
        store_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        retries: int = 2,
        allow_service: bool = False,
        all_sources: bool = False,
    ) -> OncoKG:
        """A SPARQL 1.1 endpoint holding the OncoKG graphs (see ``oncokg push``).

        Queries see the ontology and the curated graph; with ``all_sources``, every OncoKG
        graph the endpoint holds, imported sources included (listed once, here).
        ``timeout`` bounds each whole request, retries included; only http(s) URLs are taken.
        On Virtuoso, ``label-search`` is narrowed by the server's name index when ``oncokg
        push --bulk-dir`` gave it one (:mod:`oncokg.name_trigrams`).
        """
        from oncokg.name_trigrams import ServerNameIndex
        from oncokg.remote import RemoteBackend

        backend = RemoteBackend(
            query_url,
            update_url,
            store_url=store_url,
            user=user,
            password=password,
            timeout=timeout,
            retries=retries,
            allow_service=allow_service,
        )
        if all_sources:
            backend.use_all_graphs()
        return cls(backend, text_index=ServerNameIndex(backend))

    def close(self) -> None:
        """Release the backend."""
        self.backend.close()

    def __enter__(self) -> OncoKG:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def export(
        self,
        output: BinaryIO | Path,
        fmt: str = "turtle",
        *,
        sources: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ) -> int:
        """Write the graph deterministically; return its size in triples.

        ``fmt`` is turtle, ntriples or jsonld (the graphs merged), or trig or nquads (each
        named graph kept).

        ``sources`` keeps only the named graphs of those sources (``ontology``, ``curated``,
        ``civic`` ...), ``exclude`` leaves sources out (a licence you cannot accept). Only the
        embedded store exports; for a remote store, export before pushing.
        """
        from oncokg.embedded import EmbeddedBackend
        from oncokg.export import export, select_graphs

        if not isinstance(self.backend, EmbeddedBackend):
            raise OncoKGError("export works on the embedded store: use OncoKG.open()")
        graphs = select_graphs(self.backend.named_graphs, sources, exclude)
        return export(self.backend.store, graphs, fmt, output)

    # ------------------------------------------------------------------ ad-hoc SPARQL
    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query with bound values."""
        return self.backend.select(sparql, bindings)

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query with bound values."""
        return self.backend.ask(sparql, bindings)

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT query with bound values."""
        return self.backend.construct(sparql, bindings)

    # ------------------------------------------------------------------ the catalogue
    def catalogue(self) -> dict[str, CatalogueQuery]:
        """Every catalogue query by name."""
        return load_catalogue(self._queries)

    def query(self, name: str, /, **params: Any) -> Rows:
        """Run catalogue query ``name`` with its parameters bound (names are resolved).

        A parameter given a list or tuple of values binds each of them (the rows of all).
        Raises :class:`NotFound` for an unknown query or a name the graph does not know,
        and :class:`ParameterError` for missing, unknown or ill-typed parameters.
        """
        query = get_query(name, self._queries)
        choices = self._choices(query, params)
        rows: Rows | None = None
        seen: set[tuple[Value | None, ...]] = set()
        for combination in itertools.product(*choices):
            bindings: dict[str, Value | list[Iri]] = dict(combination)
            if query.text_index and self.text_index:
                param, variable = query.text_index
                entities = self.text_index.entities(str(bindings[param]))
                if entities is not None:  # the index narrows; the query's filter still decides
                    bindings[variable] = entities
            answer = self.backend.select(query.sparql, bindings)
            rows = rows if rows is not None else Rows(answer.variables)
            for row in answer:
                if row.values not in seen:
                    seen.add(row.values)
                    rows.append(row)
        return rows if rows is not None else Rows(())

    def sparql_for(self, name: str, /, **params: Any) -> str:
        """The text of catalogue query ``name`` with its parameters bound, ready for any engine.

        Names resolve as in :meth:`query`; every value a parameter resolves to is one row of
        the VALUES block.

        >>> with OncoKG.open() as kg:
        ...     print(kg.sparql_for("graph-size", graph="okg:x").splitlines()[-3][30:])
        WHERE { VALUES (?graph) { (<https://w3id.org/oncokg/ontology#x>) }
        """
        query = get_query(name, self._queries)
        bindings = {
            combination[0][0]: [value for _, value in combination]
            for combination in self._choices(query, params)
        }
        return bind_values(query.sparql, bindings)

    def _choices(
        self, query: CatalogueQuery, params: dict[str, Any]
    ) -> list[list[tuple[str, Value]]]:
        """For each parameter of ``query``, the (name, value) pairs its given values resolve to."""
        for given in params:
            query.parameter(given)
        missing = [p.name for p in query.parameters if p.name not in params]
        if missing:
            raise ParameterError(f"query {query.name!r} needs {', '.join(missing)}")
        choices: list[list[tuple[str, Value]]] = []
        for param in query.parameters:
            given = params[param.name]
            raws = list(given) if isinstance(given, list | tuple) else [given]
            values = [v for raw in raws for v in self._convert(query, param.name, raw)]
            choices.append([(param.name, v) for v in dict.fromkeys(values)])
        return choices

    def _convert(self, query: CatalogueQuery, name: str, raw: Any) -> list[Value]:
        param = query.parameter(name)
        if param.entity_class is not None:
            if isinstance(raw, Iri):
                return [raw]
            return list(self.resolve(str(raw), param.type))
        if param.type == "iri":
            return [self.expand(str(raw))]
        if param.type == "integer":
            try:
                return [int(raw)]
            except (TypeError, ValueError):
                raise ParameterError(
                    f"parameter {name!r} must be a whole number, not {raw!r}"
                ) from None
        if param.type == "decimal":
            try:
                return [Decimal(str(raw))]
            except InvalidOperation:
                raise ParameterError(f"parameter {name!r} must be a number, not {raw!r}") from None
        return [str(raw)]

    # ------------------------------------------------------------------ names
    def expand(self, text: str) -> Iri:
        """An IRI from an IRI or a CURIE with a project prefix.

        >>> OncoKG(backend=None).expand("okr:KIT")  # type: ignore[arg-type]
        'https://w3id.org/oncokg/resource/KIT'
        """
        prefix, _, local = text.partition(":")
        if prefix in PREFIXES and not local.startswith("//"):
            return Iri(PREFIXES[prefix] + local)
        if "://" in text:
            return Iri(text)
        raise ParameterError(f"{text!r} is neither an IRI nor a CURIE with a known prefix")

    def resolve(self, name: str, kind: str, *, suggest: bool = True) -> list[Iri]:
        """Entities of ``kind`` (drug, target, gene, genotype, disease, endpoint) named ``name``.

        Matches labels, synonyms, symbols and brand names exactly, then case-insensitively
        in any language (a label's part before or inside parentheses, a brand name with or
        without its dosage form). An IRI, a CURIE or an external identifier (``HGNC:6342``,
        ``ncbigene:3815``, ``chembl:CHEMBL941``, ``DOID:9253``) must name an entity of the
        kind. Raises :class:`NotFound` when nothing matches, with close names if any (unless
        ``suggest`` is false, which spares reading every name of the kind).

        >>> kg = OncoKG.open()
        >>> kg.resolve("HGNC:6342", "gene")
        ['https://w3id.org/oncokg/resource/KIT']
        """
        from oncokg.catalogue import ENTITY_KINDS

        if kind not in ENTITY_KINDS:
            raise ParameterError(
                f"unknown entity kind {kind!r}; use one of {', '.join(ENTITY_KINDS)}"
            )
        if not isinstance(name, str):
            raise ParameterError(f"a {kind} name must be a string, not {type(name).__name__}")
        text = name.strip()
        if not text:
            raise ParameterError(f"an empty {kind} name")
        if len(text) > MAX_NAME_LENGTH:
            raise ParameterError(
                f"a {kind} name of {len(text):,} characters; names are at most {MAX_NAME_LENGTH}"
            )
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise ParameterError(f"a {kind} name with control characters: {text[:80]!r}")
        cls = Iri(ONTOLOGY + ENTITY_KINDS[kind])
        iri = parse_identifier(text) or self._iri_or_none(text)
        if iri is not None:  # an IRI, a CURIE or an identifier: it must name an entity
            rows = self.backend.select(self._sparql("resolve-iri"), {"iri": iri, "class": cls})
            found = [r["entity"] for r in rows if isinstance(r["entity"], Iri)]
            if not found:
                raise NotFound(kind, name, f"{iri} is no {kind} of the graph")
            return list(dict.fromkeys(found))
        exact = [text, *(LangString(text, lang) for lang in LABEL_LANGUAGES)]
        rows = self.backend.select(self._sparql("resolve-exact"), {"text": exact, "class": cls})
        variant = _VARIANT_NAME.fullmatch(text)
        if not rows and variant and kind in ("genotype", "target"):  # gene + protein change
            change = f"p.{variant[2]}"
            bound = {"symbol": variant[1], "change": change}
            rows = self.backend.select(self._sparql("resolve-variant"), bound)
        if not rows:  # no exact literal: case-insensitive, parentheses, dosage forms, identifiers
            rows = self.backend.select(self._sparql("resolve-name"), {"name": text, "class": cls})
        found = [r["entity"] for r in rows if isinstance(r["entity"], Iri)]
        if not found and not suggest:
            raise NotFound(kind, name)
        if not found:
            names = self.backend.select(self._sparql("entity-names"), {"class": cls})
            close = suggestions(text, (str(r["name"]) for r in names))
            hint = (
                f"did you mean {' or '.join(repr(c) for c in close)}?"
                if close
                else ("search labels with: oncokg query label-search -p text ...")
            )
            raise NotFound(kind, name, hint)
        return list(dict.fromkeys(found))

    def _sparql(self, name: str) -> str:
        return get_query(name, self._queries).sparql

    def _iri_or_none(self, text: str) -> Iri | None:
        """An IRI, or a CURIE with one of the project's prefixes, as an IRI (:meth:`expand`);
        None for a name."""
        if " " in text:
            return None
        try:
            return self.expand(text)
        except ParameterError:
            return None

    # ------------------------------------------------------------------ typed helpers
    def drugs_targeting(self, target: str) -> Results[DrugTarget]:
        """Drugs acting on a gene, protein family or variant (or a variant of the gene)."""
        return _typed("DrugTarget", self.query("drugs-by-target", target=target))

    def targets_of(self, drug: str) -> Results[Target]:
        """Targets of a drug."""
        return _typed("Target", self.query("targets-of-drug", drug=drug))

    def resistance(
        self, drug: str | None = None, gene: str | None = None, variant: str | None = None
    ) -> Results[ResponseStatement]:
        """Resistance and sensitivity statements for a drug, a gene or a variant (give one)."""
        given = [(k, v) for k, v in (("drug", drug), ("gene", gene), ("genotype", variant)) if v]
        if len(given) != 1:
            raise ParameterError("give exactly one of drug=, gene= or variant=")
        key, value = given[0]
        name = {
            "drug": "response-by-drug",
            "gene": "response-by-gene",
            "genotype": "response-by-genotype",
        }[key]
        return _typed("ResponseStatement", self.query(name, **{key: value}))

    def evidence(
        self,
        *,
        drug: str | None = None,
        variant: str | None = None,
        gene: str | None = None,
        disease: str | None = None,
        significance: str | None = None,
        min_level: str | None = None,
        include_subtypes: bool = False,
    ) -> Results[Evidence]:
        """Therapeutic response evidence from every source for a drug, a variant or a gene.

        Give one of ``drug``, ``variant`` or ``gene``; narrow with ``disease`` (a name or ID:
        statements about that disease node), ``significance`` (an effect: ``"resistance"``,
        ``"sensitivity"`` ...) and ``min_level`` (A-D on the common scale: that level or better;
        statements without a level, most curated ones today, are then left out).
        ``include_subtypes`` widens ``disease`` to its subtypes, by the Disease Ontology imported
        into the store (``oncokg import disease-ontology``).

        >>> kg = OncoKG.open()
        >>> sorted({e.effect for e in kg.evidence(variant="KIT T670I")})
        ['resistance', 'sensitivity']
        """
        given = [(k, v) for k, v in (("drug", drug), ("genotype", variant), ("gene", gene)) if v]
        if len(given) != 1:
            raise ParameterError("give exactly one of drug=, variant= or gene=")
        if min_level is not None and min_level not in COMMON_LEVELS:
            raise ParameterError(f"min_level must be one of {', '.join(COMMON_LEVELS)}")
        key, value = given[0]
        rows = _typed("Evidence", self.query(f"evidence-by-{key}", **{key: value}))
        diseases = None
        if disease:
            diseases = set(self.resolve(disease, "disease"))
            if include_subtypes:
                for node in list(diseases):
                    subtypes = self.query("disease-subtypes", disease=node)
                    diseases |= {Iri(str(r["subtype"])) for r in subtypes}
        allowed = COMMON_LEVELS[: COMMON_LEVELS.index(min_level) + 1] if min_level else None
        wanted = significance.strip().lower() if significance else None
        from oncokg.rows import Results

        return Results(
            e
            for e in rows
            if (diseases is None or e.disease in diseases)
            and (allowed is None or e.common_level in allowed)
            and (wanted is None or e.effect == wanted)
        )

    def trial_results(self, drug: str) -> Results[TrialOutcome]:
        """Outcomes of every arm of every study of a drug, comparators included."""
        return _typed("TrialOutcome", self.query("trial-outcomes", drug=drug))

    def comparisons(self, drug: str) -> Results[Comparison]:
        """Arm comparisons (HR, CI, p-value) where the drug is in the experimental arm."""
        return _typed("Comparison", self.query("trial-comparisons", drug=drug))

    def drugs(self) -> Results[DrugEntry]:
        """Every drug of the graph (imported ones too, on a store), with ChEMBL ID and modality.

        >>> "sotorasib" in {d.label for d in OncoKG.open().drugs()}
        True
        """
        return _typed("DrugEntry", self.query("table-drugs"))

    def trials(self) -> Results[Trial]:
        """Every clinical study with its design: phase, randomisation, crossover,
        stratification factors, counts, population, arms and registrations."""
        return _typed("Trial", self.query("trials"))

    def guideline_lines(self) -> Results[GuidelineLine]:
        """Guideline recommendations by line of therapy (experts' views are not among them)."""
        return _typed("GuidelineLine", self.query("guideline-lines"))

    def variant(self, name: str) -> VariantFacts:
        """A variant's or genotype group's gene, protein change, codon, exons and groups.

        >>> OncoKG.open().variant("KIT T670I").exons
        '14'
        """
        rows = _typed("VariantFacts", self.query("variant-facts", genotype=name))
        found: VariantFacts = rows[0]
        return found

    def pathways(self, drug: str) -> Results[Pathway]:
        """Pathways a drug inhibits, or that its targets take part in, with the source."""
        return _typed("Pathway", self.query("pathways", drug=drug))

    def provenance(self, claim: str) -> Provenance:
        """Where a claim (its IRI or CURIE) comes from, in one record.

        >>> record = OncoKG.open().provenance("okr:s002-cmp-os")
        >>> "detailed survival data" in record.sections.split("; ")
        True
        """
        rows = _typed("Provenance", self.query("claim-provenance", claim=claim))
        if not rows:
            raise NotFound("claim", claim, "a claim's IRI or CURIE, such as okr:s002-cmp-os")
        found: Provenance = rows[0]
        return found

    def adverse_events(self, drug: str) -> Results[AdverseEvent]:
        """Adverse events of a drug by grade and reporting context."""
        return _typed("AdverseEvent", self.query("adverse-events", drug=drug))

    def dosing(self, drug: str) -> Results[Dose]:
        """Recommended doses of a drug."""
        return _typed("Dose", self.query("dosing", drug=drug))

    def dose_reduction(self, drug: str) -> Results[DoseLevel]:
        """The dose-reduction ladder of a drug."""
        return _typed("DoseLevel", self.query("dose-reduction", drug=drug))

    def interactions(self, drug: str) -> Results[Interaction]:
        """Interactions of a drug with drugs and drug classes."""
        return _typed("Interaction", self.query("interactions", drug=drug))

    def endpoint_across_drugs(self, endpoint: str) -> Results[EndpointValue]:
        """Every value of one endpoint (``"PFS"``, ``"OS"`` ...) by drug, with units."""
        return _typed("EndpointValue", self.query("endpoint-across-drugs", endpoint=endpoint))

    def search(self, text: str) -> Results[SearchHit]:
        """Entities whose label, synonym or brand name contains ``text``, in any language."""
        from oncokg.rows import Results, SearchHit

        rows = self.query("label-search", text=text)
        return Results(
            SearchHit(
                entity=Iri(str(r["entity"])),
                label=_text(r.get("label")),
                matched=str(r["matched"]),
                language=str(r.get("language", "")),
                class_=_text(r.get("class")),
            )
            for r in rows
        )


def _typed(name: str, rows: Rows) -> Results[Any]:
    """Rows as the dataclass ``oncokg.rows.<name>`` (imported on first use: ``oncokg query``
    needs none of them)."""
    from oncokg import rows as typed_rows

    typed: Results[Any] = typed_rows.typed(getattr(typed_rows, name), rows)
    return typed


def _text(value: Value | None) -> str | None:
    return None if value is None else str(value)


def source_plan() -> list[tuple[Iri, list[Path]]]:
    """Each OncoKG named graph with the files it is loaded from."""
    return [(ONTOLOGY_GRAPH, [ontology_file()]), (CURATED_GRAPH, data_files())]


def load_sources(backend: Backend) -> int:
    """Load the ontology and the curated graph into their named graphs; return the triple count."""
    return sum(backend.load(paths, graph) for graph, paths in source_plan())
