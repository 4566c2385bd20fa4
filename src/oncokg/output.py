"""Render rows as a table, JSON, CSV or TSV: one option shared by every read command.

>>> from oncokg.backend import Row
>>> print(render([Row(("drug", "year"), ("imatinib", 2002))], "csv"), end="")
drug,year
imatinib,2002
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from decimal import Decimal

from oncokg.backend import Row
from oncokg.terms import Iri, Value

FORMATS = ("table", "json", "csv", "tsv")


def cell(value: Value | None) -> str:
    """A value as text: IRIs as CURIEs, numbers in plain notation, unbound as empty."""
    if value is None:
        return ""
    if isinstance(value, Iri):
        return value.curie()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _json_value(value: Value | None) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    return str(value)


def render(rows: Sequence[Row], fmt: str, variables: Sequence[str] | None = None) -> str:
    """Rows in one of :data:`FORMATS`."""
    names = list(variables or (rows[0].variables if rows else ()))
    if fmt == "json":
        data = [{n: _json_value(r.get(n)) for n in names} for r in rows]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows([cell(r.get(n)) for n in names] for r in rows)
        return buffer.getvalue()
    if fmt == "table":
        return _table(names, [[cell(r.get(n)) for n in names] for r in rows])
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _table(names: list[str], cells: list[list[str]], limit: int = 60) -> str:
    short = [[c if len(c) <= limit else c[: limit - 1] + "…" for c in row] for row in cells]
    widths = [max([len(n), *(len(r[i]) for r in short)]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in short]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"
