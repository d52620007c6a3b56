"""Readers turn an input file into paragraphs with provenance; the format is detected from content.

The registry maps a format name to ``"module"``. Document formats held in
bytes (PDF, DOCX, ODT, EPUB) are recognised by ``sniff`` from their first
bytes and read with ``read(path)``; text formats have
``looks_like(head: str) -> bool`` (except the plain dump, the fallback) and
``read(path, text) -> list[Paragraph]``. Detection looks at the content, not
only at the extension, so a ``.txt`` file holding a Telegram JSON export, a
DOCX saved as ``book.txt`` or a page saved without extension is still read right.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from dataclasses import dataclass

from aligner.errors import InputError, show_path
from aligner.model import Paragraph, Source

__all__ = ["READERS", "Document", "detect_format", "file_format", "input_files", "read_document", "read_paragraphs", "read_paragraphs_as_written",
           "text_document"]

# Order matters for the text formats: the first whose ``looks_like`` accepts the head wins;
# "dump" is the fallback. The binary formats are told apart by ``sniff``.
READERS: dict[str, str] = {
    "pdf": "aligner.readers.pdf",
    "docx": "aligner.readers.docx",
    "odt": "aligner.readers.odt",
    "epub": "aligner.readers.epub",
    "telegram_json": "aligner.readers.telegram_json",
    "telegram_html": "aligner.readers.telegram_html",
    "subtitles": "aligner.readers.subtitles",
    "markdown": "aligner.readers.markdown",
    "dump": "aligner.readers.dump",
}
_HEAD_CHARS = 65536
_HEAD_BYTES = 4096


def _module(name: str):
    return importlib.import_module(READERS[name])


def detect_format(text: str, path: str | Path = "") -> str:
    """Name of the reader for a decoded file: ``telegram_json``, ``telegram_html`` (any HTML page:
    Telegram pages, else an article), ``subtitles``, ``markdown`` or ``dump``.

    Raises:
        InputError: the content is JSON, but not a Telegram export.
    """
    head = text[:_HEAD_CHARS]
    for name in ("telegram_json", "telegram_html", "subtitles"):
        if _module(name).looks_like(head):
            return name
    stripped = head.lstrip("\ufeff \t\r\n")
    is_json_name = Path(path).suffix.lower() == ".json"
    if (stripped[:1] in ("{", "[") and (is_json_name or _is_json(text, path))) or (is_json_name and _is_json(text, path)):
        raise InputError(
            f"{show_path(path)} is JSON but not a Telegram Desktop export (no 'messages' list); "
            "export the chat as JSON from Telegram Desktop, or give a text or HTML file"
        )
    if _module("markdown").looks_like(head, path):
        return "markdown"
    return "dump"


def file_format(path: str | Path) -> str | None:
    """``pdf``, ``docx``, ``odt`` or ``epub`` when the file's bytes say so; None for a text file.

    Raises:
        InputError: missing, too large, or an archive that is no document.
    """
    from aligner.limits import check_input_size
    from aligner.readers.sniff import sniff

    check_input_size(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}; check the path and its permissions") from None
    return sniff(path, head)


def _is_json(text: str, path: str | Path = "") -> bool:
    import json

    from aligner.limits import check_json_depth

    check_json_depth(text, path)  # a nesting bomb must not reach the recursive parser
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def read_paragraphs(path: str | Path) -> list[Paragraph]:
    """Read any supported input into paragraphs with provenance.

    Supported: Telegram Desktop JSON (one chat or a full-account export),
    Telegram Desktop HTML (``messages.html`` also reads ``messages2.html``...;
    a directory is read as an export folder), a saved ``t.me/s/<channel>``
    page, HTML articles, PDF, DOCX, ODT, EPUB, SRT/WebVTT subtitles, Markdown
    and plain-text dumps.

    Args:
        path: a file, or a Telegram export directory.
    Returns:
        Paragraphs in document order, each with ``source`` (file, post id,
        date, author, line span, unit); ``lang`` is not set yet.
    Raises:
        InputError: missing, unreadable, empty or malformed input.
    """
    return read_paragraphs_as_written(path)[0]


def read_paragraphs_as_written(path: str | Path) -> tuple[list[Paragraph], list[str] | None]:
    """``read_paragraphs``, plus the lines of a plain-text dump as its file writes them.

    Reading normalises text (``encoding.normalise``: no-break spaces to spaces, zero-width
    characters dropped); the outputs quote the user's text as written, as they do for two files
    (``pipeline.as_written_beads``). A dump paragraph's ``source.line_start`` (1-based) indexes
    the lines. The file is read once, so both come from the same bytes (a file that changes
    between two reads, or a pipe, cannot put them out of step). The lines are None for any
    other input, or where normalising changed nothing.
    """
    from aligner.readers.encoding import normalise

    path = Path(path)
    if path.is_dir():
        path = _export_entry(path)
    if not path.is_file():
        raise InputError(f"{show_path(path)} does not exist or is not a file; check the path")
    binary = file_format(path)
    if binary:
        return _module(binary).read(path), None
    written = _decode_file(path)
    text = normalise(written)
    if not text.strip():
        raise InputError(f"{show_path(path)} is empty; give a file with text to align")
    fmt = detect_format(text, path)
    if fmt == "telegram_html":
        from aligner.readers.telegram_html import export_parts

        out: list[Paragraph] = []
        for part in export_parts(path):
            part_text = text if part == path else normalise(_decode_file(part))
            out.extend(_module(fmt).read(part, part_text))
        return out, None
    paragraphs = _module(fmt).read(path, text)
    if fmt != "dump" or text == written:
        return paragraphs, None
    lines = written.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return paragraphs, lines if len(lines) == len(text.split("\n")) else None


def input_files(path: str | Path) -> list[Path]:
    """Every file ``read_paragraphs(path)`` may read, checked (regular, within the size limit) without reading.

    A Telegram export folder means its ``result.json`` or ``messages.html``;
    ``messages.html`` also means its ``messages2.html``... parts. The CLI checks
    these before any work, and refuses an output that would replace one of them.

    Raises:
        InputError: missing, not a regular file, too large, or a folder that is no export.
    """
    from aligner.limits import check_input_size
    from aligner.readers.telegram_html import export_parts

    path = Path(path)
    if path.is_dir():
        path = _export_entry(path)
    check_input_size(path)
    files = export_parts(path)
    files = files if path in files else [path, *files]
    for part in files:
        check_input_size(part)
    return files


def _export_entry(folder: Path) -> Path:
    for name in ("result.json", "messages.html"):
        if (folder / name).is_file():
            return folder / name
    raise InputError(f"{show_path(folder)} is a directory without result.json or messages.html; give a file instead")


def _decode_file(path: Path) -> str:
    """The file's text as written (not normalised: ``encoding.normalise`` does that)."""
    from aligner.limits import read_input_bytes
    from aligner.readers.encoding import decode_as_written

    data = read_input_bytes(path)  # InputError when missing, unreadable or over limits.MAX_INPUT_BYTES
    try:
        return decode_as_written(data)  # InputError for binary data or an undetectable encoding
    except InputError as exc:
        raise InputError(f"{show_path(path)}: {exc}") from None


