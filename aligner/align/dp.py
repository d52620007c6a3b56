"""Banded many-to-many dynamic programme over bead types. Arrays in, path out; no I/O.

The search space is a *band*: for every ru prefix length ``i`` (a row, 0..n) a
contiguous range of en prefix lengths ``lo[i]..hi[i]`` (inclusive). Cells are
stored row after row in one flat array, so memory is the number of band cells,
never ``(n+1) * (m+1)`` unless the band is the full matrix (short inputs only).

The programme maximises the total gain of the beads on a monotone path from
(0, 0) to (n, m). Each bead type (a, b) ending at cell (i, j) covers ru
sentences ``i-a..i-1`` and en sentences ``j-b..j-1``. Rows are processed one by
one; within a row every bead type with ``a >= 1`` reads only earlier rows, so it
is one vectorised gather; the 0-1 type (skip an en sentence) moves along the row
and is solved with a running maximum over prefix sums (no Python loop per cell).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEG = -1e30  # "impossible" without the NaN risk of -inf arithmetic


@dataclass(frozen=True)
class Band:
    """Per-row column ranges of the search space.

    Attributes:
        lo: ``(n+1,)`` int64, first en prefix length searched in row ``i``; non-decreasing, ``lo[0] == 0``.
        hi: ``(n+1,)`` int64, last one (inclusive); non-decreasing, ``hi[n] == m``.
    """

    lo: np.ndarray
    hi: np.ndarray

    @property
    def n(self) -> int:
        return len(self.lo) - 1

    @property
    def m(self) -> int:
        return int(self.hi[-1])

    @property
    def widths(self) -> np.ndarray:
        return self.hi - self.lo + 1

    @property
    def offsets(self) -> np.ndarray:
        """``(n+2,)`` start of each row in the flat cell array (last entry = cell count)."""
        return np.concatenate([[0], np.cumsum(self.widths)])

    @property
    def cells(self) -> int:
        return int(self.widths.sum())

    def cell_coords(self) -> tuple[np.ndarray, np.ndarray]:
        """Row ``i`` and column ``j`` of every flat cell, each ``(cells,)`` int64."""
        widths = self.widths
        ci = np.repeat(np.arange(self.n + 1, dtype=np.int64), widths)
        start = np.repeat(self.offsets[:-1], widths)
        cj = np.repeat(self.lo, widths) + (np.arange(ci.size, dtype=np.int64) - start)
        return ci, cj

    def row_chunks(self, max_cells: int = 1 << 18):
        """Yield ``(ci, cj)`` (int32, row by row) for consecutive whole rows of about
        ``max_cells`` cells, so per-cell work on a wide band needs only chunk-sized temporaries."""
        off = self.offsets
        r0 = 0
        while r0 <= self.n:
            r1 = int(np.searchsorted(off, off[r0] + max_cells, side="right")) - 1
            r1 = min(max(r1, r0 + 1), self.n + 1)
            widths = self.widths[r0:r1]
            ci = np.repeat(np.arange(r0, r1, dtype=np.int32), widths)
            start = np.repeat(off[r0:r1] - off[r0], widths)
            cj = (np.repeat(self.lo[r0:r1], widths) + (np.arange(ci.size) - start)).astype(np.int32)
            yield ci, cj
            r0 = r1

    def flat_index(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Flat index of cells (i, j); -1 where (i, j) is outside the band."""
        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        ok = (i >= 0) & (i <= self.n)
        ic = np.where(ok, i, 0)
        lo, hi = self.lo[ic], self.hi[ic]
        ok &= (j >= lo) & (j <= hi)
        return np.where(ok, self.offsets[ic] + j - lo, -1)


def full_band(n: int, m: int) -> Band:
    """The whole (n+1) x (m+1) matrix (for short inputs)."""
    return Band(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))


def band_around_points(points: np.ndarray, n: int, m: int, radius: int) -> Band:
    """Band covering the staircase through lattice ``points``, widened by ``radius``.

    Between consecutive points (i1, j1) -> (i2, j2) the whole rectangle is
    searched, so a gap between two anchors (an insertion on one side) is free to
    align in any way; the widening lets the path leave each point by ``radius``.

    Args:
        points: ``(k, 2)`` lattice points (ru prefix, en prefix), monotone in both
            coordinates; (0, 0) and (n, m) are added if missing.
        n, m: sentence counts.
        radius: widening in sentences (rows and columns).
    Returns:
        A connected band from (0, 0) to (n, m).
    """
    pts = np.asarray(points, dtype=np.int64).reshape(-1, 2)
    pts = np.vstack([[0, 0], pts, [n, m]])
    pts[:, 0] = np.clip(pts[:, 0], 0, n)
    pts[:, 1] = np.clip(pts[:, 1], 0, m)
    pts[:, 0] = np.maximum.accumulate(pts[:, 0])
    pts[:, 1] = np.maximum.accumulate(pts[:, 1])
    lo0 = np.full(n + 1, m, dtype=np.int64)
    hi0 = np.zeros(n + 1, dtype=np.int64)
    # Each rectangle [i1, i2] x [j1, j2]: rows i1..i2 see columns j1..j2.
    i1, j1, i2, j2 = pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1]
    # lo0[i] = min j1 over rectangles with i1 <= i <= i2; since j1 grows with i1, that is
    # the j1 of the first rectangle reaching row i; hi0 symmetric with the last one.
    np.minimum.at(lo0, i2, j1)  # rectangles ending at row i2 reach back to j1 there
    np.minimum.at(lo0, i1, j1)
    np.maximum.at(hi0, i1, j2)
    np.maximum.at(hi0, i2, j2)
    # Fill rows strictly inside rectangles: lo0 is the running minimum from the right of the
    # starts, hi0 the running maximum from the left of the ends.
    lo0 = np.minimum.accumulate(lo0[::-1])[::-1]
    hi0 = np.maximum.accumulate(hi0)
    lo, hi = lo0.copy(), hi0.copy()
    r = max(0, int(radius))
    for d in range(1, r + 1):  # sliding min / max over rows i-r..i+r
        lo[:-d] = np.minimum(lo[:-d], lo0[d:])
        hi[d:] = np.maximum(hi[d:], hi0[:-d])
    lo = np.clip(lo - r, 0, m)
    hi = np.clip(hi + r, 0, m)
    lo[0], hi[n] = 0, m
    lo = np.maximum.accumulate(lo)
    hi = np.maximum.accumulate(hi)
    return Band(lo, np.maximum(hi, lo))


