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
moved once both its pieces are known (``_refine``). The cuts are kept when the pieces match their
sentences (mean cosine at least ``MIN_PIECE_SIM``); the caller splits the sentence and aligns
again, so the aligner, not this module, pairs the pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from aligner.encoders.base import Encoder
from aligner.model import Bead
from aligner.partner import _TERMINAL, Split

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

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class _Plan:
    side: str  # the run-on sentence's side
    index: int
    partners: list[str]  # the other side's sentences, in order


def find_runon_splits(beads: list[Bead], ru: list[str], en: list[str], encoder: Encoder) -> list[Split]:
    """Cuts for each run-on sentence whose pieces match the other side's sentences around it."""
    plans = [plan for side in ("ru", "en") for plan in _plans(beads, ru, en, side)]
    out: list[Split] = []
    for plan in plans:
        lone = (ru if plan.side == "ru" else en)[plan.index]
        cuts = _guided_cuts(lone, plan.partners, encoder)
        out += [Split(plan.side, plan.index, q) for q in cuts]
    return out


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


def _guided_cuts(lone: str, partners: list[str], encoder: Encoder) -> list[int]:
    """Offsets that cut ``lone`` into ``len(partners)`` pieces, one per partner, or none.

    Cut by cut from the left: the next cut lies near where the partners' lengths put it,
    at the word where the piece before it matches its partner and the expected piece after
    it the next partner best together."""
    starts = [m.start() for m in _WORD.finditer(lone)]
    n, k = len(starts), len(partners)
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
        candidates = list(range(lo, hi + 1))
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
    cuts, sims = _refine(lone, starts, cuts, vecs, encoder)
    if float(np.mean(sims)) < MIN_PIECE_SIM:
        return []
    return [starts[c] for c in cuts]


def _refine(lone: str, starts: list[int], cuts: list[int], vecs: np.ndarray,
            encoder: Encoder) -> tuple[list[int], list[float]]:
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
            candidates = list(range(max(a + MIN_PIECE_WORDS, c - span), min(b - MIN_PIECE_WORDS, c + span) + 1))
            if len(candidates) < 2:
                continue
            pieces = encoder.encode([t for q in candidates for t in (_span(lone, starts, a, q), _span(lone, starts, q, b))])
            gain = pieces[0::2] @ vecs[j - 1] + pieces[1::2] @ vecs[j]
            best = candidates[int(np.argmax(gain))]
            moved |= best != c
            edges[j] = best
        if not moved:
            break
    pieces = encoder.encode([_span(lone, starts, a, b) for a, b in zip(edges, edges[1:])])
    sims = [float(v @ w) for v, w in zip(pieces, vecs)]
    return edges[1:-1], sims


def _span(text: str, starts: list[int], a: int, b: int) -> str:
    """Words ``a`` to ``b`` (exclusive) of ``text``."""
    end = starts[b] if b < len(starts) else len(text)
    return text[starts[a]:end].strip()
