"""Which texts get embedded: every sentence once, and real multi-sentence windows only where they matter.

Embedding every window of 1..4 adjacent sentences costs about four texts (and ten
sentences' worth of tokens) per sentence, and the encoder is nearly all of a cold run's
time. Most beads of real text are 1-1, where a window's vector never decides anything.
So the aligner first embeds sentences only and stands in for each window with the
length-weighted sum of its sentence vectors (``approximate``). A stand-in's cosine with a
translation is lower than the real window's, more so the wider the window, so the DP adds
the expected shortfall back (``Side.bonus``, ``SelectivePlan.bonus``): a merge is then
chosen about as readily as with real vectors. After each DP pass, the stand-ins that the
resulting beads are scored with, and that the checks after the DP (merge check, rejoining
unaligned sentences) read, are embedded for real (``DocStats.stand_ins``), and the DP runs
again, until no bead reads a stand-in (``align_selective``). A merge that the real vectors
do not bear out is dropped in the next pass; one that they confirm is kept on real evidence.

The DP itself is unchanged: it sees ``Side`` objects whose window rows are real vectors
where embedded and stand-ins elsewhere.
"""

from __future__ import annotations

from dataclasses import replace, dataclass, field
from typing import Callable

import numpy as np

from aligner.align.similarity import Side, text_marks
from aligner.encoders.use import UseEncoder

# (stage, done, total) -> None, as in aligner.pipeline
Progress = Callable[[str, int, int], None]


def approximate(sent: np.ndarray, width: int, weight: np.ndarray | None = None) -> np.ndarray:
    """Stand-in vectors for every window of ``width`` adjacent sentences: the normalised
    weighted sum of the windows' unit sentence vectors (the mean direction of their content).

    Args:
        sent: ``(n, d)`` unit sentence vectors (zero rows for empty sentences).
        width: window width, ``>= 1``.
        weight: ``(n,)`` weight of each sentence (``None``: all 1).
    Returns:
        ``(max(n - width + 1, 0), d)`` float32 with unit (or zero) rows.
    """
    n = sent.shape[0]
    if width == 1 or n < width:
        return sent[: max(n - width + 1, 0)].astype(np.float32, copy=True)
    x = sent.astype(np.float64) if weight is None else sent * np.asarray(weight, np.float64)[:, None]
    out = x[: n - width + 1].copy()
    for k in range(1, width):  # sums of a few rows: plain adds, no cumsum cancellation
        out += x[k : n - width + 1 + k]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    out /= np.where(norms > 0, norms, 1.0)
    return out.astype(np.float32)


@dataclass(frozen=True)
class SelectivePlan:
    """Knobs of the selective strategy, chosen on the dev split.

    The shortfall of a stand-in: over the gold merged beads of textberg_dev and seven
    bilinguator books (dev), cosine of the stand-in for one side's window with the other
    side's real text, less the real window's: -0.052 / -0.094 / -0.137 (sd 0.036 / 0.051 /
    0.055) for 2 / 3 / 4 sentences with weights ``chars ** 0.5`` (with plain sums, -0.084 /
    -0.129 / -0.169; with ``chars ** 1``, -0.051 / -0.090 / -0.123). ``bonus`` is about that
    mean plus half its sd. Against the regions strategy before (real windows in padded
    regions around every merged, unaligned or weak 1-1 bead), ``bench_quality.py --dev``
    gives the same figures on every group within 0.001, and the e2e sets embed 0.05-0.2
    windows per sentence instead of 0.46-1.0. Plain sums without a bonus lost textberg_dev
    strict F1 0.897 -> 0.883; a bonus of 0.07 / 0.14 / 0.21 lost bilinguator null F1.
    The shortfall belongs to the model (``Encoder.stand_in_bonus``): centred e5-small's is
    0.004 / 0.019 / 0.030, and with USE's bonus it lost strict F1 0.732 -> 0.715 and null F1
    0.773 -> 0.479 on textberg_dev + khameleon + the_raven, where its own bonus gives the
    figures of the regions strategy with 0.48 window characters per sentence character
    (regions: 3.62).

    Attributes:
        weight_power: a sentence's weight in a stand-in is its length in characters to this power.
        bonus: cosine added to a stand-in window of 2, 3, 4 sentences (wider: the last value);
            the default is USE's, used for encoders without a ``stand_in_bonus``.
        max_rounds: DP passes at most (each after the last one's stand-ins were embedded).
    """

    weight_power: float = 0.5
    bonus: tuple[float, ...] = UseEncoder.stand_in_bonus
    max_rounds: int = 4


