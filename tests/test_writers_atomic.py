"""Atomic output: never a half-written file, never an overwrite without force."""

from __future__ import annotations

import os
import stat

import pytest

from aligner.errors import OutputError
from aligner.model import Bead
from aligner.writers import write
from aligner.writers.atomic import atomic_files, atomic_write, atomic_write_text, check_target

BEADS = [Bead((0,), (0,), "Привет.", "Hello.", 0.9), Bead((1,), (1,), "Пока.", "Bye.", 0.8)]


def leftovers(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".part"))


def test_existing_file_is_refused_without_force(tmp_path):
    out = tmp_path / "out.tsv"
    out.write_text("precious\n")
    with pytest.raises(OutputError, match="--force"):
        write(BEADS, out)
    assert out.read_text() == "precious\n"
    assert leftovers(tmp_path) == []


def test_force_replaces(tmp_path):
    out = tmp_path / "out.tsv"
    out.write_text("old\n")
    assert write(BEADS, out, force=True) == 2
    assert out.read_text().startswith("ru\ten\t")


@pytest.mark.parametrize("name", ["out.tsv", "out.tmx", "out.ru", "out.jsonl", "out.csv"])
def test_crash_mid_write_keeps_old_file_and_removes_temp(tmp_path, name):
    out = tmp_path / name
    out.write_text("old\n")

    def exploding():
        yield BEADS[0]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write(exploding(), out, force=True)
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_ctrl_c_mid_write_leaves_no_file(tmp_path):
    out = tmp_path / "out.tmx"

    def interrupted():
        yield BEADS[0]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write(interrupted(), out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_moses_pair_is_all_or_nothing(tmp_path):
    (tmp_path / "out.en").write_text("old en\n")
    with pytest.raises(OutputError, match="out.en already exists"):
        write(BEADS, tmp_path / "out.ru")
    assert not (tmp_path / "out.ru").exists()
    assert (tmp_path / "out.en").read_text() == "old en\n"


def test_existing_sidecar_is_refused_too(tmp_path):
    (tmp_path / "out.tsv.meta.json").write_text("{}")
    with pytest.raises(OutputError, match="meta.json already exists"):
        write(BEADS, tmp_path / "out.tsv", meta={"encoder": "use"})
    assert not (tmp_path / "out.tsv").exists()


def test_missing_directory(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write(BEADS, tmp_path / "nope" / "out.tsv")


def test_output_is_a_directory(tmp_path):
    (tmp_path / "out.tsv").mkdir()
    with pytest.raises(OutputError, match="is a directory"):
        write(BEADS, tmp_path / "out.tsv", force=True)


def test_unwritable_directory_message(tmp_path, monkeypatch):
    # Root ignores permission bits, so simulate the check's answer as well as chmod-ing.
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(locked) else real_access(p, mode))
    try:
        with pytest.raises(OutputError, match="not writable"):
            write(BEADS, locked / "out.tsv")
    finally:
        locked.chmod(stat.S_IRWXU)


def test_file_appearing_during_write_is_not_overwritten(tmp_path):
    out = tmp_path / "out.txt"
    with pytest.raises(OutputError, match="already exists"):
        with atomic_write(out) as fh:
            fh.write("ours\n")
            out.write_text("someone else's\n")
    assert out.read_text() == "someone else's\n"
    assert leftovers(tmp_path) == []


def test_temp_file_lives_next_to_target(tmp_path):
    seen = []
    with atomic_files([tmp_path / "a.txt"]) as (fh,):
        seen = [p.name for p in tmp_path.iterdir()]
        fh.write("x")
    assert len(seen) == 1 and seen[0].startswith(".a.txt.") and seen[0].endswith(".part")
    assert (tmp_path / "a.txt").read_text() == "x"


def test_file_mode_follows_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "r.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o644


def test_check_target_accepts_bare_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert check_target("out.tsv").name == "out.tsv"


def test_check_output_fails_before_any_work(tmp_path):
    from aligner.errors import AlignerError
    from aligner.writers import check_output

    assert [p.name for p in check_output(tmp_path / "c.en", meta=True)] == ["c.ru", "c.en", "c.meta.json"]
    with pytest.raises(AlignerError, match="tmx, tsv"):
        check_output(tmp_path / "c.txt")
    (tmp_path / "c.ru").write_text("x")
    with pytest.raises(OutputError, match="--force"):
        check_output(tmp_path / "c", "moses")
    assert check_output(tmp_path / "c", "moses", force=True)
