"""Builders of real small documents for the reader tests, each written by the format's own library.

Nothing is downloaded: python-docx, odfpy, ebooklib and fpdf2 write the files;
subtitles, Markdown and HTML are text. ``blocks`` of the form
``[(text, role), ...]`` with role ``heading`` or ``text`` describe the content.
"""

from __future__ import annotations

import glob
import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CORPORA

Blocks = list[tuple[str, str]]

# A TTF with Cyrillic for fpdf2 (its built-in fonts are Latin-1 only). DejaVu comes with
# fontconfig on Debian/Ubuntu, so with the Chromium the CI installs; tests skip without one.
_FONT_GLOBS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/**/DejaVuSans.ttf",
               "/usr/share/fonts/**/LiberationSans-Regular.ttf", "/usr/share/fonts/**/NotoSans-Regular.ttf",
               "/Library/Fonts/Arial Unicode.ttf", "C:/Windows/Fonts/arial.ttf"]


def lighthouse(lang: str) -> Blocks:
    """The bundled sample as blocks: its first line is the title, every other non-empty line a paragraph."""
    lines = [ln.strip() for ln in (CORPORA / f"lighthouse_{lang}.txt").read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    return [(lines[0], "heading")] + [(ln, "text") for ln in lines[1:]]


def cyrillic_font() -> str:
    for pattern in _FONT_GLOBS:
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    pytest.skip("no TTF font with Cyrillic found for fpdf2 (install fonts-dejavu-core)")


def make_docx(path: Path, blocks: Blocks, *, table: list[list[str]] | None = None,
              footnotes: list[str] = ()) -> Path:
    import docx

    document = docx.Document()
    for text, role in blocks:
        if role == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    document.save(str(path))
    if footnotes:
        _add_docx_footnotes(path, footnotes)
    return path


def _add_docx_footnotes(path: Path, notes: list[str]) -> None:
    """python-docx cannot write footnotes; add word/footnotes.xml the way Word does."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:footnote>'
                   for i, n in enumerate(notes, start=1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           f"{body}</w:footnotes>")
    rewrite_zip(path, {"word/footnotes.xml": xml.encode("utf-8")})


def rewrite_zip(path: Path, parts: dict[str, bytes]) -> None:
    """Replace or add entries of a ZIP document (the mimetype entry stays first and stored)."""
    with zipfile.ZipFile(path) as zf:
        old = [(info, zf.read(info.filename)) for info in zf.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in old:
            if info.filename not in parts:
                out.writestr(info, data)
        for name, data in parts.items():
            out.writestr(name, data)
    path.write_bytes(buf.getvalue())


def make_odt(path: Path, blocks: Blocks, *, footnote: str | None = None, items: list[str] = (),
             cells: list[str] = ()) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, Note, NoteBody, NoteCitation, P

    doc = OpenDocumentText()
    for n, (text, role) in enumerate(blocks):
        if role == "heading":
            doc.text.addElement(H(outlinelevel=1, text=text))
            continue
        p = P(text=text)
        if footnote and n == 1:
            note = Note(noteclass="footnote", id="ftn1")
            note.addElement(NoteCitation(text="1"))
            body = NoteBody()
            body.addElement(P(text=footnote))
            note.addElement(body)
            p.addElement(note)
        doc.text.addElement(p)
    if items:
        lst = List()
        for item in items:
            li = ListItem()
            li.addElement(P(text=item))
            lst.addElement(li)
        doc.text.addElement(lst)
    if cells:
        table = Table(name="t")
        table.addElement(TableColumn(numbercolumnsrepeated=len(cells)))
        row = TableRow()
        for cell in cells:
            tc = TableCell()
            tc.addElement(P(text=cell))
            row.addElement(tc)
        table.addElement(row)
        doc.text.addElement(table)
    doc.save(str(path))
    return path


def make_epub(path: Path, chapters: list[Blocks], *, lang: str = "ru", copyright_page: bool = True) -> Path:
    from html import escape

    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier(f"test-{lang}")
    book.set_title("Test")
    book.set_language(lang)
    items = []
    for n, blocks in enumerate(chapters, start=1):
        html = "".join(f"<h1>{escape(t)}</h1>" if r == "heading" else f"<p>{escape(t)}</p>" for t, r in blocks)
        item = epub.EpubHtml(title=f"Chapter {n}", file_name=f"chapter{n}.xhtml", lang=lang)
        item.content = f"<html><body>{html}</body></html>"
        book.add_item(item)
        items.append(item)
    spine: list = ["nav"]
    if copyright_page:
        legal = epub.EpubHtml(title="Copyright", file_name="copyright.xhtml", lang=lang)
        legal.content = "<html><body><p>Copyright 2026 Test Press. All rights reserved.</p></body></html>"
        book.add_item(legal)
        spine.append(legal)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = spine + items
    epub.write_epub(str(path), book)
    return path


def make_pdf(path: Path, pages: list[Blocks], *, header: str | None = None, page_numbers: bool = True) -> Path:
    """A PDF with a text layer: ``pages`` of blocks, optional running header and page numbers."""
    from fpdf import FPDF

    font = cyrillic_font()

    class Book(FPDF):
        def header(self):
            if header:
                self.set_font("body", size=9)
                self.cell(0, 6, header, align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

        def footer(self):
            if page_numbers:
                self.set_y(-15)
                self.set_font("body", size=9)
                self.cell(0, 8, str(self.page_no()), align="C")

    pdf = Book()
    pdf.add_font("body", "", font)
    for blocks in pages:
        pdf.add_page()
        for text, role in blocks:
            pdf.set_font("body", size=16 if role == "heading" else 12)
            pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path


def make_blank_pdf(path: Path) -> Path:
    """A 'scanned' PDF: a page with a drawn shape and no text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def _stamp(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def make_subtitles(path: Path, blocks: Blocks, *, vtt: bool = False, words_per_cue: int = 7) -> Path:
    """Cues of ``words_per_cue`` words (sentences run across cues), 3 s each, as SRT or WebVTT."""
    words = " ".join(t for t, _ in blocks).split()
    cues = [" ".join(words[i:i + words_per_cue]) for i in range(0, len(words), words_per_cue)]
    path.write_text(subtitle_text(cues, vtt=vtt), encoding="utf-8")
    return path


def subtitle_text(cues: list[str], *, vtt: bool = False, every: float = 3, length: float = 2.5) -> str:
    """``cues`` as an SRT (or WebVTT) file: cue ``n`` from ``every * n`` seconds, ``length`` long."""
    sep = "." if vtt else ","
    out = ["WEBVTT", ""] if vtt else []
    for n, cue in enumerate(cues):
        if not vtt:
            out.append(str(n + 1))
        out += [f"{_stamp(every * n, sep)} --> {_stamp(every * n + length, sep)}", cue, ""]
    return "\n".join(out)


def make_markdown(path: Path, blocks: Blocks) -> Path:
    def emphasise(text: str) -> str:  # "**First** words...": markup the reader must drop
        first, _, rest = text.partition(" ")
        return f"**{first}** {rest}"

    md = [f"# {t}" if r == "heading" else emphasise(t) for t, r in blocks]
    path.write_text("\n\n".join(md) + "\n", encoding="utf-8")
    return path


def make_html(path: Path, blocks: Blocks) -> Path:
    from html import escape

    body = "".join(f"<h1>{escape(t)}</h1>" if r == "heading" else f"<p>{escape(t)}</p>" for t, r in blocks)
    path.write_text(
        "<!DOCTYPE html><html><head><title>Site</title><script>var tracking = 1;</script></head><body>"
        "<header><a href='/'>Home page</a></header>"
        "<nav><ul><li><a href='/news'>All news and stories</a></li><li><a href='/about'>About us</a></li></ul></nav>"
        f"<main><article>{body}</article>"
        "<aside class='related'><p>Read also: the best beaches of the north coast.</p></aside></main>"
        "<footer><p>Copyright 2026. All rights reserved. Cookie settings.</p></footer></body></html>",
        encoding="utf-8")
    return path
