"""Where the ontology, the shapes, the curated data and the query catalogue live.

In a source checkout (and an editable install) they are the top-level folders of the
repository; in a wheel they are shipped inside the package as ``oncokg/_resources``.

>>> ontology_file().name
'oncokg.ttl'
>>> shapes_file().name
'shapes.ttl'
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


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
    from oncokg.rdf_files import rdf_files_in

    return rdf_files_in(data_dir())


def is_installed() -> bool:
    """True when the resources are the copies shipped inside an installed wheel."""
    return resource_root() == _PACKAGE_DIR / "_resources"


def checkout_files(paths: list[Path]) -> list[Path]:
    """The files ``fmt`` may rewrite: ``paths`` (default: the curated data of a checkout).

    Files inside the installed package are refused: they are copies, and rewriting them would
    change an installation, not the project's sources.
    """
    from oncokg.errors import InputError

    if not paths:
        if is_installed():
            raise InputError(
                data_dir(),
                "is the installed package's copy of data/; run fmt in a source checkout",
            )
        return data_files()
    files: list[Path] = []
    for path in paths:
        if _PACKAGE_DIR in path.resolve().parents:
            raise InputError(path, "belongs to the installed package; fmt rewrites your files only")
        files.append(path)
    return files


def cache_dir() -> Path:
    """Where OncoKG keeps working files (the store ``serve`` builds): the user's cache folder.

    ``$XDG_CACHE_HOME/oncokg``, or ``~/.cache/oncokg``.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "oncokg"


def seeds_dir() -> Path:
    """The source documents, ``../shared/seeds`` beside the checkout."""
    return resource_root().parent / "shared" / "seeds"
