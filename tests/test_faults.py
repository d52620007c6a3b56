"""Faults a user can cause around the embedding cache and batch OUTDIR (issue 12): nothing lost, one line, exit 2.

Read-only and full disks are real: small tmpfs mounts, so those tests need root (and mount
rights) and are skipped otherwise. As root a read-only *folder* stops nothing, hence mounts.
"""

from __future__ import annotations

import contextlib
import functools
import json
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from aligner.batch import run_batch
from aligner.cli import main
from aligner.encoders.cache import EmbeddingStore
from aligner.pipeline import PipelineConfig
from tests.fakes import HashEncoder, cached_hash_encoder
from tests.test_batch import EN, MIXED, RU, make_tree



# --------------------------------------------------------------------------- mounts


@contextlib.contextmanager
def tmpfs(path: Path, size: str = "1m"):
    """A small tmpfs at ``path`` (root only; the test is skipped where mounting is impossible)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    path.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode(errors='replace').strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def make_read_only(path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True, capture_output=True)


def fill(path: Path) -> None:
    """Write until the file system at ``path`` is full."""
    with open(path / "filler", "wb", buffering=0) as fh:
        with contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 4096)
    with contextlib.suppress(OSError):
        for i in range(64):  # inodes / the last partial page
            (path / f"f{i}").write_bytes(b"x" * 512)


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("aligner: error:")]
    assert len(errors) == 1 and "Traceback" not in "\n".join(err), err
    return errors[0]


def align_dump(tmp_path: Path, *extra: str) -> int:
    dump = tmp_path / "dump.txt"
    dump.write_text(MIXED, encoding="utf-8")
    return main(["align", str(dump), "-o", str(tmp_path / "out.tsv"), "-q", "--force", *extra])


# --------------------------------------------------------------------------- cache faults


def test_cache_dir_that_is_a_file_is_exit_2_naming_no_cache(tmp_path, monkeypatch, capsys, use_encoder):
    (tmp_path / "afile").write_text("not a folder")
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "afile"))
    assert align_dump(tmp_path) == 2
    line = one_error_line(capsys)
    assert "is a file" in line and "--no-cache" in line
    assert align_dump(tmp_path, "--no-cache") == 0  # the way out the message names


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty-header"])
def test_broken_cache_file_is_set_aside_and_rebuilt(tmp_path, monkeypatch, capsys, use_encoder, damage):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(cache))
    db = cache / "embeddings.sqlite"
    if damage == "garbage":
        cache.mkdir()
        db.write_bytes(np.random.default_rng(0).bytes(20_000))
    else:
        cache.mkdir()
        with contextlib.closing(sqlite3.connect(db)) as conn:  # no WAL: every page in the one file
            conn.execute("CREATE TABLE vectors (encoder TEXT NOT NULL, key BLOB NOT NULL, vec BLOB NOT NULL,"
                         " PRIMARY KEY (encoder, key)) WITHOUT ROWID")
            conn.executemany("INSERT INTO vectors VALUES (?, ?, ?)",
                             [("x", bytes([i]) * 16, bytes(2048)) for i in range(200)])
            conn.commit()
        size = db.stat().st_size
        with open(db, "r+b") as fh:
            fh.truncate(size // 3 if damage == "truncated" else 100)
    assert align_dump(tmp_path) == 0
    err = capsys.readouterr().err
    assert "aligner: warning: the embedding cache" in err and "damaged" in err and "Traceback" not in err
    aside = list(cache.glob("embeddings.sqlite.broken-*"))
    assert len(aside) == 1 and EmbeddingStore(db).count() > 0  # set aside, and a new cache was filled
    first = (tmp_path / "out.tsv").read_bytes()
    assert align_dump(tmp_path) == 0 and (tmp_path / "out.tsv").read_bytes() == first  # warm now, same output
    assert "damaged" not in capsys.readouterr().err


def test_cache_damaged_between_runs_of_one_store_is_set_aside_once(tmp_path):
    db = tmp_path / "e.sqlite"
    enc = cached_hash_encoder(str(db))
    enc.encode(["один", "two"])
    enc.store._close()
    db.write_bytes(b"garbage" * 1000)
    for f in tmp_path.glob("e.sqlite-*"):
        f.unlink()
    with pytest.warns(UserWarning, match="damaged"):
        out = enc.encode(["три", "four"])  # the open store meets the damage on its next query
    assert out.shape == (2, HashEncoder.dim) and len(list(tmp_path.glob("e.sqlite.broken-*"))) == 1


def test_cache_damaged_mid_query_is_rebuilt_where_errors_carry_no_code(tmp_path):
    """Python 3.10's sqlite3 errors have no ``sqlite_errorcode``: the message alone says "corrupt"."""
    store = EmbeddingStore(tmp_path / "e.sqlite")
    calls = []

    def work(conn):
        calls.append(conn)
        if len(calls) == 1:
            raise sqlite3.DatabaseError("database disk image is malformed")  # no error code, as on 3.10
        return "rebuilt"

    with pytest.warns(UserWarning, match="damaged"):
        assert store._guarded(work) == "rebuilt"
    assert len(calls) == 2 and len(list(tmp_path.glob("e.sqlite.broken-*"))) == 1


