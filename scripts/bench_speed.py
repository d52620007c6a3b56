"""Speed and memory of aligning long documents (1k to 50k sentences per side).

Builds long inputs by concatenating the natural (not ``__pert``) ru/en cases of
``../shared/eval/cases`` (WMT23, NTREX, FLORES) in a seeded order, and runs each
size in a fresh subprocess, so its peak RSS (VmHWM) is its own: encoder loaded,
windows embedded, sentences aligned. Prints, per size:

- embed s: embedding every window of 1..max_window sentences of both sides
  (``aligner.align.embed_sides``), through the on-disk cache; ``new`` is how
  many texts reached the model (0 on a re-run);
- align s: ``align_vectors`` + ``to_beads`` on those vectors (no embedding);
- align sent/s: sentences per side per second of the align step;
- peak RSS: the whole process, and the part of it reached during alignment.

The eval cases hold about 5k sentences per side, so longer inputs repeat them.
By default each repeat gets a numbered suffix (" (2)", both sides alike), so
every sentence is a new text, as in a real book: a cold 50k run then embeds
~400k windows (about an hour on 2 busy cores; the cache keeps them).
``--repeat-verbatim`` repeats the text as is: only ~5k sentences' windows
are embedded, while the alignment still runs on all 50k (same array sizes,
same band), so align time and RSS@align stay representative.
``--fake-vectors`` measures the embedding-phase memory of the all-new case
without the hour of embedding.

Usage::

    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_speed.py [--sizes 1000,5000,20000,50000]
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_speed.py --repeat-verbatim
    python scripts/bench_speed.py --sizes 50000 --fake-vectors
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CASES = REPO.parent / "shared" / "eval" / "cases"
PREFIXES = ("wmt23_", "ntrex_", "flores_")


def natural_cases(cases: Path) -> list[Path]:
    return sorted(p for p in cases.iterdir()
                  if p.is_dir() and p.name.startswith(PREFIXES) and "__" not in p.name and (p / "ru.txt").exists())


def read_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def build(n: int, cases: Path, seed: int = 0, verbatim: bool = False) -> tuple[list[str], list[str]]:
    """Whole documents, in a seeded order reshuffled every pass, until the ru side has ``n`` sentences.

    The last document is cut at the same fraction on both sides, so both have about ``n``.
    """
    docs = [(read_lines(c / "ru.txt"), read_lines(c / "en.txt")) for c in natural_cases(cases)]
    rng = random.Random(seed)
    ru: list[str] = []
    en: list[str] = []
    rep = 0
    while len(ru) < n:
        rep += 1
        order = list(range(len(docs)))
        rng.shuffle(order)
        tag = "" if verbatim or rep == 1 else f" ({rep})"
        for k in order:
            r, e = docs[k]
            need = n - len(ru)
            if need <= 0:
                break
            if len(r) > need:
                e = e[: max(1, round(len(e) * need / len(r)))]
                r = r[:need]
            ru.extend(s + tag for s in r)
            en.extend(s + tag for s in e)
    return ru, en


def vm_hwm_mb() -> float:
    """Peak resident set of this process (VmHWM), MB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource  # pragma: no cover - not Linux

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux: write 5 to clear_refs), to see the align step's own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


