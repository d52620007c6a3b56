"""Batch mode: pairing of file names, resume after a kill, failures isolated, nothing embedded twice."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.batch import Job, StatusStore, discover, run_batch
from aligner.cli import cli
from aligner.errors import AlignerError, InputError
from aligner.pipeline import PipelineConfig
from tests.fakes import cached_hash_encoder

REPO = Path(__file__).resolve().parent.parent

RU = "Мама мыла раму. Папа читал газету.\nДети играли во дворе весь день.\n"
EN = "Mother washed the frame. Father read the newspaper.\nThe children played in the yard all day.\n"
RU2 = "Сегодня тепло и солнечно. Завтра обещают дождь.\n"
EN2 = "Today it is warm and sunny. Rain is forecast for tomorrow.\n"
MIXED = (
    "Новый закон вступает в силу в понедельник. Он касается всех водителей.\n\n"
    "The new law takes effect on Monday. It applies to all drivers.\n\n"
    "Музей открылся после ремонта. Вход бесплатный.\n\n"
    "The museum has reopened after renovation. Admission is free.\n"
)


def make_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def job_view(jobs: list[Job], root: Path) -> list[tuple[str, tuple[str, ...]]]:
    return [(j.name, tuple(str(Path(p).relative_to(root.resolve())) for p in j.inputs)) for j in jobs]


# --------------------------------------------------------------------------- pairing of names

@pytest.mark.parametrize("files, expected", [
    (["book_ru.txt", "book_en.txt"], [("book", ("book_ru.txt", "book_en.txt"))]),
    (["book.ru.txt", "book.en.txt"], [("book", ("book.ru.txt", "book.en.txt"))]),
    (["book-EN.md", "book-RU.md"], [("book", ("book-RU.md", "book-EN.md"))]),
    (["a_rus.txt", "a_eng.txt"], [("a", ("a_rus.txt", "a_eng.txt"))]),
    (["ru/tale.txt", "en/tale.txt"], [("tale", ("ru/tale.txt", "en/tale.txt"))]),
    (["c1/ru.txt", "c1/en.txt", "c2/ru.txt", "c2/en.txt"],
     [("c1", ("c1/ru.txt", "c1/en.txt")), ("c2", ("c2/ru.txt", "c2/en.txt"))]),
    (["dump.txt", "chat/result.json"], [("chat/result", ("chat/result.json",)), ("dump", ("dump.txt",))]),
    (["x/book_ru.txt", "y/book_en.txt"], [("!x/book_ru.txt", ("x/book_ru.txt",)), ("!y/book_en.txt", ("y/book_en.txt",))]),
    (["a.txt", "a.json"], [("a.json", ("a.json",)), ("a.txt", ("a.txt",))]),
    (["menu.txt", "photo.jpg", ".hidden/x.txt"], [("menu", ("menu.txt",))]),
    (["chat/messages.html", "chat/messages2.html", "chat/css/style.css"], [("chat/messages", ("chat/messages.html",))]),
])
def test_discover_pairs_names(tmp_path, files, expected):
    make_tree(tmp_path, {f: "x" for f in files})
    jobs, _ = discover(tmp_path)
    assert job_view(jobs, tmp_path) == expected


def test_discover_glob_and_exclude(tmp_path):
    make_tree(tmp_path, {"in/a_ru.txt": "x", "in/a_en.txt": "x", "in/b.json": "x", "in/out/a.tsv": "x"})
    jobs, _ = discover(str(tmp_path / "in" / "*_??.txt"))
    assert [j.name for j in jobs] == ["a"]
    jobs, _ = discover(tmp_path / "in", exclude=tmp_path / "in" / "out")
    assert [j.name for j in jobs] == ["a", "b"]


@pytest.mark.parametrize("spec", ["nothing/*.txt", "empty_dir"])
def test_discover_nothing_is_a_user_error(tmp_path, monkeypatch, spec):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(InputError):
        discover(spec)


# --------------------------------------------------------------------------- running batches

@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_tree(tmp_path / "in", {
        "one_ru.txt": RU, "one_en.txt": EN,
        "two/ru.txt": RU2, "two/en.txt": EN2,
        "dump.txt": MIXED,
    })


@pytest.fixture
def factory(tmp_path):
    return functools.partial(cached_hash_encoder, str(tmp_path / "cache.sqlite"))


def batch(corpus: Path, out: Path, factory, **kw):
    return run_batch(corpus, out, config=PipelineConfig(), fmt="tsv", workers=kw.pop("workers", 1),
                     encoder_factory=factory, **kw)


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.tsv"))}


def test_batch_aligns_every_input(corpus, tmp_path, factory):
    calls = []
    s = batch(corpus, tmp_path / "out", factory, progress=lambda *a: calls.append(a))
    assert (s.inputs, s.file_pairs, s.documents, s.done, s.failed) == (3, 2, 1, 3, 0), s.failures
    assert set(outputs(tmp_path / "out")) == {"one.tsv", "two.tsv", "dump.tsv"}
    assert s.beads_written > 0 and s.block_pairs >= 2
    assert calls[0] == ("batch", 0, 3) and calls[-1] == ("batch", 3, 3)
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["done"] == 3


def test_bad_input_is_reported_and_the_others_succeed(corpus, tmp_path, factory):
    (corpus / "broken.txt").write_bytes(b"")
    (corpus / "lonely_ru.txt").write_text(RU, encoding="utf-8")
    s = batch(corpus, tmp_path / "out", factory)
    assert (s.done, s.failed) == (3, 2)
    reasons = {f["job"]: f["reason"] for f in s.failures}
    assert set(reasons) == {"broken", "lonely_ru.txt"} and all(reasons.values())
    assert "counterpart" in reasons["lonely_ru.txt"]
    assert set(outputs(tmp_path / "out")) == {"one.tsv", "two.tsv", "dump.tsv"}


def test_pipeline_warnings_reach_the_summary_and_survive_resume(corpus, tmp_path, factory):
    """Two files of very different sizes (probably the wrong pair): the batch says so, as align does."""
    long_en = " ".join(f"Sentence number {k} of a much longer English text." for k in range(40)) + "\n"
    (corpus / "three_ru.txt").write_text(RU2, encoding="utf-8")
    (corpus / "three_en.txt").write_text(long_en, encoding="utf-8")
    out = tmp_path / "out"
    first = batch(corpus, out, factory)
    assert [w["job"] for w in first.warnings] == ["three"] and "differ" in first.warnings[0]["warning"]
    again = batch(corpus, out, factory)  # everything already done: the warning is still reported
    assert again.skipped == 4 and again.warnings == first.warnings
    assert json.loads((out / "summary.json").read_text())["warnings"] == list(first.warnings)


def test_resume_redoes_only_unfinished(corpus, tmp_path, factory):
    out = tmp_path / "out"
    batch(corpus, out, factory)
    mtimes = {name: (out / name).stat().st_mtime_ns for name in outputs(out)}
    (out / "one.tsv").unlink()  # killed before this output was written ...
    store = StatusStore(out)
    job = next(j for j in discover(corpus)[0] if j.name == "two")
    store.put(job, {**store.get(job), "state": "running"})  # ... and while this one was running
    time.sleep(0.01)
    s = batch(corpus, out, factory)
    assert (s.done, s.skipped, s.failed) == (2, 1, 0)
    assert (out / "dump.tsv").stat().st_mtime_ns == mtimes["dump.tsv"]
    assert (out / "one.tsv").exists() and (out / "two.tsv").stat().st_mtime_ns != mtimes["two.tsv"]
    again = batch(corpus, out, factory)
    assert (again.done, again.skipped, again.embedded) == (0, 3, 0)
    assert again.beads_written == s.beads_written  # totals cover skipped inputs too


def test_changed_input_or_setting_is_redone(corpus, tmp_path, factory):
    out = tmp_path / "out"
    batch(corpus, out, factory)
    (corpus / "two" / "en.txt").write_text(EN2 + "One more line here.\n", encoding="utf-8")
    s = batch(corpus, out, factory)
    assert (s.done, s.skipped) == (1, 2)
    s = run_batch(corpus, out, config=PipelineConfig(min_score=0.5), fmt="tsv", workers=1, encoder_factory=factory)
    assert (s.done, s.skipped) == (3, 0)


def test_second_run_embeds_nothing(corpus, tmp_path, factory):
    first = batch(corpus, tmp_path / "a", factory)
    second = batch(corpus, tmp_path / "b", factory)  # fresh OUTDIR: every job runs again
    assert first.embedded > 0 and (second.done, second.embedded) == (3, 0)
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_process_pool_matches_single_process(corpus, tmp_path, factory):
    one = batch(corpus, tmp_path / "a", factory, workers=1)
    two = batch(corpus, tmp_path / "b", factory, workers=2)
    assert (two.done, two.workers) == (3, 2)
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b") and one.beads_written == two.beads_written


def test_a_worker_crash_fails_only_its_input(tmp_path):
    from tests.fakes import cached_crashing_encoder

    corpus = make_tree(tmp_path / "in", {"a.txt": MIXED, "b.txt": MIXED.replace("водителей", "пешеходов"),
                                         "c.txt": MIXED.replace("Музей", "CRASH Музей")})
    factory = functools.partial(cached_crashing_encoder, str(tmp_path / "cache.sqlite"))
    s = batch(corpus, tmp_path / "out", factory, workers=2)
    assert (s.done, s.failed) == (2, 1) and s.failures[0]["job"] == "c"
    assert "worker process died" in s.failures[0]["reason"]


def test_failed_job_keeps_the_output_of_an_earlier_run(corpus, tmp_path, factory):
    """A finished output is only ever replaced by a newer successful one (issue 12, item 1)."""
    out = tmp_path / "out"
    batch(corpus, out, factory)
    before = (out / "dump.tsv").read_bytes()
    (corpus / "dump.txt").write_bytes(b"")
    s = batch(corpus, out, factory)
    assert s.failed == 1 and (out / "dump.tsv").read_bytes() == before
    assert "the output of an earlier run is kept: dump.tsv" in s.failures[0]["reason"]


def test_second_batch_into_the_same_outdir_is_refused(corpus, tmp_path, factory):
    import fcntl

    out = tmp_path / "out"
    (out / ".aligner-batch").mkdir(parents=True)
    with open(out / ".aligner-batch" / "lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(AlignerError, match="another batch"):
            batch(corpus, out, factory)


KILL_SCRIPT = """
import functools, sys, time
from aligner.batch import run_batch
from aligner.pipeline import PipelineConfig
from tests.fakes import cached_hash_encoder

