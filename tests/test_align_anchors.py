"""Anchors: mutual best matches with a clear lead, kept in a monotone chain."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align import anchors as anc
from aligner.align.anchors import best_two, monotone_chain, mutual_best_pairs


def dense(scores: list[list[float]]):
    s = np.array(scores, dtype=float)
    ri, ej = np.meshgrid(np.arange(s.shape[0]), np.arange(s.shape[1]), indexing="ij")
    return ri.ravel(), ej.ravel(), s.ravel(), s.shape


def test_best_two_per_row():
    ri, ej, sc, (n, _) = dense([[0.1, 0.9, 0.3], [0.5, 0.5, 0.2]])
    partner, best, second = best_two(ri, ej, sc, n)
    assert partner.tolist() == [1, 0]  # a tie goes to the smaller partner
    assert best.tolist() == [0.9, 0.5]
    assert second.tolist() == [0.3, 0.5]


def test_mutual_best_needs_a_clear_lead():
    ri, ej, sc, (n, m) = dense([[0.9, 0.1, 0.0], [0.1, 0.6, 0.58], [0.0, 0.2, 0.7]])
    pairs = mutual_best_pairs(ri, ej, sc, n, m, min_gap=0.05)
    assert pairs.tolist() == [[0, 0], [2, 2]]  # row 1 leads by only 0.02


def test_not_mutual_is_not_an_anchor():
    ri, ej, sc, (n, m) = dense([[0.9, 0.0], [0.95, 0.1]])
    assert mutual_best_pairs(ri, ej, sc, n, m, 0.0).tolist() == [[1, 0]]


@pytest.mark.parametrize(
    "pairs,chain",
    [
        ([[0, 0], [1, 1], [2, 2]], [[0, 0], [1, 1], [2, 2]]),
        ([[0, 0], [1, 5], [2, 1], [3, 2]], [[0, 0], [2, 1], [3, 2]]),
        ([[0, 3], [1, 2], [2, 1]], [[2, 1]]),
        ([], []),
    ],
)
def test_monotone_chain(pairs, chain):
    got = monotone_chain(np.array(pairs, dtype=np.int64).reshape(-1, 2))
    assert got.tolist() == chain


def _best_two_by_global_sort(group, other, score, size):
    """Reference: one stable sort of all cells, ties to the smallest partner."""
    partner, best, second = np.full(size, -1), np.full(size, -np.inf), np.full(size, -np.inf)
    for g in range(size):
        cells = np.flatnonzero(group == g)
        if cells.size == 0:
            continue
        top = score[cells].max()
        partner[g] = other[cells][score[cells] == top].min()
        rest = score[cells][~((score[cells] == top) & (other[cells] == partner[g]))]
        best[g], second[g] = top, rest.max() if rest.size else -np.inf
    return partner, best, second


@pytest.mark.parametrize("seed,chunk", [(0, 5), (1, 64), (2, 1 << 18), (3, 1)])
def test_best_two_in_chunks_matches_one_sort(monkeypatch, seed, chunk):
    # columns of a band (nearly sorted) and random order, processed in chunks of cells
    monkeypatch.setattr(anc, "CHUNK", chunk)
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(40), 6)
    cols = np.clip(rows + np.tile(np.arange(-2, 4), 40), 0, 39)
    score = rng.integers(0, 4, rows.size).astype(float)  # many ties
    for group, other in [(cols, rows), (rng.permutation(cols), rows), (rows, cols)]:
        got = best_two(group.astype(np.int32), other.astype(np.int32), score, 40)
        for g, w in zip(got, _best_two_by_global_sort(group, other, score, 40)):
            np.testing.assert_array_equal(g, w)
