"""Boundary agreement of our sentence splitter with the eval cases' sentence lines.

For each case in ``../shared/eval/cases`` (natural variants of wmt23, ntrex and
flores; the ``__pert`` copies and the de-fr Text+Berg are skipped) we split
``{lang}.raw.txt`` and compare with the lines of ``{lang}.txt``.

A boundary is a character offset in the document with all whitespace removed,
so spacing differences never count. Line breaks of the raw text (paragraph
breaks) are boundaries on both sides by construction and are left out, so the
figures measure only the splitter's own decisions. "R punct" is the recall on
gold boundaries right after terminal punctuation: most other gold boundaries
are headlines run into the first sentence ("Вулкан покрыл пеплом Мехико Вулкан
Попокатепетль ..."), which no splitter can see.

The gold lines come from a simple regex splitter run inside human-aligned
segments, so a disagreement is a place to look, not always our error.

Usage:
    python scripts/segment_agreement.py [--cases DIR] [--show N]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from aligner.segment import split_sentences

DEFAULT_CASES = REPO.parent / "shared" / "eval" / "cases"
PREFIXES = ("wmt23", "ntrex", "flores", "bilinguator")
_WS = re.compile(r"\s+")
_AFTER_PUNCT = re.compile(r"[.!?…][»\"”’')\]]*$")


def _offsets(pieces: list[str]) -> tuple[set[int], str]:
    """Boundaries between ``pieces`` as offsets in their whitespace-free concatenation."""
    cuts, pos, parts = set(), 0, []
    for piece in pieces:
        squeezed = _WS.sub("", piece)
        if not squeezed:
            continue
        parts.append(squeezed)
        pos += len(squeezed)
        cuts.add(pos)
    cuts.discard(pos)  # the document's end is not a decision
    return cuts, "".join(parts)


def case_boundaries(
    raw: str, gold_lines: list[str], lang: str
) -> tuple[set[int], set[int], set[int]]:
    """(predicted, gold, forced) boundary offsets for one document.

    ``forced`` are the raw text's line breaks; callers leave them out.
    """
    pred, pred_text = _offsets(split_sentences(raw, lang, opens_document=True))
    gold, gold_text = _offsets(gold_lines)
    forced, _ = _offsets(raw.split("\n"))
    if pred_text != gold_text:
        raise ValueError("raw text and sentence lines differ beyond whitespace")
    return pred, gold, forced


def _cases(cases_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in cases_dir.iterdir()
        if p.is_dir() and "__pert" not in p.name and p.name.startswith(PREFIXES)
    )


def boundary_agreement(cases_dir: Path, lang: str) -> dict:
    """Agreement of ``split_sentences`` with the gold sentence lines, per dataset prefix.

    Args:
        cases_dir: the ``eval/cases`` folder.
        lang: "ru" or "en" (which side of each case to split).

    Returns:
        ``{prefix: {"docs", "gold", "pred", "tp", "precision", "recall", "f1",
        "recall_punct", "identical", ...}}`` for each prefix in PREFIXES that has
        cases, plus "all". "recall_punct" is the recall on gold boundaries after
        terminal punctuation; "identical" is the share of documents whose
        segmentation matches exactly. Nothing is printed.
    """
    counts: dict[str, dict[str, int]] = {}
    for case in _cases(Path(cases_dir)):
        raw_path, gold_path = case / f"{lang}.raw.txt", case / f"{lang}.txt"
        if not raw_path.is_file() or not gold_path.is_file():
            continue
        raw = raw_path.read_text(encoding="utf-8")
        gold_lines = gold_path.read_text(encoding="utf-8").split("\n")
        pred, gold, forced = case_boundaries(raw, gold_lines, lang)
        pred, gold = pred - forced, gold - forced
        _, squeezed = _offsets([raw])
        gold_punct = {
            pos for pos in gold if _AFTER_PUNCT.search(squeezed[max(0, pos - 4) : pos])
        }
        prefix = case.name.split("_", 1)[0]
        for key in (prefix, "all"):
            c = counts.setdefault(
                key,
                {
                    "docs": 0,
                    "gold": 0,
                    "pred": 0,
                    "tp": 0,
                    "identical": 0,
                    "gold_punct": 0,
                    "tp_punct": 0,
                },
            )
            c["docs"] += 1
            c["gold"] += len(gold)
            c["pred"] += len(pred)
            c["tp"] += len(pred & gold)
            c["identical"] += pred == gold
            c["gold_punct"] += len(gold_punct)
            c["tp_punct"] += len(pred & gold_punct)
    result = {}
    for key, c in counts.items():
        p = c["tp"] / c["pred"] if c["pred"] else 1.0
        r = c["tp"] / c["gold"] if c["gold"] else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rp = c["tp_punct"] / c["gold_punct"] if c["gold_punct"] else 1.0
        result[key] = {
            **c,
            "precision": p,
            "recall": r,
            "f1": f,
            "recall_punct": rp,
            "identical": c["identical"] / c["docs"],
        }
    return result


def format_table(tables: dict[str, dict]) -> str:
    """One row per (dataset prefix, language) from ``{lang: boundary_agreement(...)}``."""
    rows = [
        f"{'set':<12}{'lang':<6}{'docs':>6}{'gold':>7}{'pred':>7}{'P':>8}{'R':>8}{'F1':>8}{'R punct':>9}{'same doc':>10}"
    ]
    for lang, table in tables.items():
        for key in (*PREFIXES, "all"):
            if key not in table:
                continue
            t = table[key]
            rows.append(
                f"{key:<12}{lang:<6}{t['docs']:>6}{t['gold']:>7}{t['pred']:>7}"
                f"{t['precision']:>8.3f}{t['recall']:>8.3f}{t['f1']:>8.3f}{t['recall_punct']:>9.3f}{t['identical']:>9.1%}"
            )
    return "\n".join(rows)


def disagreements(cases_dir: Path, lang: str, limit: int) -> list[str]:
    """Up to ``limit`` lines showing missed (-) and extra (+) boundaries in context."""
    out: list[str] = []
    for case in _cases(Path(cases_dir)):
        raw = (case / f"{lang}.raw.txt").read_text(encoding="utf-8")
        gold_lines = (case / f"{lang}.txt").read_text(encoding="utf-8").split("\n")
        pred, gold, forced = case_boundaries(raw, gold_lines, lang)
        _, squeezed = _offsets([raw])
        for pos in sorted((pred ^ gold) - forced):
            sign = "+" if pos in pred else "-"
            out.append(
                f"{sign} {case.name}: {squeezed[max(0, pos - 40) : pos]}|{squeezed[pos : pos + 30]}"
            )
            if len(out) >= limit:
                return out
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument(
        "--show", type=int, default=0, help="also print N disagreements per language"
    )
    args = ap.parse_args(argv)
    if not args.cases.is_dir():
        print(f"no cases at {args.cases}", file=sys.stderr)
        return 2
    tables = {lang: boundary_agreement(args.cases, lang) for lang in ("ru", "en")}
    print(
        "Sentence boundary agreement with the cases' sentence lines (line breaks excluded)"
    )
    print(format_table(tables))
    for lang in ("ru", "en") if args.show else ():
        print(f"\n{lang}: missed (-) and extra (+) boundaries, whitespace removed")
        print("\n".join(disagreements(args.cases, lang, args.show)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