class Slow:
    def __init__(self, inner): self.inner, self.name, self.dim, self.embedded = inner, inner.name, inner.dim, 0
    def encode(self, texts, progress=None):
        time.sleep(0.6)
        return self.inner.encode(texts)

def factory():
    return Slow(cached_hash_encoder(sys.argv[3]))

run_batch(sys.argv[1], sys.argv[2], config=PipelineConfig(), fmt="tsv", workers=1, encoder_factory=factory)
"""


def test_killed_batch_loses_and_redoes_nothing(tmp_path, factory):
    """SIGKILL a real run after its first output, then rerun: finished outputs stay, untouched."""
    corpus = make_tree(tmp_path / "in", {f"d{i}.txt": MIXED.replace("Вход", f"Вход {i}") for i in range(4)})
    out, script = tmp_path / "out", tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, str(script), str(corpus), str(out), str(tmp_path / "c.sqlite")],
                            env=env, cwd=REPO)
    deadline = time.monotonic() + 120
    while not done_outputs(out) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # A job is finished once its status says done; its output is written just before that, so the
    # kill may also leave one output whose status was never written: that job is redone, nothing lost.
    finished = {name: (out / name).stat().st_mtime_ns for name in done_outputs(out)}
    assert 1 <= len(finished) < 4
    s = batch(corpus, out, factory)
    assert (s.skipped, s.done, s.failed) == (len(finished), 4 - len(finished), 0)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.tsv") if p.name in finished} == finished
    assert len(list(out.glob("*.tsv"))) == 4


def done_outputs(out: Path) -> set[str]:
    """The outputs of the jobs whose status file says done."""
    names = set()
    for f in (out / ".aligner-batch" / "status").glob("*.json"):
        try:
            record = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if record.get("state") == "done":
            names.update(Path(p).name for p in record.get("outputs", []))
    return names


# --------------------------------------------------------------------------- CLI

def test_cli_batch_help():
    result = CliRunner().invoke(cli, ["batch", "--help"])
    assert result.exit_code == 0 and "INPUT_DIR_OR_GLOB" in result.output and "--engine" in result.output


def test_cli_batch_missing_input_is_exit_2(tmp_path):
    from aligner.cli import main

    assert main(["batch", str(tmp_path / "none" / "*.txt"), "-o", str(tmp_path / "out")]) == 2


def test_cli_batch_runs_and_resumes(corpus, tmp_path, monkeypatch, use_encoder):
    from aligner.cli import main

    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    assert main(["batch", str(corpus), "-o", str(out), "-j", "1", "-q"]) == 0
    assert set(outputs(out)) == {"one.tsv", "two.tsv", "dump.tsv"}
    assert main(["batch", str(corpus), "-o", str(out), "-j", "1", "-q"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["skipped"], summary["done"], summary["embedded"]) == (3, 0, 0)


def test_discover_pairs_documents_of_different_formats(tmp_path):
    """A folder scan picks up DOCX, PDF, EPUB... and pairs NAME_ru.docx with NAME_en.pdf."""
    from aligner.batch import discover

    for name in ("book_ru.docx", "book_en.pdf", "film_ru.srt", "film_en.vtt", "notes.epub", "photo.png"):
        (tmp_path / name).write_bytes(b"x")
    jobs, ignored = discover(tmp_path)
    assert sorted((j.name, tuple(Path(i).name for i in j.inputs)) for j in jobs) == [
        ("book", ("book_ru.docx", "book_en.pdf")), ("film", ("film_ru.srt", "film_en.vtt")),
        ("notes", ("notes.epub",))]
    assert [Path(i).name for i in ignored] == ["photo.png"]
