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


def test_bench_moves_drop2_deletes_two_neighbouring_lines_and_leaves_their_partners_unaligned() -> None:
    import random

    import bench_moves as bm

    src = [f"ru {k}" for k in range(30)]
    tgt = [f"en {k}" for k in range(30)]
    gold = [((k,), (k,)) for k in range(30)]
    s, t, g, moved, par = bm.edit_case(src, tgt, gold, "drop2", random.Random(0))
    assert par is None
    assert len(s) + len(t) == 58
    nulls = [link for link in g if not link[0] or not link[1]]
    assert sorted(moved) == sorted(nulls) and len(nulls) == 2
    # every other link still pairs the same texts
    for a, b in g:
        if a and b:
            assert s[a[0]].split()[1] == t[b[0]].split()[1]
    kept = s if len(s) == 30 else t
    left = [x[1] or x[0] for x in nulls]
    assert all(kept[i[0]].split()[1] not in {y.split()[1] for y in (t if kept is s else s)} for i in left)
