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
import math
import unicodedata
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
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or Infinity: give the lexical form as text
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    return str(value)


def render(rows: Sequence[Row], fmt: str, variables: Sequence[str] | None = None) -> str:
    """Rows in one of :data:`FORMATS`; CSV and TSV keep their header when there is no row."""
    if variables is None:
        variables = getattr(rows, "variables", None) or (rows[0].variables if rows else ())
    names = list(variables)
    if fmt == "json":
        data = [{n: _json_value(r.get(n)) for n in names} for r in rows]
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows([cell(r.get(n)) for n in names] for r in rows)
        return buffer.getvalue()
    if fmt == "table":
        return _table(names, [[cell(r.get(n)) for n in names] for r in rows])
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two.

    >>> display_width("舒尼替尼"), display_width("imatinib")
    (8, 8)
    """
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _shorten(text: str, limit: int) -> str:
    if display_width(text) <= limit:
        return text
    out, width = [], 0
    for c in text:
        width += display_width(c)
        if width > limit - 1:
            break
        out.append(c)
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _table(names: list[str], cells: list[list[str]], limit: int = 60) -> str:
    short = [[_shorten(" ".join(c.split()), limit) for c in row] for row in cells]
    widths = [
        max([display_width(n), *(display_width(r[i]) for r in short)]) for i, n in enumerate(names)
    ]
    lines = ["  ".join(_pad(n, w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in short]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"