def test_a_cache_file_replaced_by_another_process_is_not_set_aside(tmp_path):
    """Two workers meet the same damaged file: the second must not rename the first one's new cache."""
    db = tmp_path / "e.sqlite"
    late = EmbeddingStore(db)
    os.replace(EmbeddingStore(tmp_path / "new.sqlite").path, db)  # another process rebuilt it meanwhile
    late._set_aside("file is not a database")
    assert db.exists() and not list(tmp_path.glob("e.sqlite.broken-*"))


def test_read_only_cache_is_exit_2_naming_no_cache(tmp_path, monkeypatch, capsys, use_encoder):
    with tmpfs(tmp_path / "ro") as ro:
        make_read_only(ro)
        monkeypatch.setenv("ALIGNER_CACHE_DIR", str(ro / "cache"))
        assert align_dump(tmp_path) == 2
        line = one_error_line(capsys)
        assert "--no-cache" in line and "embedding cache" in line
        assert align_dump(tmp_path, "--no-cache") == 0


def test_read_only_existing_cache_file_is_exit_2(tmp_path, monkeypatch, capsys, use_encoder):
    with tmpfs(tmp_path / "ro") as ro:
        store = EmbeddingStore(ro / "cache" / "embeddings.sqlite")
        store.put_many("x", [(b"k" * 16, np.ones(4, np.float32))])
        store._close()  # a file open for writing would make the remount busy
        make_read_only(ro)
        monkeypatch.setenv("ALIGNER_CACHE_DIR", str(ro / "cache"))
        assert align_dump(tmp_path) == 2
        assert "--no-cache" in one_error_line(capsys)


def test_full_cache_disk_is_exit_2_naming_no_cache(tmp_path, monkeypatch, capsys, use_encoder):
    with tmpfs(tmp_path / "full", size="256k") as full:
        fill(full)
        monkeypatch.setenv("ALIGNER_CACHE_DIR", str(full / "cache"))
        assert align_dump(tmp_path) == 2
        line = one_error_line(capsys)
        assert "--no-cache" in line


def test_cache_disk_filling_up_mid_run_is_exit_2(tmp_path, monkeypatch, capsys, use_encoder):
    """Room for the empty cache, not for the vectors: the write fails mid-run, still one line."""
    with tmpfs(tmp_path / "small", size="64k") as small:
        monkeypatch.setenv("ALIGNER_CACHE_DIR", str(small / "cache"))
        EmbeddingStore(small / "cache" / "embeddings.sqlite")
        assert align_dump(tmp_path) == 2
        assert "--no-cache" in one_error_line(capsys)
        assert not (tmp_path / "out.tsv").exists()


def _open_many(args) -> str:
    folder, rounds, start = args
    while time.time() < start:
        pass
    for r in range(rounds):
        try:
            store = EmbeddingStore(Path(folder) / f"d{r}" / "embeddings.sqlite")
            store.put_many("x", [(os.urandom(16), np.zeros(4, np.float32))])
        except Exception as exc:  # noqa: BLE001 - reported to the test
            return f"{type(exc).__name__}: {exc}"
    return ""


