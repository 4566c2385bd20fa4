"""MOAlmanac's flat assertion file: the evidence below FDA approval, at its predictive implication.

``molecular-oncology-almanac.json`` (MOAlmanac's older, flat schema; same licence) holds each
assertion with its predictive implication (FDA-Approved, Guideline, Clinical trial, Clinical
evidence, Inferential, Preclinical), its feature (somatic or germline variant, copy number,
rearrangement, microsatellite status, mutational burden or signature, knockdown, aneuploidy),
therapy, disease (OncoTree), sensitivity / resistance / adverse-event flags, and its
publication (PubMed, DOI, NCT, guideline or label URL). The referenced files already hold the
FDA approvals, so only the other implications are mapped from here; FDA-approved, deprecated
and prognostic-only assertions are counted as out of scope.

>>> feature_label({"feature_type": "Copy Number", "gene": "AR", "direction": "Amplification"})
'AR amplification'
>>> feature_label({"feature_type": "Rearrangement", "gene1": "BCR", "gene2": "ABL1",
...                "rearrangement_type": "Fusion"})
'BCR::ABL1 fusion'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from oncokg.importers.base import RDF_TYPE, RDFS_LABEL, ImportedGraph, english, integer, okg, okr
from oncokg.importers.base import term as iri
from oncokg.importers.vocabularies import PROTEIN_CHANGE, Gene, Vocabularies, slug

FILE = "molecular-oncology-almanac.json"
IMPLICATIONS = {  # predictive implication -> (OncoKG level, common level)
    "Guideline": ("MoaGuideline", "LevelA"),
    "Clinical trial": ("MoaClinicalTrial", "LevelB"),
    "Clinical evidence": ("MoaClinicalEvidence", "LevelC"),
    "Preclinical": ("MoaPreclinical", "LevelD"),
    "Inferential": ("MoaInferential", "LevelD"),
}
_CODON = re.compile(r"[ACDEFGHIKLMNPQRSTVWY]([1-9][0-9]*)")


def feature_label(item: dict[str, Any]) -> str:
    """The feature an assertion is about, in words, from its own fields."""
    kind = str(item.get("feature_type") or "")

    def field(name: str) -> str:
        return str(item.get(name) or "").strip()

    if kind in ("Somatic Variant", "Germline Variant"):
        detail = field("protein_change").removeprefix("p.") or field("variant_annotation").lower()
        exon = f" exon {field('exon')}" if field("exon") and not field("protein_change") else ""
        germline = " (germline)" if kind == "Germline Variant" else ""
        return " ".join(filter(None, (field("gene"), exon.strip(), detail, "variant"))) + germline
    if kind == "Copy Number":
        return f"{field('gene')} {field('direction').lower()}".strip()
    if kind == "Rearrangement":
        genes = "::".join(filter(None, (field("gene1"), field("gene2"))))
        return f"{genes} {field('rearrangement_type').lower() or 'rearrangement'}"
    if kind == "Microsatellite Stability":
        return field("status") or "microsatellite status"
    if kind == "Mutational Burden":
        threshold = ""
        if field("mutations_per_mb"):
            threshold = f" (at least {field('mutations_per_mb')} mutations per Mb)"
        elif field("minimum_mutations"):
            threshold = f" (at least {field('minimum_mutations')} mutations)"
        return f"{field('classification')} tumour mutational burden{threshold}".strip()
    if kind == "Mutational Signature":
        return f"COSMIC mutational signature {field('cosmic_signature')}"
    if kind == "Knockdown":
        return f"{field('gene')} knockdown ({field('technique')})"
    return field("event") or kind.lower()


def _genes(item: dict[str, Any]) -> list[str]:
    return [str(item[k]).strip() for k in ("gene", "gene1", "gene2") if str(item.get(k) or "")]


class AssertionMapper:
    """Maps the flat file's assertions into the MOAlmanac graph being built."""

    def __init__(
        self,
        graph: ImportedGraph,
        vocabularies: Vocabularies,
        disease_node: Callable[[str], ox.NamedNode | None],
        drug_node: Callable[[str, list[dict[str, Any]]], ox.NamedNode],
    ) -> None:
        self.graph = graph
        self.vocabularies = vocabularies
        self.disease_node = disease_node  # a disease by OncoTree code or name, or None
        self.drug_node = drug_node
        self.dois_by_pmid: dict[str, set[str]] = {}  # a DOI is kept only when the file agrees

    def read(
        self, path: Path, items: list[dict[str, Any]], progress: Callable[[int], None] | None
    ) -> None:
        """Map every assertion; the others are counted or listed with the reason."""
        for item in items:
            pmid, doi = str(item.get("pmid") or ""), str(item.get("doi") or "").strip()
            if pmid.isdigit() and doi:
                self.dois_by_pmid.setdefault(pmid, set()).add(doi)
        for position, item in enumerate(items, start=1):
            self.graph.rows_read += 1
            if progress:
                progress(1)
            why_not = self._out_of_scope(item)
            if why_not:
                self.graph.out_of_scope[why_not] += 1
                continue
            problem = self.assertion(item)
            if problem:
                self.graph.skip(path, position, f"{problem}: assertion {item.get('assertion_id')}")
            else:
                self.graph.statements += 1

    @staticmethod
    def _out_of_scope(item: dict[str, Any]) -> str:
        if item.get("_deprecated") is True:
            return "deprecated assertions of the flat file"
        if item.get("predictive_implication") == "FDA-Approved":
            return "FDA-approved assertions of the flat file (the referenced statements hold them)"
        if not str(item.get("therapy_name") or "").strip():
            return "assertions of the flat file without a therapy (prognostic or diagnostic)"
        return ""

    def assertion(self, item: dict[str, Any]) -> str:
        """One assertion as a statement; the reason when it cannot be mapped."""
        level = IMPLICATIONS.get(str(item.get("predictive_implication")))
        if level is None:
            return f"predictive implication {item.get('predictive_implication')!r} is not mapped"
        effects = [
            (effect, direction)
            for column, effect in (
                ("therapy_sensitivity", "Sensitivity"),
                ("therapy_resistance", "Resistance"),
                ("adverse_event_risk", "AdverseResponse"),
            )
            for value, direction in ((1, "Supports"), (0, "Disputes"))
            if item.get(column) == value and not isinstance(item.get(column), bool)
        ]
        if len(effects) != 1:
            return "it flags no single effect (sensitivity, resistance or adverse event risk)"
        genotype = self.genotype(item)
        if isinstance(genotype, str):
            return genotype
        names = [n.strip() for n in str(item["therapy_name"]).split(" + ") if n.strip()]
        mappings = list(item.get("therapy_name_mappings") or [])
        drugs = [self.drug_node(name, mappings) for name in names]
        node = okr(f"moalmanac-assertion-{item['assertion_id']}")
        add, graph = self.graph.add, self.graph
        effect, direction = effects[0]
        add(node, RDF_TYPE, okg("DrugResponseStatement"))
        add(node, iri("prov", "wasDerivedFrom"), graph.node)
        add(
            node,
            okg("sourceRecord"),
            ox.NamedNode(f"urn:moalmanac:assertion:{item['assertion_id']}"),
        )
        add(node, okg("genotype"), genotype)
        add(node, okg("effect"), okg(effect))
        add(node, okg("direction"), okg(direction))
        add(node, okg("evidenceLevel"), okg(level[0]))
        add(node, okg("commonEvidenceLevel"), okg(level[1]))
        therapy = self._therapy(node, drugs, names)
        disease = self._disease(item)
        if disease is not None:
            add(node, okg("disease"), disease)
        else:
            add(node, okg("curatorNote"), english("MOAlmanac names no disease for it."))
        if str(item.get("context") or "").strip():
            add(node, okg("diseaseContext"), english(str(item["context"]).strip()))
        self._publication(node, item)
        if str(item.get("description") or "").strip():
            add(node, okg("sourceText"), english(str(item["description"]).strip()))
        disease_name = str(item.get("disease") or "") or "an unnamed disease"
        word = "supports" if direction == "Supports" else "disputes"
        label = (
            f"{feature_label(item)}: {effect.lower()} to {therapy} in {disease_name} "
            f"({word}; MOAlmanac assertion {item['assertion_id']}, "
            f"{item['predictive_implication']})"
        )
        add(node, RDFS_LABEL, english(label))
        return ""

    # ------------------------------------------------------------------ features
    def genotype(self, item: dict[str, Any]) -> ox.NamedNode | str:
        """The variant (a protein change) or the genotype group the assertion is about."""
        genes: list[tuple[Gene, ox.NamedNode]] = []
        for symbol in _genes(item):
            gene = self.vocabularies.gene(symbol)
            if gene is None:
                return f"gene {symbol!r} is not in HGNC"
            genes.append((gene, self.vocabularies.gene_node(self.graph, gene)))
        change = str(item.get("protein_change") or "").removeprefix("p.")
        match = PROTEIN_CHANGE.fullmatch(change)
        if item.get("feature_type") == "Somatic Variant" and len(genes) == 1 and match:
            gene, gene_node = genes[0]
            return self.vocabularies.variant_node(self.graph, gene, gene_node, change)
        label = feature_label(item)
        node = okr(f"moalmanac-feature-{slug(label)}")
        self.graph.add(node, RDF_TYPE, okg("GenotypeGroup"))
        self.graph.add(node, RDFS_LABEL, english(label))
        self.graph.add(node, okg("groupLevel"), okg(self._level(item, change)))
        for _, gene_node in genes:
            self.graph.add(node, okg("gene"), gene_node)
        codon = _CODON.fullmatch(change)
        if codon:
            self.graph.add(node, okg("codon"), integer(int(codon[1])))
        exon = str(item.get("exon") or "")
        if exon.isdigit() and int(exon) > 0 and not change:
            self.graph.add(node, okg("exon"), integer(int(exon)))
        return node

    @staticmethod
    def _level(item: dict[str, Any], change: str) -> str:
        if item.get("feature_type") not in ("Somatic Variant", "Germline Variant"):
            return "OtherLevel"
        if _CODON.fullmatch(change):
            return "CodonLevel"
        if change or str(item.get("variant_annotation") or ""):
            return "OtherLevel"
        return "ExonLevel" if str(item.get("exon") or "") else "GeneLevel"

    def _disease(self, item: dict[str, Any]) -> ox.NamedNode | None:
        """The disease by OncoTree code or name as the referenced files have it, else a node
        of its own for the OncoTree code."""
        code = str(item.get("oncotree_code") or "").strip()
        name = str(item.get("oncotree_term") or "").strip()
        known = self.disease_node(code) or self.disease_node(name)
        if known is not None or not code:
            return known
        node = okr(f"oncotree-{slug(code)}")
        self.graph.add(node, RDF_TYPE, okg("Disease"))
        self.graph.add(node, RDFS_LABEL, english(name or code))
        return node

    # ------------------------------------------------------------------ therapy, publication
    def _therapy(self, node: ox.NamedNode, drugs: list[ox.NamedNode], names: list[str]) -> str:
        if len(drugs) == 1:
            self.graph.add(node, okg("drug"), drugs[0])
            return names[0]
        group, _ = self.vocabularies.therapy_group(self.graph, drugs, names, "Combination")
        self.graph.add(node, okg("therapy"), group)
        return " + ".join(names)

    def _publication(self, node: ox.NamedNode, item: dict[str, Any]) -> None:
        pmid, doi = str(item.get("pmid") or ""), str(item.get("doi") or "").strip()
        url = str(item.get("url") or "").strip()
        if pmid.isdigit():
            paper = okr(f"pmid-{pmid}")
            self.graph.add(
                paper, okg("pubmed"), ox.NamedNode(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}")
            )
        elif doi:
            paper = okr(f"doi-{slug(doi)}")
        elif url.startswith(("https://", "http://")):
            paper = okr(f"moalmanac-source-{item.get('source_id')}")
        else:
            return
        dois = self.dois_by_pmid.get(pmid, {doi}) if pmid.isdigit() else {doi}
        if len(dois) > 1:
            note = (
                f"MOAlmanac gives PubMed {pmid} {len(dois)} different DOIs "
                f"({', '.join(sorted(dois))}); OncoKG records none of them."
            )
            self.graph.add(paper, okg("curatorNote"), english(note))
        elif doi.startswith("10."):
            self.graph.add(paper, okg("doi"), ox.NamedNode(f"https://doi.org/{doi}"))
        if url.startswith(("https://", "http://")) and not pmid.isdigit() and not doi:
            self.graph.add(paper, okg("webPage"), ox.NamedNode(url))
        self.graph.add(paper, RDF_TYPE, okg("Publication"))
        citation = str(item.get("citation") or "").strip() or url or doi
        self.graph.add(paper, RDFS_LABEL, english(citation))
        self.graph.add(node, okg("reportedIn"), paper)
        for nct in re.findall(r"NCT[0-9]{8}", str(item.get("nct") or "")):
            self.graph.add(
                node, okg("registryRecord"), ox.NamedNode(f"https://clinicaltrials.gov/study/{nct}")
            )
