"""Split a sentence where its translation shows a boundary the splitter could not see.

A raw news document is often one line: the headline runs into the first sentence
with no punctuation between them ("Warren plans to take a 'hard look' at running for
president U.S. Sen. Elizabeth Warren says ..."). Where the splitter finds that
boundary on one side only (``segment.headline_cuts`` sees "…на убийство| В Сомерсете"
in Russian; English has no such cue), the aligner links two sentences to one (a 2-1
bead). This module looks for the matching cut in the lone sentence: a word boundary
before a capital or a digit, where each piece is the best translation of its partner,
and splits there. The caller aligns again with the new sentences.

Only n-1 and 1-n beads are looked at (the headline against the rest), and only word
boundaries where a sentence may start, so text that was split on both sides or on
neither is never touched. One exception: the document's first bead, when it is 1-1 and
one piece of a sentence matches the other side far better than the whole sentence does
(``OPENING_GAIN``): a headline run into the first sentence whose translation is missing
(or the first sentence missing under a translated headline). The unmatched piece is
then cut off and left for the aligner to leave unaligned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from aligner.encoders.base import Encoder, cut_pieces
from aligner.model import Bead

__all__ = ["MIN_PIECE_SIM", "Split", "apply_splits", "find_splits", "partner_cuts"]

# Both pieces must reach this cosine with their partners (the default encoder, USE);
# chosen on the dev split (scripts/bench_quality.py --dev --mode raw, with and without --no-partners).
MIN_PIECE_SIM = 0.5
# A piece has at least this many words, so a name or an initial does not become a sentence.
MIN_PIECE_WORDS = 2

# A piece and its partner differ in length by at most this factor (either way), so cuts
# that could never match are not embedded: Russian and English sentences rarely differ by
# more than a third in characters, except short headlines (``LENGTH_SLACK``). Measured on the dev split (bench_quality --mode raw --dev):
# the same beads as with every cut, and 4 in 5 candidate pieces are not embedded.
MAX_LENGTH_RATIO = 2.0
# ... or by at most this many characters (short headlines vary most: "Red Tide" against
# "Красный прилив: новости").
LENGTH_SLACK = 20

# The document's first bead, 1-1: a piece of one side's sentence is split off when the other
# piece's cosine with the other side beats the whole sentence's by this much. Of the 514
# first-bead sentences with a cut in the raw wmt23/ntrex/flores cases (dev and held-out), 3
# gain >= 0.10 (two headlines whose translation __pert deleted, a review title run into its
# text); the next gain 0.065 ("Hundreds of| Migrant Children", which would be wrong). Among the
# books it fires once, on a translator's credit ("О. Генри Дары волхвов| Перевод Т. Покидаева").
# Where the whole sentence is too long to be the other side's translation (``_similar_length``
# fails) a piece that fits need only match as well as the whole: of those 514 sentences 2 are
# so, both a headline run into a sentence against a lone headline (one gained 0.024).
OPENING_GAIN = 0.10
# ... and the check is not made when the two whole sentences already match this well (and fit
# by length): a piece would need a cosine of at least this plus ``OPENING_GAIN``. Over the 437
# opening checks of all raw cases (bench_quality --mode raw), the gain stayed below 0.061
# wherever the whole sentences' cosine was 0.65 or more, and the four that fired had 0.45-0.61;
# skipping at 0.70 leaves 63 % of the opening's cut pieces unembedded (scripts/bench_e2e.py).
OPENING_SKIP_SIM = 0.70

_TOKEN = re.compile(r"\S+")
_WORD_END = re.compile(r"(?:['’]s)?[.,;:!?»\"”’')]*$")
_NO_END = tuple(",:;(«„“‘—–-/&")
# Quotes and a bracket that open on a word ('«Голос', '“and', '(a').
_QUOTES = "«\"“„‘'("
# Words a sentence does not end with: an article belongs to the word after it ("The| FBI").
_ARTICLES = frozenset({"The", "the", "A", "a", "An", "an"})
# English words that govern the next word, so a sentence does not end with them either:
# prepositions and conjunctions ("…defectors to| South Korea", "…funding As| China
# becomes"), lower-case or capitalised.
_BINDING = frozenset(
    "to of in on at for with by from into onto about over under after before against between during "
    "without within via vs vs. amid among toward towards upon than as and or nor but if when while "
    "because although though since whether unless until".split()
)
# A possessive belongs to the noun after it ("…Friday's| Elite League loss").
_POSSESSIVE = re.compile(r"\w['’]s$")
# Words English capitalises inside a sentence, so no sentence starts at them: a cut
# before one splits "…rested its case| Saturday in the retrial" (days, months).
_CALENDAR = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
_TERMINAL = re.compile(r"[.!?…:;][»\"”’')\]]*$")
# Also n-1 beads whose pair side's first sentence ends with punctuation (the lone side lost its
# full stop: "…my favorite hockey players| My whole room" / "…хоккеисты.| У меня"), at a strong cut only.
PUNCTUATED_PAIR = True


@dataclass(frozen=True, slots=True)
class Split:
    """Cut sentence ``index`` of ``side`` ("ru" or "en") at character ``at``."""

    side: str
    index: int
    at: int


def partner_cuts(sentence: str) -> list[int]:
    """Offsets in ``sentence`` where a second sentence could start: before a capital or a digit.

    The word before must not end in a comma, colon, dash or opening bracket nor be an
    article, an English preposition or conjunction or a possessive nor an abbreviation that
    stands before a name ("г.", "ул.", "Mrs."), the word after is no day or month name, and
    each side keeps at least ``MIN_PIECE_WORDS`` words.
    """
    from aligner.segment import before_name

    toks = list(_TOKEN.finditer(sentence))
    out = []
    for i in range(MIN_PIECE_WORDS, len(toks) - MIN_PIECE_WORDS + 1):
        left, right = toks[i - 1].group(), toks[i].group()
        word = right.lstrip(_QUOTES)
        first = word[:1]
        if not (first.isupper() or first.isdigit()) or left.endswith(_NO_END):
            continue
        left = left.lstrip(_QUOTES) or left  # '“and| I am afraid': a quote opens on the word
        if left in _ARTICLES:
            continue
        if left.lower() in _BINDING or _POSSESSIVE.search(left):
            continue
        if _WORD_END.sub("", word) in _CALENDAR:
            continue
        if left.endswith(".") and before_name(" ".join(t.group() for t in toks[max(0, i - 3) : i])):
            continue  # "г.| Москва", "ул.| Малая Почтовая", "Mrs.| Otis": a title, not a sentence's end
        out.append(toks[i].start())
    return out


def find_splits(beads: list[Bead], ru: list[str], en: list[str], encoder: Encoder,
                min_sim: float = MIN_PIECE_SIM) -> list[Split]:
    """Cuts for the lone sentence of each n-1 / 1-n bead whose two pieces match their partners.

    For a bead ``ru[i], ru[i+1:k] <-> en[j]`` every cut ``q`` of ``en[j]`` (``partner_cuts``)
    is scored by ``min(cos(ru[i], en[j][:q]), cos(ru[i+1:k], en[j][q:]))``; a cut may be
    taken when that reaches ``min_sim`` and beats the two sentences against the whole of
    ``en[j]`` (a cut must explain the pair better than the merge did), and of those the
    one with the highest sum of the two cosines is.

    Only beads whose first sentence on the pair side has no terminal punctuation count (a
    headline, cut by ``segment.headline_cuts`` or standing on its own line): a sentence
    translated as two (a true 1-2, "… one. Two.") is left whole. On the dev split, taking
    every 2-1 / 1-2 bead instead cost FLORES 0.046 strict F1 (its true 1-2 links cut into
    fragments), and every one that opens a line on both sides 0.014; this rule costs nothing.
    """
    from aligner.headline_split import en_opener, ru_common_start

    jobs = []  # (side, lone index, lone text, pair texts, strong cuts only)
    for b in beads:
        if len(b.ru_ids) >= 2 and len(b.en_ids) == 1:
            strong = bool(_TERMINAL.search(ru[b.ru_ids[0]]))
            if strong and not PUNCTUATED_PAIR:
                continue
            j = b.en_ids[0]
            jobs.append(("en", j, en[j], (ru[b.ru_ids[0]], " ".join(ru[i] for i in b.ru_ids[1:])), strong))
        elif len(b.ru_ids) == 1 and len(b.en_ids) >= 2:
            strong = bool(_TERMINAL.search(en[b.en_ids[0]]))
            if strong and not PUNCTUATED_PAIR:
                continue
            i = b.ru_ids[0]
            jobs.append(("ru", i, ru[i], (en[b.en_ids[0]], " ".join(en[j] for j in b.en_ids[1:])), strong))
    texts: list[str] = []  # whole sentences (mostly embedded already)
    cut_at: list[tuple[str, int]] = []  # sentences cut at a word: both pieces (encode_cuts)
    plans = []
    opening = _opening_plan(beads, ru, en, texts)
    for side, idx, lone, (a1, a2), strong in jobs:
        cuts = [q for q in partner_cuts(lone) if pieces_fit(lone, q, a1, a2)
                and (not strong or _strong_cut(lone, q, *((en_opener, _en_after_quote) if side == "en"
                                                          else (ru_common_start, _ru_after_quote)))
                     or STOP_CUTS and _stop_cut(lone, q) or NAME_CUTS and _name_cut(lone, q, a2, side == "ru"))]
        if not cuts:
            continue
        plans.append((side, idx, cuts, len(texts), len(cut_at)))
        texts += [a1, a2, lone]
        cut_at += [(lone, q) for q in cuts]
    if not plans and opening is None:
        return []
    vecs = encoder.encode(texts)
    opening = _opening_cuts(opening, vecs, cut_at)
    lefts, rights = encode_cuts(encoder, cut_at)
    out = [] if opening is None else _opening_split(opening, vecs, lefts, rights)
    for side, idx, cuts, base, at in plans:
        a1, a2, whole = vecs[base], vecs[base + 1], vecs[base + 2]
        k = len(cuts)
        left, right = lefts[at : at + k] @ a1, rights[at : at + k] @ a2
        score = np.minimum(left, right)
        merged = min(float(a1 @ whole), float(a2 @ whole))
        fits = (score >= min_sim) & (score > merged)
        if fits.any():
            # Among the cuts that pass, the one whose pieces match best together: moving a
            # name's first word across the cut ("…five days Jeremy| Corbyn's") barely moves
            # the weaker piece's cosine, but costs the other piece.
            best = int(np.argmax(np.where(fits, left + right, -np.inf)))
            out.append(Split(side, idx, cuts[best]))
    return out


_NUMBER_WORD = re.compile(r"\d[\d.,]*%?")


# A strong cut may also follow a closing quote after a capitalised word ("…на территории
# «Брайтона»| Он отдал"). On all raw cases (paragraphs and one line) it cuts one dev ntrex document
# and its __pert copy, right.
QUOTE_END = True
# And after a word in quotes of its own, before any capital in English, before a word a Russian
# sentence may start with or a quote in Russian: the quote closed a term or title that ended the
# sentence ('…referred to as an "archipelago"| Taiwan beginning…', '…картины Юрия Быкова «Жить»|
# Тех же ментов…'). On all raw cases in the five layouts it cuts 3 documents read as one line (dev
# flores_devtest_10, held-out wmt23 em1-7 and em1-8: 2 gold links each) and their __pert copies, and
# one __pert copy as written, each at the gold boundary; nothing else moves.
QUOTED_WORD = True


def _strong_cut(sentence: str, at: int, opener, after_quote) -> bool:
    """A sentence starts at ``at`` after a lower-case word or a number (no name runs over the
    cut: "…women account for 26.7%| In the National Academy", "…of school No. 2| According to")
    and ``opener`` takes the word there; or after a quoted word, where ``after_quote`` takes
    what follows (``QUOTED_WORD``)."""
    left = sentence[:at].split()[-1]
    # "I" stands inside sentences ("…so| I wasn't", "…for three hundred years| I have not slept")
    first = re.split(r"['’]", sentence[at:].split()[0].lstrip(_QUOTES))[0]
    if first == "I":
        return False
    if (QUOTED_WORD and len(left) > 3 and left[:1] in "«“\""
            and left[-1:] in "»”\"" and after_quote(sentence, at)):
        return True
    word = left.strip("»\"”’')")
    plain = (word.isalpha() and word.islower()) or bool(_NUMBER_WORD.fullmatch(word))
    # a closed quote ends a title, so no name runs over the cut either ("…«Брайтона»| Он отдал")
    quoted = QUOTE_END and left[-1:] in "»”" and word[:1] in "«“"
    return (plain or quoted) and opener(sentence, at)


def _en_after_quote(sentence: str, at: int) -> bool:
    """Any capitalised word: a name seldom follows a one-word quotation inside an English
    sentence, and the other side's full stop vouches for the cut."""
    return sentence[at:].lstrip(_QUOTES)[:1].isupper()


