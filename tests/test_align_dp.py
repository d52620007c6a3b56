"""The banded DP: coverage and order on random scores, the band's shape, agreement with a brute force."""

from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.align.config import DEFAULT_TYPES
from aligner.align.dp import NEG, Band, band_around_points, banded_dp, full_band, predecessors

TYPES = [t for t in DEFAULT_TYPES if t[0] >= 1]


def random_gains(band: Band, rng: np.random.Generator, skip: float = -0.2) -> tuple[np.ndarray, np.ndarray]:
    ci, cj = band.cell_coords()
    pred = predecessors(band, TYPES, ci, cj)
    gains = rng.normal(size=(len(TYPES), ci.size)).astype(np.float32)
    for t, (a, b) in enumerate(TYPES):
        if b == 0:
            gains[t] = skip
        gains[t, pred[t] == ci.size] = NEG
    return gains, np.full(band.m, skip)


def check_cover(path, n: int, m: int) -> None:
    ru = [i for i0, i1, _, _ in path for i in range(i0, i1)]
    en = [j for _, _, j0, j1 in path for j in range(j0, j1)]
    assert ru == list(range(n))
    assert en == list(range(m))
    for i0, i1, j0, j1 in path:
        assert (i1 - i0, j1 - j0) in DEFAULT_TYPES


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 25), m=st.integers(0, 25), seed=st.integers(0, 2**31 - 1))
def test_every_sentence_once_in_order_full(n, m, seed):
    band = full_band(n, m)
    gains, skip = random_gains(band, np.random.default_rng(seed))
    check_cover(banded_dp(band, TYPES, gains, skip), n, m)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 60),
    m=st.integers(1, 60),
    k=st.integers(0, 8),
    radius=st.integers(0, 4),
    seed=st.integers(0, 2**31 - 1),
)
def test_every_sentence_once_in_order_banded(n, m, k, radius, seed):
    rng = np.random.default_rng(seed)
    pts = np.sort(np.stack([rng.integers(0, n + 1, k), rng.integers(0, m + 1, k)], axis=1), axis=0)
    band = band_around_points(pts, n, m, radius)
    assert band.lo[0] == 0 and band.hi[-1] == m
    assert np.all(np.diff(band.lo) >= 0) and np.all(np.diff(band.hi) >= 0)
    assert np.all(band.lo[1:] <= band.hi[:-1])  # rows overlap: a 1-0 step always exists
    gains, skip = random_gains(band, rng)
    check_cover(banded_dp(band, TYPES, gains, skip), n, m)


def brute_force(n: int, m: int, gain) -> float:
    best = {(0, 0): 0.0}
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) == (0, 0):
                continue
            opts = [best[(i - a, j - b)] + gain(a, b, i, j) for a, b in DEFAULT_TYPES if i >= a and j >= b]
            best[(i, j)] = max(opts)
    return best[(n, m)]


@pytest.mark.parametrize("n,m,seed", [(3, 4, 0), (5, 5, 1), (6, 3, 2), (7, 8, 3)])
def test_full_band_matches_brute_force(n, m, seed):
    rng = np.random.default_rng(seed)
    band = full_band(n, m)
    gains, skip = random_gains(band, rng)
    path = banded_dp(band, TYPES, gains, skip)
    idx = {t: k for k, t in enumerate(TYPES)}

    def gain(a, b, i, j):
        if a == 0:
            return skip[j - 1]
        return float(gains[idx[(a, b)], band.flat_index(np.array(i), np.array(j))])

    total = sum(gain(i1 - i0, j1 - j0, i1, j1) for i0, i1, j0, j1 in path)
    assert total == pytest.approx(brute_force(n, m, gain), abs=1e-4)


def test_band_is_linear_for_a_diagonal():
    n = m = 20_000
    pts = np.stack([np.arange(0, n, 7), np.arange(0, m, 7)], axis=1)
    band = band_around_points(pts, n, m, radius=8)
    assert band.cells < 40 * (n + 1)  # never the (n+1)(m+1) matrix
    assert band.widths.max() <= 7 + 3 * 8 + 1  # gap between points, rows and columns widened


def test_band_opens_a_rectangle_between_distant_anchors():
    # a 300-sentence insertion on the en side between two anchors
    band = band_around_points(np.array([[10, 10], [11, 311]]), 40, 340, radius=2)
    assert band.lo[11] <= 10 and band.hi[11] >= 311
    assert band.cells < 41 * 341 / 4


def test_band_rejects_nothing_reachable():
    band = Band(np.array([0, 2]), np.array([0, 2]))  # row 1 cannot be reached from (0, 0)
    ci, _ = band.cell_coords()
    gains = np.full((len(TYPES), ci.size), NEG, dtype=np.float32)
    with pytest.raises(ValueError):
        banded_dp(band, TYPES, gains, np.zeros(2))


def test_known_alignment_is_found():
    # gains that reward the diagonal 1-1 path and a 2-1 merge at rows 3-4
    n, m = 5, 4
    band = full_band(n, m)
    ci, cj = band.cell_coords()
    pred = predecessors(band, TYPES, ci, cj)
    gains = np.full((len(TYPES), ci.size), -1.0, dtype=np.float32)
    truth = {(1, 1, 1, 1), (1, 1, 2, 2), (1, 1, 3, 3), (2, 1, 5, 4)}
    for t, (a, b) in enumerate(TYPES):
        for c in range(ci.size):
            if (a, b, int(ci[c]), int(cj[c])) in truth:
                gains[t, c] = 1.0
        gains[t, pred[t] == ci.size] = NEG
    path = banded_dp(band, TYPES, gains, np.full(m, -1.0))
    assert path == [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3), (3, 5, 3, 4)]


def test_deterministic_on_ties():
    band = full_band(6, 6)
    ci, _ = band.cell_coords()
    gains = np.zeros((len(TYPES), ci.size), dtype=np.float32)
    paths = {tuple(banded_dp(band, TYPES, gains, np.zeros(6))) for _ in range(3)}
    assert len(paths) == 1


def test_memory_is_the_band_not_the_matrix():
    # structural check: the DP's arrays are sized by band cells
    n, m = 5000, 5200
    pts = np.stack([np.arange(n), np.round(np.arange(n) * m / n).astype(int)], axis=1)
    band = band_around_points(pts, n, m, radius=5)
    ci, cj = band.cell_coords()
    assert ci.size == band.cells < 20 * (n + 1)
    pred = predecessors(band, TYPES, ci, cj)
    assert pred.shape == (len(TYPES), band.cells)
    gains, skip = random_gains(band, np.random.default_rng(0))
    check_cover(banded_dp(band, TYPES, gains, skip, pred), n, m)




@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), m=st.integers(1, 30), radius=st.integers(0, 4), seed=st.integers(0, 2**31 - 1))
def test_predecessors_match_flat_index(n, m, radius, seed):
    """The chunked int32 predecessors equal the reference lookup through ``flat_index``."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(0, 5))
    pts = np.sort(np.stack([rng.integers(0, n + 1, k), rng.integers(0, m + 1, k)], axis=1), axis=0)
    band = band_around_points(pts, n, m, radius)
    ci, cj = band.cell_coords()
    want = np.stack([band.flat_index(ci - a, cj - b) for a, b in TYPES])
    want[want < 0] = ci.size
    assert np.array_equal(predecessors(band, TYPES, ci, cj), want)
    chunks = list(band.row_chunks(max_cells=7))
    assert np.array_equal(np.concatenate([c for c, _ in chunks]), ci)
    assert np.array_equal(np.concatenate([c for _, c in chunks]), cj)
