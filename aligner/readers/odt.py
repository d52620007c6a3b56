"""OpenDocument text (ODT): ``content.xml`` read with lxml, entities refused, nothing fetched.

Headings (``text:h``) are marked, list items and table cells keep their role,
and footnotes/endnotes (``text:note``) are lifted out of the paragraph that
cites them and come last, each its own paragraph. odfpy is not needed to read;
the tests use it to write real files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from aligner.model import Paragraph
from aligner.readers.document import Piece, number, require_text

__all__ = ["read"]

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def read(path: str | Path) -> list[Paragraph]:
    """Paragraphs of an ODT file; ``line_start`` is the paragraph number (1-based, body order).

    Raises:
        InputError: a damaged or hostile archive, or no text.
    """
    from aligner.readers.container import open_zip, parse_xml, read_part

    with open_zip(path) as zf:
        root = parse_xml(read_part(zf, "content.xml", path), "content.xml", path)
    body = root.find(f"{_OFFICE}body")
    notes: list[Piece] = []
    pieces = list(_walk(body if body is not None else root, "text", notes))
    return require_text(number(path, pieces + notes), path, "an OpenDocument text")


def _walk(el, role: str, notes: list[Piece]) -> Iterator[Piece]:
    for child in el:
        tag = child.tag
        if tag == f"{_TEXT}h":
            yield Piece(_inline(child, notes), "heading")
        elif tag == f"{_TEXT}p":
            yield Piece(_inline(child, notes), role)
        elif tag == f"{_TEXT}list-item":
            yield from _walk(child, "item", notes)
        elif tag == f"{_TABLE}table-cell":
            yield from _walk(child, "cell", notes)
        elif isinstance(tag, str) and not tag.startswith(f"{_OFFICE}forms"):
            yield from _walk(child, role, notes)


def _inline(el, notes: list[Piece]) -> str:
    """Text of a paragraph: spans and links kept, notes moved to ``notes``, spacing elements honoured."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{_TEXT}note":
            body = child.find(f"{_TEXT}note-body")
            if body is not None:
                notes.extend(Piece(p.text, "footnote") for p in _walk(body, "footnote", notes))
        elif tag in (f"{_TEXT}s", f"{_TEXT}tab", f"{_TEXT}line-break"):  # runs of spaces collapse anyway
            parts.append(" ")
        elif isinstance(tag, str):
            parts.append(_inline(child, notes))
        parts.append(child.tail or "")
    return "".join(parts)
