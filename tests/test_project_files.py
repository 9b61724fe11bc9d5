"""The files a user looks for: licence, changelog, citation, one version shown by the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

import longgame

ROOT = Path(__file__).resolve().parents[1]


def test_version_lives_in_one_place() -> None:
    """pyproject.toml reads the version from longgame/__init__.py instead of restating it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/longgame/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", longgame.__version__)


def test_version_flag_prints_the_version() -> None:
    """`longgame --version` prints the package's __version__ and exits 0."""
    done = subprocess.run(
        [sys.executable, "-m", "longgame", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"longgame, version {longgame.__version__}"


def test_license_is_mit_as_pyproject_says() -> None:
    """LICENSE holds the MIT licence text that pyproject.toml declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


def test_changelog_has_unreleased_and_this_version() -> None:
    """CHANGELOG.md keeps an Unreleased section and a dated entry for the current version."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.MULTILINE)
    assert headings[0] == ("Unreleased", "")
    released = dict(headings[1:])
    assert longgame.__version__ in released
    date.fromisoformat(released[longgame.__version__])
    assert "Keep a Changelog" in text


def test_citation_file_is_valid_cff() -> None:
    """CITATION.cff parses as YAML with CFF 1.2's required keys, well-formed, and this version."""
    yaml = pytest.importorskip("yaml")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert isinstance(cff[key], str if key != "authors" else list)
        assert cff[key]
    for author in cff["authors"]:
        assert author.get("name") or author.get("family-names")
    assert cff["type"] in {"software", "dataset"}
    assert str(cff["version"]) == longgame.__version__
    assert cff["license"] == "MIT"
    date.fromisoformat(str(cff["date-released"]))
    allowed = {
        "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi",
        "identifiers", "keywords", "license", "license-url", "message", "preferred-citation",
        "references", "repository", "repository-artifact", "repository-code", "title", "type",
        "url", "version",
    }  # fmt: skip
    assert set(cff) <= allowed
