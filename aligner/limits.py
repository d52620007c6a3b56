"""Hard limits on input size and shape, in one place, so hostile input fails fast and clearly.

Readers and the pipeline import these constants and helpers; the README's
"Limits and guarantees" section lists the same values. Every limit either
raises ``InputError`` (exit 2, one line saying what to do) or, for long
lines, changes nothing but where the segmenter is allowed to look.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from aligner.errors import InputError, show_path

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_HTML_DEPTH",
    "MAX_LINE_CHARS",
    "MAX_SENTENCES_PER_SIDE",
    "MISMATCH_RATIO",
    "MISMATCH_MIN_SENTENCES",
    "MAX_ZIP_UNCOMPRESSED_BYTES",
    "MAX_ZIP_ENTRIES",
    "check_zip",
    "check_input_size",
    "read_input_bytes",
    "json_depth",
    "check_json_depth",
    "wrap_long_line",
    "check_sentence_count",
    "mismatch_warning",
]

# Largest input file read (bytes). A 300 MB Telegram export fits; JSON parsing
# needs several times the file size in memory, so much more would not.
MAX_INPUT_BYTES = 512 * 1024 * 1024

# Deepest JSON nesting accepted. A Telegram export is about 8 levels deep; the
# check runs before parsing, so a nesting bomb never reaches the recursive parser.
MAX_JSON_DEPTH = 100

# Deepest HTML nesting that can be read: libxml2's own limit (with huge_tree). The
# HTML reader refuses a page that goes deeper instead of silently dropping that text.
MAX_HTML_DEPTH = 2048

# A line longer than this many characters is cut into pieces of at most this
# size before segmentation (at a sentence end, else a space, else anywhere),
# so a 5 MB single-line file costs time linear in its size.
MAX_LINE_CHARS = 10_000

# Most sentences on one side of one alignment (one file of a pair, or one block
# of a dump). Embeddings of windows of up to 4 sentences take about 8 KB per
# sentence, so this is about 0.8 GB per side. Split bigger texts into parts.
MAX_SENTENCES_PER_SIDE = 100_000

# Two-file mode warns when one side has more than MISMATCH_RATIO times the
# sentences of the other and at least MISMATCH_MIN_SENTENCES more.
MISMATCH_RATIO = 2.0
MISMATCH_MIN_SENTENCES = 20


# DOCX, ODT and EPUB are ZIP archives. Before anything is extracted, the sizes
# the archive declares must add up to at most this many bytes (zipfile never
# inflates an entry past its declared size, so a zip bomb is stopped here), and
# it may hold at most this many entries. A 1,000-page novel as DOCX is ~5 MB
# unpacked; an illustrated EPUB rarely passes 100 MB.
MAX_ZIP_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(path: Path, mode: int) -> InputError:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return InputError(f"{show_path(path)} is {kind}, not a regular file; save the text to a file and give that")


def check_input_size(path: str | Path) -> int:
    """Size of ``path`` in bytes, after checking it against ``MAX_INPUT_BYTES``.

    Only regular files are inputs: a FIFO with no writer would block forever,
    and ``/dev/zero`` has no end.

    Raises:
        InputError: the file is missing, not a regular file, or too large.
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"input file not found: {show_path(path)}; check the path") from None
    except OSError as exc:
        raise InputError(
            f"cannot read {show_path(path)}: {exc.strerror or exc}; check the path and its permissions"
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{show_path(path)} is a directory; give a file")
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(path, st.st_mode)
    if st.st_size > MAX_INPUT_BYTES:
        raise InputError(
            f"{show_path(path)} is {_mb(st.st_size)}, more than the {_mb(MAX_INPUT_BYTES)} limit; "
            "split it into smaller files"
        )
    return st.st_size


def _open_nonblocking(name: str, flags: int) -> int:
    # O_NONBLOCK: if a FIFO replaced the file since it was checked, open() must not wait for a writer.
    return os.open(name, flags | getattr(os, "O_NONBLOCK", 0))


def read_input_bytes(path: str | Path) -> bytes:
    """The bytes of an input file, never more than ``MAX_INPUT_BYTES``; only a regular file is read.

    Raises:
        InputError: missing, unreadable, a directory, not a regular file, or too large.
    """
    path = Path(path)
    check_input_size(path)
    try:
        with open(path, "rb", opener=_open_nonblocking) as fh:
            mode = os.fstat(fh.fileno()).st_mode
            if not stat.S_ISREG(mode):  # swapped for something else after the check
                raise _not_regular(path, mode)
            data = fh.read(MAX_INPUT_BYTES + 1)
    except IsADirectoryError:
        raise InputError(f"{show_path(path)} is a directory; give a file") from None
    except PermissionError:
        raise InputError(
            f"{show_path(path)}: permission denied; make the file readable (chmod +r) or copy it"
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot read {show_path(path)}: {exc.strerror or exc}; check the path and its permissions"
        ) from None
    if len(data) > MAX_INPUT_BYTES:  # grew while we read it
        raise InputError(
            f"{show_path(path)} is more than the {_mb(MAX_INPUT_BYTES)} limit; split it into smaller files"
        )
    return data


# A JSON string (with escapes), matched without backtracking: "[^"\\]*(?:\\.[^"\\]*)*"
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """Deepest nesting of ``[``/``{`` in a JSON text, ignoring brackets inside strings.

    Linear time and no recursion (numpy cumulative sum over the bracket
    characters), so it is safe on a nesting bomb. Malformed JSON still gets
    a number; the parser reports the syntax error afterwards.
    """
    import numpy as np

    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)).encode("ascii")
    if not brackets:
        return 0
    raw = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((raw == ord("[")) | (raw == ord("{")), 1, -1).astype(np.int32)
    return int(max(0, np.cumsum(steps).max()))


