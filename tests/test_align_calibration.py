"""Calibration inputs: the vectorised feature matrix is the per-bead feature vector, row by row."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align.calibration import FEATURES, feature_matrix, feature_vector

BEADS = [
    ({"sim": 0.8, "margin": 0.3, "score": 0.25, "tau": -0.1, "len_pen": 0.4, "hub_ru": 0.2, "hub_en": 0.3,
      "prior": 0.0}, 1, 1),
    ({"sim": 0.3, "margin": -0.1, "score": -0.2, "tau": -0.1, "len_pen": 12.0, "hub_ru": 0.1, "hub_en": 0.2,
      "prior": 0.5}, 2, 1),
    ({"sim": 0.5}, 1, 3),  # missing terms count as 0
    ({}, 2, 2),
]


@pytest.mark.parametrize("rows", [[0], [0, 1, 2, 3], [3, 1]])
def test_feature_matrix_equals_feature_vectors(rows):
    feats = [BEADS[r][0] for r in rows]
    n_ru = np.array([BEADS[r][1] for r in rows])
    n_en = np.array([BEADS[r][2] for r in rows])
    got = feature_matrix(feats, n_ru, n_en)
    want = np.stack([feature_vector(*BEADS[r]) for r in rows])
    assert got.shape == (len(rows), len(FEATURES))
    np.testing.assert_array_equal(got, want)
