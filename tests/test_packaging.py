"""The distribution name: free on PyPI ("aligner" there is an unrelated package), used everywhere we tell
users to install; the import package and the ``aligner`` command keep their name."""

from __future__ import annotations

import importlib.metadata as md
import re

import pytest

from aligner import DISTRIBUTION, __version__
from tests.conftest import REPO


def test_pyproject_names_the_distribution():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION == "ruen-aligner"
    assert project["version"] == __version__
    assert project["scripts"]["aligner"] == "aligner.cli:run"


def test_readme_installs_the_distribution_not_the_unrelated_package():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    installs = re.findall(r'pip install\s+-?-?[\w-]*\s*"?([\w.-]+)\[', readme)  # NAME[extras]
    assert DISTRIBUTION in installs and set(installs) <= {DISTRIBUTION, "."}, installs  # "." = a checkout
    assert not re.search(r"pip install\s+(-\S+\s+)*\"?aligner\b", readme)


def test_installed_metadata_matches_when_installed():
    """After ``pip install -e .`` (as .ci/run does) the metadata carries the new name and our version."""
    try:
        version = md.version(DISTRIBUTION)
    except md.PackageNotFoundError:
        pytest.skip(f"{DISTRIBUTION} is not installed here (an older install under another name, or none)")
    assert version == __version__
    scripts = {e.name: e.value for e in md.entry_points(group="console_scripts") if e.name == "aligner"}
    assert scripts == {"aligner": "aligner.cli:run"}


def test_readme_points_only_to_files_in_the_repository():
    """A user has the repository, not the developers' ../shared folder."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    links = re.findall(r"\]\(([^)#\s]+)\)", readme)
    assert "docs/architecture.md" in links
    for link in links:
        if "://" not in link:
            assert (REPO / link).exists(), link