@dataclass
class SideWindows:
    """One side's sentences, its window vectors (real or stand-in) and which ones are real."""

    sentences: list[str]
    emb: list[np.ndarray]  # emb[w-1]: (n-w+1, d)
    real: list[np.ndarray]  # real[w-1]: (n-w+1,) bool
    length: tuple[np.ndarray, ...]
    bonus: tuple[float, ...] = ()  # bonus[w-1]: added to a stand-in's cosines (SelectivePlan.bonus)
    marks: dict[str, object] = field(init=False, repr=False)  # text_marks(sentences): the sentences never change

    def __post_init__(self) -> None:
        self.marks = text_marks(self.sentences)

    def side(self) -> Side:
        stand_in = tuple(~r for r in self.real)
        bonus = None
        if any(self.bonus):
            bonus = tuple(np.where(s, np.float32(self.bonus[w] if w < len(self.bonus) else 0.0), np.float32(0.0))
                          for w, s in enumerate(stand_in))
        return Side(tuple(self.emb), self.length, stand_in=stand_in, bonus=bonus, **self.marks)

    def text(self, w: int, start: int) -> str:
        return " ".join(self.sentences[start : start + w])


def side_windows(sentences: list[str], sent_vecs: np.ndarray, max_window: int,
                 plan: SelectivePlan | None = None) -> SideWindows:
    """A ``SideWindows`` whose sentences are real and whose longer windows are stand-ins."""
    plan = plan or SelectivePlan()
    n = len(sentences)
    char = np.array([len(s) for s in sentences], dtype=np.float64)
    weight = None if plan.weight_power == 0 else char ** plan.weight_power
    emb = [approximate(sent_vecs, w, weight) for w in range(1, max_window + 1)]
    real = [np.full(max(n - w + 1, 0), w == 1, dtype=bool) for w in range(1, max_window + 1)]
    c = np.concatenate([[0.0], np.cumsum(char)])
    # a window's text is its sentences joined by single spaces
    length = tuple(c[w:] - c[:-w] + (w - 1) if n >= w else np.zeros(0) for w in range(1, max_window + 1))
    bonus = (0.0,) + tuple(plan.bonus[min(w, len(plan.bonus)) - 1] if plan.bonus else 0.0
                           for w in range(1, max_window))
    return SideWindows(list(sentences), emb, real, length, bonus)


@dataclass
class EmbedStats:
    """What the selective strategy embedded (for benchmarks and tests)."""

    sentences: int = 0  # sentence texts sent to the encoder (distinct)
    windows: int = 0  # real multi-sentence window texts sent to the encoder (distinct)
    rounds: int = 0  # DP passes
    chars: int = 0  # characters of all texts sent
    asked: list[int] = field(default_factory=list)  # windows asked for, per round


def embed_texts(texts: list[str], encoder, progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, int, int]:
    """Embed each distinct text of ``texts`` once. Returns ``(vectors in input order, distinct, chars)``."""
    row: dict[str, int] = {}
    where = np.fromiter((row.setdefault(t, len(row)) for t in texts), dtype=np.int64, count=len(texts))
    unique = list(row)
    vecs = encoder.encode(unique, progress=progress) if unique else np.zeros((0, encoder.dim), np.float32)
    return vecs[where], len(unique), sum(map(len, unique))


