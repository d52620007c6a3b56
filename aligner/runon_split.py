"""Cut a run-on sentence where the other side's sentences show how it divides.

A speech transcript or an auto-generated caption track often has no sentence punctuation
("hurricane rosa is weakening as it moves over the cooler waters of the northern coast of
mexico however rosa will bring flooding rains …"): the segmenter reads a paragraph, or the
whole text, as one sentence of hundreds of words, while its translation is punctuated. No
bead fits (a bead holds at most ``AlignConfig.max_window`` sentences a side), so the aligner
links the long sentence to a few of its partners at a low score, or to none, and the rest of
the other side stays unaligned: nothing usable comes out.

Where such a sentence (at least ``RUNON_MIN_WORDS`` words, and no full stop, question or
exclamation mark, colon or semicolon at its end) stands in a stretch of beads that the aligner
could not score (unaligned sentences, beads below ``RUNON_MAX_SCORE``), the stretch's other-side
sentences are shared out among its sentences by length; when a run-on sentence's share (two
sentences or more) is about as long as it is, this module cuts it into as many pieces: each cut
near where their lengths put it (``WINDOW`` of the piece's expected words either way), at the
word whose pieces best match the sentence expected there and the one after it, then each cut
moved once both its pieces are known (``_refine``). No cut follows a word that binds the next
("the", "of", "в", "когда": ``_binds_next``), where one may be had in the window. The cuts are
kept when the pieces match their sentences (mean cosine at least ``MIN_PIECE_SIM``); the caller
splits the sentence and aligns again, so the aligner, not this module, pairs the pieces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from aligner.encoders.base import Encoder
from aligner.model import Bead
from aligner.partner import _ARTICLES, _BINDING, _NO_END, _TERMINAL, Split

__all__ = ["MIN_PIECE_SIM", "RUNON_MAX_SCORE", "RUNON_MIN_WORDS", "find_runon_splits"]

# A sentence this long (in words) may be a run-on one. scripts/bench_runon.py (dev), bundle F1
# with the English / the Russian side unpunctuated: 40 words 0.501 / 0.502, 25 words 0.510 / 0.516,
# 60 words 0.490 / 0.487; at 25 every raw case's predictions are still unchanged, as written and
# in one line (bench_quality.py --mode raw [--one-line]) ...
RUNON_MIN_WORDS = 25
# ... when its bead scores below this (calibrated) or it is unaligned: the aligner found no
# fit for it.
RUNON_MAX_SCORE = 0.5
# The other side's sentences together are at most this factor longer or shorter (characters).
MAX_LENGTH_RATIO = 2.0
# A cut is looked for this fraction of its piece's expected length (in words) either way of
# where the lengths put it, and at least ``MIN_WINDOW`` words.
WINDOW = 0.4
MIN_WINDOW = 3
# Sweeps of ``_refine`` over the cuts once they are all placed.
REFINE_SWEEPS = 2
# A piece has at least this many words.
MIN_PIECE_WORDS = 2
# The pieces' mean cosine with their sentences (the default encoder, USE): a floor against
# texts that do not translate each other (0.25 gives the same dev figures).
MIN_PIECE_SIM = 0.35
# No cut after a word that binds the next (``_binds_next``: "…since the 1800s the| haitian
# institute"): one word more or less hardly moves the pieces' cosines, so before this rule 1 cut
# in 7 (en) landed a word after the sentence's edge, and 46 of those 138 after "the".
# scripts/bench_runon.py (dev, a line per paragraph), bundle F1 en / ru unpunctuated: 0.469 /
# 0.465 without, 0.635 / 0.571 with; one line 0.478 / 0.498 -> 0.664 / 0.610; all cases 0.470 /
# 0.505 -> 0.625 / 0.590.
OPEN_ENDS = True

# The stage name under which ``find_runon_splits`` reports progress.
PROGRESS_STAGE = "cut run-on sentences"
Progress = Callable[[str, int, int], None]

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class _Plan:
    side: str  # the run-on sentence's side
    index: int
    partners: list[str]  # the other side's sentences, in order


def find_runon_splits(beads: list[Bead], ru: list[str], en: list[str], encoder: Encoder,
                      progress: Progress | None = None) -> list[Split]:
    """Cuts for each run-on sentence whose pieces match the other side's sentences around it.

    ``progress(stage, done, total)`` counts the cuts' placements and refinement sweeps: a whole
    book on one line spends a minute or two here, while no other stage moves."""
    plans = [plan for side in ("ru", "en") for plan in _plans(beads, ru, en, side)]
    steps = _Steps(progress, sum(_work(plan) for plan in plans))
    out: list[Split] = []
    for plan in plans:
        lone = (ru if plan.side == "ru" else en)[plan.index]
        end = steps.done + _work(plan)
        cuts = _guided_cuts(lone, plan.partners, encoder, plan.side, steps)
        steps.reach(end)  # a plan given up, or refined in fewer sweeps
        out += [Split(plan.side, plan.index, q) for q in cuts]
    return out


def _work(plan: _Plan) -> int:
    """Progress steps of a plan: each cut placed, then each refinement sweep over all of them."""
    return (1 + REFINE_SWEEPS) * (len(plan.partners) - 1)


class _Steps:
    """Progress of the run-on pass, reported under ``PROGRESS_STAGE``."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def reach(self, done: int) -> None:
        done = min(done, self.total)
        if done == self.done:
            return
        self.done = done
        if self.progress is not None:
            self.progress(PROGRESS_STAGE, self.done, self.total)


