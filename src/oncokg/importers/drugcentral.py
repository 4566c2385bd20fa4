"""DrugCentral drug-target interactions (CC BY-SA 4.0): mechanisms of action and action types.

Reads DrugCentral's drug-target table (``drug.target.interaction.tsv``, plain or gzipped).
Each human drug-gene pair that DrugCentral names as a mechanism of action (its MOA flag) or
gives an action type for becomes one ``okg:DrugTargetInteraction``: the drug (by normalised
name, so DrugCentral's imatinib is the curated one), the gene (by HGNC symbol), the action
mapped onto OncoKG's actions with DrugCentral's own term kept (``okg:sourceActionType``), and
the MOA flag. A target of several genes (``GRIN1|GRIN2A``) gives one interaction per gene.
Bioactivity rows without an action type, and non-human targets, are counted as out of scope;
rows that cannot be mapped are listed with the reason.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

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
    parse_tsv,
    term,
)
from oncokg.importers.vocabularies import Gene, Vocabularies, slug

COLUMNS = ("DRUG_NAME", "STRUCT_ID", "TARGET_NAME", "GENE", "MOA", "ACTION_TYPE", "ORGANISM")
LAYOUT = "DrugCentral drug-target interaction"
ACTIONS = {
    "INHIBITOR": "Inhibits",
    "ANTISENSE INHIBITOR": "Inhibits",
    "MINIMUM INHIBITORY CONCENTRATION": "Inhibits",
    "BLOCKER": "Blocks",
    "AGONIST": "Activates",
    "PARTIAL AGONIST": "Activates",
    "ACTIVATOR": "Activates",
    "OPENER": "Activates",
    "POSITIVE MODULATOR": "Activates",
    "POSITIVE ALLOSTERIC MODULATOR": "Activates",
    "ANTAGONIST": "Antagonises",
    "INVERSE AGONIST": "Antagonises",
    "ALLOSTERIC ANTAGONIST": "Antagonises",
    "NEGATIVE MODULATOR": "Antagonises",
    "NEGATIVE ALLOSTERIC MODULATOR": "Antagonises",
    "ANTIBODY BINDING": "Binds",
    "CHELATING AGENT": "Binds",
    "SEQUESTERING AGENT": "Binds",
    "CROSS-LINKING AGENT": "Binds",
    "ALKYLATING AGENT": "Binds",
    "MODULATOR": "Modulates",
    "PHARMACOLOGICAL CHAPERONE": "Modulates",
    "RELEASING AGENT": "Modulates",
    "SUBSTRATE": "Modulates",
    "HYDROLYTIC ENZYME": "Modulates",
    "OXIDATIVE ENZYME": "Modulates",
    "MEMBRANE PERMEABILIZER": "Modulates",
    "OTHER": "Modulates",
}


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of the table with their line numbers; refuses another layout."""
    from oncokg.rdf_files import check_readable, decode_utf8

    check_readable(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise InputError(path, f"is a damaged gzip file ({err}); download it again") from None
    text = decode_utf8(path, raw)
    rows = list(parse_tsv(path, text, COLUMNS, LAYOUT, quoted=True))
    return rows


def import_drugcentral(
    path: Path,
    vocabularies: Vocabularies,
    *,
    date: str,
    progress: Callable[[int], None] | None = None,
) -> ImportedGraph:
    """Map DrugCentral's drug-target table onto drug-target interactions; see the module."""
    graph = ImportedGraph("drugcentral", date, "DrugCentral", LICENCES["CC-BY-SA-4.0"])
    graph.notice = "CC BY-SA 4.0: credit DrugCentral and share derived data under the same licence."
    graph.inputs = [path]
    claims: dict[str, tuple[ox.NamedNode, str]] = {}  # one action per pair: the first given
    for line, row in read_rows(path):
        graph.rows_read += 1
        if progress:
            progress(1)
        if "__bad__" in row:
            graph.skip(path, line, f"malformed row: {row['__bad__']}")
            continue
        if row["ORGANISM"] != "Homo sapiens":
            graph.out_of_scope["targets of other organisms"] += 1
            continue
        action_type = row["ACTION_TYPE"].strip()
        if not action_type and row["MOA"] != "1":
            graph.out_of_scope["activity measurements without an action type"] += 1
            continue
        action = ACTIONS.get(action_type, "UnspecifiedAction" if not action_type else "")
        if not action:
            graph.skip(path, line, f"unknown action type {action_type!r}")
            continue
        genes = [g.strip() for g in row["GENE"].split("|") if g.strip()]
        if not genes:
            graph.skip(path, line, f"no gene for target {row['TARGET_NAME']!r}")
            continue
        unknown = [g for g in genes if vocabularies.gene(g) is None]
        if unknown:
            graph.skip(path, line, f"gene {unknown[0]!r} is not in HGNC")
            continue
        drug = _drug(graph, vocabularies, row)
        for symbol in genes:
            gene = vocabularies.gene(symbol)
            assert gene is not None
            key = f"drugcentral-{row['STRUCT_ID']}-{gene.symbol}"
            if key not in claims:
                claims[key] = (okr(slug(key)), action)
                _claim(graph, vocabularies, claims[key][0], drug, gene, row)
                graph.statements += 1
            claim, first = claims[key]
            if first == "UnspecifiedAction" and action != first:
                claims[key] = (claim, action)
            if action_type:
                graph.add(claim, okg("sourceActionType"), ox.Literal(action_type))
            if row["MOA"] == "1":
                graph.add(claim, okg("isMechanismOfAction"), _TRUE)
    for claim, action in claims.values():
        graph.add(claim, okg("action"), okg(action))
    graph.metadata()
    return graph


_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def _drug(graph: ImportedGraph, vocabularies: Vocabularies, row: dict[str, str]) -> ox.NamedNode:
    node = vocabularies.drug_node(graph, row["DRUG_NAME"])
    if row["STRUCT_ID"].isdigit():
        graph.add(node, okg("drugCentral"), term("drugcentral", row["STRUCT_ID"]))
    return node


def _claim(
    graph: ImportedGraph,
    vocabularies: Vocabularies,
    claim: ox.NamedNode,
    drug: ox.NamedNode,
    gene: Gene,
    row: dict[str, str],
) -> None:
    gene_node = vocabularies.gene_node(graph, gene)
    graph.add(claim, RDF_TYPE, okg("DrugTargetInteraction"))
    graph.add(claim, term("prov", "wasDerivedFrom"), graph.node)
    record = f"https://drugcentral.org/drugcard/{row['STRUCT_ID']}"
    graph.add(claim, okg("sourceRecord"), ox.NamedNode(record))
    graph.add(claim, okg("drug"), drug)
    graph.add(claim, okg("target"), gene_node)
    drug_name = row["DRUG_NAME"]
    label = f"{drug_name} -> {gene.symbol} ({row['TARGET_NAME']}; DrugCentral)"
    graph.add(claim, RDFS_LABEL, english(label))