def embed_windows(parts: list[tuple[str, ...]], encoder,
                  progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, int, int]:
    """Embed each distinct window ``" ".join(p)`` of ``parts`` once, through the encoder's
    ``encode_joined`` where it has one (USE builds a window from its sentences' token features).

    Returns:
        ``(vectors in input order, distinct, chars)`` as ``embed_texts``.
    """
    row: dict[str, int] = {}
    first: list[tuple[str, ...]] = []
    where = np.empty(len(parts), dtype=np.int64)
    for i, p in enumerate(parts):
        text = " ".join(p)
        k = row.setdefault(text, len(row))
        if k == len(first):
            first.append(p)
        where[i] = k
    joined = getattr(encoder, "encode_joined", None)
    if not first:
        vecs = np.zeros((0, encoder.dim), np.float32)
    elif joined is not None:
        vecs = joined(first, progress=progress)
    else:
        vecs = encoder.encode(list(row), progress=progress)
    return vecs[where], len(first), sum(map(len, row))


def align_selective(ru: list[str], en: list[str], encoder, config, plan: SelectivePlan | None = None,
                    progress: Progress | None = None, paragraph_ends: tuple | None = None):
    """Align with sentence vectors first and real window vectors only where the beads read them.

    Args:
        ru, en: sentences.
        encoder: any ``Encoder``.
        config: ``AlignConfig``.
        plan: ``SelectivePlan``; defaults to ``SelectivePlan()`` with the encoder's
            ``stand_in_bonus`` when it has one.
        progress: optional ``(stage, done, total)`` callback.
        paragraph_ends: optional ``(ru, en)`` ``Side.par`` arrays (paragraph breaks).
    Returns:
        ``(raw beads, EmbedStats)``, as ``align_vectors`` returns beads.
    """
    from aligner.align.core import AlignPass, one_blas_thread

    if plan is None:
        bonus = getattr(encoder, "stand_in_bonus", None)
        plan = SelectivePlan() if bonus is None else SelectivePlan(bonus=tuple(bonus))
    stats = EmbedStats()
    done = [0]

    def ticker(stage: str, total: int):
        done[0] = 0

        def tick(k: int) -> None:
            done[0] += k
            if progress is not None:
                progress(stage, min(done[0], total), total)
        return tick

    n_unique = len(set(ru) | set(en))
    vecs, stats.sentences, stats.chars = embed_texts(ru + en, encoder, ticker("embed", n_unique))
    sides = [side_windows(ru, vecs[: len(ru)], config.max_window, plan),
             side_windows(en, vecs[len(ru):], config.max_window, plan)]
    del vecs
    raw, dp, ask = [], None, []
    for r in range(plan.max_rounds):
        ru_side, en_side = sides[0].side(), sides[1].side()
        if paragraph_ends is not None:
            ru_side, en_side = replace(ru_side, par=paragraph_ends[0]), replace(en_side, par=paragraph_ends[1])
        with one_blas_thread():
            if dp is None:
                dp = AlignPass(ru_side, en_side, config)
            else:  # only the cells that read a window embedded since the last pass are rescored
                dp.update(ru_side, en_side, ask)
            raw, doc = dp.run()
        stats.rounds += 1
        ask = sorted(doc.stand_ins)  # (side, width, start), none of them real yet
        stats.asked.append(len(ask))
        if not ask or r == plan.max_rounds - 1:
            break
        parts = [tuple(sides[k].sentences[s : s + w]) for k, w, s in ask]
        got, distinct, chars = embed_windows(parts, encoder, ticker("embed windows", len({" ".join(p) for p in parts})))
        stats.windows += distinct
        stats.chars += chars
        for (k, w, s), v in zip(ask, got):
            sides[k].emb[w - 1][s] = v
            sides[k].real[w - 1][s] = True
    return raw, stats
