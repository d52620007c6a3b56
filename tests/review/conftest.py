"""The lighthouse sample aligned once per session; each test gets its own copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aligner.cli import main
from tests.conftest import CORPORA


@pytest.fixture(scope="session")
def _aligned(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("aligned") / "lighthouse.jsonl"
    ru, en = str(CORPORA / "lighthouse_ru.txt"), str(CORPORA / "lighthouse_en.txt")
    assert main(["align", ru, en, "-o", str(out), "--deterministic", "-q"]) == 0
    return out


@pytest.fixture
def lighthouse(_aligned, tmp_path) -> Path:
    """A fresh copy of ``lighthouse.jsonl`` (and its sidecar) in this test's folder."""
    for p in _aligned.parent.iterdir():
        shutil.copy(p, tmp_path / p.name)
    return tmp_path / _aligned.name
