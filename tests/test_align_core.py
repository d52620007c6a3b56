"""align_vectors on synthetic long inputs: the band path, linear band size, a large insertion."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from aligner.align import AlignConfig, Side, align_vectors
from aligner.align.core import (RawBead, Scorer, continuation_end, give_edges_to_nulls, join_heading_titles, merge_paren_crossings,
                                length_agreement, mend_initial_cuts, merge_number_crossings, pair_crossing_nulls,
                                split_at_headings, split_swapped_pairs)
from aligner.align.dp import full_band
from aligner.align.similarity import initial_leads, name_keys


def make_side(e: np.ndarray, lengths: np.ndarray, max_w: int = 4) -> Side:
    emb, lens = [], []
    for w in range(1, max_w + 1):
        s = sum(e[i : len(e) - w + 1 + i] for i in range(w))
        emb.append((s / np.linalg.norm(s, axis=1, keepdims=True)).astype(np.float32))
        lens.append(sum(lengths[i : len(lengths) - w + 1 + i] for i in range(w)) + w - 1)
    return Side(tuple(emb), tuple(lens))


def synthetic(n: int, preface: int, seed: int = 0, dim: int = 64):
    """en = noisy copy of ru with 2 % deleted sentences and an en-only preface."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dim)).astype(np.float32)
    keep = rng.random(n) > 0.02
    y = np.vstack([rng.normal(size=(preface, dim)), (x + 0.7 * rng.normal(size=x.shape))[keep]]).astype(np.float32)
    lx = rng.integers(30, 200, n).astype(float)
    ly = np.concatenate([rng.integers(30, 200, preface), lx[keep] * 0.9]).astype(float)
    truth = {(i, preface + k) for k, i in enumerate(np.flatnonzero(keep))}
    return make_side(x, lx), make_side(y, ly), truth


@pytest.mark.parametrize("n,preface", [(3000, 0), (3000, 400)])
def test_long_input_uses_a_linear_band(n, preface):
    ru, en, truth = synthetic(n, preface)
    beads, stats = align_vectors(ru, en, AlignConfig())
    assert not stats.full
    assert stats.band_cells < 60 * (n + preface)  # never the (n+1)(m+1) matrix
    assert [i for b in beads for i in range(*b.ru)] == list(range(ru.n))
    assert [j for b in beads for j in range(*b.en)] == list(range(en.n))
    ones = {(b.ru[0], b.en[0]) for b in beads if b.ru[1] - b.ru[0] == 1 and b.en[1] - b.en[0] == 1}
    assert len(ones & truth) >= 0.98 * len(truth)
    # the preface stays unaligned (a deleted ru sentence may still pair with one preface line)
    aligned_preface = sum(1 for b in beads if b.ru[0] < b.ru[1] and b.en[0] < preface)
    assert aligned_preface <= 0.01 * preface


def test_short_input_searches_everything():
    ru, en, _ = synthetic(50, 0)
    _, stats = align_vectors(ru, en, AlignConfig())
    assert stats.full and stats.band_cells == (ru.n + 1) * (en.n + 1)


def test_without_anchors_band_follows_the_coarse_path():
    ru, en, truth = synthetic(2000, 0, seed=3)
    beads, stats = align_vectors(ru, en, AlignConfig(anchors=False))
    with_anchors = align_vectors(ru, en, AlignConfig())[1]
    assert stats.band_cells > with_anchors.band_cells  # anchors narrow the band
    assert [i for b in beads for i in range(*b.ru)] == list(range(ru.n))


def test_repeated_text_keeps_the_band_narrow():
    """A document whose text recurs (10 copies of 1200 sentences): the coarse path must stay on
    the diagonal although each block's copies are as similar to it as its true match (with
    margin-scored blocks it wandered, and the band grew to ~36 cells per sentence)."""
    rng = np.random.default_rng(5)
    x = np.tile(rng.normal(size=(1200, 64)), (10, 1)).astype(np.float32)
    y = (x + 0.9 * rng.normal(size=x.shape)).astype(np.float32)
    lx = np.tile(rng.integers(30, 200, 1200), 10).astype(float)
    ru, en = make_side(x, lx), make_side(y, lx * 0.9)
    beads, stats = align_vectors(ru, en, AlignConfig())
    assert not stats.full and stats.band_cells < 25 * ru.n
    ones = {(b.ru[0], b.en[0]) for b in beads if b.ru[1] - b.ru[0] == 1 and b.en[1] - b.en[0] == 1}
    assert len(ones & {(i, i) for i in range(ru.n)}) >= 0.98 * ru.n


@pytest.mark.parametrize(
    "lx,ly,mu,lo,hi",
    [
        (100.0, 100.0, 0.0, 1.0, 1.0),  # equal lengths agree fully
        (100.0, 90.0, float(np.log(0.9)), 1.0, 1.0),  # at the document's own ratio
        (100.0, 50.0, 0.0, 0.6, 0.65),  # half as long: log2(1 + 60/110)
        (300.0, 5.0, 0.0, 0.0, 0.1),  # one side almost empty
        (3.0, 2.0, 0.0, 0.9, 1.0),  # "Да." / "Yes.": smoothing forgives short pairs
    ],
)
def test_length_agreement(lx, ly, mu, lo, hi):
    f = float(length_agreement(np.array([lx]), np.array([ly]), mu)[0])
    assert lo - 1e-9 <= f <= hi + 1e-9


@pytest.mark.parametrize("second_pass", ["margin", "cosine", "blend"])
def test_second_pass_modes_cover_and_align(second_pass):
    ru, en, truth = synthetic(200, 0, seed=7)
    beads, _ = align_vectors(ru, en, AlignConfig(second_pass=second_pass))
    assert [i for b in beads for i in range(*b.ru)] == list(range(ru.n))
    assert [j for b in beads for j in range(*b.en)] == list(range(en.n))
    ones = {(b.ru[0], b.en[0]) for b in beads if b.ru[1] - b.ru[0] == 1 and b.en[1] - b.en[0] == 1}
    assert len(ones & truth) >= 0.95 * len(truth)


