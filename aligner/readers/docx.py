"""Word documents (DOCX) with python-docx: body paragraphs and tables in order, then footnotes.

Headings (styles "Title", "Heading N") are marked; tables are read row by row,
cell by cell (a merged cell once); footnotes, which python-docx does not
expose, are read from ``word/footnotes.xml`` and come last, each its own
paragraph. The archive is checked for zip bombs and entity declarations
before python-docx opens it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from aligner.errors import InputError
from aligner.model import Paragraph
from aligner.readers.document import Piece, number, require_text

__all__ = ["read"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: str | Path) -> list[Paragraph]:
    """Paragraphs of a DOCX file; ``line_start`` is the paragraph number (1-based, body order).

    Raises:
        InputError: a damaged or hostile archive, or no text.
    """
    from aligner.readers.container import check_parts, open_zip, parse_xml, read_part

    with open_zip(path) as zf:
        check_parts(zf, path)
        notes = read_part(zf, "word/footnotes.xml", path) if "word/footnotes.xml" in zf.namelist() else None
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on damaged parts; all mean "damaged file"
        raise InputError(f"{path} could not be read as a Word document ({type(exc).__name__}: {exc}); "
                         "save it again as .docx") from None
    # Style ids of headings, looked up once: python-docx's per-paragraph ``.style`` rescans the
    # style sheet each time (95 paragraphs/s on a 900-paragraph book; bench_readers.py).
    headings = {s.style_id for s in document.styles if (s.name or "").startswith(("Heading", "Title"))}
    pieces = list(_blocks(document.iter_inner_content(), headings))
    if notes is not None:
        pieces.extend(_footnotes(parse_xml(notes, "word/footnotes.xml", path)))
    return require_text(number(path, pieces), path, "a Word document")


def _blocks(items, headings: set[str], role: str = "text") -> Iterator[Piece]:
    from docx.table import Table

    for item in items:
        if isinstance(item, Table):
            yield from _table(item, headings)
        else:
            style = item._p.style or ""  # the paragraph's style id; "" for the default style
            yield Piece(item.text, "heading" if style in headings or style.startswith(("Heading", "Title")) else role)


def _table(table, headings: set[str]) -> Iterator[Piece]:
    seen: set = set()  # the <w:tc> elements themselves: ids of lxml proxies get reused
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:  # a merged cell appears once per spanned column
                continue
            seen.add(cell._tc)
            yield from _blocks(cell.iter_inner_content(), headings, "cell")


def _footnotes(root) -> Iterator[Piece]:
    for note in root.iter(f"{_W}footnote"):
        if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        for p in note.iter(f"{_W}p"):
            yield Piece("".join(t.text or "" for t in p.iter(f"{_W}t")), "footnote")