def predecessors(band: Band, types: list[tuple[int, int]], ci: np.ndarray, cj: np.ndarray) -> np.ndarray:
    """Flat index of the start cell of each bead type ending at each cell.

    Returns:
        ``(len(types), cells)`` int32; ``cells`` (a sentinel holding NEG) where the
        start cell is outside the band.
    """
    out = np.empty((len(types), ci.size), dtype=np.int32)
    sentinel = ci.size
    # int32 arithmetic in chunks of cells: int64 temporaries over all cells (several per
    # type) were the aligner's largest memory item on long documents
    # per-row tables in int32 (a band's cell count fits), so the gathers below need no casts
    off = band.offsets.astype(np.int32)
    lo, hi = band.lo.astype(np.int32), band.hi.astype(np.int32)
    chunk = 1 << 18
    for s in range(0, ci.size, chunk):
        i = ci[s : s + chunk].astype(np.int32)
        j = cj[s : s + chunk].astype(np.int32)
        for t, (a, b) in enumerate(types):
            r = np.maximum(i - a, 0)
            c = j - b
            rlo = lo[r]
            ok = (i >= a) & (c >= rlo) & (c <= hi[r])
            idx = off[r] + c - rlo
            out[t, s : s + chunk] = np.where(ok, idx, sentinel)
    return out


def banded_dp(
    band: Band,
    types: list[tuple[int, int]],
    gains: np.ndarray,
    skip_en_gain: np.ndarray,
    pred: np.ndarray | None = None,
) -> list[tuple[int, int, int, int]]:
    """Best monotone path of beads through the band.

    Args:
        band: the search space.
        types: bead types with ``a >= 1`` (ru count first); 0-1 is handled separately.
        gains: ``(len(types), cells)`` gain of each bead type ending at each flat cell;
            use ``NEG`` where the bead is impossible.
        skip_en_gain: ``(m,)`` gain of leaving en sentence ``j`` unaligned (a 0-1 bead).
        pred: optional precomputed ``predecessors(band, types, ...)``.
    Returns:
        Beads in order as ``(i0, i1, j0, j1)``: ru sentences ``i0..i1-1`` and en
        sentences ``j0..j1-1``.
    Raises:
        ValueError: the band does not connect (0, 0) to (n, m).
    """
    n, m = band.n, band.m
    off = band.offsets
    if pred is None:
        ci, cj = band.cell_coords()
        pred = predecessors(band, types, ci, cj)
        del ci, cj
    cells = band.cells
    score = np.full(cells + 1, NEG, dtype=np.float64)
    skipped = np.zeros(cells, dtype=bool)  # the cell's best move is a 0-1 step along the row
    skip01 = len(types)
    # skip_prefix[j]: total gain of skipping en sentences 0..j-1; moving along a row from
    # (i, j') to (i, j) skips en j'..j-1 and gains skip_prefix[j] - skip_prefix[j'].
    skip_prefix = np.concatenate([[0.0], np.cumsum(np.asarray(skip_en_gain, dtype=np.float64))])
    offs, los, his = off.tolist(), band.lo.tolist(), band.hi.tolist()
    for i in range(n + 1):
        s, e = offs[i], offs[i + 1]
        cand = score.take(pred[:, s:e])
        cand += gains[:, s:e]
        own = cand.max(axis=0)
        if i == 0:
            own[0] = 0.0  # the start cell (0, 0); band.lo[0] == 0
        prefix = skip_prefix[los[i] : his[i] + 1]
        own -= prefix
        run = np.maximum.accumulate(own)  # best over cells to the left, plus the skips since
        np.add(run, prefix, out=score[s:e])  # equals the cell's own best where its bead wins
        np.greater(run, own, out=skipped[s:e])
    end = int(off[n] + m - band.lo[n])
    if band.hi[n] != m or score[end] <= NEG / 2:
        raise ValueError("the band does not connect (0, 0) to (n, m)")
    # Which bead type won each cell: the argmax over the same sums as in the pass above (rows
    # only read earlier rows, whose scores are final), for all cells at once in chunks
    # instead of one argmax per row inside the sequential loop.
    back = np.empty(cells, dtype=np.int8)  # type index, or len(types) for 0-1
    chunk = 1 << 16
    for c0 in range(0, cells, chunk):
        cand = score.take(pred[:, c0 : c0 + chunk])
        cand += gains[:, c0 : c0 + chunk]
        back[c0 : c0 + chunk] = cand.argmax(axis=0)
    back[skipped] = skip01
    moves = back.tobytes()  # indexing bytes gives Python ints: the walk below is pure Python
    path = []
    i, j = n, m
    while i > 0 or j > 0:
        t = moves[offs[i] + j - los[i]]
        a, b = (0, 1) if t == skip01 else types[t]
        path.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    path.reverse()
    return path
