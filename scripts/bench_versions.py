#!/usr/bin/env python3
"""End-to-end speed of two versions of the aligner on the same cases (is a new version slower?).

Each git revision is checked out into a temporary worktree and timed in its own
process: ``align_sentences`` (the ``use`` encoder through the embedding cache, then
the aligner) over every case in ``../shared/eval/cases``, pre-split. The first pass
warms the cache and is not counted; the best of ``--repeat`` timed passes is printed.
Both versions embed the same windows (1..4 sentences), so with a warm cache the
difference is the aligner's own work; a cold cache adds the same embedding time to both.

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_versions.py [--base e6b7976] [--head HEAD] [--repeat 2]

``e6b7976`` is the first aligner (the foundation issue's v1).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CASES = REPO.parent / "shared" / "eval" / "cases"

# Runs inside the worktree's process. The worktree goes first on sys.path, and an editable
# install of another checkout (a meta-path finder) must not win over it.
# The cases are read with this checkout's bench_quality (imported after the worktree's aligner,
# which it then leaves in place).
CHILD = r"""
import json, sys, time
root, scripts, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, root)
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__name__.lower()]
import aligner
from aligner.align import align_sentences
from aligner.encoders import get_encoder
assert aligner.__file__.startswith(root), aligner.__file__
sys.path.append(scripts)
import bench_quality
docs = [bench_quality.read_case(c)[:2] for c in bench_quality.case_ids()]
assert aligner.__file__.startswith(root), aligner.__file__
enc = get_encoder("use", cache=True)
for src, tgt in docs:  # warm-up: model loaded, every window in the cache
    align_sentences(src, tgt, encoder=enc)
n = sum(len(s) + len(t) for s, t in docs)
best = float("inf")
for _ in range(repeat):
    t0 = time.perf_counter()
    for src, tgt in docs:
        align_sentences(src, tgt, encoder=enc)
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"cases": len(docs), "sentences": n, "seconds": best}))
"""


def time_revision(rev: str, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        wt = Path(tmp) / "wt"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(wt), rev], check=True)
        try:
            out = subprocess.run([sys.executable, "-c", CHILD, str(wt), str(REPO / "scripts"), str(repeat)],
                                 check=True, capture_output=True, text=True).stdout
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(wt)], check=True)
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="e6b7976", help="the reference revision (default: the first aligner)")
    ap.add_argument("--head", default="HEAD")
    ap.add_argument("--repeat", type=int, default=2, help="timed passes per revision; the best is kept")
    a = ap.parse_args()
    if not CASES.is_dir():
        sys.exit(f"no eval cases at {CASES}")
    rows = [(rev, time_revision(rev, a.repeat)) for rev in (a.base, a.head)]
    base_s = rows[0][1]["seconds"]
    print(f"| revision | cases | sentences | seconds | sent/s | vs {a.base} |")
    print("|---|---|---|---|---|---|")
    for rev, r in rows:
        print(f"| {rev} | {r['cases']} | {r['sentences']} | {r['seconds']:.2f} | {r['sentences'] / r['seconds']:,.0f} "
              f"| {r['seconds'] / base_s:.2f}x |")


if __name__ == "__main__":
    main()
