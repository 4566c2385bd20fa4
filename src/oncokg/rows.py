"""Typed rows returned by the :class:`~oncokg.api.OncoKG` helpers.

Each dataclass's fields are the snake_case names of its catalogue query's variables;
:class:`Results` is a list of them with :meth:`Results.to_pandas` (``pip install oncokg[pandas]``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from typing import Any, Generic, TypeVar

from oncokg.backend import Row
from oncokg.terms import Iri

T = TypeVar("T")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str) -> str:
    """``drugLabel`` -> ``drug_label``.

    >>> snake("ciLower")
    'ci_lower'
    """
    return _CAMEL.sub("_", name).lower()


class Results(list[T], Generic[T]):
    """A list of typed rows that can become a pandas DataFrame."""

    def to_pandas(self) -> Any:
        """A :class:`pandas.DataFrame` with one column per field, numbers as floats (needs the
        ``pandas`` extra)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_pandas() needs pandas: pip install 'oncokg[pandas]'") from None
        # decimals as floats: pandas would keep Decimal objects in an object column
        records = [
            {k: float(v) if isinstance(v, Decimal) else v for k, v in asdict(r).items()}  # type: ignore[call-overload]
            for r in self
        ]
        return pd.DataFrame(records)


def typed(cls: type[T], rows: list[Row]) -> Results[T]:
    """Build ``cls`` instances from rows, matching variables to fields by snake_case name."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    out: Results[T] = Results()
    for row in rows:
        values = {snake(v): row[v] for v in row.variables if snake(v) in names}
        out.append(cls(**{n: values.get(n) for n in names}))
    return out


Number = Decimal | int | None


@dataclass(frozen=True)
class DrugTarget:
    """A drug acting on a target."""

    drug: Iri
    drug_label: str
    target_label: str
    action: str
    binding_site: str | None
    mechanism_of_action: bool | None
    source: str
    licence: Iri | None
    claim: Iri


@dataclass(frozen=True)
class Target:
    """A target of a drug."""

    target: Iri
    target_label: str
    action: str
    binding_site: str | None
    potency: str | None
    mechanism_of_action: bool | None
    source: str
    licence: Iri | None
    claim: Iri


@dataclass(frozen=True)
class ResponseStatement:
    """A resistance or sensitivity statement, from any source."""

    statement: Iri
    therapy_label: str
    genotype_label: str | None
    effect: str
    direction: str | None
    kind: str | None
    mechanism: str | None
    disease_label: str | None
    common_level: str | None
    source: str
    section: str | None


@dataclass(frozen=True)
class TrialOutcome:
    """One outcome of one study arm, with its study, population, arm and regimen; a time also
    in months (1 month = 30.4375 days) beside the value and unit as reported."""

    study_label: str
    phase: str | None
    disease_label: str | None
    line: str | None
    arm_label: str
    role: str
    regimen_label: str | None
    arm_size: int | None
    subgroup: str | None
    endpoint: str
    statistic: str
    value: Number
    low: Number
    high: Number
    unit: str
    value_months: float | None
    denominator: int | None
    landmark: Number
    landmark_unit: str | None
    source: str
    outcome: Iri


@dataclass(frozen=True)
class Comparison:
    """An experimental-versus-comparator comparison with HR, CI and p-value."""

    study_label: str
    experimental: str
    comparator: str
    endpoint: str
    hazard_ratio: Number
    ci_lower: Number
    ci_upper: Number
    confidence_level: Number
    p_relation: str | None
    p_value: Number
    conclusion: str | None
    basis: str | None
    post_hoc: bool | None
    comparison: Iri


@dataclass(frozen=True)
class AdverseEvent:
    """An adverse event of a drug, alone or in an arm's regimen, with grade, frequency and
    context."""

    event: str
    grade: str
    frequency: Number
    relation: str | None
    patients: int | None
    denominator: int | None
    treatment_related: bool | None
    context: str
    arm_label: str | None
    regimen: str | None
    source: str
    observation: Iri


@dataclass(frozen=True)
class Dose:
    """One dose of a dosing recommendation."""

    recommendation: Iri
    dose_drug: str
    amount: Number
    unit: str | None
    frequency: str | None
    route: str | None
    schedule: str | None
    duration: str | None
    source: str


@dataclass(frozen=True)
class DoseLevel:
    """A level of a dose-reduction ladder."""

    level: int
    amount: Number
    unit: str | None
    discontinue: bool | None
    label: str


@dataclass(frozen=True)
class Interaction:
    """An interaction with a drug or drug class."""

    interacts_with: str
    advice: str
    hours_before: Number
    hours_after: Number
    effect: str | None
    example: str | None
    interaction: Iri


@dataclass(frozen=True)
class SearchHit:
    """An entity whose label matched a search."""

    entity: Iri
    label: str | None
    matched: str
    language: str
    class_: str | None = None


@dataclass(frozen=True)
class DrugEntry:
    """A drug of the graph with its ChEMBL ID and modality."""

    drug: Iri
    label: str | None
    chembl: Iri | None
    modality: str | None


@dataclass(frozen=True)
class Trial:
    """A clinical study and its design (several values share a cell, "; " between them)."""

    study: Iri
    study_label: str | None
    trial_name: str | None
    phase: str | None
    randomisation_ratio: str | None
    crossover_allowed: bool | None
    enrolled: int | None
    randomised: int | None
    population: str | None
    line: str | None
    source: str
    design: str | None
    stratification: str | None
    arms: str | None
    registrations: str | None


@dataclass(frozen=True)
class GuidelineLine:
    """A guideline's recommendation of a drug in a line of therapy."""

    drug_label: str
    line: str | None
    setting: str | None
    body: str | None
    strength: str | None
    indication: str | None
    source: str
    section: str | None
    recommendation: Iri


