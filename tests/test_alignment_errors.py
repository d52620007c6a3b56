"""scripts/alignment_errors.py: error clusters and their kinds on hand-made links."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import alignment_errors as ae  # noqa: E402


def L(src, tgt):
    return (tuple(src), tuple(tgt))


def test_no_errors_no_clusters():
    links = [L([0], [0]), L([1, 2], [1]), L([3], [])]
    assert ae.error_clusters(links, list(links)) == []


def test_folded_sentence_left_unaligned():
    """"Спасибо за просмотр ... Берегите себя!" / "... take care.": gold 3,4:3, we 3:3 and 4:-."""
    gold = [L([0], [0]), L([1], [1]), L([2], [2]), L([3, 4], [3])]
    pred = [L([0], [0]), L([1], [1]), L([2], [2]), L([3], [3]), L([4], [])]
    (c,) = ae.error_clusters(gold, pred)
    assert c.kind == "null, should link"
    assert c.gold == [L([3, 4], [3])] and c.pred == [L([3], [3]), L([4], [])]


def test_kinds_of_separate_clusters_in_document_order():
    gold = [L([0], [0, 1]), L([1], [2]), L([2], [3]), L([3], []), L([4], [4]), L([5, 6], [5]), L([7], [6])]
    pred = [L([0], [0]), L([], [1]), L([1], [2]), L([2, 3], [3]), L([4], [4]), L([5], [5]), L([6], []),
            L([7], [6])]
    kinds = [c.kind for c in ae.error_clusters(gold, pred)]
    assert kinds == ["null, should link", "gold null linked", "null, should link"]


def test_merge_kinds_and_boundary():
    assert ae.kind_of([L([0, 1], [0])], [L([0], [0]), L([1], [0])]) == "under-merge"
    assert ae.kind_of([L([0], [0]), L([1], [1])], [L([0, 1], [0, 1])]) == "over-merge"
    assert ae.kind_of([L([0], [0]), L([1], [1, 2])], [L([0], [0, 1]), L([1], [2])]) == "boundary"
    assert ae.kind_of([L([0], []), L([], [0])], [L([0], [0])]) == "gold null linked"
    assert ae.kind_of([L([0], []), L([1], [0])], [L([0, 1], []), L([], [0])]) == "both nulls"
