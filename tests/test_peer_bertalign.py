"""scripts/peer_bertalign.py, the re-implemented peer of the quality benchmark, on hand-made vectors."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import peer_bertalign  # noqa: E402

from aligner.align import Side  # noqa: E402
from tests.test_align_core import make_side  # noqa: E402


def side(vectors: np.ndarray, texts: list[str], max_w: int = 4) -> Side:
    """Window vectors of ``vectors``; lengths in UTF-8 bytes (``make_side`` adds the joining spaces)."""
    return make_side(vectors, np.array([len(t.encode("utf-8")) for t in texts], dtype=float), max_w)


def test_byte_lengths_count_utf8_and_the_joining_space():
    b = peer_bertalign.byte_lengths(["Да.", "Yes."], 2)
    assert b[0].tolist() == [5.0, 4.0] and b[1].tolist() == [10.0]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recovers_one_to_one_and_a_split_sentence(seed):
    """en = ru with sentence 4 split in two halves: a 1-2 bead there, 1-1 elsewhere."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(10, 48))
    rows, truth = [], []
    for i in range(10):
        if i == 4:
            truth.append(((4,), (len(rows), len(rows) + 1)))
            rows += [0.5 * x[i] + 0.6 * rng.normal(size=48), 0.5 * x[i] + 0.6 * rng.normal(size=48)]
        else:
            truth.append(((i,), (len(rows),)))
            rows.append(x[i] + 0.3 * rng.normal(size=48))
    ru_texts = ["Предложение номер %d." % i for i in range(10)]
    en_texts = ["Sentence %d." % k for k in range(len(rows))]
    en_texts[4], en_texts[5] = "First half.", "Second half."
    ru_texts[4] = "Длинное предложение из двух половин, номер четыре."
    links = peer_bertalign.align(side(x, ru_texts), side(np.array(rows), en_texts),
                                 peer_bertalign.byte_lengths(ru_texts, 4), peer_bertalign.byte_lengths(en_texts, 4))
    assert [i for a, _ in links for i in a] == list(range(10))
    assert [j for _, b in links for j in b] == list(range(len(rows)))
    assert links == truth


def test_an_empty_side_leaves_everything_unaligned():
    x = np.eye(3, 8)
    s = side(x, ["a", "b", "c"], 1)
    empty = Side((np.zeros((0, 8), np.float32),), (np.zeros(0),))
    assert peer_bertalign.align(s, empty, s.length, empty.length) == [((0,), ()), ((1,), ()), ((2,), ())]