def test_concurrent_first_opens_of_a_new_cache(tmp_path):
    """Many processes opening the same new cache at once: none fails with "database is locked"."""
    n, rounds = 12, 15
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(n) as pool:
        start = time.time() + 2.0
        errors = pool.map(_open_many, [(str(tmp_path), rounds, start)] * n)
    assert errors == [""] * n
    for r in range(rounds):
        assert EmbeddingStore(tmp_path / f"d{r}" / "embeddings.sqlite").count() == n


def test_store_errors_are_cache_errors_not_sqlite_errors(tmp_path):
    from aligner.encoders.cache import CacheError

    db = tmp_path / "e.sqlite"
    store = EmbeddingStore(db)
    with pytest.raises(CacheError, match="--no-cache"):
        store._guarded(lambda c: (_ for _ in ()).throw(sqlite3.OperationalError("database or disk is full")))


# --------------------------------------------------------------------------- batch: bad reruns keep outputs


@pytest.fixture
def finished(tmp_path, monkeypatch, use_encoder):
    """A batch run to the end through the CLI; returns (corpus, outdir, outputs)."""
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    corpus = make_tree(tmp_path / "in", {"one_ru.txt": RU, "one_en.txt": EN, "dump.txt": MIXED})
    out = tmp_path / "out"
    assert main(["batch", str(corpus), "-o", str(out), "-j", "1", "-q"]) == 0
    return corpus, out, snapshot(out)


def snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".aligner-batch" not in p.parts}


@pytest.mark.parametrize("bad", [
    ["--max-chars", "-1"],
    ["--max-length-ratio", "0.5"],
    ["--encoder", "nope"],
    ["--encoder", "e5-small"],  # not installed in the test cache dir
    ["--encoder", "st:/no/such/model"],
    ["-j", "2", "--encoder", "nope"],
])
def test_bad_rerun_of_a_batch_keeps_every_output(finished, capsys, bad):
    corpus, out, before = finished
    capsys.readouterr()
    assert main(["batch", str(corpus), "-o", str(out), "-q", *bad]) == 2
    one_error_line(capsys)
    assert snapshot(out) == before  # summary.json included: the bad run started no job


def test_garbage_cache_on_batch_rerun_is_rebuilt_and_keeps_outputs(finished, tmp_path, capsys):
    corpus, out, before = finished
    (tmp_path / "cache" / "embeddings.sqlite").write_bytes(b"\x00garbage" * 4000)
    for extra in ("-wal", "-shm"):
        (tmp_path / "cache" / f"embeddings.sqlite{extra}").unlink(missing_ok=True)
    capsys.readouterr()
    assert main(["batch", str(corpus), "-o", str(out), "-q", "--min-score", "0.1", "-j", "2"]) == 0
    err = capsys.readouterr().err
    assert err.count("damaged") == 1 and "Traceback" not in err
    assert json.loads((out / "summary.json").read_text())["done"] == 2


def _fails_in_workers(path: str, parent: int):
    if os.getpid() != parent:
        raise RuntimeError("model file is corrupt")
    return cached_hash_encoder(path)


def test_worker_that_cannot_start_is_not_called_out_of_memory(tmp_path):
    corpus = make_tree(tmp_path / "in", {"a.txt": MIXED, "b.txt": MIXED.replace("Вход", "Билет")})
    factory = functools.partial(_fails_in_workers, str(tmp_path / "c.sqlite"), os.getpid())
    s = run_batch(corpus, tmp_path / "out", config=PipelineConfig(), workers=2, encoder_factory=factory)
    assert s.failed == 2
    assert all("could not start its encoder" in f["reason"] and "model file is corrupt" in f["reason"]
               and "out of memory" not in f["reason"] for f in s.failures)


# --------------------------------------------------------------------------- batch: OUTDIR faults


def test_batch_into_read_only_outdir_is_exit_2(tmp_path, monkeypatch, capsys, use_encoder):
    corpus = make_tree(tmp_path / "in", {"dump.txt": MIXED})
    with tmpfs(tmp_path / "ro") as ro:
        make_read_only(ro)
        assert main(["batch", str(corpus), "-o", str(ro / "out"), "-q"]) == 2
        line = one_error_line(capsys)
        assert str(ro / "out") in line and "choose another -o" in line


