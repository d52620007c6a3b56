"""align_sentences end to end with the real USE encoder, on small hand-made ru/en texts."""

from __future__ import annotations

import pytest

from aligner.align import AlignConfig, align_sentences

RU = [
    "Вчера в Москве прошёл сильный снегопад.",
    "Городские службы работали всю ночь, убирая улицы.",
    "Движение на некоторых дорогах было перекрыто.",
    "По словам мэра, к утру основные трассы расчистили.",
    "Синоптики обещают похолодание на следующей неделе.",
    "Жителей просят не оставлять машины на обочинах.",
]
EN = [
    "Heavy snow fell in Moscow yesterday.",
    "City services worked all night clearing the streets.",
    "Traffic was closed on some roads.",
    "According to the mayor, the main highways were cleared by morning.",
    "Forecasters promise a cold snap next week.",
    "Residents are asked not to leave their cars on the roadside.",
]


def links(beads):
    return [(b.ru_ids, b.en_ids) for b in beads]


def check_cover(beads, n, m):
    assert [i for b in beads for i in b.ru_ids] == list(range(n))
    assert [j for b in beads for j in b.en_ids] == list(range(m))


def test_one_to_one(use_encoder):
    beads = align_sentences(RU, EN, encoder=use_encoder)
    assert links(beads) == [((i,), (i,)) for i in range(6)]
    assert all(0.0 <= b.score <= 1.0 for b in beads)
    assert all(b.score >= 0.5 for b in beads)
    assert beads[0].ru == RU[0] and beads[0].en == EN[0]
    assert {"sim", "margin", "len_pen"} <= set(beads[0].features)


def test_two_to_one_merge(use_encoder):
    en = EN[:1] + [EN[1] + " " + EN[2]] + EN[3:]  # the translator joined two sentences
    beads = align_sentences(RU, en, encoder=use_encoder)
    assert ((1, 2), (1,)) in links(beads)
    check_cover(beads, 6, 5)


def test_deleted_sentence_gives_one_to_zero(use_encoder):
    en = EN[:3] + EN[4:]  # "According to the mayor..." is missing
    beads = align_sentences(RU, en, encoder=use_encoder)
    assert ((3,), ()) in links(beads)
    null = next(b for b in beads if b.ru_ids == (3,))
    assert null.score == 0.0 and null.en == ""
    assert ((4,), (3,)) in links(beads)


def test_large_inserted_preface(use_encoder):
    preface = [
        "This edition was prepared for the English-speaking reader.",
        "The translator thanks the editors for their patience.",
        "All names have been transliterated according to the usual conventions.",
        "Footnotes were added where the original assumes local knowledge.",
        "Any remaining errors are the translator's own.",
        "The publisher gratefully acknowledges the support of the foundation.",
        "First published in this translation in 2021.",
    ]
    beads = align_sentences(RU, preface + EN, encoder=use_encoder)
    check_cover(beads, 6, 13)
    for i in range(6):
        assert ((i,), (i + 7,)) in links(beads)
    assert all(b.ru_ids == () for b in beads[:7])


def test_empty_sides(use_encoder):
    assert align_sentences([], [], encoder=use_encoder) == []
    beads = align_sentences(RU[:2], [], encoder=use_encoder)
    assert links(beads) == [((0,), ()), ((1,), ())]


def test_deterministic(use_encoder):
    a = align_sentences(RU, EN[:3] + EN[4:], encoder=use_encoder)
    b = align_sentences(RU, EN[:3] + EN[4:], encoder=use_encoder)
    assert links(a) == links(b) and [x.score for x in a] == [x.score for x in b]


def test_a_moved_sentence_is_linked_out_of_order(use_encoder):
    en = [EN[0], EN[2], EN[3], EN[4], EN[1], EN[5]]  # the translator moved "City services ..." down
    beads = align_sentences(RU, en, encoder=use_encoder)
    assert links(beads) == [((0,), (0,)), ((1,), (4,)), ((2,), (1,)), ((3,), (2,)), ((4,), (3,)), ((5,), (5,))]
    assert beads[1].features["crossing"] == 1.0 and beads[1].score >= 0.5
    off = align_sentences(RU, en, encoder=use_encoder, config=AlignConfig().with_(crossing_pairs=False))
    assert ((1,), ()) in links(off) and ((), (4,)) in links(off)
    check_cover(off, 6, 6)


