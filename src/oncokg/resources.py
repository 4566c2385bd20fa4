"""Where the ontology, the shapes, the curated data and the query catalogue live.

In a source checkout (and an editable install) they are the top-level folders of the
repository; in a wheel they are shipped inside the package as ``oncokg/_resources``.

>>> ontology_file().name
'oncokg.ttl'
>>> shapes_file().name
'shapes.ttl'
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
RDF_SUFFIXES = (".ttl", ".nt", ".jsonld", ".rdf", ".owl")


def resource_root() -> Path:
    """The folder that holds ``ontology/``, ``data/`` and ``queries/``."""
    bundled = _PACKAGE_DIR / "_resources"
    if (bundled / "ontology").is_dir():
        return bundled
    return _PACKAGE_DIR.parent.parent


def ontology_file() -> Path:
    """The OWL ontology, ``ontology/oncokg.ttl``."""
    return resource_root() / "ontology" / "oncokg.ttl"


def shapes_file() -> Path:
    """The SHACL shapes, ``ontology/shapes.ttl``."""
    return resource_root() / "ontology" / "shapes.ttl"


def data_dir() -> Path:
    """The folder of curated RDF, ``data/``."""
    return resource_root() / "data"


def data_files() -> list[Path]:
    """Every curated RDF file under ``data/``, in a stable order."""
    return sorted(p for p in data_dir().rglob("*") if p.suffix in RDF_SUFFIXES)


def seeds_dir() -> Path:
    """The source documents, ``../shared/seeds`` beside the checkout."""
    return resource_root().parent / "shared" / "seeds"
