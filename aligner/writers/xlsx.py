"""XLSX for translators who review pairs in Excel or LibreOffice Calc.

One sheet, ``pairs``: the source text, the target text (Russian first unless
``meta["srclang"]`` is English, as in TMX), ``score`` as a number (so the
sheet sorts and filters by it), ``ru_ids``, ``en_ids``, then the provenance
columns with the TSV's names. The header row is frozen and filterable, text
columns are wide and wrapped. Every text cell is a string cell: a segment
starting with ``=`` stays text and is never run as a formula. Text passes
``clean_text`` only, so line breaks inside a segment survive.

Deterministic: the workbook's created/modified dates come from the pinned
creation date (``meta["creationdate"]``, ``SOURCE_DATE_EPOCH``) and every zip
entry carries one fixed timestamp, so pinned output is byte-identical.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Iterable, Mapping

from aligner.errors import OutputError
from aligner.model import Bead
from aligner.writers.fields import creation_time, format_ids, provenance_keys, provenance_value, score_number
from aligner.writers.text import clean_text

# Excel's own limits (Microsoft, "Excel specifications and limits").
MAX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
TEXT_WIDTH = 60  # characters: about half a screen each for the two texts
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def _columns(beads: list[Bead], src_is_ru: bool) -> list[str]:
    texts = ["ru", "en"] if src_is_ru else ["en", "ru"]
    return texts + ["score", "ru_ids", "en_ids"] + provenance_keys(beads)


def _cell_values(bead: Bead, columns: list[str]) -> list[object]:
    values: dict[str, object] = {
        "ru": clean_text(bead.ru),
        "en": clean_text(bead.en),
        "score": score_number(bead.score),
        "ru_ids": format_ids(bead.ru_ids),
        "en_ids": format_ids(bead.en_ids),
    }
    out = [values[c] if c in values else clean_text(provenance_value(bead, c)) for c in columns]
    for value in out:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise OutputError(f"a segment of {len(value)} characters is over Excel's {MAX_CELL_CHARS} per cell; "
                              "lower --max-chars or write TSV")
    return [None if v == "" else v for v in out]


def _width(column: str) -> float:
    if column in ("ru", "en"):
        return TEXT_WIDTH
    if column == "score":
        return 8
    return min(40, max(10, len(column) + 2))


def write_xlsx(beads: Iterable[Bead], fh: IO[bytes], *, meta: Mapping[str, object] | None = None) -> int:
    """Write beads as one XLSX sheet to the binary handle ``fh``; returns the number of data rows.

    Args:
        beads: the beads (held in memory once, to collect the provenance columns).
        fh: a binary handle.
        meta: ``srclang`` (an English tag puts English first) and
            ``creationdate`` (the workbook dates) are read; the rest is ignored.

    Raises:
        OutputError: more rows than one sheet holds, or a cell over Excel's limit.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    meta = dict(meta or {})
    beads = list(beads)
    if len(beads) + 1 > MAX_ROWS:
        raise OutputError(f"{len(beads)} pairs do not fit one Excel sheet ({MAX_ROWS - 1:,} at most); "
                          "write TSV, or split the output with --split-by-doc")
    src_is_ru = str(meta.get("srclang") or "ru").split("-")[0].lower() != "en"
    columns = _columns(beads, src_is_ru)
    rows = [_cell_values(bead, columns) for bead in beads]  # every limit checked before the sheet starts
    when = creation_time(meta.get("creationdate")).replace(tzinfo=None)

    wb = Workbook(write_only=True)
    wb.properties.creator = "aligner"
    wb.properties.created = wb.properties.modified = when
    ws = wb.create_sheet("pairs")
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(column)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(beads) + 1}"

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

    def row(values: list[object], header: bool = False) -> list:
        cells = []
        for column, value in zip(columns, values):
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if column == "score" and not header:
                cell.number_format = "0.0000"
            cell.alignment = wrap if column in ("ru", "en") and not header else top
            if header:
                cell.font = bold
            cells.append(cell)
        return cells

    ws.append(row(list(columns), header=True))
    for values in rows:
        ws.append(row(values))
    raw = io.BytesIO()
    # ExcelWriter, not wb.save(): save() stamps "modified" with the current time.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    _pin_zip_times(raw.getvalue(), fh)
    return len(beads)


def _pin_zip_times(data: bytes, fh: IO[bytes]) -> None:
    """Copy the zip in ``data`` to ``fh`` with every entry's timestamp fixed (zipfile stamps the current time)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