@pytest.mark.parametrize(
    "change",
    [{"margin": False}, {"length": False}, {"anchors": False}, {"merge_check": False},
     {"second_pass": "margin"}, {"second_pass": "cosine"}],
)
def test_ablations_still_cover(use_encoder, change):
    beads = align_sentences(RU, EN, encoder=use_encoder, config=AlignConfig().with_(**change))
    check_cover(beads, 6, 6)


# Tiny documents (1-3 sentences a side, as in Telegram posts): the neighbourhood and the
# document's typical score fall back to priors there (AlignConfig.prior_hub, prior_typical).
TINY_RU = [
    "Летом сюда приезжают туристы, а зимой на мысе остаются только смотритель и его собака.",
    "Маяк построили в 1897 году по проекту местного инженера.",
    "Каждое утро смотритель поднимается на башню и проверяет лампу.",
]
TINY_EN = [
    "In summer tourists come here, and in winter only the keeper and his dog remain on the cape.",
    "The lighthouse was built in 1897 to a design by a local engineer.",
    "Every morning the keeper climbs the tower and checks the lamp.",
]
UNRELATED_EN = [
    "The central bank raised interest rates by half a percentage point on Thursday.",
    "Shares of technology companies fell sharply after the announcement.",
    "Analysts expect inflation to slow down by the end of next year.",
]


@pytest.mark.parametrize("n,m", [(1, 1), (1, 2), (2, 1), (2, 2), (3, 3)])
def test_tiny_translations_align_one_to_one(use_encoder, n, m):
    beads = align_sentences(TINY_RU[:n], TINY_EN[:m], encoder=use_encoder)
    check_cover(beads, n, m)
    aligned = [b for b in beads if not b.is_null]
    assert [(b.ru_ids, b.en_ids) for b in aligned] == [((i,), (i,)) for i in range(min(n, m))]
    assert all(b.score >= 0.5 for b in aligned)
    assert all(b.features["tau"] < 0 for b in aligned)  # a real skip cost, not -0.0


@pytest.mark.parametrize("n,m", [(1, 1), (1, 2), (2, 1), (2, 2), (3, 3)])
def test_tiny_unrelated_stay_unaligned(use_encoder, n, m):
    beads = align_sentences(TINY_RU[:n], UNRELATED_EN[:m], encoder=use_encoder)
    check_cover(beads, n, m)
    assert all(b.is_null or b.score < 0.5 for b in beads)


def test_tiny_same_topic_non_translation_scores_low(use_encoder):
    beads = align_sentences(TINY_RU[:2], ["The keeper's dog sleeps by the stove all winter."], encoder=use_encoder)
    assert all(b.is_null or b.score < 0.5 for b in beads)


@pytest.mark.parametrize("ru,en,link", [(TINY_RU[:2], [TINY_EN[0] + " " + TINY_EN[1]], ((0, 1), (0,))),
                                         ([TINY_RU[0] + " " + TINY_RU[1]], TINY_EN[:2], ((0,), (0, 1)))])
def test_tiny_merges(use_encoder, ru, en, link):
    assert links(align_sentences(ru, en, encoder=use_encoder)) == [link]


