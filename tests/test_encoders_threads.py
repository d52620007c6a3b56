"""Encoder thread counts: the free cores by default, ``--threads`` to choose, and its validation."""

from __future__ import annotations

import os

import pytest

from aligner.cli import main
from aligner.encoders import threads as T
from aligner.encoders.cache import CachedEncoder
from aligner.encoders.ensemble import EnsembleEncoder
from aligner.encoders.use import UseEncoder
from tests.conftest import CORPORA


@pytest.mark.parametrize("load, want", [(0.0, "all"), (0.4, "all"), (0.6, "all-1"), (50.0, 1)])
def test_free_cores_subtracts_the_load(monkeypatch, load, want):
    monkeypatch.setattr(T, "usable_cores", lambda: 4)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, 0.0, 0.0))
    assert T.free_cores() == {"all": 4, "all-1": 3}.get(want, want)


def test_free_cores_without_load_average(monkeypatch):
    def no_load():
        raise OSError("no load average here")

    monkeypatch.setattr(os, "getloadavg", no_load)
    assert T.free_cores() == T.usable_cores() >= 1


def test_set_threads_reaches_wrapped_models_and_keeps_explicit_counts():
    plain, pinned = UseEncoder(), UseEncoder(threads=3)
    T.set_threads(EnsembleEncoder([CachedEncoder(plain), CachedEncoder(pinned)]), 1)
    assert plain._threads == 1 and pinned._threads == 3
    untouched = UseEncoder()
    T.set_threads(untouched, 0)
    assert untouched._threads is None


def run(args, capsys):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("value", ["-1", "many", "100000"])
def test_bad_threads_is_a_one_line_user_error(tmp_path, capsys, value):
    code, _, err = run(["align", str(CORPORA / "lighthouse_ru.txt"), str(CORPORA / "lighthouse_en.txt"),
                        "-o", str(tmp_path / "o.tsv"), "--threads", value], capsys)
    assert code == 2
    assert err.startswith("aligner: error:") and "--threads" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "o.tsv").exists()


def test_threads_option_is_documented_and_used(tmp_path, capsys):
    code, out, _ = run(["align", "--help"], capsys)
    assert code == 0 and "--threads" in out
    code, _, err = run(["align", str(CORPORA / "lighthouse_ru.txt"), str(CORPORA / "lighthouse_en.txt"),
                        "-o", str(tmp_path / "o.tsv"), "--threads", "1", "-q"], capsys)
    assert code == 0, err
    lines = (tmp_path / "o.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("ru\ten") and len(lines) > 5
