"""Plain data types that flow between the stages.

Every stage is a function from these types to these types; only readers,
writers and the CLI touch files. All types are frozen so a stage can never
mutate what an earlier stage produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["ru", "en", "other"]


@dataclass(frozen=True)
class Source:
    """Where a piece of text came from, kept all the way to the output."""

    file: str = ""
    post_id: str | None = None
    date: str | None = None
    author: str | None = None
    line_start: int = 0  # 1-based, inclusive; 0 when unknown
    line_end: int = 0
    # The source unit a block never crosses (a post, a document); readers set it.
    # "chat/post" where one file holds several chats. None: the file is one unit.
    unit: str | None = None
    # Document readers add where in the document: PDF page (1-based), EPUB chapter
    # (1-based spine position of the chapters read), subtitle cue times ("00:01:02.500").
    page: int | None = None
    chapter: int | None = None
    time_start: str | None = None
    time_end: str | None = None


# What a paragraph is in its document; the segmenter never joins a heading to the next line.
Role = Literal["text", "heading", "item", "cell", "footnote"]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or one line of a mixed-script paragraph) of input."""

    text: str
    lang: Lang | None = None  # None until langid has run
    source: Source = field(default_factory=Source)
    role: Role = "text"


@dataclass(frozen=True)
class Block:
    """Consecutive paragraphs of one language from one source unit (a post, a section)."""

    id: str
    lang: Lang
    paragraphs: tuple[Paragraph, ...]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def source(self) -> Source:
        first, last = self.paragraphs[0].source, self.paragraphs[-1].source
        return Source(
            file=first.file,
            post_id=first.post_id,
            date=first.date,
            author=first.author,
            line_start=first.line_start,
            line_end=last.line_end,
            unit=first.unit,
            page=first.page,
            chapter=first.chapter,
            time_start=first.time_start,
            time_end=last.time_end,
        )


@dataclass(frozen=True)
class BlockPair:
    """A Russian block and the English block that translates it."""

    ru: Block
    en: Block
    score: float


@dataclass(frozen=True)
class Bead:
    """One alignment unit: ru sentences <-> en sentences (either side may be empty).

    ``ru_ids``/``en_ids`` index the sentence lists given to ``align()``.
    ``score`` is the calibrated probability that the pair is a correct
    translation pair (0.0 for 1-0 / 0-1 beads). ``features`` holds the raw
    terms behind the score (similarity, margin, length ratio, ...) for
    filters, reports and calibration. ``provenance`` holds output columns
    such as ``ru_msg_id``, ``en_msg_id``, ``date``, ``doc``. ``ru_parts``/``en_parts``
    are the side's sentences one by one (``ru`` is them joined by a space), so the
    review editor can split a bead again; empty when unknown.
    """

    ru_ids: tuple[int, ...]
    en_ids: tuple[int, ...]
    ru: str
    en: str
    score: float
    features: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    provenance: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    ru_parts: tuple[str, ...] = field(default=(), compare=False, hash=False)
    en_parts: tuple[str, ...] = field(default=(), compare=False, hash=False)

    @property
    def kind(self) -> str:
        """Bead type such as ``"1-1"`` or ``"2-1"`` (ru count first)."""
        return f"{len(self.ru_ids)}-{len(self.en_ids)}"

    @property
    def is_null(self) -> bool:
        return not self.ru_ids or not self.en_ids


@dataclass(frozen=True)
class Dropped:
    """Something a stage removed, and why (for the run summary and the report)."""

    reason: str
    text: str = ""
    bead: Bead | None = None
    source: Source | None = None


@dataclass
class RunStats:
    """Counters that every stage adds to; the CLI prints them as the run summary."""

    inputs: int = 0
    paragraphs: int = 0
    blocks_ru: int = 0
    blocks_en: int = 0
    block_pairs: int = 0
    unpaired_ru: int = 0
    unpaired_en: int = 0
    sentences_ru: int = 0
    sentences_en: int = 0
    beads: int = 0
    beads_written: int = 0
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> count
    seconds: float = 0.0

    def drop(self, reason: str, n: int = 1) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + n


@dataclass
class AlignmentResult:
    """What the pipeline returns for one input: the pairs, their beads, and what was dropped."""

    pairs: list[BlockPair] = field(default_factory=list)
    beads: list[Bead] = field(default_factory=list)
    ru_sentences: list[str] = field(default_factory=list)
    en_sentences: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    # Every bead before the filters, in document order (the JSONL output and the review editor show them all).
    all_beads: list[Bead] = field(default_factory=list)
    stats: RunStats = field(default_factory=RunStats)
    # Things the user should know that do not stop the run (the CLI prints each as one line).
    warnings: list[str] = field(default_factory=list)
