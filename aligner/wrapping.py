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
"""

from __future__ import annotations

__all__ = ["WRAP_WIDTH", "hard_wrapped", "runs"]

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
    """``(first, last)`` 0-based indices of each run of non-blank lines: a wrapped text's paragraphs."""
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(lines):
        if not lines[k].strip():
            k += 1
            continue
        first = k
        while k < len(lines) and lines[k].strip():
            k += 1
        out.append((first, k - 1))
    return out
