"""Candidate pairs for large collections (issue 17): a k-means tree with probes (aligner.candidates)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.candidates import build_tree, ivf_candidates, knn_mean_from, probe


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _pairs_like(n: int, seed: int = 0, dim: int = 64, noise: float = 0.4):
    """n translation pairs: a shared document vector, per-side noise, a language offset per side."""
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((n, dim))
    return _unit(base + noise * rng.standard_normal((n, dim)) + 1.0), _unit(base + noise * rng.standard_normal((n, dim)) - 1.0)


def _exact(a: np.ndarray, b: np.ndarray, k: int) -> set[tuple[int, int]]:
    s = a @ b.T
    out = {(i, int(j)) for i, row in enumerate(s) for j in np.argsort(-row, kind="stable")[:k]}
    return out | {(int(i), j) for j, col in enumerate(s.T) for i in np.argsort(-col, kind="stable")[:k]}


def test_finds_the_true_partners_without_all_pairs():
    a, b = _pairs_like(3000)
    cands = ivf_candidates(a, b, k=4, leaf=32)
    found = set(map(tuple, cands.tolist()))
    assert sum((i, i) in found for i in range(3000)) >= 0.99 * 3000
    assert len(cands) < 3000 * 12  # about k per row of either side, far from 9,000,000


def test_same_seed_same_pairs_and_another_seed_still_finds_them():
    a, b = _pairs_like(800, seed=3)
    first = ivf_candidates(a, b, k=4, leaf=32, seed=7)
    assert np.array_equal(first, ivf_candidates(a, b, k=4, leaf=32, seed=7))
    other = set(map(tuple, ivf_candidates(a, b, k=4, leaf=32, seed=8).tolist()))
    assert sum((i, i) in other for i in range(800)) >= 0.98 * 800


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(1, 30), st.integers(1, 6), st.integers(0, 10**6))
def test_one_leaf_is_exact_top_k(n, m, k, seed):
    """When both sides fit in one leaf there is nothing to miss: the result is the exact top-k union."""
    rng = np.random.default_rng(seed)
    a, b = _unit(rng.standard_normal((n, 16))), _unit(rng.standard_normal((m, 16)))
    got = set(map(tuple, ivf_candidates(a, b, k=k, leaf=64).tolist()))
    assert got == _exact(a, b, k)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 400), st.integers(1, 400), st.integers(1, 8), st.integers(0, 10**6), st.booleans())
def test_output_is_sorted_unique_in_range(n, m, k, seed, repeated):
    rng = np.random.default_rng(seed)
    a, b = _unit(rng.standard_normal((n, 8))), _unit(rng.standard_normal((m, 8)))
    if repeated:  # many identical vectors: k-means cannot cut them, the tree cuts them in order
        a[: n // 2] = a[0]
        b[: m // 2] = b[0]
    c = ivf_candidates(a, b, k=k, leaf=16, branch=4)
    assert c.dtype == np.int64 and c.shape[1] == 2
    assert ((c[:, 0] >= 0) & (c[:, 0] < n) & (c[:, 1] >= 0) & (c[:, 1] < m)).all()
    codes = c[:, 0] * m + c[:, 1]
    assert (np.diff(codes) > 0).all()  # sorted, no duplicates
    assert len(c) <= k * (n + m)


def test_empty_side_gives_no_pairs():
    a, _ = _pairs_like(5)
    assert ivf_candidates(a, a[:0], k=3).shape == (0, 2)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 700), st.integers(2, 80), st.integers(2, 20), st.integers(0, 10**6), st.booleans())
def test_tree_puts_every_row_in_exactly_one_small_leaf(n, leaf, branch, seed, repeated):
    rng = np.random.default_rng(seed)
    x = _unit(rng.standard_normal((n, 8)))
    if repeated:
        x[:] = x[0]
    tree = build_tree(x, leaf=leaf, branch=branch, seed=seed)
    members = np.concatenate([tree.members[v] for v in tree.leaves])
    assert sorted(members.tolist()) == list(range(n))
    assert max(len(tree.members[v]) for v in tree.leaves) <= leaf
    assert all(tree.leaf_of[i] == v for v in tree.leaves for i in tree.members[v])


def test_probe_one_is_the_greedy_descent_and_more_probes_reach_more_leaves():
    x = np.vstack(_pairs_like(500, seed=1))
    tree = build_tree(x, leaf=20, branch=4)
    rows, leaves = probe(tree, x, 1)
    assert np.array_equal(rows, np.arange(len(x)))
    assert np.array_equal(leaves, tree.leaf_of)  # a row's own leaf is where a beam of one ends
    rows, leaves = probe(tree, x, 5)
    per_row = np.bincount(rows, minlength=len(x))
    assert per_row.max() == 5 and per_row.min() >= 1
    assert set(leaves.tolist()) <= set(tree.leaves.tolist())
    everything = probe(tree, x[:3], len(tree.leaves))[1]
    assert sorted(everything.tolist()) == sorted(tree.leaves.tolist() * 3)  # a beam as wide as the tree sees it all


def test_knn_mean_from_candidates():
    cands = np.array([[0, 0], [0, 1], [0, 2], [1, 2]])
    sims = np.array([0.9, 0.5, 0.1, 0.4])
    assert np.allclose(knn_mean_from(cands, sims, 3, 2, 0), [0.7, 0.4, 0.0])
    assert np.allclose(knn_mean_from(cands, sims, 3, 2, 1), [0.9, 0.5, 0.25])
