"""``oncokg release``: the versioned artefacts of a tagged version, with their description.

One folder per version, written whole or not at all (built in a temporary folder, renamed)::

    oncokg-0.1.0/
      oncokg-0.1.0.ttl  .nt  .jsonld     the graph (JSON-LD with an @context)
      tables/*.tsv                        flat views of the graph (the catalogue's table-* queries)
      void.ttl                            VoID and DCAT: counts, licences, distributions, checksums
      SHA256SUMS                          checksums of every file above, for sha256sum -c

In a git checkout the release must come from a clean tree whose HEAD carries the tag
``v<version>``; ``allow_untagged`` skips that check for a trial run.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from oncokg import __version__
from oncokg.disk_store import file_sha256
from oncokg.errors import InputError, OncoKGError
from oncokg.namespaces import ONTOLOGY, PREFIXES

if TYPE_CHECKING:
    from oncokg.api import OncoKG

RELEASE_NAMESPACE = "https://w3id.org/oncokg/release/"
DATA_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
ONTOLOGY_LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"
DISCLAIMER = (
    "For research use only. OncoKG is not a medical device and must not be used to make "
    "clinical decisions."
)
TABLES = ("table-drugs", "table-drug-targets", "table-outcomes", "table-adverse-events")
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".tsv": "text/tab-separated-values",
}


class ReleaseError(OncoKGError):
    """The release cannot be built from this checkout (untagged, dirty, or already built)."""


@dataclass(frozen=True)
class Release:
    """What a release wrote."""

    folder: Path
    triples: int
    files: tuple[Path, ...]


def check_tagged(repo: Path, version: str = __version__) -> None:
    """Refuse a checkout whose HEAD is not tagged ``v<version>`` or whose tree is not clean.

    A folder that is not a git checkout (an installed package) passes: its version is released.
    """
    if not (repo / ".git").exists():
        return
    tag = _git(repo, "describe", "--tags", "--exact-match", "HEAD")
    if tag != f"v{version}":
        found = f"it carries {tag}" if tag else "it carries no tag"
        raise ReleaseError(
            f"HEAD of {repo} is not tagged v{version} ({found}); tag the release first "
            f"(git tag v{version}) or pass --allow-untagged for a trial run"
        )
    if _git(repo, "status", "--porcelain", "--untracked-files=no"):
        raise ReleaseError(f"{repo} has uncommitted changes; a release comes from a clean tree")


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else ""


def build_release(output: Path, repo: Path, *, allow_untagged: bool = False) -> Release:
    """Write the release of this version under ``output``; see the module documentation."""
    from oncokg.api import OncoKG

    if not allow_untagged:
        check_tagged(repo)
    name = f"oncokg-{__version__}"
    target = output / name
    if target.exists():
        raise ReleaseError(f"{target} exists already; remove it or choose another --output")
    try:
        output.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=output))
    except OSError as err:
        raise InputError(output, f"cannot write ({err.strerror})") from None
    try:
        with OncoKG.open() as kg:
            triples = _write_graph(kg, staging, name)
            (staging / "tables").mkdir()
            for table in TABLES:
                _write_table(kg, staging / "tables" / f"{table.removeprefix('table-')}.tsv", table)
            files = sorted(p for p in staging.rglob("*") if p.is_file())
            _write_void(kg, staging / "void.ttl", triples, staging, files)
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        sums = "".join(f"{file_sha256(p)}  {p.relative_to(staging)}\n" for p in files)
        (staging / "SHA256SUMS").write_text(sums, encoding="utf-8")
        staging.rename(target)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(output, f"cannot write ({err.strerror})") from None
    except InputError as err:  # name the output folder, not a file of the temporary one
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(output, err.reason) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Release(target, triples, tuple(sorted(p for p in target.rglob("*") if p.is_file())))


def _write_graph(kg: OncoKG, folder: Path, name: str) -> int:
    from rdflib import Graph

    triples = 0
    for suffix, fmt in ((".ttl", "turtle"), (".nt", "ntriples")):
        triples = kg.export(folder / f"{name}{suffix}", fmt)
    graph = Graph().parse(folder / f"{name}.nt", format="nt")
    context = {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix != "sh"}
    text = graph.serialize(format="json-ld", context=context, auto_compact=True, indent=1)
    (folder / f"{name}.jsonld").write_text(text, encoding="utf-8")
    return triples


def _write_table(kg: OncoKG, path: Path, query: str) -> None:
    from oncokg.output import render

    rows = kg.query(query)
    path.write_text(render(rows, "tsv"), encoding="utf-8")


def _write_void(kg: OncoKG, path: Path, triples: int, folder: Path, files: list[Path]) -> None:
    from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef

    from oncokg.backend import CURATED_GRAPH, DEFAULT_GRAPHS, ONTOLOGY_GRAPH

    void = Namespace("http://rdfs.org/ns/void#")
    dcat = Namespace("http://www.w3.org/ns/dcat#")
    dcterms = Namespace(PREFIXES["dcterms"])
    spdx = Namespace("http://spdx.org/rdf/terms#")
    owl = Namespace(PREFIXES["owl"])
    base = f"{RELEASE_NAMESPACE}{__version__}/"
    dataset = URIRef(base)
    graph = Graph()
    for prefix, namespace in (("void", void), ("dcat", dcat), ("dcterms", dcterms), ("spdx", spdx)):
        graph.bind(prefix, namespace)
    graph.bind("okg", ONTOLOGY)
    graph.add((dataset, RDF.type, void.Dataset))
    graph.add((dataset, RDF.type, dcat.Dataset))
    graph.add((dataset, dcterms.title, Literal(f"OncoKG {__version__}", lang="en")))
    graph.add((dataset, owl.versionInfo, Literal(__version__)))
    graph.add((dataset, dcterms.license, URIRef(DATA_LICENCE)))
    graph.add((dataset, dcterms.rights, Literal(DISCLAIMER, lang="en")))
    graph.add((dataset, void.triples, Literal(triples, datatype=XSD.integer)))
    backend = kg.backend
    licences = {ONTOLOGY_GRAPH: ONTOLOGY_LICENCE, CURATED_GRAPH: DATA_LICENCE}
    for named in DEFAULT_GRAPHS:
        subset = URIRef(named)
        graph.add((dataset, void.subset, subset))
        graph.add((subset, RDF.type, void.Dataset))
        graph.add((subset, dcterms.license, URIRef(licences[named])))
        count = backend.triple_count([named])
        graph.add((subset, void.triples, Literal(count, datatype=XSD.integer)))
    for cls, count in _class_counts(kg):
        partition = BNode(f"class-{cls.rsplit('#', 1)[-1]}")
        graph.add((dataset, void.classPartition, partition))
        graph.add((partition, void["class"], URIRef(cls)))
        graph.add((partition, void.entities, Literal(count, datatype=XSD.integer)))
    for file in files:
        relative = str(file.relative_to(folder))
        distribution = URIRef(base + relative)
        graph.add((dataset, dcat.distribution, distribution))
        graph.add((distribution, RDF.type, dcat.Distribution))
        graph.add((distribution, dcat.downloadURL, distribution))
        graph.add((distribution, dcat.mediaType, Literal(MEDIA_TYPES[file.suffix])))
        size = file.stat().st_size
        graph.add((distribution, dcat.byteSize, Literal(size, datatype=XSD.integer)))
        graph.add((distribution, dcterms.license, URIRef(DATA_LICENCE)))
        checksum = BNode(f"sha256-{relative.replace('/', '-')}")
        graph.add((distribution, spdx.checksum, checksum))
        graph.add((checksum, RDF.type, spdx.Checksum))
        graph.add((checksum, spdx.algorithm, spdx.checksumAlgorithm_sha256))
        graph.add(
            (checksum, spdx.checksumValue, Literal(file_sha256(file), datatype=XSD.hexBinary))
        )
    buffer = io.BytesIO()
    graph.serialize(buffer, format="turtle")
    path.write_bytes(buffer.getvalue())


def _class_counts(kg: OncoKG) -> list[tuple[str, int]]:
    rows = kg.query("class-counts")
    return [(str(r["class"]), int(str(r["instances"]))) for r in rows]
