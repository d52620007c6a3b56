"""End to end through the CLI on mixed documents (issue 3): the channel dump and the Telegram export."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPORA, REPO, SHARED

DUMP = CORPORA / "mfa_channel_dump.txt"


def run_align(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "aligner", "align", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def dump_rows(tmp_path_factory) -> list[dict[str, str]]:
    out = tmp_path_factory.mktemp("dump") / "out.tsv"
    proc = run_align(str(DUMP), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return read_tsv(out)


def test_dump_gives_exactly_the_bilingual_post(dump_rows):
    assert len(dump_rows) == 10
    # Russian lines 97-102 translate English lines 91-96; nothing else pairs.
    assert {r["ru_lines"] for r in dump_rows} == {"97-102"}
    assert {r["en_lines"] for r in dump_rows} == {"91-96"}
    assert all(r["ru"] and r["en"] for r in dump_rows)


def test_dump_has_one_2_1_bead_with_the_day_of_pride(dump_rows):
    kinds = [f"{len(r['ru_ids'].split(','))}-{len(r['en_ids'].split(','))}" for r in dump_rows]
    assert kinds.count("1-1") == 9 and kinds.count("2-1") == 1
    two_one = dump_rows[kinds.index("2-1")]
    assert two_one["ru"].startswith("И поэтому 22 июня")
    assert "днём гордости. За тех, кто отдал свои жизни" in two_one["ru"]
    assert two_one["en"].startswith("That is why we can also call June 22 a day of pride")


def test_dump_beads_cover_the_post_in_order(dump_rows):
    ru_ids = [int(i) for r in dump_rows for i in r["ru_ids"].split(",")]
    en_ids = [int(i) for r in dump_rows for i in r["en_ids"].split(",")]
    assert ru_ids == list(range(11))
    assert en_ids == list(range(10))
    assert dump_rows[0]["ru"].startswith("22 июня 1941 года, в 4 часа утра")
    assert dump_rows[0]["en"].startswith("On this day in 1941, at 4 a.m.")
    assert dump_rows[-1]["en"].startswith("On this important day in our national history")


@pytest.mark.slow
@pytest.mark.shared
def test_telegram_export_pairs_only_posts_with_a_russian_original(tmp_path):
    sim = SHARED / "eval" / "telegram_sim"
    if not sim.is_dir():
        pytest.skip("../shared is not available")
    out = tmp_path / "tg.tsv"
    proc = run_align(str(sim / "result.json"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = read_tsv(out)
    gold = json.loads((sim / "gold.json").read_text(encoding="utf-8"))
    with_ru = {str(g["en_msg"]): str(g["ru_msg"]) for g in gold if g.get("ru_msg") is not None}
    en_posts = {r["en_msg_id"] for r in rows}
    assert en_posts == set(with_ru)  # every English post with an original, and no other
    assert all(with_ru[r["en_msg_id"]] == r["ru_msg_id"] for r in rows)
    assert all(r["date"] for r in rows)
