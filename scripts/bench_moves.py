#!/usr/bin/env python3
"""Reordered and deleted sentences on the dev split: a synthetic benchmark for the passes that give up order.

The real cases hold few sentences that a translation moved (Text+Berg test: test0's two
address lines swapped, test1 18:11 moved six sentences up; textberg_dev: one, 456:540), so no
rule about them can be chosen on dev. This script makes such cases out of the dev documents
(``bench_quality.is_dev``: every 5th wmt23 / ntrex / flores document, natural variant, and
textberg_dev; the books are left out, their gold is at paragraph level) with a fixed seed:

- ``swap``: two neighbouring 1-1 gold links ``i:j``, ``i+1:j+1`` become ``i:j+1``, ``i+1:j``
  (the two lines exchanged on one side, ru or en at random);
- ``move``: the line of one 1-1 gold link moves 2..10 lines up or down on one side, to a
  place between two gold links (so the other links stay contiguous).

- ``drop2``: the lines of two neighbouring 1-1 gold links are deleted on one side, so their
  partners on the other side are left unaligned (two adjacent deletions: a sentence-by-sentence
  merge check cannot see either alone);
- ``drop2end``: the same where the two lines are the last of their paragraph (in the case's raw
  text), aligned with both sides' paragraph ids as raw text is (``AlignConfig.paragraph_cost``):
  the bead before the deletion then ends a paragraph on one side only, and the DP is tempted to
  absorb the partners left behind. Cases with raw text only (not Text+Berg).
- ``drop1end``, ``drop3end``, ``drop2start`` (only with ``--kinds``): one or three lines that end a
  paragraph, or two that open one (with a line after them), deleted the same way: they test
  whether ``AlignConfig.paragraph_tail``, chosen on ``drop2end``, holds for other deletions.

Each document gives one copy of each kind, with one edit per 40 gold links (at
least one), the edits far enough apart not to touch each other. The gold is rewritten with the
lines (a crossing link: one side's ids out of order), and every copy is aligned as
``bench_quality.py --mode presplit`` aligns a case and scored by ../shared/eval/score.py
(strict F1 compares link sets, so the order of links does not matter).

Printed per variant (AlignConfig changes): strict P/R/F1 and null F1 over each kind, the
recall of the edited links (``moved R``: the gold links whose lines were exchanged or moved,
or the unaligned partners of deleted lines),
and the same figures on the unedited documents (``orig``), where a pass that gives up order
should change nothing.

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_moves.py [--seed 0] [--filter REGEX]
        [--set FIELD=VALUE] [--variant NAME=FIELD=VALUE[,FIELD=VALUE]] [--no-ablate] [--list]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_quality as bq  # noqa: E402  (the cases, the dev split, score.py)

PER_LINKS = 40  # one edit per this many gold links
MOVE_MIN, MOVE_MAX = 2, 10  # how far a moved line goes, in lines
GAP = 12  # lines kept between two edits of one document


def dev_ids(filter_re: str | None = None) -> list[str]:
    """The dev documents used: natural wmt23 / ntrex / flores of the dev split, and textberg_dev."""
    return [c for c in bq.case_ids(filter_re) if bq.is_dev(c) and not c.startswith("bilinguator")
            and not c.endswith("__pert")]


def _sorted_gold(gold) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return sorted(((tuple(a), tuple(b)) for a, b in gold), key=lambda l: (min(l[0], default=-1), min(l[1], default=-1)))


def _gaps(gold, side: int, n: int) -> list[int]:
    """Positions p (0..n) on ``side`` where no gold link has lines both before and from p on."""
    cut = [True] * (n + 1)
    for link in gold:
        ids = link[side]
        for p in range(min(ids, default=0) + 1, max(ids, default=0) + 1):
            cut[p] = False
    return [p for p in range(n + 1) if cut[p]]


def edit_case(src: list[str], tgt: list[str], gold, kind: str, rng: random.Random, paragraphs=None):
    """One edited copy of a case.

    ``paragraphs``: the paragraph id of each line of both sides (``paragraph_ids``), needed by
    the paragraph drop kinds (``drop2end``: the two deleted lines end their paragraph).
    Returns ``(src, tgt, gold, moved, paragraphs)``: the new lines, the rewritten gold, the gold links
    whose lines the edits exchanged, moved or left unaligned, and the new lines' paragraph ids
    (None without ``paragraphs``).
    """
    gold = _sorted_gold(gold)
    n_edits = max(1, len(gold) // PER_LINKS)
    order = [list(range(len(src))), list(range(len(tgt)))]  # new position -> old line, per side
    taken: list[tuple[int, int]] = []  # (side, line) spans already used: keep edits apart
    moved_old: list[tuple[int, int]] = []  # (side, old line) edited
    ones = [k for k, (a, b) in enumerate(gold) if len(a) == 1 and len(b) == 1]

    def free(side: int, lo: int, hi: int) -> bool:
        return all(not (lo - GAP <= x <= hi + GAP) for s, x in taken if s == side)

    for _ in range(n_edits):
        for _try in range(200):
            side = rng.randrange(2)
            k = rng.choice(ones)
            if kind == "swap":
                if k + 1 >= len(gold) or (k + 1) not in ones:
                    continue
                (i,), (j,) = gold[k]
                (i2,), (j2,) = gold[k + 1]
                if (i2, j2) != (i + 1, j + 1):
                    continue
                x = (i, j)[side]
                if not free(side, x, x + 1) or not free(1 - side, (j, i)[side], (j, i)[side] + 1):
                    continue
                pos = order[side].index(x)
                order[side][pos], order[side][pos + 1] = order[side][pos + 1], order[side][pos]
                taken += [(side, x), (side, x + 1), (1 - side, (j, i)[side]), (1 - side, (j, i)[side] + 1)]
                moved_old += [(side, x), (side, x + 1)]
                break
            if kind.startswith("drop"):
                count, where = DROPS[kind]
                if k + count > len(gold) or any((k + d) not in ones for d in range(count)):
                    continue
                (i,), (j,) = gold[k]
                if any(gold[k + d] != ((i + d,), (j + d,)) for d in range(count)):
                    continue
                x, y = (i, j)[side], (j, i)[side]
                last = x + count - 1
                if where != "any":
                    par = paragraphs[side]
                    inside = all(par[x + d] == par[x] for d in range(count))
                    if where == "end" and (x == 0 or par[x - 1] != par[x] or not inside
                                           or (last + 1 < len(par) and par[last + 1] == par[last])):
                        continue  # not the last lines of a paragraph with a line before them
                    if where == "start" and (last + 1 >= len(par) or par[last + 1] != par[last] or not inside
                                             or (x > 0 and par[x - 1] == par[x])):
                        continue  # not the first lines of a paragraph with a line after them
                if not free(side, x, last) or not free(1 - side, y, y + count - 1):
                    continue
                for d in range(count):
                    order[side].remove(x + d)
                    taken += [(side, x + d), (1 - side, y + d)]
                    moved_old.append((side, x + d))
                break
            (i,), (j,) = gold[k]
            x = (i, j)[side]
            n = (len(src), len(tgt))[side]
            dests = [p for p in _gaps(gold, side, n) if MOVE_MIN <= abs(p - x) <= MOVE_MAX and p not in (x, x + 1)]
            if not dests:
                continue
            p = rng.choice(dests)
            lo, hi = min(x, p), max(x, p)
            if not free(side, lo, hi) or not free(1 - side, (j, i)[side], (j, i)[side]):
                continue
            line = order[side].pop(order[side].index(x))
            order[side].insert(order[side].index(p) if p < n else len(order[side]), line)
            taken += [(side, lo), (side, hi), (1 - side, (j, i)[side])]
            moved_old.append((side, x))
            break
    new_of = [{old: new for new, old in enumerate(o)} for o in order]
    new_gold = [(tuple(sorted(new_of[0][i] for i in a if i in new_of[0])),
                 tuple(sorted(new_of[1][j] for j in b if j in new_of[1]))) for a, b in gold]
    new_gold = [link for link in new_gold if link[0] or link[1]]
    moved_set = set(moved_old)
    moved = [(tuple(sorted(new_of[0][i] for i in a if i in new_of[0])), tuple(sorted(new_of[1][j] for j in b if j in new_of[1])))
             for a, b in gold if any((0, i) in moved_set for i in a) or any((1, j) in moved_set for j in b)]
    new_par = None if paragraphs is None else [[paragraphs[0][o] for o in order[0]], [paragraphs[1][o] for o in order[1]]]
    return [src[o] for o in order[0]], [tgt[o] for o in order[1]], new_gold, moved, new_par


def paragraph_ids(case_id: str, src: list[str], tgt: list[str]) -> list[list[int]] | None:
    """The paragraph (blank-line separated, in the case's raw text) of each sentence line, per
    side; None for a case without raw text (Text+Berg)."""
    import re

    if not bq.has_raw(case_id):
        return None
    meta = bq.read_case(case_id)[2]
    out = []
    for lines, key in ((src, "src_raw"), (tgt, "tgt_raw")):
        raw = (bq.CASES / case_id / meta[key]).read_text(encoding="utf-8")
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", raw) if p.strip()]
        ids, cur = [], 0
        for line in lines:
            head = " ".join(line.split())[:40]
            k = cur
            while k < len(paras) and head not in paras[k]:
                k += 1
            cur = k if k < len(paras) else cur
            ids.append(cur)
        out.append(ids)
    return out


def build(ids: list[str], seed: int, kinds: tuple[str, ...] = None) -> dict[str, list[tuple]]:
    """``{kind: [(case id, src, tgt, gold, moved, n_src, n_tgt, paragraphs)]}`` for ``orig`` and
    each edited kind (default ``KINDS``)."""
    kinds = kinds or KINDS
    score = bq.load_score_module()
    out: dict[str, list[tuple]] = {kind: [] for kind in kinds}
    for cid in ids:
        src, tgt, meta = bq.read_case(cid)
        gold = score.read_alignments(bq.CASES / cid / "gold.tsv")
        out["orig"].append((cid, src, tgt, _sorted_gold(gold), [], len(src), len(tgt), None))
        paragraphs = paragraph_ids(cid, src, tgt)
        for kind in kinds[1:]:
            by_paragraph = DROPS.get(kind, (0, "any"))[1] != "any"
            if by_paragraph and paragraphs is None:
                continue
            rng = random.Random(f"{seed}:{kind}:{cid}")
            s, t, g, moved, par = edit_case(src, tgt, gold, kind, rng, paragraphs)
            # the paragraph kinds are aligned with the paragraph signal of raw text, where paragraph ends matter
            out[kind].append((cid, s, t, g, moved, len(s), len(t), par if by_paragraph else None))
    return out


# drop kinds: (lines deleted, where in the paragraph: "any", "end" or "start")
DROPS = {"drop2": (2, "any"), "drop2end": (2, "end"), "drop1end": (1, "end"), "drop3end": (3, "end"),
         "drop2start": (2, "start")}
KINDS = ("orig", "swap", "move", "drop2", "drop2end")
EXTRA_KINDS = ("drop1end", "drop3end", "drop2start")  # --kinds: how far paragraph_tail generalises


def evaluate(cases: dict[str, list[tuple]], encoder, cfg, score) -> dict[str, dict]:
    """Align every copy; per kind the score.py result plus the edited links' recall."""
    from aligner.align import align_sentences

    res = {}
    for kind, items in cases.items():
        acc = score.Acc()
        hit = total = 0
        for cid, src, tgt, gold, moved, n, m, par in items:
            beads = align_sentences(src, tgt, encoder=encoder, config=cfg,
                                    ru_paragraphs=par and par[0], en_paragraphs=par and par[1])
            pred = [(tuple(b.ru_ids), tuple(b.en_ids)) for b in beads]
            acc.add(gold, pred, n, m)
            ps = set(pred)
            hit += sum(1 for link in moved if link in ps)
            total += len(moved)
        r = acc.result()
        r["moved"] = (hit, total)
        res[kind] = r
    return res


VARIANTS = {
    "full model": {},
    "- swapped pairs": {"swapped_pairs": False},
    "- crossing pairs": {"crossing_pairs": False},
    "- both": {"swapped_pairs": False, "crossing_pairs": False},
    "quartile floor": {"crossing_floor": "quartile"},
    "- swapped pairs, quartile floor": {"swapped_pairs": False, "crossing_floor": "quartile"},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="use", help="encoder spec for get_encoder (default: use)")
    ap.add_argument("--filter", help="only dev cases whose id matches this regex")
    ap.add_argument("--seed", type=int, default=0, help="seed of the edits (default 0)")
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="change an AlignConfig field for every variant")
    ap.add_argument("--variant", action="append", default=[], metavar="NAME=FIELD=VALUE[,FIELD=VALUE]",
                    help="one more row: NAME with these AlignConfig changes")
    ap.add_argument("--no-ablate", action="store_true", help="the full model only (and --variant rows)")
    ap.add_argument("--list", action="store_true", help="print the edited gold links of every copy")
    ap.add_argument("--kinds", help="comma-separated edited kinds (default: " + ",".join(KINDS[1:])
                    + "; also " + ",".join(EXTRA_KINDS) + ")")
    a = ap.parse_args()
    from aligner.align import AlignConfig
    from aligner.encoders import get_encoder

    score = bq.load_score_module()
    encoder = get_encoder(a.encoder, cache=True)
    kinds = KINDS if not a.kinds else ("orig", *a.kinds.split(","))
    unknown = [k for k in kinds[1:] if k not in KINDS + EXTRA_KINDS]
    if unknown:
        ap.error(f"unknown kind(s): {', '.join(unknown)}")
    cases = build(dev_ids(a.filter), a.seed, kinds)
    if a.list:
        for kind in kinds[1:]:
            for cid, _s, _t, gold, moved, n, m, _p in cases[kind]:
                print(kind, cid, " ".join(f"{','.join(map(str, x))}:{','.join(map(str, y))}" for x, y in moved))
    variants = {"full model": {}} if a.no_ablate else dict(VARIANTS)
    for spec in a.variant:
        name, _, changes = spec.partition("=")
        variants[name] = bq.settings(changes.split(","))
    f = lambda x: "  n/a" if x is None else f"{x:.3f}"
    print(f"\nseed {a.seed}; {len(cases['orig'])} dev documents; edited links: "
          + ", ".join(f"{k} {sum(len(c[4]) for c in cases[k])}" for k in kinds[1:]))
    print(f"| {'variant':32} | {'kind':8} | {'P':>5} | {'R':>5} | {'F1':>5} | {'nullF1':>6} | {'moved R':>13} |")
    print("|" + "|".join("-" * w for w in (34, 10, 7, 7, 7, 8, 15)) + "|")
    for name, changes in variants.items():
        cfg = AlignConfig().with_(**{**bq.settings(a.set), **changes})
        res = evaluate(cases, encoder, cfg, score)
        for kind in kinds:
            r = res[kind]
            h, t = r["moved"]
            mv = f"{h / t:.3f} ({h}/{t})" if t else "n/a"
            print(f"| {name:32} | {kind:8} | {f(r['precision_strict'])} | {f(r['recall_strict'])} | "
                  f"{f(r['f1_strict'])} | {f(r['null_f1']):>6} | {mv:>13} |", flush=True)


if __name__ == "__main__":
    main()
