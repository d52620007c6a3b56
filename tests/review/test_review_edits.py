"""The edit operations: each one case by case, then any sequence keeps every sentence in one bead, in order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.review.edits import EditError, Span, State, apply, attach, confirm, detach, edit_text, merge, shift, split


def layout(*groups: list[tuple[int, int]]) -> State:
    """Beads from (n_ru, n_en) per bead, one list per group."""
    beads = []
    for g, kinds in enumerate(groups):
        r = e = 0
        for nr, ne in kinds:
            beads.append(Span(g, (r, r + nr), (e, e + ne), origin=len(beads)))
            r, e = r + nr, e + ne
    return State(tuple(beads), {})


def kinds(state: State) -> list[str]:
    return [f"{s.count('ru')}-{s.count('en')}" for s in state.beads]


def check_invariant(state: State, sizes: dict[int, tuple[int, int]]) -> None:
    """Every sentence of every group in exactly one bead, in order; no empty bead; groups contiguous."""
    seen_groups: list[int] = []
    ends: dict[tuple[int, str], int] = {}
    for span in state.beads:
        assert not span.empty
        if not seen_groups or seen_groups[-1] != span.group:
            assert span.group not in seen_groups
            seen_groups.append(span.group)
        for side in ("ru", "en"):
            lo, hi = span.side(side)
            assert lo == ends.get((span.group, side), 0) and hi >= lo
            ends[(span.group, side)] = hi
    for g, (n_ru, n_en) in sizes.items():
        assert ends.get((g, "ru"), 0) == n_ru and ends.get((g, "en"), 0) == n_en


def test_merge_joins_with_the_next_bead():
    s = merge(layout([(1, 1), (1, 1), (1, 0)]), 0)
    assert kinds(s) == ["2-2", "1-0"] and s.beads[0].origin is None


def test_merge_refuses_across_block_pairs_and_at_the_end():
    s = layout([(1, 1)], [(1, 1)])
    with pytest.raises(EditError, match="another block pair"):
        merge(s, 0)
    with pytest.raises(EditError, match="last bead"):
        merge(s, 1)


def test_split_cuts_each_side_where_asked():
    s = split(layout([(2, 1)]), 0, 1, 1)
    assert kinds(s) == ["1-1", "1-0"]
    assert s.beads[1].ru == (1, 2) and s.beads[1].en == (1, 1)


@pytest.mark.parametrize("cut", [(0, 0), (2, 1), (3, 0), (0, 2)])
def test_split_refuses_a_cut_that_leaves_nothing_or_is_outside(cut):
    with pytest.raises(EditError):
        split(layout([(2, 1)]), 0, *cut)


def test_shift_moves_the_boundary_sentence_on_one_side():
    s = layout([(2, 1), (0, 1)])
    down = shift(s, 0, "ru", "down")
    assert kinds(down) == ["1-1", "1-1"]
    up = shift(down, 0, "ru", "up")
    assert kinds(up) == ["2-1", "0-1"]


def test_shift_drops_a_bead_it_empties():
    s = shift(layout([(1, 1), (1, 0)]), 0, "ru", "up")
    assert kinds(s) == ["2-1"]


def test_detach_makes_a_1_0_and_a_0_1():
    s = detach(layout([(1, 1)]), 0, "ru")
    assert kinds(s) == ["0-1", "1-0"]
    s2 = detach(layout([(2, 1)]), 0, "ru", "first")
    assert kinds(s2) == ["1-0", "1-1"]
    with pytest.raises(EditError, match="already unaligned"):
        detach(s, 1, "ru")


def test_attach_only_moves_unaligned_sentences():
    s = layout([(1, 1), (1, 0), (1, 1)])
    assert kinds(attach(s, 1, "up")) == ["2-1", "1-1"]
    assert kinds(attach(s, 1, "down")) == ["1-1", "2-1"]
    with pytest.raises(EditError, match="only an unaligned"):
        attach(s, 0, "down")


def test_confirm_toggles_and_keeps_the_origin():
    s = confirm(layout([(1, 1)]), 0)
    assert s.beads[0].confirmed and s.beads[0].origin == 0 and not s.edited(0)
    assert not confirm(s, 0).beads[0].confirmed


def test_edit_text_marks_the_bead_edited_and_keeps_the_old_state():
    s0 = layout([(2, 1)])
    s1 = edit_text(s0, 0, "ru", 1, "Исправлено.")
    assert s1.texts == {(0, "ru", 1): "Исправлено."} and s1.edited(0)
    assert s0.texts == {} and not s0.edited(0)  # pure: the old state is untouched
    with pytest.raises(EditError):
        edit_text(s0, 0, "en", 1, "x")
    with pytest.raises(EditError, match="empty"):
        edit_text(s0, 0, "ru", 0, "  ")


def test_apply_refuses_unknown_edits_and_bad_arguments():
    s = layout([(1, 1)])
    with pytest.raises(EditError, match="unknown edit"):
        apply(s, {"op": "rm -rf", "i": 0})
    with pytest.raises(EditError, match="no bead"):
        apply(s, {"op": "merge", "i": 7})
    with pytest.raises(EditError):
        apply(s, {"op": "split", "i": 0})


def _op(draw, n: int) -> dict:
    i = draw(st.integers(-1, n))
    kind = draw(st.sampled_from(["merge", "split", "shift", "detach", "attach", "confirm", "edit_text"]))
    side = draw(st.sampled_from(["ru", "en"]))
    return {
        "merge": {"op": "merge", "i": i},
        "split": {"op": "split", "i": i, "ru_cut": draw(st.integers(0, 3)), "en_cut": draw(st.integers(0, 3))},
        "shift": {"op": "shift", "i": i, "side": side, "direction": draw(st.sampled_from(["up", "down"]))},
        "detach": {"op": "detach", "i": i, "side": side, "end": draw(st.sampled_from(["first", "last"]))},
        "attach": {"op": "attach", "i": i, "direction": draw(st.sampled_from(["up", "down"]))},
        "confirm": {"op": "confirm", "i": i},
        "edit_text": {"op": "edit_text", "i": i, "side": side, "k": draw(st.integers(0, 2)), "text": "x"},
    }[kind]


bead_kinds = st.sampled_from([(1, 1), (1, 1), (2, 1), (1, 2), (1, 0), (0, 1), (2, 2), (3, 1)])


@st.composite
def scenario(draw):
    groups = draw(st.lists(st.lists(bead_kinds, min_size=1, max_size=8), min_size=1, max_size=3))
    state = layout(*groups)
    ops = []
    for _ in range(draw(st.integers(0, 40))):
        ops.append(_op(draw, len(state.beads) + 3))
    return groups, ops


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_any_sequence_of_edits_keeps_every_sentence_in_exactly_one_bead_in_order(case):
    groups, ops = case
    state = layout(*groups)
    sizes = {g: (sum(r for r, _ in kinds_), sum(e for _, e in kinds_)) for g, kinds_ in enumerate(groups)}
    check_invariant(state, sizes)
    for op in ops:
        before = state
        try:
            state = apply(state, op)
        except EditError:
            assert state is before  # a refused edit changes nothing
        check_invariant(state, sizes)