def _ru_after_quote(sentence: str, at: int) -> bool:
    """A word a sentence may start with, or a quote opening: a name in an oblique case goes with
    the title before it ("…в фильме «Жить»| Юрия Быкова" is no cut)."""
    from aligner.headline_split import ru_cut_level

    return sentence[at:at + 1] in "«„“\"" or ru_cut_level(sentence, at) >= 1


# Also, where the pair side is punctuated, a cut after a stop that the segmenter took for an
# initial or an abbreviation ("…a young Professor X.| Rosamund Pike plays" against "…профессора
# Икс.| Розамунд Пайк"): the other side's boundary vouches for it. bench_quality --mode raw --dev,
# bundle F1 natural / __pert: 0.962 / 0.954 -> 0.965 / 0.957 (one line 0.955 / 0.945 -> 0.958 /
# 0.949), books the same; on all raw cases it cuts 4 documents and their __pert copies, every cut
# where the other side's sentence ends, once "Mrs.", "i.e." and "U.S." were ruled out.
STOP_CUTS = True
_STOP_END = re.compile(r"[^\W\d_][.!?…]+[»\"”’')]*$")


def _stop_cut(sentence: str, at: int) -> bool:
    """The word before ``at`` ends with terminal punctuation ("X.", "pH.", "don’t.”") and is no
    abbreviation ("Mrs.", "i.e.", "U.S.", "Sens.")."""
    from aligner.segment import _is_abbreviation

    left = sentence[:at].split()[-1]
    if not _STOP_END.search(left):
        return False
    word = left.rstrip("»\"”’')").rstrip(".!?…")
    return "." not in word and not _is_abbreviation(word)


