"""Calibrated bead scores: bead features -> probability that the pair is a correct translation.

A logistic regression over a few features of each bead (cosine, margin, its
distance to the document's skip threshold, the length term, the bead type) is
fitted by ``scripts/fit_calibration.py`` on the dev cases only, and its
coefficients are shipped in ``aligner/data/calibration.json``. Here we only
evaluate it, so the runtime needs no scikit-learn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

FEATURES = ("sim", "margin", "over_tau", "len_pen", "n_sent", "is_11", "hub", "low_sim", "prior", "low_sim_prior")

# ``low_sim`` = max(0, LOW_SIM - sim): how far the raw cosine falls below the level that
# translations rarely go under (5 % of the dev split's gold 1-1 links have a USE cosine below
# 0.54). A linear term in ``sim`` is weak on real documents, where nearly every bead is right
# whatever its cosine; this hinge lets the score fall for the low-cosine beads of tiny or
# unrelated inputs without bending it for ordinary ones.
LOW_SIM = 0.5
# ``prior`` (core.py): the share of the neighbourhood taken from the prior, 0 unless a side
# has fewer than margin_k sentences. In a long document a low-cosine bead is usually still
# right (its neighbours pin it down); in a 1x1 input nothing does, so ``low_sim`` gets its own
# slope there (``low_sim_prior`` = low_sim * prior).


def feature_vector(features: dict[str, float], n_ru: int, n_en: int) -> np.ndarray:
    """The calibration inputs of one bead (see ``FEATURES``), from ``Bead.features``."""
    return np.array(
        [
            features.get("sim", 0.0),
            features.get("margin", 0.0),
            features.get("score", 0.0) - features.get("tau", 0.0),
            min(features.get("len_pen", 0.0), 8.0),
            float(n_ru + n_en),
            1.0 if (n_ru, n_en) == (1, 1) else 0.0,
            0.5 * (features.get("hub_ru", 0.0) + features.get("hub_en", 0.0)),
            max(0.0, LOW_SIM - features.get("sim", 0.0)),
            features.get("prior", 0.0),
            max(0.0, LOW_SIM - features.get("sim", 0.0)) * features.get("prior", 0.0),
        ],
        dtype=np.float64,
    )


def feature_matrix(features: list[dict[str, float]], n_ru: np.ndarray, n_en: np.ndarray) -> np.ndarray:
    """``feature_vector`` of many beads at once: ``(k, len(FEATURES))`` float64, row r = bead r."""
    def col(name: str) -> np.ndarray:
        return np.array([f.get(name, 0.0) for f in features], dtype=np.float64)

    sim, prior = col("sim"), col("prior")
    n_ru, n_en = np.asarray(n_ru, dtype=np.int64), np.asarray(n_en, dtype=np.int64)
    low = np.maximum(0.0, LOW_SIM - sim)
    return np.stack(
        [
            sim,
            col("margin"),
            col("score") - col("tau"),
            np.minimum(col("len_pen"), 8.0),
            (n_ru + n_en).astype(np.float64),
            ((n_ru == 1) & (n_en == 1)).astype(np.float64),
            0.5 * (col("hub_ru") + col("hub_en")),
            low,
            prior,
            low * prior,
        ],
        axis=1,
    ).reshape(-1, len(FEATURES))


@dataclass(frozen=True)
class Calibration:
    """Logistic model ``p = sigmoid(w . standardise(x) + b)``."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, x: np.ndarray) -> np.ndarray:
        """``(k, len(FEATURES))`` feature rows -> ``(k,)`` probabilities in [0, 1]."""
        z = ((np.atleast_2d(x) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))

    @classmethod
    def from_dict(cls, d: dict) -> "Calibration":
        if tuple(d.get("features", ())) != FEATURES:
            raise ValueError("calibration.json was fitted on other features; rerun scripts/fit_calibration.py")
        return cls(np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]), float(d["intercept"]))


# Used only when no fitted file ships: a monotone squashing of the margin over the
# skip threshold (0.5 at the threshold). Documented as uncalibrated.
_FALLBACK = {
    "features": list(FEATURES),
    "mean": [0.0] * len(FEATURES),
    "scale": [1.0] * len(FEATURES),
    "coef": [0.0, 0.0, 20.0] + [0.0] * 7,
    "intercept": 0.0,
}


@lru_cache(maxsize=1)
def default_calibration() -> Calibration:
    """The fitted model from ``aligner/data/calibration.json`` (fallback if it is absent)."""
    try:
        text = resources.files("aligner").joinpath("data/calibration.json").read_text(encoding="utf-8")
        return Calibration.from_dict(json.loads(text))
    except (FileNotFoundError, OSError, KeyError, ValueError):
        return Calibration.from_dict(_FALLBACK)
