"""One node per real thing: how importers name genes, variants, drugs and diseases.

Every importer mints IRIs through :class:`Vocabularies`, so the same gene, variant, drug or
disease gets the same node whichever source names it, and the node the curated graph already
has when it has one:

- genes by HGNC: ``okr:<symbol>`` (aliases and NCBI Gene IDs resolve to the symbol: PD-L1 is
  CD274);
- protein-change variants by gene and change: ``okr:<symbol>-<change>`` (``okr:KIT-T670I``, as
  curated);
- drugs by name, lower-cased, salt forms removed (Imatinib Mesylate is imatinib), matched
  against the curated drugs' labels and synonyms first;
- diseases by DOID: the curated node with that DOID, or ``okr:doid-<n>``.

>>> normalise_drug_name("Imatinib Mesylate")
'imatinib'
>>> slug("Trastuzumab Deruxtecan")
'trastuzumab-deruxtecan'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from oncokg.errors import InputError
from oncokg.namespaces import ONTOLOGY, PREFIXES, RESOURCE

if TYPE_CHECKING:
    from oncokg.importers.base import ImportedGraph

THERAPY_JOINERS = {"Combination": " + ", "Substitutes": " or ", "Sequential": " then "}
PROTEIN_CHANGE = re.compile(r"([ACDEFGHIKLMNPQRSTVWY])([1-9][0-9]*)([ACDEFGHIKLMNPQRSTVWY*])")
_SALTS = (
    "mesylate",
    "mesilate",
    "hydrochloride",
    "dihydrochloride",
    "sulfate",
    "sulphate",
    "maleate",
    "tosylate",
    "citrate",
    "malate",
    "phosphate",
    "sodium",
    "potassium",
    "besylate",
    "dimaleate",
    "ditosylate",
    "acetate",
    "fumarate",
    "tartrate",
    "hydrobromide",
    "monohydrate",
    "hemifumarate",
)


def slug(text: str) -> str:
    """An IRI-safe local name: lower case ASCII letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def normalise_drug_name(name: str) -> str:
    """A drug name as OncoKG keys it: lower case, single spaces, salt forms removed."""
    words = " ".join(name.lower().split()).split(" ")
    while len(words) > 1 and words[-1] in _SALTS:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class Gene:
    """A gene as HGNC gives it."""

    symbol: str
    hgnc_id: str
    ncbi_gene: str | None
    name: str


