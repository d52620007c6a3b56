#!/usr/bin/env python3
"""Pairing documents of a collection by content (``aligner batch --pair-by-content``).

1. ``../shared/eval/docpair/news_ruen``: 339 Russian and 342 English news
   documents, 289 true pairs; scored with ``score.py --docpair``.
2. ``--synthetic``: a larger collection built from ../shared/eval/cases
   (wmt23, ntrex, flores; natural variants): each case is cut into chunks of
   ``--chunk`` paragraphs (the Russian and English raw texts have the same
   paragraphs), every chunk a document; one chunk in seven loses its English
   side and another its Russian side, so unpaired documents are there too.
   Chunks of one article share their topic, which makes it harder than
   whole documents.
3. ``--scale``: candidate generation alone on synthetic vectors (pairs =
   noisy copies around topic centres), exact top-k vs random-projection trees,
   seconds and recall of the true partner, for growing collections.

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_docpair.py [--synthetic] [--scale]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
EVAL = REPO.parent / "shared" / "eval"
DOCPAIR = EVAL / "docpair" / "news_ruen"


def score(pairs, gold: Path) -> tuple[float, float, float]:
    """Precision, recall, F1 of ``(ru_id, en_id)`` pairs against a gold pairs file."""
    want = {tuple(line.split("\t")[:2]) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()}
    got = set(pairs)
    tp = len(got & want)
    p = tp / len(got) if got else 0.0
    r = tp / len(want) if want else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def run_pairing(paths: list[str], encoder):
    from aligner.collection import pair_documents

    t0 = time.perf_counter()
    found = pair_documents(paths, encoder=encoder)
    return found, time.perf_counter() - t0


def docpair(encoder) -> None:
    paths = sorted(str(p) for p in (DOCPAIR / "ru").glob("*.txt")) + sorted(str(p) for p in (DOCPAIR / "en").glob("*.txt"))
    found, dt = run_pairing(paths, encoder)
    pred = [(Path(p.ru).stem, Path(p.en).stem) for p in found.pairs]
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as fh:
        fh.write("".join(f"{a}\t{b}\n" for a, b in pred))
    out = subprocess.run([sys.executable, str(EVAL / "score.py"), "--docpair", str(DOCPAIR / "gold_pairs.tsv"), fh.name],
                         capture_output=True, text=True, check=False)
    p, r, f = score(pred, DOCPAIR / "gold_pairs.tsv")
    print(f"\n== docpair/news_ruen: {len(paths)} documents, {len(pred)} pairs predicted, {dt:.1f} s")
    print(f"| P {p:.4f} | R {r:.4f} | F1 {f:.4f} |")
    print("score.py --docpair says:\n" + out.stdout.strip())


def synthetic(encoder, chunk: int, tmp: Path) -> None:
    from aligner.segment import split_sentences  # noqa: F401  (the pairer segments; imported to fail early)

    cases = sorted(d for d in (EVAL / "cases").iterdir()
                   if d.is_dir() and d.name.startswith(("wmt23_", "ntrex_", "flores_")) and not d.name.endswith("__pert"))
    gold, n = [], 0
    (tmp / "ru").mkdir(parents=True)
    (tmp / "en").mkdir(parents=True)
    for d in cases:
        ru = [p for p in re.split(r"\n\s*\n", (d / "ru.raw.txt").read_text(encoding="utf-8")) if p.strip()]
        en = [p for p in re.split(r"\n\s*\n", (d / "en.raw.txt").read_text(encoding="utf-8")) if p.strip()]
        if len(ru) != len(en):
            continue
        for k in range(0, len(ru), chunk):
            n += 1
            doc = f"{n:05d}"
            if n % 7 != 3:
                (tmp / "ru" / f"r{doc}.txt").write_text("\n\n".join(ru[k:k + chunk]) + "\n", encoding="utf-8")
            if n % 7 != 5:
                (tmp / "en" / f"e{doc}.txt").write_text("\n\n".join(en[k:k + chunk]) + "\n", encoding="utf-8")
            if n % 7 not in (3, 5):
                gold.append((f"r{doc}", f"e{doc}"))
    (tmp / "gold.tsv").write_text("".join(f"{a}\t{b}\n" for a, b in gold), encoding="utf-8")
    paths = sorted(str(p) for p in tmp.glob("*/*.txt"))
    found, dt = run_pairing(paths, encoder)
    pred = [(Path(p.ru).stem, Path(p.en).stem) for p in found.pairs]
    p, r, f = score(pred, tmp / "gold.tsv")
    print(f"\n== synthetic collection: {len(paths)} documents ({chunk} paragraphs each, {len(gold)} true pairs), "
          f"{len(pred)} predicted, {dt:.1f} s")
    print(f"| P {p:.4f} | R {r:.4f} | F1 {f:.4f} |")


def scale() -> None:
    import numpy as np

    from aligner.candidates import tree_candidates

    print("\n== candidate generation (synthetic 512-d vectors, 8 nearest per side): exact vs trees")
    print("| n per side | exact s | exact recall | trees s | trees recall | trees pairs/n |")
    print("|-----------:|--------:|-------------:|--------:|-------------:|--------------:|")
    rng = np.random.default_rng(0)
    for n in (1000, 2000, 4000, 8000, 16000):
        d = 512
        topic = rng.standard_normal((200, d)).astype(np.float32)[rng.integers(0, 200, n)]
        base = rng.standard_normal((n, d)).astype(np.float32) + topic
        a = base + 0.7 * rng.standard_normal((n, d)).astype(np.float32) + 0.5
        b = base + 0.7 * rng.standard_normal((n, d)).astype(np.float32) - 0.5
        a /= np.linalg.norm(a, axis=1, keepdims=True)
        b /= np.linalg.norm(b, axis=1, keepdims=True)
        t0 = time.perf_counter()
        hit = 0
        for s in range(0, n, 512):
            top = np.argpartition(-(a[s:s + 512] @ b.T), 7, axis=1)[:, :8]
            hit += sum(s + r in row for r, row in enumerate(top))
        exact_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        cands = tree_candidates(a, b, 8)
        tree_s = time.perf_counter() - t0
        found = set((cands[:, 0] * n + cands[:, 1]).tolist())
        rec = sum(i * n + i in found for i in range(n)) / n
        print(f"| {n:10} | {exact_s:7.2f} | {hit / n:12.4f} | {tree_s:7.2f} | {rec:12.4f} | {len(cands) / n:13.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synthetic", action="store_true", help="also the larger collection built from the cases")
    ap.add_argument("--chunk", type=int, default=3, help="paragraphs per synthetic document")
    ap.add_argument("--scale", action="store_true", help="also time candidate generation on synthetic vectors")
    ap.add_argument("--no-docpair", action="store_true")
    a = ap.parse_args()
    if not DOCPAIR.is_dir():
        sys.exit(f"bench_docpair: {DOCPAIR} not found; this benchmark needs ../shared/eval")
    from aligner.encoders import get_encoder

    encoder = get_encoder("use", cache=True)
    if not a.no_docpair:
        docpair(encoder)
    if a.synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            synthetic(encoder, a.chunk, Path(tmp))
    if a.scale:
        scale()


if __name__ == "__main__":
    main()
