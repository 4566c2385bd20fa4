"""Run the Oxigraph SPARQL server (from the ``oxigraph`` PyPI package) over the graph."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from oncokg.errors import OncoKGError


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server executable installed with the package."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise OncoKGError("the 'oxigraph' server is not installed; run: pip install oxigraph")
    return found


def serve_command(location: Path, host: str, port: int) -> list[str]:
    """The command line that serves the store at ``location`` read-only."""
    command = [
        oxigraph_binary(),
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
    ]
    return command


def run_server(location: Path, host: str, port: int) -> int:
    """Serve until interrupted; return the server's exit code."""
    process = subprocess.Popen(serve_command(location, host, port))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
