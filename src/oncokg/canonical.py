"""The canonical serialisation of curated data files, and the ``fmt`` command behind it.

Canonical form is rdflib's ``longturtle`` with the project's prefixes: one subject block
per node, sorted, one predicate per line. Every file under ``data/`` is kept in it so that
diffs show facts, not formatting; ``tests/test_data.py`` fails with the command to run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from oncokg.namespaces import PREFIXES
from oncokg.rdf_files import parse_file

FMT_COMMAND = "oncokg fmt"


def canonical_text(path: Path) -> str:
    """The canonical Turtle text of one RDF file (which must parse)."""
    graph = parse_file(path)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    text = graph.serialize(format="longturtle")
    return text.rstrip("\n") + "\n"


def non_canonical(paths: Iterable[Path]) -> list[Path]:
    """The files whose text differs from their canonical form."""
    return [p for p in paths if p.read_text(encoding="utf-8") != canonical_text(p)]


def rewrite(paths: Iterable[Path]) -> list[Path]:
    """Rewrite files into canonical form; return those that changed.

    Every file is parsed before any is written, so one bad file leaves all untouched.
    """
    pending = [(p, canonical_text(p)) for p in paths]
    changed = []
    for path, text in pending:
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
