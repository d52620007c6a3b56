#!/usr/bin/env python3
"""Encoder quality and speed: Tatoeba-style nearest-neighbour error on real ru-en pairs.

Takes N gold 1-1 links (one Russian sentence <-> one English sentence) from the
natural wmt23, ntrex and flores cases in ../shared/eval/cases, spread evenly
over the sorted list, embeds both sides, and counts how often the nearest
neighbour (cosine) of a sentence among the N candidates is not its
translation, in both directions, as the Tatoeba evaluation of LASER does.
These are news sentences, longer than Tatoeba's, so errors are lower.

Speed is sentences per second on this machine, without the embedding cache,
model load excluded (run it when the machine is quiet).

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_encoders.py [--encoders use,e5-small,use+e5-small] [-n 1000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CASES = REPO.parent / "shared" / "eval" / "cases"


def one_to_one_pairs(n: int, max_chars: int = 0) -> list[tuple[str, str]]:
    """``n`` distinct (ru, en) sentence pairs from gold 1-1 links, evenly spread over the cases.

    ``max_chars`` > 0 keeps only pairs whose sides are both that short (closer to Tatoeba's sentences).
    """
    pairs: list[tuple[str, str]] = []
    for case in sorted(CASES.iterdir()):
        if case.name.endswith("__pert") or not case.name.startswith(("wmt23", "ntrex", "flores")):
            continue
        ru = (case / "ru.txt").read_text(encoding="utf-8").split("\n")
        en = (case / "en.txt").read_text(encoding="utf-8").split("\n")
        for line in (case / "gold.tsv").read_text(encoding="utf-8").splitlines():
            src, _, tgt = line.partition("\t")
            if src and tgt and "," not in src and "," not in tgt:
                r, e = ru[int(src)].strip(), en[int(tgt)].strip()
                if r and e and (not max_chars or max(len(r), len(e)) <= max_chars):
                    pairs.append((r, e))
    pairs = list(dict.fromkeys(pairs))
    seen_ru, seen_en, unique = set(), set(), []
    for r, e in pairs:  # a repeated sentence would make "the" nearest neighbour ambiguous
        if r not in seen_ru and e not in seen_en:
            seen_ru.add(r), seen_en.add(e), unique.append((r, e))
    idx = np.linspace(0, len(unique) - 1, num=min(n, len(unique))).round().astype(int)
    return [unique[i] for i in idx]


def nn_error(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of rows of ``a`` whose most similar row of ``b`` is not the same index."""
    return float(np.mean(np.argmax(a @ b.T, axis=1) != np.arange(len(a))))


def speed_in_fresh_process(spec: str, n: int, max_chars: int) -> float:
    """Speed measured in its own process: models loaded earlier in this one skew the timing."""
    out = subprocess.run([sys.executable, __file__, "--speed-of", spec, "--speed-n", str(n), "--max-chars",
                          str(max_chars)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def speed(spec: str, texts: list[str]) -> float:
    from aligner.encoders import get_encoder

    enc = get_encoder(spec, cache=False)
    enc.encode(texts[:64])  # load and warm up
    best = float("inf")
    for _ in range(2):  # best of two: the machine is shared
        start = time.perf_counter()
        enc.encode(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoders", default="use,e5-small,use+e5-small")
    ap.add_argument("-n", type=int, default=1000, help="number of pairs (default 1000)")
    ap.add_argument("--max-chars", type=int, default=0, help="only pairs with both sides this short (0: any)")
    ap.add_argument("--speed-n", type=int, default=500, help="sentences timed for speed (default 500; 0 skips)")
    ap.add_argument("--speed-of", help=argparse.SUPPRESS)  # internal: print one encoder's speed
    a = ap.parse_args()
    if not CASES.is_dir():
        sys.exit(f"no evaluation cases at {CASES}")
    from aligner.encoders import get_encoder

    pairs = one_to_one_pairs(a.n, a.max_chars)
    ru, en = [p[0] for p in pairs], [p[1] for p in pairs]
    if a.speed_of:
        print(speed(a.speed_of, [t for pair in pairs[: a.speed_n // 2] for t in pair]))
        return
    short = f" (both sides <= {a.max_chars} chars)" if a.max_chars else ""
    print(f"{len(pairs)} ru-en 1-1 pairs from wmt23/ntrex/flores{short}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"| {'encoder':14} | {'dim':>4} | {'ru->en err':>10} | {'en->ru err':>10} | {'mean err':>8} | {'sent/s':>7} |")
    print("|" + "|".join("-" * w for w in (16, 6, 12, 12, 10, 9)) + "|")
    for spec in a.encoders.split(","):
        enc = get_encoder(spec, cache=True)
        vr, ve = enc.encode(ru), enc.encode(en)
        e1, e2 = nn_error(vr, ve), nn_error(ve, vr)
        sps = speed_in_fresh_process(spec, a.speed_n, a.max_chars) if a.speed_n else float("nan")
        print(f"| {spec:14} | {enc.dim:4} | {e1:10.2%} | {e2:10.2%} | {(e1 + e2) / 2:8.2%} | {sps:7.0f} |")


if __name__ == "__main__":
    main()