def fragments(seed: int = 0, n: int = 40, dim: int = 64):
    """en = noisy copy of ru in which every 5th ru sentence is split into two en fragments,
    each carrying half of the sentence plus its own noise (alone a weak match, together a
    good one). Returns the sides and the expected 1-2 beads."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dim)).astype(np.float32)
    rows, lens, split = [], [], []
    lx = rng.integers(60, 200, n).astype(float)
    for i in range(n):
        if i % 5 == 2:
            split.append(((i, i + 1), (len(rows), len(rows) + 2)))
            for _ in range(2):
                rows.append(0.5 * x[i] + 0.9 * rng.normal(size=dim))
                lens.append(lx[i] / 2)
        else:
            rows.append(x[i] + 0.5 * rng.normal(size=dim))
            lens.append(lx[i])
    y = np.array(rows, dtype=np.float32)
    return make_side(x, lx), make_side(y, np.array(lens)), split


@pytest.mark.parametrize("second_pass", ["margin", "cosine", "blend"])
@pytest.mark.parametrize("seed", [0, 1])
def test_split_sentences_become_one_to_two(second_pass, seed):
    """Fragments (weak matches alone, a good one together) are joined into 1-2 beads in every
    mode (the benchmark, not this synthetic case, is where the modes differ)."""
    ru, en, split = fragments(seed)
    beads, _ = align_vectors(ru, en, AlignConfig(second_pass=second_pass))
    assert len({(b.ru, b.en) for b in beads} & set(split)) >= 0.75 * len(split)


def test_unknown_second_pass_is_refused():
    ru, en, _ = synthetic(20, 0)
    with pytest.raises(ValueError, match="second_pass"):
        align_vectors(ru, en, AlignConfig(second_pass="bogus"))


@pytest.mark.parametrize("mode,expected", [("mismatch", [0.0, 1.0, 1.0, 0.0]), ("any", [0.0, 1.0, 1.0, 1.0])])
def test_continuation_end(mode, expected):
    ru = Side((np.zeros((4, 2), np.float32),), (np.ones(4),), np.array([False, True, False, True]))
    en = Side((np.zeros((4, 2), np.float32),), (np.ones(4),), np.array([False, False, True, True]))
    idx = np.arange(4)
    assert continuation_end(ru, en, idx, idx, mode).tolist() == expected


def with_cont(side: Side, cont: np.ndarray) -> Side:
    return Side(side.emb, side.length, cont)


def test_continuation_cost_keeps_beads_from_ending_on_a_one_sided_colon():
    """With a prohibitive cost no linked bead ends on a sentence that goes on (colon) on one side only."""
    ru, en, _ = synthetic(60, 0, seed=3)
    cont = np.zeros(ru.n, dtype=bool)
    cont[5::7] = True
    ru, en = with_cont(ru, cont), with_cont(en, np.zeros(en.n, dtype=bool))
    plain, _ = align_vectors(ru, en, AlignConfig(continuation_cost=0.0))
    costly, _ = align_vectors(ru, en, AlignConfig(continuation_cost=5.0))

    def ends_on_colon(beads):
        return [b for b in beads if b.ru[1] > b.ru[0] and b.en[1] > b.en[0] and cont[b.ru[1] - 1]]

    assert ends_on_colon(plain)  # the synthetic 1-1 translation ends there
    assert not ends_on_colon(costly)


def test_continuation_cost_is_off_without_marks():
    ru, en, _ = synthetic(40, 0, seed=4)
    a, _ = align_vectors(ru, en, AlignConfig(continuation_cost=0.0))
    b, _ = align_vectors(ru, en, AlignConfig(continuation_cost=5.0))
    assert [(x.ru, x.en) for x in a] == [(x.ru, x.en) for x in b]


def loose_two_to_one(dim: int = 64):
    """ru 0 translates en 0 closely; ru 1 carries the rest of en 0 loosely (little cosine),
    and the lengths say en 0 holds both ru sentences."""
    rng = np.random.default_rng(5)
    u = rng.normal(size=dim)
    x = np.stack([u + 0.6 * rng.normal(size=dim), u + rng.normal(size=dim)]).astype(np.float32)
    y = u[None, :].astype(np.float32)
    return make_side(x, np.array([60.0, 60.0]), 2), make_side(y, np.array([121.0]), 1)


@pytest.mark.parametrize("veto", [True, False])
def test_merge_check_length_veto(veto):
    """Detaching ru 1 raises the cosine, but leaves a bead whose lengths disagree (60 vs 121
    characters): the length term keeps the 2-1 bead together unless switched off."""
    from aligner.align.core import Scorer, _describe, merge_check
    from aligner.align.dp import full_band

    ru, en = loose_two_to_one()
    cfg = AlignConfig(merge_check_length=veto)
    scorer = Scorer(ru, en, full_band(ru.n, en.n), cfg)
    scorer.mu, scorer.sigma = 0.0, cfg.length_sigma_floor
    whole = _describe(scorer, 0.0, 0, 2, 0, 1)
    alone = _describe(scorer, 0.0, 0, 1, 0, 1)
    assert alone.features["sim"] > whole.features["sim"] + cfg.merge_check_tolerance  # cosine alone would split
    out = merge_check([whole], scorer, 0.0, cfg)
    assert [(b.ru, b.en) for b in out] == ([((0, 2), (0, 1))] if veto else [((0, 1), (0, 1)), ((1, 2), (1, 1))])


@pytest.mark.parametrize("runs", [True, False])
def test_merge_check_detaches_two_end_sentences_that_hide_each_other(runs):
    """ru 0 is en 0; en 1 and en 2 have no counterpart (two neighbouring deletions) and cancel
    out in part, so taking en 2 away alone leaves the cosine where it was: only the pair of
    them, detached together, shows the 1-1 (``merge_check_runs``)."""
    from aligner.align.core import Scorer, _describe, merge_check
    from aligner.align.dp import full_band

    rng = np.random.default_rng(7)
    u, v = rng.normal(size=64), rng.normal(size=64)
    v -= (v @ u) / (u @ u) * u  # orthogonal to u
    v *= np.linalg.norm(u) / np.linalg.norm(v)
    ru = make_side(u[None, :].astype(np.float32), np.array([60.0]), 4)
    en = make_side(np.stack([u, v, -2 * v]).astype(np.float32), np.array([60.0, 40.0, 40.0]), 4)
    cfg = AlignConfig(merge_check_runs=runs)
    scorer = Scorer(ru, en, full_band(ru.n, en.n), cfg)
    scorer.mu, scorer.sigma = 0.0, cfg.length_sigma_floor
    whole = _describe(scorer, 0.0, 0, 1, 0, 3)
    assert _describe(scorer, 0.0, 0, 1, 0, 2).features["sim"] < whole.features["sim"] + cfg.merge_check_tolerance
    out = merge_check([whole], scorer, 0.0, cfg)
    assert [(b.ru, b.en) for b in out] == (
        [((0, 1), (0, 1)), ((1, 1), (1, 2)), ((1, 1), (2, 3))] if runs else [((0, 1), (0, 3))])


def _one_to_one_beads(sims: list[float]):
    from aligner.align.core import RawBead

    return [RawBead((k, k + 1), (k, k + 1), {"sim": s}) for k, s in enumerate(sims)]


def test_merge_tolerance_grows_with_the_documents_spread():
    """Tight documents keep the plain tolerance; loose ones (scattered 1-1 cosines) ask more of a
    detach; too few 1-1 beads give no spread to trust."""
    from aligner.align.core import merge_tolerance

    cfg = AlignConfig()
    tight = _one_to_one_beads([0.80 + 0.01 * (k % 3) for k in range(20)])
    loose = _one_to_one_beads([0.45 + 0.03 * (k % 11) for k in range(20)])
    assert merge_tolerance(tight, cfg) == cfg.merge_check_tolerance
    mad = float(np.median(np.abs(np.array([b.features["sim"] for b in loose]) - np.median([b.features["sim"] for b in loose]))))
    assert merge_tolerance(loose, cfg) == pytest.approx(cfg.merge_check_spread * mad)
    assert merge_tolerance(loose, cfg) > cfg.merge_check_tolerance
    assert merge_tolerance(loose[:9], cfg) == cfg.merge_check_tolerance
    assert merge_tolerance(loose, cfg.with_(merge_check_spread=0.0)) == cfg.merge_check_tolerance


def test_piece_sims_marks_merged_beads_with_their_weakest_sentence():
    """Each sentence of a merged side against the other side's whole window; 1-1 beads get nothing."""
    from types import SimpleNamespace

    from aligner.align.core import RawBead, piece_sims

    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 16)).astype(np.float32)
    stray = rng.normal(size=(1, 16)).astype(np.float32)
    ru = make_side(x, np.full(3, 50.0))
    en = make_side(np.vstack([x[:2] + 0.1 * rng.normal(size=(2, 16)), stray]).astype(np.float32), np.full(3, 50.0))
    beads = [RawBead((0, 1), (0, 1), {}), RawBead((1, 2), (1, 3), {}), RawBead((2, 3), (3, 3), {})]
    piece_sims(beads, SimpleNamespace(ru=ru, en=en))
    assert "piece_min" not in beads[0].features and "piece_min" not in beads[2].features
    want = min(float(en.emb[0][1] @ ru.emb[0][1]), float(en.emb[0][2] @ ru.emb[0][1]))
    assert beads[1].features["piece_min"] == pytest.approx(want, abs=1e-6)
    assert want == pytest.approx(float(en.emb[0][2] @ ru.emb[0][1]), abs=1e-6)  # the stray sentence is the weak one