def _plans(beads: list[Bead], ru: list[str], en: list[str], side: str) -> list[_Plan]:
    """Run-on sentences of ``side`` and the other side's sentences that may translate them.

    A stretch of beads the aligner could not score (unaligned sentences, beads below
    ``RUNON_MAX_SCORE``) is shared out: each of its ``side`` sentences gets the other side's
    sentences whose middle falls in its share of the stretch by characters (a text in one line
    may still hold a few run-on sentences, split where the segmenter saw a cue)."""
    own = (lambda b: b.ru_ids) if side == "ru" else (lambda b: b.en_ids)
    other = (lambda b: b.en_ids) if side == "ru" else (lambda b: b.ru_ids)
    mine, theirs = (ru, en) if side == "ru" else (en, ru)
    plans = []
    t = 0
    while t < len(beads):
        u = t
        while u < len(beads) and (not own(beads[u]) or not other(beads[u]) or beads[u].score < RUNON_MAX_SCORE):
            u += 1
        stretch, t = beads[t:u], max(u, t + 1)
        mine_ids = sorted(i for b in stretch for i in own(b))
        their_ids = sorted(j for b in stretch for j in other(b))
        if not any(_run_on(mine[i]) for i in mine_ids) or not _contiguous(mine_ids) or not _contiguous(their_ids):
            continue
        shares = _share_out([len(mine[i]) for i in mine_ids], [len(theirs[j]) for j in their_ids])
        for i, got in zip(mine_ids, shares):
            ids = [their_ids[n] for n in got]
            if not _run_on(mine[i]) or len(ids) < 2:
                continue
            total = sum(len(theirs[j]) for j in ids)
            if 1 / MAX_LENGTH_RATIO <= total / len(mine[i]) <= MAX_LENGTH_RATIO:
                plans.append(_Plan(side, i, [theirs[j] for j in ids]))
    return plans


def _run_on(sentence: str) -> bool:
    """Long, and no sentence punctuation at its end (a punctuated sentence that is only long, which
    the other side split, as books do, is left whole)."""
    return len(sentence.split()) >= RUNON_MIN_WORDS and not _TERMINAL.search(sentence.rstrip())


def _contiguous(ids: list[int]) -> bool:
    return ids == list(range(ids[0], ids[0] + len(ids))) if ids else True


def _share_out(mine: list[int], theirs: list[int]) -> list[list[int]]:
    """For each of ``mine`` (lengths), the positions in ``theirs`` whose middle falls in its share
    of the whole, both sides' lengths read as fractions of their totals."""
    ends = np.cumsum(mine) / max(sum(mine), 1)
    out: list[list[int]] = [[] for _ in mine]
    total, at = max(sum(theirs), 1), 0
    for n, length in enumerate(theirs):
        middle = (at + length / 2) / total
        at += length
        out[min(int(np.searchsorted(ends, middle)), len(mine) - 1)].append(n)
    return out


def _guided_cuts(lone: str, partners: list[str], encoder: Encoder, lang: str,
                 steps: _Steps | None = None) -> list[int]:
    """Offsets that cut ``lone`` into ``len(partners)`` pieces, one per partner, or none.

    Cut by cut from the left: the next cut lies near where the partners' lengths put it,
    at the word where the piece before it matches its partner and the expected piece after
    it the next partner best together."""
    found = list(_WORD.finditer(lone))
    words, starts = [m.group() for m in found], [m.start() for m in found]
    n, k = len(starts), len(partners)
    open_end = _OpenEnds(words, lang)
    if n < k * MIN_PIECE_WORDS:
        return []
    vecs = encoder.encode(partners)
    lengths = np.array([len(p) for p in partners], dtype=float)
    cuts: list[int] = []  # word indices
    prev = 0
    for j in range(k - 1):
        rest = n - prev
        share = lengths[j] / lengths[j:].sum()
        expect = prev + round(rest * share)
        span = max(MIN_WINDOW, round(WINDOW * rest * share))
        lo = max(prev + MIN_PIECE_WORDS, expect - span)
        hi = min(n - MIN_PIECE_WORDS * (k - 1 - j), expect + span)
        if lo > hi:
            return []
        ahead = lengths[j + 1] / lengths[j + 1:].sum()
        candidates = _closed(list(range(lo, hi + 1)), open_end)
        texts = []
        for c in candidates:
            end = n if j == k - 2 else min(n, c + max(MIN_PIECE_WORDS, round((n - c) * ahead)))
            texts.append(_span(lone, starts, prev, c))
            texts.append(_span(lone, starts, c, end))
        pieces = encoder.encode(texts)
        left, right = pieces[0::2] @ vecs[j], pieces[1::2] @ vecs[j + 1]
        best = int(np.argmax(left + right))
        cuts.append(candidates[best])
        prev = candidates[best]
        if steps is not None:
            steps.reach(steps.done + 1)
    cuts, sims = _refine(lone, starts, cuts, vecs, encoder, open_end, steps)
    if float(np.mean(sims)) < MIN_PIECE_SIM:
        return []
    return [starts[c] for c in cuts]


