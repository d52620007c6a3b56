"""Plain-text files: read the bytes, detect the encoding, normalise.

Every failure is an InputError whose message names the file and says what to do.
"""

from __future__ import annotations

from pathlib import Path

from aligner import limits
from aligner.errors import InputError, show_path
from aligner.readers.encoding import decode_as_written, normalise

__all__ = ["MAX_BYTES", "read_text", "read_text_as_written"]

# Larger inputs are refused: the whole text and its sentence embeddings must fit
# in memory. 512 MB of text is far more than any book (a long novel is ~2 MB).
# The value lives in aligner.limits with the other limits.
MAX_BYTES = limits.MAX_INPUT_BYTES


def read_text(path: str | Path) -> str:
    """Read a plain-text file in any common encoding as normalised text.

    Args:
        path: the file to read.

    Returns:
        The decoded, normalised text (see ``aligner.readers.encoding.decode``).

    Raises:
        InputError: the file is missing, a directory, unreadable, empty, too
            large, binary, or in an encoding we cannot detect.
    """
    return read_text_as_written(path)[0]


def read_text_as_written(path: str | Path) -> tuple[str, str]:
    """``read_text``'s normalised text, and the decoded text before normalisation.

    The second is what the outputs quote (``encoding.as_written``): a user's text as
    written, with its no-break and zero-width spaces.

    Raises:
        InputError: as ``read_text``.
    """
    p = Path(path)
    shown = show_path(p)
    if not p.exists():
        raise InputError(f"{shown}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{shown}: is a directory; give a text file")
    size = limits.check_input_size(p)  # a FIFO or a device is refused, never read (issue 12)
    if size > MAX_BYTES:
        raise InputError(
            f"{shown}: {size / 2**20:.0f} MB is over the {MAX_BYTES // 2**20} MB limit; split the file into parts"
        )
    data = limits.read_input_bytes(p)
    if not data.strip():
        raise InputError(f"{shown}: the file is empty; give a file with text in it")
    try:
        original = decode_as_written(data)
    except InputError as exc:
        raise InputError(f"{shown}: {exc}") from None
    text = normalise(original)
    if not text.strip():
        raise InputError(
            f"{shown}: the file holds no text (only spaces or invisible characters); give a file with text in it"
        )
    return text, original