def crossing_pair(ru_nums, en_nums, par=None):
    """Four 1-1 pairs; ``ru_nums`` / ``en_nums``: the numbers of each side's sentences."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 32)).astype(np.float32)
    ru = make_side(x, np.full(4, 80.0), max_w=5)
    en = make_side(x + 0.3 * rng.normal(size=x.shape).astype(np.float32), np.full(4, 80.0), max_w=5)
    ru = replace(ru, nums=tuple(frozenset(n) for n in ru_nums))
    en = replace(en, nums=tuple(frozenset(n) for n in en_nums))
    if par is not None:
        ru, en = replace(ru, par=np.array(par[0])), replace(en, par=np.array(par[1]))
    beads = [RawBead((k, k + 1), (k, k + 1), {}) for k in range(4)]
    return ru, en, beads


def run_crossings(ru, en, beads, cfg=AlignConfig()):
    return [(b.ru, b.en) for b in merge_number_crossings(beads, Scorer(ru, en, full_band(ru.n, en.n), cfg), 0.0, cfg)]


def test_a_number_across_the_boundary_joins_two_beads():
    # "... von 8840 m" | "... 8848 m" / "... de 8840 m ;" | "... jusqu'au de 8900 m. La nouvelle cote ... 8848 m"
    ru, en, beads = crossing_pair([{"8840"}, {"8848"}, set(), set()], [{"8840"}, {"8900", "8848"}, set(), set()])
    assert run_crossings(ru, en, beads)[:2] == [((0, 1), (0, 1)), ((1, 2), (1, 2))]  # numbers agree: kept
    ru, en, beads = crossing_pair([{"8840", "1955"}, set(), set(), set()], [{"8840"}, {"1955"}, set(), set()])
    assert run_crossings(ru, en, beads) == [((0, 2), (0, 2)), ((2, 3), (2, 3)), ((3, 4), (3, 4))]


def test_number_crossings_keep_to_paragraphs_and_need_numbers():
    nums = ([{"1955"}, set(), set(), set()], [set(), {"1955"}, set(), set()])
    ru, en, beads = crossing_pair(*nums, par=([True, False, False, True], [True, False, False, True]))
    assert run_crossings(ru, en, beads)[:2] == [((0, 1), (0, 1)), ((1, 2), (1, 2))]
    ru, en, beads = crossing_pair(*nums)
    assert run_crossings(ru, en, beads)[0] == ((0, 2), (0, 2))
    assert run_crossings(replace(ru, nums=None), en, beads)[:2] == [((0, 1), (0, 1)), ((1, 2), (1, 2))]
    # a number in both of one side's beads says nothing about where the boundary is
    ru, en, beads = crossing_pair([{"1955"}, {"1955"}, set(), set()], [set(), {"1955"}, set(), set()])
    assert run_crossings(ru, en, beads)[:2] == [((0, 1), (0, 1)), ((1, 2), (1, 2))]


def run_parens(ru_parens, en_parens, beads, par=None, cfg=AlignConfig()):
    """Four 1-1 pairs (as ``crossing_pair``) with the given bracket cuts, aligned as ``beads``."""
    ru, en, _ = crossing_pair([set()] * 4, [set()] * 4, par=par)
    ru = replace(ru, parens=None if ru_parens is None else tuple(ru_parens))
    en = replace(en, parens=tuple(en_parens))
    beads = [RawBead(r, e, {}) for r, e in beads]
    return [(b.ru, b.en) for b in merge_paren_crossings(beads, Scorer(ru, en, full_band(ru.n, en.n), cfg), 0.0, cfg)]


def test_a_bracket_cut_by_a_bead_boundary_joins_the_two_beads():
    # "« Dämon Himalaya » ( Basel :" | "Benno Schwabe 1935 ) ." / "Dämon Himalaya ." | "Benno Schwabe , Basel 1935 ."
    ones = [((k, k + 1), (k, k + 1)) for k in range(4)]
    assert run_parens([0, 1, -1, 0], [0, 0, 0, 0], ones) == [((0, 1), (0, 1)), ((1, 3), (1, 3)), ((3, 4), (3, 4))]
    assert run_parens([0, 0, 0, 0], [1, -1, 0, 0], ones)[0] == ((0, 2), (0, 2))  # either side
    assert run_parens([0, 1, -1, 0], [0, 1, -1, 0], ones) == ones  # both sides cut alike: kept
    # a bracket closed inside a bead, one left open, or a close with nothing open before it: kept
    two = [((0, 2), (0, 2)), ((2, 3), (2, 3)), ((3, 4), (3, 4))]
    assert run_parens([1, -1, 0, 0], [0] * 4, two) == two
    assert run_parens([0, 1, 0, 0], [0] * 4, ones) == ones
    assert run_parens([0, 0, -1, 0], [0] * 4, ones) == ones


def test_paren_crossings_keep_to_links_window_and_paragraphs():
    cut = ([0, 1, -1, 0], [0, 0, 0, 0])
    ones = [((k, k + 1), (k, k + 1)) for k in range(4)]
    # an unaligned sentence after the cut is not joined
    beads = [((0, 1), (0, 1)), ((1, 2), (1, 2)), ((2, 3), (2, 2)), ((3, 4), (2, 4))]
    assert run_parens(*cut, beads) == beads
    assert run_parens(*cut, ones, cfg=AlignConfig().with_(max_window=1)) == ones
    assert run_parens(*cut, ones, par=([False, True, False, True], [False, True, False, True])) == ones
    assert run_parens(None, cut[1], ones) == ones  # no bracket cuts known


def run_initials(ru_lines, en_lines, beads, par=None, cfg=AlignConfig()):
    """Four sentences a side (as ``crossing_pair``) with the names and initial cuts of the given
    lines, aligned as ``beads``."""
    ru, en, _ = crossing_pair([set()] * 4, [set()] * 4, par=par)
    ru = replace(ru, names=name_keys(ru_lines), initial_leads=initial_leads(ru_lines))
    en = replace(en, names=name_keys(en_lines), initial_leads=initial_leads(en_lines))
    beads = [RawBead(r, e, {}) for r, e in beads]
    return [(b.ru, b.en) for b in mend_initial_cuts(beads, Scorer(ru, en, full_band(ru.n, en.n), cfg), 0.0, cfg)]


# textberg_dev: the German line is cut after "B.M", the French one keeps the name whole
ABALAKOW = (["Die Nordwand ist steil .", "Erstersteigung 1933 durch B.M .", "Abalakow , seitdem wiederholt besucht .",
             "Der Gipfel ist 6995 m hoch ."],
            ["La face nord est raide .", "Première ascension en 1933 par E. M. Abalakow .", "Souvent visité depuis .",
             "Le sommet a 6995 m ."])
ONES = [((k, k + 1), (k, k + 1)) for k in range(4)]


def test_a_name_cut_off_its_initial_joins_the_bead_that_holds_it():
    ru, en = ABALAKOW
    assert run_initials(ru, en, ONES) == [((0, 1), (0, 1)), ((1, 3), (1, 3)), ((3, 4), (3, 4))]
    assert run_initials(en, ru, ONES)[1] == ((1, 3), (1, 3))  # either side
    # the piece moves, and the next bead keeps the rest of its sentences on that side
    fr = ["Chef F.Morawec ;", "équipe du sommet H. Larch-F .", "Morawec- H. Willenpart .", "Il reste quatre « 8000 » ."]
    de = ["Leiter F.Morawec , Gipfelmannschaft S.Larch-F.Morawec-H.Willenpart .", "Da waren's nur noch vier .",
          "Es folgt .", "Ende ."]
    beads = [((0, 1), (0, 2)), ((1, 2), (2, 4)), ((2, 3), (4, 4)), ((3, 4), (4, 4))]
    assert run_initials(de, fr, beads)[:2] == [((0, 1), (0, 3)), ((1, 2), (3, 4))]


def test_an_initial_cut_made_alike_on_both_sides_or_ending_a_paragraph_is_kept():
    de = ["Kangchenjunga , Leiter Ch.Evans , Gipfelmannschaften G. Band-J .", "Brown , N. Hardie-T .", "Streather .", "Ende ."]
    fr = ["Kangchenjunga , chef Ch.Evans ; équipes du sommet G.Band-J .", "Brown , N. Hardie-T .", "Streather .", "Fin ."]
    assert run_initials(de, fr, ONES) == ONES  # the name is in the next bead on both sides
    ru, en = ABALAKOW
    assert run_initials(ru, en, ONES, par=([False, True, False, True], [False, False, False, True])) == ONES
    # nor when a merge would cross the other side's paragraph break, or outgrow max_window
    assert run_initials(ru, en, ONES, par=([False, False, False, True], [False, True, False, True])) == ONES
    assert run_initials(ru, en, ONES, cfg=AlignConfig().with_(max_window=1)) == ONES
    # the name in both of the other side's beads says nothing; an unaligned piece is left alone
    en2 = en[:2] + ["Abalakow visited it often since ."] + en[3:]
    assert run_initials(ru, en2, ONES) == ONES
    beads = [((0, 1), (0, 1)), ((1, 2), (1, 2)), ((2, 3), (2, 2)), ((3, 4), (2, 4))]
    assert run_initials(ru, en, beads) == beads
    blank = replace(crossing_pair([set()] * 4, [set()] * 4)[0])  # no names known: nothing changes
    cfg = AlignConfig()
    assert [(b.ru, b.en) for b in mend_initial_cuts([RawBead(r, e, {}) for r, e in ONES],
                                                    Scorer(blank, blank, full_band(4, 4), cfg), 0.0, cfg)] == ONES


def run_headings(ru_heads, en_heads, beads, cfg=AlignConfig()):
    """Four 1-1 pairs (as ``crossing_pair``) with the given chapter numbers, aligned as ``beads``."""
    ru, en, _ = crossing_pair([set()] * 4, [set()] * 4)
    ru = replace(ru, heads=None if ru_heads is None else tuple(ru_heads))
    en = replace(en, heads=tuple(en_heads))
    beads = [RawBead(r, e, {}) for r, e in beads]
    return [(b.ru, b.en) for b in split_at_headings(beads, Scorer(ru, en, full_band(ru.n, en.n), cfg), 0.0, cfg)]


def test_headings_with_the_same_number_get_a_bead_of_their_own():
    # "Мальчик у Христа на ёлке" + "I. Мальчик с ручкой" / "The Beggar Boy ..." + "I" glued into a 2-2
    glued = [((0, 2), (0, 2)), ((2, 3), (2, 3)), ((3, 4), (3, 4))]
    assert run_headings([0, 1, 0, 0], [0, 1, 0, 0], glued)[:2] == [((0, 1), (0, 1)), ((1, 2), (1, 2))]
    # "Глава пятая" left unaligned, "V" joined to the chapter's first sentence
    loose = [((0, 1), (0, 1)), ((1, 2), (1, 1)), ((2, 3), (1, 3)), ((3, 4), (3, 4))]
    assert run_headings([0, 5, 0, 0], [0, 5, 0, 0], loose) == [((0, 1), (0, 1)), ((1, 2), (1, 2)), ((2, 3), (2, 3)),
                                                               ((3, 4), (3, 4))]
    # what is left before the headings on one side only stays unaligned
    assert run_headings([0, 5, 0, 0], [5, 0, 0, 0], [((0, 2), (0, 1)), ((2, 3), (1, 3)), ((3, 4), (3, 4))])[:3] == [
        ((0, 1), (0, 0)), ((1, 2), (0, 1)), ((2, 3), (1, 3))]


def test_headings_unaligned_in_one_run_are_linked_however_far_apart():
    # "I. Мальчик с ручкой", its untranslated chapter, then "I" on the English side: one run of
    # unaligned sentences; the heading bead goes where both headings are, the rest stays unaligned
    gap = [((0, 1), (0, 0)), ((1, 2), (0, 0)), ((2, 2), (0, 1)), ((2, 3), (1, 2)), ((3, 4), (2, 4))]
    assert run_headings([1, 0, 0, 0], [1, 0, 0, 0], gap) == [((0, 1), (0, 1)), ((1, 2), (1, 1)), ((2, 3), (1, 2)),
                                                             ((3, 4), (2, 4))]
    # other numbers, or a heading on one side only: the run stays as it was
    assert run_headings([1, 0, 0, 0], [2, 0, 0, 0], gap) == gap
    assert run_headings([0, 0, 0, 0], [1, 0, 0, 0], gap) == gap


def test_headings_split_nothing_without_a_match():
    glued = [((0, 2), (0, 2)), ((2, 3), (2, 3)), ((3, 4), (3, 4))]
    assert run_headings([0, 1, 0, 0], [0, 2, 0, 0], glued) == glued  # other numbers
    assert run_headings(None, [0, 1, 0, 0], glued) == glued  # headings unknown
    assert run_headings([0, 1, 0, 0], [0, 1, 1, 0], glued) == glued  # two candidates: no choice
    far = [((0, 1), (0, 1)), ((1, 2), (1, 2)), ((2, 3), (2, 3)), ((3, 4), (3, 4))]
    assert run_headings([1, 0, 0, 0], [0, 0, 0, 1], far) == far  # three beads apart


def run_titles(ru_heads, en_heads, ru_par, en_par, beads, cfg=AlignConfig()):
    """Four sentences a side (as ``crossing_pair``) with chapter numbers and paragraph ends."""
    ru, en, _ = crossing_pair([set()] * 4, [set()] * 4, par=(ru_par, en_par))
    ru, en = replace(ru, heads=tuple(ru_heads)), replace(en, heads=tuple(en_heads))
    beads = [RawBead(r, e, {}) for r, e in beads]
    return [(b.ru, b.en) for b in join_heading_titles(beads, Scorer(ru, en, full_band(ru.n, en.n), cfg), 0.0, cfg)]


def test_a_heading_takes_the_unaligned_rest_of_its_paragraph():
    # "II." | "Мальчик у Христа на ёлке" in one ru paragraph, "II" alone on the en side
    left = [((0, 1), (0, 1)), ((1, 2), (1, 1)), ((2, 3), (1, 2)), ((3, 4), (2, 3)), ((4, 4), (3, 4))]
    ru_par, en_par = [False, True, False, True], [True, False, True, True]
    assert run_titles([2, 0, 0, 0], [2, 0, 0, 0], ru_par, en_par, left)[:2] == [((0, 2), (0, 1)), ((2, 3), (1, 2))]
    # the same on the en side
    flip = [((0, 1), (0, 1)), ((1, 1), (1, 2)), ((1, 2), (2, 3)), ((2, 3), (3, 4)), ((3, 4), (4, 4))]
    assert run_titles([2, 0, 0, 0], [2, 0, 0, 0], en_par, ru_par, flip)[:2] == [((0, 1), (0, 2)), ((1, 2), (2, 3))]


def test_heading_titles_change_nothing_else():
    left = [((0, 1), (0, 1)), ((1, 2), (1, 1)), ((2, 3), (1, 2)), ((3, 4), (2, 3)), ((4, 4), (3, 4))]
    ru_par, en_par = [False, True, False, True], [True, False, True, True]
    assert run_titles([2, 0, 0, 0], [3, 0, 0, 0], ru_par, en_par, left) == left  # not the same number
    assert run_titles([0, 0, 0, 0], [0, 0, 0, 0], ru_par, en_par, left) == left  # no headings
    # the heading ends its paragraph on both sides: the unaligned sentence after it is not its title
    assert run_titles([2, 0, 0, 0], [2, 0, 0, 0], [True, True, False, True], en_par, left) == left
    # the rest of the paragraph is linked, not unaligned
    linked = [((0, 1), (0, 1)), ((1, 2), (1, 2)), ((2, 3), (2, 3)), ((3, 4), (3, 4))]
    assert run_titles([2, 0, 0, 0], [2, 0, 0, 0], ru_par, en_par, linked) == linked
    # the paragraph goes on past an unaligned sentence into a linked one: nothing taken
    assert run_titles([2, 0, 0, 0], [2, 0, 0, 0], [False, False, True, True], en_par, left) == left
    # a bead would pass max_window
    assert run_titles([2, 0, 0, 0], [2, 0, 0, 0], ru_par, en_par, left, AlignConfig(max_window=1)) == left


def test_one_blas_thread_holds_blas_to_one_thread_and_restores_it():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from aligner.align.core import _blas_controller, one_blas_thread

    def blas_threads():
        return [m["num_threads"] for m in threadpoolctl.threadpool_info() if m["user_api"] == "blas"]

    before = blas_threads()
    with one_blas_thread():
        assert all(n == 1 for n in blas_threads())
    with one_blas_thread():  # the same controller (found once), used again
        assert all(n == 1 for n in blas_threads())
    assert blas_threads() == before
    assert _blas_controller() is _blas_controller()



def run_edges(beads, ru_par=None, en_par=None, cfg=AlignConfig()):
    """Four 1-1 pairs (as ``crossing_pair``), aligned as ``beads``; optional paragraph ends."""
    ru, en, _ = crossing_pair([set()] * 4, [set()] * 4)
    if ru_par is not None:
        ru, en = replace(ru, par=np.array(ru_par)), replace(en, par=np.array(en_par))
    beads = [RawBead(r, e, {}) for r, e in beads]
    return [(b.ru, b.en) for b in give_edges_to_nulls(beads, Scorer(ru, en, full_band(ru.n, en.n), cfg), 0.0, cfg)]


def test_an_unaligned_sentence_takes_the_edge_it_matches_better():
    right = [((0, 1), (0, 1)), ((1, 2), (1, 2)), ((2, 3), (2, 3)), ((3, 4), (3, 4))]
    # ru 2 unaligned, its translation en 2 given to ru 1 (the bead before) ...
    assert run_edges([((0, 1), (0, 1)), ((1, 2), (1, 3)), ((2, 3), (3, 3)), ((3, 4), (3, 4))]) == right
    # ... or to ru 3 (the bead after); and the same with en 1 unaligned
    assert run_edges([((0, 1), (0, 1)), ((1, 2), (1, 2)), ((2, 3), (2, 2)), ((3, 4), (2, 4))]) == right
    assert run_edges([((0, 1), (0, 1)), ((1, 1), (1, 2)), ((1, 3), (2, 3)), ((3, 4), (3, 4))]) == right
    assert run_edges([((0, 2), (0, 1)), ((2, 2), (1, 2)), ((2, 3), (2, 3)), ((3, 4), (3, 4))]) == right
    # ... from a 2-3 bead: it keeps 2-2, an allowed type; not where 2-2 is not allowed
    two_three = [((0, 2), (0, 3)), ((2, 3), (3, 3)), ((3, 4), (3, 4))]
    assert run_edges(two_three) == [((0, 2), (0, 2)), ((2, 3), (2, 3)), ((3, 4), (3, 4))]
    no_22 = AlignConfig().with_(types=tuple(t for t in AlignConfig().types if t != (2, 2)))
    assert run_edges(two_three, cfg=no_22) == two_three
    features = give_edges_to_nulls([RawBead((0, 1), (0, 1), {}), RawBead((1, 2), (1, 3), {}), RawBead((2, 3), (3, 3), {}),
                                    RawBead((3, 4), (3, 4), {})],
                                   Scorer(*crossing_pair([set()] * 4, [set()] * 4)[:2], full_band(4, 4), AlignConfig()),
                                   0.0, AlignConfig())[2].features
    assert {"sim", "margin", "score"} <= set(features)


def test_an_edge_stays_where_it_matches_better_or_a_paragraph_ends():
    # en 1 unaligned between 1-1 beads (0 : 0, 1 : 2): no 1-n bead to take from
    wrong_way = [((0, 1), (0, 1)), ((1, 1), (1, 2)), ((1, 2), (2, 3)), ((2, 3), (3, 3)), ((3, 4), (3, 4))]
    assert run_edges(wrong_way) == wrong_way
    # ru 1 and en 2 end a paragraph: 1 : 1, 2 keeps to the paragraphs, 1 : 1 would not
    beads = [((0, 1), (0, 1)), ((1, 2), (1, 3)), ((2, 3), (3, 3)), ((3, 4), (3, 4))]
    assert run_edges(beads, [False, True, True, True], [False, False, True, True]) == beads
    assert run_edges(beads, [False, True, False, True], [False, False, False, True]) != beads
    # en 0 and en 1 both translate ru 0 (a 1-2 bead); ru 1 has no translation: en 1 stays
    rng = np.random.default_rng(4)
    x = rng.normal(size=(4, 32)).astype(np.float32)
    y = np.vstack([x[:1], x[:1], x[2:]]) + 0.3 * rng.normal(size=x.shape).astype(np.float32)
    ru, en = make_side(x, np.full(4, 80.0), max_w=5), make_side(y, np.full(4, 80.0), max_w=5)
    one_two = [RawBead((0, 1), (0, 2), {}), RawBead((1, 2), (2, 2), {}), RawBead((2, 3), (2, 3), {}),
               RawBead((3, 4), (3, 4), {})]
    cfg = AlignConfig()
    assert give_edges_to_nulls(one_two, Scorer(ru, en, full_band(4, 4), cfg), 0.0, cfg) == one_two


def moved_sentence(n: int = 8, seed: int = 5):
    """n ru sentences; en holds their translations with ru sentence 1 moved to after ru 4 (en 4).

    The monotone beads leave ru 1 and en 4 unaligned: 0:0, 1:-, 2:1, 3:2, 4:3, -:4, 5:5, ...
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 32)).astype(np.float32)
    order = [0, 2, 3, 4, 1] + list(range(5, n))
    y = x[order] + 0.3 * rng.normal(size=x.shape).astype(np.float32)
    ru, en = make_side(x, np.full(n, 80.0), max_w=5), make_side(y, np.full(n, 80.0), max_w=5)
    beads = ([RawBead((0, 1), (0, 1), {}), RawBead((1, 2), (1, 1), {})]
             + [RawBead((i, i + 1), (i - 1, i), {}) for i in (2, 3, 4)]
             + [RawBead((5, 5), (4, 5), {})] + [RawBead((i, i + 1), (i, i + 1), {}) for i in range(5, n)])
    return ru, en, beads


