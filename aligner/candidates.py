"""Candidate pairs for large collections without comparing every pair: a k-means tree with probes.

Pairing n Russian with m English blocks exactly costs n x m similarities.
Past a few thousand on each side, candidates come from an inverted file
(IVF) whose coarse quantiser is a tree of small k-means clusterings:

1. both sides, each centred on its own mean (so the language offset of a
   multilingual encoder does not split them apart), are clustered together:
   a node of more than ``leaf`` vectors is cut into at most ``branch``
   clusters by spherical k-means (fitted on a fixed-size sample, a few
   iterations) until every leaf holds at most ``leaf`` vectors; every
   vector lies in exactly one leaf;
2. each vector walks down the tree keeping its ``probes`` best nodes per
   level (a beam), which ends on ``probes`` leaves;
3. it is compared with the other side's vectors in those leaves only, and
   keeps its ``k`` most similar; a pair is a candidate when it is among the
   ``k`` best of its Russian or of its English vector;
4. steps 1-3 run on ``trees`` trees (seeds ``seed``, ``seed + 1``, ...) and the
   candidates are pooled: a partner just across a cell border in one tree is
   inside a probed cell of another. On 32,000 synthetic pairs a side the true
   partner was among the candidates for 99.2 % of documents with two trees and
   99.9 % with three (the default), against 100 % for exact top-k.

Each vector costs about ``branch x depth`` centroid products (depth =
log_branch(N / leaf)) and ``probes x leaf`` similarities, so the whole grows
as N log N with a small log: linear in practice (scripts/bench_docpair.py
``--scale``). Everything is deterministic for a given ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.align.core import one_blas_thread
from aligner.encoders.base import normalise

__all__ = ["KMeansTree", "build_tree", "ivf_candidates", "knn_mean_from", "probe"]


def _centred(x: np.ndarray) -> np.ndarray:
    return normalise(x - x.mean(axis=0, keepdims=True))


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


@dataclass
class KMeansTree:
    """A k-means tree over the rows of one matrix.

    Attributes:
        centroid: ``(nodes, dim)`` unit centroid of each node (the root's is unused).
        children: each node's child ids (empty for a leaf).
        leaf_of: ``(N,)`` the leaf each row lies in.
        members: each leaf's rows (empty array for an inner node).
    """

    centroid: np.ndarray
    children: list[np.ndarray]
    leaf_of: np.ndarray
    members: list[np.ndarray]

    @property
    def leaves(self) -> np.ndarray:
        return np.array([n for n, c in enumerate(self.children) if not len(c)], dtype=np.int64)


def _kmeans(x: np.ndarray, c: int, rng: np.random.Generator, iters: int, sample: int) -> np.ndarray:
    """``(c, dim)`` unit centroids of spherical k-means on (a sample of) the unit rows ``x``."""
    pts = x[rng.choice(len(x), size=sample, replace=False)] if len(x) > sample else x
    cent = pts[rng.choice(len(pts), size=c, replace=False)].copy()
    for _ in range(iters):
        lab = np.argmax(pts @ cent.T, axis=1)
        sums = (lab[None, :] == np.arange(c)[:, None]).astype(pts.dtype) @ pts  # one-hot: per-cluster sums
        empty = ~np.any(sums, axis=1)
        sums[empty] = cent[empty]  # an empty cluster keeps its centre
        cent = _unit(sums)
    return cent


def build_tree(x: np.ndarray, *, leaf: int = 64, branch: int = 16, iters: int = 6, sample_per_cluster: int = 32,
               seed: int = 0) -> KMeansTree:
    """Cluster the unit rows of ``x`` into a tree whose leaves hold at most ``leaf`` rows.

    A node of n > ``leaf`` rows gets ``min(branch, ceil(n / leaf))`` children, so a node
    just over the leaf size is cut in two, not in ``branch`` crumbs. Rows that k-means
    cannot separate (identical vectors) are cut into equal chunks in input order.
    """
    rng = np.random.default_rng(seed)
    dim = x.shape[1]
    centroid: list[np.ndarray] = [np.zeros(dim, dtype=x.dtype)]
    children: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    members: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    leaf_of = np.zeros(len(x), dtype=np.int64)
    stack = [(0, np.arange(len(x)))]
    while stack:
        node, idx = stack.pop()
        if len(idx) <= leaf:
            members[node] = idx
            leaf_of[idx] = node
            continue
        c = int(min(branch, -(-len(idx) // leaf)))
        cent = _kmeans(x[idx], c, rng, iters, sample_per_cluster * c)
        lab = np.argmax(x[idx] @ cent.T, axis=1)
        if np.bincount(lab, minlength=c).max() == len(idx):  # no split: cut in order
            lab = np.arange(len(idx)) * c // len(idx)
            cent = _unit(np.stack([x[idx[lab == g]].sum(axis=0) for g in range(c)]))
        kids = []
        for g in range(c):
            part = idx[lab == g]
            if not len(part):
                continue
            kid = len(centroid)
            centroid.append(cent[g])
            children.append(np.zeros(0, dtype=np.int64))
            members.append(np.zeros(0, dtype=np.int64))
            kids.append(kid)
            stack.append((kid, part))
        children[node] = np.array(kids, dtype=np.int64)
    return KMeansTree(np.stack(centroid), children, leaf_of, members)


def probe(tree: KMeansTree, q: np.ndarray, probes: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``probes`` leaves each query row reaches by a beam search down the tree.

    At each level every node of a row's beam is replaced by its children (a leaf stays),
    scored by the row's dot product with their centroids, and the ``probes`` best are kept.

    Returns:
        ``(rows, leaves)``: parallel int64 arrays, up to ``probes`` entries per query row.
    """
    nq = len(q)
    inner = np.array([len(c) > 0 for c in tree.children] + [False])  # index -1: padding
    fan = max(1, max(len(c) for c in tree.children))
    nodes = np.zeros((nq, 1), dtype=np.int64)
    scores = np.zeros((nq, 1), dtype=np.float32)
    while inner[nodes].any():
        width = nodes.shape[1]
        cand = np.full((nq, width, fan), -1, dtype=np.int64)
        cs = np.full((nq, width, fan), -np.inf, dtype=np.float32)
        stay = (nodes >= 0) & ~inner[nodes]
        cand[:, :, 0] = np.where(stay, nodes, -1)
        cs[:, :, 0] = np.where(stay, scores, -np.inf)
        r, p = np.nonzero(inner[nodes])
        nid = nodes[r, p]
        order = np.argsort(nid, kind="stable")
        bounds = np.flatnonzero(np.r_[True, nid[order][1:] != nid[order][:-1], True])
        for s, e in zip(bounds[:-1], bounds[1:]):
            sel = order[s:e]
            kids = tree.children[nid[sel[0]]]
            rr, pp = r[sel], p[sel]
            cand[rr, pp, : len(kids)] = kids
            cs[rr, pp, : len(kids)] = q[rr] @ tree.centroid[kids].T
        cand, cs = cand.reshape(nq, -1), cs.reshape(nq, -1)
        keep = min(probes, cand.shape[1])
        top = np.argpartition(-cs, keep - 1, axis=1)[:, :keep]
        nodes, scores = np.take_along_axis(cand, top, axis=1), np.take_along_axis(cs, top, axis=1)
    rows = np.repeat(np.arange(nq, dtype=np.int64), nodes.shape[1])
    leaves = nodes.ravel()
    ok = leaves >= 0
    return rows[ok], leaves[ok]


def _top_k(rows: np.ndarray, sims: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best (by sim) entries for each distinct value of ``rows``."""
    # one float sort instead of a lexsort: the row, plus a fraction that falls as sim grows
    # (sims are cosines in [-1, 1]; float64 keeps the fraction exact enough past 10^6 rows)
    order = np.argsort(rows + (1.0 - np.clip(sims.astype(np.float64), -1.0, 1.0)) / 2.001, kind="stable")
    r = rows[order]
    start = np.r_[0, np.flatnonzero(r[1:] != r[:-1]) + 1]
    rank = np.arange(len(r)) - np.repeat(start, np.diff(np.r_[start, len(r)]))
    return order[rank < k]


def _scan(q_vecs: np.ndarray, d_vecs: np.ndarray, q_rows: np.ndarray, q_leaves: np.ndarray,
          members: list[np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each query row against the database rows of its probed leaves; its ``k`` best of each leaf."""
    order = np.argsort(q_leaves, kind="stable")
    bounds = np.flatnonzero(np.r_[True, q_leaves[order][1:] != q_leaves[order][:-1], True])
    qi, dj, ss = [], [], []
    for s, e in zip(bounds[:-1], bounds[1:]):
        mem = members[q_leaves[order[s]]]
        if not len(mem):
            continue
        qs = q_rows[order[s:e]]
        sim = q_vecs[qs] @ d_vecs[mem].T
        kk = min(k, len(mem))
        top = np.argpartition(-sim, kk - 1, axis=1)[:, :kk]
        qi.append(np.repeat(qs, kk))
        dj.append(mem[top.ravel()])
        ss.append(np.take_along_axis(sim, top, axis=1).ravel())
    if not qi:
        return (np.zeros(0, dtype=np.int64),) * 2 + (np.zeros(0, dtype=np.float32),)
    return np.concatenate(qi), np.concatenate(dj), np.concatenate(ss)


def ivf_candidates(a: np.ndarray, b: np.ndarray, k: int, *, trees: int = 3, probes: int = 4, leaf: int = 64,
                   branch: int = 16, seed: int = 0) -> np.ndarray:
    """Candidate pairs ``(i, j)``, rows of ``a`` x rows of ``b`` (unit vectors).

    Args:
        a, b: ``(n, dim)`` and ``(m, dim)`` unit vectors (Russian and English blocks).
        k: partners kept per row of either side.
        trees: independent trees (seeds ``seed``, ``seed + 1``, ...); a true partner
            missed by one tree's cells is usually found by another's.
        probes: leaves each vector searches per tree (more: higher recall, slower).
        leaf, branch: the tree's leaf size and fan-out (see ``build_tree``).
        seed: the k-means samples and starts; the same seed gives the same pairs.
    Returns:
        ``(p, 2)`` int64 array, sorted, no duplicates: every pair among the ``k`` most
        similar partners its ``i`` or its ``j`` found in its probed leaves.
    """
    na, nb = len(a), len(b)
    if not na or not nb:
        return np.zeros((0, 2), dtype=np.int64)
    with one_blas_thread():  # small products: multi-threaded BLAS only adds contention
        return _ivf(a, b, k, trees, probes, leaf, branch, seed)


def _ivf(a, b, k, trees, probes, leaf, branch, seed) -> np.ndarray:
    na, nb = len(a), len(b)
    x = np.vstack([_centred(a), _centred(b)]).astype(np.float32)
    av, bv = a.astype(np.float32, copy=False), b.astype(np.float32, copy=False)
    codes, sims = [], []
    for t in range(trees):
        tree = build_tree(x, leaf=leaf, branch=branch, seed=seed + t)
        rows, leaves = probe(tree, x, probes)
        side_a = [m[m < na] for m in tree.members]
        side_b = [m[m >= na] - na for m in tree.members]
        from_a = rows < na
        i1, j1, s1 = _scan(av, bv, rows[from_a], leaves[from_a], side_b, k)  # each Russian row's English partners
        j2, i2, s2 = _scan(bv, av, rows[~from_a] - na, leaves[~from_a], side_a, k)  # and the other way
        codes += [i1 * nb + j1, i2 * nb + j2]
        sims += [s1, s2]
    code, first = np.unique(np.concatenate(codes), return_index=True)
    sim = np.concatenate(sims)[first]
    i, j = code // nb, code % nb
    keep = np.union1d(_top_k(i, sim, k), _top_k(j, sim, k))
    return np.stack([i[keep], j[keep]], axis=1)


def knn_mean_from(cands: np.ndarray, sims: np.ndarray, n: int, k: int, side: int) -> np.ndarray:
    """Mean of each row's k highest similarities among its candidates (the margin's denominator, approximated)."""
    rows = cands[:, side]
    best = _top_k(rows, sims, k)
    total = np.bincount(rows[best], weights=sims[best], minlength=n)
    count = np.bincount(rows[best], minlength=n)
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)
