"""Shared fixtures: paths of the repository and a helper to run the real ``oncokg`` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def run_cli():
    """Run ``oncokg`` in a subprocess, as a user would; return the completed process."""

    def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "oncokg.cli", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run
