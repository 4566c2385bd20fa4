"""Class paths of the Java peers (Apache Jena 4.5, the OWL API 5) from Debian's packages.

Shared by the peer tests and ``scripts/bench_validate.py``; ``scripts/install-peer-tools``
installs the packages.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path

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
    "jena-tdb2",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
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


class PeerMissing(Exception):
    """A peer tool is not installed."""


def classpath(jars: Sequence[str]) -> list[str]:
    """The jar files of ``jars``; raises :class:`PeerMissing` naming what is missing."""
    if shutil.which("java") is None:
        raise PeerMissing(f"no java on PATH: {INSTALL_HINT}")
    missing = [jar for jar in jars if not (JAVA_LIBRARY / f"{jar}.jar").is_file()]
    if missing:
        raise PeerMissing(f"{', '.join(missing)} missing from {JAVA_LIBRARY}: {INSTALL_HINT}")
    return [str(JAVA_LIBRARY / f"{jar}.jar") for jar in jars]


def jena_classpath(workdir: Path) -> str:
    """Jena 4.5's jars, plus the fix for Debian's packaging bug.

    Debian relocates Jena's Xerces classes to ``xerces.*`` but leaves their message bundles
    under ``org/apache/jena/ext/xerces``: every command then dies in ``XSDDatatype``. The
    bundles are copied from jena-core.jar (into ``workdir``) to the path the classes look them
    up at.
    """
    jars = classpath(JENA_JARS)
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA_LIBRARY / "jena-core.jar") as core:
        for member in core.namelist():
            if member.startswith(prefix + "xerces/impl/") and member.endswith(".properties"):
                target = workdir / member.removeprefix(prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(core.read(member))
    return ":".join([*jars, str(workdir)])


def owlapi_classpath() -> str:
    """The OWL API 5 (Debian's libowlapi-java) with the RDF4J Turtle parser it reads with."""
    return ":".join(classpath(OWLAPI_JARS))


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
