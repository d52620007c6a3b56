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
    if np.all(group[1:] >= group[:-1]):  # band cells come row by row: already sorted for rows
        g, o, sc = group, other, score
    else:
        order = np.argsort(group, kind="stable")
        g, o, sc = group[order], other[order], score[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    counts = np.diff(np.r_[starts, g.size])
    gid = g[starts]
    top = np.maximum.reduceat(sc, starts)
    # per-group values spread over the group's cells with np.repeat (a sequential copy,
    # cheaper than gathering through a per-cell group index on millions of band cells)
    is_top = sc == np.repeat(top, counts)
    # smallest partner among the tied best of each group
    cand = np.where(is_top, o, np.iinfo(o.dtype).max)
    first = np.minimum.reduceat(cand, starts)
    partner[gid] = first
    best[gid] = top
    rest = np.where(is_top & (o == np.repeat(first, counts)), -np.inf, sc)
    second[gid] = np.maximum.reduceat(rest, starts)
    return partner, best, second


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
