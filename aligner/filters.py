"""Bead filters: what a translator's TM or an MT training set must not contain.

Each filter is a small named rule over one bead that returns True when the
bead must go; ``apply_filters`` runs them in order and records the first
reason that fired (one short id per reason, counted in the run summary).
Null beads (an empty side) are dropped as ``unaligned`` unless
``keep_unaligned``; when kept, only ``too_long`` applies to them, since the
other rules compare two sides. ``dedup`` runs last, over the survivors.

The checks are deliberately cheap (no language models): script ratios for
the language, digit groups for numbers, Unicode categories for emoji.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from dataclasses import dataclass, fields, replace
from typing import Callable, Iterable

from aligner.errors import AlignerError
from aligner.model import Bead, Dropped
from aligner.numbers import changed as number_changed

REASONS = (
    "unaligned",
    "unpaired",  # a dump block that found no partner (pipeline.unpaired_beads)
    "score",
    "too_long",
    "url_only",
    "emoji_only",
    "too_short",
    "untranslated",
    "wrong_language",
    "length_ratio",
    "numbers",
    "weak_piece",
    "duplicate_pair",
)


@dataclass(frozen=True)
class FilterConfig:
    """Every filter's switch and threshold, with the defaults the CLI shows.

    Attributes:
        min_score: drop beads whose calibrated score is below this.
        keep_unaligned: keep 1-0 / 0-1 beads instead of dropping them.
        max_length_ratio: longest/shortest side in characters, with 10
            characters added to both so short pairs are not punished; None disables.
        drop_untranslated: drop pairs whose sides are the same text.
        check_language: drop pairs whose Russian side is not mostly Cyrillic
            (or looks Ukrainian/Belarusian) or whose English side is not mostly Latin.
        min_ru_cyrillic: share of Cyrillic among the letters of the Russian side.
        min_en_latin: share of Latin among the letters of the English side.
        min_chars: a side needs at least this many letters or digits.
        max_chars: a side may have at most this many characters (Trados
            refuses segments over 2,000); None disables.
        check_numbers: drop pairs where each side has a number the other lacks.
        drop_url_only: drop pairs where a side is only URLs (and punctuation).
        drop_emoji_only: drop pairs where a side is only emoji (and punctuation).
        min_piece_sim: drop a merged pair (two or more sentences on a side) when one of
            those sentences has at most this cosine with the whole other side
            (``features["piece_min"]``, set by the aligner): it rides along with no
            counterpart. None disables. 0.0 is a USE value (see ``weak_piece``).
        dedup: drop exact duplicate pairs after normalisation; the kept copy
            gets a ``copies`` provenance field listing every copy's provenance.
    """

    min_score: float = 0.0
    keep_unaligned: bool = False
    max_length_ratio: float | None = 3.0
    drop_untranslated: bool = True
    check_language: bool = True
    min_ru_cyrillic: float = 0.3
    min_en_latin: float = 0.6
    min_chars: int = 1
    max_chars: int | None = 2000
    check_numbers: bool = True
    drop_url_only: bool = True
    drop_emoji_only: bool = True
    min_piece_sim: float | None = 0.0
    dedup: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_score <= 1.0:
            raise AlignerError(f"min_score must be between 0 and 1, got {self.min_score}")
        if self.max_length_ratio is not None and self.max_length_ratio < 1.0:
            raise AlignerError(f"max_length_ratio must be >= 1 (or None to disable), got {self.max_length_ratio}")
        if self.max_chars is not None and self.max_chars < 1:
            raise AlignerError(f"max_chars must be >= 1 (or None to disable), got {self.max_chars}")

    @classmethod
    def names(cls) -> list[str]:
        """The field names, for error messages and CLI wiring."""
        return [f.name for f in fields(cls)]


# --- character classes -------------------------------------------------------

_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»]+|\b[\w.-]+\.(?:com|org|net|ru|io|me|info|рф)(?:/[^\s<>\"«»]*)?",
    re.IGNORECASE,
)
# what every ``_URL`` match holds, with the same case rule: a text without it has no link, and
# this search is quick where ``_URL``'s ``\b[\w.-]+`` is tried at every word
_URL_PART = re.compile(r"://|www\.|\.(?:com|org|net|ru|io|me|info|рф)", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w{3,}")
_UK_BE = set("іїєґўІЇЄҐЎ")  # letters Russian does not use
_UK_BE_LETTER = re.compile("[" + "".join(sorted(_UK_BE)) + "]")
_RU_ONLY = set("ыэъёЫЭЪЁ")  # letters Ukrainian does not use
_WORD = re.compile(r"[^\W\d_]+")


def _looks_ukrainian(text: str) -> bool:
    """A quarter of the Cyrillic words carry і/ї/є/ґ/ў and none carries ы/э/ъ/ё.

    Counting words, not letters, lets a Russian sentence quote a Ukrainian
    name ("Київ", "«Слава Україні»") without being flagged.
    """
    if not _UK_BE_LETTER.search(text):  # no word carries one: most texts stop here
        return False
    words = [w for w in _WORD.findall(text) if any(_is_cyrillic(ch) for ch in w)]
    uk = sum(any(ch in _UK_BE for ch in w) for w in words)
    if uk < 2 or any(ch in _RU_ONLY for w in words for ch in w):
        return False
    return uk / len(words) >= 0.25


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u052f"


def _is_latin(ch: str) -> bool:
    return ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x1F000 <= cp <= 0x1FAFF  # pictographs, emoticons, transport, flags, symbols & pictographs ext.
        or 0x2600 <= cp <= 0x27BF  # misc symbols, dingbats
        or 0x2B00 <= cp <= 0x2BFF  # arrows, stars
        or cp in (0x200D, 0xFE0F, 0x20E3, 0x2122, 0x2139, 0x3030, 0x303D, 0x00A9, 0x00AE)
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F  # tag sequences (subdivision flags)
    )


# ``str.isalnum`` is exactly ``\w`` less the underscore; in C, not a Python loop per character
_ALNUM = re.compile(r"[^\W_]")
_NOT_ALNUM = re.compile(r"[\W_]")


def _alnum_count(text: str) -> int:
    return len(_ALNUM.findall(text))


def _alnum_at_least(text: str, k: int) -> bool:
    """``_alnum_count(text) >= k``, reading only as far as the k-th letter or digit."""
    if k <= 0:
        return True
    return next(itertools.islice(_ALNUM.finditer(text), k - 1, None), None) is not None


def _letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


def _letter_class(*ranges: tuple[int, int], where=_is_cyrillic) -> re.Pattern:
    """A regex class of the letters (``str.isalpha``) among the code points of ``ranges`` that
    ``where`` accepts: counting them is a C loop, and the same count as testing each character."""
    chars = (chr(cp) for a, b in ranges for cp in range(a, b + 1))
    return re.compile("[" + "".join(re.escape(ch) for ch in chars if ch.isalpha() and where(ch)) + "]")


_CYRILLIC_LETTER = _letter_class((0x0400, 0x052F))
_LATIN_LETTER = _letter_class((0x0000, 0x024F), (0x1E00, 0x1EFF), where=_is_latin)


# --- rules (True = drop) ---------------------------------------------------------


def too_long(bead: Bead, cfg: FilterConfig) -> bool:
    return cfg.max_chars is not None and max(len(bead.ru), len(bead.en)) > cfg.max_chars


def url_only(bead: Bead, cfg: FilterConfig) -> bool:
    """A side that is nothing but links (a Telegram "source:" line) is not a translation."""

    def only_urls(text: str) -> bool:
        if not _URL_PART.search(text) or not _URL.search(text):
            return False
        rest = _MENTION.sub(" ", _URL.sub(" ", text))
        return _alnum_count(rest) == 0

    return cfg.drop_url_only and (only_urls(bead.ru) or only_urls(bead.en))


def emoji_only(bead: Bead, cfg: FilterConfig) -> bool:
    def only_emoji(text: str) -> bool:  # nearly every side has a letter: that answers first
        return _ALNUM.search(text) is None and any(_is_emoji(ch) for ch in text)

    return cfg.drop_emoji_only and (only_emoji(bead.ru) or only_emoji(bead.en))


def too_short(bead: Bead, cfg: FilterConfig) -> bool:
    return not (_alnum_at_least(bead.ru, cfg.min_chars) and _alnum_at_least(bead.en, cfg.min_chars))


def normalise(text: str) -> str:
    """Case, width, whitespace and punctuation folded: the key for "same text" and dedup."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def untranslated(bead: Bead, cfg: FilterConfig) -> bool:
    """Both sides the same words: copied, not translated.

    Sides without letters ("1.", "24.02.2022") are the same in any language,
    so they are not "untranslated": on the dev cases every such pair was correct
    (scripts/bench_filters.py).
    """
    return cfg.drop_untranslated and normalise(bead.ru) == normalise(bead.en) and any(map(str.isalpha, bead.ru))


