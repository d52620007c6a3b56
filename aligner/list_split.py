"""Split a run of list items that has no punctuation: a masthead, credits, a table of contents.

A magazine's masthead scraped as one line ("Главный редактор Лёля Смолина Арт-директор
Вениамин Фридгельм Заместитель главного редактора Александра Суздалева …" against
"Executive editor Lyolya Smolina Art director Veniamin Friedhelm …") has no full stop for
the segmenter: each side is one "sentence" of 2,000 characters, and the aligner can only
link the two whole. ``partner.py`` and ``headline_split.py`` cut one sentence once; a list
needs dozens of cuts, found together.

Where a Russian sentence of a bead holds many places where a sentence may start
(``list_cuts``: ``headline_split.ru_cut_level`` 2, and no first name after the cut, so a
role and the name of its holder stay together), this module cuts the bead's Russian
sentences there and its English ones at every ``partner.partner_cuts`` offset, aligns the
pieces with the sentence aligner, and keeps each cut at which two confident beads of
pieces meet. The caller splits the sentences and aligns again.

Measured on the Russian sentences of every raw case, split from paragraphs and from one line
(wmt23, ntrex, flores, the books): the masthead (wmt23_ruen_em2-0, a dev document: 38 list cuts
in 1,899 characters) is the only one with more than 6; the next have 6 (0.75 per 100
characters, a film review) and 5 (2.9 per 100, a rapper's string of stage names).
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner.encoders.base import Encoder
from aligner.model import Bead
from aligner.partner import Split, partner_cuts

__all__ = ["LIST_MIN_CUTS", "LIST_MIN_DENSITY", "LIST_MIN_SCORE", "find_list_splits", "list_cuts"]

# A Russian sentence is a list run with at least this many cuts (``list_cuts``) ...
LIST_MIN_CUTS = 8
# ... and at least this many per 100 characters (prose with names has under 1).
LIST_MIN_DENSITY = 1.5
# Both beads of pieces at a kept cut score at least this (calibrated score).
LIST_MIN_SCORE = 0.5
# Characters either side of a cut that its word tests read (open quotes and brackets are
# counted in them only).
LIST_CONTEXT = 200


def list_cuts(sentence: str) -> list[int]:
    """Offsets in a Russian sentence where a list item may start.

    A ``partner_cuts`` offset where a sentence may start after a headline
    (``headline_split.ru_cut_level`` 2), or after a surname that reads as an adjective
    ("Юлия Лемешевская| Дизайнер", which the headline test takes for "Лемешевская
    дизайнер"), and whose word is no first name: in "Главный редактор Лёля Смолина" the
    name belongs to the role before it.
    """
    from aligner.headline_split import _word, ru_cut_level
    from aligner.segment import _ru_first_name, _ru_opens_sentence, ru_parses

    def ok(q: int) -> bool:
        # the tests read the text around the cut only: linear in a list of any length
        a = max(0, q - LIST_CONTEXT)
        text, at = sentence[a:q + LIST_CONTEXT], q - a
        left, right = _word(text[:at].split()[-1]), _word(text[at:].split()[0])
        if _ru_first_name(right):
            return False
        return ru_cut_level(text, at) == 2 or (
            left[:1].isupper() and any("Surn" in p.tag for p in ru_parses(left)) and _ru_opens_sentence(right))

    return [q for q in partner_cuts(sentence) if ok(q)]


def _is_list_run(sentence: str) -> bool:
    # partner_cuts first: a plain regex pass, and a superset of list_cuts
    def dense(cuts: list[int]) -> bool:
        return len(cuts) >= LIST_MIN_CUTS and len(cuts) * 100 >= LIST_MIN_DENSITY * len(sentence)

    return dense(partner_cuts(sentence)) and dense(list_cuts(sentence))


@dataclass(frozen=True, slots=True)
class _Piece:
    """Piece of sentence ``index`` from character ``start``."""

    index: int
    start: int
    text: str


def _pieces(sentences: list[str], ids: tuple[int, ...], cuts_of) -> list[_Piece]:
    """The sentences ``ids`` cut at ``cuts_of(index)``, empty pieces left out."""
    out = []
    for i in ids:
        s = sentences[i]
        edges = [0, *cuts_of(i), len(s)]
        out += [_Piece(i, a, s[a:b].strip()) for a, b in zip(edges, edges[1:]) if s[a:b].strip()]
    return out


def find_list_splits(beads: list[Bead], ru: list[str], en: list[str], encoder: Encoder,
                     min_score: float = LIST_MIN_SCORE) -> list[Split]:
    """Cuts for the sentences of each bead that holds a list run on its Russian side (``list_cuts``).

    The bead's Russian sentences are cut at their ``list_cuts`` (list runs only) and its English
    ones at every ``partner_cuts`` offset; the pieces are aligned (``align_sentences``), and a cut
    is kept where two beads of pieces that both score ``min_score`` or more meet. A sentence may
    get several cuts (``partner.apply_splits`` makes them all).
    """
    from aligner.align import align_sentences

    out: list[Split] = []
    for b in beads:
        runs = {i for i in b.ru_ids if _is_list_run(ru[i])} if b.en_ids else set()
        if not runs:
            continue
        # both sides in small pieces, so that most pieces pair 1-1; only list cuts are kept
        keep = {(i, q) for i in runs for q in list_cuts(ru[i])}
        rp = _pieces(ru, b.ru_ids, lambda i: partner_cuts(ru[i]) if i in runs else [])
        ep = _pieces(en, b.en_ids, lambda j: partner_cuts(en[j]))
        small = align_sentences([p.text for p in rp], [p.text for p in ep], encoder=encoder)
        for left, right in zip(small, small[1:]):
            if not (left.ru_ids and left.en_ids and right.ru_ids and right.en_ids):
                continue
            if right.ru_ids[0] != left.ru_ids[-1] + 1 or right.en_ids[0] != left.en_ids[-1] + 1:
                continue  # a pair the aligner took out of order: no place to cut
            r, e = rp[right.ru_ids[0]], ep[right.en_ids[0]]
            if min(left.score, right.score) < min_score or (r.start and (r.index, r.start) not in keep):
                continue
            if r.start:
                out.append(Split("ru", r.index, r.start))
            if e.start:
                out.append(Split("en", e.index, e.start))
    return out
