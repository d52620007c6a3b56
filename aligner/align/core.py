"""The aligner on arrays: window embeddings in, beads (index ranges and features) out.

Steps (each one linear in the document length for long inputs):
1. Neighbourhood band: the whole matrix for short inputs; for long ones a band
   around a coarse path through block-averaged embeddings (Vecalign's
   coarse-to-fine idea, Bertalign's two passes).
2. 1-1 margins inside that band, and confident anchors (mutual best + gap,
   monotone chain) from them.
3. Document statistics: expected length ratio and spread (from the anchors),
   the skip threshold (from the document's own margin distribution).
4. Gains of every bead type on the fine band (a narrow band around the anchors)
   and the banded DP: the margin model's gains blended with Bertalign's raw
   cosine x length-agreement gains (``AlignConfig.second_pass``), less a cost for
   beads that end on a colon/semicolon on one side only (``continuation_cost``).
5. The merge check on merged beads, then the passes that rejoin unaligned sentences,
   join neighbouring beads that a number crosses (``merge_number_crossings``), give
   chapter headings with the same number a bead of their own (``split_at_headings``) and
   the unaligned rest of a heading's paragraph to that bead (``join_heading_titles``).
6. An unaligned sentence next to a 1-n bead takes the bead's nearest sentence when it matches that
   sentence better than the bead's one sentence does (``give_edges_to_nulls``).
7. A 2-2 bead whose two sentences the translation swapped is cut into two crossing 1-1 beads
   (``split_swapped_pairs``), and a 1-0 and a 0-1 bead near each other that are each other's best
   match become one 1-1 bead out of order (``pair_crossing_nulls``): the two steps that give up
   monotone order.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from aligner.align import anchors as anc
from aligner.align.config import AlignConfig
from aligner.align.dp import NEG, Band, band_around_points, banded_dp, full_band, predecessors
from aligner.align.similarity import (Side, block_sums, length_penalty, length_stats, neighbour_mean, pair_dots, run_starts,
                                      transpose)


GAIN_CHUNK = 1 << 16  # cells per step of the fine gains (temporaries of ~0.5 MB)


@dataclass(frozen=True)
class RawBead:
    """A bead as index ranges plus its scoring terms (no text, no calibration yet)."""

    ru: tuple[int, int]  # half-open range of ru sentences
    en: tuple[int, int]
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class DocStats:
    """What ``align_vectors`` learnt about the document (for reports and tests)."""

    band_cells: int = 0
    full: bool = False
    anchors: int = 0
    mu: float = 0.0
    sigma: float = 0.0
    tau: float = 0.0
    typical: float = 0.0
    # stand-in windows (``Side.stand_in``) that the returned beads' scores and the checks after
    # the DP read: ``(side, width, start)`` with side 0 = ru, 1 = en
    stand_ins: set[tuple[int, int, int]] = field(default_factory=set)


class Scorer:
    """Scores beads of any type at any position, with lazily computed neighbourhood terms."""

    def __init__(self, ru: Side, en: Side, nb: Band, config: AlignConfig) -> None:
        self.ru, self.en, self.nb, self.cfg = ru, en, nb, config
        self.nbt = transpose(nb)
        self._hub: dict[tuple[str, int, int], np.ndarray] = {}
        self.mu, self.sigma = 0.0, config.length_sigma_floor
        self.stand_ins: set[tuple[int, int, int]] = set()

    def sim(self, a: int, b: int, ri: np.ndarray, ej: np.ndarray) -> np.ndarray:
        """Cosines of ru windows of width ``a`` at ``ri`` with en windows of width ``b`` at ``ej``,
        plus each side's ``Side.bonus`` (the correction for stand-in vectors)."""
        sim = pair_dots(self.ru.emb[a - 1], self.en.emb[b - 1], ri, ej)
        for side, w, idx in ((self.ru, a, ri), (self.en, b, ej)):
            if side.bonus is not None and w > 1:
                sim += side.bonus[w - 1][idx]
        return sim

    def note_stand_ins(self, a: int, b: int, ri: np.ndarray, ej: np.ndarray) -> None:
        """Remember the stand-in windows among these (read by ``DocStats.stand_ins``)."""
        for k, side, w, idx in ((0, self.ru, a, ri), (1, self.en, b, ej)):
            if side.stand_in is not None and w > 1:
                idx = np.asarray(idx)
                self.stand_ins.update((k, w, int(s)) for s in idx[side.stand_in[w - 1][idx]].tolist())

    def hub(self, side: str, a: int, b: int) -> np.ndarray:
        """Neighbourhood mean for ru windows of width a against en windows of width b (side 'ru'),
        or en windows of width b against ru windows of width a (side 'en')."""
        key = (side, a, b)
        if key not in self._hub:
            k = self.cfg.margin_k
            if side == "ru":
                x, y, band, wx, wy = self.ru.emb[a - 1], self.en.emb[b - 1], self.nb, a, b
            else:
                x, y, band, wx, wy = self.en.emb[b - 1], self.ru.emb[a - 1], self.nbt, b, a
            idx = np.arange(x.shape[0])
            lo = band.lo[idx]
            hi = band.hi[np.minimum(idx + wx, band.n)] - wy + 1
            hi = np.maximum(hi, lo + 1)
            self._hub[key] = neighbour_mean(x, y, lo, hi, k, pad=self.cfg.prior_hub)
        return self._hub[key]

    def window_hub(self, side: str, w: int) -> np.ndarray:
        """Mean 1-1 neighbourhood term of the sentences of each window of width ``w``."""
        key = (side + "_win", w, 0)
        if key not in self._hub:
            h = self.hub(side, 1, 1).astype(np.float64)
            c = np.concatenate([[0.0], np.cumsum(h)])
            self._hub[key] = (c[w:] - c[:-w]) / w
        return self._hub[key]

    def terms(self, a: int, b: int, ri: np.ndarray, ej: np.ndarray,
              sim: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Scoring terms of beads (a, b) starting at ru window ``ri`` and en window ``ej``.

        ``sim``: the cosines when already computed (``pair_dots`` over these cells).
        Returns arrays: ``sim`` (cosine), ``margin`` (cosine minus the mean of both
        neighbourhood terms), ``len_pen`` (Gale–Church penalty in nats), ``score``.
        """
        if sim is None:  # a bead described or checked after the DP: note the stand-ins it reads
            self.note_stand_ins(a, b, ri, ej)
            sim = self.sim(a, b, ri, ej)
        hx = self.window_hub("ru", a)[ri]
        hy = self.window_hub("en", b)[ej]
        margin = sim - 0.5 * (hx + hy)
        lp = length_penalty(self.ru.length[a - 1][ri], self.en.length[b - 1][ej], self.mu, self.sigma)
        score = (margin if self.cfg.margin else sim).astype(np.float64, copy=False)
        if self.cfg.length:
            score = score - self.cfg.length_weight * lp
        return {"sim": sim, "margin": margin, "len_pen": lp, "hub_ru": hx, "hub_en": hy, "score": score}


def _coarse_points(ru: Side, en: Side, config: AlignConfig) -> np.ndarray:
    """Lattice points of a coarse 1-1/1-0/0-1 path through block-averaged embeddings."""
    n, m = ru.n, en.n
    nb = max(1, min(n, config.coarse_blocks))
    mb = max(1, min(m, config.coarse_blocks))
    rb = np.linspace(0, n, nb + 1).round().astype(np.int64)
    eb = np.linspace(0, m, mb + 1).round().astype(np.int64)

    def blocks(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
        sums = block_sums(x, edges)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return (sums / np.maximum(norms, 1e-9)).astype(np.float32)

    xr, xe = blocks(ru.emb[0], rb), blocks(en.emb[0], eb)
    sims = xr @ xe.T
    # Block cosine above the median block cosine (so unrelated blocks score about 0). Not
    # the margin: a block whose text recurs elsewhere in the document (a refrain, repeated
    # boilerplate, a test built by repeating documents) has its copies among its nearest
    # neighbours, so its margin is about 0 even on the true diagonal.
    marg = sims - np.median(sims)
    band = full_band(nb, mb)
    # full band: cells are the (nb+1) x (mb+1) matrix row by row, so gains and predecessors
    # are built as matrices (no per-cell coordinate arrays on this 4M-cell pass)
    cells = (nb + 1) * (mb + 1)
    gains = np.empty((2, nb + 1, mb + 1), dtype=np.float32)  # filled in place: no stacked copies
    gains[0] = NEG
    gains[0, 1:, 1:] = marg
    # Skipping a block costs a quarter of the typical block match (the median over ru blocks
    # of their best gain), as the fine DP's null cost scales with its typical score; with
    # free skips, a weak stretch lets the path wander off the diagonal, and the anchors,
    # searched around this path, then miss the whole stretch.
    skip = -0.25 * max(float(np.median(marg.max(axis=1))), 0.0)
    del sims, marg
    gains[1] = skip
    gains[1, 0] = NEG
    gains = gains.reshape(2, cells)
    up = np.arange(-(mb + 1), cells - (mb + 1), dtype=np.int32).reshape(nb + 1, mb + 1)  # cell (i-1, j)
    pred = np.empty((2, nb + 1, mb + 1), dtype=np.int32)
    pred[0] = cells
    pred[0, 1:, 1:] = up[1:, :-1]
    pred[1] = np.where(up >= 0, up, cells)
    pred = pred.reshape(2, cells)
    del up
    path = banded_dp(band, [(1, 1), (1, 0)], gains, np.full(mb, skip), pred)
    pts = [(int(rb[i1]), int(eb[j1])) for (_, i1, _, j1) in path]
    return np.array(pts, dtype=np.int64).reshape(-1, 2)


def align_vectors(ru: Side, en: Side, config: AlignConfig | None = None) -> tuple[list[RawBead], DocStats]:
    """Align two documents given their window embeddings and lengths.

    The matrix products here are small (band blocks), where multi-threaded BLAS
    only adds contention; when ``threadpoolctl`` is installed (it comes with
    scikit-learn) BLAS is held to one thread for the call.

    Args:
        ru, en: ``Side`` objects (windows 1..config.max_window).
        config: settings; defaults to ``AlignConfig()``.
    Returns:
        Beads in order (but for ``split_swapped_pairs``' and ``pair_crossing_nulls``' beads, whose
        en side is out of order),
        covering every sentence exactly once, and document statistics.
    """
    with one_blas_thread():
        return AlignPass(ru, en, config or AlignConfig()).run()


def one_blas_thread():
    """A context that holds BLAS to one thread (``threadpoolctl``; a no-op without it).

    The libraries are found once per process (``_blas_controller``): finding them scans every
    loaded library, 0.4 ms a call, about 1 % of embedding a short news document.
    """
    controller = _blas_controller()
    if controller is None:  # optional: only speed depends on it
        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api="blas")


@functools.lru_cache(maxsize=1)
def _blas_controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()  # numpy (and its BLAS) is loaded before this runs


class AlignPass:
    """One document's DP, set up once, re-run after some window vectors change.

    Everything before the window gains (the band, the 1-1 margins, anchors, length statistics
    and bead costs) reads sentence vectors only; so when the selective strategy replaces
    stand-in windows by real ones (``aligner.align.windows``), ``update`` recomputes the
    gains of just the cells that read a changed window, and ``run`` repeats the DP and what
    follows it.
    """

    def __init__(self, ru: Side, en: Side, cfg: AlignConfig) -> None:
        n, m = ru.n, en.n
        self.cfg, self.n, self.m = cfg, n, m
        self.stats = DocStats()
        self.scorer: Scorer | None = None
        if n == 0 or m == 0:
            return
        stats = self.stats

        # 1. neighbourhood band
        stats.full = (n + 1) * (m + 1) <= cfg.full_matrix_cells
        if stats.full:
            nb = full_band(n, m)
        else:
            pts = _coarse_points(ru, en, cfg)
            radius = max(cfg.hub_radius, int(np.ceil(max(n, m) / cfg.coarse_blocks)))
            nb = band_around_points(pts, n, m, radius)
        scorer = self.scorer = Scorer(ru, en, nb, cfg)

        # 2. 1-1 margins and anchors
        ri, ej, t11 = one_to_one(scorer, nb)
        pairs = anc.mutual_best_pairs(ri, ej, t11["margin"], n, m, cfg.anchor_min_margin)
        pairs = anc.monotone_chain(pairs)
        stats.anchors = len(pairs)

        # 3. document statistics
        scorer.mu, scorer.sigma = length_stats(ru.length[0], en.length[0], pairs, cfg.length_sigma_floor)
        stats.mu, stats.sigma = scorer.mu, scorer.sigma
        q = typical_score(ri, t11, n, cfg.prior_typical, cfg.prior_weight)
        bonus, null_cost, mm_cost = cfg.bead_bonus * q, cfg.null_cost * q, cfg.many_to_many_cost * q
        self.tau = -(bonus + 2 * null_cost)  # a 1-1 bead beats leaving both sentences unaligned above this
        stats.tau, stats.typical = self.tau, q
        # Bertalign-style pass: raw cosine, no bead priors, a fixed-fraction skip; "blend" mixes
        # its gains with the margin model's, weight ``blend_weight`` on the cosine pass
        weights = {"margin": 0.0, "cosine": 1.0, "blend": cfg.blend_weight}
        if cfg.second_pass not in weights:
            raise ValueError(f"AlignConfig.second_pass must be one of {sorted(weights)}, not {cfg.second_pass!r}")
        w = weights[cfg.second_pass]
        if w > 0:
            null_cost = (1 - w) * null_cost + w * cfg.cosine_skip * typical_score(ri, {"score": t11["sim"]}, n)
        del ri, ej, t11  # the neighbourhood band is wide: free its per-cell arrays before the fine DP

        # 4. fine band and the gains of every bead type on it
        if cfg.anchors and len(pairs) and not stats.full:
            lattice = np.concatenate([pairs, pairs + 1], axis=1).reshape(-1, 2)
            fb = band_around_points(lattice, n, m, cfg.band_radius)
        else:
            fb = nb
        stats.band_cells = fb.cells
        self.fb, self.types = fb, [t for t in cfg.types if t[0] >= 1]
        self.bonus, self.null_cost, self.mm_cost, self.w = bonus, null_cost, mm_cost, w
        # the margin cannot tell a translation from an unrelated pair when a side has fewer
        # sentences than margin_k (its neighbourhood is mostly the prior): require raw evidence
        self.floor = cfg.min_sim if min(n, m) < cfg.margin_k else -np.inf
        self.cont_cost = cfg.continuation_cost * q if ru.cont is not None and en.cont is not None else 0.0
        self.par_cost = cfg.paragraph_cost * q if ru.par is not None and en.par is not None else 0.0
        self.par_sums = paragraph_sums(ru, en) if self.par_cost > 0 else None
        self.par_tails = (paragraph_tails(ru.par), paragraph_tails(en.par)) if self.par_cost > 0 and cfg.paragraph_tail > 0 else None
        self.fci, self.fcj = fb.cell_coords()
        self.pred = predecessors(fb, self.types, self.fci, self.fcj)
        self.gains = np.full((len(self.types), self.fci.size), NEG, dtype=np.float32)
        for t, (a, b) in enumerate(self.types):
            ok = self.pred[t] < self.fci.size
            if b == 0:
                self.gains[t, ok] = -null_cost
                continue
            # a start cell inside the band already means i >= a and j >= b (see ``predecessors``)
            self._score_cells(t, np.flatnonzero(ok))

    def _score_cells(self, t: int, idx: np.ndarray) -> None:
        """Gains of bead type ``types[t]`` at the flat band cells ``idx`` (all inside the band)."""
        scorer, cfg, fci, fcj = self.scorer, self.cfg, self.fci, self.fcj
        ru, en = scorer.ru, scorer.en
        a, b = self.types[t]
        w = self.w
        # the cosines over all of the type's cells at once (pair_dots' blocks depend on the
        # cells it is given), the other terms in chunks that stay in cache
        sims = scorer.sim(a, b, fci[idx] - a, fcj[idx] - b)
        for c0 in range(0, idx.size, GAIN_CHUNK):
            sub = idx[c0 : c0 + GAIN_CHUNK]
            ci, cj = fci[sub], fcj[sub]
            ri, ej = ci - a, cj - b
            terms = scorer.terms(a, b, ri, ej, sim=sims[c0 : c0 + GAIN_CHUNK])
            # in-place arithmetic below: the same operations in the same order, fewer temporaries
            g = terms["score"] + self.bonus
            g -= self.mm_cost if min(a, b) >= 2 else 0.0
            if w > 0:
                cos_gain = length_agreement(ru.length[a - 1][ri], en.length[b - 1][ej], scorer.mu)
                cos_gain = terms["sim"] * cos_gain
                g *= 1 - w
                cos_gain *= w
                g += cos_gain
            if self.cont_cost > 0:
                ce = continuation_end(ru, en, ci - 1, cj - 1, cfg.continuation_mode)
                ce *= self.cont_cost
                g -= ce
            if self.par_cost > 0:
                breaks = paragraph_breaks(ru, en, ri, ci, ej, cj, self.par_sums)
                if self.par_tails is not None:
                    breaks -= tail_end(ru, en, ci, cj, self.par_tails, cfg.paragraph_tail)
                g -= self.par_cost * breaks
            self.gains[t, sub] = g if self.floor == -np.inf else np.where(terms["sim"] >= self.floor, g, NEG)

    def update(self, ru: Side, en: Side, changed: list[tuple[int, int, int]]) -> None:
        """Take new window vectors and rescore the cells that read a changed window.

        Args:
            ru, en: the same documents' ``Side`` objects, with new vectors (and ``stand_in`` /
                ``bonus``) for some windows of 2+ sentences; sentence rows unchanged.
            changed: those windows, ``(side, width, start)`` with side 0 = ru, 1 = en.
        """
        if self.scorer is None:
            return
        self.scorer.ru, self.scorer.en = ru, en
        self.scorer.stand_ins = set()
        marks = [{}, {}]  # side -> width -> bool mask of changed window starts
        for k, w, s in changed:
            size = (self.n, self.m)[k] - w + 1
            marks[k].setdefault(w, np.zeros(max(size, 0), dtype=bool))[s] = True
        for t, (a, b) in enumerate(self.types):
            if b == 0 or (a not in marks[0] and b not in marks[1]):
                continue
            ok = self.pred[t] < self.fci.size
            hit = np.zeros(self.fci.size, dtype=bool)
            for k, width, coord in ((0, a, self.fci), (1, b, self.fcj)):
                mask = marks[k].get(width)
                if mask is not None:
                    start = coord - width
                    inside = ok & (start >= 0) & (start < mask.size)
                    hit[inside] |= mask[start[inside]]
            idx = np.flatnonzero(hit & ok)
            if idx.size:
                self._score_cells(t, idx)

    def run(self) -> tuple[list[RawBead], DocStats]:
        """The DP on the current gains, then the beads' features and the checks after it."""
        n, m, cfg = self.n, self.m, self.cfg
        stats = replace(self.stats)
        if self.scorer is None:
            beads = [RawBead((i, i + 1), (0, 0), {}) for i in range(n)] + [RawBead((0, 0), (j, j + 1), {}) for j in range(m)]
            return beads, stats
        scorer, tau = self.scorer, self.tau
        scorer.stand_ins = set()
        path = banded_dp(self.fb, self.types, self.gains, np.full(m, -self.null_cost), self.pred)

        # 5. beads with features (and the merge check)
        beads = describe_all(scorer, tau, path)
        for switch, step in _AFTER_DP:
            if getattr(cfg, switch):
                beads = step(beads, scorer, tau, cfg)
        piece_sims(beads, scorer)
        # share of the neighbourhood that is the prior (0 unless a side has < margin_k sentences):
        # tells the calibration that the margin and q of this document are mostly priors
        k = cfg.margin_k
        prior = (max(0, k - m) + max(0, k - n)) / (2 * k)
        for b in beads:  # each bead has its own features dict (describe_all, merge_check)
            b.features["prior"] = prior
        stats.stand_ins = scorer.stand_ins
        return beads, stats


