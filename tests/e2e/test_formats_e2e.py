"""Every input format through the real CLI: a Russian file of the format aligned with an English one.

The bundled lighthouse sample is written as DOCX, ODT, EPUB, PDF, HTML, SRT, WebVTT and Markdown
(by each format's own library, tests/docmaker.py); the aligned pairs must be exactly those of the
plain-text files, and every bead must say where its sentences came from.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from aligner.cli import main
from tests import docmaker
from tests.conftest import CORPORA

RU_BLOCKS, EN_BLOCKS = docmaker.lighthouse("ru"), docmaker.lighthouse("en")


def _rows(path):
    return list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))


def _pairs(rows) -> list[tuple[str, str]]:
    return [(r["ru"], r["en"]) for r in rows]


@pytest.fixture(scope="module")
def text_pairs(tmp_path_factory) -> list[tuple[str, str]]:
    out = tmp_path_factory.mktemp("txt") / "txt.tsv"
    assert main(["align", str(CORPORA / "lighthouse_ru.txt"), str(CORPORA / "lighthouse_en.txt"),
                 "-o", str(out), "-q"]) == 0
    pairs = _pairs(_rows(out))
    assert ("Маяк на мысе Северном", "The Lighthouse on North Cape") in pairs
    return pairs


def _halves(blocks):
    return [blocks[:5], blocks[5:]]


MAKERS = {
    "docx": lambda p, b: docmaker.make_docx(p, b),
    "odt": lambda p, b: docmaker.make_odt(p, b),
    "epub": lambda p, b: docmaker.make_epub(p, _halves(b)),
    "pdf": lambda p, b: docmaker.make_pdf(p, _halves(b), header="North Cape / Северный"),
    "html": lambda p, b: docmaker.make_html(p, b),
    # Subtitles carry no titles: the cues hold the text after the heading.
    "srt": lambda p, b: docmaker.make_subtitles(p, b[1:]),
    "vtt": lambda p, b: docmaker.make_subtitles(p, b[1:], vtt=True),
    "md": lambda p, b: docmaker.make_markdown(p, b),
}
# Provenance each format adds beyond ru_lines/en_lines, and the shape of its value.
EXTRA = {"epub": ("chapter", r"^[12]$"), "pdf": ("page", r"^[12](-2)?$"),
         "srt": ("time", r"^\d\d:\d\d:\d\d\.\d{3}-\d\d:\d\d:\d\d\.\d{3}$"),
         "vtt": ("time", r"^\d\d:\d\d:\d\d\.\d{3}-\d\d:\d\d:\d\d\.\d{3}$")}


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_format_aligns_like_plain_text_and_keeps_provenance(tmp_path, text_pairs, fmt):
    ru = MAKERS[fmt](tmp_path / f"lighthouse_ru.{fmt}", RU_BLOCKS)
    en = MAKERS[fmt](tmp_path / f"lighthouse_en.{fmt}", EN_BLOCKS)
    out = tmp_path / "out.tsv"
    assert main(["align", str(ru), str(en), "-o", str(out), "-q"]) == 0
    rows = _rows(out)
    assert _pairs(rows) == (text_pairs[1:] if fmt in ("srt", "vtt") else text_pairs)
    for row in rows:
        assert re.fullmatch(r"\d+-\d+", row["ru_lines"]) and re.fullmatch(r"\d+-\d+", row["en_lines"]), row
    first = {"srt": "3-", "vtt": "4-"}.get(fmt, "1-")  # subtitles: the file line of the first cue's text
    assert rows[0]["ru_lines"].startswith(first) and rows[0]["en_lines"].startswith(first)
    if fmt in EXTRA:
        key, shape = EXTRA[fmt]
        for side in ("ru", "en"):
            assert all(re.match(shape, r[f"{side}_{key}"]) for r in rows), [r[f"{side}_{key}"] for r in rows]


def test_paragraph_numbers_point_at_the_paragraph(tmp_path):
    """DOCX provenance is the paragraph number: bead N's ru_lines names the paragraph holding its text."""
    ru = docmaker.make_docx(tmp_path / "ru.docx", RU_BLOCKS)
    en = docmaker.make_docx(tmp_path / "en.docx", EN_BLOCKS)
    out = tmp_path / "out.tsv"
    assert main(["align", str(ru), str(en), "-o", str(out), "-q"]) == 0
    for row in _rows(out):
        first = int(row["ru_lines"].split("-")[0])
        assert row["ru"].split(" ")[0] in RU_BLOCKS[first - 1][0], row


def test_docx_original_with_pdf_translation(tmp_path, text_pairs):
    ru = docmaker.make_docx(tmp_path / "original.docx", RU_BLOCKS)
    en = docmaker.make_pdf(tmp_path / "translation.pdf", [EN_BLOCKS])
    out = tmp_path / "out.tsv"
    assert main(["align", str(en), str(ru), "-o", str(out), "-q"]) == 0  # swapped on purpose: detected
    rows = _rows(out)
    assert _pairs(rows) == text_pairs
    assert {r["en_page"] for r in rows} == {"1"} and "ru_page" not in rows[0]


def test_subtitle_times_reach_jsonl_and_tmx(tmp_path):
    ru = docmaker.make_subtitles(tmp_path / "ru.srt", RU_BLOCKS[1:])
    en = docmaker.make_subtitles(tmp_path / "en.srt", EN_BLOCKS[1:])
    jsonl, tmx = tmp_path / "out.jsonl", tmp_path / "out.tmx"
    assert main(["align", str(ru), str(en), "-o", str(jsonl), "-q"]) == 0
    assert main(["align", str(ru), str(en), "-o", str(tmx), "-q"]) == 0
    first = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])
    # The first sentence (9 words) runs over cues 1 and 2 (7 words each, 3 s apart, 2.5 s long).
    assert first["ru"] == "Старый маяк стоит на мысе Северном уже больше ста лет."
    assert (first["ru_time"], first["ru_lines"]) == ("00:00:00.000-00:00:05.500", "3-7")
    assert 'type="x-ru_time">00:00:00.000-00:00:05.500<' in tmx.read_text(encoding="utf-8")


def test_scanned_pdf_is_one_line_error(tmp_path, capsys):
    scan = docmaker.make_blank_pdf(tmp_path / "scan.pdf")
    code = main(["align", str(scan), str(CORPORA / "lighthouse_en.txt"), "-o", str(tmp_path / "o.tsv"), "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and "text layer" in err and "OCR" in err
    assert err.startswith("aligner: error:") and not (tmp_path / "o.tsv").exists()


def test_one_mixed_epub_keeps_chapters(tmp_path):
    """A single bilingual EPUB (Russian paragraph, then its English one) is a mixed document."""
    mixed = [b for pair in zip(RU_BLOCKS, EN_BLOCKS) for b in pair]
    book = docmaker.make_epub(tmp_path / "bilingual.epub", [mixed[:6], mixed[6:]], lang="ru")  # pairs kept whole
    out = tmp_path / "out.tsv"
    assert main(["align", str(book), "-o", str(out), "-q"]) == 0
    rows = _rows(out)
    assert ("Маяк на мысе Северном", "The Lighthouse on North Cape") in _pairs(rows)
    assert {r["ru_chapter"] for r in rows} == {"1", "2"} and all(r["en_chapter"] == r["ru_chapter"] for r in rows)
