"""Which reader a file needs, from its first bytes (and, for ZIP archives, their entry names).

The extension is only a tie-breaker: a DOCX saved as ``book.txt`` or a PDF
without an extension is still read as what it is. Text formats (Telegram
JSON/HTML, subtitles, Markdown, plain text) are told apart after decoding, in
``aligner.readers.detect_format``.
"""

from __future__ import annotations

from pathlib import Path

from aligner.errors import InputError

__all__ = ["BINARY_FORMATS", "sniff"]

# Formats read from bytes, not from decoded text.
BINARY_FORMATS = ("pdf", "docx", "odt", "epub")

_ODT_MIME = b"application/vnd.oasis.opendocument.text"
_EPUB_MIME = b"application/epub+zip"


def sniff(path: str | Path, head: bytes) -> str | None:
    """Name of the binary format of ``path`` (``pdf``, ``docx``, ``odt``, ``epub``), or None for text.

    Args:
        path: the file (opened again only for a ZIP archive's entry list).
        head: its first bytes (at least 1 KB when the file is that long).
    Raises:
        InputError: a ZIP archive that is none of the document formats, or
            another document format we cannot read (ODS, ODP, XLSX, PPTX).
    """
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    from aligner.readers.container import open_zip, read_part

    with open_zip(path) as zf:
        names = set(zf.namelist())
        if "mimetype" in names:
            mime = read_part(zf, "mimetype", path).strip()
            if mime == _EPUB_MIME:
                return "epub"
            if mime == _ODT_MIME:
                return "odt"
            if mime.startswith(b"application/vnd.oasis.opendocument"):
                raise InputError(f"{path} is an OpenDocument {mime.decode('ascii', 'replace').rsplit('.', 1)[-1]} "
                                 "file, not a text document; give an ODT, DOCX, EPUB, PDF or text file")
        if "word/document.xml" in names:
            return "docx"
        if "META-INF/container.xml" in names:
            return "epub"
        if "content.xml" in names and Path(path).suffix.lower() == ".odt":
            return "odt"
    raise InputError(f"{path} is a ZIP archive but not a DOCX, ODT or EPUB document; "
                     "unpack it and give the text file inside")

