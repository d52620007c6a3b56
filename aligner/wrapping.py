"""Hard-wrapped text: line breaks that only keep lines under a width (e-mail, Project Gutenberg).

A reader takes a line break for a sentence end (verse, a list, a headline on its own line),
but in hard-wrapped text a break falls wherever the next word did not fit, mid-sentence.
``hard_wrapped`` tells such a text by its lines, and ``runs`` gives the paragraphs whose
lines are to be joined (``pipeline.sentences_from_text``, ``readers.dump``).

Measured with ``scripts/bench_quality.py --mode raw --wrapped`` (every raw case's paragraphs
wrapped at 72 columns, blank lines between), the dev split, bundle F1 natural / __pert: news
0.926 / 0.916 -> 0.965 / 0.956 and books 0.989 / 0.987 -> 0.998 / 0.998 once joined (0.968 /
0.960 and 0.998 / 0.998 with the paragraphs as written). On the raw text of every case as
written, a paragraph a line and one line, it finds no hard wrapping; wrapped at 72 columns it
finds it in all but the 79 shortest documents (under three inner lines).

A caption track (``caption_track``: short lines, nearly all going on in lower case) is joined
the same way: its breaks fall wherever a caption ended.

In a text too short to tell, a line break still counts as a wrap where the line is long and
the next line goes on in lower case (``soft_break``): 58 breaks of those 79 wrapped documents,
none at a gold sentence boundary, and none in any case as written, a paragraph a line or one line.
``line_runs`` gives the lines read as one either way.
"""

from __future__ import annotations

import re

from aligner.readers.encoding import _is_cyrillic

__all__ = ["WRAP_WIDTH", "caption_track", "hard_wrapped", "line_runs", "runs", "same_script", "soft_break"]

# No hard wrap is wider than this many characters.
WRAP_WIDTH = 100
# A text is hard-wrapped when its lines that another line follows in the same paragraph (at
# least UNWRAP_MIN_LINES of them) nearly all fill the width of its lines (the 95th percentile
# of their lengths, between UNWRAP_MIN_WIDTH and WRAP_WIDTH characters): UNWRAP_FILLED of them
# reach within UNWRAP_SLACK characters of it, as a word that did not fit leaves them. Verse
# lines vary in length and stay under the width; a paragraph a line has no inner lines.
UNWRAP = True
UNWRAP_MIN_LINES = 3
UNWRAP_MIN_WIDTH = 50
UNWRAP_SLACK = 16
UNWRAP_FILLED = 0.8


def hard_wrapped(lines: list[str]) -> bool:
    """Whether the line breaks of a text (its ``lines``) are hard wrapping inside paragraphs."""
    if not UNWRAP:
        return False
    lengths = [len(line.strip()) for line in lines if line.strip()]
    inner = [len(a.strip()) for a, b in zip(lines, lines[1:]) if a.strip() and b.strip()]
    if len(inner) < UNWRAP_MIN_LINES:
        return False
    width = sorted(lengths)[int(0.95 * (len(lengths) - 1))]
    if not UNWRAP_MIN_WIDTH <= width <= WRAP_WIDTH:
        return False
    return sum(n >= width - UNWRAP_SLACK for n in inner) >= UNWRAP_FILLED * len(inner)


def runs(lines: list[str]) -> list[tuple[int, int]]:
    """``(first, last)`` 0-based indices of each run of non-blank lines: a wrapped text's paragraphs.

    A run also ends after a stop where the script changes (``same_script``): a dump's Russian
    paragraph with its translation right below it, no blank line between, is two paragraphs."""
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(lines):
        if not lines[k].strip():
            k += 1
            continue
        first = k
        k += 1
        while k < len(lines) and lines[k].strip() and not _script_change(lines[max(first, k - MAX_SCRIPT_LINES) : k], lines[k]):
            k += 1
        out.append((first, k - 1))
    return out


