"""Selective window embedding (aligner.align.windows): what is embedded, and that it is deterministic."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.align import AlignConfig, align_sentences
from aligner.align import windows as W
from aligner.encoders.base import Encoder
from aligner.encoders.cache import CachedEncoder, EmbeddingStore


class MeaningEncoder(Encoder):
    """A text's vector is the normalised sum of one fixed vector per ``<lang><k>`` word's number k
    (plus a little per-text noise), so ``ru3`` and ``en3`` translate each other and a
    concatenation means the sum of its parts. Records every text it embeds."""

    name = "fake-meaning"
    dim = 32
    batch_size = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, text in enumerate(texts):
            for word in text.split():
                k = int(word.strip(".")[2:])
                out[r] += np.random.default_rng(k).standard_normal(self.dim)
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            out[r] += 0.3 * np.random.default_rng(seed).standard_normal(self.dim)
        return out


def doc(n: int = 30, merge_at: int = 12) -> tuple[list[str], list[str]]:
    """``n`` ru sentences; the en side is 1-1 except that en joins ru ``merge_at`` and ``merge_at+1``."""
    ru = [f"ru{k}." for k in range(n)]
    en = [f"en{k}." for k in range(merge_at)] + [f"en{merge_at}. en{merge_at + 1}."]
    en += [f"en{k}." for k in range(merge_at + 2, n)]
    return ru, en


def links(beads):
    return [(b.ru_ids, b.en_ids) for b in beads]


@given(st.integers(1, 9), st.integers(1, 4), st.integers(0, 2**16))
def test_approximate_is_normalised_sum(n, width, seed):
    x = np.random.default_rng(seed).standard_normal((n, 5)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    got = W.approximate(x, width)
    assert got.shape == (max(n - width + 1, 0), 5) and got.dtype == np.float32
    for s in range(got.shape[0]):
        want = x[s : s + width].sum(axis=0)
        np.testing.assert_allclose(got[s], want / np.linalg.norm(want), rtol=1e-5, atol=1e-6)


def test_approximate_keeps_zero_windows_zero():
    x = np.zeros((3, 4), dtype=np.float32)
    assert not W.approximate(x, 2).any()


def test_side_windows_lengths_are_joined_text_lengths():
    sents = ["Да.", "Нет, конечно.", "", "Может быть"]
    sw = W.side_windows(sents, np.eye(4, dtype=np.float32), 3)
    for w in (1, 2, 3):
        assert sw.length[w - 1].tolist() == [len(" ".join(sents[s : s + w])) for s in range(len(sents) - w + 1)]
        assert sw.real[w - 1].tolist() == [w == 1] * (len(sents) - w + 1)
    assert sw.text(2, 1) == "Нет, конечно. "


class _Bead:
    def __init__(self, ru, en, sim=None):
        self.ru, self.en = ru, en
        self.features = {} if sim is None else {"sim": sim}


def test_uncertain_regions_are_merges_nulls_and_weak_one_to_ones():
    beads = [_Bead((0, 1), (0, 1), 0.9), _Bead((1, 3), (1, 2), 0.8), _Bead((3, 4), (2, 2)),
             _Bead((4, 5), (2, 3), 0.3), _Bead((5, 6), (3, 4), 0.85)]
    got = W.uncertain_regions(beads, sim_floor=0.5, pad=1)
    assert got == [W.Region(0, 4, 0, 3), W.Region(2, 5, 1, 3), W.Region(3, 6, 1, 4)]


def test_low_sim_floor_is_median_less_spread_times_mad():
    beads = [_Bead((k, k + 1), (k, k + 1), s) for k, s in enumerate([0.8, 0.7, 0.9, 0.6, 0.85])]
    beads.append(_Bead((5, 7), (5, 6), 0.1))  # merged beads do not count
    assert W.low_sim_floor(beads, 2.0) == pytest.approx(0.8 - 2 * 0.1)
    assert W.low_sim_floor([], 2.0) == -np.inf


def test_windows_in_marks_exactly_the_windows_inside_a_region():
    ru, en = W.windows_in([W.Region(2, 5, -1, 2), W.Region(4, 6, 7, 9)], 8, 8, 3)
    assert not ru[0].any() and not en[0].any()
    assert np.flatnonzero(ru[1]).tolist() == [2, 3, 4]  # [2,4) [3,5) inside [2,5); [4,6) inside [4,6)
    assert np.flatnonzero(ru[2]).tolist() == [2]
    assert np.flatnonzero(en[1]).tolist() == [0]  # clipped to [0, 2)
    assert not en[2].any()  # [7, 9) clipped to [7, 8): no window of 2 fits


def test_selective_embeds_sentences_once_and_windows_only_near_the_merge():
    ru, en = doc()
    enc = MeaningEncoder()
    raw, stats = W.align_selective(ru, en, enc, AlignConfig())
    assert ((12, 14), (12, 13)) in [(b.ru, b.en) for b in raw]
    assert len(enc.seen) == len(set(enc.seen))  # nothing twice
    assert set(ru + en) <= set(enc.seen)
    windows = [t for t in enc.seen if t not in set(ru + en)]
    assert stats.windows == len(windows) and stats.sentences == len(ru) + len(en)
    assert windows and "ru12. ru13." in windows
    every = sum(len(s) - w + 1 for s in (ru, en) for w in range(2, 5))
    assert len(windows) < every / 3
    # every real window lies inside an uncertain region of the path
    ru_mask, en_mask = W.windows_in(W.regions_for(raw, W.SelectivePlan()), len(ru), len(en), 4)
    inside = {W.side_windows(s, np.zeros((len(s), 1)), 4).text(w, k)
              for s, masks in ((ru, ru_mask), (en, en_mask)) for w in range(2, 5)
              for k in np.flatnonzero(masks[w - 1]).tolist()}
    assert set(windows) <= inside


def test_selective_finds_the_same_path_as_all_windows_on_a_clean_document():
    ru, en = doc()
    sel = align_sentences(ru, en, encoder=MeaningEncoder(), config=AlignConfig(windows="selective"))
    full = align_sentences(ru, en, encoder=MeaningEncoder(), config=AlignConfig(windows="all"))
    assert links(sel) == links(full)
    merged = next(b for b in sel if b.ru_ids == (12, 13))
    assert merged.features["sim"] == next(b for b in full if b.ru_ids == (12, 13)).features["sim"]  # real vectors


def test_same_output_cold_and_warm_cache(tmp_path):
    ru, en = doc(40, 20)
    cold = CachedEncoder(MeaningEncoder(), EmbeddingStore(tmp_path / "e.sqlite"))
    first = align_sentences(ru, en, encoder=cold)
    warm = CachedEncoder(MeaningEncoder(), EmbeddingStore(tmp_path / "e.sqlite"))
    second = align_sentences(ru, en, encoder=warm)
    assert warm.embedded == 0
    assert [(b.ru_ids, b.en_ids, b.score) for b in first] == [(b.ru_ids, b.en_ids, b.score) for b in second]


def test_same_output_with_one_and_two_encoder_threads():
    from aligner.encoders.use import UseEncoder

    ru = ["Утром пошёл сильный дождь.", "Мы остались дома и читали книги.", "К вечеру небо прояснилось.",
          "Тогда мы вышли на прогулку к реке.", "Там было тихо и прохладно."]
    en = ["Heavy rain started in the morning.", "We stayed at home and read books.",
          "By evening the sky had cleared, so we went for a walk to the river.", "It was quiet and cool there."]
    one = align_sentences(ru, en, encoder=UseEncoder(threads=1))
    two = align_sentences(ru, en, encoder=UseEncoder(threads=2))
    assert links(one) == links(two)
    assert ((2, 3), (2,)) in links(one)
    np.testing.assert_allclose([b.score for b in one], [b.score for b in two], atol=1e-5)


def test_unknown_window_strategy_is_refused():
    with pytest.raises(ValueError, match="selective"):
        align_sentences(["а."], ["a."], encoder=MeaningEncoder(), config=AlignConfig(windows="some"))
