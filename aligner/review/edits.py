"""The editor's operations: pure functions from one bead layout to the next.

A layout is a tuple of ``Span``s. Each span covers a range of sentence
positions on each side of one group (one block pair of a dump, or the whole
text of a two-file alignment). The invariant every operation keeps: within a
group, the spans' ru ranges follow each other without gap or overlap from 0
to the group's ru count, the same for en, and no span is empty. So after any
sequence of edits every sentence is in exactly one bead, in order.

An operation that cannot apply (merge across groups, split at a cut that
leaves nothing) raises ``EditError`` and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

from aligner.errors import AlignerError

SIDES = ("ru", "en")
UP, DOWN = "up", "down"


class EditError(AlignerError):
    """An edit that does not apply here; the message says why."""


@dataclass(frozen=True)
class Span:
    """One bead in the editor: half-open position ranges on each side of its group.

    ``origin`` is the index of the bead read from the file while the span is
    unchanged (its score and provenance still hold); ``None`` once edited.
    """

    group: int
    ru: tuple[int, int]
    en: tuple[int, int]
    origin: int | None = None
    confirmed: bool = False

    def side(self, name: str) -> tuple[int, int]:
        return self.ru if name == "ru" else self.en

    def count(self, name: str) -> int:
        a, b = self.side(name)
        return b - a

    @property
    def empty(self) -> bool:
        return self.count("ru") == 0 and self.count("en") == 0

    @property
    def is_null(self) -> bool:
        return self.count("ru") == 0 or self.count("en") == 0


TextKey = tuple[int, str, int]  # (group, side, position)


@dataclass(frozen=True)
class State:
    """Bead layout plus text corrections; never mutated (each edit returns a new one)."""

    beads: tuple[Span, ...]
    texts: Mapping[TextKey, str]

    def edited(self, i: int) -> bool:
        """Span ``i`` differs from the file: new boundaries, or a corrected sentence inside."""
        span = self.beads[i]
        if span.origin is None:
            return True
        if not self.texts:
            return False
        return any((span.group, s, p) in self.texts for s in SIDES for p in range(*span.side(s)))


def _with_side(span: Span, side: str, rng: tuple[int, int]) -> Span:
    return replace(span, **{side: rng}, origin=None, confirmed=False)


def _bead(state: State, i: int) -> Span:
    if not isinstance(i, int) or not 0 <= i < len(state.beads):
        raise EditError(f"no bead {i}; there are {len(state.beads)}")
    return state.beads[i]


def _pair(state: State, i: int) -> tuple[Span, Span]:
    a = _bead(state, i)
    if i + 1 >= len(state.beads):
        raise EditError("the last bead has no next bead")
    b = state.beads[i + 1]
    if a.group != b.group:
        raise EditError("the next bead belongs to another block pair, or the sentence order breaks between them "
                        "(a sentence the translation moved, a debris line left out of a bead); such beads cannot be "
                        "joined")
    return a, b


def _replace(state: State, i: int, n: int, new: list[Span]) -> State:
    kept = [s for s in new if not s.empty]
    return State(state.beads[:i] + tuple(kept) + state.beads[i + n:], state.texts)


def _side(side: str) -> str:
    if side not in SIDES:
        raise EditError(f"unknown side {side!r}; use ru or en")
    return side


def merge(state: State, i: int) -> State:
    """Join bead ``i`` with the next one (same group)."""
    a, b = _pair(state, i)
    return _replace(state, i, 2, [Span(a.group, (a.ru[0], b.ru[1]), (a.en[0], b.en[1]))])


def split(state: State, i: int, ru_cut: int, en_cut: int) -> State:
    """Cut bead ``i`` in two: the first ``ru_cut`` ru and ``en_cut`` en sentences stay first."""
    s = _bead(state, i)
    n_ru, n_en = s.count("ru"), s.count("en")
    if not (isinstance(ru_cut, int) and isinstance(en_cut, int) and 0 <= ru_cut <= n_ru and 0 <= en_cut <= n_en):
        raise EditError(f"cut ({ru_cut}, {en_cut}) is outside this {n_ru}-{n_en} bead")
    if ru_cut + en_cut == 0 or ru_cut + en_cut == n_ru + n_en:
        raise EditError("that cut leaves one part empty; choose a cut inside the bead")
    r, e = s.ru[0] + ru_cut, s.en[0] + en_cut
    first = Span(s.group, (s.ru[0], r), (s.en[0], e))
    second = Span(s.group, (r, s.ru[1]), (e, s.en[1]))
    return _replace(state, i, 1, [first, second])


def shift(state: State, i: int, side: str, direction: str) -> State:
    """Move the sentence at the boundary of beads ``i`` and ``i + 1`` on one side.

    ``up``: the next bead's first sentence joins bead ``i``; ``down``: bead
    ``i``'s last sentence joins the next bead. A bead left empty disappears.
    """
    side = _side(side)
    a, b = _pair(state, i)
    (a0, a1), (b0, b1) = a.side(side), b.side(side)
    if direction == UP:
        if b1 == b0:
            raise EditError(f"the next bead has no {side} sentence to move up")
        new = [_with_side(a, side, (a0, a1 + 1)), _with_side(b, side, (b0 + 1, b1))]
    elif direction == DOWN:
        if a1 == a0:
            raise EditError(f"this bead has no {side} sentence to move down")
        new = [_with_side(a, side, (a0, a1 - 1)), _with_side(b, side, (b0 - 1, b1))]
    else:
        raise EditError(f"unknown direction {direction!r}; use up or down")
    return _replace(state, i, 2, new)


def detach(state: State, i: int, side: str, end: str = "last") -> State:
    """Take the first or last ``side`` sentence of bead ``i`` out as a 1-0 / 0-1 bead."""
    side = _side(side)
    s = _bead(state, i)
    lo, hi = s.side(side)
    if hi == lo:
        raise EditError(f"this bead has no {side} sentence")
    if s.count("ru") + s.count("en") == 1:
        raise EditError("this sentence is already unaligned")
    other = "en" if side == "ru" else "ru"
    o_lo, o_hi = s.side(other)
    if end == "last":
        rest = _with_side(s, side, (lo, hi - 1))
        alone = Span(s.group, **{side: (hi - 1, hi), other: (o_hi, o_hi)})
        new = [rest, alone]
    elif end == "first":
        rest = _with_side(s, side, (lo + 1, hi))
        alone = Span(s.group, **{side: (lo, lo + 1), other: (o_lo, o_lo)})
        new = [alone, rest]
    else:
        raise EditError(f"unknown end {end!r}; use first or last")
    return _replace(state, i, 1, new)


def attach(state: State, i: int, direction: str) -> State:
    """Join the unaligned (1-0 / 0-1) bead ``i`` to the bead above (``up``) or below (``down``)."""
    s = _bead(state, i)
    if not s.is_null:
        raise EditError("only an unaligned sentence (1-0 or 0-1) can be attached; use merge for others")
    if direction == UP:
        if i == 0:
            raise EditError("the first bead has no bead above")
        return merge(state, i - 1)
    if direction == DOWN:
        return merge(state, i)
    raise EditError(f"unknown direction {direction!r}; use up or down")


def confirm(state: State, i: int, value: bool | None = None) -> State:
    """Mark bead ``i`` as checked by the reviewer (``value=None`` toggles)."""
    s = _bead(state, i)
    flag = (not s.confirmed) if value is None else bool(value)
    return State(state.beads[:i] + (replace(s, confirmed=flag),) + state.beads[i + 1:], state.texts)


def edit_text(state: State, i: int, side: str, k: int, text: str) -> State:
    """Correct the text of the ``k``-th ``side`` sentence of bead ``i`` (a typo in the source)."""
    side = _side(side)
    s = _bead(state, i)
    lo, hi = s.side(side)
    if not isinstance(k, int) or not 0 <= k < hi - lo:
        raise EditError(f"bead {i} has no {side} sentence {k}")
    if not isinstance(text, str) or not text.strip():
        raise EditError("a sentence cannot be empty; detach it instead")
    if "\n" in text or "\r" in text:
        raise EditError("a sentence is one line; remove the line break")
    texts = dict(state.texts)
    texts[(s.group, side, lo + k)] = text
    return State(state.beads, texts)


OPS = {
    "merge": (merge, ("i",)),
    "split": (split, ("i", "ru_cut", "en_cut")),
    "shift": (shift, ("i", "side", "direction")),
    "detach": (detach, ("i", "side", "end")),
    "attach": (attach, ("i", "direction")),
    "confirm": (confirm, ("i", "value")),
    "edit_text": (edit_text, ("i", "side", "k", "text")),
}


def apply(state: State, op: Mapping[str, object]) -> State:
    """Apply one edit given as a record (``{"op": "split", "i": 3, "ru_cut": 1, "en_cut": 0}``).

    This is the form the browser sends and the journal stores.
    """
    name = op.get("op")
    if name not in OPS:
        raise EditError(f"unknown edit {name!r}; use one of: {', '.join(OPS)}")
    func, params = OPS[name]
    kwargs = {p: op[p] for p in params if p in op}
    if "i" not in kwargs:
        raise EditError(f"edit {name} needs a bead index i")
    try:
        return func(state, **kwargs)
    except TypeError as exc:
        raise EditError(f"bad arguments for {name}: {exc}") from None