def run_pairs(ru, en, beads, cfg=AlignConfig()):
    out = pair_crossing_nulls(beads, Scorer(ru, en, full_band(ru.n, en.n), cfg), 0.0, cfg)
    return out, [(b.ru, b.en) for b in out]


def test_a_moved_sentence_is_linked_out_of_order():
    ru, en, beads = moved_sentence()
    out, got = run_pairs(ru, en, beads)
    assert got[:5] == [((0, 1), (0, 1)), ((1, 2), (4, 5)), ((2, 3), (1, 2)), ((3, 4), (2, 3)), ((4, 5), (3, 4))]
    assert len(out) == len(beads) - 1 and out[1].features["crossing"] == 1.0
    assert {"sim", "margin", "score"} <= set(out[1].features)


def test_crossing_pairs_need_a_near_mutual_match_as_good_as_the_document():
    ru, en, beads = moved_sentence()
    unchanged = [(b.ru, b.en) for b in beads]
    assert run_pairs(ru, en, beads, AlignConfig().with_(hub_radius=3))[1] == unchanged  # 4 beads apart
    assert run_pairs(ru, en, beads[:6] + [RawBead((5, 8), (5, 8), {})])[1][1] == ((1, 2), (4, 5))
    # fewer than margin_k 1-1 beads: no quartile to compare with (crossing_floor="quartile")
    quartile = AlignConfig().with_(margin_k=5, crossing_floor="quartile")
    assert run_pairs(ru, en, beads[:6] + [RawBead((5, 8), (5, 8), {})], quartile)[1] == (
        unchanged[:6] + [((5, 8), (5, 8))])
    # the margin floor (default) needs no 1-1 beads to compare with
    assert run_pairs(ru, en, beads[:6] + [RawBead((5, 8), (5, 8), {})], AlignConfig().with_(margin_k=5))[1][1] == (
        (1, 2), (4, 5))
    # an unrelated en sentence in place of the moved one's translation
    rng = np.random.default_rng(9)
    y = np.vstack([en.emb[0][:4], rng.normal(size=(1, 32)), en.emb[0][5:]]).astype(np.float32)
    assert run_pairs(ru, make_side(y, np.full(8, 80.0), max_w=5), beads)[1] == unchanged
    # two unaligned ru sentences and one en sentence: only the mutual best is linked
    ru2 = make_side(np.vstack([ru.emb[0][:2], ru.emb[0][1:2] + 0.8 * rng.normal(size=(1, 32)), ru.emb[0][2:]]),
                    np.full(9, 80.0), max_w=5)
    beads2 = ([RawBead((0, 1), (0, 1), {}), RawBead((1, 2), (1, 1), {}), RawBead((2, 3), (1, 1), {})]
              + [RawBead((i + 1, i + 2), (i - 1, i), {}) for i in (2, 3, 4)]
              + [RawBead((6, 6), (4, 5), {})] + [RawBead((i + 1, i + 2), (i, i + 1), {}) for i in range(5, 8)])
    got = run_pairs(ru2, en, beads2)[1]
    assert ((1, 2), (4, 5)) in got and ((2, 3), (1, 1)) in got and len(got) == len(beads2) - 1

