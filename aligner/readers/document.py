"""What the document readers (DOCX, ODT, EPUB, PDF, HTML articles, Markdown, subtitles) share.

Each reader yields ``Piece``s in reading order; ``number`` turns them into
paragraphs with provenance: whitespace collapsed, empty pieces dropped, and
``line_start``/``line_end`` set to the 1-based paragraph number when the
format has no lines of its own (DOCX, ODT, EPUB).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from aligner.errors import InputError
from aligner.model import Paragraph, Role, Source

__all__ = ["Piece", "number", "require_text"]

_SPACE = re.compile(r"[\s\u00a0\u200b\u00ad]+")


@dataclass(frozen=True)
class Piece:
    """A paragraph as a reader found it, before numbering."""

    text: str
    role: Role = "text"
    source: Source = field(default_factory=Source)


def clean_text(text: str) -> str:
    """One line of text: all whitespace runs (line breaks, tabs, NBSP, soft hyphens) become one space."""
    return _SPACE.sub(" ", text).strip()


def number(path: str | Path, pieces: Iterable[Piece], *, keep_lines: bool = False) -> list[Paragraph]:
    """Paragraphs from pieces: text cleaned, empties dropped, file name set.

    Args:
        keep_lines: keep each piece's own ``line_start``/``line_end`` (formats
            with real lines: Markdown, HTML, subtitles, PDF); otherwise number
            the paragraphs 1, 2, 3, ...
    """
    out: list[Paragraph] = []
    for piece in pieces:
        text = clean_text(piece.text)
        if not text:
            continue
        n = len(out) + 1
        src = replace(piece.source, file=str(path))
        if not keep_lines or not src.line_start:
            src = replace(src, line_start=n, line_end=n)
        out.append(Paragraph(text=text, source=src, role=piece.role))
    return out


def require_text(paragraphs: list[Paragraph], path: str | Path, what: str) -> list[Paragraph]:
    """Refuse a document in which the reader found no text at all."""
    if not paragraphs:
        raise InputError(f"{path} is {what} with no text in it; check that it is the right file")
    return paragraphs
