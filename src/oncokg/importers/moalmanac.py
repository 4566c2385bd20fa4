"""Molecular Oncology Almanac (GPL-2.0, research use only): FDA-approval-backed statements.

Reads the ``referenced/*.json`` files of a moalmanac-db release (statements, propositions,
biomarkers, genes, therapies, therapy groups, diseases, documents, indications, strengths,
about). MOAlmanac is already shaped like VA-Spec; each statement becomes an
``okg:DrugResponseStatement``: its biomarker (a protein change becomes the shared variant node,
so MOAlmanac's KRAS p.G12C is the curated KRAS G12C; other biomarkers are genotype groups; several
biomarkers are a molecular profile), its therapy or therapy group, its disease (OncoTree or
NCIt coded; MOAlmanac gives no DOID, so these are separate disease nodes), direction, strength
(with the common level), the FDA label it is reported in with the indication's approval date.
A disease coded by NCIt (its own code or an exact mapping) records the code, which the Disease
Ontology's NCIt cross-references tie to its DOID. When the folder also holds MOAlmanac's flat
``molecular-oncology-almanac.json``, its assertions below FDA approval (guideline, clinical
trial, clinical evidence, preclinical, inferential) come in too
(:mod:`oncokg.importers.moalmanac_assertions`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from oncokg.errors import InputError
from oncokg.importers.base import (
    LICENCES,
    RDF_TYPE,
    RDFS_LABEL,
    ImportedGraph,
    english,
    okg,
    okr,
    term,
)
from oncokg.importers.moalmanac_assertions import FILE as ASSERTIONS_FILE
from oncokg.importers.moalmanac_assertions import AssertionMapper
from oncokg.importers.vocabularies import PROTEIN_CHANGE, Vocabularies, slug

FILES = (
    "about",
    "mappings",
    "statements",
    "propositions",
    "biomarkers",
    "genes",
    "therapies",
    "therapy_groups",
    "diseases",
    "documents",
    "indications",
    "strengths",
)
NOTICE = (
    "Molecular Oncology Almanac, GPL-2.0: for research use only; diagnostic and clinical use "
    "prohibited; not to be used as the basis of a commercial product."
)
PREDICATES = {"predictSensitivityTo": "Sensitivity", "predictResistanceTo": "Resistance"}
STRENGTHS = {"Approval": "MoaApproval"}


def _load(folder: Path, name: str) -> Any:
    from oncokg.rdf_files import read_text

    path = folder / f"{name}.json"
    if not path.exists():
        raise InputError(folder, f"has no {name}.json: not a Molecular Oncology Almanac release")
    try:
        return json.loads(read_text(path))
    except ValueError as err:
        raise InputError(path, f"is not valid JSON ({err}); download it again") from None


def statement_count(folder: Path) -> int:
    """How many statements and flat-file assertions a release holds (for a progress bar)."""
    statements = _load(folder, "statements")
    count = len(statements) if isinstance(statements, list) else 0
    if (folder / ASSERTIONS_FILE).exists():
        assertions = _load(folder, ASSERTIONS_FILE.removesuffix(".json"))
        count += len(assertions) if isinstance(assertions, list) else 0
    return count


def import_moalmanac(
    folder: Path,
    vocabularies: Vocabularies,
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportedGraph:
    """Map one MOAlmanac release onto the evidence model; see the module documentation."""
    if not folder.is_dir():
        raise InputError(folder, "is not a folder; give the folder of a MOAlmanac release")
    data = {name: _load(folder, name) for name in FILES}
    about = data["about"]
    if not isinstance(about, dict) or "last_updated" not in about:
        raise InputError(folder / "about.json", "has no last_updated date: not MOAlmanac's")
    graph = ImportedGraph(
        "moalmanac", str(about["last_updated"]), "Molecular Oncology Almanac", LICENCES["GPL-2.0"]
    )
    graph.notice = NOTICE
    graph.inputs = [folder / f"{name}.json" for name in FILES]
    mapper = _Mapper(graph, vocabularies, data)
    for position, statement in enumerate(data["statements"], start=1):
        graph.rows_read += 1
        if progress:
            progress(1)
        problem = mapper.statement(statement)
        if problem:  # for a JSON list, the "line" is the entry's position in it
            graph.skip(
                folder / "statements.json", position, f"{problem}: statement {statement.get('id')}"
            )
        else:
            graph.statements += 1
    flat_file = folder / ASSERTIONS_FILE
    if flat_file.exists():
        items = _load(folder, ASSERTIONS_FILE.removesuffix(".json"))
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and "assertion_id" in i and "feature_type" in i for i in items
        ):
            raise InputError(flat_file, "is not MOAlmanac's flat assertion list")
        graph.inputs.append(flat_file)
        AssertionMapper(graph, vocabularies, mapper.disease_by_code_or_name, mapper.drug).read(
            flat_file, items, progress
        )
    graph.metadata()
    return graph


class _Mapper:
    def __init__(
        self, graph: ImportedGraph, vocabularies: Vocabularies, data: dict[str, Any]
    ) -> None:
        self.graph = graph
        self.vocabularies = vocabularies
        self.index = {
            name: {item["id"]: item for item in data[name]}
            for name in FILES
            if name not in ("about",)
        }
        self.labels: dict[str, str] = {}  # therapy and therapy group labels, for statements
        self.diseases_by_key: dict[str, int] = {}  # OncoTree code or name -> disease id
        self.ncit_for_oncotree = {  # MOAlmanac's exact NCIt <-> OncoTree mappings
            str(m["coding_id"]): str(m["primary_coding_id"])
            for m in data["mappings"]
            if m.get("relation") == "exactMatch"
            and str(m.get("coding_id")).startswith("oncotree:")
            and str(m.get("primary_coding_id")).startswith("ncit:")
        }
        for item in data["diseases"]:
            code = str(item.get("primary_coding_id") or "")
            if code.startswith("oncotree:"):
                self.diseases_by_key.setdefault(code.removeprefix("oncotree:"), item["id"])
            self.diseases_by_key.setdefault(str(item.get("name")), item["id"])

    def statement(self, item: dict[str, Any]) -> str:
        proposition = self.index["propositions"].get(item.get("proposition_id"))
        if proposition is None:
            return f"proposition {item.get('proposition_id')} is missing"
        effect = PREDICATES.get(proposition.get("predicate", ""))
        if effect is None:
            return f"predicate {proposition.get('predicate')!r} is not mapped"
        genotype = self.genotype(proposition.get("biomarkers") or [])
        if isinstance(genotype, str):
            return genotype
        therapy = self.therapy(proposition)
        if isinstance(therapy, str):
            return therapy
        node = okr(f"moalmanac-statement-{item['id']}")
        add, graph = self.graph.add, self.graph
        add(node, RDF_TYPE, okg("DrugResponseStatement"))
        add(node, term("prov", "wasDerivedFrom"), graph.node)
        add(node, okg("sourceRecord"), ox.NamedNode(f"urn:moalmanac:statement:{item['id']}"))
        add(node, okg("genotype"), genotype)
        add(node, okg("effect"), okg(effect))
        direction = {"supports": "Supports", "disputes": "Disputes"}.get(item.get("direction", ""))
        if direction:
            add(node, okg("direction"), okg(direction))
        strength = self.index["strengths"].get(item.get("strength_id"), {}).get("name")
        if strength in STRENGTHS:
            add(node, okg("evidenceLevel"), okg(STRENGTHS[strength]))
            add(node, okg("commonEvidenceLevel"), okg("LevelA"))
        kind, drug = therapy
        add(node, okg(kind), drug)
        disease = self.disease(proposition.get("conditionQualifier_id"))
        if disease is not None:
            add(node, okg("disease"), disease)
        for document in item.get("reportedIn") or []:
            add(node, okg("reportedIn"), self.document(document))
        if item.get("description"):
            add(node, okg("sourceText"), english(str(item["description"])))
        biomarkers = " AND ".join(
            str(self.index["biomarkers"][b]["name"]) for b in proposition["biomarkers"]
        )
        label = (
            f"{biomarkers}: {effect.lower()} to {self.labels[drug.value]} (MOAlmanac {item['id']})"
        )
        add(node, RDFS_LABEL, english(label))
        return ""

    # ------------------------------------------------------------------ biomarkers
    def genotype(self, ids: list[int]) -> ox.NamedNode | str:
        nodes = []
        for identifier in ids:
            biomarker = self.index["biomarkers"].get(identifier)
            if biomarker is None:
                return f"biomarker {identifier} is missing"
            node = self.biomarker(biomarker)
            if isinstance(node, str):
                return node
            nodes.append(node)
        if not nodes:
            return "the proposition names no biomarker"
        if len(nodes) == 1:
            return nodes[0]
        profile = okr("moalmanac-profile-" + "-".join(str(i) for i in sorted(ids)))
        names = " AND ".join(str(self.index["biomarkers"][i]["name"]) for i in sorted(ids))
        self.graph.add(profile, RDF_TYPE, okg("MolecularProfile"))
        self.graph.add(profile, RDFS_LABEL, english(names))
        self.graph.add(profile, okg("profileExpression"), ox.Literal(names))
        for node in nodes:
            self.graph.add(profile, okg("hasMember"), node)
        return profile

    def biomarker(self, biomarker: dict[str, Any]) -> ox.NamedNode | str:
        extensions = {e["name"]: e.get("value") for e in biomarker.get("extensions", [])}
        genes = [self.index["genes"].get(g) for g in biomarker.get("genes") or []]
        gene_nodes = []
        for gene_item in genes:
            if gene_item is None:
                return "a biomarker names a missing gene"
            gene = self.vocabularies.gene(str(gene_item["name"]))
            if gene is None:
                return f"gene {gene_item['name']!r} is not in HGNC"
            gene_nodes.append((gene, self.vocabularies.gene_node(self.graph, gene)))
        change = str(extensions.get("protein_change") or "").removeprefix("p.")
        if len(gene_nodes) == 1 and PROTEIN_CHANGE.fullmatch(change):
            gene, gene_node = gene_nodes[0]
            return self.vocabularies.variant_node(self.graph, gene, gene_node, change)
        node = okr(f"moalmanac-biomarker-{biomarker['id']}")
        self.graph.add(node, RDF_TYPE, okg("GenotypeGroup"))
        self.graph.add(node, RDFS_LABEL, english(str(biomarker["name"])))
        level = "WildTypeLevel" if extensions.get("biomarker_type") == "Wild type" else "OtherLevel"
        self.graph.add(node, okg("groupLevel"), okg(level))
        for _, gene_node in gene_nodes:
            self.graph.add(node, okg("gene"), gene_node)
        return node

    # ------------------------------------------------------------------ therapies
    def therapy(self, proposition: dict[str, Any]) -> tuple[str, ox.NamedNode] | str:
        if proposition.get("therapy_id") is not None:
            item = self.index["therapies"].get(proposition["therapy_id"])
            if item is None:
                return f"therapy {proposition['therapy_id']} is missing"
            drug = self._drug(item)
            self.labels[drug.value] = str(item["name"])
            return "drug", drug
        group = self.index["therapy_groups"].get(proposition.get("therapy_group_id"))
        if group is None:
            return "the proposition names no therapy"
        members = [self.index["therapies"].get(t) for t in group.get("therapies") or []]
        if not members or any(m is None for m in members):
            return f"therapy group {group['id']} names a missing therapy"
        drugs = [self._drug(m) for m in members if m is not None]
        operator = group.get("membershipOperator")
        interaction = {"AND": "Combination", "OR": "Substitutes"}.get(operator)
        if interaction is None:
            return f"therapy group operator {operator!r} is not mapped"
        names = [str(m["name"]) for m in members if m is not None]
        node, label = self.vocabularies.therapy_group(self.graph, drugs, names, interaction)
        self.labels[node.value] = label
        return "therapy", node

    def _drug(self, item: dict[str, Any]) -> ox.NamedNode:
        return self.drug(str(item["name"]), [{"coding": {"id": item.get("primary_coding_id")}}])

    def drug(self, name: str, mappings: list[dict[str, Any]]) -> ox.NamedNode:
        """The drug's node, with the NCIt code of the mapping that names it (or the only one)."""
        node = self.vocabularies.drug_node(self.graph, name)
        codings = [m.get("coding") or {} for m in mappings]
        if len(codings) > 1:
            codings = [c for c in codings if str(c.get("name", "")).lower() == name.lower()]
        for coding in codings[:1]:
            code = str(coding.get("id") or "")
            if code.startswith("ncit:C") and code[6:].isdigit():
                self.graph.add(node, okg("ncit"), term("obo", f"NCIT_{code[5:]}"))
        return node

    # ------------------------------------------------------------------ diseases, documents
    def disease(self, identifier: int | None) -> ox.NamedNode | None:
        item = self.index["diseases"].get(identifier)
        if item is None:
            return None
        code = str(item.get("primary_coding_id") or f"moalmanac:{identifier}")
        mappings = self.index["mappings"]
        codes = [code] + [
            str(mappings[m]["coding_id"])
            for m in item.get("mappings") or []
            if m in mappings and mappings[m].get("relation") == "exactMatch"
        ]
        codes += [self.ncit_for_oncotree[code]] if code in self.ncit_for_oncotree else []
        ncit = list(dict.fromkeys(c for c in codes if c.startswith("ncit:C") and c[6:].isdigit()))
        # keyed by its NCIt code when it has one: two entries of the same concept are one node
        node = okr(slug((ncit[0] if ncit else code).replace(":", "-")))
        self.graph.add(node, RDF_TYPE, okg("Disease"))
        self.graph.add(node, RDFS_LABEL, english(str(item["name"])))
        for concept in ncit:
            self.graph.add(node, okg("ncit"), term("obo", f"NCIT_{concept[5:]}"))
        return node

    def disease_by_code_or_name(self, key: str) -> ox.NamedNode | None:
        """The disease the flat file names by OncoTree code or by name, as ``disease`` maps it."""
        identifier = self.diseases_by_key.get(key) if key else None
        return self.disease(identifier) if identifier is not None else None

    def document(self, identifier: str) -> ox.NamedNode:
        item = self.index["documents"].get(identifier, {"name": identifier})
        node = okr(f"moalmanac-{slug(identifier)}")
        self.graph.add(node, RDF_TYPE, okg("Publication"))
        self.graph.add(node, RDFS_LABEL, english(str(item.get("name") or identifier)))
        pmid = str(item.get("pmid") or "")
        if pmid.isdigit():
            self.graph.add(
                node, okg("pubmed"), ox.NamedNode(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}")
            )
        return node
