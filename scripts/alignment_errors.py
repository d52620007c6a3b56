"""Where predicted beads differ from the gold: error clusters by kind, with the sentences.

The quality benchmark gives one F1 per group; choosing what to fix needs the errors
themselves. A *cluster* is a connected set of wrong links (gold links we miss and predicted
links the gold lacks) that share a sentence; each cluster gets one kind:

- ``null, should link``: we leave a sentence unaligned that the gold links (a translation
  folded into a neighbour's, or a 1-0 and a 0-1 that are each other's translation);
- ``gold null linked``: we link a sentence the gold leaves unaligned;
- ``both nulls``: unaligned sentences on both sides disagree;
- ``under-merge``: one gold link that we cut into several beads;
- ``over-merge``: one predicted bead that the gold cuts into several links;
- ``boundary``: the rest (a sentence given to the wrong neighbour, crossings).

Usage (predictions from ``scripts/bench_quality.py --out DIR``):
    python scripts/alignment_errors.py DIR/presplit/full_model [--filter REGEX] [--summary]
    python scripts/alignment_errors.py DIR/raw/full_model --raw [--filter REGEX]
(``--raw``: text predictions, mapped to the gold's sentence lines as score.py ``--text`` maps them.)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_quality as bq  # noqa: E402

Link = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Cluster:
    """Gold and predicted links around one connected set of wrong links, and its kind."""

    gold: list[Link]
    pred: list[Link]
    kind: str


def _keys(link: Link) -> set[tuple[str, int]]:
    return {("s", i) for i in link[0]} | {("t", j) for j in link[1]}


def error_clusters(gold: list[Link], pred: list[Link]) -> list[Cluster]:
    """Clusters of wrong links (see the module doc), in order of their first sentence.

    Args:
        gold, pred: links as ``(src ids, tgt ids)``; an empty side is an unaligned sentence.
    """
    g = {(tuple(a), tuple(b)) for a, b in gold if a or b}
    p = {(tuple(a), tuple(b)) for a, b in pred if a or b}
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    wrong = sorted(g ^ p)
    for link in wrong:
        keys = sorted(_keys(link))
        for k in keys[1:]:
            parent[find(k)] = find(keys[0])
    groups: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for link in wrong:
        keys = _keys(link)
        groups.setdefault(find(next(iter(keys))), set()).update(keys)
    out = []
    for keys in groups.values():
        gl = sorted(link for link in g if _keys(link) & keys)
        pl = sorted(link for link in p if _keys(link) & keys)
        out.append(Cluster(gl, pl, kind_of(gl, pl)))
    def first(c: Cluster) -> tuple[int, int]:
        links = c.gold + c.pred
        return (min((i for a, _ in links for i in a), default=-1), min((j for _, b in links for j in b), default=-1))

    return sorted(out, key=first)


def kind_of(gold: list[Link], pred: list[Link]) -> str:
    """The kind of a cluster from its gold and predicted links (see the module doc)."""
    null = lambda links: any(not a or not b for a, b in links)
    gnull, pnull = null(gold), null(pred)
    if pnull and not gnull:
        return "null, should link"
    if gnull and not pnull:
        return "gold null linked"
    if gnull and pnull:
        return "both nulls"
    if len(gold) == 1 and len(pred) > 1:
        return "under-merge"
    if len(pred) == 1 and len(gold) > 1:
        return "over-merge"
    return "boundary"


def _fmt(link: Link) -> str:
    return f"{','.join(map(str, link[0])) or '-'}:{','.join(map(str, link[1])) or '-'}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pred", help="directory of <case>.tsv predictions (pre-split indices)")
    ap.add_argument("--filter", help="only cases whose id matches this regex")
    ap.add_argument("--summary", action="store_true", help="only the counts by kind")
    ap.add_argument("--width", type=int, default=160, help="characters shown of each sentence")
    ap.add_argument("--raw", action="store_true", help="predictions are text (bench_quality --mode raw)")
    a = ap.parse_args()
    score = bq.load_score_module()
    total: Counter = Counter()
    for cid in bq.case_ids(a.filter):
        path = Path(a.pred) / f"{cid}.tsv"
        if not path.is_file():
            continue
        src, tgt, meta = bq.read_case(cid)
        gold = score.read_alignments(bq.CASES / cid / "gold.tsv")
        if a.raw:
            pred, _ = score.text_pred_to_indices(path, bq.CASES / cid, meta)
            pred = [x for x in pred if len(x) == 2]  # as score.py: unmatched texts are counted apart
        else:
            pred = score.read_alignments(path)
        clusters = error_clusters(gold, pred)
        kinds = Counter(c.kind for c in clusters)
        total += kinds
        print(f"## {cid}: {len(clusters)} clusters {dict(kinds)}")
        if a.summary:
            continue
        for c in clusters:
            print(f"[{c.kind}]  gold {' '.join(map(_fmt, c.gold))}  |  pred {' '.join(map(_fmt, c.pred))}")
            for i in sorted({i for link in c.gold + c.pred for i in link[0]}):
                print(f"  s{i}: {src[i][:a.width]}")
            for j in sorted({j for link in c.gold + c.pred for j in link[1]}):
                print(f"  t{j}: {tgt[j][:a.width]}")
        print()
    print(f"all: {sum(total.values())} clusters {dict(total)}")


if __name__ == "__main__":
    main()
