"""The CLI contract: help, version, exit codes and one-line errors (docs/architecture.md)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from aligner import __version__
from aligner.cli import main
from tests.conftest import CORPORA


def run(args, capsys):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("args", [["--help"], ["align", "--help"]])
def test_help_exits_zero_and_documents(args, capsys):
    code, out, _ = run(args, capsys)
    assert code == 0
    assert "Usage:" in out
    assert "aligner" in out


def test_version(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert __version__ in out


def test_missing_input_is_user_error(tmp_path, capsys):
    code, _, err = run(["align", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o.tsv")], capsys)
    assert code == 2
    assert "not found" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_output_equal_to_input_is_refused(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("Привет.\n", encoding="utf-8")
    code, _, err = run(["align", str(src), "-o", str(src)], capsys)
    assert code == 2
    assert "also an input" in err
    assert src.read_text(encoding="utf-8") == "Привет.\n"


def test_unknown_format_is_usage_error(tmp_path, capsys):
    code, _, err = run(["align", str(CORPORA / "lighthouse_ru.txt"), "-o", str(tmp_path / "o.x"), "--format", "pdf"],
                       capsys)
    assert code == 2
    assert "pdf" in err


def test_unknown_encoder_is_user_error(tmp_path, capsys):
    code, _, err = run(["align", str(CORPORA / "lighthouse_ru.txt"), str(CORPORA / "lighthouse_en.txt"),
                        "-o", str(tmp_path / "o.tsv"), "--encoder", "nonsense"], capsys)
    assert code == 2
    assert "unknown encoder" in err and "use" in err


def test_console_script_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "aligner", "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert __version__ in proc.stdout
