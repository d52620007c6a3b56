#!/usr/bin/env python3
"""Fit the bead-score calibration on the dev cases only and write aligner/data/calibration.json.

Dev split (defined once, in scripts/bench_quality.py ``is_dev``): textberg_dev plus every
5th document (sorted by id, both variants) of wmt23, ntrex and flores. Every other case is
held out; the benchmark's reliability table is computed on those.

A bead counts as correct when it is exactly a gold link, or when all its sentences lie in
one gold "bundle" (a gold n-m link with n, m >= 2, which segment-level gold may not split
minimally; score.py's bundle-aware figure uses the same rule). The model is scikit-learn's
logistic regression on standardised features (see aligner/align/calibration.py FEATURES);
only the coefficients are shipped, so the runtime does not need scikit-learn.

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/fit_calibration.py [--encoder use]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import bench_quality as bq  # noqa: E402


def collect(ids, encoder, config, score):
    """Feature rows and labels of all non-null beads of ``ids``."""
    from aligner.align import align_sentences
    from aligner.align.calibration import feature_vector

    X, y = [], []
    for cid in ids:
        src, tgt, _ = bq.read_case(cid)
        exact, bundle_of = bq.correct_links(score.read_alignments(bq.CASES / cid / "gold.tsv"))
        for bead in align_sentences(src, tgt, encoder=encoder, config=config):
            if bead.is_null:
                continue
            X.append(feature_vector(bead.features, len(bead.ru_ids), len(bead.en_ids)))
            y.append(bq.is_correct(bead.ru_ids, bead.en_ids, exact, bundle_of))
    return np.array(X), np.array(y, dtype=int)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--out", default=str(REPO / "aligner" / "data" / "calibration.json"))
    a = ap.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from aligner.align import AlignConfig
    from aligner.align.calibration import FEATURES
    from aligner.encoders import get_encoder

    score = bq.load_score_module()
    encoder = get_encoder(a.encoder, cache=True)
    dev = [c for c in bq.case_ids() if bq.is_dev(c)]
    X, y = collect(dev, encoder, AlignConfig(), score)
    scaler = StandardScaler().fit(X)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=1.0, max_iter=1000).fit((X - scaler.mean_) / scale, y)
    p = model.predict_proba((X - scaler.mean_) / scale)[:, 1]
    out = {
        "features": list(FEATURES),
        "mean": scaler.mean_.tolist(),
        "scale": scale.tolist(),
        "coef": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
        "fitted_on": f"{len(dev)} dev cases (scripts/bench_quality.py is_dev), {len(y)} beads, "
                     f"{y.mean():.3f} correct",
        "encoder": a.encoder,
    }
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    hi = p >= 0.9
    print(f"dev: {len(y)} beads, {y.mean():.3f} correct; scored >= 0.9: {hi.sum()} beads, "
          f"{y[hi].mean() if hi.any() else float('nan'):.3f} correct")
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