def check_json_depth(text: str, path: str | Path = "") -> None:
    """Raise ``InputError`` when ``text`` nests deeper than ``MAX_JSON_DEPTH``."""
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise InputError(
            f"{show_path(path)} nests JSON {depth} levels deep, more than the limit of {MAX_JSON_DEPTH}; "
            "it is not a Telegram export (export the chat again from Telegram Desktop)"
        )


_SENTENCE_END = re.compile(r"[.!?…][\"'»”)\]]*\s")
_SPACE = re.compile(r"\s")


def wrap_long_line(line: str, limit: int | None = None) -> list[str]:
    """Cut a line longer than ``limit`` (default ``MAX_LINE_CHARS``) into pieces of at most ``limit`` chars.

    Each cut goes after the last sentence end in the second half of the
    window, else at its last space, else exactly at ``limit``; no character is
    lost except the whitespace at a cut. Lines within the limit come back as
    they are, as a one-item list.

    Example:
        >>> wrap_long_line("Aa. Bb. Cc.", 8)
        ['Aa. Bb.', 'Cc.']
    """
    limit = limit or MAX_LINE_CHARS
    if len(line) <= limit:
        return [line]
    pieces: list[str] = []
    start, n = 0, len(line)
    while n - start > limit:
        window = line[start : start + limit + 1]
        half = limit // 2
        cut = -1
        for m in _SENTENCE_END.finditer(window, half):
            cut = m.end() - 1  # the whitespace after the sentence end
        if cut < 0:
            spaces = [m.start() for m in _SPACE.finditer(window, half)]
            cut = spaces[-1] if spaces else limit
        piece = line[start : start + cut].strip()
        if piece:
            pieces.append(piece)
        start += cut
    rest = line[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def check_sentence_count(n: int, what: str) -> None:
    """Raise ``InputError`` when one side of an alignment has more than ``MAX_SENTENCES_PER_SIDE`` sentences."""
    if n > MAX_SENTENCES_PER_SIDE:
        raise InputError(
            f"{what} has more than {MAX_SENTENCES_PER_SIDE:,} sentences, the limit per side; "
            "split it into smaller parts (for example by chapter) and align each part"
        )


def mismatch_warning(n_ru: int, n_en: int, ru_name: str, en_name: str, *, inputs: str = "files") -> str | None:
    """A warning when the two sides differ hugely in sentence count, else ``None``.

    The aligner still aligns what it can (the rest become 1-0 / 0-1 beads),
    but such inputs are usually the wrong pair of files, or one is truncated.
    ``inputs``: what the message calls the two sides (``"texts"`` for strings).
    """
    small, big = sorted((n_ru, n_en))
    if big - small < MISMATCH_MIN_SENTENCES or big <= MISMATCH_RATIO * max(small, 1):
        return None
    return (
        f"sentence counts differ hugely ({ru_name}: {n_ru:,} Russian, {en_name}: {n_en:,} English); "
        f"aligned what could be aligned, the rest is unaligned: check that the {inputs} translate each other"
    )


def check_zip(infos: list, path: str | Path) -> None:
    """Refuse an archive over ``MAX_ZIP_ENTRIES`` entries or ``MAX_ZIP_UNCOMPRESSED_BYTES`` unpacked.

    Args:
        infos: the archive's ``zipfile.ZipInfo`` list (read from its central
            directory; nothing is extracted yet).
    Raises:
        InputError: too many entries, or too much declared uncompressed data.
    """
    if len(infos) > MAX_ZIP_ENTRIES:
        raise InputError(
            f"{path} is an archive of {len(infos):,} files, more than the limit of {MAX_ZIP_ENTRIES:,}; "
            "it is not an ordinary document (save it again from the word processor)"
        )
    total = sum(max(0, int(i.file_size)) for i in infos)
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise InputError(
            f"{path} unpacks to {_mb(total)}, more than the {_mb(MAX_ZIP_UNCOMPRESSED_BYTES)} limit "
            "(a zip bomb, or a document full of media); save its text as a .txt file and give that"
        )
