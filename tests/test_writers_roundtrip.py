"""Property tests: every writer's output, read back by a standard parser, gives back
exactly the input text after the documented sanitising (``writers/text.py``)."""

from __future__ import annotations

import atexit
import csv
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from aligner.model import Bead
from aligner.writers import write
from aligner.writers.text import clean_text, one_line

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Ordinary text plus the troublemakers: markup, quotes, tabs, every kind of line
# break, C0/C1 controls, lone surrogates, non-characters, astral emoji.
HOSTILE = st.sampled_from(
    list("&<>\"'\t\n\r\x00\x01\x0b\x0c\x1b\x1c\x7f\x85\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800\udfff]]>")
    + ["]]>", "&amp;", "<seg>", "\r\n", "🔥", "Ё", "\u00a0", "=1+1", "@SUM(A1)", "-2", '"q"']
)
TEXT = st.lists(st.one_of(st.text(max_size=12), HOSTILE), max_size=8).map("".join)
KEY = st.sampled_from(["doc", "ru_msg_id", "date", "copies", "score", 'weird <&"> key', "zz"])


@st.composite
def bead_lists(draw):
    n = draw(st.integers(0, 6))
    out = []
    for i in range(n):
        ru, en = draw(TEXT), draw(TEXT)
        ru_ids = (i,) if draw(st.booleans()) or not en else ()
        en_ids = (i,) if (draw(st.booleans()) or not ru_ids) else ()
        prov = draw(st.dictionaries(KEY, TEXT, max_size=3))
        score = draw(st.floats(0, 1))
        out.append(Bead(ru_ids, en_ids, ru, en, score, provenance=prov))
    return out


# One scratch directory for the module (hypothesis runs many examples per test).
SCRATCH = Path(tempfile.mkdtemp(prefix="aligner-rt-"))
atexit.register(shutil.rmtree, SCRATCH, True)


def _write(beads, name, fmt=None, meta=None) -> Path:
    rows = write(beads, SCRATCH / name, fmt, meta=meta, force=True)
    if not name.endswith(".tmx"):
        assert rows == len(beads)
    _write.rows = rows
    return SCRATCH / name


def _prov_column(key: str) -> str:
    return "prov_score" if key == "score" else key


@SETTINGS
@given(bead_lists())
def test_tsv_round_trip(beads):
    path = _write(beads, "o.tsv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    header, rows = rows[0], rows[1:]
    assert len(rows) == len(beads)
    assert all(len(r) == len(header) for r in rows)
    for bead, row in zip(beads, rows):
        cells = dict(zip(header, row))
        assert cells["ru"] == one_line(bead.ru) and cells["en"] == one_line(bead.en)
        for key, value in bead.provenance.items():
            assert cells[one_line(_prov_column(key))] == one_line(value)
    # bicleaner / cut view: one line per row, no tab inside a cell
    lines = path.read_text(encoding="utf-8").split("\n")
    assert len(lines) == len(beads) + 2 and all(line.count("\t") == len(header) - 1 for line in lines[:-1])


@SETTINGS
@given(bead_lists())
def test_csv_round_trip(beads):
    path = _write(beads, "o.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(beads)
    for bead, row in zip(beads, rows):
        assert row["ru"] == one_line(bead.ru) and row["en"] == one_line(bead.en)
        assert row["ru_ids"] == ",".join(map(str, bead.ru_ids))
        for key, value in bead.provenance.items():
            assert row[one_line(_prov_column(key))] == one_line(value)


@SETTINGS
@given(bead_lists())
def test_jsonl_round_trip(beads):
    path = _write(beads, "o.jsonl")
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) == len(beads)  # no raw U+2028 etc. splits a record
    records = [json.loads(line) for line in text.split("\n")[:-1]]
    assert len(records) == len(beads)
    for bead, rec in zip(beads, records):
        assert rec["ru"] == clean_text(bead.ru) and rec["en"] == clean_text(bead.en)
        assert rec["ru_ids"] == list(bead.ru_ids) and rec["en_ids"] == list(bead.en_ids)
        assert rec["score"] == round(bead.score, 4)
        for key, value in bead.provenance.items():
            assert rec[_prov_column(key)] == clean_text(value)


@SETTINGS
@given(bead_lists())
def test_moses_round_trip(beads):
    path = _write(beads, "o.ru")
    ru = path.read_text(encoding="utf-8").splitlines()
    en = path.with_suffix(".en").read_text(encoding="utf-8").splitlines()
    assert len(ru) == len(en) == len(beads)
    assert ru == [one_line(b.ru) for b in beads]
    assert en == [one_line(b.en) for b in beads]
    assert not any("\t" in line for line in ru + en)


@SETTINGS
@given(bead_lists(), st.sampled_from([("ru", "en"), ("en", "ru"), ("en-US", "ru-RU"), ("ru-RU", "en-GB")]))
def test_tmx_round_trip(beads, langs):
    srclang, other = langs
    meta = {"creationdate": 0, "srclang": srclang, "tgtlang": other, "note <&>": "x\ty\r\n\x01z"}
    path = _write(beads, "o.tmx", meta=meta)
    n = _write.rows
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    header = root.find("header")
    assert {p.get("type"): p.text or "" for p in header.findall("prop")} == {"x-note <&>": "x\ty\r\nz"}
    expected = [b for b in beads if clean_text(b.ru).strip() and clean_text(b.en).strip()]
    tus = root.find("body").findall("tu")
    assert n == len(tus) == len(expected)
    for bead, tu in zip(expected, tus):
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == [srclang, other]
        segs = {t.get(XML_LANG)[:2]: t.findtext("seg") or "" for t in tuvs}
        assert segs == {"ru": clean_text(bead.ru), "en": clean_text(bead.en)}
        props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
        for key, value in bead.provenance.items():
            if clean_text(value):
                assert props["x-" + key] == clean_text(value)


@SETTINGS
@given(bead_lists(), st.sampled_from(["ru", "en"]))
def test_xlsx_round_trip(beads, srclang):
    """openpyxl reads back exactly the cleaned text (line breaks and leading '=' included), score as a number."""
    from openpyxl import load_workbook

    path = _write(beads, "o.xlsx", meta={"creationdate": 0, "srclang": srclang})
    sheet = load_workbook(path, read_only=True)["pairs"]
    rows = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
    header, rows = rows[0], rows[1:]
    assert header[:2] == (["ru", "en"] if srclang == "ru" else ["en", "ru"])
    assert len(rows) == len(beads)
    for bead, row in zip(beads, rows):
        cells = dict(zip(header, row))
        assert cells["ru"] == clean_text(bead.ru) and cells["en"] == clean_text(bead.en)
        assert cells["score"] == round(bead.score, 4)
        assert cells["ru_ids"] == ",".join(map(str, bead.ru_ids))
        for key, value in bead.provenance.items():
            assert cells[_prov_column(key)] == clean_text(value)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_sanitisers_are_idempotent_and_safe(text):
    once = one_line(text)
    assert one_line(once) == once and clean_text(clean_text(text)) == clean_text(text)
    assert not any(ch in once for ch in "\t\n\r\u2028\u2029")
    once.encode("utf-8")  # no lone surrogates left
    clean_text(text).encode("utf-8")
