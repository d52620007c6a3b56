"""Nothing invisible (issue 17): sentences of dump posts that found no partner."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.pipeline import PipelineConfig, align_document
from tests.conftest import REPO

POSTS = [
    (101, "Сегодня министр встретился с послом Франции. Стороны обсудили торговлю и культурный обмен."),
    (102, "Today the minister met the French ambassador. The sides discussed trade and cultural exchange."),
    (103, "Our office will be closed on Monday for maintenance. Please plan your visits accordingly."),
    (104, "В субботу в парке пройдёт благотворительный забег. Регистрация открыта до пятницы."),
]


@pytest.fixture()
def dump(tmp_path) -> Path:
    messages = [{"id": i, "type": "message", "date": f"2024-05-0{k + 1}T10:00:00", "date_unixtime": str(1714557600 + k),
                 "from": "Channel", "from_id": "channel1", "text": text, "text_entities": []}
                for k, (i, text) in enumerate(POSTS)]
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "Channel", "type": "public_channel", "id": 1, "messages": messages},
                               ensure_ascii=False), encoding="utf-8")
    return path


def test_unpaired_posts_are_listed_as_dropped_by_default(dump, use_encoder):
    result = align_document(dump, encoder=use_encoder)
    assert {(b.provenance.get("ru_msg_id"), b.provenance.get("en_msg_id")) for b in result.beads} == {("101", "102")}
    unpaired = [d for d in result.dropped if d.reason == "unpaired"]
    assert {d.bead.provenance.get("en_msg_id") or d.bead.provenance.get("ru_msg_id") for d in unpaired} == {"103", "104"}
    assert len(unpaired) == 4  # two sentences in each unrelated post
    assert result.stats.dropped["unpaired"] == 4


def test_keep_unaligned_writes_unpaired_sentences(dump, use_encoder):
    result = align_document(dump, encoder=use_encoder, config=PipelineConfig(keep_unaligned=True))
    unpaired = [b for b in result.beads if b.provenance.get("reason") == "unpaired"]
    assert [(b.ru, b.en) for b in unpaired if b.provenance.get("en_msg_id") == "103"] == [
        ("", "Our office will be closed on Monday for maintenance."), ("", "Please plan your visits accordingly.")]
    assert [b.ru for b in unpaired if b.provenance.get("ru_msg_id") == "104"] == [
        "В субботу в парке пройдёт благотворительный забег.", "Регистрация открыта до пятницы."]
    assert all(b.provenance["date"] for b in unpaired)
    assert not any(d.reason == "unpaired" for d in result.dropped)


def test_cli_keep_unaligned_and_report(dump, tmp_path):
    out, report = tmp_path / "out.tsv", tmp_path / "report.html"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "aligner", "align", str(dump), "-o", str(out), "--keep-unaligned",
                           "--report", str(report)], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    lonely = [r for r in rows if r["reason"] == "unpaired"]
    assert {r["en_msg_id"] for r in lonely if r["en"]} == {"103"} and all(not r["ru"] for r in lonely if r["en"])
    assert {r["ru_msg_id"] for r in lonely if r["ru"]} == {"104"} and all(not r["en"] for r in lonely if r["ru"])
    html = report.read_text(encoding="utf-8")
    assert "Please plan your visits accordingly." in html and "Регистрация открыта до пятницы." in html
    # Without --keep-unaligned the report still lists them, as dropped "unpaired".
    proc = subprocess.run([sys.executable, "-m", "aligner", "align", str(dump), "-o", str(tmp_path / "o2.tsv"),
                           "--report", str(tmp_path / "r2.html")], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "r2.html").read_text(encoding="utf-8")
    assert 'data-reason="unpaired"' in html and "Регистрация открыта до пятницы." in html
    assert "unpaired 4" in proc.stderr
