"""aligner: turn Russian and English text into a clean parallel corpus.

Public API::

    from aligner import align, align_document, align_files, align_text
    beads = align(ru_sentences, en_sentences)   # pre-split lists -> list[Bead]
    result = align_text(ru_text, en_text)       # raw text in two strings -> AlignmentResult
    result = align_files("ru.txt", "en.txt")    # a text and its translation, any formats -> AlignmentResult
    result = align_document("dump.txt")         # one mixed document -> AlignmentResult

A spec string (``encoder="use"``) is loaded once per process and reused by every later
call (``aligner.encoders.shared_encoder``), with the embedding cache on as in the CLI
(``cache=False`` turns it off, a path chooses the file).

Heavy modules (encoders, readers) are imported on first use, never at import time.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

__version__ = "0.1.0"
# The name on PyPI (pip install ruen-aligner); "aligner" there is an unrelated project.
# The import package and the command stay "aligner".
DISTRIBUTION = "ruen-aligner"

if TYPE_CHECKING:  # pragma: no cover
    from aligner.encoders.base import Encoder
    from aligner.model import AlignmentResult, Bead, Paragraph

__all__ = ["align", "align_document", "align_files", "align_text", "read", "write", "__version__", "DISTRIBUTION"]


def _encoder(encoder: "str | Encoder", device: str = "cpu", cache: bool | str = True) -> "Encoder":
    """A spec string gives the process's shared encoder (loaded once, reused by later calls);
    an ``Encoder`` object is used as it is (``device`` and ``cache`` do not apply to it)."""
    if isinstance(encoder, str):
        from aligner.encoders import shared_encoder

        return shared_encoder(encoder, device=device, cache=cache)
    return encoder


def align(ru_sentences: Sequence[str], en_sentences: Sequence[str], *, encoder: "str | Encoder" = "use",
          config=None, device: str = "cpu", cache: bool | str = True) -> "list[Bead]":
    """Align two lists of already-split sentences.

    Index i of each input is sentence i in ``Bead.ru_ids`` / ``Bead.en_ids``;
    nothing is re-split. Every sentence appears in exactly one bead, in order
    (1-0 / 0-1 beads have an empty side and score 0), with one exception: a sentence pair
    that the translation moved across other beads is linked where the ru sentence stands,
    its en id out of order (``AlignConfig.crossing_pairs``; ``features["crossing"]``); and a
    line of OCR debris inside a bead is a 1-0 / 0-1 bead right after it (``debris_holes``).

    Example:
        >>> beads = align(["Привет.", "Как дела?"], ["Hello.", "How are you?"])

    ``encoder``: a spec (loaded once per process, see the module docstring) or an ``Encoder``;
    ``device`` and ``cache`` (True: the default cache dir; a path; False: none) apply to a spec.

    Raises:
        TypeError: ``ru_sentences`` or ``en_sentences`` is a ``str`` or ``bytes`` (raw text, which
            ``align_text`` splits into sentences), not a list of sentences.
    """
    from aligner.align import align_sentences

    _check_sentence_lists(ru_sentences, en_sentences)
    return align_sentences(_without_lone_surrogates(ru_sentences), _without_lone_surrogates(en_sentences),
                           encoder=_encoder(encoder, device, cache), config=config)


def _check_sentence_lists(ru_sentences, en_sentences) -> None:
    """A string would be aligned character by character, one "sentence" a character: refuse it."""
    for name, value in (("ru_sentences", ru_sentences), ("en_sentences", en_sentences)):
        if isinstance(value, (str, bytes, bytearray)):
            raise TypeError(
                f"align() takes lists of sentences, but {name} is a {type(value).__name__}; "
                "to align raw text, use aligner.align_text(ru_text, en_text), which splits it into sentences"
            )


def _without_lone_surrogates(sentences: Sequence[str]) -> list[str]:
    """A lone surrogate (from a bad ``\\ud800`` escape upstream) cannot be encoded or hashed: the
    readers replace it, and so does the API, keeping one string per index."""
    from aligner.readers.encoding import replace_lone_surrogates

    return [replace_lone_surrogates(s) for s in sentences]


def align_document(path: str | Path, *, encoder: "str | Encoder" = "use", config=None, device: str = "cpu",
                   cache: bool | str = True) -> "AlignmentResult":
    """Read one mixed document (plain dump, Telegram JSON/HTML), pair its blocks and align them."""
    from aligner.pipeline import align_document as _run

    return _run(path, encoder=_encoder(encoder, device, cache), config=config)


def align_files(ru_path: str | Path, en_path: str | Path, *, encoder: "str | Encoder" = "use",
                config=None, device: str = "cpu", cache: bool | str = True) -> "AlignmentResult":
    """Align a Russian file with its English translation (order is checked, not assumed)."""
    from aligner.pipeline import align_files as _run

    return _run(ru_path, en_path, encoder=_encoder(encoder, device, cache), config=config)


def align_text(ru_text: str, en_text: str, *, encoder: "str | Encoder" = "use", config=None, device: str = "cpu",
               cache: bool | str = True) -> "AlignmentResult":
    """Align a Russian text with its English translation, both raw text in strings.

    ``aligner align ru.txt en.txt`` without the files (``pipeline.align_texts``): each text is
    split into sentences (a headline run into the first sentence becomes one of its own), blank lines
    separate paragraphs, the languages are checked (swapped texts are swapped back), and the
    filters run. ``result.beads`` are the pairs kept, ``result.all_beads`` every bead, and
    ``result.ru_sentences`` / ``result.en_sentences`` the sentences their ids index. The
    provenance calls the texts ``ru_text`` and ``en_text`` where a file's name would stand
    (``doc``, ``ru_file``, ``en_file``); ``ru_lines`` / ``en_lines`` are 1-based lines of the strings.

    Example:
        >>> result = align_text("Привет. Как дела?", "Hello. How are you?")
        >>> [(b.ru, b.en) for b in result.beads]

    ``config``: a ``pipeline.PipelineConfig`` (``presplit``: one sentence a line, ids are then
    0-based line numbers; ``keep_unaligned``, ``min_score``, ``filters``); its encoder fields are
    not read. ``encoder``, ``device`` and ``cache`` as in ``align``.

    Raises:
        TypeError: a text is not a ``str`` (lists of sentences go to ``align``).
        InputError: neither text is Russian, or neither is English.
    """
    from aligner.pipeline import align_texts

    for name, value in (("ru_text", ru_text), ("en_text", en_text)):
        if not isinstance(value, str):
            hint = ("decode it first" if isinstance(value, (bytes, bytearray)) else
                    "to align lists of sentences, use aligner.align(ru_sentences, en_sentences)")
            raise TypeError(f"align_text() takes two strings of raw text, but {name} is a {type(value).__name__}; {hint}")
    return align_texts(ru_text, en_text, encoder=_encoder(encoder, device, cache), config=config)


def read(path: str | Path) -> "list[Paragraph]":
    """Read any supported input into paragraphs with provenance."""
    from aligner.readers import read_paragraphs

    return read_paragraphs(path)


def write(beads: "Iterable[Bead]", path: str | Path, fmt: str | None = None, **kwargs) -> int:
    """Write beads as TMX, TSV, CSV, JSONL, XLSX or Moses files (atomically); returns rows written."""
    from aligner.writers import write as _write

    return _write(beads, path, fmt, **kwargs)


class _Package(types.ModuleType):
    """Keeps ``aligner.align`` the API function.

    Importing the subpackage ``aligner.align`` (which ``align()`` itself does) makes Python
    set the package attribute ``align`` to that subpackage, so ``aligner.align(ru, en)``
    worked once and then failed with "'module' object is not callable". The subpackage
    stays importable by name (``from aligner.align import align_sentences``).
    """

    def __setattr__(self, name: str, value) -> None:
        if name == "align" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