class _CountingEncoder:
    """A stand-in encoder (hash-free, deterministic) that records every text it is asked to embed."""

    dim = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts, progress=None):
        import numpy as np

        self.seen.extend(texts)
        out = np.array([[len(t) + 1.0, sum(map(ord, t)) % 97 + 1.0] + [1.0] * 6 for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_embed_sides_one_buffer_each_text_once():
    """Windows are views of one array (no second copy of all vectors) and each distinct text is embedded once."""
    import numpy as np

    from aligner.align import embed_sides

    ru, en = ["a b", "c", "a b", "c"], ["x", "y", "x"]
    enc = _CountingEncoder()
    rs, es = embed_sides(ru, en, enc, 2)
    assert len(enc.seen) == len(set(enc.seen))
    base = rs.emb[0].base
    assert base is not None and all(e.base is base for e in rs.emb + es.emb)
    ref = enc.encode(["a b c", "c a b"])
    assert np.allclose(rs.emb[1], ref[[0, 1, 0]])  # windows "a b c", "c a b", "a b c"


# OCR debris of a scanned page between the sentences (AlignConfig.debris_nulls)
def test_debris_lines_stay_unaligned(use_encoder):
    en = EN[:2] + ["h * \""] + EN[2:4] + [".:-- , .", "f r"] + EN[4:]
    ru = RU[:3] + ["r \\"] + RU[3:]
    beads = align_sentences(ru, en, encoder=use_encoder)
    check_cover(beads, 7, 9)
    assert ((3,), ()) in links(beads)
    for j in (2, 5, 6):
        assert ((), (j,)) in links(beads)
        assert next(b for b in beads if b.en_ids == (j,)).features == {"debris": 1.0}
    for i, j in ((0, 0), (1, 1), (2, 3), (4, 4), (5, 7), (6, 8)):
        assert ((i,), (j,)) in links(beads)
    linked = next(b for b in beads if b.ru_ids == (4,))
    assert linked.en == EN[3] and linked.en_parts == (EN[3],) and linked.score >= 0.5


def test_debris_inside_a_bead_stays_in_it():
    from aligner.align import with_debris
    from aligner.model import Bead

    ru, en = ["Eins zwei drei.", "A", "Vier fünf."], ["Un deux trois quatre cinq.", "f r"]
    inner = [Bead((0, 1), (0,), "", "", 0.9)]  # ru lines 0 and 2 without the debris line 1
    beads = with_debris(inner, [0, 2], [0], ru, en)
    assert [(b.ru_ids, b.en_ids) for b in beads] == [((0, 1, 2), (0,)), ((), (1,))]
    assert beads[0].ru == "Eins zwei drei. A Vier fünf." and beads[0].ru_parts == tuple(ru)
    assert beads[0].score == 0.9


def test_debris_inside_a_bead_leaves_a_hole():
    from aligner.align import with_debris
    from aligner.model import Bead

    ru = ["Grâce aux cordes fixes , l' arête", "h * \"", "est atteinte rapidement .", "Mais dès qu' ils ...", "V"]
    en = ["Dank den Seilen ging es bis zur Gratscharte sehr flott .", "Doch als sie neu spuren mussten ..."]
    inner = [Bead((0, 1), (0,), "", "", 0.9), Bead((2,), (1,), "", "", 0.8)]  # without ru 1 and ru 4
    beads = with_debris(inner, [0, 2, 3], [0, 1], ru, en, holes=True)
    assert [(b.ru_ids, b.en_ids) for b in beads] == [((0, 2), (0,)), ((1,), ()), ((3,), (1,)), ((4,), ())]
    assert beads[0].ru == "Grâce aux cordes fixes , l' arête est atteinte rapidement ."
    assert beads[0].ru_parts == (ru[0], ru[2]) and beads[0].score == 0.9
    assert beads[1].features == {"debris": 1.0} and beads[1].ru == ru[1]


def test_debris_copied_by_the_other_side_is_kept():
    from aligner.align import debris_free

    assert debris_free(["a)", "Первый пункт.", "A"], ["a)", "The first item."]) == ([0, 1], [0, 1])


def test_debris_nulls_off_aligns_every_line(use_encoder):
    en = EN[:2] + ["h * \""] + EN[2:]
    beads = align_sentences(RU, en, encoder=use_encoder, config=AlignConfig().with_(debris_nulls=False))
    check_cover(beads, 6, 7)
    assert all(b.features != {"debris": 1.0} for b in beads)


# ------------------------------------------------------------ properties (debris_nulls)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aligner.align import debris_free, with_debris  # noqa: E402
from aligner.model import Bead  # noqa: E402
import numpy as np  # noqa: E402

from tests.fakes import HashEncoder, vector_for  # noqa: E402

DEBRIS = ["f r", ".", "A", "h * \"", "a)", "* * *", "x", ""]


def _lines(real: list[str]):
    return st.lists(st.one_of(st.sampled_from(real), st.sampled_from(DEBRIS)), max_size=9)


def check_beads(beads, ru, en):
    """Every index once and in order, each bead's text the join of its lines. Two exceptions to the
    order: a debris line between two lines of a bead is a null bead right after it (a hole,
    ``AlignConfig.debris_holes``), and a crossing pair's en id (``AlignConfig.crossing_pairs``)."""
    keep = debris_free(ru, en)
    for side, lines in ((0, ru), (1, en)):
        assert sorted(i for b in beads for i in (b.ru_ids, b.en_ids)[side]) == list(range(len(lines)))
        seq, holes = [], set()
        for b in beads:
            ids = (b.ru_ids, b.en_ids)[side]
            if not ids or (side == 1 and b.features.get("crossing") == 1.0):
                continue
            if b.features == {"debris": 1.0} and ids[0] in holes:
                continue  # the hole of the bead before
            assert list(ids) == sorted(ids)
            gap = set(range(ids[0], ids[-1] + 1)) - set(ids)
            assert not gap & set(keep[side])  # only debris lines are left out of a bead
            holes |= gap
            seq.extend(range(ids[0], ids[-1] + 1))
        assert all(x < y for x, y in zip(seq, seq[1:]))
    for b in beads:
        for ids, text, parts, lines in ((b.ru_ids, b.ru, b.ru_parts, ru), (b.en_ids, b.en, b.en_parts, en)):
            assert text == " ".join(lines[i] for i in ids)
            assert parts == tuple(lines[i] for i in ids)
        assert b.ru_ids or b.en_ids


# chapter headings and numbers, so that the passes after the DP (heading_anchors, number_crossings) fire too
RU_MORE = RU + ["Глава пятая", "V", "В 1955 году здесь было 8848 домов.", "Глава 3"]
EN_MORE = EN + ["Chapter Five", "V", "In 1955 there were 8848 houses here.", "3"]


@settings(max_examples=100, deadline=None)
@given(ru=_lines(RU_MORE), en=_lines(EN_MORE), windows=st.sampled_from(["selective", "all"]),
       paragraphs=st.lists(st.integers(0, 2), min_size=18, max_size=18) | st.none())
def test_debris_nulls_cover_every_line_once_in_order(ru, en, windows, paragraphs):
    par = {} if paragraphs is None else {"ru_paragraphs": sorted(paragraphs[: len(ru)]),
                                         "en_paragraphs": sorted(paragraphs[9 : 9 + len(en)])}
    beads = align_sentences(ru, en, encoder=HashEncoder(), config=AlignConfig().with_(windows=windows), **par)
    check_beads(beads, ru, en)
    keep_ru, keep_en = debris_free(ru, en)
    for b in beads:  # a debris line left out is a null bead of its own, or inside a linked bead
        if b.features == {"debris": 1.0}:
            assert len(b.ru_ids) + len(b.en_ids) == 1
            assert not set(b.ru_ids) & set(keep_ru) and not set(b.en_ids) & set(keep_en)


def _partition(n: int, m: int, steps: list[tuple[int, int]]) -> list[tuple[range, range]]:
    """A monotone cover of ``range(n)`` x ``range(m)`` by beads of the given shapes (then nulls)."""
    out, i, j = [], 0, 0
    for a, b in steps:
        a, b = min(a, n - i), min(b, m - j)
        if a or b:
            out.append((range(i, i + a), range(j, j + b)))
            i, j = i + a, j + b
    out += [(range(k, k + 1), range(j, j)) for k in range(i, n)]
    out += [(range(n, n), range(k, k + 1)) for k in range(j, m)]
    return out


@settings(max_examples=100, deadline=None)
@given(ru_debris=st.lists(st.booleans(), max_size=10), en_debris=st.lists(st.booleans(), max_size=10),
       steps=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=10), holes=st.booleans())
def test_with_debris_puts_every_left_out_line_back_in_order(ru_debris, en_debris, steps, holes):
    ru = [("A" if d else f"Предложение {i}.") for i, d in enumerate(ru_debris)]
    en = [("f r" if d else f"Sentence {j}.") for j, d in enumerate(en_debris)]
    keep_ru, keep_en = debris_free(ru, en)
    assert keep_ru == [i for i, d in enumerate(ru_debris) if not d]
    inner = [Bead(tuple(r), tuple(e), "", "", 0.5) for r, e in _partition(len(keep_ru), len(keep_en), steps)]
    beads = with_debris(inner, keep_ru, keep_en, ru, en, holes=holes)
    check_beads(beads, ru, en)
    if not holes:  # every bead's ids contiguous
        assert all(list(ids) == list(range(ids[0], ids[0] + len(ids))) for b in beads for ids in (b.ru_ids, b.en_ids) if ids)
    assert sum(1 for b in beads if b.features != {"debris": 1.0}) == len(inner)


def test_debris_after_a_crossing_pair_stays_with_the_beads_in_order():
    """A crossing pair's en id lies further on: the debris lines before it belong to the beads
    in order after it. Flushing at it put them first, and without holes twice (as a null and
    inside the 2-2 bead)."""
    ru = ["Р0.", "Р1.", "Р2.", "Р3.", "Р4.", "Р5."]
    en = ["E0.", "E1.", "f r", "E2.", "E3.", "E4.", "E5."]  # en 2 is debris, inside the 2-2 bead
    crossing = Bead((1,), (4,), "", "", 0.9, {"crossing": 1.0})  # ids of ru / en without the debris
    inner = [Bead((0,), (0,), "", "", 0.9), crossing, Bead((2, 3), (1, 2), "", "", 0.9), Bead((4,), (3,), "", "", 0.9),
             Bead((5,), (5,), "", "", 0.9)]
    keep_ru, keep_en = debris_free(ru, en)
    got = [(b.ru_ids, b.en_ids) for b in with_debris(inner, keep_ru, keep_en, ru, en, holes=True)]
    assert got == [((0,), (0,)), ((1,), (5,)), ((2, 3), (1, 3)), ((), (2,)), ((4,), (4,)), ((5,), (6,))]
    got = [(b.ru_ids, b.en_ids) for b in with_debris(inner, keep_ru, keep_en, ru, en, holes=False)]
    assert got == [((0,), (0,)), ((1,), (5,)), ((2, 3), (1, 2, 3)), ((4,), (4,)), ((5,), (6,))]


@settings(max_examples=100, deadline=None)
@given(ru_debris=st.lists(st.booleans(), max_size=10), en_debris=st.lists(st.booleans(), max_size=10),
       steps=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=10), holes=st.booleans(),
       pick=st.tuples(st.integers(0, 20), st.integers(0, 20)))
