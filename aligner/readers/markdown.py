"""Markdown with markdown-it-py (CommonMark): headings, paragraphs, list items, quotes, table cells.

Formatting is dropped (``**bold**`` -> ``bold``, ``[text](url)`` -> ``text``),
code blocks, HTML blocks and front matter are skipped, and each paragraph
keeps the file lines it spans (markdown-it's line map).
"""

from __future__ import annotations

import re
from pathlib import Path

from aligner.model import Paragraph, Source
from aligner.readers.document import Piece, number, require_text

__all__ = ["looks_like", "read"]

_ATX = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_MARKUP = re.compile(r"\[[^\]\n]+\]\([^)\n]+\)|^```|^\s*[-*+][ \t]+\S|\*\*[^*\n]+\*\*", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_ROLES = {"heading_open": "heading", "list_item_open": "item", "td_open": "cell", "th_open": "cell"}


def looks_like(head: str, path: str | Path = "") -> bool:
    """A ``.md``/``.markdown`` file, or text with ATX headings (``# Title``) and other Markdown markup."""
    if Path(path).suffix.lower() in (".md", ".markdown", ".mdown"):
        return True
    headings = len(_ATX.findall(head))
    return headings >= 2 or (headings >= 1 and len(_MARKUP.findall(head)) >= 2)


def read(path: str | Path, text: str) -> list[Paragraph]:
    """Paragraphs of a Markdown file; ``line_start``/``line_end`` are its 1-based file lines."""
    from markdown_it import MarkdownIt

    front = _FRONT_MATTER.match(text)
    offset = front.group(0).count("\n") if front else 0
    body = text[front.end():] if front else text
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    pieces: list[Piece] = []
    roles: list[str] = ["text"]
    for tok in tokens:
        if tok.nesting == 1:
            roles.append(_ROLES.get(tok.type, roles[-1]))
        elif tok.nesting == -1:
            roles.pop()
        elif tok.type == "inline" and tok.map:
            start, end = tok.map
            src = Source(line_start=start + 1 + offset, line_end=end + offset)
            pieces.append(Piece(_plain(tok.children or []), roles[-1], src))
    return require_text(number(path, pieces, keep_lines=True), path, "a Markdown file")


def _plain(children) -> str:
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(child.content)
    return "".join(out)
