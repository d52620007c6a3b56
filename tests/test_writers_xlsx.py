"""XLSX for review: layout a translator sees in Excel, the safety of its cells, atomicity, determinism.

The hypothesis round trip (every text reads back exactly) is in test_writers_roundtrip.py.
"""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from aligner.errors import OutputError
from aligner.model import Bead
from aligner.writers import write, xlsx
from tests.test_writers_formats import PINNED, beads


def test_layout_frozen_header_wrapped_text_widths(tmp_path):
    out = tmp_path / "pairs.xlsx"
    assert write(beads(), out, meta=PINNED) == 4
    sheet = load_workbook(out)["pairs"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header == ["ru", "en", "score", "ru_ids", "en_ids", "ru_msg_id", "en_msg_id", "date", "doc", "zeta"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.auto_filter.ref == "A1:J5"
    assert sheet.column_dimensions["A"].width == sheet.column_dimensions["B"].width == xlsx.TEXT_WIDTH
    assert sheet.column_dimensions["C"].width < 20
    first = sheet[2]
    assert first[0].alignment.wrap_text and first[1].alignment.wrap_text
    assert (first[0].value, first[1].value) == ("Привет, мир!", "Hello, world!")
    assert first[2].value == 0.9346 and first[2].data_type == "n" and first[2].number_format == "0.0000"
    assert (first[3].value, first[5].value, first[8].value) == ("0", "12", "news.txt")
    assert (sheet["D3"].value, sheet["E3"].value) == ("1,2", "1")
    assert sheet["B4"].value is None  # an unaligned sentence: the other side is an empty cell


def test_source_en_puts_english_in_the_first_column(tmp_path):
    out = tmp_path / "pairs.xlsx"
    write(beads(), out, meta={**PINNED, "srclang": "en-US"})
    sheet = load_workbook(out)["pairs"]
    assert [c.value for c in sheet[1]][:2] == ["en", "ru"]
    assert (sheet["A2"].value, sheet["B2"].value) == ("Hello, world!", "Привет, мир!")


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    out = tmp_path / "pairs.xlsx"
    write([Bead((0,), (0,), "=HYPERLINK(\"http://x\")", "+1-2", 0.5, provenance={"doc": "@SUM(A1)"})], out)
    sheet = load_workbook(out)["pairs"]
    assert [(c.value, c.data_type) for c in sheet[2]][:2] == [("=HYPERLINK(\"http://x\")", "s"), ("+1-2", "s")]
    assert (sheet["F2"].value, sheet["F2"].data_type) == ("@SUM(A1)", "s")
    with zipfile.ZipFile(out) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")


def test_pinned_output_is_byte_identical_and_dated(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write(beads(), a, meta=PINNED)
    write(beads(), b, meta=PINNED)
    assert a.read_bytes() == b.read_bytes()
    props = load_workbook(a).properties
    assert props.created.isoformat() == props.modified.isoformat() == "2024-01-01T12:00:00"
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write(beads(), b, force=True)
    assert load_workbook(b).properties.created.isoformat() == "2023-11-14T22:13:20"


def test_too_many_rows_for_a_sheet_is_refused_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    out = tmp_path / "pairs.xlsx"
    with pytest.raises(OutputError, match="do not fit one Excel sheet.*TSV"):
        write(beads(), out, meta=PINNED)
    assert list(tmp_path.iterdir()) == []  # atomic: no output, no sidecar, no temporary file


def test_a_cell_over_excels_limit_is_refused(tmp_path):
    huge = Bead((0,), (0,), "д" * (xlsx.MAX_CELL_CHARS + 1), "yes", 0.5)
    with pytest.raises(OutputError, match="--max-chars"):
        write([huge], tmp_path / "pairs.xlsx")
    assert list(tmp_path.iterdir()) == []
