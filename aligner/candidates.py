"""Candidate pairs for large collections without comparing every pair: random-projection trees.

Pairing n Russian with m English blocks exactly costs n x m similarities.
Past a few thousand on each side, candidates come from ``trees`` random
projection trees instead: both sides (each centred on its own mean, so the
language offset of a multilingual encoder does not split them apart) are cut
recursively at the median of the projection on the line through two random
points (the ``spill`` share nearest the cut going to both halves), until a
leaf holds at most ``leaf`` vectors. Only pairs that share a
leaf in some tree are compared, and each row keeps its ``k`` most similar.
The cost is O(trees x N x (1 + 2 spill)^depth x leaf) with depth = log2(N / leaf):
N^1.26 for the default spill, close to linear (measured in scripts/bench_docpair.py).
"""

from __future__ import annotations

import numpy as np


def _centred(x: np.ndarray) -> np.ndarray:
    c = x - x.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(c, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return c / norms


def _leaves(x: np.ndarray, leaf: int, rng: np.random.Generator, spill: float) -> list[np.ndarray]:
    """Index sets of one random-projection tree's leaves."""
    out: list[np.ndarray] = []
    stack = [np.arange(len(x))]
    while stack:
        idx = stack.pop()
        if len(idx) <= leaf:
            out.append(idx)
            continue
        p, q = rng.choice(len(idx), size=2, replace=False)
        direction = x[idx[p]] - x[idx[q]]
        if not np.any(direction):
            direction = rng.standard_normal(x.shape[1]).astype(x.dtype)
        proj = x[idx] @ direction
        order = np.argsort(proj, kind="stable")
        # Spill: the vectors nearest the cut go to both halves, so a pair is rarely cut apart.
        lo, hi = int(len(idx) * (0.5 - spill)), int(np.ceil(len(idx) * (0.5 + spill)))
        stack += [idx[order[:hi]], idx[order[lo:]]]
    return out


def _top_k(rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best (by sim) entries for each distinct value of ``rows``."""
    order = np.lexsort((-sims, rows))
    r = rows[order]
    start = np.r_[0, np.flatnonzero(r[1:] != r[:-1]) + 1]
    rank = np.arange(len(r)) - np.repeat(start, np.diff(np.r_[start, len(r)]))
    return order[rank < k]


def tree_candidates(a: np.ndarray, b: np.ndarray, k: int, *, trees: int = 4, leaf: int = 64,
                    spill: float = 0.1, seed: int = 0) -> np.ndarray:
    """Candidate pairs ``(i, j)``, rows of ``a`` x rows of ``b`` (unit vectors).

    Returns:
        ``(m, 2)`` int64 array, sorted: every pair among the ``k`` most similar
        partners of its ``i`` or of its ``j``, within the pairs that share a leaf.
    """
    na, nb = len(a), len(b)
    if not na or not nb:
        return np.zeros((0, 2), dtype=np.int64)
    x = np.vstack([_centred(a), _centred(b)]).astype(np.float32)
    rng = np.random.default_rng(seed)
    codes, sims = [], []
    for _ in range(trees):
        for idx in _leaves(x, leaf, rng, spill):
            ai, bj = idx[idx < na], idx[idx >= na] - na
            if not len(ai) or not len(bj):
                continue
            s = a[ai] @ b[bj].T  # one small block per leaf; keep each row's and column's k best
            kr, kc = min(k, len(bj)), min(k, len(ai))
            rows = np.argpartition(-s, kr - 1, axis=1)[:, :kr]
            cols = np.argpartition(-s, kc - 1, axis=0)[:kc, :]
            ii = np.concatenate([np.repeat(np.arange(len(ai)), kr), cols.ravel()])
            jj = np.concatenate([rows.ravel(), np.tile(np.arange(len(bj)), kc)])
            codes.append(ai[ii].astype(np.int64) * nb + bj[jj])
            sims.append(s[ii, jj])
    if not codes:
        return np.zeros((0, 2), dtype=np.int64)
    code, first = np.unique(np.concatenate(codes), return_index=True)
    sim = np.concatenate(sims)[first]
    cand = np.stack([code // nb, code % nb], axis=1)
    keep = np.union1d(_top_k(cand[:, 0], cand[:, 1], sim, k), _top_k(cand[:, 1], cand[:, 0], sim, k))
    return cand[keep]


def knn_mean_from(cands: np.ndarray, sims: np.ndarray, n: int, k: int, side: int) -> np.ndarray:
    """Mean of each row's k highest similarities among its candidates (the margin's denominator, approximated)."""
    rows = cands[:, side]
    best = _top_k(rows, cands[:, 1 - side], sims, k)
    total = np.bincount(rows[best], weights=sims[best], minlength=n)
    count = np.bincount(rows[best], minlength=n)
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)