class _HashVectors:
    """``--fake-vectors``: the real encoder's shape (dim) with vectors from a text hash.

    Embedding hundreds of thousands of new windows takes hours on a small
    CPU; this keeps every array and copy of the real run (same sizes, same
    code path through the cache) at the cost of meaningless similarities, so
    it measures memory, not speed or the alignment's behaviour.
    """

    def __init__(self, real) -> None:
        self.real, self.name, self.dim, self.embedded = real, f"hash{real.dim}", real.dim, 0
        self.batch_size = 64

    def encode(self, texts, progress=None):
        import hashlib

        import numpy as np

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little")
            out[i] = np.random.default_rng(seed).standard_normal(self.dim)
        self.embedded += len(texts)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def one(n: int, encoder_spec: str, verbatim: bool, threads: int, fake: bool = False) -> dict:
    """Measure one size in this (fresh) process; returns one JSON-able row."""
    from aligner.align import AlignConfig, align_vectors, embed_sides, to_beads
    from aligner.batch import default_encoder_factory
    from aligner.pipeline import PipelineConfig

    ru, en = build(n, CASES, verbatim=verbatim)
    cfg = AlignConfig()
    t = time.perf_counter()
    enc = default_encoder_factory(PipelineConfig(encoder=encoder_spec, cache=True), threads or None)
    getattr(enc, "inner", enc).encode(["warm up"])  # load the model (past the cache): not part of the embedding time
    t_load = time.perf_counter() - t
    if fake:  # the model stays loaded (its memory counts); a cache in memory only
        from aligner.encoders.cache import CachedEncoder

        enc = CachedEncoder(_HashVectors(enc))
    before = getattr(enc, "embedded", 0)
    t = time.perf_counter()
    ru_side, en_side = embed_sides(ru, en, enc, cfg.max_window)
    t_embed = time.perf_counter() - t
    new = getattr(enc, "embedded", 0) - before
    peak_embed = vm_hwm_mb()
    if fake:  # random vectors say nothing about the alignment step
        return {"n_ru": len(ru), "n_en": len(en), "windows": sum(len(x) for x in ru_side.emb + en_side.emb),
                "new": new, "load_s": t_load, "embed_s": t_embed, "align_s": float("nan"),
                "rss_before_align_mb": vm_rss_mb(), "peak_mb": peak_embed, "peak_embed_mb": peak_embed,
                "peak_align_mb": float("nan")}
    rss_before_align = vm_rss_mb()
    can_reset = reset_peak()
    t = time.perf_counter()
    raw, stats = align_vectors(ru_side, en_side, cfg)
    t_vec = time.perf_counter() - t
    t = time.perf_counter()
    beads = to_beads(raw, ru, en)
    t_beads = time.perf_counter() - t
    peak_align = vm_hwm_mb()
    t_align = t_vec + t_beads
    return {
        "n_ru": len(ru), "n_en": len(en), "windows": sum(len(x) for x in ru_side.emb + en_side.emb),
        "new": new, "load_s": t_load, "embed_s": t_embed, "align_s": t_align, "dp_s": t_vec, "beads_s": t_beads,
        "beads": len(beads), "band_cells": getattr(stats, "band_cells", 0),
        "rss_before_align_mb": rss_before_align,
        "peak_mb": max(peak_embed, peak_align) if can_reset else peak_align,
        "peak_embed_mb": peak_embed, "peak_align_mb": peak_align if can_reset else float("nan"),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000,50000", help="sentences per side, comma-separated")
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--threads", type=int, default=1,
                    help="BLAS threads of the encoder (default 1: on a busy machine more threads spin and "
                         "run many times slower; 0 = the encoder's own default)")
    ap.add_argument("--repeat-verbatim", action="store_true", help="repeat the cases without the numbered suffix")
    ap.add_argument("--fake-vectors", action="store_true",
                    help="memory probe: hash vectors of the encoder's size instead of embedding (timings meaningless)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    args = ap.parse_args()
    if not CASES.is_dir():
        print(f"bench_speed: {CASES} not found (it needs ../shared/eval)", file=sys.stderr)
        return 2
    if args.one:
        print(json.dumps(one(args.one, args.encoder, args.repeat_verbatim, args.threads, args.fake_vectors)))
        return 0

    if "ALIGNER_CACHE_DIR" not in os.environ:
        print("bench_speed: tip: set ALIGNER_CACHE_DIR to reuse embeddings between runs", file=sys.stderr)
    rows = {}
    header = (f"{'sents/side':>10} {'windows':>8} {'new':>7} {'embed s':>8} {'align s':>8} {'align sent/s':>12} "
              f"{'e2e sent/s':>10} {'peak RSS MB':>11} {'RSS@align':>9} {'align peak':>10}")
    print(header)
    print("-" * len(header))
    for n in [int(x) for x in args.sizes.split(",")]:
        cmd = [sys.executable, __file__, "--one", str(n), "--encoder", args.encoder, "--threads", str(args.threads)]
        if args.repeat_verbatim:
            cmd.append("--repeat-verbatim")
        if args.fake_vectors:
            cmd.append("--fake-vectors")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"{n:>10} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rows[n] = r
        print(f"{r['n_ru']:>10} {r['windows']:>8} {r['new']:>7} {r['embed_s']:>8.1f} {r['align_s']:>8.2f} "
              f"{r['n_ru'] / r['align_s']:>12,.0f} {r['n_ru'] / (r['embed_s'] + r['align_s']):>10,.0f} "
              f"{r['peak_mb']:>11,.0f} {r['rss_before_align_mb']:>9,.0f} {r['peak_align_mb']:>10,.0f}", flush=True)
    print("\nalign s = align_vectors + to_beads on precomputed vectors; sent/s counts one side; peak RSS = whole "
          "process (encoder included); RSS@align = resident when alignment starts (vectors held); align peak = "
          "highest RSS during alignment.")
    if 5000 in rows and 50000 in rows:
        ratio = rows[50000]["align_s"] / rows[5000]["align_s"]
        print(f"alignment time 50k/5k = {ratio:.1f} (linear would be 10; the bar is <= 12)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
