"""What a newcomer and a packager look for: licences, citation, changelog, metadata."""

from __future__ import annotations

import tomllib
from pathlib import Path

from oncokg import __version__

from .conftest import REPO


def test_licence_citation_and_changelog() -> None:
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "CC BY 4.0" in licence and "CC0" in licence
    assert "research use only" in licence
    citation = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{__version__}"' in citation and "cff-version: 1.2.0" in citation
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {__version__}" in changelog


def test_project_metadata() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert len(project["keywords"]) >= 5 and "Typing :: Typed" in project["classifiers"]
    assert project["urls"]["Homepage"].startswith("https://w3id.org/oncokg")


def test_wheel_ships_the_web_application(tmp_path: Path) -> None:
    """Templates and assets are package data: a wheel built from the source tree has them
    (the README's screenshots stay out)."""
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("oncokg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {n for n in names if n.startswith("oncokg/web/templates/")}
    assert len(templates) == 8 and "oncokg/web/static/search.js" in names
    assert "oncokg/web/static/oncokg.css" in names and "oncokg/py.typed" in names
    assert not any("screenshots" in n for n in names)
    assert "oncokg/_resources/queries/resource-statements.rq" in names
    assert "oncokg/_resources/queries/virtuoso/name-trigrams.rq" in names
