"""What a newcomer and a packager look for: licences, citation, changelog, metadata."""

from __future__ import annotations

import tomllib

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
