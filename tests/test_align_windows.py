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


@given(st.integers(1, 9), st.integers(1, 4), st.integers(0, 2**16), st.booleans())
def test_approximate_is_normalised_weighted_sum(n, width, seed, weighted):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 5)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    weight = rng.uniform(1, 10, n) if weighted else None
    got = W.approximate(x, width, weight)
    assert got.shape == (max(n - width + 1, 0), 5) and got.dtype == np.float32
    for s in range(got.shape[0]):
        want = (x[s : s + width] * (1.0 if weight is None else weight[s : s + width, None])).sum(axis=0)
        np.testing.assert_allclose(got[s], want / np.linalg.norm(want), rtol=1e-5, atol=1e-6)


def test_approximate_keeps_zero_windows_zero():
    x = np.zeros((3, 4), dtype=np.float32)
    assert not W.approximate(x, 2).any()
    assert not W.approximate(x, 2, np.ones(3)).any()


def test_long_sentence_weighs_more_in_its_window():
    x = np.eye(2, dtype=np.float32)  # a short sentence and a long one
    got = W.side_windows(["Да.", "Нет, это было совсем не так, как ты говоришь."], x, 2).emb[1][0]
    assert got[1] > got[0] > 0


def test_side_windows_lengths_are_joined_text_lengths():
    sents = ["Да.", "Нет, конечно.", "", "Может быть"]
    sw = W.side_windows(sents, np.eye(4, dtype=np.float32), 3)
    for w in (1, 2, 3):
        assert sw.length[w - 1].tolist() == [len(" ".join(sents[s : s + w])) for s in range(len(sents) - w + 1)]
        assert sw.real[w - 1].tolist() == [w == 1] * (len(sents) - w + 1)
    assert sw.text(2, 1) == "Нет, конечно. "


def test_stand_ins_carry_the_plan_bonus_by_width_and_real_windows_none():
    sw = W.side_windows([f"s{k}." for k in range(6)], np.eye(6, dtype=np.float32), 4,
                        W.SelectivePlan(bonus=(0.1, 0.2)))
    sw.real[1][2] = True  # as if the window of sentences 2-3 had been embedded
    side = sw.side()
    assert side.bonus[0].tolist() == [0.0] * 6
    assert side.bonus[1].tolist() == pytest.approx([0.1, 0.1, 0.0, 0.1, 0.1])
    assert side.bonus[2].tolist() == pytest.approx([0.2] * 4) and side.bonus[3].tolist() == pytest.approx([0.2] * 3)
    assert side.stand_in[1].tolist() == [True, True, False, True, True] and not side.stand_in[0].any()
    assert W.side_windows(["a.", "b."], np.eye(2, dtype=np.float32), 2, W.SelectivePlan(bonus=())).side().bonus is None


def test_selective_embeds_sentences_once_and_only_the_windows_the_beads_read():
    ru, en = doc()
    enc = MeaningEncoder()
    raw, stats = W.align_selective(ru, en, enc, AlignConfig())
    assert ((12, 14), (12, 13)) in [(b.ru, b.en) for b in raw]
    assert len(enc.seen) == len(set(enc.seen))  # nothing twice
    assert set(ru + en) <= set(enc.seen)
    windows = [t for t in enc.seen if t not in set(ru + en)]
    assert stats.windows == len(windows) and stats.sentences == len(ru) + len(en)
    # the merged bead's own window; not the windows of every bead near it (37 with padded regions)
    assert windows == ["ru12. ru13."]
    assert stats.rounds == 2 and stats.asked == [1, 0]


def test_stand_in_merge_that_the_real_window_refutes_is_undone():
    """A stand-in can make the DP merge two sentences; the real window's vector then decides."""

    class Liar(MeaningEncoder):
        def embed_batch(self, texts):
            out = super().embed_batch(texts)
            for r, t in enumerate(texts):
                if t == "ru12. ru13.":  # the real concatenation means something else entirely
                    out[r] = np.random.default_rng(999).standard_normal(self.dim)
            return out

    ru, en = doc()
    enc = Liar()
    raw, stats = W.align_selective(ru, en, enc, AlignConfig())
    assert "ru12. ru13." in enc.seen  # embedded, since the first pass's bead read its stand-in
    assert ((12, 14), (12, 13)) not in [(b.ru, b.en) for b in raw]
    assert stats.rounds >= 2


def _merge_doc(shortfall: float, bonus: tuple[float, ...]):
    """20 ru sentences, en the same except that en 8 translates ru 8 and 9 together; the stand-in
    of ru 8-9 is turned towards an unrelated direction by ``shortfall`` (a stand-in scores lower
    than the real window). Returns the ru and en ``SideWindows``."""
    rng = np.random.default_rng(0)
    basis = np.linalg.qr(rng.standard_normal((64, 64)))[0].astype(np.float32)
    en_v = np.array([basis[k] for k in range(8)] + [(basis[8] + basis[9]) / np.sqrt(2)]
                    + [basis[k] for k in range(10, 20)], np.float32)
    ru_v = basis[:20].copy()
    for v in (ru_v, en_v):
        v += 0.05 * rng.standard_normal(v.shape).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
    plan = W.SelectivePlan(bonus=bonus)
    ru = W.side_windows([f"r{k}" for k in range(20)], ru_v, 4, plan)
    en = W.side_windows([f"e{k}" for k in range(19)], en_v, 4, plan)
    v = ru.emb[1][8] + shortfall * basis[60]
    ru.emb[1][8] = v / np.linalg.norm(v)
    return ru, en


