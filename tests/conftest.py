"""Shared fixtures: the real default encoder (cheap: pure numpy, ~1 s to load) and paths."""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis: a fixed, reproducible example budget (issue 8: the property suites run in CI in
# under 5 minutes). Tests that set their own max_examples keep it; derandomize makes every run
# draw the same examples. HYPOTHESIS_PROFILE=dev explores new random examples on each run.
settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True, database=None,
                          print_blob=True)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Keep the tests off the user's embedding cache (~/.cache/aligner): one fresh cache per session,
# unless a cache dir is given on purpose (ALIGNER_CACHE_DIR=... makes repeated runs faster).
if "ALIGNER_CACHE_DIR" not in os.environ:
    os.environ["ALIGNER_CACHE_DIR"] = tempfile.mkdtemp(prefix="aligner-test-cache-")

# A suite started in the background by a non-interactive shell (`pytest &` in a script) inherits
# SIGINT ignored, and so would every aligner it starts: the Ctrl-C tests then wait on a process
# that cannot hear Ctrl-C. Give the suite, and so its children, the default disposition back.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

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