def test_with_debris_around_a_crossing_pair(ru_debris, en_debris, steps, holes, pick):
    """As ``pair_crossing_nulls`` does: a 1-0 bead becomes a 1-1 bead with the en sentence of a
    0-1 bead elsewhere, which goes; every debris line still comes back once, in order."""
    ru = [("A" if d else f"Предложение {i}.") for i, d in enumerate(ru_debris)]
    en = [("f r" if d else f"Sentence {j}.") for j, d in enumerate(en_debris)]
    keep_ru, keep_en = debris_free(ru, en)
    inner = [Bead(tuple(r), tuple(e), "", "", 0.5) for r, e in _partition(len(keep_ru), len(keep_en), steps)]
    rk = [k for k, b in enumerate(inner) if len(b.ru_ids) == 1 and not b.en_ids]
    ek = [k for k, b in enumerate(inner) if len(b.en_ids) == 1 and not b.ru_ids]
    if rk and ek:
        x, y = rk[pick[0] % len(rk)], ek[pick[1] % len(ek)]
        inner[x] = Bead(inner[x].ru_ids, inner[y].en_ids, "", "", 0.5, {"crossing": 1.0})
        del inner[y]
    beads = with_debris(inner, keep_ru, keep_en, ru, en, holes=holes)
    check_beads(beads, ru, en)
    assert sum(1 for b in beads if b.features != {"debris": 1.0}) == len(inner)


