"""Peer tools for the standards suite: Apache Jena and the OWL API, from Debian's packages.

``scripts/install-peer-tools`` installs them (the README's test command and ``.ci/run`` call
it). A missing tool fails the suite with the command to run; it is never skipped.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

PEER = Path(__file__).parent
JAVA_LIBRARY = Path("/usr/share/java")
INSTALL_HINT = "install the peer tools with scripts/install-peer-tools (Debian packages)"

JENA_JARS = [
    "jena-arq",
    "jena-core",
    "jena-base",
    "jena-iri",
    "jena-shacl",
    "jena-cmds",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "jakarta.json-api",
    "protobuf",
    "slf4j-api",
    "slf4j-simple",
    "thrift",
    "titanium-json-ld",
    "caffeine",
]
OWLAPI_JARS = [
    "owlapi-api",
    "owlapi-impl",
    "owlapi-parsers",
    "owlapi-apibinding",
    "owlapi-tools",
    "owlapi-oboformat",
    "owlapi-rio",
    "guava",
    "caffeine",
    "commons-io",
    "commons-codec",
    "commons-rdf-api",
    "hppcrt",
    "atinject-jsr330-api",
    "jsr305",
    "slf4j-api",
    "slf4j-simple",
    "xz",
    "rdf4j-model",
    "rdf4j-model-api",
    "rdf4j-model-vocabulary",
    "rdf4j-rio-api",
    "rdf4j-rio-turtle",
    "rdf4j-rio-datatypes",
    "rdf4j-rio-languages",
    "rdf4j-util",
]


def _classpath(jars: Sequence[str]) -> list[str]:
    if shutil.which("java") is None:
        pytest.fail(f"no java on PATH: {INSTALL_HINT}")
    missing = [jar for jar in jars if not (JAVA_LIBRARY / f"{jar}.jar").is_file()]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing from {JAVA_LIBRARY}: {INSTALL_HINT}")
    return [str(JAVA_LIBRARY / f"{jar}.jar") for jar in jars]


@pytest.fixture(scope="session")
def jena_classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Jena 4.5's jars, plus the fix for Debian's packaging bug.

    Debian relocates Jena's Xerces classes to ``xerces.*`` but leaves their message bundles
    under ``org/apache/jena/ext/xerces``: every command then dies in ``XSDDatatype``. The
    bundles are copied from jena-core.jar to the path the classes look them up at.
    """
    jars = _classpath(JENA_JARS)
    bundles = tmp_path_factory.mktemp("jena-xerces-bundles")
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA_LIBRARY / "jena-core.jar") as core:
        for member in core.namelist():
            if member.startswith(prefix + "xerces/impl/") and member.endswith(".properties"):
                target = bundles / member.removeprefix(prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(core.read(member))
    return ":".join([*jars, str(bundles)])


@pytest.fixture(scope="session")
def owlapi_classpath() -> str:
    """The OWL API 5 (Debian's libowlapi-java) with the RDF4J Turtle parser it reads with."""
    return ":".join(_classpath(OWLAPI_JARS))


def run_java(classpath: str, program: str, *args: str | Path) -> str:
    """Run one of the single-file Java programs of this folder; its standard output."""
    result = subprocess.run(
        ["java", "-cp", classpath, str(PEER / program), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        raise AssertionError(f"{program} {args[:2]} failed:\n{result.stderr[-3000:]}")
    return result.stdout
