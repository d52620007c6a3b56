#!/usr/bin/env python3
"""A sentence-transformers encoder on a CUDA GPU against the CPU: same vectors, speed, same output.

For one encoder (default ``e5-small``, which must be installed first with
``aligner models install e5-small``), prints a table of:

- agreement: the same N texts embedded on cpu and on cuda; the largest absolute
  difference between the two vectors of a text and the smallest cosine between them;
- speed: texts per second on each device, model load and one warm-up batch excluded,
  no embedding cache;
- end to end: ``aligner align`` on the bundled lighthouse pair with ``--device cpu`` and
  ``--device cuda`` (``--no-cache``): whether both runs wrote the same pairs, and the
  largest difference between their scores.

The texts come from the repository's own ``corpora/`` (every non-empty line, numbered so
each text is new), so the script needs nothing outside the repository and can run on a
lent GPU machine. Without a CUDA GPU it says so and exits 0.

Usage:
    python scripts/bench_gpu.py [--encoder e5-small] [-n 4000] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def texts(n: int) -> list[str]:
    """``n`` distinct texts: the corpora's non-empty lines in turn, each with a running number."""
    lines = [ln.strip() for p in sorted((REPO / "corpora").glob("*.txt"))
             for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [f"{lines[k % len(lines)]} ({k})" for k in range(n)]


def timed_encode(spec: str, device: str, items: list[str], batch_size: int) -> tuple[np.ndarray, float]:
    from aligner.encoders import get_encoder

    enc = get_encoder(spec, device=device, cache=False)
    for e in (enc, getattr(enc, "inner", None)):  # e5-small wraps the sentence-transformers encoder
        if e is not None and hasattr(e, "batch_size"):
            e.batch_size = batch_size
    enc.encode(items[:batch_size])  # load the model and warm up kernels
    if device == "cuda":
        import torch

        torch.cuda.synchronize()
    t0 = time.perf_counter()
    vecs = enc.encode(items)
    return vecs, len(items) / (time.perf_counter() - t0)


def run_cli(spec: str, device: str, out: Path) -> list[dict]:
    cmd = [sys.executable, "-m", "aligner", "align", str(REPO / "corpora" / "lighthouse_ru.txt"),
           str(REPO / "corpora" / "lighthouse_en.txt"), "-o", str(out), "--format", "jsonl",
           "--encoder", spec, "--device", device, "--no-cache", "--force", "-q"]
    subprocess.run(cmd, check=True)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="e5-small", help="encoder spec (a sentence-transformers one)")
    ap.add_argument("-n", type=int, default=4000, help="texts embedded on each device (default 4000)")
    ap.add_argument("--batch-size", type=int, default=64)
    a = ap.parse_args()

    import torch

    if not torch.cuda.is_available():
        print("no CUDA GPU visible to torch: nothing to compare (run this on a GPU machine)")
        return
    print(f"GPU: {torch.cuda.get_device_name(0)}; torch {torch.__version__}; CPU threads {torch.get_num_threads()}")
    items = texts(a.n)
    cpu, cpu_rate = timed_encode(a.encoder, "cpu", items, a.batch_size)
    gpu, gpu_rate = timed_encode(a.encoder, "cuda", items, a.batch_size)
    cos = np.einsum("kd,kd->k", cpu, gpu)
    with tempfile.TemporaryDirectory() as tmp:
        c = run_cli(a.encoder, "cpu", Path(tmp) / "cpu.jsonl")
        g = run_cli(a.encoder, "cuda", Path(tmp) / "cuda.jsonl")
    same = [(r["ru"], r["en"]) for r in c] == [(r["ru"], r["en"]) for r in g]
    score_diff = max((abs(x["score"] - y["score"]) for x, y in zip(c, g)), default=0.0)

    print(f"| {a.encoder} | cpu | cuda |")
    print("|---|---|---|")
    print(f"| texts/s ({a.n} texts, batch {a.batch_size}) | {cpu_rate:,.0f} | {gpu_rate:,.0f} |")
    print(f"| max abs difference of vectors | | {float(np.abs(cpu - gpu).max()):.2e} |")
    print(f"| min cosine cpu vs cuda vector | | {float(cos.min()):.6f} |")
    print(f"| aligner align lighthouse: pairs | {len(c)} | {len(g)} ({'same pairs' if same else 'DIFFERENT pairs'}) |")
    print(f"| max score difference | | {score_diff:.2e} |")


if __name__ == "__main__":
    main()
