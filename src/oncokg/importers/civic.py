"""CIViC (Clinical Interpretation of Variants in Cancer), current layout: predictive evidence.

Reads a monthly release's ``*-ClinicalEvidenceSummaries.tsv``, ``*-AssertionSummaries.tsv``,
``*-MolecularProfileSummaries.tsv`` and ``*-VariantSummaries.tsv`` (CC0). Each accepted
predictive evidence item becomes an
``okg:DrugResponseStatement``: its molecular profile (one variant, or an ``okg:MolecularProfile``
of several), its drug or therapy group (with the interaction type), disease (by DOID), effect
(CIViC's significance), direction, CIViC level with the common level, rating, publication
(PubMed, ASCO or ASH abstract), NCT IDs, the evidence statement and the item's CIViC page.
Evidence of other types (diagnostic, prognostic, predisposing, oncogenic, functional) is
counted as out of scope; rows that cannot be mapped are listed with the reason. Each predictive
assertion becomes a statement of its own, at its AMP/ASCO/CAP tier, naming the evidence items
it summarises (``okg:hasEvidenceItem``), its NCCN guideline and whether the FDA approved the
therapy for it with a companion test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from oncokg.errors import InputError
from oncokg.importers.base import (
    LICENCES,
    RDF_TYPE,
    RDFS_LABEL,
    ImportedGraph,
    english,
    integer,
    okg,
    okr,
    read_tsv,
    term,
)
from oncokg.importers.vocabularies import PROTEIN_CHANGE, THERAPY_JOINERS, Vocabularies, slug

EVIDENCE = "ClinicalEvidenceSummaries.tsv"
ASSERTIONS = "AssertionSummaries.tsv"
PROFILES = "MolecularProfileSummaries.tsv"
VARIANTS = "VariantSummaries.tsv"
LAYOUT = "CIViC current (molecular profiles, therapies)"
EVIDENCE_COLUMNS = (
    "molecular_profile",
    "molecular_profile_id",
    "disease",
    "doid",
    "therapies",
    "therapy_interaction_type",
    "evidence_type",
    "evidence_direction",
    "evidence_level",
    "significance",
    "evidence_statement",
    "citation_id",
    "source_type",
    "citation",
    "nct_ids",
    "rating",
    "evidence_status",
    "evidence_id",
    "evidence_civic_url",
)
ASSERTION_COLUMNS = (
    "molecular_profile",
    "molecular_profile_id",
    "disease",
    "doid",
    "therapies",
    "assertion_type",
    "assertion_direction",
    "significance",
    "amp_category",
    "nccn_guideline",
    "nccn_guideline_version",
    "regulatory_approval",
    "fda_companion_test",
    "assertion_summary",
    "assertion_description",
    "assertion_id",
    "evidence_item_ids",
    "assertion_civic_url",
)
PROFILE_COLUMNS = ("name", "molecular_profile_id", "variant_ids")
VARIANT_COLUMNS = ("variant_id", "gene", "entrez_id", "variant", "variant_types")
V1_COLUMNS = ("drugs", "clinical_significance", "variant_id", "gene")
EFFECTS = {
    "Sensitivity/Response": "Sensitivity",
    "Resistance": "Resistance",
    "Reduced Sensitivity": "ReducedSensitivity",
    "Adverse Response": "AdverseResponse",
}
DIRECTIONS = {"Supports": "Supports", "Does Not Support": "Disputes"}
INTERACTIONS = {
    "Combination": "Combination",
    "Substitutes": "Substitutes",
    "Sequential": "Sequential",
}
LEVELS = {"A": "LevelA", "B": "LevelB", "C": "LevelC", "D": "LevelD", "E": "LevelD"}
AMP_TIERS = {  # AMP/ASCO/CAP category -> (OncoKG term, common level)
    "Tier I - Level A": ("AmpTier1LevelA", "LevelA"),
    "Tier I - Level B": ("AmpTier1LevelB", "LevelB"),
    "Tier II - Level C": ("AmpTier2LevelC", "LevelC"),
    "Tier II - Level D": ("AmpTier2LevelD", "LevelD"),
}
_RELEASE = re.compile(r"^(\d{2})-([A-Z][a-z]{2})-(\d{4})-")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Release:
    """The three files of one CIViC release and its date."""

    evidence: Path
    assertions: Path
    profiles: Path
    variants: Path
    date: str


def find_release(folder: Path, date: str | None = None) -> Release:
    """The release files in ``folder`` (``DD-Mon-YYYY-*.tsv``); its date from their names."""
    if not folder.is_dir():
        raise InputError(folder, "is not a folder; give the folder of a CIViC release")
    found = {}
    for kind in (EVIDENCE, ASSERTIONS, PROFILES, VARIANTS):
        matches = sorted(folder.glob(f"*{kind}"))
        if kind == EVIDENCE:
            for candidate in matches:
                _check_layout(candidate)
        if not matches:
            raise InputError(folder, f"has no *-{kind}: not a CIViC release folder")
        if len(matches) > 1:
            names = ", ".join(p.name for p in matches)
            raise InputError(folder, f"holds several releases ({names}); give one release")
        found[kind] = matches[0]
    if date is None:
        match = _RELEASE.match(found[EVIDENCE].name)
        if not match or match[2] not in _MONTHS:
            raise InputError(found[EVIDENCE], "no release date in the file name; give --release")
        date = f"{match[3]}-{_MONTHS.index(match[2]) + 1:02d}-{match[1]}"
    return Release(found[EVIDENCE], found[ASSERTIONS], found[PROFILES], found[VARIANTS], date)


def _check_layout(path: Path) -> None:
    """Refuse CIViC's old v1 layout (2018 and before) with a message that says so."""
    from oncokg.rdf_files import check_readable

    check_readable(path)
    with path.open("rb") as handle:
        header = handle.readline().decode("utf-8", "replace").rstrip("\r\n").split("\t")
    if all(c in header for c in V1_COLUMNS) and "molecular_profile_id" not in header:
        raise InputError(
            path,
            "is CIViC's old v1 layout (gene, variant, drugs, clinical_significance); "
            f"oncokg import civic reads the {LAYOUT} layout of today's releases",
            line=1,
        )


