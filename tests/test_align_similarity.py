"""Scoring terms: banded dot products, neighbourhood means, the length model, band transpose."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align.dp import band_around_points, full_band
from aligner.align.similarity import (
    block_sums,
    continues,
    heading_number,
    heading_numbers,
    initial_leads,
    is_debris,
    length_penalty,
    length_stats,
    name_key,
    name_keys,
    neighbour_mean,
    numbers,
    pair_dots,
    paren_balance,
    transpose,
    window_texts,
)


def unit(rng, n, d=16):
    x = rng.normal(size=(n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_window_texts():
    assert window_texts(["a.", "b.", "c."], 2) == [["a.", "b.", "c."], ["a. b.", "b. c."]]


@pytest.mark.parametrize("block", [0, 1, 7, 64])
def test_pair_dots_equals_dense(block):
    rng = np.random.default_rng(0)
    a, b = unit(rng, 40), unit(rng, 35)
    band = band_around_points(np.array([[10, 12], [30, 25]]), 39, 34, 3)
    ci, cj = band.cell_coords()
    got = pair_dots(a, b, ci, cj, block)
    np.testing.assert_allclose(got, (a @ b.T)[ci, cj], atol=1e-5)



@pytest.mark.parametrize("block", [0, 1, 4, 64])
def test_pair_dots_on_cells_of_a_few_far_apart_rows(block):
    # rows with long gaps between them (the cells a rescoring pass asks for): many block
    # edges fall on the same cell, and no block may come out empty or lose a cell
    rng = np.random.default_rng(1)
    a, b = unit(rng, 40), unit(rng, 35)
    ci = np.array([0, 0, 1, 20, 20, 20, 21, 39], dtype=np.int64)
    cj = np.array([3, 4, 0, 30, 31, 34, 2, 34], dtype=np.int64)
    got = pair_dots(a, b, ci, cj, block)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, np.einsum("kd,kd->k", a[ci], b[cj]), atol=1e-5)

def test_neighbour_mean_top_k_in_range():
    rng = np.random.default_rng(1)
    a, b = unit(rng, 5), unit(rng, 9)
    lo, hi = np.array([0, 0, 2, 3, 5]), np.array([4, 5, 7, 9, 9])
    got = neighbour_mean(a, b, lo, hi, 3)
    full = a @ b.T
    want = [np.sort(full[i, lo[i] : hi[i]])[-3:].mean() for i in range(5)]
    np.testing.assert_allclose(got, want, atol=1e-5)


def test_length_model_from_the_document():
    ru = np.array([100.0, 200, 50, 120, 80, 90])
    en = ru * 0.88  # Russian about 12 % longer than English
    pairs = np.stack([np.arange(6), np.arange(6)], axis=1)
    mu, sigma = length_stats(ru, en, pairs, floor=0.2)
    assert mu == pytest.approx(np.log(0.88), abs=0.01)
    assert sigma == 0.2
    pen = length_penalty(np.array([100.0, 100.0]), np.array([88.0, 40.0]), mu, sigma)
    assert pen[0] < 0.01 < 1.0 < pen[1]


def test_few_anchors_widen_the_spread_where_the_total_ratio_disagrees():
    # three review sentences against the translation of the last: the total ratio says a third,
    # the one anchor (ru 2 : en 0) says about as long
    ru, en = np.array([70.0, 66.0, 44.0]), np.array([50.0])
    mu, sigma = length_stats(ru, en, np.array([[2, 0]]), floor=0.2)
    assert mu == pytest.approx(np.log(51 / 181))
    assert sigma == pytest.approx(np.log(51 / 45) - np.log(51 / 181))
    assert length_penalty(np.array([44.0]), np.array([50.0]), mu, sigma)[0] < 1.0  # the true pair is plausible
    # anchors that agree with the total keep the floor; no anchor: the total ratio and the floor
    assert length_stats(np.array([100.0, 80.0]), np.array([90.0, 70.0]), np.array([[0, 0]]), 0.2)[1] == 0.2
    assert length_stats(ru, en, np.zeros((0, 2), dtype=int), 0.2) == (pytest.approx(np.log(51 / 181)), 0.2)


def test_a_short_review_with_two_sentences_deleted_links_only_the_third(use_encoder) -> None:
    from aligner.align import AlignConfig, align_sentences

    ru = ["Уютное кафе в самом центре, сидели у окна после долгой прогулки по набережной.",
          "Персонал вежливый, музыка негромкая, цены вполне разумные для такого места.",
          "Летом есть веранда с видом на реку."]
    en = ["In summer there is a terrace overlooking the river."]
    beads = align_sentences(ru, en, encoder=use_encoder, config=AlignConfig())
    assert [(b.ru_ids, b.en_ids) for b in beads] == [((0,), ()), ((1,), ()), ((2,), (0,))]


def test_transpose_of_full_band():
    t = transpose(full_band(3, 5))
    assert t.lo.tolist() == [0] * 6 and t.hi.tolist() == [3] * 6


@pytest.mark.parametrize("nb,expected", [(1, (0.9 + 3 * 0.33) / 4), (2, (0.9 + 0.2 + 2 * 0.33) / 4)])
def test_neighbour_mean_pads_missing_neighbours_with_the_prior(nb, expected):
    a = np.array([[1.0, 0.0]], dtype=np.float32)
    b = np.array([[0.9, np.sqrt(1 - 0.81)], [0.2, np.sqrt(1 - 0.04)]], dtype=np.float32)[:nb]
    got = neighbour_mean(a, b, np.array([0]), np.array([nb]), k=4, pad=0.33)
    assert got[0] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("sentence,expected", [
    ("Inzwischen ist das Buch herausgekommen :", True),
    ("le plus élevé est si aigu ;", True),
    ("Он сказал:  ", True),
    ("Der Gipfel ist 8848 m hoch .", False),
    ("Why?", False),
    ("", False),
])
def test_continues_marks_colon_and_semicolon_ends(sentence, expected):
    assert continues([sentence]).tolist() == [expected]


@pytest.mark.parametrize("edges", [
    [0, 25, 49, 75, 100],  # the coarse pass's blocks of ~25 rows
    [0, 9, 18, 27],  # shortest replayed blocks
    [0, 129, 260],  # longest replayed, then one that falls back to reduceat
    [0, 3, 20, 40],  # a short block: reduceat
])
def test_block_sums_equal_reduceat_bit_for_bit(edges):
    x = np.random.default_rng(0).standard_normal((edges[-1], 16)).astype(np.float32)
    e = np.array(edges)
    np.testing.assert_array_equal(block_sums(x, e), np.add.reduceat(x, e[:-1], axis=0))


@pytest.mark.parametrize("len_x,len_y", [(np.array([5.0, 80.0]), np.array([6.0, 40.0])), (12.0, 30.0)])
def test_length_penalty_arrays_and_scalars(len_x, len_y):
    z = (np.log((np.asarray(len_y) + 10.0) / (np.asarray(len_x) + 10.0)) - 0.1) / 0.3
    np.testing.assert_array_equal(length_penalty(len_x, len_y, 0.1, 0.3), 0.5 * z * z)


@pytest.mark.parametrize("sentence,expected", [
    ("Für Chomo-Lungma ergaben Berechnungen aus den Jahren 1849 und 1850 einen Mittelwert von 8840 m.", {"1849", "1850", "8840"}),
    ("Die neue offizielle Kote ist jedoch nur 8847,60 oder abgerundet 8848 m.", {"8847", "8848"}),
    ("pour un officier de liaison 5 000 roupies népalaises ;", {"5000"}),
    ("Цена выросла до 5\u00a0000 рублей, а в 2021 г. — до 12.500.", {"5000", "2021", "12500"}),
    ("It rose to 5,000 rubles.", {"5000"}),
    ("le travail d' érosion a progressé 2 Les Alpes - 1957 - Die Alpen 17 synchroniquement", {"1957"}),
    ("Am 11. Mai, Nr. 57, S. 42.", set()),
])
def test_numbers_keep_three_digits_or_more_and_join_thousands(sentence, expected):
    assert numbers([sentence]) == (frozenset(expected),)


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("f r ", True), ('h * " ', True), (".:-- , . ", True), ("..... ", True), ("- _- ", True),
        ("A ", True), ("r \\ ", True), ("D.A . ", True), ("**&gt; ", True),
        # text, or marks that belong to a neighbouring sentence
        ("Rechts der Dom . ", False), (". ", False), ("! ", False), ("» . ", False), (", . ", False),
        ("24 a ! ", False), ("141 ", False), ("II", False), ("L' E . ", False), ("Vv ", False),
        ("— Да.", False), ("“No.”", False), ("А?", False), ("— У!", False), ("А… а!", False),
    ],
)
def test_is_debris_takes_stray_marks_not_short_text(sentence, expected):
    assert is_debris(sentence) is expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("V", 5), ("II.", 2), ("XIV", 14), ("I. Мальчик с ручкой", 1), ("I. Bourgeois and Proletarians", 1),
        ("Глава пятая", 5), ("Глава четвёртая", 4), ("Глава третья", 3), ("глава 12", 12),
        ("Chapter V.", 5), ("Chapter the Fifth", 5), ("Chapter seven", 7),
        # not chapter headings
        ("I think so.", 0), ("1.", 0), ("IIII", 0), ("Глава", 0), ("Глава пятнадцатая", 0),
        ("Chapter Seventeen", 0), ("Часть первая", 0), ("Ворон", 0), ("I.V. Stalin said so.", 0),
    ],
)
def test_heading_number_reads_chapter_headings_only(sentence, expected):
    assert heading_number(sentence) == expected


def test_paren_balance_marks_lines_that_stop_inside_brackets():
    lines = [
        "Monica Jackson and Elizabeth Stark , « Tents in the Clouds » ( London : ",
        "Collins 1956 ) , flott geschrieben und hübsch illustriert . ",
        "( Die Sohlen aus Gummi , das wirkt doch wie Schmierseife . ",  # a sentence ends in the bracket
        "Dann werdet ihr wie eingesalbte Ölgötzen in die Tiefe rutschen ! ) ",
        "Hartog , J. Brown ( Leiter ) und Dr. Tom Patey . ",
        "Le sommet fut atteint ( n° 57 du rôle des sherpas",
        "если брать «обычный игровой процесс» то компы плохо тянут :(",  # emoticons are no brackets
        "This place is a family tradition for us now :-)",
        "Спасибо всем))",
    ]
    assert paren_balance(lines) == (1, -1, 0, -1, 0, 1, 0, 0, 0)


def test_name_keys_match_across_scripts_and_case_forms():
    assert name_key("Эванс") == name_key("Evans") == "evans"
    assert name_key("Абалакова") == name_key("Abalakow") == "abala"
    assert name_keys(["Leiter Ch.Evans , 8597 m", "E . M ."]) == (frozenset({"leite", "evans"}), frozenset())


def test_initial_leads_mark_a_name_cut_off_its_initial():
    lines = [
        "Erstersteigung 1933 durch B.M . ",
        "Abalakow , seitdem wiederholt besucht . ",  # after an initial: "abala"
        "10. Gasherbrum II , 8035 m. Chef F.Morawec ; équipe du sommet H. Larch-F . ",
        "Morawec- H. Willenpart . ",  # after "Larch-F .": "moraw"
        "7. Kangchendzönga , ca. 8597 m , Leiter Ch . ",
        "Evans , Gipfelmannschaften G. Band-J . ",  # after a title: "evans"
        "Brown .",  # after "Band-J .", but a name needs three letters or more: "brown"
        "Er kam im Jahr 1956 .",  # after a word, not an initial
        "Es regnete .",
    ]
    assert initial_leads(lines) == ("", "abala", "", "moraw", "", "evans", "brown", "", "")
    # a line after an initial that opens with a small word, a number or a short word marks nothing
    assert initial_leads(["durch B.M .", "und Abalakow ."]) == ("", "")
    assert initial_leads(["durch B.M .", "1933 Abalakow ."]) == ("", "")
    assert initial_leads(["Никулиным Ю.", "И теперь уже с детьми."]) == ("", "")
    assert initial_leads(["A .", "Abalakow ."]) == ("", "")  # a letter alone is no initial of a name


def test_heading_numbers_of_a_side():
    assert heading_numbers(["Глава первая", "Дом стоял у реки.", "Глава вторая"]) == (1, 0, 2)
