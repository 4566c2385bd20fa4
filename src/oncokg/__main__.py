"""``python -m oncokg``: the same command line as ``oncokg``."""

from oncokg.cli import main

main()