def one_to_one(scorer: Scorer, nb: Band) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """1-1 candidates of the neighbourhood band and their ``margin`` and ``score``.

    Computed over row chunks, keeping only the two terms the anchors and the typical
    score need: the band holds ~90 cells per row on long inputs, and the full set of
    terms over all of it at once was the aligner's memory peak.

    Returns:
        ``ri, ej`` (``(K,)`` int32, row by row) and ``{"margin", "score", "sim"}`` ``(K,)``.
    """
    n, m = nb.n, nb.m
    # outputs allocated once and filled chunk by chunk (no list of parts to concatenate)
    total = nb.cells - int(nb.widths[0]) - int(np.count_nonzero(nb.lo[1:] == 0))  # cells with i, j >= 1
    ri_all, ej_all = np.empty(total, dtype=np.int32), np.empty(total, dtype=np.int32)
    margin, score, sim = np.empty(total), np.empty(total), np.empty(total, dtype=np.float32)
    pos = 0
    for ci, cj in nb.row_chunks():
        keep = (ci >= 1) & (cj >= 1) & (ci <= n) & (cj <= m)
        ri, ej = ci[keep] - 1, cj[keep] - 1
        t = scorer.terms(1, 1, ri, ej)
        end = pos + ri.size
        ri_all[pos:end], ej_all[pos:end] = ri, ej
        margin[pos:end], score[pos:end], sim[pos:end] = t["margin"], t["score"], t["sim"]
        pos = end
    if pos != total:
        raise AssertionError("one_to_one: band cell count mismatch")
    return ri_all, ej_all, {"margin": margin, "score": score, "sim": sim}


