"""The SPARQL catalogue: one query per ``queries/*.rq`` file, metadata in its comment header.

A header is a block of ``# key: value`` lines before the query::

    # title: Drugs by target
    # description: Drugs acting on a target, with action, binding site and source.
    # param: target | target | KRAS G12C | the gene, protein family or variant
    # keywords: drug, target

``param`` is ``name | type | example | description``. Types: ``string``, ``integer``,
``decimal``, ``iri``, or an entity kind (``drug``, ``target``, ``gene``, ``genotype``,
``disease``, ``endpoint``) whose values may be an IRI, a CURIE or a name to resolve.
Files named ``*-violation.rq`` are data-quality checks that must return no rows.

``# join-order: written`` asks engines whose optimiser picks a bad join order for the query
to join its patterns in the order written (on Virtuoso, ``sql:select-option "order"``; see
:func:`oncokg.sparql_text.joins_as_written`). The line stays at the top of the query text,
so the text carries it to the backend. Give it only to a query whose rows a test checks on
Virtuoso that way: Virtuoso's written-order mode loses ``BIND`` values in some layouts.

>>> catalogue = load_catalogue()
>>> catalogue["drugs-by-target"].parameters[0].name
'target'
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from oncokg.errors import NotFound, ParameterError
from oncokg.resources import resource_root
from oncokg.sparql_text import WRITTEN_ORDER_LINE

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from oncokg.lean_typing import NamedTuple

SCALAR_TYPES = ("string", "integer", "decimal", "iri")
ENTITY_KINDS = {
    "drug": "Drug",
    "target": "Target",
    "gene": "Gene",
    "genotype": "Genotype",
    "disease": "Disease",
    "endpoint": "Endpoint",
}
_HEADER = re.compile(r"^#\s*([\w-]+):\s*(.*)$")
_QUERY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


class Parameter(NamedTuple):
    """One parameter of a catalogue query."""

    name: str
    type: str
    example: str
    description: str

    @property
    def entity_class(self) -> str | None:
        """The ontology class names resolve to, for entity-kind parameters."""
        return ENTITY_KINDS.get(self.type)


class CatalogueQuery(NamedTuple):
    """A query of the catalogue with its metadata."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    keywords: tuple[str, ...]
    sparql: str
    """The query text; it starts with ``# join-order: written`` when the header has it."""
    path: Path
    text_index: tuple[str, str] | None = None
    """``(parameter, variable)`` from ``# text-index: PARAM -> VARIABLE``: on a store with a
    name index (:mod:`oncokg.text_index`), ``?VARIABLE`` is bound to the entities whose names
    contain the parameter's text."""

    @property
    def is_violation_check(self) -> bool:
        """True for ``*-violation.rq`` files, which must return no rows."""
        return self.name.endswith("-violation")

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; raises :class:`ParameterError` if there is none."""
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise ParameterError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def queries_dir() -> Path:
    """The folder of the catalogue, ``queries/``."""
    return resource_root() / "queries"


def parse_query_file(path: Path) -> CatalogueQuery:
    """Read one ``.rq`` file and its header (parsed once per file version, then cached)."""
    return _parse_cached(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=512)
def _parse_cached(path: Path, mtime_ns: int) -> CatalogueQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, list[str]] = {}
    body_start = 0
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if match:
            meta.setdefault(match[1], []).append(match[2].strip())
            continue
        if line.strip() and not line.startswith("#"):
            body_start = index
            break
    params = tuple(_parameter(path, raw) for raw in meta.get("param", []))
    order = meta.get("join-order", [])
    if order not in ([], ["written"]):
        raise ParameterError(f"{path}: bad '# join-order:' line; the only value is 'written'")
    if "title" not in meta or "description" not in meta:
        raise ParameterError(
            f"{path}: a catalogue query needs '# title:' and '# description:' lines"
        )
    return CatalogueQuery(
        name=path.stem,
        title=meta["title"][0],
        description=" ".join(meta["description"]),
        parameters=params,
        keywords=tuple(
            k.strip() for k in ",".join(meta.get("keywords", [])).split(",") if k.strip()
        ),
        sparql=(f"{WRITTEN_ORDER_LINE}\n" if order else "") + "\n".join(lines[body_start:]) + "\n",
        path=path,
        text_index=_text_index(path, meta.get("text-index"), params),
    )


def _text_index(
    path: Path, lines: list[str] | None, params: tuple[Parameter, ...]
) -> tuple[str, str] | None:
    if not lines:
        return None
    match = re.fullmatch(r"(\w+)\s*->\s*(\w+)", lines[0])
    if match is None or match[1] not in {p.name for p in params}:
        raise ParameterError(
            f"{path}: bad '# text-index:' line {lines[0]!r}; write 'PARAMETER -> VARIABLE'"
        )
    return match[1], match[2]


def _parameter(path: Path, raw: str) -> Parameter:
    parts = [p.strip() for p in raw.split("|")]
    if len(parts) != 4 or (parts[1] not in SCALAR_TYPES and parts[1] not in ENTITY_KINDS):
        raise ParameterError(
            f"{path}: bad '# param:' line {raw!r}; write 'name | type | example | description'"
        )
    return Parameter(*parts)


def load_catalogue(folder: Path | None = None) -> dict[str, CatalogueQuery]:
    """Every query of the catalogue by name, sorted."""
    folder = folder or queries_dir()
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}


def get_query(name: str, folder: Path | None = None) -> CatalogueQuery:
    """One catalogue query by name; raises :class:`NotFound` naming the close matches."""
    path = (folder or queries_dir()) / f"{name}.rq"
    if not _QUERY_NAME.fullmatch(name) or not path.is_file():
        names = sorted(load_catalogue(folder))
        close = [n for n in names if name.split("-")[0] in n][:5]
        hint = f"did you mean {', '.join(close)}?" if close else "run 'oncokg queries' for the list"
        raise NotFound("catalogue query", name, hint)
    return parse_query_file(path)
