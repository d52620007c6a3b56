"""EPUB books with ebooklib: chapters in spine order, each chapter one unit.

Navigation documents (the EPUB 3 nav, the NCX), pages marked ``linear="no"``,
and boilerplate pages (cover, table of contents, copyright, title page, by
``epub:type`` or by file name) are skipped. Each chapter's XHTML is read with
the HTML article rules (``aligner.readers.html``), so headings are marked and
lists kept. The archive is checked for zip bombs and entity declarations
before ebooklib opens it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from aligner.errors import InputError
from aligner.model import Paragraph
from aligner.readers.document import number, require_text

__all__ = ["read"]

_BOILERPLATE_TYPES = {"toc", "landmarks", "page-list", "cover", "copyright-page", "titlepage", "halftitlepage",
                      "index", "loi", "lot"}
_BOILERPLATE_NAME = re.compile(r"(^|[/_.-])(cover|toc|nav|contents|copyright|titlepage|title_page)([/_.-]|$)",
                               re.IGNORECASE)


def read(path: str | Path) -> list[Paragraph]:
    """Paragraphs of an EPUB; ``source.chapter`` is the chapter number, ``source.unit`` ``ch<N>``.

    ``line_start`` is the paragraph number in the whole book (1-based).

    Raises:
        InputError: a damaged or hostile archive, or no text.
    """
    from aligner.readers.container import check_parts, open_zip

    with open_zip(path) as zf:
        check_parts(zf, path)
    import ebooklib
    from ebooklib import epub

    try:
        book = epub.read_epub(str(path), options={"ignore_ncx": True})
    except Exception as exc:  # ebooklib raises bare Exception, KeyError, lxml errors... on a damaged book
        raise InputError(f"{path} could not be read as an EPUB book ({type(exc).__name__}: {exc}); "
                         "save it again (for example with Calibre)") from None
    pieces = []
    chapter = 0
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT or isinstance(item, epub.EpubNav):
            continue
        if str(linear).lower() == "no" or _BOILERPLATE_NAME.search(item.get_name() or ""):
            continue
        chapter_pieces = _chapter(item.get_content(), path, item.get_name())
        if not chapter_pieces:
            continue
        chapter += 1
        pieces.extend(replace(p, source=replace(p.source, chapter=chapter, unit=f"ch{chapter}", line_start=0))
                      for p in chapter_pieces)
    return require_text(number(path, pieces), path, "an EPUB book")


def _chapter(content: bytes, path, name: str) -> list:
    import lxml.html
    from lxml import etree

    from aligner.readers.container import check_entities
    from aligner.readers.html import drop_chrome, main_root, pieces

    check_entities(content, name, path)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
    try:
        root = lxml.html.document_fromstring(content, parser=parser)
    except (etree.ParserError, ValueError):
        return []  # an empty or unreadable page
    types = {t for el in root.iter() if isinstance(el.tag, str)
             for key, value in el.attrib.items() if key.endswith("type") for t in value.split()}
    if types & _BOILERPLATE_TYPES or root.xpath("//nav"):
        return []
    drop_chrome(root)
    return [p for p in pieces(main_root(root)) if p.text.strip()]