def wrong_language(bead: Bead, cfg: FilterConfig) -> bool:
    """Cheap script check: Russian side mostly Cyrillic and not Ukrainian, English side mostly Latin."""
    if not cfg.check_language:
        return False
    ru, en = _letter_count(bead.ru), _letter_count(bead.en)
    if ru:
        cyr = len(_CYRILLIC_LETTER.findall(bead.ru))
        if cyr / ru < cfg.min_ru_cyrillic or _looks_ukrainian(bead.ru):
            return True
    if en:
        lat = len(_LATIN_LETTER.findall(bead.en))
        if lat / en < cfg.min_en_latin:
            return True
    return False


def length_ratio(bead: Bead, cfg: FilterConfig) -> bool:
    if cfg.max_length_ratio is None:
        return False
    a, b = len(bead.ru.strip()) + 10, len(bead.en.strip()) + 10
    return max(a, b) / min(a, b) > cfg.max_length_ratio


def numbers(bead: Bead, cfg: FilterConfig) -> bool:
    """A number changed: each side has a number the other cannot account for ("1945" vs "1954").

    Separators, dates, unit conversions, 12/24-hour times, decades, scale words
    and spelled-out numbers are accounted for (see ``aligner.numbers``). A
    number on one side only is allowed.
    """
    return cfg.check_numbers and number_changed(bead.ru, bead.en)


