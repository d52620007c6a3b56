"""End to end on the bundled two-file sample: every output option through the real CLI."""

from __future__ import annotations

import csv
import json

from aligner.cli import main
from tests.conftest import CORPORA

RU, EN = str(CORPORA / "lighthouse_ru.txt"), str(CORPORA / "lighthouse_en.txt")


def test_two_files_tsv_has_the_merged_bead(tmp_path, capsys):
    out = tmp_path / "l.tsv"
    assert main(["align", RU, EN, "-o", str(out), "-q"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == 18  # 19 ru sentences, 18 en: seventeen 1-1 beads and one 2-1
    merged = [r for r in rows if r["ru_ids"] == "15,16"]
    assert merged and merged[0]["en_ids"] == "15"
    assert all(0.0 <= float(r["score"]) <= 1.0 for r in rows)


def test_swapped_inputs_are_detected(tmp_path):
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    assert main(["align", RU, EN, "-o", str(a), "-q"]) == 0
    assert main(["align", EN, RU, "-o", str(b), "-q"]) == 0

    def pairs(path):
        return [(r["ru"], r["en"], r["ru_ids"], r["en_ids"]) for r in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t")]

    assert pairs(a) == pairs(b)
    assert pairs(a)[0][0] == "Маяк на мысе Северном"


def test_report_is_written_with_the_beads(tmp_path):
    out, report = tmp_path / "l.jsonl", tmp_path / "review.html"
    assert main(["align", RU, EN, "-o", str(out), "--report", str(report), "--min-score", "0.5", "-q"]) == 0
    html = report.read_text(encoding="utf-8")
    assert "Маяк на мысе Северном" in html and "The Lighthouse on North Cape" in html
    assert "http://" not in html.replace("http://www.w3.org", "")  # self-contained
    beads = [json.loads(line) for line in out.open(encoding="utf-8")]
    kept = [b for b in beads if "dropped" not in b]
    assert kept and all(b["score"] >= 0.5 for b in kept)
    assert all(b["dropped"] in ("score", "unaligned") for b in beads if "dropped" in b)


def test_split_by_doc_keeps_each_document_whole(tmp_path):
    out = tmp_path / "corpus.tsv"
    assert main(["align", str(CORPORA / "mfa_channel_dump.txt"), "-o", str(out), "--split-by-doc", "-q"]) == 0
    written = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tsv")
    assert written, "no split was written"
    docs = {}
    for path in tmp_path.glob("*.tsv"):
        for row in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"):
            docs.setdefault(row["doc"], set()).add(path.name)
    assert docs and all(len(splits) == 1 for splits in docs.values())


def test_summary_reports_counts_and_reasons(tmp_path, capsys):
    out = tmp_path / "o.tsv"
    assert main(["align", str(CORPORA / "mfa_channel_dump.txt"), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "pairs found 1" in err and "written 10" in err
    assert "dropped:" in err and "noise" in err