def _refine(lone: str, starts: list[int], cuts: list[int], vecs: np.ndarray,
            encoder: Encoder, open_end: _OpenEnds, steps: _Steps | None = None) -> tuple[list[int], list[float]]:
    """Each cut moved, within its window, to where the two pieces it separates (both ends now
    known) match their partners best together; ``REFINE_SWEEPS`` sweeps from the left. Returns
    the cuts and each piece's cosine with its partner."""
    n = len(starts)
    edges = [0, *cuts, n]
    for _ in range(REFINE_SWEEPS):
        moved = False
        for j in range(1, len(edges) - 1):
            a, c, b = edges[j - 1], edges[j], edges[j + 1]
            span = max(MIN_WINDOW, round(WINDOW * (b - a) / 2))
            candidates = _closed(list(range(max(a + MIN_PIECE_WORDS, c - span), min(b - MIN_PIECE_WORDS, c + span) + 1)),
                                 open_end)
            if len(candidates) < 2:
                continue
            pieces = encoder.encode([t for q in candidates for t in (_span(lone, starts, a, q), _span(lone, starts, q, b))])
            gain = pieces[0::2] @ vecs[j - 1] + pieces[1::2] @ vecs[j]
            best = candidates[int(np.argmax(gain))]
            moved |= best != c
            edges[j] = best
            if steps is not None:
                steps.reach(steps.done + 1)
        if not moved:
            break
    pieces = encoder.encode([_span(lone, starts, a, b) for a, b in zip(edges, edges[1:])])
    sims = [float(v @ w) for v, w in zip(pieces, vecs)]
    return edges[1:-1], sims


class _OpenEnds:
    """Which words of a run-on sentence bind the word after them (``_binds_next``), asked lazily:
    only the words before candidate cuts are looked up (a Russian word costs a parse)."""

    def __init__(self, words: list[str], lang: str) -> None:
        self.words, self.lang, self.known = words, lang, {}

    def __getitem__(self, i: int) -> bool:
        if i not in self.known:
            self.known[i] = OPEN_ENDS and _binds_next(self.words[i], self.lang)
        return self.known[i]


def _closed(candidates: list[int], open_end: _OpenEnds) -> list[int]:
    """The cuts whose left piece does not end on a word that binds the next, or all when none is."""
    kept = [c for c in candidates if not open_end[c - 1]]
    return kept or candidates


# Words no sentence ends with. English: articles, prepositions and conjunctions (partner.py's
# lists), possessive determiners and subject pronouns ("…and a similar thing happened i| think");
# Russian: by the likeliest parse a preposition or a conjunction ("в", "когда"), and the
# negations. Also any word that ends with a comma, a colon, a dash or an opening bracket.
_EN_OPEN = _ARTICLES | _BINDING | frozenset("my your our their i we they he she".split())
_RU_OPEN = frozenset({"PREP", "CONJ"})
_RU_OPEN_WORDS = frozenset({"не", "ни"})


def _binds_next(word: str, lang: str) -> bool:
    """Does ``word`` (of a text in ``lang``) bind the word after it, so that no sentence ends with it?"""
    if word.endswith(_NO_END):
        return True
    w = word.lower().strip("\"'«»“”„()")
    if lang == "ru":
        if w in _RU_OPEN_WORDS:
            return True
        from aligner.segment import ru_parses

        parses = ru_parses(w) if re.fullmatch(r"[а-яё-]+", w) else ()
        return bool(parses) and parses[0].tag.POS in _RU_OPEN
    return w in _EN_OPEN


def _span(text: str, starts: list[int], a: int, b: int) -> str:
    """Words ``a`` to ``b`` (exclusive) of ``text``."""
    end = starts[b] if b < len(starts) else len(text)
    return text[starts[a]:end].strip()
