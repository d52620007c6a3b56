"""HTML articles (a saved web page that is not a Telegram page): the main text only.

Ordered lxml rules, no network and no entity expansion (lxml's HTML parser):

- ``drop_chrome``: scripts, styles, ``nav``, ``header``, ``footer``, ``aside``,
  ``form``, menus, and elements whose role, class or id names navigation,
  menus, footers, sidebars, share/cookie/comment boxes;
- ``main_root``: read only ``<article>`` (the longest one), else ``<main>`` or
  ``role=main``, else the whole ``<body>``;
- ``blocks``: one paragraph per heading (marked), paragraph, list item
  (marked), quote, table cell, or ``div`` holding loose text; ``<br>`` splits
  a block into lines.

trafilatura was considered: it pulls in eight more packages (dateparser,
courlan, htmldate, justext...) for what these rules do on articles, and it
loses the line numbers that provenance keeps (``line_start`` here is the
source line of the element).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from aligner.model import Paragraph, Source
from aligner.readers.document import Piece, number

__all__ = ["read_root", "pieces"]

_CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "menu", "button", "select", "iframe", "svg",
                "noscript", "template", "script", "style", "dialog")
_CHROME_WORDS = re.compile(
    r"(^|[\s_-])(nav|navbar|navigation|menu|footer|sidebar|breadcrumbs?|cookies?|share|social|comments?|"
    r"related|advert|ads|promo|subscribe|newsletter|banner|toolbar|pagination|skip-link)($|[\s_-])",
    re.IGNORECASE,
)
_CHROME_ROLES = ("navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LEAVES = _HEADINGS + ("p", "li", "blockquote", "pre", "dt", "dd", "td", "th", "figcaption", "caption")
_BLOCKS = _LEAVES + ("div", "section", "article", "main", "ul", "ol", "dl", "table", "tr", "tbody", "thead",
                     "figure", "body", "hr")
_ROLES = {**dict.fromkeys(_HEADINGS, "heading"), "li": "item", "td": "cell", "th": "cell"}


def read_root(root, path: str | Path) -> list[Paragraph]:
    """Main-text paragraphs of a parsed page (see the module rules); ``line_start`` is the HTML source line."""
    drop_chrome(root)
    return number(path, pieces(main_root(root)), keep_lines=True)


def drop_chrome(root) -> None:
    """Remove navigation, menus, footers and other page furniture in place.

    A class or id match never removes an element holding the ``<article>``/``<main>`` or more
    than half the page's text: a wrapper called ``nav-and-content`` is not navigation.
    """
    total = len(root.text_content())
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in ("html", "body") or el.getparent() is None:
            continue
        words = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag in _CHROME_TAGS or el.get("role", "") in _CHROME_ROLES:
            el.drop_tree()
        elif _CHROME_WORDS.search(words) and not el.xpath(".//article|.//main") \
                and len(el.text_content()) <= total / 2:
            el.drop_tree()


def main_root(root):
    """The element that holds the article: the longest ``<article>``, else ``<main>``, else ``<body>``."""
    articles = root.xpath("//article")
    if articles:
        return max(articles, key=lambda a: len(a.text_content()))
    mains = root.xpath("//main|//*[@role='main']")
    if mains:
        return mains[0]
    body = root.find("body")
    return body if body is not None else root


def pieces(root) -> Iterator[Piece]:
    """Block-level text of ``root`` in document order, one piece per line of each block.

    Iterative (an explicit stack), so a page nested 2,000 levels deep does not
    hit Python's recursion limit.
    """
    holders = _block_holders(root)
    if root not in holders:
        yield from _lines(root, _ROLES.get(root.tag, "text"))
        return
    # One open container per frame: its children still to visit, and the inline
    # text run (loose text, <b>, <a>...) gathered since its last block child.
    frames = [(root, iter(root), [root.text or ""], [root.sourceline or 0])]
    while frames:
        el, children, run, line = frames[-1]
        child = next(children, None)
        if child is None:
            frames.pop()
            yield _run_piece(run, line[0])
            if frames:
                frames[-1][2].append(el.tail or "")
            continue
        if not isinstance(child.tag, str):  # a comment or processing instruction: only its tail is text
            run.append(child.tail or "")
        elif child in holders:
            yield _run_piece(run, line[0])
            run.clear()
            line[0] = child.sourceline or line[0]
            frames.append((child, iter(child), [child.text or ""], [child.sourceline or line[0]]))
        elif child.tag in _BLOCKS:
            yield _run_piece(run, line[0])
            run.clear()
            yield from _lines(child, _ROLES.get(child.tag, "text"))
            run.append(child.tail or "")
        else:
            run.append(child.text_content())
            run.append(child.tail or "")


def _block_holders(root) -> set:
    """Elements with a block-level element somewhere inside (one pass, children before parents)."""
    holders: set = set()
    for el in reversed(list(root.iter())):
        if any(isinstance(c.tag, str) and (c.tag in _BLOCKS or c in holders) for c in el):
            holders.add(el)
    return holders


def _run_piece(run: list[str], line: int) -> Piece:
    return Piece("".join(run), "text", Source(line_start=line, line_end=line))


def _lines(el, role: str) -> Iterator[Piece]:
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    line = el.sourceline or 0
    for text in el.text_content().split("\n"):
        yield Piece(text, role, Source(line_start=line, line_end=line))
