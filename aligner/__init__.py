"""aligner: turn Russian and English text into a clean parallel corpus.

Public API::

    from aligner import align, align_document
    beads = align(ru_sentences, en_sentences)   # pre-split lists -> list[Bead]
    result = align_document("dump.txt")         # any supported input -> AlignmentResult

Heavy modules (encoders, readers) are imported on first use, never at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

__version__ = "0.1.0"
# The name on PyPI (pip install ruen-aligner); "aligner" there is an unrelated project.
# The import package and the command stay "aligner".
DISTRIBUTION = "ruen-aligner"

if TYPE_CHECKING:  # pragma: no cover
    from aligner.encoders.base import Encoder
    from aligner.model import AlignmentResult, Bead, Paragraph

__all__ = ["align", "align_document", "align_files", "read", "write", "__version__", "DISTRIBUTION"]


def _encoder(encoder: "str | Encoder") -> "Encoder":
    if isinstance(encoder, str):
        from aligner.encoders import get_encoder

        return get_encoder(encoder)
    return encoder


def align(ru_sentences: Sequence[str], en_sentences: Sequence[str], *, encoder: "str | Encoder" = "use",
          config=None) -> "list[Bead]":
    """Align two lists of already-split sentences.

    Index i of each input is sentence i in ``Bead.ru_ids`` / ``Bead.en_ids``;
    nothing is re-split. Every sentence appears in exactly one bead, in order
    (1-0 / 0-1 beads have an empty side and score 0).

    Example:
        >>> beads = align(["Привет.", "Как дела?"], ["Hello.", "How are you?"])
    """
    from aligner.align import align_sentences

    return align_sentences(list(ru_sentences), list(en_sentences), encoder=_encoder(encoder), config=config)


def align_document(path: str | Path, *, encoder: "str | Encoder" = "use", config=None) -> "AlignmentResult":
    """Read one mixed document (plain dump, Telegram JSON/HTML), pair its blocks and align them."""
    from aligner.pipeline import align_document as _run

    return _run(path, encoder=_encoder(encoder), config=config)


def align_files(ru_path: str | Path, en_path: str | Path, *, encoder: "str | Encoder" = "use",
                config=None) -> "AlignmentResult":
    """Align a Russian file with its English translation (order is checked, not assumed)."""
    from aligner.pipeline import align_files as _run

    return _run(ru_path, en_path, encoder=_encoder(encoder), config=config)


def read(path: str | Path) -> "list[Paragraph]":
    """Read any supported input into paragraphs with provenance."""
    from aligner.readers import read_paragraphs

    return read_paragraphs(path)


def write(beads: "Iterable[Bead]", path: str | Path, fmt: str | None = None, **kwargs) -> int:
    """Write beads as TMX, TSV, CSV, JSONL, XLSX or Moses files (atomically); returns rows written."""
    from aligner.writers import write as _write

    return _write(beads, path, fmt, **kwargs)
