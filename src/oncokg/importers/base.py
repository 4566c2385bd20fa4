"""What every importer shares: the graph it builds, its metadata, and saving it into a store.

>>> graph = ImportedGraph("civic", "2024-08-01", "CIViC", LICENCES["CC0-1.0"])
>>> graph.iri
'https://w3id.org/oncokg/graph/civic/2024-08-01'
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from oncokg import __version__
from oncokg.backend import GRAPH_NAMESPACE
from oncokg.disk_store import file_sha256
from oncokg.errors import InputError
from oncokg.namespaces import ONTOLOGY, PREFIXES, RESOURCE
from oncokg.terms import Iri

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
XSD = PREFIXES["xsd"]
VOID = "http://rdfs.org/ns/void#"
LICENCES = {
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "GPL-2.0": "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
}
_SOURCE_NAME = re.compile(r"[a-z][a-z0-9-]*")


def okg(local: str) -> ox.NamedNode:
    """A term of the OncoKG ontology."""
    return ox.NamedNode(ONTOLOGY + local)


def okr(local: str) -> ox.NamedNode:
    """An OncoKG resource IRI."""
    return ox.NamedNode(RESOURCE + local)


def term(prefix: str, local: str) -> ox.NamedNode:
    """An IRI from one of the project's prefixes."""
    return ox.NamedNode(PREFIXES[prefix] + local)


def english(text: str) -> ox.Literal:
    """An English literal."""
    return ox.Literal(text, language="en")


def integer(value: int) -> ox.Literal:
    """An ``xsd:integer`` literal."""
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


@dataclass(frozen=True)
class Skipped:
    """An input row an importer did not map, and why."""

    file: str
    line: int
    reason: str


