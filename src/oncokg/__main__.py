"""``python -m oncokg``: the same command line as ``oncokg``."""

from oncokg.entry import console

console()
