"""Issue 12 (``aligner align`` half), through the real CLI: outputs and inputs are checked before any
work, ``--force`` replaces only regular files, non-regular inputs never hang or exhaust memory, lone
surrogates do not crash, bad option values fail at parse time, error lines stay one line, and the
report is byte-identical when pinned.

"Before any work" is checked by making the encoder factory fail: a run that got as far as loading
the encoder did the checks too late. The FIFO and /dev/zero cases run ``python -m aligner`` in a
child with a time and memory limit, since the fault they guard against is a hang or a memory blow-up.
"""

from __future__ import annotations

import json
import os
import random
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_bad_inputs import _isolated_cache, assert_user_error, pair, run, sha  # noqa: F401 - fixtures

CHILD_TIMEOUT_S = 120  # generous: the faults guarded against never end at all


@pytest.fixture()
def no_work(monkeypatch):
    """Fail loudly if the run gets as far as loading the encoder (the checks came too late)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the alignment started before the options and paths were checked")

    monkeypatch.setattr("aligner.encoders.get_encoder", refuse)


# --- item 2: every output against every other output and every input, before the run --------------


@pytest.mark.parametrize(
    "out, extra, clash",
    [
        ("x.tsv", ["--report", "x.tsv"], "x.tsv"),
        ("out.ru", ["--report", "out.en"], "out.en"),
        ("out.en", ["--report", "out.meta.json"], "out.meta.json"),
        ("x.tsv", ["--report", "x.tsv.meta.json"], "x.tsv.meta.json"),
        ("x.tsv", ["--split-by-doc", "--report", "x.train.tsv"], "x.train.tsv"),
        ("x.tsv", ["--split-by-doc", "--report", "x.test.tsv.meta.json"], "x.test.tsv.meta.json"),
    ],
)
@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_report_naming_an_output_is_refused_before_the_run(tmp_path, pair, capsys, no_work, out, extra, clash,
                                                           force):
    args = ["align", *pair, "-o", tmp_path / out, *[tmp_path / a if "." in a else a for a in extra]]
    if force:
        (tmp_path / clash).write_text("keep me\n", encoding="utf-8")
        args.append("--force")
    assert_user_error(*run(capsys, *args), "--report", "same file", clash)
    if force:
        assert (tmp_path / clash).read_text(encoding="utf-8") == "keep me\n"


def test_report_through_a_link_to_the_output_is_refused(tmp_path, pair, capsys, no_work):
    (tmp_path / "x.tsv").write_text("keep me\n", encoding="utf-8")
    (tmp_path / "link.html").symlink_to(tmp_path / "x.tsv")
    code, err = run(capsys, "align", *pair, "-o", tmp_path / "x.tsv", "--report", tmp_path / "link.html", "--force")
    assert_user_error(code, err, "same file")
    assert (tmp_path / "x.tsv").read_text(encoding="utf-8") == "keep me\n"


def test_report_naming_an_input_is_refused(tmp_path, pair, capsys, no_work):
    before = sha(pair[1])
    code, err = run(capsys, "align", *pair, "-o", tmp_path / "o.tsv", "--report", pair[1], "--force")
    assert_user_error(code, err, "also an input")
    assert sha(pair[1]) == before


def test_existing_sidecar_is_found_before_the_run(tmp_path, pair, capsys, no_work):
    (tmp_path / "o.tsv.meta.json").write_text("{}", encoding="utf-8")
    assert_user_error(*run(capsys, "align", *pair, "-o", tmp_path / "o.tsv"), "o.tsv.meta.json", "--force")


def test_export_part_is_an_input(tmp_path, capsys, no_work):
    """A Telegram HTML export reads messages2.html too, so a report there would destroy the export."""
    folder = tmp_path / "export"
    folder.mkdir()
    page = '<html><body><div class="message default" id="message1"><div class="text">{}</div></div></body></html>'
    (folder / "messages.html").write_text(page.format("Привет, мир."), encoding="utf-8")
    (folder / "messages2.html").write_text(page.format("Hello, world."), encoding="utf-8")
    before = sha(folder / "messages2.html")
    code, err = run(capsys, "align", folder, "-o", tmp_path / "o.tsv", "--report", folder / "messages2.html",
                    "--force")
    assert_user_error(code, err, "also an input")
    assert sha(folder / "messages2.html") == before


def test_same_file_twice_is_refused(tmp_path, pair, capsys, no_work):
    (tmp_path / "alias.txt").symlink_to(pair[0])
    assert_user_error(*run(capsys, "align", pair[0], tmp_path / "alias.txt", "-o", tmp_path / "o.tsv"),
                      "both inputs")


# --- item 3: --force replaces only regular files ---------------------------------------------------


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("where", ["-o", "--report"])
@pytest.mark.parametrize("kind", ["fifo", "link_to_dev_null", "socket"])
def test_force_never_replaces_a_non_regular_file(tmp_path, pair, capsys, no_work, where, kind):
    target = tmp_path / "target"
    if kind == "fifo":
        _fifo(target)
    elif kind == "link_to_dev_null":
        target.symlink_to("/dev/null")
    else:
        import socket

        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(target))
        sock.close()
    args = ["-o", target, "-f", "tsv"] if where == "-o" else ["-o", tmp_path / "o.tsv", "--report", target]
    assert_user_error(*run(capsys, "align", *pair, *args, "--force"), "not a regular file", "target")
    assert not stat.S_ISREG(os.stat(target).st_mode)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root")
def test_force_never_replaces_a_device_node(tmp_path, pair, capsys, no_work):
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    assert_user_error(*run(capsys, "align", *pair, "-o", node, "-f", "tsv", "--force"), "character device")
    assert stat.S_ISCHR(os.stat(node).st_mode)


def test_force_still_replaces_a_regular_file_and_a_link_to_one(tmp_path, pair, capsys):
    old = tmp_path / "old.tsv"
    old.write_text("old\n", encoding="utf-8")
    (tmp_path / "link.tsv").symlink_to(old)
    code, err = run(capsys, "align", *pair, "-o", tmp_path / "link.tsv", "--force", "-q")
    assert code == 0, err
    assert (tmp_path / "link.tsv").read_text(encoding="utf-8").startswith("ru\ten")


# --- item 5: two-file mode reads only regular files ---------------------------------------------------


def _limited_child():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # /dev/zero read to the end would pass this


def _cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=CHILD_TIMEOUT_S, preexec_fn=_limited_child)


@pytest.mark.parametrize("position", ["ru", "en", "single"])
def test_fifo_input_with_no_writer_does_not_hang(tmp_path, pair, position):
    fifo = _fifo(tmp_path / "pipe.txt")
    inputs = {"ru": [fifo, pair[1]], "en": [pair[0], fifo], "single": [fifo]}[position]
    proc = _cli("align", *inputs, "-o", tmp_path / "o.tsv", cwd=tmp_path)
    assert_user_error(proc.returncode, proc.stderr, "pipe.txt", "not a regular file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_device_input_is_refused(tmp_path, pair, device):
    proc = _cli("align", pair[0], device, "-o", tmp_path / "o.tsv", cwd=tmp_path)
    assert_user_error(proc.returncode, proc.stderr, device, "character device")


# --- item 6: lone surrogates in a Telegram JSON export ---------------------------------------------------


def test_lone_surrogate_in_telegram_json(tmp_path, capsys):
    messages = [
        {"id": 1, "type": "message", "date": "2025-01-01T10:00:00", "from": "Канал \ud800",
         "text": ["Маяк стоит на мысе \udfff Северном уже больше ста лет. ",
                  {"type": "bold", "text": "Его \ud800 построили в 1887 г."}]},
        {"id": 2, "type": "message", "date": "2025-01-01T10:01:00",
         "text": "The lighthouse has stood on North \ud800 Cape for more than a hundred years. It was built in 1887."},
    ]
    src = tmp_path / "result.json"
    src.write_text(json.dumps({"name": "c", "type": "public_channel", "id": 1, "messages": messages}), encoding="ascii")
    assert "\\ud800" in src.read_text(encoding="ascii")
    code, err = run(capsys, "align", src, "-o", tmp_path / "o.jsonl", "-q")
    assert code == 0, err
    rows = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and "Маяк" in rows[0]["ru"]
    text = (tmp_path / "o.jsonl").read_text(encoding="utf-8")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


# --- item 8: symbolic link loops and long names, found up front --------------------------------------------


@pytest.mark.parametrize("where", ["-o", "--report", "-o dir"])
def test_symlink_loop_at_an_output_path(tmp_path, pair, capsys, no_work, where):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    args = {"-o": ["-o", loop, "-f", "tsv"], "--report": ["-o", tmp_path / "o.tsv", "--report", loop],
            "-o dir": ["-o", loop / "o.tsv"]}[where]
    assert_user_error(*run(capsys, "align", *pair, *args, "--force"), "symbolic links")


@pytest.mark.parametrize("length", [244, 254, 300])
@pytest.mark.parametrize("where", ["-o", "--report"])
def test_long_output_name_found_up_front(tmp_path, pair, capsys, no_work, length, where):
    name = "a" * (length - 4) + (".tsv" if where == "-o" else ".htm")
    args = ["-o", tmp_path / name] if where == "-o" else ["-o", tmp_path / "o.tsv", "--report", tmp_path / name]
    assert_user_error(*run(capsys, "align", *pair, *args), "too long", "shorter name")


def test_longest_allowed_name_is_written(tmp_path, pair, capsys):
    from aligner.writers.atomic import TEMP_NAME_EXTRA

    name = "b" * (os.pathconf(tmp_path, "PC_NAME_MAX") - TEMP_NAME_EXTRA - 4) + ".tmx"  # TMX: no sidecar
    code, err = run(capsys, "align", *pair, "-o", tmp_path / name, "-q")
    assert code == 0, err
    assert (tmp_path / name).is_file()


# --- item 10: bad option values at parse time; one line whatever the file name -------------------------------


@pytest.mark.parametrize(
    "args, env, needle",
    [
        (["--max-chars", "-1"], {}, "--max-chars"),
        (["--min-chars", "-5"], {}, "--min-chars"),
        (["--max-length-ratio", "0.5"], {}, "--max-length-ratio"),
        (["--max-length-ratio", "nan"], {}, "--max-length-ratio"),
        (["--min-score", "nan"], {}, "--min-score"),
        (["--device", "cdua"], {}, "--device"),
        ([], {"SOURCE_DATE_EPOCH": "abc"}, "SOURCE_DATE_EPOCH"),
        ([], {"SOURCE_DATE_EPOCH": "99999999999999999999"}, "SOURCE_DATE_EPOCH"),
    ],
)
def test_bad_option_values_fail_before_any_work(tmp_path, pair, capsys, monkeypatch, no_work, args, env, needle):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert_user_error(*run(capsys, "align", *pair, "-o", tmp_path / "o.tsv", *args), needle)
    assert not (tmp_path / "o.tsv").exists()


def test_missing_model_directory_says_what_to_do(tmp_path, pair, capsys):
    pytest.importorskip("sentence_transformers")
    code, err = run(capsys, "align", *pair, "-o", tmp_path / "o.tsv", "--encoder", f"st:{tmp_path / 'no-model'}")
    assert_user_error(code, err, "no such model directory")


def test_zero_still_disables_the_filters(tmp_path, pair, capsys):
    code, err = run(capsys, "align", *pair, "-o", tmp_path / "o.tsv", "--max-chars", "0", "--max-length-ratio", "0",
                    "-q")
    assert code == 0, err


@pytest.mark.parametrize("name", ["new\nline.txt", "tab\there.txt", "esc\x1b[31mape.txt", "cr\rret.txt"])
def test_control_characters_in_names_keep_errors_on_one_line(tmp_path, pair, capsys, no_work, name):
    missing = tmp_path / name
    line = assert_user_error(*run(capsys, "align", missing, pair[1], "-o", tmp_path / "o.tsv"), "not found")
    assert repr(str(missing))[1:-1] in line
    existing = tmp_path / (name + ".tsv")
    existing.write_text("keep\n", encoding="utf-8")
    assert_user_error(*run(capsys, "align", *pair, "-o", existing), "already exists")


def test_undecodable_byte_in_a_name_keeps_the_error_printable(tmp_path, pair, capsys, no_work):
    missing = os.fsdecode(os.fsencode(str(tmp_path)) + b"/bad\xffname.txt")
    line = assert_user_error(*run(capsys, "align", missing, pair[1], "-o", tmp_path / "o.tsv"), "not found")
    assert "\\udcff" in line
    line.encode("utf-8")  # printable on a UTF-8 terminal


# --- item 11: the report is byte-identical when pinned ---------------------------------------------------


@pytest.mark.parametrize("pin", ["--deterministic", "SOURCE_DATE_EPOCH"])
def test_report_is_byte_identical_when_pinned(tmp_path, pair, capsys, monkeypatch, pin):
    rng, now = random.Random(), [1000.0]

    def clock() -> float:  # every run takes a different, odd time
        now[0] += rng.uniform(0.01, 5.0)
        return now[0]

    monkeypatch.setattr("time.perf_counter", clock)
    args = ["--deterministic"] if pin == "--deterministic" else []
    if pin == "SOURCE_DATE_EPOCH":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    digests = []
    for _ in range(2):
        code, err = run(capsys, "align", *pair, "-o", tmp_path / "o.tmx", "--report", tmp_path / "r.html", "--force",
                        "-q", *args)
        assert code == 0, err
        digests.append((sha(tmp_path / "o.tmx"), sha(tmp_path / "r.html")))
    assert digests[0] == digests[1]


def test_report_shows_the_time_when_not_pinned(tmp_path, pair, capsys):
    code, err = run(capsys, "align", *pair, "-o", tmp_path / "o.tsv", "--report", tmp_path / "r.html", "-q")
    assert code == 0, err
    assert "<td>time</td>" in (tmp_path / "r.html").read_text(encoding="utf-8")

