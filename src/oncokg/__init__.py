"""OncoKG: a validated RDF knowledge graph of targeted oncology drugs.

>>> from oncokg import __version__
>>> __version__.count(".")
2
"""

from oncokg.errors import InputError, OncoKGError

__version__ = "0.1.0"

__all__ = ["InputError", "OncoKGError", "__version__"]
