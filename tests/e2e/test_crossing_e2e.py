"""A crossing bead (``AlignConfig.crossing_pairs``: a 1-1 bead at its ru sentence's place whose en id
is out of order) through the real CLI: every output format, the report and a batch. Each output
parses and holds every sentence exactly once, the moved one linked to its translation."""

from __future__ import annotations

import csv
import json
import re

import pytest
from lxml import etree
from lxml import html as lhtml
from openpyxl import load_workbook

from aligner.cli import main
from tests.crossing_texts import MOVED, SNOW_EN, SNOW_RU

RU, EN = SNOW_RU, SNOW_EN


@pytest.fixture(scope="module", params=["presplit", "split"])
def files(request, tmp_path_factory):
    """The two texts, one sentence a line, given as such (``--presplit``) or split by the aligner
    (the segmenter, paragraphs and the partner checks after the alignment run too)."""
    d = tmp_path_factory.mktemp(request.param)
    ru, en = d / "snow_ru.txt", d / "snow_en.txt"
    ru.write_text("\n".join(RU) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN) + "\n", encoding="utf-8")
    return ru, en, ["--presplit"] if request.param == "presplit" else []


def sentences(texts, known):
    """The sentences that the cells hold, each cell being some of ``known`` joined by spaces."""
    out = []
    for text in texts:
        if text:
            parts = re.split(r"(?<=\.) ", text)
            assert all(p in known for p in parts), text
            out += parts
    return out


def check_pairs(pairs, nulls: bool = True):
    """Every sentence once per side, the moved one linked to its translation (``nulls``: the
    unaligned en 2 too; TMX writes no bead with an empty side)."""
    assert sorted(sentences([r for r, _ in pairs], RU)) == sorted(RU)
    assert sorted(sentences([e for _, e in pairs], EN)) == sorted(EN if nulls else EN[:2] + EN[3:])
    assert MOVED in pairs


def read_pairs(out, fmt):
    if fmt in ("tsv", "csv"):
        with out.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t" if fmt == "tsv" else ",",
                                       quoting=csv.QUOTE_NONE if fmt == "tsv" else csv.QUOTE_MINIMAL))
        return [(r["ru"], r["en"]) for r in rows], [(r["ru_ids"], r["en_ids"]) for r in rows]
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        return [(r["ru"], r["en"]) for r in rows], [(",".join(map(str, r["ru_ids"])), ",".join(map(str, r["en_ids"])))
                                                    for r in rows]
    if fmt == "tmx":
        tus = etree.parse(str(out)).getroot().findall("body/tu")
        pairs = [tuple((tu.find(f"tuv[@{{http://www.w3.org/XML/1998/namespace}}lang='{lang}']/seg").text or "")
                       for lang in ("ru", "en")) for tu in tus]
        props = [{p.get("type"): p.text or "" for p in tu.findall("prop")} for tu in tus]
        return pairs, [(p["x-ru_ids"], p["x-en_ids"]) for p in props]
    if fmt == "xlsx":
        sheet = load_workbook(out)["pairs"]
        rows = list(sheet.iter_rows(values_only=True))
        head = list(rows[0])
        col = {k: head.index(k) for k in ("ru", "en", "ru_ids", "en_ids")}
        return ([(r[col["ru"]] or "", r[col["en"]] or "") for r in rows[1:]],
                [(str(r[col["ru_ids"]] or ""), str(r[col["en_ids"]] or "")) for r in rows[1:]])
    # moses: two files, one line per bead
    ru = out.with_name(out.name + ".ru").read_text(encoding="utf-8").split("\n")[:-1]
    en = out.with_name(out.name + ".en").read_text(encoding="utf-8").split("\n")[:-1]
    assert len(ru) == len(en)
    return list(zip(ru, en)), None


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "tmx", "xlsx", "moses"])
def test_every_format_holds_every_sentence_once(files, tmp_path, fmt):
    ru, en, extra = files
    out = tmp_path / ("out" if fmt == "moses" else f"out.{fmt}")
    assert main(["align", str(ru), str(en), "-o", str(out), "-f", fmt, "--keep-unaligned", "-q", *extra]) == 0
    pairs, ids = read_pairs(out, fmt)
    check_pairs(pairs, nulls=fmt != "tmx")
    assert pairs[1] == MOVED  # in ru 1's place
    if ids is not None:  # the moved pair's ids: ru 1 with en 5
        assert ids[1] == ("1", "5")
        assert sorted(int(i) for r, _ in ids for i in r.split(",") if i) == list(range(6))
        assert sorted(int(j) for _, e in ids for j in e.split(",") if j) == (list(range(7)) if fmt != "tmx" else
                                                                              [0, 1, 3, 4, 5, 6])


def test_the_jsonl_flags_the_crossing_bead_and_keeps_the_dropped_ones(files, tmp_path):
    ru, en, extra = files
    out = tmp_path / "out.jsonl"
    assert main(["align", str(ru), str(en), "-o", str(out), "-q", *extra]) == 0  # without --keep-unaligned
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    check_pairs([(r["ru"], r["en"]) for r in rows])
    crossing = [r for r in rows if r["features"].get("crossing") == 1.0]
    assert [(r["ru_ids"], r["en_ids"]) for r in crossing] == [([1], [5])] and "dropped" not in crossing[0]
    assert [r["en_ids"] for r in rows if r.get("dropped") == "unaligned"] == [[2]]


def test_the_report_lists_every_sentence_once_in_the_aligners_order(files, tmp_path):
    ru, en, extra = files
    out, report = tmp_path / "out.jsonl", tmp_path / "report.html"
    assert main(["align", str(ru), str(en), "-o", str(out), "--report", str(report), "-q", *extra]) == 0
    doc = lhtml.fromstring(report.read_text(encoding="utf-8"))
    rows = doc.xpath("//tr[contains(@class,'bead')]")
    texts = [tuple(" ".join(s.text_content() for s in r.xpath(f"td[contains(@class,'{side}')]//span[@class='t']"))
                   for side in ("ru", "en")) for r in rows]
    check_pairs(texts)
    # the same order as the JSONL: the unaligned line in its place, not last
    written = [(r["ru"], r["en"]) for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())]
    assert texts == written and texts[3] == ("", EN[2])


def test_batch_writes_the_crossing_bead(files, tmp_path):
    ru, en, extra = files
    outdir = tmp_path / "batch"
    assert main(["batch", str(ru.parent), "-o", str(outdir), "-f", "jsonl", "--keep-unaligned", "-q", *extra]) == 0
    rows = [json.loads(line) for line in (outdir / "snow.jsonl").read_text(encoding="utf-8").splitlines()]
    check_pairs([(r["ru"], r["en"]) for r in rows])
    assert [(r["ru_ids"], r["en_ids"]) for r in rows if r["features"].get("crossing") == 1.0] == [([1], [5])]
