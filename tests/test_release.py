"""``oncokg release``: versioned artefacts that say what they hold, from a tagged version only."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from oncokg import __version__
from oncokg.api import OncoKG
from oncokg.release import DATA_LICENCE, TABLES, ReleaseError, build_release, check_tagged

from .conftest import REPO, run_oncokg
from .test_hardening import one_error_line

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCTERMS = Namespace("http://purl.org/dc/terms/")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("release")
    result = run_oncokg("release", "-o", str(output), "--allow-untagged")
    assert result.returncode == 0, result.stderr
    return output / f"oncokg-{__version__}"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_release_needs_a_clean_tagged_checkout(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "f").write_text("x")
    _git(repo, "add", "f")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c")
    with pytest.raises(ReleaseError, match="it carries no tag"):
        check_tagged(repo)
    _git(repo, "tag", f"v{__version__}")
    check_tagged(repo)
    (repo / "f").write_text("changed")
    with pytest.raises(ReleaseError, match="uncommitted changes"):
        check_tagged(repo)
    check_tagged(tmp_path)  # not a checkout: an installed package's version is released


def test_release_files_and_checksums(release: Path) -> None:
    names = sorted(str(p.relative_to(release)) for p in release.rglob("*") if p.is_file())
    stem = f"oncokg-{__version__}"
    assert names == sorted(
        [f"{stem}.ttl", f"{stem}.nt", f"{stem}.jsonld", "void.ttl", "SHA256SUMS"]
        + [f"tables/{t.removeprefix('table-')}.tsv" for t in TABLES]
    )
    sums = (release / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(names) - 1
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest


def test_release_graph_in_three_formats(release: Path) -> None:
    stem = release / f"oncokg-{__version__}"
    with OncoKG.open() as kg:
        triples = kg.backend.triple_count()
    ntriples = Graph().parse(f"{stem}.nt", format="nt")
    assert len(ntriples) == triples
    assert len(Graph().parse(f"{stem}.ttl", format="turtle")) == triples
    document = json.loads(Path(f"{stem}.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["okg"] == "https://w3id.org/oncokg/ontology#"
    assert len(Graph().parse(f"{stem}.jsonld", format="json-ld")) == triples


def test_release_tables_match_the_catalogue(release: Path) -> None:
    with OncoKG.open() as kg:
        for table in TABLES:
            path = release / "tables" / f"{table.removeprefix('table-')}.tsv"
            with path.open(encoding="utf-8") as handle:
                rows = list(csv.reader(handle, delimiter="\t"))
            expected = kg.query(table)
            assert rows[0] == list(expected.variables)
            assert len(rows) - 1 == len(expected) > 0


def test_release_void_description(release: Path) -> None:
    void = Graph().parse(release / "void.ttl")
    dataset = URIRef(f"https://w3id.org/oncokg/release/{__version__}/")
    with OncoKG.open() as kg:
        triples = kg.backend.triple_count()
        drugs = len(kg.query("table-drugs"))
    assert void.value(dataset, VOID.triples) == Literal(triples)
    assert void.value(dataset, DCTERMS.license) == URIRef(DATA_LICENCE)
    assert "research use only" in str(void.value(dataset, DCTERMS.rights)).lower()
    partitions = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities)
        for p in void.objects(dataset, VOID.classPartition)
    }
    assert partitions[URIRef("https://w3id.org/oncokg/ontology#Drug")].toPython() == drugs
    distributions = list(void.objects(dataset, DCAT.distribution))
    assert len(distributions) == 7
    for distribution in distributions:
        name = str(distribution).removeprefix(str(dataset))
        checksum = void.value(distribution, SPDX.checksum)
        value = str(void.value(checksum, SPDX.checksumValue))
        assert value == hashlib.sha256((release / name).read_bytes()).hexdigest()
        assert void.value(distribution, DCTERMS.license) == URIRef(DATA_LICENCE)
    ontology = URIRef("https://w3id.org/oncokg/graph/ontology")
    assert (
        str(void.value(ontology, DCTERMS.license))
        == "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    subsets = {
        str(s): void.value(s, VOID.triples).toPython() for s in void.objects(dataset, VOID.subset)
    }
    assert sum(subsets.values()) == triples and len(subsets) == 2


def test_release_never_overwrites(release: Path) -> None:
    line = one_error_line(run_oncokg("release", "-o", str(release.parent), "--allow-untagged"), 2)
    assert "exists already" in line


def test_release_of_this_checkout_checks_the_tag(tmp_path: Path) -> None:
    tagged = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--tags", "--exact-match", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if tagged == f"v{__version__}":
        assert build_release(tmp_path, REPO).triples > 0
    else:
        with pytest.raises(ReleaseError, match=f"not tagged v{__version__}"):
            build_release(tmp_path, REPO)
        assert list(tmp_path.iterdir()) == []