def loose_moved_sentence(seed: int = 3):
    """``moved_sentence`` with the moved pair a loose translation: cosine about 0.6, below the lower
    quartile of the other 1-1 beads' (about 0.95)."""
    ru, en, beads = moved_sentence()
    rng = np.random.default_rng(seed)
    y = en.emb[0].copy()
    y[4] = ru.emb[0][1] + 0.15 * rng.normal(size=32).astype(np.float32)
    return ru, y, beads


def test_a_loose_moved_sentence_is_linked_as_each_others_best_match():
    ru, y, beads = loose_moved_sentence()
    en = make_side(y, np.full(8, 80.0), max_w=5)
    assert 0.4 < float(ru.emb[0][1] @ en.emb[0][4]) < 0.8
    assert run_pairs(ru, en, beads)[1][1] == ((1, 2), (4, 5))
    assert run_pairs(ru, en, beads, AlignConfig().with_(crossing_floor="quartile"))[1] == [(b.ru, b.en) for b in beads]
    # en 1 (linked to ru 2) is now closer to ru 1 than its moved translation: not ru 1's best match
    y2 = y.copy()
    y2[1] = ru.emb[0][1] + 0.05 * np.random.default_rng(1).normal(size=32).astype(np.float32)
    en2 = make_side(y2, np.full(8, 80.0), max_w=5)
    assert run_pairs(ru, en2, beads)[1] == [(b.ru, b.en) for b in beads]
    with pytest.raises(ValueError):
        run_pairs(ru, en, beads, AlignConfig().with_(crossing_floor="margin"))