def continuation_end(ru: Side, en: Side, last_ru: np.ndarray, last_en: np.ndarray, mode: str) -> np.ndarray:
    """Where beads end on a sentence that goes on (``Side.cont``: colon or semicolon).

    Args:
        ru, en: the sides (``cont`` set).
        last_ru, last_en: ``(K,)`` last ru / en sentence of each bead.
        mode: ``"mismatch"``: 1.0 when only one side's last sentence goes on (one language
            ended its thought there, the other did not); ``"any"``: when either does.
    Returns:
        ``(K,)`` float64 of 0.0 / 1.0.
    """
    cr, ce = ru.cont[last_ru], en.cont[last_en]
    if mode == "mismatch":
        return (cr != ce).astype(np.float64)
    if mode == "any":
        return (cr | ce).astype(np.float64)
    raise ValueError(f"AlignConfig.continuation_mode must be 'mismatch' or 'any', not {mode!r}")


def paragraph_tails(par: np.ndarray) -> np.ndarray:
    """How many sentences follow each one in its paragraph (0 for a paragraph's last)."""
    par = np.asarray(par, dtype=bool)
    ends = np.flatnonzero(par)
    # the next paragraph end at or after each sentence (a text that stops mid-paragraph ends there)
    nxt = np.searchsorted(ends, np.arange(len(par)))
    last = np.append(ends, len(par) - 1)[nxt]
    return last - np.arange(len(par))


def tail_end(ru: Side, en: Side, i1: np.ndarray, j1: np.ndarray, tails: tuple[np.ndarray, np.ndarray],
             tail: int) -> np.ndarray:
    """1 for beads ending at ``i1`` / ``j1`` that end a paragraph on one side while the other
    side's paragraph ends within ``tail`` more sentences (``AlignConfig.paragraph_tail``), else 0.

    Those sentences may have no counterpart: a translation that drops a paragraph's last
    sentence or two leaves them unaligned only if the bead before them may end there, so the
    one-sided paragraph end (``paragraph_breaks``) is not charged for them.
    """
    tr, te = tails
    ru_end, en_end = np.asarray(ru.par, dtype=bool)[i1 - 1], np.asarray(en.par, dtype=bool)[j1 - 1]
    return (((ru_end & ~en_end) & (te[j1 - 1] <= tail)) | ((en_end & ~ru_end) & (tr[i1 - 1] <= tail))).astype(np.float64)


def paragraph_sums(ru: Side, en: Side) -> tuple[np.ndarray, np.ndarray]:
    """Running counts of paragraph ends on each side (``(n+1,)``, ``(m+1,)``)."""
    return np.concatenate([[0], np.cumsum(ru.par)]), np.concatenate([[0], np.cumsum(en.par)])


