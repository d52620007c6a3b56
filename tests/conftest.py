"""Shared fixtures: the real default encoder (cheap: pure numpy, ~1 s to load) and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = REPO / "corpora"


@pytest.fixture(scope="session")
def use_encoder():
    from aligner.encoders import get_encoder

    return get_encoder("use")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "eval").is_dir():
        pytest.skip("../shared is not available")
    return SHARED