def test_unaligned_neighbours_in_order_keep_the_quartile_floor():
    """A 1-0 and a 0-1 bead with no linked bead between them could have been one bead on the path
    (the DP left them apart, for a colon or a paragraph): they need the quartile, as before."""
    ru, y, _ = loose_moved_sentence()
    x = ru.emb[0].copy()
    order = [0, 2, 3, 4, 1, 5, 6, 7]  # ru in the en order: ru 4 and en 4 side by side, both left unaligned
    ru2 = make_side(x[order], np.full(8, 80.0), max_w=5)
    en = make_side(y, np.full(8, 80.0), max_w=5)
    beads = ([RawBead((i, i + 1), (i, i + 1), {}) for i in range(4)] + [RawBead((4, 5), (4, 4), {}),
             RawBead((5, 5), (4, 5), {})] + [RawBead((i, i + 1), (i, i + 1), {}) for i in range(5, 8)])
    assert run_pairs(ru2, en, beads)[1] == [(b.ru, b.en) for b in beads]  # loose: below the quartile
    en_close = make_side(np.vstack([y[:4], x[1:2] + 0.01, y[5:]]).astype(np.float32), np.full(8, 80.0), max_w=5)
    assert run_pairs(ru2, en_close, beads)[1][4] == ((4, 5), (4, 5))