@dataclass
class ImportedGraph:
    """The named graph of one release of one source, being built by an importer."""

    source: str
    release: str
    title: str
    licence: str
    notice: str | None = None
    triples: set[ox.Triple] = field(default_factory=set)
    inputs: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    out_of_scope: Counter[str] = field(default_factory=Counter)
    rows_read: int = 0
    statements: int = 0

    def __post_init__(self) -> None:
        if not _SOURCE_NAME.fullmatch(self.source):
            raise ValueError(f"bad source name {self.source!r}")
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", self.release):
            raise InputError(self.release, "a release is a date, YYYY-MM-DD (or YYYY-MM)")

    @property
    def iri(self) -> Iri:
        """The graph's IRI, ``.../graph/SOURCE/RELEASE``; also the release's node."""
        return Iri(f"{GRAPH_NAMESPACE}{self.source}/{self.release}")

    @property
    def node(self) -> ox.NamedNode:
        """The release as an RDF node (claims are ``prov:wasDerivedFrom`` it)."""
        return ox.NamedNode(self.iri)

    def add(self, subject: ox.NamedNode, predicate: ox.NamedNode, obj: object) -> None:
        """Add one triple."""
        self.triples.add(ox.Triple(subject, predicate, obj))  # type: ignore[arg-type]

    def skip(self, path: Path, line: int, reason: str) -> None:
        """Record a row that is not imported, with the reason."""
        self.skipped.append(Skipped(path.name, line, reason))

    def metadata(self) -> None:
        """Describe the release in its own graph: licence, inputs, counts, skipped rows."""
        node = self.node
        void, dcterms, prov = VOID, PREFIXES["dcterms"], PREFIXES["prov"]
        self.add(node, RDF_TYPE, okg("KnowledgeBaseRelease"))
        self.add(node, RDF_TYPE, ox.NamedNode(void + "Dataset"))
        self.add(node, RDFS_LABEL, english(f"{self.title} release {self.release}"))
        self.add(node, ox.NamedNode(dcterms + "title"), english(self.title))
        self.add(node, ox.NamedNode(dcterms + "license"), ox.NamedNode(self.licence))
        kind = "date" if len(self.release) == 10 else "gYearMonth"
        date = ox.Literal(self.release, datatype=ox.NamedNode(XSD + kind))
        self.add(node, okg("releaseDate"), date)
        self.add(node, okg("importerVersion"), ox.Literal(__version__))
        if self.notice:
            self.add(node, okg("licenceNotice"), english(self.notice))
        activity = okr(f"import-{self.source}-{self.release}")
        self.add(node, ox.NamedNode(prov + "wasGeneratedBy"), activity)
        self.add(activity, RDF_TYPE, ox.NamedNode(prov + "Activity"))
        self.add(activity, RDFS_LABEL, english(f"OncoKG import of {self.title} {self.release}"))
        for path in self.inputs:
            file_node = okr(f"import-{self.source}-{self.release}-file-{path.name}")
            self.add(activity, ox.NamedNode(prov + "used"), file_node)
            self.add(node, okg("inputFile"), file_node)
            self.add(file_node, okg("fileName"), ox.Literal(path.name))
            self.add(file_node, okg("sha256"), ox.Literal(file_sha256(path)))
        self.add(node, okg("rowsRead"), integer(self.rows_read))
        self.add(node, okg("statementCount"), integer(self.statements))
        self.add(node, okg("skippedCount"), integer(len(self.skipped)))
        for number, skipped in enumerate(self.skipped, start=1):
            record = okr(f"import-{self.source}-{self.release}-skipped-{number}")
            self.add(node, okg("skippedRecord"), record)
            self.add(record, RDF_TYPE, okg("SkippedRecord"))
            self.add(record, okg("fileName"), ox.Literal(skipped.file))
            self.add(record, okg("lineNumber"), integer(skipped.line))
            self.add(record, okg("reason"), english(skipped.reason))
        for reason, count in sorted(self.out_of_scope.items()):
            self.add(node, okg("outOfScope"), english(f"{_rows(count)}: {reason}"))
        self.add(node, ox.NamedNode(void + "triples"), integer(len(self.triples) + 1))

    def ntriples(self) -> bytes:
        """The graph as sorted N-Triples: the same release gives the same bytes."""
        data = ox.serialize(list(self.triples), format=ox.RdfFormat.N_TRIPLES) or b""
        lines = data.splitlines()
        return b"".join(line + b"\n" for line in sorted(set(lines)))

    def summary(self) -> str:
        """A one-screen summary of the import."""
        lines = [
            f"{self.title} {self.release} -> graph {self.iri}",
            f"  rows read: {self.rows_read:,}; statements: {self.statements:,}; "
            f"triples: {len(self.triples):,}",
            f"  skipped: {_rows(len(self.skipped))} (listed in the graph's metadata)",
        ]
        reasons = Counter(s.reason.split(":")[0] for s in self.skipped)
        lines += [f"    {n:>6}  {reason}" for reason, n in reasons.most_common(8)]
        lines += [f"  not imported: {_rows(n)}, {r}" for r, n in sorted(self.out_of_scope.items())]
        return "\n".join(lines)


def _rows(count: int) -> str:
    """``1 row``, ``2633 rows``."""
    return f"{count} row" if count == 1 else f"{count} rows"


def read_tsv(
    path: Path, required: tuple[str, ...], layout: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a TSV file with their line numbers; refuses a file without the ``required``
    columns (naming them, and ``layout``, the layout the importer expects). A row whose
    field count differs from the header's comes back as ``{"__bad__": reason}``."""
    from oncokg.rdf_files import read_text

    return parse_tsv(path, read_text(path), required, layout, quoted=False)


def parse_tsv(
    path: Path, text: str, required: tuple[str, ...], layout: str, *, quoted: bool
) -> Iterator[tuple[int, dict[str, str]]]:
    """:func:`read_tsv` on text already read (say, decompressed); ``quoted`` when fields may
    be in double quotes (DrugCentral's), not when quotes are data (CIViC's)."""
    if quoted:
        reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_MINIMAL)
    else:
        reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None:
        raise InputError(path, "is empty; expected a header row", line=1)
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            path, f"lacks the columns {', '.join(missing)}: not the {layout} layout", line=1
        )
    width = len(header)
    for number, row in enumerate(reader, start=2):
        if len(row) != width:
            yield number, {"__bad__": f"{len(row)} fields where the header has {width}"}
            continue
        yield number, dict(zip(header, row, strict=True))