@dataclass
class Vocabularies:
    """The reference data and the curated graph's names an import maps onto."""

    genes_by_symbol: dict[str, Gene] = field(default_factory=dict)
    genes_by_entrez: dict[str, Gene] = field(default_factory=dict)
    genes_by_alias: dict[str, Gene] = field(default_factory=dict)
    sequence_ontology: dict[str, str] = field(default_factory=dict)
    curated_drugs: dict[str, str] = field(default_factory=dict)
    curated_diseases: dict[str, str] = field(default_factory=dict)
    curated_entities: set[str] = field(default_factory=set)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, hgnc: Path, sequence_ontology: Path | None = None) -> Vocabularies:
        """HGNC genes (the HGNC TSV download), Sequence Ontology names (``so.obo``), and the
        names the curated graph already uses."""
        vocabularies = cls()
        vocabularies._read_hgnc(hgnc)
        if sequence_ontology is not None:
            vocabularies._read_sequence_ontology(sequence_ontology)
        vocabularies._read_curated()
        return vocabularies

    def _read_hgnc(self, path: Path) -> None:
        from oncokg.importers.base import read_tsv

        required = ("HGNC ID", "Approved symbol", "Approved name", "Status", "Alias symbols")
        entrez_column = "NCBI Gene ID(supplied by NCBI)"
        for line, row in read_tsv(path, required, "HGNC"):
            if "__bad__" in row:
                raise InputError(path, row["__bad__"], line=line)
            if row["Status"] != "Approved":
                continue
            gene = Gene(
                symbol=row["Approved symbol"],
                hgnc_id=row["HGNC ID"].removeprefix("HGNC:"),
                ncbi_gene=row.get(entrez_column) or None,
                name=row["Approved name"],
            )
            self.genes_by_symbol[gene.symbol] = gene
            self.genes_by_alias[gene.symbol.upper()] = gene  # HGNC symbols differ beyond case
            if gene.ncbi_gene:
                self.genes_by_entrez[gene.ncbi_gene] = gene
            aliases = f"{row['Alias symbols']},{row.get('Previous symbols', '')}"
            for alias in aliases.split(","):
                alias = alias.strip()
                if alias:
                    self.genes_by_alias.setdefault(alias.upper(), gene)
        if not self.genes_by_symbol:
            raise InputError(path, "has no approved HGNC genes")

    def _read_sequence_ontology(self, path: Path) -> None:
        from oncokg.rdf_files import read_text

        identifier = None
        for line in read_text(path).splitlines():
            if line.startswith("id: SO:"):
                identifier = line[4:].strip()
            elif line.startswith("name: ") and identifier:
                self.sequence_ontology[line[6:].strip()] = identifier
                identifier = None
            elif line == "[Term]":
                identifier = None
        if not self.sequence_ontology:
            raise InputError(path, "has no Sequence Ontology terms (expected so.obo)")

    def _read_curated(self) -> None:
        from oncokg.api import OncoKG

        with OncoKG.open() as kg:
            for row in kg.query("curated-names"):
                entity, kind, name = str(row["entity"]), str(row["kind"]), str(row["name"])
                self.curated_entities.add(entity)
                if kind == "drug":
                    self.curated_drugs.setdefault(normalise_drug_name(name), entity)
                elif kind == "disease":
                    self.curated_diseases.setdefault(name, entity)

    # ------------------------------------------------------------------ naming
    def gene(self, symbol: str, entrez: str | None = None) -> Gene | None:
        """The HGNC gene for an NCBI Gene ID or a symbol, in any case (an alias resolves to its
        gene, a symbol before an alias)."""
        if entrez and entrez in self.genes_by_entrez:
            return self.genes_by_entrez[entrez]
        return self.genes_by_symbol.get(symbol) or self.genes_by_alias.get(symbol.upper())

    @staticmethod
    def gene_iri(gene: Gene) -> str:
        """``okr:<symbol>``."""
        return RESOURCE + gene.symbol

    @staticmethod
    def variant_iri(gene: Gene, change: str) -> str:
        """``okr:<symbol>-<change>`` for a protein change like T670I."""
        return f"{RESOURCE}{gene.symbol}-{change}"

    def drug_iri(self, name: str) -> str:
        """The curated drug of that name, or ``okr:<slug of the normalised name>``."""
        key = normalise_drug_name(name)
        return self.curated_drugs.get(key) or RESOURCE + slug(key)

    def disease_iri(self, doid: str) -> str:
        """The curated disease with that DOID (digits), or ``okr:doid-<n>``."""
        return (
            self.curated_diseases.get(f"{PREFIXES['obo']}DOID_{doid}") or f"{RESOURCE}doid-{doid}"
        )

    def is_curated(self, iri: str) -> bool:
        """True when the curated graph already describes this entity (importers then only
        refer to it, never relabel it)."""
        return iri in self.curated_entities

    # ------------------------------------------------------------------ nodes
    def gene_node(self, graph: ImportedGraph, gene: Gene) -> ox.NamedNode:
        """The gene's node; described in ``graph`` (label, symbol, HGNC and NCBI Gene IDs)
        unless the curated graph describes it already."""
        from oncokg.importers.base import RDF_TYPE, RDFS_LABEL, english, okg, term

        node = ox.NamedNode(self.gene_iri(gene))
        if not self.is_curated(node.value):
            graph.add(node, RDF_TYPE, okg("Gene"))
            graph.add(node, RDFS_LABEL, english(gene.symbol))
            graph.add(node, okg("symbol"), ox.Literal(gene.symbol))
            graph.add(node, okg("hgnc"), term("hgnc", gene.hgnc_id))
            if gene.ncbi_gene:
                graph.add(node, okg("ncbiGene"), term("ncbigene", gene.ncbi_gene))
        return node

    def drug_node(self, graph: ImportedGraph, name: str) -> ox.NamedNode:
        """The drug's node; typed and labelled in ``graph`` unless the curated graph describes
        it already."""
        from oncokg.importers.base import RDF_TYPE, RDFS_LABEL, english, okg

        node = ox.NamedNode(self.drug_iri(name))
        if not self.is_curated(node.value):
            graph.add(node, RDF_TYPE, okg("Drug"))
            # the label comes from the IRI, so every importer gives a node the same one
            graph.add(node, RDFS_LABEL, english(node.value.rsplit("/", 1)[1].replace("-", " ")))
        return node

    def variant_node(
        self, graph: ImportedGraph, gene: Gene, gene_node: ox.NamedNode, change: str
    ) -> ox.NamedNode:
        """The variant of ``gene`` with protein ``change`` (T670I); described in ``graph``
        (label, gene, HGVS change, codon, amino acids) unless the curated graph describes it."""
        from oncokg.importers.base import RDF_TYPE, RDFS_LABEL, english, integer, okg

        match = PROTEIN_CHANGE.fullmatch(change)
        if match is None:
            raise ValueError(f"{change!r} is not a protein change like T670I")
        node = ox.NamedNode(self.variant_iri(gene, change))
        if not self.is_curated(node.value):
            graph.add(node, RDF_TYPE, okg("Variant"))
            graph.add(node, RDFS_LABEL, english(f"{gene.symbol} {change}"))
            graph.add(node, okg("gene"), gene_node)
            graph.add(node, okg("proteinChange"), ox.Literal(f"p.{change}"))
            graph.add(node, okg("codon"), integer(int(match[2])))
            graph.add(node, okg("referenceAminoAcid"), ox.Literal(match[1]))
            graph.add(node, okg("alternateAminoAcid"), ox.Literal(match[3]))
        return node

    @staticmethod
    def therapy_group(
        graph: ImportedGraph, drugs: list[ox.NamedNode], names: list[str], interaction: str
    ) -> tuple[ox.NamedNode, str]:
        """The group of ``drugs`` given as ``interaction`` (Combination, Substitutes,
        Sequential), and its label: one node per set of drugs and interaction, whichever
        source names it."""
        from oncokg.importers.base import RDF_TYPE, RDFS_LABEL, english, okg, okr

        key = "-".join(sorted(d.value.rsplit("/", 1)[1] for d in drugs))
        node = okr(f"therapy-{interaction.lower()}-{slug(key)}")
        label = THERAPY_JOINERS[interaction].join(sorted(n.lower() for n in names))
        graph.add(node, RDF_TYPE, okg("TherapyGroup"))
        graph.add(node, RDFS_LABEL, english(label))
        graph.add(node, okg("interactionType"), okg(interaction))
        for drug in drugs:
            graph.add(node, okg("hasMember"), drug)
        return node, label

    def so_term(self, name: str) -> str | None:
        """The Sequence Ontology IRI of a variant type name (``missense_variant``)."""
        identifier = self.sequence_ontology.get(name)
        return f"{PREFIXES['obo']}{identifier.replace(':', '_')}" if identifier else None


__all__ = [
    "ONTOLOGY",
    "PROTEIN_CHANGE",
    "THERAPY_JOINERS",
    "Gene",
    "Vocabularies",
    "normalise_drug_name",
    "slug",
]
