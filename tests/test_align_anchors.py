"""Anchors: mutual best matches with a clear lead, kept in a monotone chain."""

from __future__ import annotations

import numpy as np
import pytest

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
