"""Signals (issue 12): a killed batch leaves no workers and no pipe held open, SIGTERM cleans up,
Ctrl-C is one line and exit 130 even during start-up, stale temporary files are swept."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aligner.cli import main
from scripts.fault_inject_batch import alive, descendants
from tests.test_batch import EN, EN2, MIXED, RU, RU2, make_tree

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@pytest.fixture
def env(tmp_path) -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "ALIGNER_CACHE_DIR": str(tmp_path / "cache")}


@pytest.fixture
def corpus(tmp_path) -> Path:
    files = {f"d{i}.txt": MIXED.replace("Вход", f"Вход {i}") for i in range(6)}
    files.update({"one_ru.txt": RU, "one_en.txt": EN, "two_ru.txt": RU2, "two_en.txt": EN2})
    return make_tree(tmp_path / "in", files)


def start_batch(corpus: Path, out: Path, env: dict) -> tuple[subprocess.Popen, set[int]]:
    """Start a 2-worker batch and wait until its workers are up; returns it and its process tree."""
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "batch", str(corpus), "-o", str(out), "-j", "2"],
                            env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    family: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        family |= descendants(proc.pid)
        if len(family) >= 3 and list((out / ".aligner-batch" / "status").glob("*.json")):  # 2 workers + tracker
            break
        time.sleep(0.05)
    assert proc.poll() is None and len(family) >= 2, "the batch did not start its workers"
    return proc, family | descendants(proc.pid)


def reaches_eof(stream, seconds: float) -> bool:
    """True when every writer of the pipe has closed it within ``seconds``."""
    deadline = time.monotonic() + seconds
    fd = stream.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if ready and not os.read(fd, 65536):
            return True
    return False


def test_sigkill_of_batch_kills_its_workers_and_frees_the_pipe(corpus, tmp_path, env):
    proc, family = start_batch(corpus, tmp_path / "out", env)
    proc.kill()
    proc.wait()
    try:
        assert reaches_eof(proc.stdout, 3.0), "a worker still holds stdout: `aligner batch | tail` would hang"
        time.sleep(2.0)
        assert [p for p in family if alive(p)] == []
    finally:
        for p in family:
            if alive(p):
                os.kill(p, signal.SIGKILL)
    rerun = subprocess.run([sys.executable, "-m", "aligner", "batch", str(corpus), "-o", str(tmp_path / "out"),
                            "-j", "2", "-q"], env=env, cwd=REPO, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert not list((tmp_path / "out").rglob("*.part"))


@pytest.mark.parametrize("sig, code, word", [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")])
def test_sigterm_or_ctrl_c_of_batch_stops_workers_cleanly(corpus, tmp_path, env, sig, code, word):
    proc, family = start_batch(corpus, tmp_path / "out", env)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole foreground process group
    else:
        proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=15)
        time.sleep(0.5)
        assert [p for p in family if alive(p)] == []
    finally:
        for p in family | {proc.pid}:
            if alive(p):
                os.kill(p, signal.SIGKILL)
    err = err.decode()
    assert proc.returncode == code, err
    assert "Traceback" not in err and err.startswith(f"aligner: {word}"), err
    assert not list((tmp_path / "out").rglob("*.part"))


SLOW_WRITE = """
import os, sys, time
real_fsync = os.fsync
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(60)
    real_fsync(fd)
os.fsync = slow_fsync  # the outputs are written; hold the run just before they are committed
from aligner.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_sigterm_of_align_removes_its_part_files(tmp_path, env):
    (tmp_path / "dump.txt").write_text(MIXED, encoding="utf-8")
    script = tmp_path / "slow.py"
    script.write_text(SLOW_WRITE, encoding="utf-8")
    out = tmp_path / "out.tsv"
    proc = subprocess.Popen([sys.executable, str(script), "align", str(tmp_path / "dump.txt"), "-o", str(out)],
                            env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"writing\n"
        assert list(tmp_path.glob(".out.tsv.*.part"))
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143 and b"Traceback" not in err, err
    assert not list(tmp_path.glob(".*.part")) and not out.exists()


def test_stale_part_files_of_our_naming_are_swept(tmp_path, monkeypatch, use_encoder):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "dump.txt").write_text(MIXED, encoding="utf-8")
    stale = tmp_path / ".out.tsv.k3j9x_a1.part"
    live = tmp_path / ".out.tsv.b7c2d4e5.part"
    foreign = [tmp_path / ".other.txt.k3j9x_a1.part", tmp_path / ".out.tsv.part", tmp_path / "out.tsv.k3j9x_a1.part"]
    for p in [stale, live, *foreign]:
        p.write_text("partial")
    with open(live) as held:  # a concurrent writer still holds this one
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["align", str(tmp_path / "dump.txt"), "-o", str(tmp_path / "out.tsv"), "-q"]) == 0
        assert not stale.exists() and live.exists() and all(p.exists() for p in foreign)


def test_batch_sweeps_stale_part_files_in_outdir(tmp_path, monkeypatch, use_encoder):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    corpus = make_tree(tmp_path / "in", {"sub/dump.txt": MIXED})
    out = tmp_path / "out"
    assert main(["batch", str(corpus), "-o", str(out), "-q", "-j", "1"]) == 0
    stale = [out / "sub" / ".dump.tsv.abcdefgh.part", out / ".summary.json.12345678.part"]
    for p in stale:
        p.write_text("partial")
    assert main(["batch", str(corpus), "-o", str(out), "-q", "-j", "1"]) == 0  # nothing to redo, still swept
    assert not any(p.exists() for p in stale)


def numpy_loaded(pid: int) -> bool:
    try:
        return "_multiarray_umath" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.parametrize("when", ["start-up", "start-up+0.1", "start-up+0.3", "running"])
def test_ctrl_c_at_any_moment_is_one_line_and_exit_130(tmp_path, env, when):
    """From importing the CLI (start-up: numpy is being loaded) to the alignment itself: exit 130,
    one line, no traceback, no blank line. (The interpreter's own first ~0.1 s, before any aligner
    code runs, is Python's and out of reach.)"""
    (tmp_path / "dump.txt").write_text(MIXED, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "align", str(tmp_path / "dump.txt"), "-o",
                             str(tmp_path / "out.tsv")], env=env, cwd=REPO, stderr=subprocess.PIPE)
    if when == "running":
        time.sleep(2.5)
    else:
        deadline = time.monotonic() + 30
        while not numpy_loaded(proc.pid) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.002)
        time.sleep(float(when.partition("+")[2] or 0))
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    if proc.returncode == 0:
        pytest.skip("the run finished before Ctrl-C")
    assert proc.returncode == 130, err
    assert err.decode().splitlines() == ["aligner: interrupted; no output was written"]
    assert not (tmp_path / "out.tsv").exists()


def _ignores_sigint(pid: int) -> bool:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


def test_every_worker_starts_with_ctrl_c_ignored(corpus, tmp_path, env):
    """The spawn pool starts its workers one per submit, not all at the first: each must inherit
    SIGINT ignored, or a Ctrl-C while the second one imports prints a "Fatal Python error"."""
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "batch", str(corpus), "-o", str(tmp_path / "out"),
                             "-j", "2"], env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    workers: dict[int, bool] = {}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
            for pid in descendants(proc.pid):
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
                    if b"spawn_main" in cmd and pid not in workers:
                        workers[pid] = _ignores_sigint(pid)
                except OSError:
                    continue
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert len(workers) == 2, "the batch did not start two workers"
    assert all(workers.values()), workers
