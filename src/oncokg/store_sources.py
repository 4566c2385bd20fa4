"""The sources of a store folder: the curated graph, and the imported graphs beside it.

An imported graph is kept as a file in the store folder, ``imports/SOURCE/RELEASE.nt``
(sorted N-Triples), and the store is built from the curated sources plus these files
(:mod:`oncokg.disk_store`). Saving an import writes its file and builds a new store in which
it replaces the source's previous release; the switch is atomic, so a failed or killed import
leaves the store as it was. Re-importing the same release gives the same bytes and changes
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from oncokg.backend import GRAPH_NAMESPACE
from oncokg.disk_store import MARKER, StoreFolder, write_atomically
from oncokg.errors import InputError, NotFound, ParameterError
from oncokg.terms import Iri

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    from oncokg.importers.base import ImportedGraph

ImportPlan = list[tuple[Iri, list[Path]]]


def imports_dir(folder: StoreFolder) -> Path:
    """Where a store folder keeps its imported graphs."""
    return folder.path / "imports"


def import_plan(folder: StoreFolder) -> ImportPlan:
    """Each imported graph of the folder with its file, by source then release."""
    root = imports_dir(folder)
    files = sorted(root.glob("*/*.nt")) if root.is_dir() else []
    return [(graph_iri(p.parent.name, p.stem), [p]) for p in files]


def imports_without(path: Path, excluded: Sequence[str]) -> ImportPlan:
    """The imports of the store folder at ``path``, less the ``excluded`` sources; refuses a
    folder that is not a store and a source name the store does not hold."""
    from oncokg.export import source_of

    if not (path / MARKER).is_file():
        raise InputError(path, f"is not an OncoKG store folder (it has no {MARKER})")
    plan = import_plan(StoreFolder(path))
    held = sorted({source_of(graph) for graph, _ in plan})
    unknown = sorted(set(excluded) - set(held))
    if unknown:
        raise ParameterError(
            f"no source named {', '.join(unknown)} in {path}; it has {', '.join(held) or 'none'}"
        )
    return [(graph, paths) for graph, paths in plan if source_of(graph) not in excluded]


def graph_iri(source: str, release: str) -> Iri:
    """``.../graph/SOURCE/RELEASE``."""
    return Iri(f"{GRAPH_NAMESPACE}{source}/{release}")


def store_plan(folder: StoreFolder) -> ImportPlan:
    """Everything a store folder is built from: the curated sources, then its imports."""
    from oncokg.api import source_plan

    return [*source_plan(), *import_plan(folder)]


def save_import(folder: StoreFolder, imported: ImportedGraph) -> bool:
    """Put ``imported`` into the store, replacing its source's other releases; return False
    when the store already held exactly this graph (nothing changed)."""
    target = imports_dir(folder) / imported.source / f"{imported.release}.nt"
    data = imported.ntriples()
    others = (
        [p for p in target.parent.glob("*.nt") if p != target] if target.parent.is_dir() else []
    )
    unchanged = target.is_file() and target.read_bytes() == data and not others
    if unchanged and folder.is_current(store_plan(folder)):
        return False
    existed = target.is_file()
    previous = target.read_bytes() if existed else None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
    except OSError as err:
        raise InputError(folder.path, f"cannot write the store ({err.strerror})") from None
    plan = [(g, p) for g, p in store_plan(folder) if p[0] not in others]
    try:
        _build(folder, plan)
    except BaseException:
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            write_atomically(target, previous)
        raise
    for old in others:
        old.unlink(missing_ok=True)
    return True


def check_conforms(imported: ImportedGraph) -> None:
    """Refuse an import whose graph, with the ontology and the curated graph, does not conform
    to the shapes; the message counts the violations by shape and names the first records."""
    import tempfile

    from oncokg.resources import data_files
    from oncokg.validation import validate

    with tempfile.TemporaryDirectory(prefix="oncokg-import-") as folder:
        candidate = Path(folder) / f"{imported.source}-{imported.release}.nt"
        candidate.write_bytes(imported.ntriples())
        report = validate([*data_files(), candidate])
    if report.conforms:
        return
    shapes = ", ".join(f"{shape} {n}" for shape, _, n in report.summary()[:3])
    count = len(report.violations)
    counted = f"{count} violation{'s' if count != 1 else ''}"
    examples = "; ".join(f"{v.focus_node}: {v.message}" for v in report.violations[:2])
    raise InputError(
        imported.iri,
        f"the import does not conform ({counted}: {shapes}); "
        f"for example {examples}; the store was not changed",
    )


def remove_source(folder: StoreFolder, source: str) -> list[Iri]:
    """Remove every release of ``source`` from the store; return the graphs removed."""
    files = [p for g, (p, *_) in import_plan(folder) if g.startswith(f"{GRAPH_NAMESPACE}{source}/")]
    if not files:
        known = sorted({p[0].parent.name for _, p in import_plan(folder)})
        raise NotFound("imported source", source, f"the store holds: {', '.join(known) or 'none'}")
    plan = [(g, p) for g, p in store_plan(folder) if p[0] not in files]
    _build(folder, plan)
    for path in files:
        path.unlink(missing_ok=True)
    return [graph_iri(p.parent.name, p.stem) for p in files]


def _build(folder: StoreFolder, plan: ImportPlan) -> None:
    if not folder.is_current(plan):
        folder.build(plan)