def test_a_tiny_document_needs_min_sim_for_a_crossing_pair():
    """Fewer than margin_k sentences on a side: the pair's cosine must reach min_sim, the DP's floor."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 32)).astype(np.float32)
    y = np.vstack([x[2] + 0.6 * rng.normal(size=32), x[0] + 0.3 * rng.normal(size=32),
                   x[1] + 0.3 * rng.normal(size=32)]).astype(np.float32)
    ru, en = make_side(x, np.full(3, 80.0), max_w=3), make_side(y, np.full(3, 80.0), max_w=3)
    beads = [RawBead((0, 0), (0, 1), {}), RawBead((0, 1), (1, 2), {}), RawBead((1, 2), (2, 3), {}),
             RawBead((2, 3), (3, 3), {})]
    cos = float(ru.emb[0][2] @ en.emb[0][0])
    assert 0.3 < cos < 0.9
    assert run_pairs(ru, en, beads)[1][-1] == ((2, 3), (0, 1))
    assert run_pairs(ru, en, beads, AlignConfig().with_(min_sim=0.95))[1] == [(b.ru, b.en) for b in beads]


def two_two(order, n: int = 6, seed: int = 7):
    """n ru sentences, en their translations in ``order``; beads 0:0, 1-2:1-2 (a 2-2 bead), then 1-1."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 32)).astype(np.float32)
    y = x[list(order)] + 0.3 * rng.normal(size=x.shape).astype(np.float32)
    ru, en = make_side(x, np.full(n, 80.0), max_w=5), make_side(y, np.full(n, 80.0), max_w=5)
    beads = [RawBead((0, 1), (0, 1), {}), RawBead((1, 3), (1, 3), {})] + [RawBead((i, i + 1), (i, i + 1), {})
                                                                         for i in range(3, n)]
    cfg = AlignConfig()
    return split_swapped_pairs(beads, Scorer(ru, en, full_band(n, n), cfg), 0.0, cfg), beads


def test_a_two_two_bead_of_two_swapped_sentences_becomes_two_crossing_pairs():
    out, beads = two_two([0, 2, 1, 3, 4, 5])
    assert [(b.ru, b.en) for b in out][:4] == [((0, 1), (0, 1)), ((1, 2), (2, 3)), ((2, 3), (1, 2)), ((3, 4), (3, 4))]
    assert out[1].features["crossing"] == out[2].features["crossing"] == 1.0
    assert {"sim", "margin", "score"} <= set(out[2].features)
    assert len(out) == len(beads) + 1


def test_a_two_two_bead_in_order_or_mixed_stays():
    out, beads = two_two([0, 1, 2, 3, 4, 5])  # the diagonal matches
    assert out == beads
    rng = np.random.default_rng(8)
    x = rng.normal(size=(4, 32)).astype(np.float32)
    # a true 2-2: en 1 carries ru 1 and half of ru 2, en 2 the other half and ru 1's end
    y = np.vstack([x[0], x[1] + 0.7 * x[2], 0.7 * x[2] + 0.5 * x[1], x[3]]).astype(np.float32)
    ru, en = make_side(x, np.full(4, 80.0), max_w=4), make_side(y, np.full(4, 80.0), max_w=4)
    beads = [RawBead((0, 1), (0, 1), {}), RawBead((1, 3), (1, 3), {}), RawBead((3, 4), (3, 4), {})]
    cfg = AlignConfig()
    assert split_swapped_pairs(beads, Scorer(ru, en, full_band(4, 4), cfg), 0.0, cfg) == beads


# ------------------------------------------------------------ properties of the passes after the DP

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def raw_partition(n: int, m: int, steps) -> list[RawBead]:
    """A monotone cover of n ru and m en sentences by beads of the given shapes (then nulls)."""
    out, i, j = [], 0, 0
    for a, b in steps:
        a, b = min(a, n - i), min(b, m - j)
        if a or b:
            out.append(RawBead((i, i + a), (j, j + b), {}))
            i, j = i + a, j + b
    out += [RawBead((k, k + 1), (j, j), {}) for k in range(i, n)]
    out += [RawBead((n, n), (k, k + 1), {}) for k in range(j, m)]
    return out


def check_raw_cover(beads: list[RawBead], n: int, m: int) -> None:
    """Each bead starts where the one before ended, on both sides, and together they cover everything."""
    i = j = 0
    for b in beads:
        assert b.ru[0] == i and b.en[0] == j and b.ru[1] >= i and b.en[1] >= j
        assert b.ru[1] > b.ru[0] or b.en[1] > b.en[0]
        i, j = b.ru[1], b.en[1]
    assert (i, j) == (n, m)


_STEPS = st.lists(st.sampled_from([(1, 1)] * 4 + [(1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (0, 0)]), max_size=8)


@st.composite
def pass_input(draw):
    n, m = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    ru = make_side(rng.normal(size=(n, 16)).astype(np.float32), rng.integers(10, 120, n).astype(float), max_w=min(n, 5))
    en = make_side(rng.normal(size=(m, 16)).astype(np.float32), rng.integers(10, 120, m).astype(float), max_w=min(m, 5))
    label = st.sampled_from(["", "", "1955", "8848"])
    ru = replace(ru, nums=tuple(frozenset(x for x in draw(st.lists(label, min_size=n, max_size=n)) if x)),
                 heads=tuple(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))),
                 parens=tuple(draw(st.lists(st.integers(-1, 1), min_size=n, max_size=n))),
                 names=tuple(frozenset(draw(st.sets(st.sampled_from(["abala", "evans"])))) for _ in range(n)),
                 initial_leads=tuple(draw(st.lists(st.sampled_from(["", "", "abala", "evans"]), min_size=n, max_size=n))))
    en = replace(en, nums=tuple(frozenset(x for x in draw(st.lists(label, min_size=m, max_size=m)) if x)),
                 heads=tuple(draw(st.lists(st.integers(0, 2), min_size=m, max_size=m))),
                 parens=tuple(draw(st.lists(st.integers(-1, 1), min_size=m, max_size=m))),
                 names=tuple(frozenset(draw(st.sets(st.sampled_from(["abala", "evans"])))) for _ in range(m)),
                 initial_leads=tuple(draw(st.lists(st.sampled_from(["", "", "abala", "evans"]), min_size=m, max_size=m))))
    if draw(st.booleans()):
        ru = replace(ru, par=np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n))))
        en = replace(en, par=np.array(draw(st.lists(st.booleans(), min_size=m, max_size=m))))
    return ru, en, raw_partition(n, m, draw(_STEPS))


