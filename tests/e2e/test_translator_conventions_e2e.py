"""Conventions of translators' tools, through the real CLI: the TMX source language and locale tags,
XLSX for review, ``-`` for stdin and ``-o -`` for stdout."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from aligner.cli import main
from tests.conftest import CORPORA, REPO

RU, EN = str(CORPORA / "lighthouse_ru.txt"), str(CORPORA / "lighthouse_en.txt")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aligner: error: ") and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_source_en_makes_english_the_tm_source(tmp_path):
    ru_first, en_first = tmp_path / "ru.tmx", tmp_path / "en.tmx"
    assert main(["align", RU, EN, "-o", str(ru_first), "--deterministic", "-q"]) == 0
    assert main(["align", RU, EN, "-o", str(en_first), "--deterministic", "-q",
                 "--source", "en", "--en-locale", "en-US", "--ru-locale", "ru-RU"]) == 0
    a, b = etree.parse(str(ru_first)).getroot(), etree.parse(str(en_first)).getroot()
    assert a.find("header").get("srclang") == "ru" and b.find("header").get("srclang") == "en-US"
    a_tus, b_tus = a.find("body").findall("tu"), b.find("body").findall("tu")
    assert len(a_tus) == len(b_tus) == 18
    for x, y in zip(a_tus, b_tus):
        assert [t.get(XML_LANG) for t in x.findall("tuv")] == ["ru", "en"]
        assert [t.get(XML_LANG) for t in y.findall("tuv")] == ["en-US", "ru-RU"]
        # the same pair, the other way round
        assert [t.findtext("seg") for t in x.findall("tuv")] == [t.findtext("seg") for t in y.findall("tuv")][::-1]
        assert y.get("tuid") == x.get("tuid") and y.get("creationid") == "aligner"
        assert y.get("changedate") == "19700101T000000Z"
    assert a_tus[0].findall("tuv")[0].findtext("seg") == "Маяк на мысе Северном"


def test_a_locale_of_the_wrong_language_is_a_user_error(tmp_path, capsys):
    code = main(["align", RU, EN, "-o", str(tmp_path / "o.tmx"), "--en-locale", "de-DE"])
    one_line_error(code, capsys.readouterr().err, "de-DE", "en-US")
    assert not (tmp_path / "o.tmx").exists()


# --- '-' for stdin and stdout, through the real command (a subprocess with real pipes) ---------------


def cli(*args: str, stdin: bytes = b"", env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "aligner", *args], input=stdin, capture_output=True,
                          env=env, cwd=REPO, timeout=300)


def test_stdin_dump_to_stdout_gives_the_file_results(tmp_path):
    dump = CORPORA / "mfa_channel_dump.txt"
    from_file = cli("align", str(dump), "-o", str(tmp_path / "f.tsv"))
    assert from_file.returncode == 0, from_file.stderr
    piped = cli("align", "-", "-o", "-", "--format", "tsv", stdin=dump.read_bytes())
    assert piped.returncode == 0, piped.stderr
    expected = (tmp_path / "f.tsv").read_text(encoding="utf-8").replace(str(dump), "<stdin>")
    assert piped.stdout.decode("utf-8") == expected  # the same pairs; provenance says <stdin>
    assert "<stdin>#" in expected and len(expected.splitlines()) > 5
    err = piped.stderr.decode("utf-8")
    assert "aligner: wrote stdout" in err and "\t" not in err  # the summary stays on stderr


def test_stdin_jsonl_with_dropped_beads_gives_the_file_results(tmp_path):
    """The JSONL holds the dropped beads too (with_dropped): from stdin this failed with an
    internal error (StopIteration) as soon as a filter dropped a bead."""
    dump = CORPORA / "mfa_channel_dump.txt"
    from_file = cli("align", str(dump), "-o", str(tmp_path / "f.jsonl"), "--min-score", "0.99", "-q")
    assert from_file.returncode == 0, from_file.stderr
    piped = cli("align", "-", "-o", "-", "--format", "jsonl", "--min-score", "0.99", "-q", stdin=dump.read_bytes())
    assert piped.returncode == 0, piped.stderr
    expected = (tmp_path / "f.jsonl").read_text(encoding="utf-8").replace(str(dump), "<stdin>")
    assert piped.stdout.decode("utf-8") == expected
    assert '"dropped": "score"' in expected


def test_stdin_as_one_of_two_files_in_either_order():
    ru_bytes = Path(RU).read_bytes()
    for args in (["-", EN], [EN, "-"]):
        proc = cli("align", *args, "-o", "-", "--format", "jsonl", "-q", stdin=ru_bytes)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == b""  # -q: nothing on stderr, only the pairs on stdout
        records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
        assert len(records) == 18
        assert records[0]["ru"] == "Маяк на мысе Северном" and records[0]["ru_file"] == "<stdin>"
        assert records[0]["en_file"] == EN


def test_stdout_tmx_is_a_whole_valid_document():
    proc = cli("align", RU, EN, "-o", "-", "-f", "tmx", "--source", "en", "--deterministic", "-q")
    assert proc.returncode == 0, proc.stderr
    root = etree.fromstring(proc.stdout)
    assert root.find("header").get("srclang") == "en" and len(root.find("body")) == 18


def test_stdout_writes_no_file_and_no_sidecar(tmp_path):
    proc = cli("align", RU, EN, "-o", "-", "-f", "csv", "-q", env_extra={"HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode("utf-8"), newline="")))
    assert len(rows) == 18 and rows[0]["en"] == "The Lighthouse on North Cape"
    assert not (REPO / "-").exists() and not (REPO / "-.meta.json").exists()


@pytest.mark.parametrize("args,needles", [
    (["-o", "-"], ["stdout", "--format"]),
    (["-o", "-", "-f", "moses"], ["moses", "-o"]),
    (["-o", "-", "-f", "xlsx"], ["xlsx", "-o"]),
    (["-o", "-", "-f", "tsv", "--split-by-doc"], ["--split-by-doc"]),
    (["-o", "x.tsv", "--report", "-"], ["--report", "file name"]),
])
def test_stdout_misuse_is_a_one_line_error(args, needles, tmp_path, capsys):
    code = main(["align", RU, EN, *[str(tmp_path / a) if a == "x.tsv" else a for a in args]])
    one_line_error(code, capsys.readouterr().err, *needles)


def test_stdin_misuse_is_a_one_line_error():
    twice = cli("align", "-", "-", "-o", "-", "-f", "tsv")
    one_line_error(twice.returncode, twice.stderr.decode("utf-8"), "stdin", "only one")
    empty = cli("align", "-", "-o", "-", "-f", "tsv", stdin=b"\n\n")
    one_line_error(empty.returncode, empty.stderr.decode("utf-8"), "<stdin> is empty")
    assert empty.stdout == b""
    binary = cli("align", "-", EN, "-o", "-", "-f", "tsv", stdin=b"\x00\x01\x02PK\x03\x04" * 100)
    assert binary.returncode == 2 and b"<stdin>" in binary.stderr and b"aligner-stdin-" not in binary.stderr


# --- XLSX and batch, through the CLI ----------------------------------------------------------------


def test_two_files_to_xlsx_for_review(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "pairs.xlsx"
    assert main(["align", RU, EN, "-o", str(out), "--source", "en", "-q"]) == 0
    sheet = load_workbook(out)["pairs"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("en", "ru", "score", "ru_ids", "en_ids")
    assert len(rows) == 19  # header + 18 pairs, as in TSV
    assert rows[1][:2] == ("The Lighthouse on North Cape", "Маяк на мысе Северном")
    merged = [r for r in rows[1:] if r[3] == "15,16"]
    assert merged and merged[0][4] == "15" and 0.0 <= merged[0][2] <= 1.0
    assert (tmp_path / "pairs.xlsx.meta.json").is_file()


def test_batch_takes_the_tmx_language_options(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    (books / "light_ru.txt").write_bytes(Path(RU).read_bytes())
    (books / "light_en.txt").write_bytes(Path(EN).read_bytes())
    assert main(["batch", str(books), "-o", str(tmp_path / "out"), "--format", "tmx", "--source", "en",
                 "--en-locale", "en-GB", "-q"]) == 0
    (tmx,) = (tmp_path / "out").rglob("*.tmx")
    root = etree.parse(str(tmx)).getroot()
    assert root.find("header").get("srclang") == "en-GB"
    assert [t.get(XML_LANG) for t in root.find("body/tu").findall("tuv")] == ["en-GB", "ru"]
    # A rerun with other languages is a different output: it is redone, not skipped as finished.
    assert main(["batch", str(books), "-o", str(tmp_path / "out"), "--format", "tmx", "-q"]) == 0
    assert etree.parse(str(tmx)).getroot().find("header").get("srclang") == "ru"


def test_help_documents_the_new_options(capsys):
    assert main(["align", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for needle in ("--source [ru|en]", "--ru-locale TAG", "--en-locale TAG", "'-' writes to stdout", "xlsx",
                   "'-' as an input reads stdin"):
        assert needle in text, needle
