"""scripts/bench_quality.py: the one-line form of a raw document (``--one-line``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))
import bench_quality as bq  # noqa: E402


def test_one_line_joins_paragraphs_and_lines() -> None:
    text = "Глава Серпухова проверил содержание МКД\n\nГлава г.о. Серпухов совершил объезд.\r\n Он осмотрел дома.\n"
    assert bq.one_line(text) == "Глава Серпухова проверил содержание МКД Глава г.о. Серпухов совершил объезд. Он осмотрел дома."
    assert bq.one_line("") == "" and "\n" not in bq.one_line("a\u2028b\nc")


def test_one_line_option_is_documented() -> None:
    out = subprocess.run([sys.executable, str(SCRIPTS / "bench_quality.py"), "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "--one-line" in out and "WMT24" in out