# Also, where the pair side is punctuated, a cut before the name its next sentence opens with
# ("…на открытое пространство| Агуэро оказался…" against "…into the open field.| Aguero then
# found…"): the name, the same in both scripts (``similarity.name_key``), shows where the other
# side's sentence starts. On all raw cases in the five layouts it cuts one dev ntrex document and
# its __pert copy, right (bundle F1 0.922 -> 1.000); taking the name anywhere in the next
# sentence's first two words, or after a verb or before an oblique case in Russian, also cut
# "…через| Аризону", "выражаю| Котляровой" and "скажет| Иван Ильич", all wrong.
NAME_CUTS = True


def _name_cut(sentence: str, at: int, follow: str, ru: bool) -> bool:
    """After a lower-case word, the capitalised word at ``at`` is the name that ``follow`` (the
    other side's next sentence) opens with; in Russian a sentence may start there
    (``ru_cut_level``: not after a verb, nor a name in an oblique case, "выражаю| Котляровой")."""
    from aligner.align.similarity import NAME_MIN_LETTERS, name_key
    from aligner.headline_split import _word, ru_cut_level

    left = sentence[:at].split()[-1]
    word = _word(sentence[at:].split()[0])
    lead = follow.split()[:1]
    if not (lead and left.isalpha() and left.islower() and word.isalpha() and word[0].isupper()
            and len(word) >= NAME_MIN_LETTERS):
        return False
    return name_key(_word(lead[0])) == name_key(word) and (not ru or ru_cut_level(sentence, at) >= 1)