# ------------------------------------------------------------ properties (crossing_pairs)

PAIRS = list(zip(RU, EN)) + [
    ("Музей на холме открывается в девять часов.", "The museum on the hill opens at nine o'clock."),
    ("Дети катались на санках до самого вечера.", "The children went sledging until the evening."),
    ("В парке построили новую ледяную горку.", "A new ice slide was built in the park."),
    ("Магазины продлили часы работы на праздники.", "The shops extended their opening hours for the holidays."),
]


class MeaningEncoder(HashEncoder):
    """A text's vector is the sum of one fixed vector per sentence pair of ``PAIRS`` it holds
    (so a window of sentences is near its sentences), plus a little noise of its own; a text
    holding none of them (debris) is noise only."""

    name = "fake-meaning"
    dim = 48
    base = np.random.default_rng(17).standard_normal((len(PAIRS), 48)).astype(np.float32)

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        out = []
        for t in texts:
            v = 0.3 * vector_for(t, self.dim)
            for k, (r, e) in enumerate(PAIRS):
                if r in t or e in t:
                    v = v + self.base[k]
            out.append(v)
        return np.stack(out) if out else np.zeros((0, self.dim), np.float32)


@st.composite
def moved_translation(draw):
    """ru: some of PAIRS in order; en: their translations with one or two sentences moved a few
    places (a translator's reordering), some sentences left out on either side, and debris."""
    n = draw(st.integers(4, len(PAIRS)))
    order = list(range(n))
    for _ in range(draw(st.integers(1, 2))):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(max(0, a - 4), min(n - 1, a + 4)))
        order.insert(b, order.pop(a))
    ru_keep = [k for k in range(n) if draw(st.integers(0, 7)) > 0]
    en_keep = [k for k in order if draw(st.integers(0, 7)) > 0]
    ru = [PAIRS[k][0] for k in ru_keep]
    en = [PAIRS[k][1] for k in en_keep]
    for side in (ru, en):
        for _ in range(draw(st.integers(0, 1))):
            side.insert(draw(st.integers(0, len(side))), draw(st.sampled_from(DEBRIS[:4])))
    return ru, en


@settings(max_examples=60, deadline=None)
@given(case=moved_translation(), windows=st.sampled_from(["selective", "all"]), crossing=st.booleans())
def test_crossing_pairs_cover_every_sentence_once(case, windows, crossing):
    """With moved sentences (``crossing_pairs`` and ``swapped_pairs`` on or off) every sentence is in
    exactly one bead, ru in order (but for debris holes), and only a crossing bead, 1-1, has its en
    id out of order."""
    ru, en = case
    cfg = AlignConfig().with_(windows=windows, crossing_pairs=crossing, swapped_pairs=crossing)
    beads = align_sentences(ru, en, encoder=MeaningEncoder(), config=cfg)
    check_beads(beads, ru, en)
    for b in beads:
        if b.features.get("crossing"):
            assert crossing and len(b.ru_ids) == 1 and len(b.en_ids) == 1


def test_meaning_encoder_moves_give_crossing_pairs():
    """The strategy above does reach crossing beads (the property is not vacuous)."""
    en = [EN[0], EN[2], EN[3], EN[4], EN[1], EN[5]]
    beads = align_sentences(RU, en, encoder=MeaningEncoder())
    assert [(b.ru_ids, b.en_ids) for b in beads if b.features.get("crossing")] == [((1,), (4,))]
