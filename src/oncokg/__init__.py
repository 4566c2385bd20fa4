"""OncoKG: a validated RDF knowledge graph of targeted oncology drugs.

>>> from oncokg import OncoKG
>>> kg = OncoKG.open()
>>> sorted({d.drug_label for d in kg.drugs_targeting("KIT")})[:3]
['dasatinib', 'imatinib', 'masitinib']
"""

from __future__ import annotations

from oncokg.errors import (
    EndpointError,
    InputError,
    NotFound,
    OncoKGError,
    ParameterError,
    QueryError,
)

TYPE_CHECKING = False  # typing stays unimported: see oncokg.lean_typing
if TYPE_CHECKING:
    from typing import Any

    from oncokg.api import OncoKG

__version__ = "0.1.0"

__all__ = [
    "EndpointError",
    "InputError",
    "NotFound",
    "OncoKG",
    "OncoKGError",
    "ParameterError",
    "QueryError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """Import the API on first use, so ``oncokg --help`` stays fast."""
    if name == "OncoKG":
        from oncokg.api import OncoKG

        return OncoKG
    raise AttributeError(name)
