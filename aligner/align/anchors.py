"""Confident 1-1 anchors: mutual best matches that stand out, kept in a monotone chain.

A pair (i, j) is an anchor when j is the best candidate of i, i is the best
candidate of j, and on both sides the best beats the second best by a clear
gap (the "margin" idea of Artetxe & Schwenk, used here as a confidence test).
Anchors that cross each other cannot all be right; the longest chain that
increases in both coordinates (longest increasing subsequence) is kept, as
in Hunalign's and Bertalign's use of a monotone skeleton.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from aligner.align.similarity import run_starts

CHUNK = 1 << 18  # cells per step of best_two


def best_two(group: np.ndarray, other: np.ndarray, score: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group value (row or column), the best partner, its score and the runner-up score.

    Args:
        group: ``(K,)`` group index of each candidate pair (0..size-1).
        other: ``(K,)`` the partner index.
        score: ``(K,)`` pair scores.
        size: number of groups.
    Returns:
        ``best_partner (size,)`` (-1 when the group has no candidate), ``best (size,)``,
        ``second (size,)`` (-inf when there is no runner-up). Ties go to the smallest partner.
    """
    partner = np.full(size, -1, dtype=np.int64)
    best = np.full(size, -np.inf)
    second = np.full(size, -np.inf)
    if group.size == 0:
        return partner, best, second
    group, other = np.asarray(group), np.asarray(other)
    score = np.asarray(score).astype(np.float64, copy=False)
    out = (partner, best, second)
    if np.all(group[1:] >= group[:-1]):  # band cells come row by row: already sorted for rows
        _best_two_sorted(group, other, score, out)
        return out
    # Columns of a band: sort by group value range, one range of about CHUNK cells at a time,
    # so no temporary spans all cells. The cells of groups v0..v1-1 all lie between the first
    # cell whose running maximum reaches v0 and the first whose suffix minimum reaches v1;
    # a stable sort of each range keeps the input order within a group, as one global sort would.
    run_max = np.maximum.accumulate(group)
    suf_min = np.minimum.accumulate(group[::-1])[::-1]
    lo_v, hi_v = int(suf_min[0]), int(run_max[-1]) + 1
    step = max(1, -(-(hi_v - lo_v) * CHUNK // group.size))
    if hi_v + step > np.iinfo(group.dtype).max:  # the range bounds below must fit the dtype
        group, run_max, suf_min = group.astype(np.int64), run_max.astype(np.int64), suf_min.astype(np.int64)
    v = np.arange(lo_v, hi_v + step, step).astype(group.dtype)  # the group's dtype: no converted copy
    p0s = np.searchsorted(run_max, v[:-1], side="left").tolist()
    p1s = np.searchsorted(suf_min, v[1:], side="left").tolist()
    for v0, p0, p1 in zip(v[:-1].tolist(), p0s, p1s):
        gs = group[p0:p1]
        sel = np.flatnonzero((gs >= v0) & (gs < v0 + step))
        if sel.size:
            order = sel[np.argsort(gs[sel], kind="stable")] + p0
            _best_two_sorted(group[order], other[order], score[order], out)
    return out


def _best_two_sorted(g: np.ndarray, o: np.ndarray, sc: np.ndarray,
                     out: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    """``best_two`` on cells sorted by group (stable), writing into ``out``."""
    partner, best, second = out
    starts = np.flatnonzero(run_starts(g))  # where each group starts
    ends = np.append(starts[1:], g.size)
    gid = g[starts]
    # whole groups in chunks of about CHUNK cells: the temporaries stay cache- and
    # heap-sized instead of several fresh arrays over millions of band cells
    bounds = np.searchsorted(starts, np.arange(0, g.size, CHUNK), side="left").tolist()
    bounds = sorted(set(bounds + [starts.size]))  # the distinct chunk edges, ending at the last group
    for k0, k1 in zip(bounds[:-1], bounds[1:]):
        c0, c1 = int(starts[k0]), int(ends[k1 - 1])
        cs, co = sc[c0:c1], o[c0:c1]
        st = starts[k0:k1] - c0
        counts = ends[k0:k1] - starts[k0:k1]
        top = np.maximum.reduceat(cs, st)
        # per-group values spread over the group's cells with np.repeat (a sequential copy)
        is_top = cs == np.repeat(top, counts)
        # smallest partner among the tied best of each group
        first = np.minimum.reduceat(np.where(is_top, co, np.iinfo(co.dtype).max), st)
        rest = np.where(is_top & (co == np.repeat(first, counts)), -np.inf, cs)
        ids = gid[k0:k1]
        partner[ids] = first
        best[ids] = top
        second[ids] = np.maximum.reduceat(rest, st)


def mutual_best_pairs(
    ri: np.ndarray, ej: np.ndarray, score: np.ndarray, n: int, m: int, min_gap: float
) -> np.ndarray:
    """Mutual best matches whose score beats both runners-up by ``min_gap``.

    Args:
        ri, ej: ``(K,)`` candidate 1-1 pairs (ru sentence, en sentence).
        score: ``(K,)`` their scores (higher is better).
        n, m: sentence counts.
        min_gap: required lead over the second best candidate, on both sides.
    Returns:
        ``(k, 2)`` int64 pairs sorted by ru index.
    """
    bj, bs, s2 = best_two(ri, ej, score, n)
    bi, cs, c2 = best_two(ej, ri, score, m)
    rows = np.flatnonzero(bj >= 0)
    cols = bj[rows]
    ok = bi[cols] == rows
    ok &= (bs[rows] - s2[rows] >= min_gap) & (cs[cols] - c2[cols] >= min_gap)
    return np.stack([rows[ok], cols[ok]], axis=1).astype(np.int64)


def monotone_chain(pairs: np.ndarray) -> np.ndarray:
    """Longest chain of pairs increasing in both coordinates (pairs sorted by the first).

    Patience sorting, O(k log k); ties are broken towards the earliest pairs, so
    the result is deterministic.
    """
    if len(pairs) == 0:
        return pairs.reshape(0, 2)
    tails: list[int] = []  # smallest second coordinate ending a chain of each length
    tail_idx: list[int] = []
    parent = np.full(len(pairs), -1, dtype=np.int64)
    for k, (_, j) in enumerate(pairs.tolist()):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        parent[k] = tail_idx[pos - 1] if pos > 0 else -1
    chain = []
    k = tail_idx[-1]
    while k >= 0:
        chain.append(k)
        k = int(parent[k])
    return pairs[np.array(chain[::-1], dtype=np.int64)]
