"""Tell a SPARQL query's form (SELECT, ASK, CONSTRUCT, DESCRIBE) without parsing it fully.

>>> query_form("PREFIX x: <urn:x#> # SELECT in a comment\\nASK { ?s ?p ?o }")
'ASK'
"""

from __future__ import annotations

import re

from oncokg.bind import _mask
from oncokg.errors import QueryError

_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """The query form keyword, upper-cased; raises :class:`QueryError` if there is none."""
    match = _FORM.search(_mask(sparql))
    if not match:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return match[1].upper()
