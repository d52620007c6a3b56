"""Moses-style parallel files: ``OUT.ru`` and ``OUT.en``, line i of one translates line i of the other.

Each segment passes through ``one_line``, so both files always have the
same number of lines. A bead with an empty side (kept with
``--keep-unaligned``) gives an empty line on that side.
"""

from __future__ import annotations

from typing import IO, Iterable

from aligner.model import Bead
from aligner.writers.text import one_line


def write_moses(beads: Iterable[Bead], fh_ru: IO[str], fh_en: IO[str]) -> int:
    """Stream beads to two line-aligned files; returns the number of lines in each."""
    n = 0
    for bead in beads:
        fh_ru.write(one_line(bead.ru) + "\n")
        fh_en.write(one_line(bead.en) + "\n")
        n += 1
    return n
