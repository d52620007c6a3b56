"""PDF with a text layer, read with pypdf: lines joined into paragraphs, page furniture dropped.

Ordered rules, each a small function:

- ``page_furniture``: page numbers ("12", "- 12 -", "Page 12 of 40",
  "Стр. 12") and running headers/footers (a line at the top or bottom of
  at least ``RUNNING_SHARE`` of the pages, digits ignored) are dropped;
- ``breaks_paragraph``: a vertical gap (a blank line in pypdf's layout
  mode), an indented first line, a line that ends a sentence well short of
  the full line width, a sentence end at the bottom of a page, or a short
  unpunctuated line (a heading) before a capital, ends a paragraph; other
  lines are joined, also across pages;
- ``dehyphenate``: a word broken at a line end ("ма-" + "як") is joined
  without the hyphen, unless the hyphenated form occurs elsewhere in the
  document and the joined one does not ("well-known"); works for Russian and
  English alike, and for soft hyphens.

A PDF whose pages give no text (a scan) is refused: it needs OCR first.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from aligner.errors import InputError
from aligner.model import Paragraph, Source
from aligner.readers.document import Piece, number

__all__ = ["read", "RUNNING_SHARE"]

# A line at the top or bottom of at least this share of the pages (and of 2 pages) is a running header/footer.
RUNNING_SHARE = 0.5
# A line ending a sentence below this share of the full line width ends its paragraph.
SHORT_LINE = 0.8
_EDGE = 2  # how many lines at the top and at the bottom of a page may be furniture
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|стр\.?|страница|с\.)\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—]?"
    r"(?:\s*(?:of|из|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;][\"'»”)\]]*$")
_HYPHENATED = re.compile(r"(\w+)[-\u00ad]$")
_WORD = re.compile(r"\w+(?:-\w+)*")


def read(path: str | Path) -> list[Paragraph]:
    """Paragraphs of a PDF; ``source.page`` is the page a paragraph starts on, ``line_start`` its number.

    Raises:
        InputError: damaged, encrypted with a password, or without a text layer.
    """
    raw = _page_lines(path)
    if not any(line.strip() for page in raw for line in page):
        raise InputError(f"{path} is a PDF without a text layer (a scan or images only); run OCR on it "
                         "(for example ocrmypdf) or export it again with text, then give that file")
    margin = _body_margin(raw)
    kept = page_furniture([[line.strip() for line in page] for page in raw])
    pages = [_trim([(text, _indent(line) - margin) for text, line in zip(texts, page)])
             for texts, page in zip(kept, raw)]
    words = Counter(w.lower() for page in pages for line, _ in page for w in _WORD.findall(line))
    width = _full_width([line for page in pages for line, _ in page if line])
    pieces: list[Piece] = []
    current: list[str] = []
    start_page = 1
    for page_no, page in enumerate(pages, start=1):
        for n, (line, indent) in enumerate(page):
            new_page = n == 0 and _SENTENCE_END.search(current[-1] if current else "")  # ends with its page
            if current and (not line or indent >= 2 or new_page or breaks_paragraph(current[-1], line, width)):
                pieces.append(Piece(" ".join(current), "text", Source(page=start_page)))
                current = []
            if not line:
                continue
            if current and _HYPHENATED.search(current[-1]) and line[:1].islower():
                current[-1] = dehyphenate(current[-1], line, words)
                continue
            if not current:
                start_page = page_no
            current.append(line)
    if current:
        pieces.append(Piece(" ".join(current), "text", Source(page=start_page)))
    return number(path, pieces)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _body_margin(pages: list[list[str]]) -> int:
    """The most common left indent of text lines (layout mode keeps indents as spaces)."""
    indents = Counter(_indent(line) for page in pages for line in page if line.strip())
    return indents.most_common(1)[0][0] if indents else 0


def _trim(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Drop blank lines at the top and bottom of a page, so a paragraph can run on across pages."""
    while lines and not lines[0][0]:
        lines = lines[1:]
    while lines and not lines[-1][0]:
        lines = lines[:-1]
    return lines


def _page_lines(path) -> list[list[str]]:
    """Each page's lines in layout mode: vertical gaps become blank lines, indents stay as spaces."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{path} is a password-protected PDF; open it, save a copy without a password, "
                             "and give that")
        return [_layout_text(page).rstrip().splitlines() for page in reader.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, ZeroDivisionError) as exc:  # pypdf's errors on a damaged file are of many kinds
        raise InputError(f"{path} could not be read as a PDF ({type(exc).__name__}: {exc}); "
                         "save or export it again") from None


def _layout_text(page) -> str:
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError):
        return page.extract_text() or ""  # layout mode fails on some odd fonts; plain mode still reads them


def page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """The pages with page numbers and running headers/footers blanked (see the module rules).

    Lines keep their places (a dropped line becomes ""), so callers can zip the result with the input.
    """
    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.lower())

    edge_counts: Counter[str] = Counter()
    for page in pages:
        text = [line for line in page if line]
        edge_counts.update({key(line) for line in text[:_EDGE] + text[-_EDGE:]})
    running = {k for k, n in edge_counts.items() if n >= max(2, RUNNING_SHARE * len(pages))}
    out = []
    for page in pages:
        idx = [i for i, line in enumerate(page) if line]
        edges = set(idx[:_EDGE] + idx[-_EDGE:])
        out.append(["" if i in edges and (_PAGE_NUMBER.match(line) or key(line) in running) else line
                    for i, line in enumerate(page)])
    return out


def breaks_paragraph(prev: str, line: str, width: float) -> bool:
    """True when ``line`` starts a new paragraph after ``prev`` (both non-empty)."""
    if _SENTENCE_END.search(prev) and len(prev) < SHORT_LINE * width:
        return True  # the sentence ended well before the right margin
    return len(prev) < 0.6 * width and prev[-1:].isalnum() and line[:1].isupper()  # a heading


def dehyphenate(head: str, line: str, words: Counter) -> str:
    """Join ``head`` (ending in a broken word) with the next ``line``."""
    m = _HYPHENATED.search(head)
    first, _, rest = line.partition(" ")
    tail = re.match(r"\w+", first)
    if not tail:
        return f"{head} {line}"
    joined, hyphenated = m.group(1) + tail.group(0), f"{m.group(1)}-{tail.group(0)}"
    keep = head.endswith("-") and words[hyphenated.lower()] > 0 and words[joined.lower()] == 0
    glued = (hyphenated if keep else joined) + first[tail.end():]
    return f"{head[: m.start()]}{glued} {rest}".rstrip()


def _full_width(lines: list[str]) -> float:
    """Length of a full line: the 80th percentile of line lengths, in characters."""
    if not lines:
        return 0.0
    lengths = sorted(len(line) for line in lines)
    return float(lengths[int(0.8 * (len(lengths) - 1))])