def test_bonus_lets_the_dp_take_a_merge_whose_stand_in_falls_short():
    from aligner.align.core import align_vectors

    found = {}
    for bonus in ((), (0.07, 0.12, 0.16)):
        ru, en = _merge_doc(0.9, bonus)
        raw, doc = align_vectors(ru.side(), en.side(), AlignConfig())
        found[bonus] = [(b.ru, b.en) for b in raw if b.ru[0] <= 8 < b.ru[1]][0]
        assert (0, 2, 8) in doc.stand_ins  # the merge was read (bead or check): the next pass embeds it
    assert found == {(): ((8, 9), (8, 9)), (0.07, 0.12, 0.16): ((8, 10), (8, 9))}


def test_bead_features_add_the_bonus_to_a_stand_in_and_nothing_to_a_real_window():
    from aligner.align.core import align_vectors

    sims = {}
    for bonus in ((), (0.07, 0.12, 0.16)):
        ru, en = _merge_doc(0.0, bonus)
        raw, _ = align_vectors(ru.side(), en.side(), AlignConfig())
        sims[bonus] = next(b for b in raw if b.ru == (8, 10)).features["sim"]
        ru.real[1][8] = True  # now "real" (the same vector): no bonus
        raw, doc = align_vectors(ru.side(), en.side(), AlignConfig())
        assert next(b for b in raw if b.ru == (8, 10)).features["sim"] == pytest.approx(sims[()], abs=1e-6)
        assert (0, 2, 8) not in doc.stand_ins
    assert sims[(0.07, 0.12, 0.16)] - sims[()] == pytest.approx(0.07, abs=1e-6)


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


def test_updated_pass_gives_what_a_fresh_pass_gives():
    """AlignPass.update rescores only the cells that read a changed window; the result must be
    the one a pass set up from scratch on the new vectors gives."""
    from aligner.align.core import AlignPass

    ru, en = _merge_doc(0.9, ())  # the first pass keeps ru 8 and 9 apart (see the bonus test)
    dp = AlignPass(ru.side(), en.side(), AlignConfig())
    first, _ = dp.run()
    changed = [(0, 2, 8), (0, 3, 7), (1, 2, 3)]
    rng = np.random.default_rng(5)
    for k, w, s in changed:
        sw = (ru, en)[k]
        v = sw.emb[w - 1][s] + rng.standard_normal(sw.emb[0].shape[1]).astype(np.float32)
        sw.emb[w - 1][s] = v / np.linalg.norm(v)
        sw.real[w - 1][s] = True
    ru.emb[1][8] = en.emb[0][8]  # the real window of ru 8-9 is just what en 8 says
    dp.update(ru.side(), en.side(), changed)
    got, got_doc = dp.run()
    fresh = AlignPass(ru.side(), en.side(), AlignConfig())
    np.testing.assert_allclose(dp.gains, fresh.gains, rtol=0, atol=1e-6)
    want, want_doc = fresh.run()
    assert ((8, 10), (8, 9)) in [(b.ru, b.en) for b in want]
    assert ((8, 10), (8, 9)) not in [(b.ru, b.en) for b in first]
    assert [(b.ru, b.en) for b in got] == [(b.ru, b.en) for b in want]
    for g, w in zip(got, want):
        assert g.features == pytest.approx(w.features, abs=1e-6)
    assert got_doc.stand_ins == want_doc.stand_ins


def test_the_encoders_own_stand_in_bonus_is_used(tmp_path):
    """The shortfall of a stand-in is the model's: e5's is a third of USE's."""

    class LargeShortfall(MeaningEncoder):
        stand_in_bonus = (0.5, 0.5, 0.5)

    ru, en = [f"ru{k}." for k in range(20)], [f"en{k}." for k in range(20)]
    seen = {}
    for enc in (LargeShortfall(), CachedEncoder(LargeShortfall(), EmbeddingStore(tmp_path / "e.sqlite")),
                MeaningEncoder()):
        _, stats = W.align_selective(ru, en, enc, AlignConfig())
        seen[type(enc).__name__] = stats.windows
    # a huge bonus makes every stand-in merge look good: the DP tries (and embeds) many windows
    assert seen["LargeShortfall"] > 5 and seen["CachedEncoder"] == seen["LargeShortfall"]
    assert seen["MeaningEncoder"] < seen["LargeShortfall"]


