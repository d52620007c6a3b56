"""Telegram HTML: a Telegram Desktop export (messages.html, messages2.html, ...) or a saved t.me/s/<channel> page.

Parsing is offline and inert: lxml's HTML parser never fetches anything and
resolves no external entities, and scripts and styles are dropped before any
text is read. ``<br>`` becomes a line break, because channels often put the
English and Russian halves of a post on separate lines. HTML that is neither
kind is read as an article (``aligner.readers.html``: main text, no page furniture).
"""

from __future__ import annotations

import re
from pathlib import Path

from aligner.errors import InputError, show_path
from aligner.model import Paragraph, Source
from aligner.readers.telegram_json import split_paragraphs

# Telegram Desktop exports are split into messages.html, messages2.html, ...
_PART = re.compile(r"^messages(\d*)\.html?$", re.IGNORECASE)
_DESKTOP_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-]\d{2}:\d{2}))?")
_BLOCK_TAGS = ("p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article")


def looks_like(head: str) -> bool:
    """True when the start of a file looks like HTML."""
    start = head.lstrip("\ufeff \t\r\n")[:300].lower()
    return start.startswith("<") and bool(re.search(r"<(!doctype html|html|head|body|div|p)\b", start))


def export_parts(path: Path) -> list[Path]:
    """messages.html plus its siblings messages2.html, messages3.html, ... in numeric order."""
    m = _PART.match(path.name)
    if not m or m.group(1):
        return [path]
    parts = [p for p in path.parent.iterdir() if _PART.match(p.name)]
    return sorted(parts, key=lambda p: int(_PART.match(p.name).group(1) or 1))


def read(path: str | Path, text: str) -> list[Paragraph]:
    """Parse one HTML file already decoded to ``text``.

    Returns:
        Paragraphs in page order, with post id, date and author for Telegram
        pages; ``source.line_*`` is the line span inside the post's text.
    Raises:
        InputError: the HTML cannot be parsed at all.
    """
    root = _parse(path, text)
    if root.xpath("//div[contains(@class,'tgme_widget_message') and @data-post]"):
        return _read_tme(root, str(path))
    if root.xpath("//div[contains(concat(' ',normalize-space(@class),' '),' message ') and starts-with(@id,'message')]"):
        return _read_desktop(root, str(path))
    return _read_generic(root, str(path))


def _parse(path, text: str):
    import lxml.html
    from lxml import etree

    # NUL and other C0 controls make libxml2 stop early; they never carry text.
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)
    if not text.strip():
        raise InputError(f"{show_path(path)} is empty; give a file with text to align")
    # huge_tree lifts libxml2's depth limit of 256 (text deeper than that was dropped);
    # the HTML parser never expands entity declarations, so this opens no entity bomb.
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{show_path(path)} could not be parsed as HTML ({exc}); save the page again") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        from aligner.limits import MAX_HTML_DEPTH

        # libxml2 silently drops everything nested deeper; refuse rather than lose text.
        raise InputError(f"{show_path(path)} nests HTML tags more than {MAX_HTML_DEPTH:,} levels deep, deeper than the parser "
                         "reads; save the page again, or give its text as a .txt file")
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    return root


def _text(el) -> str:
    """Visible text of an element: <br> and block elements become line breaks."""
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in el.iter(*_BLOCK_TAGS):
        if block is not el:
            block.tail = "\n" + (block.tail or "")
    text = "".join(el.itertext())
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _has_class(cls: str) -> str:
    return f"contains(concat(' ',normalize-space(@class),' '),' {cls} ')"


def _read_desktop(root, path: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    author = None
    chat = str(Path(path).parent)
    for msg in root.xpath(f"//div[{_has_class('message')} and starts-with(@id,'message')]"):
        classes = (msg.get("class") or "").split()
        if "service" in classes:
            continue
        names = msg.xpath(f"./div[{_has_class('body')}]/div[{_has_class('from_name')}]")
        if names:
            author = _text(names[0]) or author
        elif "joined" not in classes:
            author = None
        texts = [
            t
            for t in msg.xpath(f".//div[{_has_class('text')}]")
            if not t.xpath(f"ancestor::div[{_has_class('reply_to')}]")
        ]
        body = "\n".join(_text(t) for t in texts).strip()
        if not body:
            continue
        msg_id = msg.get("id", "")[len("message"):]
        dates = msg.xpath(f".//div[{_has_class('date')} and @title]")
        date = _desktop_date(dates[0].get("title")) if dates else None
        base = Source(file=path, post_id=msg_id, date=date, author=author, unit=f"{chat}/{msg_id}")
        out.extend(split_paragraphs(body, base))
    return out


def _desktop_date(title: str | None) -> str | None:
    if not title:
        return None
    m = _DESKTOP_DATE.search(title)
    if not m:
        return title.strip() or None
    day, month, year, hh, mm, ss, tz = m.groups()
    return f"{year}-{month}-{day}T{hh}:{mm}:{ss}{tz or ''}"


def _read_tme(root, path: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    for msg in root.xpath("//div[contains(@class,'tgme_widget_message') and @data-post]"):
        data_post = msg.get("data-post", "").strip("/")
        post_id = data_post.rpartition("/")[2]
        texts = [
            t
            for t in msg.xpath(".//div[contains(@class,'tgme_widget_message_text')]")
            if not t.xpath("ancestor::*[contains(@class,'tgme_widget_message_reply') or contains(@class,'link_preview')]")
        ]
        body = "\n".join(_text(t) for t in texts).strip()
        if not body:
            continue
        times = msg.xpath(".//a[contains(@class,'tgme_widget_message_date')]//time[@datetime]") or msg.xpath(
            ".//time[@datetime]"
        )
        date = times[0].get("datetime") if times else None
        names = msg.xpath(
            ".//*[contains(@class,'tgme_widget_message_from_author')] | "
            ".//*[contains(@class,'tgme_widget_message_owner_name')]"
        )
        author = _text(names[0]) if names else None
        base = Source(file=path, post_id=post_id, date=date, author=author or None, unit=data_post or post_id)
        out.extend(split_paragraphs(body, base))
    return out


def _read_generic(root, path: str) -> list[Paragraph]:
    from aligner.readers.html import read_root

    return read_root(root, path)