def paragraph_breaks(ru: Side, en: Side, i0: np.ndarray, i1: np.ndarray, j0: np.ndarray,
                     j1: np.ndarray, sums: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """How far beads ``[i0, i1) x [j0, j1)`` go against the paragraphs (``Side.par``).

    One for a bead that ends a paragraph on one side only, plus one for each paragraph break
    inside the bead on either side. Translators keep paragraphs: a bead almost never crosses
    a paragraph break, and where one side's paragraph ends the other's does too.
    ``sums``: ``paragraph_sums(ru, en)`` when already computed.
    """
    cr, ce = sums if sums is not None else paragraph_sums(ru, en)
    inside = (cr[i1 - 1] - cr[i0]) + (ce[j1 - 1] - ce[j0])
    return (ru.par[i1 - 1] != en.par[j1 - 1]) + inside.astype(np.float64)


def typical_score(ri: np.ndarray, t11: dict[str, np.ndarray], n: int, prior: float = 0.0,
                  weight: float = 0.0) -> float:
    """The document's typical match score: the median over ru sentences of their best 1-1
    score, shrunk towards ``prior`` as if it had been seen on ``weight`` more sentences
    (so a 1-3 sentence document, whose median says little, leans on the prior)."""
    best = np.full(n, -np.inf)
    score = t11["score"]
    if ri.size and np.all(ri[1:] >= ri[:-1]):  # band cells come row by row: one reduceat, not maximum.at
        starts = np.flatnonzero(run_starts(ri))  # each row's first cell
        best[ri[starts]] = np.maximum(best[ri[starts]], np.maximum.reduceat(score, starts))
    else:
        np.maximum.at(best, ri, score)
    best = best[np.isfinite(best)]
    med = max(float(np.median(best)), 0.0) if best.size else 0.0
    return (best.size * med + weight * prior) / (best.size + weight) if best.size + weight > 0 else 0.0


def describe_all(scorer: Scorer, tau: float, path: list[tuple[int, int, int, int]]) -> list[RawBead]:
    """Features of every bead on the path, computed once per bead type (vectorised)."""
    feats: list[dict[str, float]] = [{"tau": tau} for _ in path]
    p = np.asarray(path, dtype=np.int64).reshape(-1, 4)
    a_all, b_all = p[:, 1] - p[:, 0], p[:, 3] - p[:, 2]
    key = np.where((a_all > 0) & (b_all > 0), a_all * (int(b_all.max(initial=0)) + 1) + b_all, -1)
    for u in np.unique(key[key >= 0]).tolist():
        ks = np.flatnonzero(key == u)
        a, b = int(a_all[ks[0]]), int(b_all[ks[0]])
        t = scorer.terms(a, b, p[ks, 0], p[ks, 2])
        t["len_z"] = np.sqrt(2 * t["len_pen"].astype(np.float64))
        names = list(t)
        for k, row in zip(ks.tolist(), zip(*(v.tolist() for v in t.values()))):
            feats[k].update(zip(names, row))
    return [RawBead((i0, i1), (j0, j1), f) for (i0, i1, j0, j1), f in zip(path, feats)]


def _describe(scorer: Scorer, tau: float, i0: int, i1: int, j0: int, j1: int) -> RawBead:
    a, b = i1 - i0, j1 - j0
    if a == 0 or b == 0:
        return RawBead((i0, i1), (j0, j1), {"tau": tau})
    t = scorer.terms(a, b, np.array([i0]), np.array([j0]))
    feats = {k: float(v[0]) for k, v in t.items()}
    feats["tau"] = tau
    feats["len_z"] = float(np.sqrt(2 * feats["len_pen"]))
    return RawBead((i0, i1), (j0, j1), feats)


def piece_sims(beads: list[RawBead], scorer: Scorer) -> None:
    """Set ``features["piece_min"]`` on every merged bead: the lowest cosine between one of its
    sentences and the whole other side.

    The cosine of a concatenation hardly moves when a sentence without counterpart rides along
    (a deleted sentence, a stray "." or a byline glued to a neighbour), so neither the DP nor the
    merge check sees it; the sentence's own cosine with the other side does: on the dev cases
    (scripts/bench_filters.py) every written merged bead with a sentence at or below 0 was
    wrong. The bead filter ``weak_piece`` reads it. 1-1 and 1-0 / 0-1 beads get no value.
    """
    ru, en = scorer.ru, scorer.en
    for bead in beads:
        (i0, i1), (j0, j1) = bead.ru, bead.en
        a, b = i1 - i0, j1 - j0
        if a == 0 or b == 0 or a + b == 2 or max(a, b) > len(ru.emb) or max(a, b) > len(en.emb):
            continue
        low = np.inf
        if a >= 2:
            low = min(low, float(np.min(ru.emb[0][i0:i1] @ en.emb[b - 1][j0])))
        if b >= 2:
            low = min(low, float(np.min(en.emb[0][j0:j1] @ ru.emb[a - 1][i0])))
        bead.features["piece_min"] = low


def merge_check(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Split merged beads that their parts explain as well (SentAlign's check of merges against splits).

    Cosine over a concatenation changes little when a sentence without counterpart is
    added, so a DP over concatenations tends to absorb deleted sentences into
    neighbouring beads and to glue two 1-1 pairs into a 2-2. For each bead with more
    than two sentences we compare raw cosines (the quantity whose change best separates
    true from false merges):
    - a sentence at either end of either side is detached as a 1-0 / 0-1 bead if the
      remaining bead's cosine is at least the whole bead's plus the tolerance
      (``merge_tolerance``: ``merge_check_tolerance``, more in loose documents),
      and so is its cosine less the DP's length term (``merge_check_length``): a sentence whose
      content the other side does carry adds little cosine to a loose translation, but
      taking it away leaves a bead whose lengths no longer match;
    - a many-to-many bead is cut in two (both parts non-empty on both sides) if each part's
      cosine is at least the whole bead's.
    Repeated on the pieces until nothing changes.
    """
    allowed = set(cfg.types)
    length_weight = cfg.length_weight if cfg.merge_check_length and cfg.length else 0.0
    tol = merge_tolerance(beads, cfg)
    bad_end = _one_sided_end(scorer, cfg)
    out: list[RawBead] = []
    stack = list(reversed(beads))
    while stack:
        bead = stack.pop()
        (i0, i1), (j0, j1) = bead.ru, bead.en
        a, b = i1 - i0, j1 - j0
        if a == 0 or b == 0 or a + b <= 2:
            out.append(bead)
            continue
        pieces = _best_split(scorer, tau, i0, i1, j0, j1, bead, allowed, tol, bad_end, length_weight,
                             cfg.merge_check_runs)
        if pieces is None:
            out.append(bead)
            continue
        stack.extend(reversed(pieces))
    return out


def _one_sided_end(scorer: Scorer, cfg: AlignConfig):
    """A test ``(i, j) -> bool``: would a linked piece ending at ru i / en j end on a one-sided
    continuation? The DP paid ``continuation_cost`` to avoid such ends, so the merge check
    does not create them (None when the cost is off)."""
    ru, en = scorer.ru, scorer.en
    if cfg.continuation_cost <= 0 or ru.cont is None or en.cont is None:
        return None
    return lambda i, j: bool(continuation_end(ru, en, np.array([i]), np.array([j]), cfg.continuation_mode)[0])


def rejoin_nulls(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Join an unaligned sentence to a neighbouring bead whose cosine does not fall with it.

    A short sentence whose content the translator folded into a neighbour's translation
    ("Берегите себя!" in "... until next time, take care.") gains the DP little: its own 1-1
    is poor and a merged bead's cosine barely moves, so the DP leaves it 1-0. Deleted
    sentences (no counterpart) lower a bead's cosine when joined; folded ones do not. So a
    1-0 / 0-1 sentence joins the neighbour (on the same side of the path) whose cosine, and
    cosine less the DP's length term, fall by at most ``rejoin_slack``; the joined bead keeps
    to ``max_window`` sentences a side and to the neighbour's paragraphs (no new paragraph
    break inside it). The merge check's detaches are never undone: those raised the cosine by
    at least its tolerance, so joining them back lowers it.
    """
    lw = cfg.length_weight if cfg.length else 0.0
    sums = paragraph_sums(scorer.ru, scorer.en) if scorer.ru.par is not None and scorer.en.par is not None else None
    bad_end = _one_sided_end(scorer, cfg)
    out = pair_loose_regions(beads, scorer, tau, cfg.max_window, sums, bad_end, cfg.pair_loose_runs)
    ru_follows = scorer.ru.follows if cfg.follow_on else None
    en_follows = scorer.en.follows if cfg.follow_on else None
    k = 0
    while k < len(out):
        (i0, i1), (j0, j1) = out[k].ru, out[k].en
        if (i1 - i0) + (j1 - j0) != 1:  # linked, or (never) empty
            k += 1
            continue
        # a line that goes on with the sentence before it (AlignConfig.follow_on) joins the bead
        # that sentence ends, whatever the cosine says
        follows = (ru_follows[i0] if i1 > i0 and ru_follows is not None
                   else en_follows[j0] if j1 > j0 and en_follows is not None else False)
        best = None
        for nk in (k - 1, k + 1):
            if not 0 <= nk < len(out):
                continue
            nb = out[nk]
            (a0, a1), (b0, b1) = nb.ru, nb.en
            if a1 == a0 or b1 == b0:
                continue
            r0, r1, e0, e1 = min(a0, i0), max(a1, i1), min(b0, j0), max(b1, j1)
            if r1 - r0 > cfg.max_window or e1 - e0 > cfg.max_window:
                continue
            if sums is not None and _breaks(scorer, sums, r0, r1, e0, e1) > _breaks(scorer, sums, a0, a1, b0, b1):
                continue
            if bad_end is not None and bad_end(r1 - 1, e1 - 1) and not bad_end(a1 - 1, b1 - 1):
                continue  # the DP paid to avoid such an end (continuation_cost)
            c = _describe(scorer, tau, r0, r1, e0, e1)
            drop = nb.features["sim"] - c.features["sim"]
            if follows and nk == k - 1 and (a1 == i0 if i1 > i0 else b1 == j0):
                best = (-np.inf, nk, c)
                break
            if drop <= cfg.rejoin_slack and _fit(nb, lw) - _fit(c, lw) <= cfg.rejoin_slack:
                if best is None or drop < best[0]:
                    best = (drop, nk, c)
        if best is None:
            k += 1
            continue
        _, nk, c = best
        lo = min(k, nk)
        out[lo : lo + 2] = [c]
        k = lo  # the grown bead may take the next unaligned sentence too
    return out


def crossing_numbers(ru: Side, en: Side, a: RawBead, b: RawBead) -> set[str]:
    """Numbers that cross the boundary between two neighbouring linked beads ``a`` and ``b``:
    found in one bead on one side and only in the other bead on the other side (``Side.nums``)."""
    def nums(side: Side, span: tuple[int, int]) -> frozenset[str]:
        return frozenset().union(*side.nums[span[0]:span[1]])

    x1, y1, x2, y2 = nums(ru, a.ru), nums(en, a.en), nums(ru, b.ru), nums(en, b.en)
    return ((x1 & y2) - y1 - x2) | ((x2 & y1) - x1 - y2)


def merge_number_crossings(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Join two neighbouring linked beads when a number crosses the boundary between them.

    Translators copy years, heights and amounts as they are, so a number found in the ru
    sentences of one bead and in the en sentences of the next one only (and in neither of the
    other two) shows that the boundary between the beads is not where the translation's is:
    the two sentence pairs are one unit whose content was split differently ("... einen
    Mittelwert von 8840 m ... | Die neue offizielle Kote ..., 8848 m" / "... une moyenne de
    8840 m ; | des estimations ... jusqu'au de 8900 m. La nouvelle cote officielle ..."). The
    merged bead keeps to ``max_window`` sentences a side and adds no paragraph break (it ends
    where the second bead ended, so no new continuation end either). ``Side.nums`` holds the numbers
    (``similarity.numbers``: three digits or more); without them nothing changes.
    """
    ru, en = scorer.ru, scorer.en
    if ru.nums is None or en.nums is None:
        return beads
    return _merge_neighbours(beads, scorer, tau, cfg, lambda a, b: bool(crossing_numbers(ru, en, a, b)))


def _linked_neighbours(a: RawBead, b: RawBead) -> bool:
    """Both beads link sentences on both sides, and ``b`` starts where ``a`` ends on both."""
    return (a.ru[1] > a.ru[0] and a.en[1] > a.en[0] and b.ru[1] > b.ru[0] and b.en[1] > b.en[0]
            and b.ru[0] == a.ru[1] and b.en[0] == a.en[1])


def _merge_neighbours(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig,
                      crosses: Callable[[RawBead, RawBead], bool]) -> list[RawBead]:
    """Join each two neighbouring linked, contiguous beads whose boundary ``crosses(a, b)`` says
    is not the translation's (``merge_number_crossings``, ``merge_paren_crossings``): the merged
    bead keeps to ``max_window`` sentences a side and adds no paragraph break, and may join the
    next bead too."""
    ru, en = scorer.ru, scorer.en
    sums = paragraph_sums(ru, en) if ru.par is not None and en.par is not None else None
    out = list(beads)
    k = 0
    while k + 1 < len(out):
        a, b = out[k], out[k + 1]
        (i0, i1), (j0, j1) = a.ru, a.en
        (r0, r1), (e0, e1) = b.ru, b.en
        if (not _linked_neighbours(a, b) or r1 - i0 > cfg.max_window or e1 - j0 > cfg.max_window
                or not crosses(a, b)
                or (sums is not None and _breaks(scorer, sums, i0, r1, j0, e1)
                    > _breaks(scorer, sums, i0, i1, j0, j1) + _breaks(scorer, sums, r0, r1, e0, e1))):
            k += 1
            continue
        out[k : k + 2] = [_describe(scorer, tau, i0, r1, j0, e1)]
    return out


def paren_crossing(ru: Side, en: Side, a: RawBead, b: RawBead) -> bool:
    """On one side only, the last sentence of bead ``a`` stops inside a bracket that the
    first sentence of the next bead ``b`` closes (``Side.parens``): the boundary between the
    beads cuts a sentence in two there, and not on the other side."""
    def cuts(side: Side, x: tuple[int, int], y: tuple[int, int]) -> bool:
        return side.parens[x[1] - 1] > 0 and side.parens[y[0]] < 0

    return cuts(ru, a.ru, b.ru) != cuts(en, a.en, b.en)


def merge_paren_crossings(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Join two neighbouring linked beads when the boundary between them cuts a bracket.

    A sentence splitter cuts at a colon inside brackets (bibliographic references: "« Dämon
    Himalaya » ( Basel :" / "Benno Schwabe 1935 ) ."), and pre-split lines are given, so the
    two halves are one sentence whose translation does not follow that cut; the DP sees the
    split only through cosines, which such fragments barely move. A line that ends a
    sentence inside its bracket does not count (``similarity.paren_balance``). When both
    sides' boundaries cut a bracket, both texts were cut alike (a line break inside one
    sentence on both sides, as in wmt23 em1-2) and the beads stay. The merged bead keeps to ``max_window`` sentences a side and adds no
    paragraph break. ``Side.parens`` holds the balances (``similarity.paren_balance``);
    without them nothing changes.
    """
    ru, en = scorer.ru, scorer.en
    if ru.parens is None or en.parens is None:
        return beads
    return _merge_neighbours(beads, scorer, tau, cfg, lambda a, b: paren_crossing(ru, en, a, b))


def _initial_cut(cut: Side, other: Side, a: RawBead, b: RawBead, side: str) -> bool:
    """On side ``side`` (held by ``cut``), the first sentence of bead ``b`` goes on a sentence
    that stopped on an initial at the end of bead ``a``, with the name the initial belongs to,
    and that name is in ``a``'s sentences on the other side and not in ``b``'s."""
    end, start = getattr(a, side)[1], getattr(b, side)[0]
    lead = cut.initial_leads[start]
    if not lead or (cut.par is not None and cut.par[end - 1]):
        return False
    other_side = "en" if side == "ru" else "ru"
    (p0, p1), (q0, q1) = getattr(a, other_side), getattr(b, other_side)
    return any(lead in k for k in other.names[p0:p1]) and not any(lead in k for k in other.names[q0:q1])


def mend_initial_cuts(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Give a sentence cut after an initial back to the bead whose translation holds its name.

    A splitter that takes an initial for a full stop cuts "Erstersteigung 1933 durch B.M . |
    Abalakow , seitdem wiederholt besucht ." in two, and pre-split lines are given. When the
    other language wrote the name whole ("par E. M. Abalakow ."), the name shows where the
    translation's boundary is: the piece that starts with the name ("Abalakow") belongs with
    the bead whose other side holds that name, not with the next one. It moves there: the
    next bead keeps its other sentences on that side, or, when it was the only one, the two
    beads become one. A cut both sides made alike ("G. Band-J . | Brown" / "G.Band-J . |
    Brown") puts the name in the next bead on both sides and changes nothing, nor does a
    line that ends a paragraph. Names are compared by ``similarity.name_key``; a bead keeps to
    ``max_window`` sentences a side, and a merge adds no paragraph break on the other side.
    ``Side.initial_leads`` and ``Side.names`` hold what the texts say; without them nothing
    changes.
    """
    ru, en = scorer.ru, scorer.en
    if ru.initial_leads is None or en.initial_leads is None or ru.names is None or en.names is None:
        return beads
    out = list(beads)
    k = 0
    while k + 1 < len(out):
        a, b = out[k], out[k + 1]
        (i0, i1), (j0, j1), (r0, r1), (e0, e1) = a.ru, a.en, b.ru, b.en
        if not _linked_neighbours(a, b):
            k += 1
            continue
        side = "ru" if _initial_cut(ru, en, a, b, "ru") else "en" if _initial_cut(en, ru, a, b, "en") else None
        other = en if side == "ru" else ru
        if side is None:
            k += 1
        elif (r1 - r0 if side == "ru" else e1 - e0) > 1:  # the piece moves; the next bead keeps the rest
            if ((i1 + 1 - i0) if side == "ru" else (j1 + 1 - j0)) > cfg.max_window:
                k += 1
                continue
            if side == "ru":
                out[k : k + 2] = [_describe(scorer, tau, i0, i1 + 1, j0, j1), _describe(scorer, tau, r0 + 1, r1, e0, e1)]
            else:
                out[k : k + 2] = [_describe(scorer, tau, i0, i1, j0, j1 + 1), _describe(scorer, tau, r0, r1, e0 + 1, e1)]
            k += 1
        elif (r1 - i0 > cfg.max_window or e1 - j0 > cfg.max_window
              or (other.par is not None and other.par[(j1 if side == "ru" else i1) - 1])):
            k += 1
        else:
            out[k : k + 2] = [_describe(scorer, tau, i0, r1, j0, e1)]
    return out


def split_at_headings(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Give two chapter headings with the same number a 1-1 bead of their own.

    A heading is short and says little to the encoder ("Глава пятая" / "V"), so the DP leaves
    it unaligned or glues it to the chapter's first sentence ("I. Мальчик с ручкой" / "I"
    inside a 2-2 bead with the title), and a book's paragraph gold then misses both the
    heading and the paragraph after it. Where a ru heading and an en heading carry the same
    number (``Side.heads``, ``similarity.heading_number``) and lie in the same bead or in two
    neighbouring ones, those beads are cut into what comes before the headings, the headings
    as one bead, and what comes after (a part with sentences on one side only becomes 1-0 /
    0-1 beads). Nothing changes when a part would exceed ``max_window`` on a side or would
    not be allowed. Two such headings that both stand in one run of unaligned sentences, however
    long, are linked too (``_pair_gap_headings``).
    """
    ru, en = scorer.ru, scorer.en
    if ru.heads is None or en.heads is None or not any(ru.heads) or not any(en.heads):
        return beads
    allowed = set(cfg.types)
    out = list(beads)
    for i, num in enumerate(ru.heads):
        if not num:
            continue
        ki = next((k for k, b in enumerate(out) if b.ru[0] <= i < b.ru[1]), None)
        if ki is None:
            continue
        lo, hi = max(0, ki - 1), min(len(out), ki + 2)
        js = [j for j in range(min(b.en[0] for b in out[lo:hi]), max(b.en[1] for b in out[lo:hi]))
              if en.heads[j] == num]
        if len(js) != 1:
            continue
        j = js[0]
        kj = next(k for k in range(lo, hi) if out[k].en[0] <= j < out[k].en[1])
        k0, k1 = min(ki, kj), max(ki, kj) + 1
        if out[ki].ru == (i, i + 1) and out[ki].en == (j, j + 1):
            continue
        r0, r1 = min(b.ru[0] for b in out[k0:k1]), max(b.ru[1] for b in out[k0:k1])
        e0, e1 = min(b.en[0] for b in out[k0:k1]), max(b.en[1] for b in out[k0:k1])
        parts = []
        for a0, a1, b0, b1 in ((r0, i, e0, j), (i, i + 1, j, j + 1), (i + 1, r1, j + 1, e1)):
            if a1 > a0 and b1 > b0:
                if (a1 - a0, b1 - b0) not in allowed or max(a1 - a0, b1 - b0) > cfg.max_window:
                    parts = None
                    break
                parts.append(_describe(scorer, tau, a0, a1, b0, b1))
            else:
                parts += [RawBead((x, x + 1), (b0, b0), {"tau": tau}) for x in range(a0, a1)]
                parts += [RawBead((a0, a0), (y, y + 1), {"tau": tau}) for y in range(b0, b1)]
        if parts is not None:
            out[k0:k1] = parts
    return _pair_gap_headings(out, scorer, tau)


def _null_run_end(beads: list[RawBead], k: int) -> int:
    """The end (exclusive) of the run of 1-0 / 0-1 beads that starts at ``beads[k]`` (``k`` itself
    when that bead is linked)."""
    while k < len(beads) and (beads[k].ru[0] == beads[k].ru[1] or beads[k].en[0] == beads[k].en[1]):
        k += 1
    return k


def _headings_at(heads: tuple[int, ...], lo: int, hi: int) -> dict[int, list[int]]:
    """The positions ``lo..hi-1`` of each chapter number in ``heads`` (0: no heading), in order."""
    out: dict[int, list[int]] = {}
    for k in range(lo, hi):
        if heads[k]:
            out.setdefault(heads[k], []).append(k)
    return out


def _pair_gap_headings(beads: list[RawBead], scorer: Scorer, tau: float) -> list[RawBead]:
    """Link a ru and an en chapter heading with the same number that the DP left unaligned in one
    run of unaligned sentences, however long: a translation that leaves a chapter out keeps its
    heading ("I. Мальчик с ручкой", twenty untranslated sentences, "II. …" / "I", "II"). The run
    is laid out again around the heading bead; its other sentences stay unaligned."""
    ru, en = scorer.ru, scorer.en
    out: list[RawBead] = []
    k = 0
    while k < len(beads):
        g = _null_run_end(beads, k)
        if g == k:  # a linked bead
            out.append(beads[k])
            k += 1
            continue
        gap, k = beads[k:g], g
        r0, r1 = min(b.ru[0] for b in gap), max(b.ru[1] for b in gap)
        e0, e1 = min(b.en[0] for b in gap), max(b.en[1] for b in gap)
        if sum(b.ru[1] - b.ru[0] for b in gap) != r1 - r0 or sum(b.en[1] - b.en[0] for b in gap) != e1 - e0:
            out += gap  # not one stretch on each side (a crossing bead inside): left as it is
            continue
        # each side's headings in the run by number, found once (a run may hold whole documents)
        ru_at, en_at = _headings_at(ru.heads, r0, r1), _headings_at(en.heads, e0, e1)
        pairs: list[tuple[int, int]] = []
        for num, (i, *more) in sorted(ru_at.items(), key=lambda item: item[1][0]):
            js = en_at.get(num, [])
            if not more and len(js) == 1 and (not pairs or js[0] > pairs[-1][1]):
                pairs.append((i, js[0]))
        if not pairs:
            out += gap
            continue
        r, e = r0, e0
        for i, j in pairs:
            out += [RawBead((x, x + 1), (e, e), {"tau": tau}) for x in range(r, i)]
            out += [RawBead((i, i), (y, y + 1), {"tau": tau}) for y in range(e, j)]
            out.append(_describe(scorer, tau, i, i + 1, j, j + 1))
            r, e = i + 1, j + 1
        out += [RawBead((x, x + 1), (e, e), {"tau": tau}) for x in range(r, r1)]
        out += [RawBead((r1, r1), (y, y + 1), {"tau": tau}) for y in range(e, e1)]
    return out


def give_edges_to_nulls(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Give the edge sentence of a bead to the unaligned sentence beside it when it matches that
    one better (``AlignConfig.edge_to_null``).

    Where a sentence is hard to match as a whole (an OCR'd photo caption run into it: "Während des
    Blick vom Gipfel des Ulrichshorns auf Nadelhorn ... Abends lässt sich der Zerberus ..." /
    "Pendant la soirée , le cerbère ...") the DP may leave it unaligned and give its translation to
    the neighbouring sentence's bead as a second sentence, where it rides along without lowering
    that bead's cosine much. So for a 1-0 (0-1) bead next to a bead with two or more sentences on
    the other side, the other side's sentence nearest to it (the last of the bead before, the first
    of the bead after) becomes its 1-1 partner when its own cosine with the unaligned sentence is
    higher than with the bead's sentence nearest to it on its own side; the bead keeps the rest
    when that is an allowed bead type. Not where the two new beads go against more paragraph
    breaks than the old one.
    """
    ru, en = scorer.ru, scorer.en
    sums = paragraph_sums(ru, en) if ru.par is not None and en.par is not None else None
    allowed = set(cfg.types)
    out = list(beads)
    k = 0
    while k < len(out):
        (i0, i1), (j0, j1) = out[k].ru, out[k].en
        side = 0 if (i1 - i0, j1 - j0) == (1, 0) else 1 if (i1 - i0, j1 - j0) == (0, 1) else None
        new = None
        for nk in (k - 1, k + 1):
            if side is None or not 0 <= nk < len(out):
                continue
            (a0, a1), (b0, b1) = out[nk].ru, out[nk].en
            if side == 0 and a1 > a0 and b1 - b0 >= 2 and (a1 - a0, b1 - b0 - 1) in allowed:  # ru i0 unaligned
                e = b1 - 1 if nk < k else b0
                if float(ru.emb[0][i0] @ en.emb[0][e]) <= float(ru.emb[0][a1 - 1 if nk < k else a0] @ en.emb[0][e]):
                    continue
                pair, rest = (i0, i0 + 1, e, e + 1), (a0, a1, b0, e) if nk < k else (a0, a1, e + 1, b1)
            elif side == 1 and b1 > b0 and a1 - a0 >= 2 and (a1 - a0 - 1, b1 - b0) in allowed:  # en j0 unaligned
                r = a1 - 1 if nk < k else a0
                if float(en.emb[0][j0] @ ru.emb[0][r]) <= float(en.emb[0][b1 - 1 if nk < k else b0] @ ru.emb[0][r]):
                    continue
                pair, rest = (r, r + 1, j0, j0 + 1), (a0, r, b0, b1) if nk < k else (r + 1, a1, b0, b1)
            else:
                continue
            if sums is not None and (_breaks(scorer, sums, *pair) + _breaks(scorer, sums, *rest)
                                     > _breaks(scorer, sums, a0, a1, b0, b1)):
                continue
            parts = [_describe(scorer, tau, *rest), _describe(scorer, tau, *pair)]
            new = (min(k, nk), parts if nk < k else parts[::-1])
            break
        if new is not None:
            out[new[0] : new[0] + 2] = new[1]
        k += 1
    return out


def join_heading_titles(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Give a heading bead the rest of its paragraph where that rest is left unaligned.

    A chapter heading and its title are often one paragraph on one side and the bare heading on
    the other ("II. Мальчик у Христа на ёлке" / "II"): the segmenter cuts the ru paragraph after
    "II.", ``split_at_headings`` gives "II." / "II" a bead of their own, and the title, which the
    other side leaves out, stays unaligned inside the heading's paragraph (its own 1-1 with
    anything is poor, and joining it lowers the heading bead's cosine, so neither the DP nor
    ``rejoin_nulls`` takes it). With paragraphs known (``Side.par``), a 1-1 bead of two headings
    with the same number (``Side.heads``) that ends its paragraph on one side only takes the
    unaligned sentences after it on the other side up to that side's paragraph end, when they
    are all unaligned and the bead keeps to ``max_window``: the grown bead then ends both
    paragraphs. Without paragraphs nothing changes.
    """
    ru, en = scorer.ru, scorer.en
    if ru.par is None or en.par is None or ru.heads is None or en.heads is None:
        return beads
    out = list(beads)
    for k in range(len(out) - 1, -1, -1):
        (i0, i1), (j0, j1) = out[k].ru, out[k].en
        if i1 - i0 != 1 or j1 - j0 != 1 or not ru.heads[i0] or ru.heads[i0] != en.heads[j0]:
            continue
        if bool(ru.par[i0]) == bool(en.par[j0]):
            continue  # ends both paragraphs or neither: nothing to take
        side, start, par = (0, i1, ru.par) if not ru.par[i0] else (1, j1, en.par)
        end = start
        while end < len(par) and not par[end]:
            end += 1
        end += 1  # through the sentence that ends the paragraph
        m = k + 1 + (end - start)
        if end - start + 1 > cfg.max_window or end > len(par) or m > len(out):
            continue
        rest = out[k + 1 : m]
        want = [((x, x + 1), (j1, j1)) if side == 0 else ((i1, i1), (x, x + 1)) for x in range(start, end)]
        if [(b.ru, b.en) for b in rest] != want:
            continue
        r1, e1 = (end, j1) if side == 0 else (i1, end)
        out[k:m] = [_describe(scorer, tau, i0, r1, j0, e1)]
    return out


def split_swapped_pairs(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Cut a 2-2 bead into two crossing 1-1 beads where the translation swapped its two sentences
    (``AlignConfig.swapped_pairs``).

    A monotone path cannot link ru i to en j+1 and ru i+1 to en j, so when a translator swapped
    two neighbouring sentences (two address lines given in the other order: "Etienne Gross ..." /
    "François Bonnet ...") the DP takes the four as one 2-2 bead, whose concatenations match
    well. When both anti-diagonal cosines (ru i with en j+1, ru i+1 with en j; raw cosines of the
    sentence vectors) are higher than both diagonal ones, the bead becomes ``i : j+1`` then
    ``i+1 : j``, both marked ``features["crossing"]`` as ``pair_crossing_nulls``' beads are (the
    second's en id goes back). A true 2-2 bead, whose content runs across both sentences, has at
    least one diagonal cosine above an anti-diagonal one. No constant.
    """
    x, y = scorer.ru.emb[0], scorer.en.emb[0]
    out: list[RawBead] = []
    for bead in beads:
        (i0, i1), (j0, j1) = bead.ru, bead.en
        if i1 - i0 != 2 or j1 - j0 != 2:
            out.append(bead)
            continue
        c = x[i0:i1] @ y[j0:j1].T
        if min(float(c[0, 1]), float(c[1, 0])) <= max(float(c[0, 0]), float(c[1, 1])):
            out.append(bead)
            continue
        pair = [_describe(scorer, tau, i0, i0 + 1, j0 + 1, j1), _describe(scorer, tau, i0 + 1, i1, j0, j0 + 1)]
        for b in pair:
            b.features["crossing"] = 1.0
        out += pair
    return out


def pair_crossing_nulls(beads: list[RawBead], scorer: Scorer, tau: float, cfg: AlignConfig) -> list[RawBead]:
    """Link an unaligned ru sentence and an unaligned en sentence that translate each other
    across other beads (``AlignConfig.crossing_pairs``).

    A monotone path cannot link two sentences whose translations come in another order (a
    translator who moved a sentence, "Der oberste Schuh ..." / "Der mittlere Schuh ..." put
    after the text they were before), so the DP leaves both unaligned. Such a 1-0 and 0-1 bead
    become one 1-1 bead when, among the unaligned sentences whose beads lie within
    ``hub_radius`` beads of each other, they are each other's best match (raw cosine of the
    sentence vectors) and the pair is good enough (``AlignConfig.crossing_floor``). Where a linked
    bead lies between the two (no monotone path links them), by default (``"best"``) each must
    be the other's best match among all sentences of the other side in the neighbourhood band,
    linked or not (``_best_in_band``), and in a document with fewer than ``margin_k`` sentences
    on a side, where the neighbourhood is mostly the prior, the cosine must also reach
    ``min_sim`` (the DP's own floor there). Two unaligned sentences with no linked bead between
    them, which the DP could have linked and did not (a colon or paragraph cost), and every pair
    with ``"quartile"``, need a cosine of at least the lower quartile of the cosines of the
    document's 1-1 beads (at least ``margin_k`` of them): a match as good as an ordinary bead of
    this document. The new bead takes the ru sentence's place; its en sentence is then out of
    order (``features["crossing"]``).
    """
    if cfg.crossing_floor not in ("best", "quartile"):
        raise ValueError(f"AlignConfig.crossing_floor must be 'best' or 'quartile', not {cfg.crossing_floor!r}")
    ru, en = scorer.ru, scorer.en
    rk = [k for k, b in enumerate(beads) if b.ru[1] - b.ru[0] == 1 and b.en[0] == b.en[1]]
    ek = [k for k, b in enumerate(beads) if b.en[1] - b.en[0] == 1 and b.ru[0] == b.ru[1]]
    ones = [k for k, b in enumerate(beads) if b.ru[1] - b.ru[0] == 1 and b.en[1] - b.en[0] == 1]
    if not rk or not ek:
        return beads
    # cosines of the unaligned pairs within hub_radius beads of each other (linear in length)
    lo = np.searchsorted(ek, np.array(rk) - cfg.hub_radius, side="left")
    count = np.searchsorted(ek, np.array(rk) + cfg.hub_radius, side="right") - lo
    if not count.any():
        return beads
    xs = np.repeat(np.arange(len(rk)), count)  # candidate x (ru null) and y (en null) of each pair
    ys = np.arange(count.sum()) + np.repeat(lo - (np.cumsum(count) - count), count)
    ri = np.array([beads[k].ru[0] for k in rk])
    ej = np.array([beads[k].en[0] for k in ek])
    sim = np.einsum("ij,ij->i", ru.emb[0][ri[xs]], en.emb[0][ej[ys]])

    def best(keys: np.ndarray) -> np.ndarray:  # for each key, the candidate with the highest cosine
        order = np.lexsort((-sim, keys))
        return order[run_starts(keys[order])]

    mutual = np.intersect1d(best(xs), best(ys))
    if len(ones) >= cfg.margin_k:
        x1 = ru.emb[0][[beads[k].ru[0] for k in ones]]
        y1 = en.emb[0][[beads[k].en[0] for k in ones]]
        keep = sim[mutual] >= float(np.percentile(np.einsum("ij,ij->i", x1, y1), 25))
    else:
        keep = np.zeros(mutual.size, dtype=bool)
    if cfg.crossing_floor == "best" and mutual.size:
        # pairs with a linked bead between them (no monotone path links them): each other's best
        # match in the whole neighbourhood band
        linked = np.cumsum([0] + [b.ru[1] > b.ru[0] and b.en[1] > b.en[0] for b in beads])
        kr, ke = np.array(rk)[xs[mutual]], np.array(ek)[ys[mutual]]
        crosses = linked[np.maximum(kr, ke)] - linked[np.minimum(kr, ke) + 1] > 0
        good = np.array([_best_in_band(scorer, int(ri[x]), int(ej[y]))
                         for x, y in zip(xs[mutual].tolist(), ys[mutual].tolist())], dtype=bool)
        if min(ru.n, en.n) < cfg.margin_k:  # the DP's own floor where the neighbourhood is mostly prior
            good &= sim[mutual] >= cfg.min_sim
        keep = np.where(crosses, good, keep)
    mutual = mutual[keep]
    if not mutual.size:
        return beads
    out: list[RawBead | None] = list(beads)
    for x, y in zip(xs[mutual].tolist(), ys[mutual].tolist()):
        i, j = int(ri[x]), int(ej[y])
        bead = _describe(scorer, tau, i, i + 1, j, j + 1)
        bead.features["crossing"] = 1.0
        out[rk[x]], out[ek[y]] = bead, None
    return [b for b in out if b is not None]


def _best_in_band(scorer: Scorer, i: int, j: int) -> bool:
    """Is ru sentence ``i`` en sentence ``j``'s best match, and ``j`` ``i``'s, among all the 1-1
    candidates of the neighbourhood band (raw cosines of the sentence vectors)?"""
    x, y, nb, nbt = scorer.ru.emb[0], scorer.en.emb[0], scorer.nb, scorer.nbt
    c = float(x[i] @ y[j]) + 1e-6  # float32 products summed in another order: ties within rounding
    # a 1-1 bead of ru i and en j' ends at band cell (i + 1, j' + 1)
    j0, j1 = max(int(nb.lo[i + 1]) - 1, 0), min(int(nb.hi[i + 1]), y.shape[0])
    i0, i1 = max(int(nbt.lo[j + 1]) - 1, 0), min(int(nbt.hi[j + 1]), x.shape[0])
    return (c >= float(np.max(y[j0:j1] @ x[i], initial=-np.inf))
            and c >= float(np.max(x[i0:i1] @ y[j], initial=-np.inf)))


def pair_loose_regions(beads: list[RawBead], scorer: Scorer, tau: float, max_window: int,
                       sums: tuple[np.ndarray, np.ndarray] | None = None, bad_end=None,
                       always: bool = False) -> list[RawBead]:
    """A run of unaligned sentences with some on each side becomes one bead when it matches.

    Where the translation is loose no bead type fits well, and the DP may leave a ru sentence
    and the en sentence that translates it both unaligned, side by side (a long free rendering
    pays a large length term). The whole run is taken as one bead when its cosine is above
    the mean cosine of its sentences' nearest neighbours (margin > 0): it matches better than
    a typical wrong candidate does; or, with paragraphs known (``sums``), when the run keeps
    to the paragraphs (no break inside, ends a paragraph on both sides or on neither): the
    two sides' leftovers of one paragraph pair ("... вылилось в трусливое брюзжание." /
    "... ended in a miserable fit of the blues.", cosine 0.19); or in any case with ``always``
    (``AlignConfig.pair_loose_runs``): between two linked beads the path is monotone, so what
    is left on both sides there is most likely the same passage, freely rendered ("Ещё не
    совсем нищета, но уже близко к тому." / "It did not exactly beggar description, but it
    certainly had that word on the lookout for the mendicancy squad.", margin below 0).
    Deletions (``__pert``) leave runs on one side only, which this never touches. Runs longer
    than ``max_window`` on a side cannot be scored and stay as they are, and so do runs that
    would end on a one-sided continuation (``bad_end``, as in the merge check).
    """
    out: list[RawBead] = []
    k = 0
    while k < len(beads):
        e = _null_run_end(beads, k)
        if e == k:
            out.append(beads[k])
            k += 1
            continue
        run = beads[k:e]
        i0, i1 = run[0].ru[0], run[-1].ru[1]
        j0, j1 = run[0].en[0], run[-1].en[1]
        if 0 < i1 - i0 <= max_window and 0 < j1 - j0 <= max_window and not (bad_end and bad_end(i1 - 1, j1 - 1)):
            c = _describe(scorer, tau, i0, i1, j0, j1)
            if always or c.features["margin"] > 0 or (sums is not None and _breaks(scorer, sums, i0, i1, j0, j1) == 0):
                run = [c]
        out.extend(run)
        k = e
    return out


def _breaks(scorer: Scorer, sums, i0: int, i1: int, j0: int, j1: int) -> float:
    return float(paragraph_breaks(scorer.ru, scorer.en, np.array([i0]), np.array([i1]), np.array([j0]),
                                  np.array([j1]), sums)[0])


SPREAD_MIN_BEADS = 10  # fewer 1-1 beads give no usable spread: the plain tolerance is kept


def merge_tolerance(beads: list[RawBead], cfg: AlignConfig) -> float:
    """The cosine rise a sentence must bring to stay in a merged bead, for this document.

    ``merge_check_tolerance``, or ``merge_check_spread`` times the spread (median absolute
    deviation) of the cosines of the document's 1-1 beads when that is larger: in a loose
    translation, where translation cosines scatter widely, a small rise is noise, not evidence
    that a sentence has no counterpart.
    """
    tol = cfg.merge_check_tolerance
    if cfg.merge_check_spread <= 0:
        return tol
    sims = np.array([b.features["sim"] for b in beads
                     if b.ru[1] - b.ru[0] == 1 and b.en[1] - b.en[0] == 1 and "sim" in b.features])
    if sims.size < SPREAD_MIN_BEADS:
        return tol
    spread = float(np.median(np.abs(sims - np.median(sims))))
    return max(tol, cfg.merge_check_spread * spread)


def _fit(bead: RawBead, lw: float) -> float:
    """A bead's cosine less the DP's length term (``lw`` times the Gale–Church penalty)."""
    return bead.features["sim"] - lw * bead.features["len_pen"]


def _best_split(scorer, tau, i0, i1, j0, j1, whole_bead, allowed, tol, bad_end=None, lw=0.0, runs=False):
    a, b = i1 - i0, j1 - j0
    whole_sim = whole_bead.features["sim"]
    whole = _fit(whole_bead, lw)
    best, best_sim = None, -np.inf
    cuts = []
    if a >= 2:
        cuts += [((i0 + 1, i1, j0, j1), (i0, i0 + 1, j0, j0), 0), ((i0, i1 - 1, j0, j1), (i1 - 1, i1, j1, j1), 1)]
    if b >= 2:
        cuts += [((i0, i1, j0 + 1, j1), (i0, i0, j0, j0 + 1), 0), ((i0, i1, j0, j1 - 1), (i1, i1, j1 - 1, j1), 1)]
    for core, null, null_first in cuts:
        if (core[1] - core[0], core[3] - core[2]) not in allowed:
            continue
        if bad_end is not None and bad_end(core[1] - 1, core[3] - 1):
            continue
        c = _describe(scorer, tau, *core)
        fit = _fit(c, lw)
        if c.features["sim"] >= whole_sim + tol and fit >= whole + tol and fit > best_sim:
            nb = RawBead((null[0], null[1]), (null[2], null[3]), {"tau": tau})
            best, best_sim = ([nb, c] if null_first == 0 else [c, nb]), fit
    if best is not None:
        return best
    if runs:
        # two sentences at one end of one side, neither of which alone raises the cosine by the
        # tolerance (two neighbouring deletions: each hides the other); each pays it
        runs_cut = []
        if a >= 3:
            runs_cut += [((i0 + 2, i1, j0, j1), [(i0, i0 + 1, j0, j0), (i0 + 1, i0 + 2, j0, j0)], 0),
                         ((i0, i1 - 2, j0, j1), [(i1 - 2, i1 - 1, j1, j1), (i1 - 1, i1, j1, j1)], 1)]
        if b >= 3:
            runs_cut += [((i0, i1, j0 + 2, j1), [(i0, i0, j0, j0 + 1), (i0, i0, j0 + 1, j0 + 2)], 0),
                         ((i0, i1, j0, j1 - 2), [(i1, i1, j1 - 2, j1 - 1), (i1, i1, j1 - 1, j1)], 1)]
        for core, nulls, null_first in runs_cut:
            if (core[1] - core[0], core[3] - core[2]) not in allowed:
                continue
            if bad_end is not None and bad_end(core[1] - 1, core[3] - 1):
                continue
            c = _describe(scorer, tau, *core)
            fit = _fit(c, lw)
            if c.features["sim"] >= whole_sim + 2 * tol and fit >= whole + 2 * tol and fit > best_sim:
                nbs = [RawBead((n[0], n[1]), (n[2], n[3]), {"tau": tau}) for n in nulls]
                best, best_sim = (nbs + [c] if null_first == 0 else [c] + nbs), fit
        if best is not None:
            return best
    if a >= 2 and b >= 2:
        for ca in range(1, a):
            for cb in range(1, b):
                p1, p2 = (ca, cb), (a - ca, b - cb)
                if p1 not in allowed or p2 not in allowed:
                    continue
                if bad_end is not None and bad_end(i0 + ca - 1, j0 + cb - 1):
                    continue
                x = _describe(scorer, tau, i0, i0 + ca, j0, j0 + cb)
                y = _describe(scorer, tau, i0 + ca, i1, j0 + cb, j1)
                low = min(x.features["sim"], y.features["sim"])
                if low >= whole_sim and low > best_sim:
                    best, best_sim = [x, y], low
    return best


def length_agreement(len_x: np.ndarray, len_y: np.ndarray, mu: float, smooth: float = 10.0) -> np.ndarray:
    """Factor in (0, 1] multiplying the raw cosine in the ``"cosine"`` / ``"blend"`` second pass.

    Bertalign (Liu & Zhu) scales a bead's cosine by ``log2(1 + shorter/longer)`` of the two
    sides' character lengths: 1 for equal lengths, about 0.58 when one side is far shorter.
    Here the ru length is first scaled by the document's own expected ratio ``exp(mu)``, and
    ``smooth`` characters are added to both (as in ``length_penalty``) so "Да." / "Yes." agree.
    """
    x = len_x * np.exp(mu) + smooth
    y = len_y + smooth
    if np.ndim(x) == 0 or np.ndim(y) == 0 or x.dtype != np.float64 or y.dtype != np.float64:
        return np.log2(1.0 + np.minimum(x, y) / np.maximum(x, y))
    lo = np.minimum(x, y)  # in place from here: the same operations, fewer temporaries
    np.maximum(x, y, out=x)
    lo /= x
    lo += 1.0
    return np.log2(lo, out=lo)


# The passes after the DP, in order, each with the AlignConfig switch that turns it off.
_AFTER_DP = (
    ("merge_check", merge_check),
    ("rejoin_nulls", rejoin_nulls),
    ("number_crossings", merge_number_crossings),
    ("paren_crossings", merge_paren_crossings),
    ("initial_cuts", mend_initial_cuts),
    ("heading_anchors", split_at_headings),
    ("heading_titles", join_heading_titles),
    ("edge_to_null", give_edges_to_nulls),
    ("swapped_pairs", split_swapped_pairs),
    ("crossing_pairs", pair_crossing_nulls),
)
