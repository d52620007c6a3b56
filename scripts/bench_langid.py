#!/usr/bin/env python3
"""Language ID per language on full sentences and on 3-word snippets.

Russian and English: the sentence lines of ../shared/eval/cases (wmt23 and
ntrex, natural variants; real news text). Other Cyrillic languages (bg, mk,
sr, kk, ky, tt, tg, mn, uk, be): tests/data/langid_cyrillic.tsv, sentences
written for this project (no corpus of those languages ships with an
installed package, and data sets are not downloaded), so their figures are
indicative, not a held-out measurement.

A snippet is 3 consecutive whitespace words, taken at every third word of a
sentence. The expected label is ``ru`` for Russian, ``en`` for English and
``other`` for the rest.

Usage:
    python scripts/bench_langid.py [--max-lines 3000]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CASES = REPO.parent / "shared" / "eval" / "cases"
OTHER = REPO / "tests" / "data" / "langid_cyrillic.tsv"


def eval_lines(lang: str, limit: int) -> list[str]:
    """Sentence lines of one side of the natural wmt23 and ntrex cases."""
    lines: list[str] = []
    for d in sorted(CASES.glob("*")):
        if d.name.endswith("__pert") or not d.name.startswith(("wmt23_", "ntrex_")):
            continue
        lines += [s for s in (d / f"{lang}.txt").read_text(encoding="utf-8").split("\n") if s.strip()]
    return lines[:limit]


def written_lines() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for line in OTHER.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            out[lang].append(text)
    return out


def snippets(sentence: str, n: int = 3) -> list[str]:
    words = sentence.split()
    return [" ".join(words[k:k + n]) for k in range(0, max(len(words) - n + 1, 1), n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-lines", type=int, default=3000, help="Russian/English lines to take from the cases")
    a = ap.parse_args()
    from aligner.langid import detect

    data = written_lines()
    if CASES.is_dir():
        data = {"ru": eval_lines("ru", a.max_lines), "en": eval_lines("en", a.max_lines), **data}
    else:
        print(f"({CASES} not found: Russian and English rows are missing)")
    print("| lang | want  | full n | full right % | full as ru % | 3-word n | 3-word right % | 3-word as ru % |")
    print("|------|-------|--------|--------------|--------------|----------|----------------|----------------|")
    t0 = time.perf_counter()
    for lang, lines in data.items():
        want = lang if lang in ("ru", "en") else "other"
        row = [lang, want]
        for texts in (lines, [s for line in lines for s in snippets(line)]):
            got = Counter(detect(t) for t in texts)
            row += [len(texts), 100.0 * got[want] / len(texts), 100.0 * got["ru"] / len(texts)]
        print("| {:4} | {:5} | {:6} | {:12.2f} | {:12.2f} | {:8} | {:14.2f} | {:14.2f} |".format(*row))
    print(f"({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