def weak_piece(bead: Bead, cfg: FilterConfig) -> bool:
    """A merged pair with a sentence that shares nothing with the other side.

    A sentence with no counterpart (deleted in translation, a stray ".", a byline) that the
    aligner glued to a neighbour barely changes the cosine of the whole, so the pair scores
    well; its own cosine with the other side is about 0. On the dev cases every written
    merged pair with such a sentence (cosine <= 0) was wrong, and none of the correct ones
    came near (scripts/bench_filters.py). Encoders whose cosines never reach 0 never fire it.
    """
    low = bead.features.get("piece_min")
    return cfg.min_piece_sim is not None and low is not None and low <= cfg.min_piece_sim


def score(bead: Bead, cfg: FilterConfig) -> bool:
    return bead.score < cfg.min_score


Rule = Callable[[Bead, FilterConfig], bool]
# Order matters: the first rule that fires names the reason.
RULES: tuple[tuple[str, Rule], ...] = (
    ("score", score),
    ("too_long", too_long),
    ("url_only", url_only),
    ("emoji_only", emoji_only),
    ("too_short", too_short),
    ("untranslated", untranslated),
    ("wrong_language", wrong_language),
    ("length_ratio", length_ratio),
    ("numbers", numbers),
    ("weak_piece", weak_piece),
)


def check(bead: Bead, config: FilterConfig) -> str | None:
    """The reason ``bead`` is dropped, or None when it is kept (dedup aside)."""
    if bead.is_null:
        if not config.keep_unaligned:
            return "unaligned"
        return "too_long" if too_long(bead, config) else None
    for reason, rule in RULES:
        if rule(bead, config):
            return reason
    return None


def _dropped(bead: Bead, reason: str) -> Dropped:
    return Dropped(reason=reason, text=f"{bead.ru} ||| {bead.en}", bead=bead)


def copy_record(bead: Bead) -> dict:
    """One copy's provenance and ids, as listed in the kept copy's ``copies`` field."""
    return {**bead.provenance, "ru_ids": list(bead.ru_ids), "en_ids": list(bead.en_ids)}


def dedup_groups(groups: list[list[Bead]]) -> tuple[list[list[Bead]], list[Bead]]:
    """Keep the first of each normalised (ru, en) pair across all groups, in order.

    Used per file (one group) and across a batch (one group per job,
    ``aligner.dedup_global``). The kept copy of a repeated pair gets
    ``provenance["copies"]``, a JSON list of every copy's provenance and ids.
    1-0 / 0-1 beads are never merged.

    Returns:
        ``(kept groups, removed copies)``.
    """
    first: dict[tuple[str, str], tuple[int, int]] = {}
    copies: dict[tuple[int, int], list[Bead]] = {}
    kept: list[list[Bead]] = []
    removed: list[Bead] = []
    for g, beads in enumerate(groups):
        out: list[Bead] = []
        for bead in beads:
            if bead.is_null:
                out.append(bead)
                continue
            key = (normalise(bead.ru), normalise(bead.en))
            if key in first:
                copies[first[key]].append(bead)
                removed.append(bead)
                continue
            first[key] = (g, len(out))
            copies[(g, len(out))] = [bead]
            out.append(bead)
        kept.append(out)
    for (g, i), group in copies.items():
        if len(group) > 1:
            record = json.dumps([copy_record(b) for b in group], ensure_ascii=False, sort_keys=True)
            kept[g][i] = replace(kept[g][i], provenance={**kept[g][i].provenance, "copies": record})
    return kept, removed


def apply_filters(beads: Iterable[Bead], config: FilterConfig | None = None) -> tuple[list[Bead], list[Dropped]]:
    """Split beads into those to write and those dropped, each with its reason.

    Args:
        beads: beads in document order.
        config: thresholds and switches; the defaults when None.

    Returns:
        ``(kept, dropped)``: kept beads in their original order, and one
        ``Dropped(reason, text, bead)`` per removed bead, reason in ``REASONS``.
    """
    config = config or FilterConfig()
    kept: list[Bead] = []
    dropped: list[Dropped] = []
    for bead in beads:
        reason = check(bead, config)
        if reason is None:
            kept.append(bead)
        else:
            dropped.append(_dropped(bead, reason))
    if config.dedup:
        (kept,), dups = dedup_groups([kept])
        dropped.extend(_dropped(b, "duplicate_pair") for b in dups)
    return kept, dropped
