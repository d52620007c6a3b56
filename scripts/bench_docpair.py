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
   whole documents. ``--books`` adds the dev books' paragraphs (past 2,000
   documents a side the pairer's default candidates are the k-means tree's;
   ``--exact`` / ``--candidates`` force one kind at any size).
3. ``--scale``: candidate generation alone on synthetic vectors (pairs =
   noisy copies around topic centres), exact top-k vs the k-means tree (IVF),
   seconds and recall of the true partner, for growing collections;
   ``--scale-pairing``: the whole pairer on documents with those vectors.

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


def synthetic(encoder, chunk: int, tmp: Path, books: bool = False) -> None:
    from aligner.segment import split_sentences  # noqa: F401  (the pairer segments; imported to fail early)

    prefixes = ("wmt23_", "ntrex_", "flores_") + (("bilinguator_",) if books else ())
    cases = sorted(d for d in (EVAL / "cases").iterdir()
                   if d.is_dir() and d.name.startswith(prefixes) and not d.name.endswith("__pert"))
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


def synthetic_vectors(n: int, rng, d: int = 512, topics: int = 200, noise: float = 0.7):
    """``n`` document pairs as unit vectors: a topic centre plus the document's own direction,
    each side with its own noise and a language offset (+-0.5 on every coordinate)."""
    import numpy as np

    topic = rng.standard_normal((topics, d)).astype(np.float32)[rng.integers(0, topics, n)]
    base = rng.standard_normal((n, d)).astype(np.float32) + topic
    a = base + noise * rng.standard_normal((n, d)).astype(np.float32) + 0.5
    b = base + noise * rng.standard_normal((n, d)).astype(np.float32) - 0.5
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    return a, b


def exact_top_k(a, b, k: int):
    """What ``pairing._candidates`` computes below ``EXACT_PAIRS``: each row's k best on both sides."""
    import numpy as np

    parts = []
    for x, y, flip in ((a, b, False), (b, a, True)):
        kk = min(k, len(y))
        for s in range(0, len(x), 512):
            top = np.argpartition(-(x[s:s + 512] @ y.T), kk - 1, axis=1)[:, :kk]
            i = np.repeat(np.arange(s, s + len(top)), kk)
            parts.append(np.stack([top.ravel(), i], 1) if flip else np.stack([i, top.ravel()], 1))
    return np.unique(np.concatenate(parts), axis=0)


def scale(sizes: list[int], exact_max: int, noise: float) -> None:
    import numpy as np

    from aligner.candidates import ivf_candidates

    print(f"\n== candidate generation (synthetic 512-d vectors, 200 topics, noise {noise}; 8 nearest per side): "
          f"exact top-k vs the k-means tree (aligner.candidates.ivf_candidates, defaults)")
    print("| n per side | exact s | exact recall | tree s | tree recall | tree pairs/n | tree s per 1k docs |")
    print("|-----------:|--------:|-------------:|-------:|------------:|-------------:|-------------------:|")
    rng = np.random.default_rng(0)
    for n in sizes:
        a, b = synthetic_vectors(n, rng, noise=noise)
        truth = np.arange(n) * n + np.arange(n)
        cells = ["", ""]
        if n <= exact_max:
            t0 = time.perf_counter()
            ex = exact_top_k(a, b, 8)
            exact_s = time.perf_counter() - t0
            cells = [f"{exact_s:7.2f}", f"{np.isin(truth, ex[:, 0] * n + ex[:, 1]).mean():12.4f}"]
        t0 = time.perf_counter()
        cands = ivf_candidates(a, b, 8)
        tree_s = time.perf_counter() - t0
        rec = np.isin(truth, cands[:, 0] * n + cands[:, 1]).mean()
        print(f"| {n:10} | {cells[0]:>7} | {cells[1]:>12} | {tree_s:6.2f} | {rec:11.4f} | {len(cands) / n:12.1f} | "
              f"{1000 * tree_s / n:18.3f} |", flush=True)


def _letters(k: int) -> str:
    """A document id spelled in lower-case letters (digits would be shared-number anchors)."""
    out = ""
    for _ in range(4):
        out = "abcdefghijklmnopqrstuvwxyz"[k % 26] + out
        k //= 26
    return out


