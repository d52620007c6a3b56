#!/usr/bin/env python3
"""Fit the bead-score calibration on the dev cases only and write aligner/data/calibration.json.

Dev split (defined once, in scripts/bench_quality.py ``is_dev``): textberg_dev plus every
5th document (sorted by id, both variants) of wmt23, ntrex and flores (the dev books are
left out: their paragraph-level gold cannot tell a sentence-level bead right or wrong). Every
other case is held out; the benchmark's reliability table is computed on those.

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


def tiny_documents(ids, score, seed: int = 0):
    """Small documents (1-3 sentences a side) cut from the dev cases, with their gold links.

    Real documents give the calibration almost only good beads (about 98 % are correct), so
    it never learns what an unrelated pair looks like; yet short inputs (Telegram posts) may
    hold a post and a reply that are not translations. For each dev case this yields:
    - a run of 1-3 consecutive gold links (a true tiny document; its gold is those links);
    - ru sentences of that run against en sentences of the next dev case (nothing in it is a
      translation; every aligned bead is wrong);
    - the run with one sentence of the next case appended to one side (a translation plus
      an unrelated extra sentence);
    - one ru sentence against one en sentence of another link of the same case (same topic,
      not a translation: the hardest unrelated 1x1 input).

    Returns:
        ``[(src, tgt, gold)]`` where gold is a list of ``(ru ids, en ids)`` links.
    """
    rng = np.random.default_rng(seed)
    runs, same_topic = [], []
    for cid in ids:
        if cid.startswith("textberg"):
            continue
        src, tgt, _ = bq.read_case(cid)
        gold = [(tuple(a), tuple(b)) for a, b in score.read_alignments(bq.CASES / cid / "gold.tsv")]
        k = int(rng.integers(1, 4))
        start = int(rng.integers(0, max(1, len(gold) - k + 1)))
        part = gold[start:start + k]
        ri = sorted(i for a, _ in part for i in a)
        ej = sorted(j for _, b in part for j in b)
        if not ri or not ej:
            continue
        rmap, emap = {i: n for n, i in enumerate(ri)}, {j: n for n, j in enumerate(ej)}
        g = [(tuple(rmap[i] for i in a), tuple(emap[j] for j in b)) for a, b in part]
        runs.append(([src[i] for i in ri], [tgt[j] for j in ej], g))
        other = [b for a, b in gold if b and a and set(b).isdisjoint(ej)]
        if other:
            j = other[int(rng.integers(0, len(other)))][0]
            same_topic.append(([src[ri[0]]], [tgt[j]], [((0,), ()), ((), (0,))]))
    out = list(runs) + same_topic
    for n, (s, t, g) in enumerate(runs):
        t2 = runs[(n + 1) % len(runs)][1]
        out.append((s, t2, [((i,), ()) for i in range(len(s))] + [((), (j,)) for j in range(len(t2))]))
        # the run with one unrelated sentence (from the next run) appended to one side
        if n % 2:
            out.append((s, t + t2[:1], g + [((), (len(t),))]))
        else:
            s2 = runs[(n + 1) % len(runs)][0]
            out.append((s + s2[:1], t, g + [((len(s),), ())]))
    return out


def collect_tiny(docs, encoder, config):
    """Feature rows and labels of the non-null beads on ``tiny_documents``."""
    from aligner.align import align_sentences
    from aligner.align.calibration import feature_vector

    X, y = [], []
    for src, tgt, gold in docs:
        exact, bundle_of = bq.correct_links(gold)
        for bead in align_sentences(src, tgt, encoder=encoder, config=config):
            if bead.is_null:
                continue
            X.append(feature_vector(bead.features, len(bead.ru_ids), len(bead.en_ids)))
            y.append(bq.is_correct(bead.ru_ids, bead.en_ids, exact, bundle_of))
    return X, y


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
    # the dev books' gold is at paragraph level: any bead inside a paragraph would count as
    # correct, which says nothing about a sentence-level bead, so they are not fitted on
    dev = [c for c in bq.case_ids() if bq.is_dev(c) and not c.startswith("bilinguator")]
    X, y = collect(dev, encoder, AlignConfig(), score)
    Xt, yt = collect_tiny(tiny_documents(dev, score), encoder, AlignConfig())
    print(f"tiny dev documents: {len(yt)} beads, {np.mean(yt):.3f} correct")
    X, y = np.vstack([X] + ([np.array(Xt)] if Xt else [])), np.concatenate([y, np.array(yt, dtype=int)])
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
        "fitted_on": f"{len(dev)} dev cases (scripts/bench_quality.py is_dev) and tiny documents cut "
                     f"from them (fit_calibration.tiny_documents), {len(y)} beads, "
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
