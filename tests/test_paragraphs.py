"""Paragraph breaks as a soft signal, and unaligned sentences joining the bead that carries them."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align import AlignConfig, Side, align_vectors
from aligner.align.core import RawBead, Scorer, paragraph_breaks, rejoin_nulls
from aligner.align.dp import full_band
from aligner.align.similarity import paragraph_ends
from aligner.pipeline import paragraph_ids, sentences_from_text
from tests.test_align_core import make_side, synthetic


def test_paragraph_ends():
    assert paragraph_ends([0, 0, 1, 2, 2]).tolist() == [False, True, True, False, True]
    assert paragraph_ends([]).tolist() == []


LONG = "A b " + "c " * 60 + "d."  # a line longer than a hard wrap (pipeline.WRAP_WIDTH)


@pytest.mark.parametrize("text,presplit,expected", [
    ("A b. C d.\nE f.\n\n\nG h. I j.\n", False, [0, 0, 0, 1, 1]),  # blank lines separate paragraphs
    # no blank line, lines of 1.2+ sentences on average and one longer than a hard wrap: a
    # paragraph a line (a book saved so)
    (f"{LONG} C d.\nE f.\nG h. I j.\n", False, [0, 0, 1, 2, 2]),
    (f"{LONG}\nE f.\nG h.\n", False, None),  # a sentence a line: maybe pre-split text, no signal
    ("A b. C d.\nE f.\nG h. I j.\n", False, None),  # short lines only: hard wrapping, no signal
    (f"{LONG} C d. E f.\n", False, None),  # one line: nothing to tell apart
    ("A b.\nC d.\n", True, None),  # pre-split lines say nothing about paragraphs
    ("A b.\n\nC d.\n", True, [0, 1]),
    (f"\n\n{LONG} C d.\nE f.\n\n", False, [0, 0, 1]),  # blank lines only at the edges count as none
])
def test_paragraph_ids(text, presplit, expected):
    sents, lines = sentences_from_text(text, "en", presplit)
    assert paragraph_ids(text, lines, presplit) == expected


def sides_with_paragraphs(ru: Side, en: Side, ru_ids, en_ids) -> tuple[Side, Side]:
    return (Side(ru.emb, ru.length, ru.cont, paragraph_ends(ru_ids)),
            Side(en.emb, en.length, en.cont, paragraph_ends(en_ids)))


def test_paragraph_breaks_counts_one_sided_ends_and_inner_breaks():
    z = np.zeros((4, 2), np.float32)
    ru = Side((z,), (np.ones(4),), None, paragraph_ends([0, 0, 1, 1]))
    en = Side((z,), (np.ones(4),), None, paragraph_ends([0, 1, 1, 2]))
    i0, i1 = np.array([0, 0, 2, 0]), np.array([2, 1, 4, 4])
    j0, j1 = np.array([0, 0, 1, 0]), np.array([1, 1, 3, 4])
    # [0,2)x[0,1): both end a paragraph; [0,1)x[0,1): en ends one, ru does not;
    # [2,4)x[1,3): both end one; [0,4)x[0,4): ru has 1 break inside, en 2
    assert paragraph_breaks(ru, en, i0, i1, j0, j1).tolist() == [0.0, 1.0, 0.0, 3.0]


def test_a_prohibitive_paragraph_cost_keeps_beads_inside_paragraphs():
    ru, en, _ = synthetic(60, 0, seed=5)
    m = en.n
    ru_ids = np.arange(ru.n) // 5
    # the en paragraphs follow the truth: each en sentence takes its ru sentence's paragraph
    plain, _ = align_vectors(ru, en, AlignConfig(paragraph_cost=0.0))
    ru_of = {j: b.ru[0] for b in plain for j in range(*b.en) if b.ru[1] > b.ru[0]}
    en_ids = np.array([ru_ids[ru_of.get(j, 0)] for j in range(m)])
    en_ids = np.maximum.accumulate(en_ids)
    ru_p, en_p = sides_with_paragraphs(ru, en, ru_ids, en_ids)
    beads, _ = align_vectors(ru_p, en_p, AlignConfig(paragraph_cost=50.0))
    for b in beads:
        if b.ru[1] > b.ru[0] and b.en[1] > b.en[0]:
            assert len(set(ru_ids[b.ru[0]:b.ru[1]])) == 1 and len(set(en_ids[b.en[0]:b.en[1]])) == 1
            assert ru_ids[b.ru[0]] == en_ids[b.en[0]]


def test_paragraph_cost_is_off_without_paragraphs():
    ru, en, _ = synthetic(40, 0, seed=4)
    a, _ = align_vectors(ru, en, AlignConfig(paragraph_cost=0.0))
    b, _ = align_vectors(ru, en, AlignConfig(paragraph_cost=5.0))
    assert [(x.ru, x.en) for x in a] == [(x.ru, x.en) for x in b]


def folded(extra: np.ndarray | None):
    """ru: x0, x1, x2 (+ an unrelated sentence after x1 when ``extra``); en: x0 + 0.6 x1 (ru 1's
    content folded into en 0's translation, twice as long), x2, plus more 1-1 pairs so the
    neighbourhood terms are realistic."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(12, 32)).astype(np.float32)
    ru_rows = [x[0], x[1]] + ([extra] if extra is not None else []) + [x[2]] + list(x[4:8])
    en_rows = [x[0] + 0.6 * x[1], x[2]] + list(x[4:8] + 0.2 * rng.normal(size=(4, 32)))
    ru = make_side(np.array(ru_rows, np.float32), np.full(len(ru_rows), 60.0))
    en = make_side(np.array(en_rows, np.float32), np.array([120.0] + [60.0] * (len(en_rows) - 1)))
    return ru, en


def run_rejoin(ru: Side, en: Side, beads: list[RawBead], cfg: AlignConfig = AlignConfig()) -> list[RawBead]:
    scorer = Scorer(ru, en, full_band(ru.n, en.n), cfg)
    described = []
    for b in beads:
        (i0, i1), (j0, j1) = b.ru, b.en
        if i1 > i0 and j1 > j0:
            t = scorer.terms(i1 - i0, j1 - j0, np.array([i0]), np.array([j0]))
            b = RawBead(b.ru, b.en, {k: float(v[0]) for k, v in t.items()})
        described.append(b)
    return rejoin_nulls(described, scorer, 0.0, cfg)


def path_of(beads):
    return [(b.ru, b.en) for b in beads]


def test_a_folded_sentence_joins_the_bead_that_carries_it():
    ru, en = folded(None)
    tail = [RawBead((3 + k, 4 + k), (2 + k, 3 + k)) for k in range(4)]
    beads = [RawBead((0, 1), (0, 1)), RawBead((1, 2), (1, 1)), RawBead((2, 3), (1, 2))] + tail
    out = run_rejoin(ru, en, beads)
    assert path_of(out)[:2] == [((0, 2), (0, 1)), ((2, 3), (1, 2))]


def test_an_unrelated_sentence_stays_unaligned():
    rng = np.random.default_rng(11)
    ru, en = folded(rng.normal(size=32).astype(np.float32) * 2)
    tail = [RawBead((4 + k, 5 + k), (2 + k, 3 + k)) for k in range(4)]
    # ru 1 joined to en 0 already; ru 2 (unrelated) is unaligned between two beads
    beads = [RawBead((0, 2), (0, 1)), RawBead((2, 3), (1, 1)), RawBead((3, 4), (1, 2))] + tail
    out = run_rejoin(ru, en, beads)
    assert ((2, 3), (1, 1)) in path_of(out)


def test_rejoining_respects_paragraphs():
    ru, en = folded(None)
    ru, en = sides_with_paragraphs(ru, en, [0, 1, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5])
    tail = [RawBead((3 + k, 4 + k), (2 + k, 3 + k)) for k in range(4)]
    beads = [RawBead((0, 1), (0, 1)), RawBead((1, 2), (1, 1)), RawBead((2, 3), (1, 2))] + tail
    out = run_rejoin(ru, en, beads)
    assert ((1, 2), (1, 1)) in path_of(out)  # ru 1 starts another paragraph than ru 0: not joined there


def test_a_line_that_goes_on_with_the_sentence_before_joins_its_bead():
    """"…avant que l' Himalaya ne dresse ses cimes vers le ciel ; | le travail d' érosion a
    progressé 2 Les Alpes - 1957 - …": a page break cut one sentence, and the running head in the
    second line keeps its cosine low; it joins the bead of the line it goes on with."""
    from dataclasses import replace

    rng = np.random.default_rng(11)
    ru, en = folded(rng.normal(size=32).astype(np.float32) * 2)  # ru 2: unrelated to any en
    tail = [RawBead((4 + k, 5 + k), (2 + k, 3 + k)) for k in range(4)]
    beads = [RawBead((0, 2), (0, 1)), RawBead((2, 3), (1, 1)), RawBead((3, 4), (1, 2))] + tail
    follows = tuple(i == 2 for i in range(ru.n))
    out = path_of(run_rejoin(replace(ru, follows=follows), en, beads))
    assert out[:2] == [((0, 3), (0, 1)), ((3, 4), (1, 2))]
    # not with AlignConfig.follow_on off, nor across a paragraph break, nor past max_window
    assert ((2, 3), (1, 1)) in path_of(run_rejoin(replace(ru, follows=follows), en, beads, AlignConfig(follow_on=False)))
    ru_p, en_p = sides_with_paragraphs(ru, en, [0, 0, 1, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5])
    assert ((2, 3), (1, 1)) in path_of(run_rejoin(replace(ru_p, follows=follows), en_p, beads))
    assert ((2, 3), (1, 1)) in path_of(run_rejoin(replace(ru, follows=follows), en, beads, AlignConfig(max_window=2)))


def test_follows_on_marks_lower_case_lines_after_an_open_sentence():
    from aligner.align.similarity import follows_on

    lines = ["Incontestablement , ces cours d' eau se déversaient dans l' Océan avant que ; ",
             "le travail d' érosion a progressé 2 Les Alpes - 1957 - Die Alpen 17 synchroniquement . ",
             "le soulèvement s' est produit graduellement .",  # after a full stop: a sentence of its own
             "Муравьед впечатлил)", "в Москве, кстати, его не видели.",  # after a smiley: its own too
             "Lhotse , ca. 8510 , Leiter A.Eggler", "Gipfelmannschaft E. Reiss ."]  # a capital: not known
    capitals = ["Der Gipfel ist hoch ."] * 6  # most lines open with a capital, as in a book or a paper
    assert follows_on(lines + capitals) == (False, True, False, False, False, False, False) + (False,) * 6
    # lines that mostly open in lower case (a lower-cased corpus, subtitles): no signal
    assert not any(follows_on(["and then he said", "we should go", "right now", "He left ."]))
    # a line that closes the bracket the line before left open goes on with it, whatever its case
    refs = ["Das Buch von Jean Franco ( « Makalu » , Grenoble-Paris :",
            "B.Arthaud ) , das jetzt auch in deutscher Fassung ( Zürich :",
            "Orell Füssli 1956 ) vorliegt , bringt nichts Neues .",
            "Ein Satz ( mit Klammer ) .", "( Noch einer . )", "Ну и ладно :(", "Пошли домой )"]
    assert follows_on(refs) == (False, True, True, False, False, False, False)


def test_rejoin_off_changes_nothing():
    ru, en, _ = synthetic(60, 0, seed=6)
    a, _ = align_vectors(ru, en, AlignConfig(rejoin_nulls=False))
    assert sum(1 for b in a if (b.ru[1] - b.ru[0]) * (b.en[1] - b.en[0]) == 0)  # the synthetic deletions
    b, _ = align_vectors(ru, en, AlignConfig(rejoin_nulls=True))
    # every bead the rejoin pass leaves alone is unchanged; no sentence is lost
    assert [i for x in b for i in range(*x.ru)] == list(range(ru.n))
    assert [j for x in b for j in range(*x.en)] == list(range(en.n))


def loose_pair(cos: float):
    """Six 1-1 pairs on one topic (cosine 0.56 between different pairs) and, after the third, a
    freely rendered pair whose cosine is ``cos``: below what each of its sentences has with the
    topic's other sentences, so its margin is negative."""
    e = np.eye(32, dtype=np.float32)
    pairs = [0.75 * e[0] + 0.66 * e[i + 1] for i in range(6)]
    a = np.sqrt(cos)
    ru_rows = pairs[:3] + [a * e[0] + np.sqrt(1 - cos) * e[20]] + pairs[3:]
    en_rows = pairs[:3] + [a * e[0] + np.sqrt(1 - cos) * e[21]] + pairs[3:]
    ru = make_side(np.array(ru_rows, np.float32), np.full(7, 60.0))
    en = make_side(np.array(en_rows, np.float32), np.full(7, 60.0))
    beads = [RawBead((k, k + 1), (k, k + 1)) for k in range(3)] + [RawBead((3, 4), (3, 3)), RawBead((4, 4), (3, 4))]
    return ru, en, beads + [RawBead((k, k + 1), (k, k + 1)) for k in range(4, 7)]


def test_a_loose_pair_between_linked_beads_becomes_one_bead():
    ru, en, beads = loose_pair(0.15)
    out = run_rejoin(ru, en, beads)
    pair = [b for b in out if (b.ru, b.en) == ((3, 4), (3, 4))]
    assert pair and pair[0].features["margin"] < 0 and abs(pair[0].features["sim"] - 0.15) < 0.01
    # before (pair_loose_runs off): a negative margin and no paragraphs left both sentences unaligned
    off = run_rejoin(ru, en, beads, AlignConfig(pair_loose_runs=False))
    assert ((3, 4), (3, 3)) in path_of(off) and ((4, 4), (3, 4)) in path_of(off)



def five_part_sentence():
    """ru 0 is rendered as five short en sentences (a list of names and years in Text+Berg);
    then three 1-1 pairs. The DP's largest type is 1-4, so it leaves the fifth en sentence out."""
    e = np.eye(32, dtype=np.float32)
    ru_rows = [e[1:6].sum(axis=0)] + [e[10 + k] for k in range(3)]
    en_rows = [e[1 + k] for k in range(5)] + [e[10 + k] for k in range(3)]
    ru = make_side(np.array(ru_rows, np.float32), np.array([300.0, 60.0, 60.0, 60.0]), max_w=5)
    en = make_side(np.array(en_rows, np.float32), np.full(8, 60.0), max_w=5)
    beads = [RawBead((0, 1), (0, 4)), RawBead((1, 1), (4, 5))] + [RawBead((1 + k, 2 + k), (5 + k, 6 + k)) for k in range(3)]
    return ru, en, beads


def test_an_unaligned_sentence_grows_a_bead_to_max_window():
    ru, en, beads = five_part_sentence()
    assert AlignConfig().max_window == 5
    assert path_of(run_rejoin(ru, en, beads))[0] == ((0, 1), (0, 5))
    # with beads of at most four sentences a side (the DP's own types), it stays unaligned
    out = run_rejoin(ru, en, beads, AlignConfig(max_window=4))
    assert path_of(out)[:2] == [((0, 1), (0, 4)), ((1, 1), (4, 5))]