def encode_cuts(encoder: Encoder, cut_at: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of ``s[:q].rstrip()`` and of ``s[q:]`` for each ``(s, q)``: through the encoder's
    ``encode_cuts`` (USE builds all pieces of a sentence from one pass over it)."""
    if not cut_at:
        empty = np.zeros((0, encoder.dim), dtype=np.float32)
        return empty, empty
    joined = getattr(encoder, "encode_cuts", None)
    if joined is not None:
        return joined(cut_at)
    vecs = encoder.encode(cut_pieces(cut_at))
    return vecs[: len(cut_at)], vecs[len(cut_at) :]


@dataclass(slots=True)
class _OpeningSide:
    """One side's opening check: ``lone`` (its first sentence) cut at ``cuts``; ``fits[0]`` /
    ``fits[1]``: may each cut's left / right piece be the other side's translation by length;
    the whole sentences at ``texts[base]`` (the other side's) and ``texts[base + 1]``, the
    pieces at ``at`` in the cut list."""

    side: str
    lone: str
    cuts: list[int]
    fits: np.ndarray
    base: int
    whole_fits: bool
    at: int = -1


def _opening_plan(beads: list[Bead], ru: list[str], en: list[str], texts: list[str]):
    """Queue the whole sentences for the opening check (``_opening_split``) on ``texts``; the
    plan (``_opening_cuts`` adds its cut pieces) or None.

    Only the document's first bead counts, and only when it links the first sentence of
    each side one to one.
    """
    first = next((b for b in beads if not b.is_null), None)
    if first is None or first.ru_ids != (0,) or first.en_ids != (0,):
        return None
    sides = []
    for side, lone, other in (("en", en[0], ru[0]), ("ru", ru[0], en[0])):
        cuts, fits = [], []  # fits: may the left / the right piece be the other side's translation
        for q in partner_cuts(lone):
            fit = (_similar_length(len(lone[:q].rstrip()), len(other)), _similar_length(len(lone) - q, len(other)))
            if any(fit):
                cuts.append(q)
                fits.append(fit)
        if cuts:
            sides.append(_OpeningSide(side, lone, cuts, np.array(fits).T, len(texts),
                                      _similar_length(len(lone), len(other))))
            texts += [other, lone]
    return sides or None


def _opening_cuts(plan, vecs: np.ndarray, cut_at: list[tuple[str, int]]):
    """Queue the opening plan's cut pieces on ``cut_at``, unless the whole first sentences fit
    by length and match too well for a piece to gain ``OPENING_GAIN`` (``OPENING_SKIP_SIM``);
    the plan or None."""
    if plan is None:
        return None
    base = plan[0].base  # both sides' checks read the same two sentences and the same length test
    if plan[0].whole_fits and float(vecs[base] @ vecs[base + 1]) >= OPENING_SKIP_SIM:
        return None
    for entry in plan:
        entry.at = len(cut_at)
        cut_at += [(entry.lone, q) for q in entry.cuts]
    return plan


def _opening_split(plan: list[_OpeningSide], vecs: np.ndarray, lefts: np.ndarray,
                   rights: np.ndarray) -> list[Split]:
    """The opening bead's best cut when one of its pieces beats the whole by ``OPENING_GAIN``
    (or matches at least as well as the whole, when the whole is too long to be the other
    side's translation and the piece is not: ``_similar_length``)."""
    best = None
    for p in plan:
        other, whole = vecs[p.base], vecs[p.base + 1]
        k = len(p.cuts)
        pieces = np.stack([lefts[p.at : p.at + k] @ other, rights[p.at : p.at + k] @ other])  # left, right pieces
        gain = np.where(p.fits, pieces, -np.inf).max(axis=0) - float(whole @ other)
        n = int(np.argmax(gain))
        if gain[n] >= (OPENING_GAIN if p.whole_fits else 0.0) and (best is None or gain[n] > best[0]):
            best = (float(gain[n]), Split(p.side, 0, p.cuts[n]))
    return [] if best is None else [best[1]]


def _similar_length(a: int, b: int) -> bool:
    return min(a, b) * MAX_LENGTH_RATIO + LENGTH_SLACK >= max(a, b)


def pieces_fit(lone: str, q: int, a1: str, a2: str) -> bool:
    """Both pieces of ``lone`` cut at ``q`` may be the translations of ``a1`` and ``a2`` by length."""
    return _similar_length(len(lone[:q].rstrip()), len(a1)) and _similar_length(len(lone) - q, len(a2))


def apply_splits(sentences: list[str], lines: list[int], splits: list[Split],
                 side: str) -> tuple[list[str], list[int]]:
    """The sentences of ``side`` with its splits made; every piece keeps the sentence's line.

    A sentence may have several cuts (``list_split``: a list run); each piece loses the
    spaces at its cuts.
    """
    at: dict[int, set[int]] = {}
    for s in splits:
        if s.side == side:
            at.setdefault(s.index, set()).add(s.at)
    if not at:
        return sentences, lines
    new_s, new_l = [], []
    for i, (text, line) in enumerate(zip(sentences, lines)):
        if i in at:
            edges = [0, *sorted(q for q in at[i] if 0 < q < len(text)), len(text)]
            for a, b in zip(edges, edges[1:]):
                piece = text[a:b]
                if a:
                    piece = piece.lstrip()
                if b < len(text):
                    piece = piece.rstrip()
                new_s.append(piece)
                new_l.append(line)
        else:
            new_s.append(text)
            new_l.append(line)
    return new_s, new_l
