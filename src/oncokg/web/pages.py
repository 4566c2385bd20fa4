"""What a page shows: catalogue rows turned into linked tables and plots, for any OncoKG IRI.

Every page of a thing lists its own statements and what refers to it (``resource-statements``,
``resource-references``); the classes it belongs to add sections, each the rows of one
catalogue query bound to the thing (a drug's targets, a trial's arm comparisons). A cell that
holds an IRI links to that thing's page, so every row leads to its claim, and every claim to
its source, section and verbatim quote.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from oncokg.api import OncoKG
from oncokg.backend import GRAPH_NAMESPACE, Rows
from oncokg.errors import OncoKGError
from oncokg.namespaces import ONTOLOGY, PREFIXES, RESOURCE
from oncokg.terms import Iri, LangString, Value
from oncokg.web.plots import Bar, Estimate, bar_chart, forest_plot

LOCAL_PATHS = {RESOURCE: "/resource/", ONTOLOGY: "/ontology/", GRAPH_NAMESPACE: "/graph/"}
_RDFS_LABEL = PREFIXES["rdfs"] + "label"
_NAME_PROPERTIES = {_RDFS_LABEL, PREFIXES["skos"] + "altLabel", ONTOLOGY + "brandName"}
_NCT = re.compile(r"^NCT\d{8}$")


@dataclass(frozen=True)
class Section:
    """A part of a page: the rows of catalogue query ``query`` with ``parameter`` bound to the
    page's thing."""

    title: str
    query: str
    parameter: str


SECTIONS: dict[str, tuple[Section, ...]] = {
    ONTOLOGY + "Drug": (
        Section("Targets", "targets-of-drug", "drug"),
        Section("Facts and approvals, with their sources", "drug-facts", "drug"),
        Section("Dosing", "dosing", "drug"),
        Section("Dose reductions", "dose-reduction", "drug"),
        Section("Interactions", "interactions", "drug"),
        Section("Adverse events", "adverse-events", "drug"),
        Section("Evidence by variant and disease", "evidence-by-drug", "drug"),
        Section("Trial results", "trial-outcomes", "drug"),
        Section("Arm comparisons", "trial-comparisons", "drug"),
    ),
    ONTOLOGY + "Gene": (
        Section("Drugs that target it", "drugs-by-target", "target"),
        Section("Sensitivity and resistance evidence", "evidence-by-gene", "gene"),
    ),
    ONTOLOGY + "Genotype": (
        Section("Variant", "variant-facts", "genotype"),
        Section("Drugs that target it", "drugs-by-target", "target"),
        Section("Sensitivity and resistance evidence", "evidence-by-genotype", "genotype"),
    ),
    ONTOLOGY + "Disease": (Section("Subtypes", "disease-subtypes", "disease"),),
    ONTOLOGY + "ClinicalStudy": (Section("Arm comparisons", "study-comparisons", "study"),),
    ONTOLOGY + "Claim": (Section("Provenance", "claim-provenance", "claim"),),
}


@dataclass(frozen=True)
class Cell:
    """A value as a page shows it: its text, and the page or site it links to."""

    text: str
    href: str | None = None

    @property
    def external(self) -> bool:
        return self.href is not None and not self.href.startswith("/")


@dataclass
class Table:
    """Rows of one catalogue query, ready to show, with the link that downloads them."""

    title: str
    query: str
    params: dict[str, str]
    columns: list[str]
    rows: list[list[Cell]]
    error: str | None = None
    answer: Rows = field(default_factory=lambda: Rows(()))  # the rows as the query gave them

    def titled(self, title: str) -> Table:
        """The same rows under another title."""
        return replace(self, title=title)

    @property
    def csv_href(self) -> str:
        from urllib.parse import urlencode

        return f"/catalogue/{self.query}.csv?{urlencode(self.params)}"


@dataclass
class Plot:
    """An inline SVG with the table of its numbers beside it."""

    title: str
    svg: str
    table: Table