# A line break that a text too short to tell as hard-wrapped (``hard_wrapped``: fewer than
# UNWRAP_MIN_LINES inner lines) still shows as a wrap: the line before is at least
# UNWRAP_MIN_WIDTH characters and ends without a stop, colon or semicolon, and the next line
# goes on in lower case.
SOFT_BREAKS = True
_LINE_END = re.compile(r"[.!?…:;][»\"”’')\]]*$")


def soft_break(line: str, following: str) -> bool:
    """Whether the break between ``line`` and the ``following`` one falls inside a sentence."""
    line, following = line.strip(), following.strip()
    if not (SOFT_BREAKS and len(line) >= UNWRAP_MIN_WIDTH and following[:1].islower()) or _LINE_END.search(line):
        return False
    # one script across the break: a dump's Russian line never runs on into an English one
    last = next((c for c in reversed(line) if c.isalpha()), "")
    return bool(last) and _is_cyrillic(last) == _is_cyrillic(following[0])


def _script_change(run: list[str], following: str) -> bool:
    """A sentence ends the ``run`` of lines before ``following`` (its last ``MAX_SCRIPT_LINES`` at
    most) and ``following`` is in another script than the run (not a name or a title in Latin
    letters wrapped onto a line of its own inside a Russian paragraph: "…от участников| Global
    Citizens.")."""
    return bool(_LINE_END.search(run[-1].strip())) and not same_script(" ".join(run), following)


# Lines of a run read for its script: enough to outweigh a line of names (a paragraph of a dump
# may be long, and only its end matters).
MAX_SCRIPT_LINES = 8


def same_script(line: str, following: str) -> bool:
    """Whether two lines are written in one script (Cyrillic or not, by most of their letters);
    a line without letters goes with either."""
    a, b = _cyrillic_share(line), _cyrillic_share(following)
    return a is None or b is None or (a > 0.5) == (b > 0.5)


def _cyrillic_share(line: str) -> float | None:
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return None
    return sum(_is_cyrillic(c) for c in letters) / len(letters)


# A caption track (auto captions, a transcript copied in short lines): lines of a few words,
# broken wherever the caption ended, so nearly every line goes on in lower case. Its lines are
# joined as a hard-wrapped text's are, and ``runon_split`` cuts the stream where the other side's
# sentences divide it. scripts/bench_runon.py --captions (dev, unpunctuated lines of 42 columns,
# bundle F1 with the English / the Russian side as captions): 0.111 / 0.164 read a line a
# sentence, 0.644 / 0.585 joined (as one line: 0.664 / 0.610). Every raw case reads as before in
# every layout of bench_quality.py (as written, one line, a paragraph a line, wrapped, dump).
CAPTIONS = True
# At least this many line breaks inside paragraphs, and this share of them before a line that
# starts in lower case (a paragraph a line, verse and lists start their lines with capitals,
# dashes or digits).
CAPTION_MIN_BREAKS = 8
CAPTION_LOWER = 0.7


def caption_track(lines: list[str]) -> bool:
    """Whether the line breaks of a text are a caption track's: inside sentences, nearly all."""
    if not CAPTIONS:
        return False
    following = [b.strip() for a, b in zip(lines, lines[1:]) if a.strip() and b.strip()]
    if len(following) < CAPTION_MIN_BREAKS:
        return False
    return sum(b[:1].islower() for b in following) >= CAPTION_LOWER * len(following)


def line_runs(lines: list[str]) -> list[tuple[int, int]]:
    """``(first, last)`` indices of the lines read as one: a paragraph of a hard-wrapped text
    or a caption track (``runs``); otherwise a line, or lines joined at a ``soft_break``."""
    if hard_wrapped(lines) or caption_track(lines):
        return runs(lines)
    out: list[tuple[int, int]] = []
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        if out and out[-1][1] == k - 1 and soft_break(lines[k - 1], line):
            out[-1] = (out[-1][0], k)
        else:
            out.append((k, k))
    return out
