"""Cleaning: drop scraper noise, exact duplicates and near duplicates; keep the first occurrence.

Scraped channel dumps show every post twice (preview and full view), carry
UI strings ("Please open Telegram to view this post", "VIEW IN TELEGRAM"),
reaction and view counters, and truncated copies ("... <...>", "Read in
full"). None of that is translation material, and duplicates would pair
with the same partner twice.

Noise rules are small named predicates in an ordered list (razdel style);
the first that fires names the drop, and with DEBUG logging on, the rule
is logged. Duplicates are found on a normalised key: case, emoji,
punctuation and spacing removed, so the same text with another emoji,
a different prefix or a truncation maps to an earlier paragraph.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from aligner.model import Dropped, Paragraph

__all__ = ["NOISE_RULES", "CleanResult", "clean", "is_chapter_number", "noise_rule", "normalize_key"]

log = logging.getLogger(__name__)

# Near duplicates by prefix or containment need this many key characters, so
# that short common lines ("Key statements", "#UN") are only matched exactly.
MIN_PARTIAL_KEY = 40
# A duplicate whose key is shorter than this, with no duplicate beside it, is kept: in running
# text a short line comes again ("— Да.", "“Yes.”" in Tolstoy), while a scraper's copy of a post
# repeats its neighbours too (a hashtag line under a copied post goes with it).
MIN_COPY_KEY = 15
# How far into an earlier paragraph a later copy may start (a dropped headline or emoji prefix).
MAX_PREFIX_SHIFT = 200


# A chapter number alone on its line ("II", "XIV."): every book repeats it, in both languages,
# so a repeat is no scraper copy (language-neutral; ``pairing.make_blocks`` keeps it with its text).
_CHAPTER_NUMBER = re.compile(r"[IVXLC]{1,7}\.?")


def is_chapter_number(text: str) -> bool:
    """A paragraph that is only a chapter number in Roman numerals."""
    return bool(_CHAPTER_NUMBER.fullmatch(text.strip()))


def _line(*phrases: str) -> re.Pattern:
    alts = "|".join(phrases)
    return re.compile(rf"^\W*(?:{alts})\W*$", re.IGNORECASE)


# Pictographs, flags, dingbats, variation selectors and joiners.
_EMOJI = "\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0F\u200D\u20E3\u2190-\u21FF\u25A0-\u25FF"
_COUNT = r"\d+(?:[.,]\d+)?\s*[KkMmКкМм]?"

_TELEGRAM_UI = _line(
    r"please open telegram to view this post",
    r"view in telegram",
    r"open in telegram",
    r"media is too big",
    r"this media is not supported in your browser",
    r"unsupported media",
    r"view (?:in )?channel",
    r"join channel",
    r"preview channel",
    r"show more",
    r"load more",
    r"download telegram",
    r"this post is not available.*",
    r"откройте telegram,? чтобы посмотреть (?:этот )?пост",
    r"открыть в telegram",
    r"смотреть в telegram",
)
_READ_MORE = _line(
    r"read in full", r"read more", r"read the full (?:text|story|article)", r"full text",
    r"читать (?:полностью|далее|дальше)", r"подробнее", r"полный текст", r"читайте (?:полностью|далее)",
)
_REACTIONS = re.compile(rf"^(?:\s*[{_EMOJI}]+\s*{_COUNT})+\s*$")
_VIEWS = re.compile(
    rf"^\s*(?:👁\ufe0f?\s*{_COUNT}|{_COUNT}\s*(?:views?|просмотр\w*)|\d+(?:[.,]\d+)?\s*[KkMmКкМм])"
    r"(?:\s*(?:edited|изменено))?(?:\s*\d{1,2}:\d{2})?\s*$",
    re.IGNORECASE,
)
_TIME_ONLY = re.compile(r"^\s*(?:(?:edited|изменено)\s*)?\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?\s*$")
_FORWARDED = re.compile(r"^\W*(?:forwarded from|переслано (?:из|от)|пересланное сообщение)\b.{0,80}$", re.IGNORECASE)
_NO_TEXT = re.compile(rf"^[\s{_EMOJI}\W_]*$")


@dataclass(frozen=True)
class NoiseRule:
    name: str
    fires: Callable[[str], bool]


def _matches(pattern: re.Pattern) -> Callable[[str], bool]:
    return lambda text: bool(pattern.match(text))


# Ordered: the first rule that fires names the drop.
NOISE_RULES: tuple[NoiseRule, ...] = (
    NoiseRule("empty", lambda t: not t.strip()),
    NoiseRule("telegram_ui", _matches(_TELEGRAM_UI)),
    NoiseRule("read_more", _matches(_READ_MORE)),
    NoiseRule("view_counter", _matches(_VIEWS)),
    NoiseRule("reaction_counter", _matches(_REACTIONS)),
    NoiseRule("timestamp", _matches(_TIME_ONLY)),
    NoiseRule("forwarded_from", _matches(_FORWARDED)),
    NoiseRule("symbols_only", _matches(_NO_TEXT)),
)


def noise_rule(text: str) -> str | None:
    """Name of the first noise rule that fires on a one-line text, or None."""
    text = text.strip()
    for rule in NOISE_RULES:
        if rule.fires(text):
            return rule.name
    return None


@dataclass(frozen=True)
class CleanResult:
    kept: list[Paragraph] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


_TRUNCATION = re.compile(r"(?:\s*(?:\.\.\.|…|<\s*\.\.\.\s*>|\[\s*\.\.\.\s*\]|\(\s*\.\.\.\s*\)|<…>|\[…\]))+\s*$")
_URL = re.compile(r"https?://\S+|www\.\S+")


def normalize_key(text: str) -> str:
    """Key under which near duplicates meet: lowercase letters and digits, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    text = _URL.sub(" ", text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        out.append(ch if cat[0] in "LN" else " ")
    return " ".join("".join(out).split())


def _exact_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def clean(paragraphs: list[Paragraph]) -> CleanResult:
    """Drop noise lines, exact duplicates and near duplicates, keeping first occurrences.

    A paragraph with several lines loses only its noise lines; when nothing
    is left, it is dropped as noise. Chapter numbers (``is_chapter_number``)
    are never duplicates, and neither is a line with no duplicate beside it that is
    short (``MIN_COPY_KEY``) or stands inside one source unit between two lines of it (a
    refrain in a story; a scraper's copy of a post is a unit of its own).

    Args:
        paragraphs: n paragraphs in document order.
    Returns:
        ``CleanResult(kept, dropped)``: kept paragraphs in input order, and one
        ``Dropped`` per removed line or paragraph with reason ``"noise"``,
        ``"duplicate"`` or ``"near_duplicate"``.
    """
    noise: list[Dropped] = []
    rows: list[tuple[Paragraph, str | None, str, list[Dropped]]] = []  # paragraph, duplicate reason, key, noise before
    seen_exact: set[str] = set()
    seen_keys: set[str] = set()
    index = _PartialIndex()
    for p in paragraphs:
        p = _drop_noise_lines(p, noise)
        if p is None:
            continue
        before, noise = noise, []
        key = normalize_key(_TRUNCATION.sub("", p.text))
        if is_chapter_number(p.text):
            rows.append((p, None, key, before))  # "I" in the translation repeats "I" of the original: both stay
            continue
        exact = _exact_key(p.text)
        if exact in seen_exact:
            rows.append((p, "duplicate", key, before))
            continue
        if key in seen_keys or (len(key) >= MIN_PARTIAL_KEY and index.contains(key)):
            log.debug("near_duplicate: %r", p.text[:80])
            rows.append((p, "near_duplicate", key, before))
            continue
        seen_exact.add(exact)
        if key:
            seen_keys.add(key)
            index.add(key)
        rows.append((p, None, key, before))
    kept: list[Paragraph] = []
    dropped: list[Dropped] = []
    for k, (p, reason, key, before) in enumerate(rows):
        dropped.extend(before)
        lone = reason is not None and not any(0 <= j < len(rows) and rows[j][1] is not None for j in (k - 1, k + 1))
        if lone and (0 < len(key) < MIN_COPY_KEY or _inside_unit(rows, k)):
            # a short line said again in running text ("— Да."), or a refrain inside one post
            # ("Swallow, Swallow, little Swallow," said the Prince), not a copied post
            reason = None
        if reason is None:
            kept.append(p)
        else:
            dropped.append(Dropped(reason, p.text, source=p.source))
    dropped.extend(noise)
    return CleanResult(kept, dropped)


def _inside_unit(rows: list, k: int) -> bool:
    """Row ``k`` has a neighbour on each side and all three are one source unit (a post, a
    message, a file's run of lines): the line stands inside a text, not as a post of its own."""
    if not 0 < k < len(rows) - 1:
        return False
    unit = _unit_of(rows[k][0])
    return unit is not None and _unit_of(rows[k - 1][0]) == unit == _unit_of(rows[k + 1][0])


def _unit_of(p: Paragraph) -> tuple | None:
    """The post, message or chapter of a paragraph; a document without them (a DOCX, an
    article, subtitles) is one unit."""
    src = p.source
    if src is None or (not src.file and src.unit is None and src.post_id is None):
        return None
    return (src.file, src.post_id, src.unit)


def _drop_noise_lines(p: Paragraph, dropped: list[Dropped]) -> Paragraph | None:
    lines = p.text.split("\n")
    keep = []
    for line in lines:
        rule = noise_rule(line)
        if rule is None:
            keep.append(line)
        else:
            log.debug("noise (%s): %r", rule, line[:80])
            if line.strip():
                dropped.append(Dropped("noise", line, source=p.source))
    if len(keep) == len(lines):
        return p
    if not keep:
        if not p.text.strip():
            dropped.append(Dropped("noise", p.text, source=p.source))
        return None
    from dataclasses import replace

    return replace(p, text="\n".join(keep).strip("\n"))


class _PartialIndex:
    """Finds a key that is a prefix of an earlier key, or starts a little way inside one.

    Earlier keys are indexed by the first ``MIN_PARTIAL_KEY`` characters at
    every word start within ``MAX_PREFIX_SHIFT`` characters, so a later
    copy that lost its headline or emoji, or was truncated, is found
    without comparing against every earlier paragraph.
    """

    def __init__(self) -> None:
        self._by_head: dict[str, list[str]] = {}

    def add(self, key: str) -> None:
        for start in [0] + [i + 1 for i, ch in enumerate(key[:MAX_PREFIX_SHIFT]) if ch == " "]:
            tail = key[start:]
            if len(tail) < MIN_PARTIAL_KEY:
                break
            self._by_head.setdefault(tail[:MIN_PARTIAL_KEY], []).append(tail)

    def contains(self, key: str) -> bool:
        return any(tail.startswith(key) for tail in self._by_head.get(key[:MIN_PARTIAL_KEY], ()))