def test_e5_and_ensemble_carry_a_bonus():
    from aligner.encoders.ensemble import EnsembleEncoder
    from aligner.encoders.use import UseEncoder

    class Other(MeaningEncoder):
        stand_in_bonus = (0.01, 0.02, 0.04)

    assert UseEncoder.stand_in_bonus == W.SelectivePlan().bonus
    assert EnsembleEncoder([UseEncoder(), Other()]).stand_in_bonus == pytest.approx((0.04, 0.07, 0.1))
    assert getattr(EnsembleEncoder([UseEncoder(), MeaningEncoder()]), "stand_in_bonus", None) is None


def test_both_window_strategies_give_the_sides_their_numbers():
    from aligner.align import embed_sides
    from tests.fakes import HashEncoder

    ru, en = ["В 1955 году.", "Высота 8848 м."], ["In 1955.", "It is 8,848 m high."]
    sw = W.side_windows(ru, np.eye(2, 8, dtype=np.float32), 3)
    assert sw.side().nums == (frozenset({"1955"}), frozenset({"8848"}))
    _, en_side = embed_sides(ru, en, HashEncoder(), 2)
    assert en_side.nums == (frozenset({"1955"}), frozenset({"8848"}))
    ru, en = ["Глава пятая", "Прошло три дня."], ["V", "Three days passed."]
    assert W.side_windows(ru, np.eye(2, 8, dtype=np.float32), 3).side().heads == (5, 0)
    ru_side, en_side = embed_sides(ru, en, HashEncoder(), 2)
    assert (ru_side.heads, en_side.heads) == ((5, 0), (5, 0))
    ru, en = ["Книга ( Москва :", "Наука 1956 ) ."], ["A book ( Moscow : Nauka 1956 ) .", "Next."]
    assert W.side_windows(ru, np.eye(2, 8, dtype=np.float32), 3).side().parens == (1, -1)
    ru_side, en_side = embed_sides(ru, en, HashEncoder(), 2)
    assert (ru_side.parens, en_side.parens) == ((1, -1), (0, 0))
    ru, en = ["Erstersteigung durch B.M .", "Abalakow kam ."], ["Par E. M. Abalakow .", "Souvent visité ."]
    assert W.side_windows(ru, np.eye(2, 8, dtype=np.float32), 3).side().initial_leads == ("", "abala")
    ru_side, en_side = embed_sides(ru, en, HashEncoder(), 2)
    assert (ru_side.initial_leads, en_side.initial_leads) == (("", "abala"), ("", ""))
    assert en_side.names == (frozenset({"par", "abala"}), frozenset({"souve", "visit"}))
    ru = ["Он шёл домой ;", "и думал .", "Было поздно .", "Шёл снег ."]
    en = ["He walked home ;", "thinking .", "It was late .", "It snowed ."]
    assert W.side_windows(ru, np.eye(4, 8, dtype=np.float32), 3).side().follows == (False, True, False, False)
    ru_side, en_side = embed_sides(ru, en, HashEncoder(), 2)
    assert ru_side.follows == en_side.follows == (False, True, False, False)


class JoiningEncoder(MeaningEncoder):
    """Records the windows asked for through ``encode_joined`` (a model that builds a window
    from its sentences overrides it, as UseEncoder does)."""

    def __init__(self) -> None:
        super().__init__()
        self.joined: list[tuple[str, ...]] = []

    def encode_joined(self, parts, progress=None):
        self.joined.extend(tuple(p) for p in parts)
        return super().encode_joined(parts, progress)


def test_windows_are_embedded_through_encode_joined_with_their_sentences():
    ru, en = doc()
    enc = JoiningEncoder()
    beads = align_sentences(ru, en, encoder=enc)
    assert ((12, 13), (12,)) in links(beads)
    assert enc.joined and all(len(p) >= 2 for p in enc.joined)
    assert ("ru12.", "ru13.") in enc.joined
    assert len(set(enc.joined)) == len(enc.joined)  # each distinct window once


def test_embed_windows_embeds_each_distinct_window_once():
    enc = JoiningEncoder()
    parts = [("ru1.", "ru2."), ("ru3.", "ru4."), ("ru1.", "ru2.")]
    vecs, distinct, chars = W.embed_windows(parts, enc)
    assert enc.joined == [("ru1.", "ru2."), ("ru3.", "ru4.")]
    assert (distinct, chars) == (2, 2 * len("ru1. ru2."))
    np.testing.assert_array_equal(vecs[0], vecs[2])
    np.testing.assert_allclose(vecs, enc.encode(["ru1. ru2.", "ru3. ru4.", "ru1. ru2."]), atol=1e-6)


def test_cached_encoder_passes_joined_windows_to_the_model(tmp_path):
    enc = JoiningEncoder()
    cached = CachedEncoder(enc, EmbeddingStore(tmp_path / "e.sqlite"))
    cached.encode_joined([("ru1.", "ru2.")])
    cached.encode_joined([("ru1.", "ru2."), ("ru2.", "ru3.")])
    assert enc.joined == [("ru1.", "ru2."), ("ru2.", "ru3.")]  # the first one from the cache