@dataclass(frozen=True)
class Document:
    """One side of a two-file alignment: its text, and where each of its lines came from.

    ``sources[i]`` is the provenance of line ``i`` (0-based) of ``text``. ``written``: for a
    plain-text file, its text before normalisation (``encoding.as_written`` quotes it), else None
    (also where normalisation changed nothing).
    """

    text: str
    sources: tuple[Source, ...]
    format: str
    written: str | None = None


def read_document(path: str | Path) -> Document:
    """Read one file of a two-file alignment, in any supported format, as lines with provenance.

    A plain-text file keeps its text exactly (lines and blank lines, as
    ``aligner.readers.plain.read_text`` gives it), each line its own 1-based
    line number; any other format becomes one line per paragraph.

    Raises:
        InputError: missing, unreadable, empty or malformed input.
    """
    from aligner.readers.plain import read_text_as_written

    path = Path(path)
    if path.is_file():
        fmt = file_format(path)
        if fmt:
            return _from_paragraphs(_module(fmt).read(path), fmt)
    text, written = read_text_as_written(path)  # the plain-text checks and messages (missing, directory, empty, binary)
    fmt = detect_format(text, path)
    if fmt == "dump":
        return _plain_document(text, written, str(path))
    paragraphs = _module(fmt).read(path, text)
    if not paragraphs:
        raise InputError(f"{show_path(path)} holds no text to align; check that it is the right file")
    return _from_paragraphs(paragraphs, fmt)


def text_document(text: str, name: str) -> Document:
    """A text given as a string, as ``read_document`` reads a plain-text file holding it.

    The text is normalised (``encoding.normalise``) and each line keeps its 1-based line
    number; ``written`` keeps the string as given, so the outputs quote it. Nothing is
    guessed from the content: the string is plain text, never markup or an export.
    A lone surrogate (from a bad ``\\ud800`` escape) cannot be encoded: it becomes U+FFFD,
    as undecodable bytes of a file do. ``name`` is the ``Source.file`` of every line.
    """
    from aligner.readers.encoding import normalise, replace_lone_surrogates

    written = replace_lone_surrogates(text)
    return _plain_document(normalise(written), written, name)


def _plain_document(text: str, written: str, name: str) -> Document:
    """Plain text (normalised) with each line its own 1-based line number; ``written``: the text before normalising."""
    lines = text.split("\n")
    # None where normalising changed nothing: the outputs then quote the text as it is
    return Document(text, tuple(Source(file=name, line_start=n, line_end=n) for n in range(1, len(lines) + 1)),
                    "dump", written if written != text else None)


def _from_paragraphs(paragraphs: list[Paragraph], fmt: str) -> Document:
    lines: list[str] = []
    sources: list[Source] = []
    for p in paragraphs:
        for line in p.text.split("\n"):
            if line.strip():
                lines.append(line)
                sources.append(p.source)
    return Document("\n".join(lines), tuple(sources), fmt)