@dataclass(frozen=True)
class VariantFacts:
    """What the graph says a variant or genotype group is."""

    genotype: Iri
    label: str | None
    gene: str | None
    protein_change: str | None
    codon: int | None
    reference: str | None
    alternate: str | None
    exons: str | None
    regions: str | None
    variant_types: str | None
    hgvs: str | None
    groups: str | None
    members: str | None


@dataclass(frozen=True)
class Pathway:
    """A pathway a drug inhibits, or that one of its targets takes part in."""

    pathway_label: str
    how: str
    via: str | None
    source: str | None
    pathway: Iri


@dataclass(frozen=True)
class Provenance:
    """Where one claim comes from: source, date, licence, sections, quotes, publications."""

    claim: Iri
    claim_label: str | None
    source: str
    issued: str | None
    licence: Iri | None
    sections: str | None
    quotes: str | None
    publications: str | None
    dois: str | None
    pubmed_records: str | None
    trials: str | None
    record: Iri | None


@dataclass(frozen=True)
class EndpointValue:
    """One value of an endpoint for a drug, or for the regimen of the arm it was measured in."""

    therapy_label: str
    statistic: str
    value: Number
    low: Number
    high: Number
    unit: str
    subgroup: str | None
    study_label: str | None
    source: str
    outcome: Iri


@dataclass(frozen=True)
class Evidence:
    """A therapeutic response statement from any source, with its level, provenance and licence.

    ``effect`` is sensitivity, resistance, reduced sensitivity, adverse response ...;
    ``direction`` supports or disputes (None for curated statements, which assert); ``level`` is
    the source's own, ``common_level`` A-D on OncoKG's common scale; ``trials`` the NCT
    numbers, space-separated.
    """

    statement: Iri
    genotype_label: str
    therapy_label: str
    effect: str
    direction: str | None
    disease: Iri | None
    disease_label: str | None
    level: str | None
    common_level: str | None
    publication: Iri | None
    trials: str | None
    source_label: str
    licence: Iri | None
