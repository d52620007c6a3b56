#!/usr/bin/env python3
"""Peak memory of ``aligner align`` on a hostile dump: lines alternate Russian and English, no post boundaries.

Such a dump is one "post" of hundreds of one-line blocks; block pairing must
stay near-linear on it (README "Limits and guarantees": well under 1 GB). Each
size runs the real CLI in a fresh process and prints its peak resident set
size (``getrusage`` of the child), the wall time and the pairs written.

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_memory.py [--lines 1000 2000 10000] [--encoder use]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO / "corpora"


def sentence_pairs() -> list[tuple[str, str]]:
    """Russian/English sentence pairs from the lighthouse sample (its paragraphs translate line by line)."""
    ru = [p for p in (CORPORA / "lighthouse_ru.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
    en = [p for p in (CORPORA / "lighthouse_en.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
    return list(zip(ru, en))


def alternating_dump(n_lines: int) -> str:
    """``n_lines`` lines, Russian and English in turn, each pair numbered so no two lines repeat."""
    pairs = sentence_pairs()
    lines: list[str] = []
    k = 0
    while len(lines) < n_lines:
        ru, en = pairs[k % len(pairs)]
        lines += [f"{ru} ({k + 1})", f"{en} ({k + 1})"]
        k += 1
    return "\n".join(lines[:n_lines]) + "\n"


def run_one(n_lines: int, encoder: str, workdir: Path) -> tuple[float, float, int, int]:
    """(peak RSS in MB, seconds, exit code, rows written) of one CLI run in a fresh process."""
    dump = workdir / f"alternating_{n_lines}.txt"
    dump.write_text(alternating_dump(n_lines), encoding="utf-8")
    out = workdir / f"alternating_{n_lines}.tsv"
    # A wrapper process per run, so RUSAGE_CHILDREN is this run's peak alone.
    code = (
        "import resource, subprocess, sys; "
        "rc = subprocess.call(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)"
    )
    cmd = [sys.executable, "-c", code, sys.executable, "-m", "aligner", "align", str(dump), "-o", str(out),
           "--encoder", encoder, "--force", "-q"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        print(proc.stderr.strip(), file=sys.stderr)
    peak_kb = int(proc.stdout.strip().splitlines()[-1])
    rows = max(0, len(out.read_text(encoding="utf-8").splitlines()) - 1) if out.exists() else 0
    return peak_kb / 1024.0, seconds, proc.returncode, rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, nargs="+", default=[1000, 2000, 10000])
    ap.add_argument("--encoder", default="use")
    a = ap.parse_args()
    print(f"{'lines':>7} {'peak RSS MB':>12} {'seconds':>8} {'exit':>5} {'pairs written':>14}")
    with tempfile.TemporaryDirectory(prefix="bench_memory_") as tmp:
        for n in a.lines:
            mb, sec, rc, rows = run_one(n, a.encoder, Path(tmp))
            print(f"{n:>7} {mb:>12.0f} {sec:>8.1f} {rc:>5} {rows:>14}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