@settings(max_examples=150, deadline=None)
@given(case=pass_input(), max_window=st.integers(2, 5))
def test_crossings_initial_cuts_and_headings_keep_the_cover(case, max_window):
    ru, en, beads = case
    cfg = AlignConfig().with_(max_window=max_window)
    scorer = Scorer(ru, en, full_band(ru.n, en.n), cfg)
    check_raw_cover(beads, ru.n, en.n)
    merged = merge_paren_crossings(merge_number_crossings(beads, scorer, 0.0, cfg), scorer, 0.0, cfg)
    check_raw_cover(merged, ru.n, en.n)
    assert len(merged) <= len(beads)
    mended = mend_initial_cuts(merged, scorer, 0.0, cfg)
    check_raw_cover(mended, ru.n, en.n)
    assert len(mended) <= len(merged)
    for b in merged + mended:  # a merged or grown bead stays within max_window and joins only linked beads
        if b not in beads:
            assert 0 < b.ru[1] - b.ru[0] <= max_window and 0 < b.en[1] - b.en[0] <= max_window
    merged = mended
    split = split_at_headings(merged, scorer, 0.0, cfg)
    check_raw_cover(split, ru.n, en.n)
    allowed = set(cfg.types)
    for b in split:
        if b not in merged:
            shape = (b.ru[1] - b.ru[0], b.en[1] - b.en[0])
            assert shape in allowed and max(shape) <= max_window
    check_raw_cover(split_at_headings(beads, scorer, 0.0, cfg), ru.n, en.n)  # without the merges first
    titled = join_heading_titles(split, scorer, 0.0, cfg)
    check_raw_cover(titled, ru.n, en.n)
    assert len(titled) <= len(split)
    for b in titled:  # a grown heading bead keeps to max_window and ends a paragraph on both sides
        if b not in split:
            assert max(b.ru[1] - b.ru[0], b.en[1] - b.en[0]) <= max_window
            assert ru.par[b.ru[1] - 1] and en.par[b.en[1] - 1]
    edges = give_edges_to_nulls(titled, scorer, 0.0, cfg)
    check_raw_cover(edges, ru.n, en.n)
    assert len(edges) == len(titled)
    swapped = split_swapped_pairs(edges, scorer, 0.0, cfg)
    assert [i for b in swapped for i in range(*b.ru)] == list(range(ru.n))  # ru stays in order
    assert sorted(j for b in swapped for j in range(*b.en)) == list(range(en.n))  # en: each once
    for b in swapped:  # only 2-2 beads are cut, into crossing 1-1 beads
        if b not in edges:
            assert b.ru[1] - b.ru[0] == 1 and b.en[1] - b.en[0] == 1 and b.features["crossing"] == 1.0
    paired = pair_crossing_nulls(swapped, scorer, 0.0, cfg)
    assert [i for b in paired for i in range(*b.ru)] == list(range(ru.n))  # ru stays in order
    assert sorted(j for b in paired for j in range(*b.en)) == list(range(en.n))  # en: each once
    for b in paired:  # only 1-0 / 0-1 beads are replaced, by 1-1 beads
        if b not in swapped:
            assert b.ru[1] - b.ru[0] == 1 and b.en[1] - b.en[0] == 1 and b.features["crossing"] == 1.0


def test_paragraph_tails_count_the_sentences_left_in_the_paragraph():
    from aligner.align.core import paragraph_tails

    par = np.array([False, False, True, True, False, True, False, False])  # the text stops mid-paragraph
    assert paragraph_tails(par).tolist() == [2, 1, 0, 0, 1, 0, 1, 0]
    assert paragraph_tails(np.array([], dtype=bool)).tolist() == []


def test_tail_end_waives_a_one_sided_paragraph_end_near_the_other_sides_end():
    from aligner.align.core import paragraph_tails, tail_end

    ru = replace(make_side(np.eye(4, 8, dtype=np.float32), np.full(4, 50.0)), par=np.array([False, True, False, True]))
    en = replace(make_side(np.eye(6, 8, dtype=np.float32), np.full(6, 50.0)),
                 par=np.array([False, False, False, True, False, True]))
    tails = (paragraph_tails(ru.par), paragraph_tails(en.par))
    # beads ending at ru 1 (a paragraph end) and at en 1, 2, 0 or 3, whose paragraph ends
    # 2, 1, 3 and 0 sentences later (0: both end, nothing to waive); then ru 0 / en 0, no end
    i1, j1 = np.array([2, 2, 2, 2, 1]), np.array([2, 3, 1, 4, 1])
    assert tail_end(ru, en, i1, j1, tails, 2).tolist() == [1.0, 1.0, 0.0, 0.0, 0.0]
    assert tail_end(ru, en, i1, j1, tails, 1).tolist() == [0.0, 1.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("tail", [0, 2])
def test_sentences_dropped_at_a_paragraph_end_stay_unaligned(tail):
    """en has two sentences more at the end of its first paragraph (the other side dropped
    them), loosely like the sentence before them: charged for ending its paragraph on the ru
    side only, the bead before them takes them in; the paragraph tail lets it end there."""
    rng = np.random.default_rng(12)
    x = rng.normal(size=(8, 64)).astype(np.float32)
    extra = (0.3 * x[3] + rng.normal(size=(2, 64))).astype(np.float32)
    y = np.vstack([x[:4] + 0.6 * rng.normal(size=(4, 64)), extra, x[4:] + 0.6 * rng.normal(size=(4, 64))]).astype(np.float32)
    lx = rng.integers(60, 120, 8).astype(float)
    ly = np.concatenate([lx[:4], [40.0, 40.0], lx[4:]])
    ru = replace(make_side(x, lx), par=np.array([False, False, False, True, False, False, False, True]))
    en = replace(make_side(y, ly), par=np.array([False, False, False, False, False, True, False, False, False, True]))
    # the tail alone (the merge check's runs, on by default, also give the two back)
    beads, _ = align_vectors(ru, en, AlignConfig(paragraph_tail=tail, merge_check_runs=False))
    assert [b.en for b in beads if b.ru[1] == b.ru[0]] == ([(4, 5), (5, 6)] if tail else [])


@pytest.mark.parametrize("tail", [2, 3])
def test_three_sentences_dropped_at_a_paragraph_end_need_a_tail_of_three(tail):
    """As above with three sentences dropped: a tail of 2 does not reach the other side's
    paragraph end, so the bead before them takes them in; the default of 3 lets them go."""
    rng = np.random.default_rng(14)
    x = rng.normal(size=(8, 64)).astype(np.float32)
    extra = (0.2 * x[3] + rng.normal(size=(3, 64))).astype(np.float32)
    y = np.vstack([x[:4] + 0.6 * rng.normal(size=(4, 64)), extra, x[4:] + 0.6 * rng.normal(size=(4, 64))]).astype(np.float32)
    lx = rng.integers(60, 120, 8).astype(float)
    ly = np.concatenate([lx[:4], [40.0, 40.0, 40.0], lx[4:]])
    ru = replace(make_side(x, lx), par=np.array([False, False, False, True, False, False, False, True]))
    en = replace(make_side(y, ly), par=np.array([False] * 6 + [True, False, False, False, True]))
    beads, _ = align_vectors(ru, en, AlignConfig(paragraph_tail=tail, merge_check_runs=False))
    assert [b.en for b in beads if b.ru[1] == b.ru[0]] == ([(4, 5), (5, 6), (6, 7)] if tail == 3 else [])
    assert AlignConfig().paragraph_tail == 3
    # with the merge check's runs (the default) the three are unaligned at either tail
    beads, _ = align_vectors(ru, en, AlignConfig(paragraph_tail=tail))
    assert [b.en for b in beads if b.ru[1] == b.ru[0]] == [(4, 5), (5, 6), (6, 7)]
