"""How fast the review editor opens, scrolls and edits a large alignment, in Debian's Chromium.

Writes synthetic alignments of N beads (lighthouse sentences, 1-1 / 2-1 /
1-0 mix, scores spread over [0, 1], some dropped), serves each with
``aligner review``, and measures in a headless Chromium through Playwright:

- start: ``aligner review`` launched until it prints its URL (reads the JSONL, replays the journal), ms;
- open: navigation start until the page has drawn its rows (``data-ready``), ms;
- scroll: frame times while scrolling the whole list in 120 steps (median, p95, worst), ms,
  and the page's own drawing work per frame (p95), ms: the part that does not depend on machine load;
- rows in DOM: how many rows exist at once (virtualised: independent of N);
- edit: a merge in the middle, click to redrawn page, ms (median of 5).

The target (issue 13): 5,000 beads open in under 2 s and scroll smoothly (frames well under 50 ms).

Usage:
    python scripts/bench_review.py [--sizes 500 5000 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.review.browser import browser_page, chromium_missing, review_server  # noqa: E402

SCROLL_JS = """async () => {
  const list = document.getElementById('list');
  const steps = 120, times = [];
  const span = list.scrollHeight - list.clientHeight;
  let last = performance.now();
  for (let k = 1; k <= steps; k++) {
    list.scrollTop = span * k / steps;
    await new Promise(r => requestAnimationFrame(r));
    const now = performance.now(); times.push(now - last); last = now;
  }
  const work = window.renderStats.ms.slice(-steps).sort((a, b) => a - b);
  return {times, rows: document.querySelectorAll('#rows .row').length, work_p95: work[Math.floor(0.95 * (work.length - 1))]};
}"""


def synthetic(n: int, path: Path, seed: int = 0) -> None:
    """``n`` beads of sentences from the lighthouse sample, in one group, as ``aligner align`` writes them."""
    rng = random.Random(seed)
    ru = [s for s in (REPO / "corpora" / "lighthouse_ru.txt").read_text(encoding="utf-8").split("\n") if s.strip()]
    en = [s for s in (REPO / "corpora" / "lighthouse_en.txt").read_text(encoding="utf-8").split("\n") if s.strip()]
    r = e = 0
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(n):
            kind = rng.choices([(1, 1), (2, 1), (1, 2), (1, 0), (0, 1)], [90, 4, 3, 2, 1])[0]
            rs = [rng.choice(ru) for _ in range(kind[0])]
            es = [rng.choice(en) for _ in range(kind[1])]
            score = 0.0 if 0 in kind else round(rng.betavariate(8, 1), 4)
            rec = {"ru": " ".join(rs), "en": " ".join(es), "score": score, "ru_ids": list(range(r, r + kind[0])),
                   "en_ids": list(range(e, e + kind[1])), "kind": f"{kind[0]}-{kind[1]}", "doc": "synthetic.txt"}
            if kind[0] > 1:
                rec["ru_sents"] = rs
            if kind[1] > 1:
                rec["en_sents"] = es
            rec["features"] = {}
            if 0 in kind:
                rec["dropped"] = "unaligned"
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            r, e = r + kind[0], e + kind[1]


def measure(n: int, tmp: Path) -> dict:
    path = tmp / f"bench{n}.jsonl"
    synthetic(n, path)
    t_start = time.perf_counter()
    with review_server(path) as url:
        start_ms = (time.perf_counter() - t_start) * 1000
        with browser_page(1400, 900) as page:
            page.goto(url)
            page.wait_for_selector("body[data-ready='1']", timeout=60000)
            page.wait_for_selector(".row")
            open_ms = page.evaluate("performance.now()")
            scroll = page.evaluate(SCROLL_JS)
            frames = sorted(scroll["times"])
            edits = []
            page.locator("#list").focus()
            page.evaluate(f"select({n // 2})")
            for _ in range(5):
                t0 = time.perf_counter()
                before = page.locator("#counters").inner_text()
                page.locator("button[data-action='merge']").click()
                page.wait_for_function("b => document.getElementById('counters').textContent !== b", arg=before)
                edits.append((time.perf_counter() - t0) * 1000)
    return {"beads": n, "start_ms": start_ms, "open_ms": open_ms, "frame_med": statistics.median(frames),
            "frame_p95": frames[int(0.95 * (len(frames) - 1))], "frame_max": frames[-1],
            "rows": scroll["rows"], "work_p95": scroll["work_p95"], "edit_ms": statistics.median(edits)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    args = parser.parse_args()
    why = chromium_missing()
    if why:
        print(why, file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            rows.append(measure(n, Path(tmp)))
    print(f"{'beads':>7} {'start ms':>9} {'open ms':>8} {'frame med':>10} {'frame p95':>10} {'frame max':>10} {'draw p95':>9} {'rows in DOM':>12} {'edit ms':>8}")
    for r in rows:
        print(f"{r['beads']:>7} {r['start_ms']:>9.0f} {r['open_ms']:>8.0f} {r['frame_med']:>10.1f} {r['frame_p95']:>10.1f} "
              f"{r['frame_max']:>10.1f} {r['work_p95']:>9.1f} {r['rows']:>12} {r['edit_ms']:>8.0f}")
    ok = all(r["open_ms"] < 2000 for r in rows if r["beads"] <= 5000)
    print("target (5,000 beads open < 2000 ms):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
