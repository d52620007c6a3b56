#!/usr/bin/env python3
"""Do the bead filters earn their defaults, and how precise is what gets written?

Over the dev cases (``--split``: or the held-out ones, as split by
bench_quality.is_dev) of ../shared/eval/cases (wmt23, ntrex, flores; natural and
``__pert``), each document is aligned twice: pre-split (the gold's sentence
lines) and raw (``ru.raw.txt``/``en.raw.txt`` read, split, given paragraphs and
partner splits as ``aligner align`` does, ``bench_quality.align_raw``; each of our
sentences maps to the gold lines its characters overlap). A bead is
*correct* when all its sentences lie inside one gold link (a 1-0/0-1 bead:
when all its sentences are gold 1-0/0-1 links); on raw text, whose sentences
may span two gold lines, when every gold link it touches is touched on both
sides (a 1-1 link is never split from its partner, no gold 1-0 sentence rides along).

Tables printed:
1. per filter (each rule run on its own, enabled, other settings default):
   pairs it drops and how many of those are wrong; a rule earns its default
   only if >= 90 % of what it drops is wrong;
2. written pairs at default settings: precision (correct / written) and
   recall (correct written / correct pairs the aligner produced), per set;
3. the wrong pairs written on ``__pert`` documents by where they come from: the
   segmenter (a sentence of ours spans two gold lines), or the aligner (a merged bead,
   a 1-1 bead);
4. a ``--min-score`` sweep of the precision and recall.

With ``--gold SPLIT`` it prints instead, without aligning anything, each rule
on the gold's own pairs (all correct) and on shifted pairs (wrong by
construction), over every case of the split.

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_filters.py [--split dev|heldout|all]
        [--filter REGEX] [--show N] [--modes presplit,raw] [--save F | --load F]
    python scripts/bench_filters.py --gold all
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench_quality import CASES, align_raw, case_ids, is_dev, load_score_module, read_case, read_raw  # noqa: E402

SETS = ("wmt23", "ntrex", "flores")
SWEEP = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
EARN = 0.90  # share of its drops that must be wrong for a rule to be on by default


def gold_spans(text: str, lines: list[str]) -> list[tuple[int, int]]:
    """Where each gold sentence line sits in the raw text, found in order.

    (meta.json's spans drift by one character per paragraph break, so they are
    recomputed.) A line that cannot be found gets an empty span at the cursor.
    """
    from aligner.readers.encoding import normalise

    spans, pos = [], 0
    for line in lines:
        line = normalise(line)  # as the reader normalised the raw text (zero-width spaces out, NFC)
        k = text.find(line.strip(), pos)
        if k < 0:
            spans.append((pos, pos))
            continue
        spans.append((k, k + len(line.strip())))
        pos = k + len(line.strip())
    return spans


def gold_ids(case_id: str, side: str, sents: list[str]) -> list[tuple[int, ...]]:
    """For each of our sentences of the raw text (in order), the gold line ids it overlaps.

    Our sentences quote the file as written (``pipeline.as_written_beads``: no-break and
    zero-width spaces kept); normalised, each is a substring of the reader's text, in order.
    """
    from aligner.readers.encoding import normalise

    text = read_raw(case_id)[0 if side == "src" else 1]
    ru, en, _ = read_case(case_id)
    spans = gold_spans(text, ru if side == "src" else en)
    ids, pos = [], 0
    for sent in sents:
        sent = normalise(sent)
        s = text.find(sent, pos)
        if s < 0:  # (never: normalised sentences are substrings of the text, in order)
            s = pos
        e = s + len(sent)
        ids.append(tuple(k for k, (ga, gb) in enumerate(spans) if ga < e and s < gb))
        pos = e
    return ids


class Gold:
    """Which gold link each sentence is in, and which sentences are gold 1-0/0-1."""

    def __init__(self, links) -> None:
        self.link_of: dict[tuple[str, int], int] = {}
        self.null: set[tuple[str, int]] = set()
        for k, (a, b) in enumerate(links):
            for i in a:
                self.link_of[("r", i)] = k
            for j in b:
                self.link_of[("e", j)] = k
            if not a or not b:
                self.null.update(("r", i) for i in a)
                self.null.update(("e", j) for j in b)

    def correct(self, ru_gold: set[int], en_gold: set[int], whole_links: bool = False) -> bool:
        """Inside one gold link; with ``whole_links`` (raw text, whose sentences may span
        several gold lines) every gold link the bead touches must be touched on both sides."""
        keys = [("r", i) for i in ru_gold] + [("e", j) for j in en_gold]
        if not keys:
            return False
        if not ru_gold or not en_gold:
            return all(k in self.null for k in keys)
        ru_links = {self.link_of.get(("r", i), -1) for i in ru_gold}
        en_links = {self.link_of.get(("e", j), -1) for j in en_gold}
        if whole_links:
            return ru_links == en_links and -1 not in ru_links
        return len(ru_links | en_links) == 1 and -1 not in ru_links


def align_case(case_id: str, mode: str, encoder, gold_links) -> list[tuple[object, bool, str]]:
    """The case's beads (before any filter), each with its correctness and where a wrong
    bead would come from (the segmenter, or the aligner's merged / 1-1 beads)."""
    from aligner.align import align_sentences

    if mode == "presplit":
        ru, en, _ = read_case(case_id)
        ru_map = [(i,) for i in range(len(ru))]
        en_map = [(j,) for j in range(len(en))]
        beads = align_sentences(ru, en, encoder=encoder)
    else:  # read, split, paragraphs and partner splits as ``aligner align`` (bench_quality.align_raw)
        ru, en, beads = align_raw(case_id, encoder, None)
        ru_map, en_map = gold_ids(case_id, "src", ru), gold_ids(case_id, "tgt", en)
    gold = Gold(gold_links)
    out = []
    for b in beads:
        rg = {g for i in b.ru_ids for g in ru_map[i]}
        eg = {g for j in b.en_ids for g in en_map[j]}
        ok = gold.correct(rg, eg, whole_links=mode == "raw")
        maps = [ru_map[i] for i in b.ru_ids] + [en_map[j] for j in b.en_ids]
        if any(len(g) != 1 for g in maps):
            cause = "segmenter"  # a sentence of ours spans two gold lines (or none)
        elif len(b.ru_ids) > 1 or len(b.en_ids) > 1:
            cause = "aligner, merged bead"
        else:
            cause = "aligner, 1-1 bead"
        out.append((b, ok, cause))
    return out


def enabled(name: str):
    """Default settings with rule ``name`` switched on (so a rule that is off is still measured)."""
    from aligner.filters import FilterConfig

    switch = {"numbers": {"check_numbers": True}, "untranslated": {"drop_untranslated": True},
              "wrong_language": {"check_language": True}, "url_only": {"drop_url_only": True},
              "emoji_only": {"drop_emoji_only": True}, "length_ratio": {"max_length_ratio": 3.0},
              "weak_piece": {"min_piece_sim": 0.0}}
    base = FilterConfig()
    if (name == "length_ratio" and base.max_length_ratio is not None) or (
            name == "weak_piece" and base.min_piece_sim is not None):
        return base
    return replace(base, **switch.get(name, {}))


def filter_table(results: dict, show: int, split: str = "dev") -> None:
    from aligner.filters import RULES, FilterConfig

    base = FilterConfig()
    cols = [f"{m} {v}" for m in ("presplit", "raw") for v in ("natural", "__pert")]
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    examples: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for (mode, cid), beads in results.items():
        col = f"{mode} {'__pert' if cid.endswith('__pert') else 'natural'}"
        for bead, ok, *_ in beads:
            if bead.is_null:
                counts[("unaligned", col)][0] += 1
                counts[("unaligned", col)][1] += not ok
                continue
            for name, rule in RULES:
                if name == "score":
                    continue
                if rule(bead, enabled(name)):
                    counts[(name, col)][0] += 1
                    counts[(name, col)][1] += not ok
                    if ok and len(examples[name]) < show:
                        examples[name].append((cid, bead.ru, bead.en))
    default_on = {"numbers": base.check_numbers, "untranslated": base.drop_untranslated,
                  "wrong_language": base.check_language, "url_only": base.drop_url_only,
                  "emoji_only": base.drop_emoji_only, "length_ratio": base.max_length_ratio is not None,
                  "unaligned": not base.keep_unaligned, "too_short": base.min_chars > 0,
                  "too_long": base.max_chars is not None, "weak_piece": base.min_piece_sim is not None}
    print(f"\n== Filters: pairs each rule drops on its own / of them wrong by the gold ({split} cases)")
    print(f"| {'filter':14} | {'default':7} | " + " | ".join(f"{c:>16}" for c in cols)
          + f" | {'all':>16} | {'wrong %':>7} | earns? |")
    print("|" + "|".join("-" * w for w in [16, 9] + [18] * 5 + [9, 8]) + "|")
    names = ["unaligned"] + [n for n, _ in RULES if n != "score"]
    for name in names:
        cells, tot = [], [0, 0]
        for c in cols:
            d, w = counts[(name, c)]
            tot[0] += d
            tot[1] += w
            cells.append(f"{d:>7} / {w:<6}")
        pct = 100.0 * tot[1] / tot[0] if tot[0] else float("nan")
        earns = "-" if not tot[0] else ("yes" if tot[1] >= EARN * tot[0] else "NO")
        print(f"| {name:14} | {'on' if default_on.get(name) else 'off':7} | " + " | ".join(f"{x:>16}" for x in cells)
              + f" | {tot[0]:>7} / {tot[1]:<6} | {pct:7.1f} | {earns:6} |")
    print("(unaligned: 1-0/0-1 beads, a format choice (--keep-unaligned), counted wrong unless the gold has them "
          "unaligned too)")
    for name, ex in examples.items():
        print(f"\ncorrect pairs dropped by {name} (first {len(ex)}):")
        for cid, ru, en in ex:
            print(f"  [{cid}] {ru[:150]!r}\n      {en[:150]!r}")


def written(results: dict, min_score: float, col_of) -> dict[str, list[int]]:
    """Per set: [written, correct written, correct before filtering] at default filters."""
    from aligner.filters import FilterConfig, apply_filters

    cfg = FilterConfig(min_score=min_score)
    acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, beads in results.items():
        col = col_of(key)
        if col is None:
            continue
        ok_of = {id(b): ok for b, ok, *_ in beads}
        kept, _ = apply_filters([b for b, *_ in beads], cfg)
        a = acc[col]
        a[0] += sum(not b.is_null for b in kept)
        a[1] += sum(ok_of[id(b)] for b in kept if not b.is_null)
        a[2] += sum(ok for b, ok, *_ in beads if not b.is_null)
    return acc


def precision_tables(results: dict) -> None:
    from aligner.filters import apply_filters

    def by_set(key):
        mode, cid = key
        return f"{mode} {cid.split('_')[0]} {'__pert' if cid.endswith('__pert') else 'natural'}"

    def pert_only(key):
        mode, cid = key
        return f"{mode} __pert" if cid.endswith("__pert") else None

    fmt = lambda a: (f"{a[0]:>6} | {a[1]:>6} | {100.0 * a[1] / a[0] if a[0] else 0:7.2f} | "
                     f"{100.0 * a[1] / a[2] if a[2] else 0:7.2f}")
    print("\n== Written pairs at default settings (precision = correct / written; "
          "recall = correct written / correct pairs aligned)")
    print(f"| {'set':26} | {'pairs':>6} | {'right':>6} | {'P %':>7} | {'R %':>7} |")
    print("|" + "|".join("-" * w for w in (28, 8, 8, 9, 9)) + "|")
    rows = written(results, 0.0, by_set)
    for k in sorted(rows):
        print(f"| {k:26} | {fmt(rows[k])} |")
    for k, a in sorted(written(results, 0.0, pert_only).items()):
        print(f"| {'ALL ' + k:26} | {fmt(a)} |")
    causes: dict[tuple[str, str], int] = defaultdict(int)
    for key, beads in results.items():
        col = pert_only(key)
        if col is None:
            continue
        kept = {id(b) for b in apply_filters([b for b, *_ in beads])[0]}
        for b, ok, *cause in beads:
            if id(b) in kept and not b.is_null and not ok:
                causes[(col, cause[0] if cause else "?")] += 1
    print("\n== Wrong pairs written at default settings on __pert documents, by where they come from")
    print(f"| {'cause':22} | {'presplit':>8} | {'raw':>8} |")
    print("|" + "|".join("-" * w for w in (24, 10, 10)) + "|")
    for cause in sorted({c for _, c in causes}):
        print(f"| {cause:22} | {causes[('presplit __pert', cause)]:8} | {causes[('raw __pert', cause)]:8} |")
    print("\n== --min-score sweep on __pert documents (presplit | raw)")
    print(f"| {'min-score':>9} | {'P % pre':>7} | {'R % pre':>7} | {'P % raw':>7} | {'R % raw':>7} |")
    print("|" + "|".join("-" * w for w in (11, 9, 9, 9, 9)) + "|")
    for t in SWEEP:
        r = written(results, t, pert_only)
        cells = []
        for m in ("presplit __pert", "raw __pert"):
            a = r.get(m, [0, 0, 0])
            cells += [100.0 * a[1] / a[0] if a[0] else 0.0, 100.0 * a[1] / a[2] if a[2] else 0.0]
        print(f"| {t:9.2f} | " + " | ".join(f"{c:7.2f}" for c in cells) + " |")


def gold_table(score, split: str) -> None:
    """Each rule on the gold's own pairs (all correct) and on shifted pairs (ru of link k, en of link k+1: wrong).

    Needs no alignment, so it covers every case of the split; it shows how many
    correct translations a rule would drop if the aligner were perfect, and how
    many plainly wrong pairs it catches.
    """
    from aligner.filters import RULES
    from aligner.model import Bead

    ids = [c for c in case_ids() if c.split("_")[0] in SETS and (split == "all" or is_dev(c) == (split == "dev"))]
    good: list[Bead] = []
    bad: list[Bead] = []
    for cid in ids:
        ru, en, _ = read_case(cid)
        links = [(a, b) for a, b in score.read_alignments(CASES / cid / "gold.tsv") if a and b]
        for k, (a, b) in enumerate(links):
            good.append(Bead(tuple(a), tuple(b), " ".join(ru[i] for i in a), " ".join(en[j] for j in b), 1.0))
            if k + 1 < len(links):
                b2 = links[k + 1][1]
                bad.append(Bead(tuple(a), tuple(b2), good[-1].ru, " ".join(en[j] for j in b2), 1.0))
    print(f"\n== Filters on gold pairs ({len(ids)} {split} cases, pre-split): correct pairs dropped, "
          f"and shifted (wrong) pairs caught")
    print(f"| {'filter':14} | {'correct dropped':>15} | {'of':>6} | {'wrong caught':>12} | {'of':>6} |")
    print("|" + "|".join("-" * w for w in (16, 17, 8, 14, 8)) + "|")
    for name, rule in RULES:
        if name in ("score", "weak_piece"):  # both read what the aligner computed; gold pairs have neither
            continue
        cfg = enabled(name)
        g = sum(rule(b, cfg) for b in good)
        w = sum(rule(b, cfg) for b in bad)
        print(f"| {name:14} | {g:15} | {len(good):6} | {w:12} | {len(bad):6} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    ap.add_argument("--filter", help="regex over case ids")
    ap.add_argument("--modes", default="presplit,raw")
    ap.add_argument("--show", type=int, default=8, help="correct pairs each filter dropped, to print")
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--save", type=Path, help="pickle the aligned beads here (to re-run the tables with --load)")
    ap.add_argument("--load", type=Path, help="skip aligning: read beads pickled by --save")
    ap.add_argument("--gold", choices=("dev", "heldout", "all"),
                    help="only the table of each rule on the gold's pairs of this split (no alignment)")
    a = ap.parse_args()
    if not CASES.is_dir():
        sys.exit(f"bench_filters: {CASES} not found; this benchmark needs ../shared/eval")
    from aligner.encoders import get_encoder

    score = load_score_module()
    if a.gold:
        gold_table(score, a.gold)
        return
    encoder = get_encoder(a.encoder, cache=True)
    ids = [c for c in case_ids(a.filter) if c.split("_")[0] in SETS]
    if a.split != "all":
        ids = [c for c in ids if is_dev(c) == (a.split == "dev")]
    results = {}
    if a.load:
        import pickle

        results = pickle.loads(a.load.read_bytes())
        ids = sorted({cid for _, cid in results})
    for mode in [] if a.load else a.modes.split(","):
        for n, cid in enumerate(ids):
            print(f"\r{mode}: {n + 1}/{len(ids)} {cid:40}", end="", file=sys.stderr, flush=True)
            gold = score.read_alignments(CASES / cid / "gold.tsv")
            results[(mode, cid)] = align_case(cid, mode, encoder, gold)
    print(file=sys.stderr)
    if a.save:
        import pickle

        a.save.write_bytes(pickle.dumps(results))
    print(f"{len(ids)} cases ({a.split}), modes {a.modes}, encoder {a.encoder}")
    filter_table(results, a.show, a.split)
    precision_tables(results)


if __name__ == "__main__":
    main()