@dataclass
class ResourcePage:
    """Everything the page of one IRI shows."""

    iri: Iri
    label: str
    names: list[tuple[str, str]]
    kinds: list[Cell]
    statements: Table
    references: Table
    sections: list[Table] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        """The sections not already shown as the numbers of a plot, then the statements."""
        plotted = {plot.table.query for plot in self.plots}
        shown = [t for t in self.sections if t.query not in plotted]
        return [*shown, self.statements, self.references]


def local_path(iri: str) -> str | None:
    """The path of an OncoKG IRI's page on this server, or None for an outside IRI.

    >>> local_path("https://w3id.org/oncokg/resource/imatinib")
    '/resource/imatinib'
    """
    for namespace, path in LOCAL_PATHS.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return path + iri[len(namespace) :]
    return None


def iri_of(path: str, name: str) -> Iri:
    """The IRI a local page stands for (the inverse of :func:`local_path`)."""
    namespace = {p: n for n, p in LOCAL_PATHS.items()}[path]
    return Iri(namespace + name)


def curie(iri: str) -> str:
    """``okr:imatinib`` for an IRI in a known namespace; the IRI itself otherwise."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def cell(value: Value | None, column: str = "") -> Cell:
    """How one value shows: an IRI links to its page (ours) or its site (theirs)."""
    if value is None:
        return Cell("")
    if isinstance(value, bool):
        return Cell("true" if value else "false")
    if isinstance(value, Iri):
        return Cell(curie(value), local_path(value) or value)
    text = str(value)
    if column == "dois" and text:
        return Cell(text, "https://doi.org/" + text.split()[0])
    if _NCT.match(text):
        return Cell(text, "https://clinicaltrials.gov/study/" + text)
    if text.startswith(("https://", "http://")) and " " not in text:
        return Cell(text, local_path(text) or text)
    return Cell(text)


def table(title: str, query: str, params: dict[str, str], rows: Rows) -> Table:
    """Rows as a table; an IRI column ``x`` beside a ``xLabel`` column becomes links on the
    labels (the IRI column is then not shown)."""
    variables = list(rows.variables)
    labelled = {v for v in variables if f"{v}Label" in variables}
    shown = [v for v in variables if v not in labelled]
    body = []
    for row in rows:
        cells = []
        for variable in shown:
            value = row[variable]
            target = variable[: -len("Label")] if variable.endswith("Label") else None
            if target in labelled and isinstance(row[target], Iri):
                link = cell(row[target])
                cells.append(Cell(str(value) if value is not None else link.text, link.href))
            elif target in labelled and value is None:  # a literal has no label: show it
                cells.append(cell(row[target], str(target)))
            else:
                cells.append(cell(value, variable))
        body.append(cells)
    return Table(title, query, params, [_heading(v) for v in shown], body, answer=rows)


def resource_page(kg: OncoKG, iri: Iri) -> ResourcePage | None:
    """The page of ``iri``, or None when the graph says nothing about it."""
    params = {"resource": str(iri)}
    statements = kg.query("resource-statements", resource=iri)
    references = kg.query("resource-references", resource=iri)
    if not statements and not references:
        return None
    names = _names(statements, _NAME_PROPERTIES)
    english = [text for text, lang in _names(statements, {_RDFS_LABEL}) if lang.startswith("en")]
    types = kg.query("resource-types", resource=iri)
    page = ResourcePage(
        iri=iri,
        label=english[0] if english else (names[0][0] if names else curie(iri)),
        names=names,
        kinds=[
            Cell(str(r["typeLabel"] or curie(str(r["type"]))), local_path(str(r["type"])))
            for r in types
        ],
        statements=table("Statements", "resource-statements", params, statements),
        references=table("Referred to by", "resource-references", params, references),
    )
    classes = {str(r["type"]) for r in types}
    wanted = [s for cls, sections in SECTIONS.items() if cls in classes for s in sections]
    with ThreadPoolExecutor(max_workers=4) as pool:  # the server's workers answer them at once
        page.sections = list(pool.map(lambda section: _section(kg, section, iri), wanted))
    _add_plots(page, classes)
    return page


def _names(statements: Rows, properties: set[str]) -> list[tuple[str, str]]:
    """(text, language tag) of the statements of these properties."""
    return [
        (
            str(row["value"]),
            row["value"].lang.lower() if isinstance(row["value"], LangString) else "",
        )
        for row in statements
        if str(row["property"]) in properties
    ]


def _section(kg: OncoKG, section: Section, iri: Iri) -> Table:
    params = {section.parameter: str(iri)}
    try:
        rows = kg.query(section.query, **params)
    except OncoKGError as err:
        return Table(section.title, section.query, params, [], [], error=str(err))
    return table(section.title, section.query, params, rows)


def _add_plots(page: ResourcePage, classes: set[str]) -> None:
    """A forest plot of a trial's or a drug's comparisons; adverse events by grade and arm.
    Each is drawn from the rows of its section, which becomes the table of its numbers."""
    sections = {t.query: t for t in page.sections}
    if ONTOLOGY + "ClinicalStudy" in classes:
        comparisons = sections["study-comparisons"]
        if any(r["hazardRatio"] is not None for r in comparisons.answer):
            name = page.label.split(":")[0]
            page.plots.append(hazard_ratio_plot(f"Hazard ratios in {name}", comparisons, name))
    if ONTOLOGY + "Drug" in classes:
        comparisons = sections["trial-comparisons"]
        if any(r["hazardRatio"] is not None for r in comparisons.answer):
            title = f"Hazard ratios of trials of {page.label}"
            page.plots.append(hazard_ratio_plot(title, comparisons))
        events = sections["adverse-events"]
        bars = adverse_event_bars(events.answer)
        if bars:
            svg = bar_chart(bars, f"Adverse events of {page.label} by grade and arm", "%")
            page.plots.append(Plot(f"Adverse events of {page.label}", svg, events))


def hazard_ratio_plot(title: str, source: Table, prefix: str = "") -> Plot:
    """A forest plot of the rows of ``source`` that have a hazard ratio (``study-comparisons``,
    ``trial-comparisons`` or ``hazard-ratios`` rows); each is named by its study (or
    ``prefix``) and endpoint."""
    estimates = []
    for row in source.answer:
        if row["hazardRatio"] is None:
            continue
        value = float(str(row["hazardRatio"]))
        low = float(str(row["ciLower"])) if row.get("ciLower") is not None else None
        high = float(str(row["ciUpper"])) if row.get("ciUpper") is not None else None
        note = f"HR {value:g}"
        if low is not None and high is not None:
            level = row.get("confidenceLevel")
            percent = f"{float(str(level)) * 100:g}% CI " if level is not None else "CI "
            note += f" ({percent}{low:g}-{high:g})"
        if row.get("pValue") is not None:
            relation = str(row.get("pRelation") or "=")
            note += f", p {relation} {row['pValue']}"
        study = row.get("studyLabel")
        name = str(study).split(":")[0] if study is not None else prefix
        label = " ".join(p for p in (name, str(row.get("endpoint") or "")) if p)
        estimates.append(
            Estimate(label or str(row.get("experimental") or ""), value, low, high, note)
        )
    svg = forest_plot(estimates, title)
    return Plot(title, svg, source)


def adverse_event_bars(rows: Rows) -> list[Bar]:
    """One bar per adverse-event rate, grouped by grade and by arm (or the label's context)."""
    bars = []
    for row in rows:
        if row["frequency"] is None:
            continue
        value = float(str(row["frequency"]))
        where = row.get("armLabel") or row.get("context") or ""
        note = f"{value:g}%"
        if row.get("denominator") is not None:
            note += f" of {row['denominator']}"
        bars.append(Bar(str(row["event"]), value, f"{row['grade']} · {where}", note))
    return bars


def _heading(variable: str) -> str:
    """``armLabel`` -> ``arm``, ``hazardRatio`` -> ``hazard ratio``."""
    if variable.endswith("Label") and len(variable) > len("Label"):
        variable = variable[: -len("Label")]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", variable).lower()