def import_civic(
    folder: Path,
    vocabularies: Vocabularies,
    *,
    date: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportedGraph:
    """Map one CIViC release onto the evidence model; see the module documentation."""
    release = find_release(folder, date)
    graph = ImportedGraph("civic", release.date, "CIViC", LICENCES["CC0-1.0"])
    graph.inputs = [release.evidence, release.assertions, release.profiles, release.variants]
    mapper = _Mapper(graph, vocabularies, release)
    mapper.read_variants()
    mapper.read_profiles()
    mapper.read_evidence(progress)
    mapper.read_assertions(progress)
    graph.metadata()
    return graph


class _Mapper:
    def __init__(self, graph: ImportedGraph, vocabularies: Vocabularies, release: Release) -> None:
        self.graph = graph
        self.vocabularies = vocabularies
        self.release = release
        self.variants: dict[str, ox.NamedNode | str] = {}  # id -> node, or why it cannot map
        self.profiles: dict[str, tuple[ox.NamedNode | None, str]] = {}
        self.disease_labels: dict[str, str] = {}
        self.statements: dict[str, tuple[str, str]] = {}  # evidence ID -> therapies, interaction

    # ------------------------------------------------------------------ variants
    def read_variants(self) -> None:
        path = self.release.variants
        for line, row in read_tsv(path, VARIANT_COLUMNS, LAYOUT):
            if "__bad__" in row:
                self.graph.skip(path, line, f"malformed row: {row['__bad__']}")
                continue
            self.variants[row["variant_id"]] = self._variant(row)

    def _variant(self, row: dict[str, str]) -> ox.NamedNode | str:
        gene = self.vocabularies.gene(row["gene"], row["entrez_id"] or None)
        if gene is None:
            return f"gene {row['gene']!r} (NCBI Gene {row['entrez_id'] or '-'}) is not in HGNC"
        graph, vocabularies = self.graph, self.vocabularies
        gene_node = vocabularies.gene_node(graph, gene)
        name = row["variant"].strip()
        if PROTEIN_CHANGE.fullmatch(name):
            node = vocabularies.variant_node(graph, gene, gene_node, name)
        else:
            node = okr(f"civic-variant-{row['variant_id']}")
        if vocabularies.is_curated(node.value):
            return node
        if not PROTEIN_CHANGE.fullmatch(name):
            graph.add(node, RDF_TYPE, okg("GenotypeGroup"))
            graph.add(node, RDFS_LABEL, english(f"{gene.symbol} {name}"))
            graph.add(node, okg("gene"), gene_node)
            graph.add(node, okg("groupLevel"), okg("OtherLevel"))
        graph.add(node, okg("sourceRecord"), ox.NamedNode(row["variant_civic_url"]))
        for variant_type in filter(None, (t.strip() for t in row["variant_types"].split(","))):
            so = vocabularies.so_term(variant_type)
            if so:
                graph.add(node, okg("variantType"), ox.NamedNode(so))
        return node

    # ------------------------------------------------------------------ molecular profiles
    def read_profiles(self) -> None:
        path = self.release.profiles
        for line, row in read_tsv(path, PROFILE_COLUMNS, LAYOUT):
            if "__bad__" in row:
                self.graph.skip(path, line, f"malformed row: {row['__bad__']}")
                continue
            self.profiles[row["molecular_profile_id"]] = self._profile(row)

    def _profile(self, row: dict[str, str]) -> tuple[ox.NamedNode | None, str]:
        ids = [v.strip() for v in row["variant_ids"].split(",") if v.strip()]
        members = [self.variants.get(i, f"variant {i} is not in {VARIANTS}") for i in ids]
        problems = [m for m in members if isinstance(m, str)]
        if not ids or problems:
            return None, problems[0] if problems else "the profile names no variant"
        nodes = [m for m in members if isinstance(m, ox.NamedNode)]
        if len(nodes) == 1 and " NOT " not in f" {row['name']} ":
            return nodes[0], ""
        node = okr(f"civic-profile-{row['molecular_profile_id']}")
        self.graph.add(node, RDF_TYPE, okg("MolecularProfile"))
        self.graph.add(node, RDFS_LABEL, english(row["name"]))
        self.graph.add(node, okg("profileExpression"), ox.Literal(row["name"]))
        for member in nodes:
            self.graph.add(node, okg("hasMember"), member)
        return node, ""

    # ------------------------------------------------------------------ evidence
    def read_evidence(self, progress: Callable[[int], None] | None) -> None:
        self._read_items(
            self.release.evidence, EVIDENCE_COLUMNS, "evidence", self._statement, progress
        )

    def _read_items(
        self,
        path: Path,
        columns: tuple[str, ...],
        kind: str,
        mapped: Callable[[dict[str, str]], str],
        progress: Callable[[int], None] | None,
    ) -> None:
        """Map the predictive rows of an evidence or assertion file with ``mapped``; count the
        others as out of scope, list the rows that cannot be mapped, refuse a repeated ID."""
        noun = "evidence item" if kind == "evidence" else "assertion"
        seen: dict[str, int] = {}
        for line, row in read_tsv(path, columns, LAYOUT):
            self.graph.rows_read += 1
            if progress:
                progress(1)
            if "__bad__" in row:
                self.graph.skip(path, line, f"malformed row: {row['__bad__']}")
                continue
            identifier = row[f"{kind}_id"]
            if identifier in seen:
                raise InputError(
                    path,
                    f"{kind} ID {identifier} appears twice (first on line {seen[identifier]}); "
                    "the file is damaged: download the release again",
                    line=line,
                )
            seen[identifier] = line
            if row[f"{kind}_type"] != "Predictive":
                plural = "evidence" if kind == "evidence" else "assertions"
                self.graph.out_of_scope[f"{row[f'{kind}_type'].lower()} {plural}"] += 1
                continue
            problem = mapped(row)
            if problem:
                self.graph.skip(path, line, f"{problem}: {noun} {identifier}")
            else:
                self.graph.statements += 1

    def _statement(self, row: dict[str, str]) -> str:
        direction = DIRECTIONS.get(row["evidence_direction"])
        if direction is None:
            return f"evidence direction {row['evidence_direction']!r} is unknown"
        level = LEVELS.get(row["evidence_level"])
        if level is None:
            return f"evidence level {row['evidence_level']!r} is not A-E"
        node = okr(f"civic-eid-{row['evidence_id']}")
        problem = self._proposition(node, row, direction)
        if problem:
            return problem
        add = self.graph.add
        add(node, okg("sourceRecord"), ox.NamedNode(row["evidence_civic_url"]))
        add(node, okg("evidenceLevel"), okg(f"Civic{row['evidence_level']}"))
        add(node, okg("commonEvidenceLevel"), okg(level))
        if row["rating"].isdigit():
            add(node, okg("rating"), integer(int(row["rating"])))
        self._publication(node, row)
        for nct in filter(None, (n.strip() for n in row["nct_ids"].split(","))):
            if re.fullmatch(r"NCT[0-9]{8}", nct):
                add(
                    node,
                    okg("registryRecord"),
                    ox.NamedNode(f"https://clinicaltrials.gov/study/{nct}"),
                )
        if row["evidence_statement"].strip():
            add(node, okg("sourceText"), english(row["evidence_statement"].strip()))
        self._label(node, row, direction, f"CIViC EID{row['evidence_id']}")
        therapies = ",".join(sorted(t.strip() for t in row["therapies"].split(",")))
        self.statements[row["evidence_id"]] = (therapies, row["therapy_interaction_type"])
        return ""

    def _proposition(self, node: ox.NamedNode, row: dict[str, str], direction: str) -> str:
        """What an evidence item and an assertion share: genotype, effect, therapy, disease."""
        effect = EFFECTS.get(row["significance"])
        if effect is None:
            return f"significance {row['significance']!r} is not a predictive one"
        genotype, why = self.profiles.get(
            row["molecular_profile_id"],
            (None, f"molecular profile {row['molecular_profile_id']} is not in {PROFILES}"),
        )
        if genotype is None:
            return why
        therapies = [t.strip() for t in row["therapies"].split(",") if t.strip()]
        if not therapies:
            return "no therapy named"
        if len(therapies) > 1 and row["therapy_interaction_type"] not in INTERACTIONS:
            return f"{len(therapies)} therapies without a therapy interaction type"
        add = self.graph.add
        add(node, RDF_TYPE, okg("DrugResponseStatement"))
        add(node, term("prov", "wasDerivedFrom"), self.graph.node)
        add(node, okg("genotype"), genotype)
        add(node, okg("effect"), okg(effect))
        add(node, okg("direction"), okg(direction))
        drugs = [self.vocabularies.drug_node(self.graph, name) for name in therapies]
        self._therapy(node, drugs, therapies, row["therapy_interaction_type"])
        disease = self._disease(row)
        if disease is not None:
            add(node, okg("disease"), disease)
        else:
            note = f"CIViC names the disease {row['disease']!r} without a DOID."
            add(node, okg("curatorNote"), english(note))
        return ""

    def _label(self, node: ox.NamedNode, row: dict[str, str], direction: str, key: str) -> None:
        therapies = [t.strip() for t in row["therapies"].split(",") if t.strip()]
        joiner = THERAPY_JOINERS.get(row["therapy_interaction_type"], " + ")
        direction_word = "supports" if direction == "Supports" else "disputes"
        disease_name = row["disease"] or "an unnamed disease"
        label = (
            f"{row['molecular_profile']}: {row['significance'].lower()} to "
            f"{joiner.join(therapies)} in {disease_name} ({direction_word}; {key})"
        )
        self.graph.add(node, RDFS_LABEL, english(label))

    # ------------------------------------------------------------------ assertions
    def read_assertions(self, progress: Callable[[int], None] | None) -> None:
        self._read_items(
            self.release.assertions, ASSERTION_COLUMNS, "assertion", self._assertion, progress
        )

    def _interaction_of(self, row: dict[str, str]) -> str | None:
        """How an assertion's therapies are given: the assertion file does not say, so it is
        read from the evidence items it cites that name the same therapies."""
        therapies = sorted(t.strip() for t in row["therapies"].split(",") if t.strip())
        if len(therapies) < 2:
            return ""
        kinds = {
            self.statements[e.strip()][1]
            for e in row["evidence_item_ids"].split(",")
            if self.statements.get(e.strip(), ("", ""))[0] == ",".join(therapies)
        }
        return kinds.pop() if len(kinds) == 1 else None

    def _assertion(self, row: dict[str, str]) -> str:
        direction = DIRECTIONS.get(row["assertion_direction"])
        if direction is None:
            return f"assertion direction {row['assertion_direction']!r} is unknown"
        tier = AMP_TIERS.get(row["amp_category"])
        if tier is None:
            return f"AMP/ASCO/CAP category {row['amp_category']!r} is not a predictive tier"
        node = okr(f"civic-aid-{row['assertion_id']}")
        interaction = self._interaction_of(row)
        if interaction is None:
            return "its evidence items do not agree on how its therapies are combined"
        row = {**row, "therapy_interaction_type": interaction}
        problem = self._proposition(node, row, direction)
        if problem:
            return problem
        add = self.graph.add
        add(node, okg("sourceRecord"), ox.NamedNode(row["assertion_civic_url"]))
        add(node, okg("evidenceLevel"), okg(tier[0]))
        add(node, okg("commonEvidenceLevel"), okg(tier[1]))
        for evidence_id in filter(None, (e.strip() for e in row["evidence_item_ids"].split(","))):
            if evidence_id in self.statements:
                add(node, okg("hasEvidenceItem"), okr(f"civic-eid-{evidence_id}"))
        if row["nccn_guideline"].strip():
            version = row["nccn_guideline_version"].strip()
            guideline = f"NCCN {row['nccn_guideline'].strip()}"
            name = f"{guideline}, version {version}" if version else guideline
            add(node, okg("guidelineName"), ox.Literal(name))
        for column, prop in (
            ("regulatory_approval", "regulatoryApproval"),
            ("fda_companion_test", "fdaCompanionTest"),
        ):
            if row[column] in ("true", "false"):
                add(node, okg(prop), ox.Literal(row[column], datatype=_BOOLEAN))
        for column in ("assertion_summary", "assertion_description"):
            if row[column].strip():
                add(node, okg("sourceText"), english(row[column].strip()))
        self._label(node, row, direction, f"CIViC AID{row['assertion_id']}, {row['amp_category']}")
        return ""

    def _therapy(
        self, statement: ox.NamedNode, drugs: list[ox.NamedNode], names: list[str], kind: str
    ) -> None:
        if len(drugs) == 1:
            self.graph.add(statement, okg("drug"), drugs[0])
            return
        group, _ = self.vocabularies.therapy_group(self.graph, drugs, names, INTERACTIONS[kind])
        self.graph.add(statement, okg("therapy"), group)

    def _disease(self, row: dict[str, str]) -> ox.NamedNode | None:
        doid = row["doid"].strip()
        if not doid.isdigit():
            return None
        node = ox.NamedNode(self.vocabularies.disease_iri(doid))
        if not self.vocabularies.is_curated(node.value):
            name = row["disease"].strip()
            label = self.disease_labels.setdefault(node.value, name)  # the first name seen
            self.graph.add(node, RDF_TYPE, okg("Disease"))
            self.graph.add(node, RDFS_LABEL, english(label))
            if name != label:  # CIViC names some DOIDs in more than one way
                self.graph.add(node, term("skos", "altLabel"), english(name))
            self.graph.add(node, okg("doid"), term("obo", f"DOID_{doid}"))
        return node

    def _publication(self, statement: ox.NamedNode, row: dict[str, str]) -> None:
        kind, identifier = row["source_type"], row["citation_id"].strip()
        if not identifier:
            return
        if kind == "PubMed" and identifier.isdigit():
            node = okr(f"pmid-{identifier}")
            self.graph.add(
                node, okg("pubmed"), ox.NamedNode(f"https://pubmed.ncbi.nlm.nih.gov/{identifier}")
            )
        else:
            node = okr(f"{slug(kind)}-abstract-{slug(identifier)}")
        self.graph.add(node, RDF_TYPE, okg("Publication"))
        self.graph.add(node, RDFS_LABEL, english(row["citation"] or f"{kind} {identifier}"))
        self.graph.add(statement, okg("reportedIn"), node)


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