def scale_pairing(sizes: list[int], exact_max: int, noise: float) -> None:
    """The whole block pairer (``pairing.pair_blocks``: candidates, evidence, one-to-one assignment)
    on documents whose "encoder" returns the synthetic vectors, exact candidates against the tree."""
    import numpy as np

    from aligner import pairing
    from aligner.encoders.base import Encoder
    from aligner.model import Block, Paragraph, Source

    class Lookup(Encoder):
        name, dim = "lookup", 512

        def __init__(self, table: dict[str, np.ndarray]) -> None:
            self.table = table

        def embed_batch(self, texts: list[str]) -> np.ndarray:
            return np.stack([self.table[t] for t in texts])

    print(f"\n== the whole pairer (pairing.pair_blocks) on synthetic documents (noise {noise}): exact top-k "
          f"candidates vs the k-means tree")
    print("| n per side | exact s | exact F1 | tree s | tree F1 | tree s per 1k docs |")
    print("|-----------:|--------:|---------:|-------:|--------:|-------------------:|")
    rng = np.random.default_rng(1)
    saved = pairing.EXACT_PAIRS
    try:
        for n in sizes:
            a, b = synthetic_vectors(n, rng, noise=noise)
            table, blocks = {}, []
            for side, vecs, lang in (("r", a, "ru"), ("e", b, "en")):
                for k in range(n):
                    text = f"{side}{_letters(k)} doc"
                    table[text] = vecs[k]
                    src = Source(file=f"{lang}/{k}.txt")
                    blocks.append(Block(f"{lang}/{k}", lang, (Paragraph(text, lang, src),)))
            enc = Lookup(table)
            cells = []
            for exact in (True, False):
                if exact and n > exact_max:
                    cells += ["", ""]
                    continue
                pairing.EXACT_PAIRS = 10**18 if exact else 0
                t0 = time.perf_counter()
                pairs = pairing.pair_blocks(blocks, encoder=enc)
                dt = time.perf_counter() - t0
                tp = sum(p.ru.id.split("/")[1] == p.en.id.split("/")[1] for p in pairs)
                prec, rec = (tp / len(pairs) if pairs else 0.0), tp / n
                f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
                cells += [f"{dt:7.2f}", f"{f1:8.4f}"]
            tree_s = float(cells[2])
            print(f"| {n:10} | {cells[0]:>7} | {cells[1]:>8} | {cells[2]:>6} | {cells[3]:>7} | "
                  f"{1000 * tree_s / n:18.3f} |", flush=True)
    finally:
        pairing.EXACT_PAIRS = saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synthetic", action="store_true", help="also the larger collection built from the cases")
    ap.add_argument("--chunk", type=int, default=3, help="paragraphs per synthetic document")
    ap.add_argument("--books", action="store_true",
                    help="--synthetic: add the paragraphs of the dev books (those whose two sides have as many)")
    ap.add_argument("--scale", action="store_true", help="also time candidate generation on synthetic vectors")
    ap.add_argument("--scale-pairing", action="store_true",
                    help="also time the whole pairer (pair_blocks) on synthetic documents, exact vs tree candidates")
    ap.add_argument("--sizes", default="1000,2000,4000,8000,16000,32000", help="--scale: documents per side")
    ap.add_argument("--exact-max", type=int, default=16000, help="--scale: largest size timed exactly too")
    ap.add_argument("--noise", type=float, default=0.7, help="--scale: per-side noise (larger: harder)")
    ap.add_argument("--no-docpair", action="store_true")
    ap.add_argument("--candidates", action="store_true",
                    help="pair through the k-means tree candidates at any size (pairing.EXACT_PAIRS = 0)")
    ap.add_argument("--exact", action="store_true", help="pair through exact top-k candidates at any size")
    a = ap.parse_args()
    sizes = [int(v) for v in a.sizes.split(",")]
    if (a.scale or a.scale_pairing) and a.no_docpair and not a.synthetic:
        if a.scale:
            scale(sizes, a.exact_max, a.noise)
        if a.scale_pairing:
            scale_pairing(sizes, a.exact_max, a.noise)
        return
    if not DOCPAIR.is_dir():
        sys.exit(f"bench_docpair: {DOCPAIR} not found; this benchmark needs ../shared/eval")
    from aligner.encoders import get_encoder

    encoder = get_encoder("use", cache=True)
    if a.candidates or a.exact:
        from aligner import pairing

        pairing.EXACT_PAIRS = 0 if a.candidates else 10**18
        print("candidates: " + ("k-means tree (aligner.candidates.ivf_candidates)" if a.candidates else "exact top-k")
              + " at every size")
    if not a.no_docpair:
        docpair(encoder)
    if a.synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            synthetic(encoder, a.chunk, Path(tmp), a.books)
    if a.scale:
        scale(sizes, a.exact_max, a.noise)
    if a.scale_pairing:
        scale_pairing(sizes, a.exact_max, a.noise)


if __name__ == "__main__":
    main()
