"""Plain-text files: read the bytes, detect the encoding, normalise.

Every failure is an InputError whose message names the file and says what to do.
"""

from __future__ import annotations

from pathlib import Path

from aligner import limits
from aligner.errors import InputError
from aligner.readers.encoding import decode

__all__ = ["MAX_BYTES", "read_text"]

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
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{p}: is a directory; give a text file")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{p}: {size / 2**20:.0f} MB is over the {MAX_BYTES // 2**20} MB limit; split the file into parts"
            )
        data = p.read_bytes()
    except PermissionError:
        raise InputError(
            f"{p}: permission denied; make the file readable (chmod +r) or copy it"
        ) from None
    except OSError as exc:
        raise InputError(
            f"{p}: cannot be read ({exc.strerror or exc}); check the file"
        ) from None
    if not data.strip():
        raise InputError(f"{p}: the file is empty; give a file with text in it")
    try:
        text = decode(data)
    except InputError as exc:
        raise InputError(f"{p}: {exc}") from None
    if not text.strip():
        raise InputError(
            f"{p}: the file holds no text (only spaces or invisible characters); give a file with text in it"
        )
    return text