def test_batch_into_full_outdir_is_exit_2_up_front(tmp_path, capsys, use_encoder):
    corpus = make_tree(tmp_path / "in", {"dump.txt": MIXED})
    with tmpfs(tmp_path / "full", size="128k") as full:
        (full / "out" / ".aligner-batch").mkdir(parents=True)
        fill(full)
        assert main(["batch", str(corpus), "-o", str(full / "out"), "-q"]) == 2
        assert "free some space" in one_error_line(capsys)


def test_batch_disk_filling_up_stops_with_a_summary_and_keeps_outputs(tmp_path):
    """The disk fills after some outputs: the batch stops at once (not one failure per input),
    finished outputs stay, and summary.json says why, when there is room for it."""
    corpus = make_tree(tmp_path / "in", {f"d{i}.txt": MIXED.replace("Музей", f"Музей {i}") for i in range(8)})
    factory = functools.partial(cached_hash_encoder, str(tmp_path / "c.sqlite"))
    with tmpfs(tmp_path / "full", size="48k") as full:  # 12 pages; each job takes 3 (output, sidecar, status)
        s = run_batch(corpus, full / "out", config=PipelineConfig(), workers=1, encoder_factory=factory)
        assert "No space left" in s.stopped and "free space" in s.stopped
        assert s.done >= 1 and s.done + s.failed + s.not_started == 8 and s.not_started >= 1
        assert s.failed <= 1  # at most the one job that hit the full disk, not every job after it
        written = sorted(p.name for p in (full / "out").glob("*.tsv"))
        assert len(written) == s.done
        assert not list((full / "out").rglob("*.part"))


# --------------------------------------------------------------------------- batch: odd files, summary mode


def test_dangling_symlink_and_fifo_are_failed_with_a_readable_reason(tmp_path, monkeypatch, capsys, use_encoder):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    corpus = make_tree(tmp_path / "in", {"dump.txt": MIXED})
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(corpus / "pipe.txt")
    out = tmp_path / "out"
    assert main(["batch", str(corpus), "-o", str(out), "-q", "-j", "1"]) == 2
    summary = json.loads((out / "summary.json").read_text())
    reasons = {f["job"]: f["reason"] for f in summary["failures"]}
    assert set(reasons) == {"gone.txt", "pipe.txt"} and summary["done"] == 1
    assert "broken symbolic link" in reasons["gone.txt"] and "FIFO" in reasons["pipe.txt"]
    assert not any("(" in r.split(" is ")[0] or "('" in r for r in reasons.values())  # no Python tuple
    assert "2 of 3 inputs failed" in one_error_line(capsys)


def test_summary_json_honours_the_umask(tmp_path):
    corpus = make_tree(tmp_path / "in", {"dump.txt": MIXED})
    old = os.umask(0o022)
    try:
        run_batch(corpus, tmp_path / "out", config=PipelineConfig(), workers=1,
                  encoder_factory=functools.partial(cached_hash_encoder, str(tmp_path / "c.sqlite")))
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "summary.json").stat().st_mode & 0o777 == 0o644


def test_too_long_output_name_fails_that_input_only(tmp_path, monkeypatch, capsys, use_encoder):
    """A 246-character input name fits; its output's temporary name would not: one failure, no crash."""
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    corpus = make_tree(tmp_path / "in", {"x" * 246 + ".txt": MIXED, "ok.txt": MIXED})
    out = tmp_path / "out"
    assert main(["batch", str(corpus), "-o", str(out), "-q", "-j", "1"]) == 2
    summary = json.loads((out / "summary.json").read_text())
    assert summary["done"] == 1 and "too long" in summary["failures"][0]["reason"]
    assert "1 of 2 inputs failed" in one_error_line(capsys)


def test_outdir_symlink_loop_is_exit_2(tmp_path, capsys):
    corpus = make_tree(tmp_path / "in", {"dump.txt": MIXED})
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert main(["batch", str(corpus), "-o", str(tmp_path / "a"), "-q"]) == 2
    assert "symbolic link" in one_error_line(capsys)
