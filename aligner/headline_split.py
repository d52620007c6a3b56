"""Split a headline off its first sentence where both sides ran them together.

A raw news document is often one line, and the headline then runs into the first
sentence on both sides with no punctuation between them ("Kanye West: Rapper changes
his name to Ye Rapper Kanye West is changing his name - to Ye." against "Канье Уэст:
рэппер сменил имя на Йе Рэппер Канье Уэст придумал себе новое имя: Йе."). Where the
segmenter sees the boundary on one side only, ``partner.py`` finds it in the other;
where it sees it on neither, the aligner links the two glued sentences as one 1-1
bead, and the headline and the sentence are lost as links of their own.

This module looks at each 1-1 bead for a pair of cuts, one a side, where a sentence may
start after an unpunctuated piece (``partner.partner_cuts``), the Russian cut also
passing a word-level test (``ru_cut_ok``: not inside a phrase, "заявил| Министр" or
"в| Москве", nor before a name in an oblique case), and the English one opening with a
word that starts sentences ("The", "A", "It's": ``en_opener``), such that each piece
matches its partner better than the other piece. The caller splits both sentences and
aligns again.

Piece similarity alone cannot tell a headline from a clause: a sentence cut at the
same name on both sides ("Генеральный прокурор округа| Колумбия Карл Расин заявил")
gives pieces that match as well as a headline and its sentence do. Measured on the 285
natural ntrex and wmt23 raw documents, with the best pair per 1-1 bead scoring >= 0.5:
any capital on both sides, 20 right cuts and 476 wrong; with the Russian word test and
the English opener, 13 right and 7 wrong (4 wrong at ``MIN_JOINT_SIM``); with the
Russian test also taking a clause word after a name ("при Ким| С тех пор"), a single
letter ("Гейгера| И теперь") and an imperative, and refusing cuts inside quotes and
capitals, 19 right and 5 wrong, on all natural raw cases (flores and books too).

The document's first bead is where a news headline stands, and the sentence after it
mostly opens with a name ("…in new cases| China has announced"), so there any capital
may follow on the English side (``OPENING_ANY_WORD``): ntrex natural raw bundle F1
0.962 -> 0.973, the other groups equal. A wrong cut there still leaves two pairs that
translate each other (both pieces must match), only not cut at the sentence's edge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligner.encoders.base import Encoder
from aligner.model import Bead
from aligner.partner import _QUOTES, _TERMINAL, Split, _similar_length, encode_cuts, partner_cuts, pieces_fit

__all__ = ["MAX_HEADLINE_WORDS", "MIN_JOINT_SIM", "OPENING_ANY_WORD", "OPENING_MIN_SIM", "en_opener", "find_joint_splits", "find_opening_split", "ru_cut_level", "ru_cut_ok", "source_tail"]

# Both pairs of pieces must reach this cosine (the default encoder, USE). Raw ntrex+wmt23
# bundle F1: 0.5 and 0.55 the same within 0.001, 0.6 loses 0.002; 0.55 makes 3 fewer wrong cuts.
MIN_JOINT_SIM = 0.55
# A pair of strong cuts (an English opener after a lower-case word, a Russian common word that can
# open a sentence) is taken at this cosine. In the document's first bead: "…содержание МКД| Глава
# г.о. Серпухов" / "…of apartment blocks| The head of", 0.41 and 0.50 (the abbreviation "МКД"); on
# all natural raw cases, paragraphs and one line, 0.3 and 0.4 cut that one document only, right.
# In any other 1-1 bead too, where a standfirst or a subhead runs into a sentence on both sides
# ("…cancers and then reinjected| A trial vaccine is showing" / "…должны быть введены повторно|
# Пробная вакцина", 0.44; "…horrifically bad taste| Indeed, with his last film" / "…чудовищного
# дурновкусия| Да, со своей последней картиной", 0.40): on all raw cases in the five layouts three
# held-out ntrex and wmt23 documents gain 2 to 3 gold links each (one of them in every layout, two
# read as one line only), every new cut at the gold boundary; no dev case moves.
STRONG_SIM = 0.4
# In the document's first bead (both sides' first sentence) the English cut needs no opener.
OPENING_ANY_WORD = True
# The opening bead's lone sentence (``find_opening_split``): both pieces reach this cosine.
# On all raw cases it cuts 3 ntrex documents (and their __pert copies), all at the gold
# boundary; 0.2 the same, 0.4 loses one (ntrex natural bundle F1 0.976 at 0.3, 0.974 at 0.4).
# The pair side's headline may end with a full stop ("Megan Fox has been fired from
# Transformers 3."; partner.py asks for none, against true 1-2 links): 3 wmt23 documents
# more, all right, wmt23 natural 0.960 -> 0.961, FLORES (true 1-2 links) unchanged.
OPENING_MIN_SIM = 0.3
# ... and this at a cut before any other capital (the document's first bead only).
OPENING_ANY_SIM = 0.4
# A weak Russian cut (``ru_cut_level`` 1) is taken only at an English opener, with at least
# this many words after the cut on each side.
WEAK_MIN_WORDS = 4
# In the document's first bead a Russian cut is taken whatever the word before it binds where the
# headline ends with its source after a dash, of at most this many words (``source_tail``).
MAX_TAIL_WORDS = 4
# The document's opening reaches past its first bead while every bead before has no
# terminal punctuation (a headline, a rubric, a standfirst on their own), up to this many beads.
OPENING_ZONE_BEADS = 3
# A headline has at most this many words (the left piece on each side).
MAX_HEADLINE_WORDS = 25
# The whole sentence has at least this many words before a cut is looked for.
MIN_WORDS = 6

_CLOSERS = "»\"”’')"
_UNINFLECTED = frozenset({"ADVB", "GRND", "PRED", "CONJ", "PRCL", "PREP", "INFN", "NUMR"})
# Words that open a clause and are never a name: after a capitalised word they still start a sentence.
_FUNCTION = frozenset({"GRND", "CONJ", "PRCL", "PREP"})
_INITIAL = re.compile(r"[«\"“„(]?[^\W\d_]\.")
_RU_ATTRIBUTE_POS = frozenset({"ADJF", "PRTF"})
_TRAILING = ",:;.!?»\"”’')"
# Words that open English sentences and are rarely a name. The adverbs, connectives, quantifiers
# and modals of the last three lines: on all raw cases in the five layouts they cut two sentences
# more, both at the gold boundary ("…(200 м и 5000 м)| Любой спортсмен, который…" / "…(200m and
# 5000m)| Any athlete who…", held out, every layout; "…Ремарка| А можно я вас…" / "…All Quiet on
# the Western Front| Might I take your picture…", dev, read as one line), and nothing else.
_EN_OPENERS = frozenset(
    "The A An It Its This That These Those There Here He She They We I You His Her Their Our My "
    "In On At For But And As After Before When While If Although Though Since Because Another Some "
    "Many Most Every Each All One Two Three Four Five Six Seven Eight Nine Ten Twenty Thirty "
    "Now Yet So Still However Meanwhile According Despite With Without During Under Over "
    "Indeed Also Then Later Today Yesterday Both Neither Not Only Even Just Whether Once Instead Thus "
    "Moreover Furthermore Nevertheless Unlike Among Following Amid Perhaps Maybe Finally Currently "
    "Previously Earlier Overall Otherwise Several Please Any Might Could Should Would".split()
)


def _word(tok: str) -> str:
    return tok.strip(_QUOTES + _CLOSERS + ",:;.!?")


def ru_cut_ok(sentence: str, at: int) -> bool:
    """Whether a Russian sentence may start at ``at`` (a ``partner_cuts`` offset) after a headline."""
    return ru_cut_level(sentence, at) == 2


def ru_cut_level(sentence: str, at: int) -> int:
    """2 where a Russian sentence may start at ``at`` after a headline, 1 where it may if the
    English side vouches for it (an adjective in another case: "Изучайте историю| Следующим
    шагом", against "Study History| The next shoe"), 0 where it may not.

    The word before must not bind what follows (a preposition, conjunction, particle,
    verb or adjective: "сообщил| Президент", "в| Москве"), nor be a first name ("Майкл|
    Орган"), and a name after it must be in the nominative, as a subject opens a sentence
    ("…из-за «дерзости»| Трампа" is no cut).
    """
    from aligner.segment import _ru_binds_next, _ru_first_name, ru_parses

    left = sentence[:at].split()[-1]
    right = sentence[at:].split()[0]
    lw, rw = _word(left), _word(right)
    if not lw or not rw:
        return 0
    before = sentence[:at]
    # “ closes a Russian „…“ quote and opens an English-style “…” one
    inner_open = before.count("„") > before.count("“") if "„" in before else before.count("“") > before.count("”")
    if (before.count("«") > before.count("»") or inner_open
            or before.count('"') % 2 or before.count("(") > before.count(")")):
        return 0  # inside quotes or brackets: "Дядя| Ваня"
    if len(lw) > 1 and lw.isupper() and right.isupper() and sentence[at:].split()[1:2] and sentence[at:].split()[1].isupper():
        return 0  # inside a line in capitals: "ОБЯЗАНЫ ПРЕДОСТАВИТЬ| В СЕКРЕТАРИАТ"
    if _INITIAL.fullmatch(right):
        return 0  # an initial: "инженера| А. П. Воронцова"
    opener = re.fullmatch(r"[А-ЯЁ][а-яё]*(?:-[А-ЯЁа-яё]+)*", right.rstrip(_TRAILING))
    parses = ru_parses(rw) if opener else []
    function_word = any(p.tag.POS in _FUNCTION for p in parses)  # "С тех пор", "И теперь", "Говоря о"
    if re.fullmatch(r"[а-яёА-ЯЁ-]+", lw) and not (len(lw) > 1 and lw.isupper()):  # "ИИ", "США" bind nothing
        if _ru_binds_next(lw) and not (function_word and lw[0].isupper()):
            return 0
        if lw[0].isupper() and _ru_first_name(lw) and not function_word:
            return 0
    if rw[0].isdigit():
        return 2 if re.fullmatch(r"\d+-[а-яё]+", rw) else 0  # "45-летний", "17-й"; a bare number goes with its phrase
    if not opener:
        # a quoted or Latin word ("«Таймс»", "The Telegraph") is a title inside the sentence
        # unless a quote closes the headline before it ("…демократов»| «Голос за судью")
        if not rw[0].isupper():
            return 0
        return 2 if left[-1:] in _CLOSERS else 0
    if any("nomn" in p.tag or "impr" in p.tag or p.tag.POS in _UNINFLECTED for p in parses):
        return 2
    return 1 if any(p.tag.POS in _RU_ATTRIBUTE_POS for p in parses) else 0


def source_tail(sentence: str, at: int) -> bool:
    """The words before ``at`` end a headline with its source after a dash ("…произошли взрывы -
    РТ на русском| «Сообщают…»", "…occurred in Kiev region — RT in Russian| "There are…"): at
    most ``MAX_TAIL_WORDS`` words after a lone dash, the first capitalised and none a verb (a
    source, not a clause: "ТАСС - Роскосмос сообщил о разгерметизации| «Прогресса»"), three or
    more words before it, and a capital (maybe after a quote) at ``at``."""
    from aligner.segment import ru_parses

    words = sentence[:at].split()
    right = sentence[at:].split()
    dashes = [k for k in range(max(0, len(words) - MAX_TAIL_WORDS - 1), len(words) - 1) if words[k] in ("-", "–", "—")]
    if not dashes or not right or dashes[-1] < 3:
        return False
    tail = [_word(w) for w in words[dashes[-1] + 1:]]
    if not tail[0][:1].isupper() or any(p.tag.POS in ("VERB", "INFN") for w in tail for p in ru_parses(w)[:1]):
        return False
    if not right[0].lstrip(_QUOTES)[:1].isupper():
        return False
    return right[0][:1] in _QUOTES or not _agrees(tail[-1], _word(right[0]))


def _agrees(adjective: str, word: str) -> bool:
    """``adjective`` (its likeliest parse a full adjective) agrees with ``word`` (an adjective or
    noun) in case, number and, in the singular, gender: one name runs on across them ("…на
    нашей планете - Великая| Отечественная война"), no source ends there."""
    from aligner.segment import ru_parses

    a, w = ru_parses(adjective)[:1], ru_parses(word)[:1]
    if not a or not w or a[0].tag.POS != "ADJF" or w[0].tag.POS not in ("ADJF", "NOUN"):
        return False
    a, w = a[0].tag, w[0].tag
    return a.case == w.case and a.number == w.number and (a.number == "plur" or a.gender == w.gender)


def opening_zone(beads: list[Bead], ru: list[str], en: list[str],
                 limit: int | None = None) -> set[tuple[int, int]]:
    """First sentence ids of the beads that open the document: the first bead, and each next one
    while every sentence of the beads before it lacks terminal punctuation (headline lines:
    "Фитнес-эксперт рассказал о тренировке…" / "A fitness expert spoke about training…", then the
    standfirst runs into the first sentence on both sides), at most ``limit`` beads."""
    zone: set[tuple[int, int]] = set()
    for b in beads[:OPENING_ZONE_BEADS if limit is None else limit]:
        if not b.ru_ids or not b.en_ids:
            return zone  # a sentence left alone: not a heading both sides share
        if b.features.get("crossing") == 1.0:
            return zone  # its en sentence stands further on (AlignConfig.crossing_pairs): not the opening's
        zone.add((b.ru_ids[0], b.en_ids[0]))
        if any(_TERMINAL.search(ru[i].rstrip()) for i in b.ru_ids) or any(_TERMINAL.search(en[j].rstrip()) for j in b.en_ids):
            return zone
    return zone


def quote_opening(sentence: str, at: int) -> bool:
    """A quote that opens with a pronoun (or a possessive one) after a lower-case word that binds
    nothing: a sentence opens with someone's words after a headline or subhead ("…ФБР начинает
    расследование| «Я подумал, что…»", "…в понедельник вечером| «Мой сын, вернувшийся домой…»"),
    where ``ru_cut_level`` reads a quoted word as a title inside the sentence. At least three words
    after the cut. The English side needs ``en_quote_opening`` (or an opener) at its cut."""
    from aligner.segment import _ru_binds_next, ru_parses

    left, right = sentence[:at].split()[-1], sentence[at:].split()
    if len(right) < 3 or right[0][:1] not in "«\"„" or not left.isalpha() or not left.islower() or _ru_binds_next(left):
        return False
    word = _word(right[0])
    if not word:
        return False
    parse = ru_parses(word)[0]
    return parse.tag.POS == "NPRO" or "Apro" in parse.tag


# Words an English quote opens with after a headline: pronouns and question words.
_EN_QUOTE_OPENERS = frozenset("I We You He She They It My Our Your What This That There".split())


def en_quote_opening(sentence: str, at: int) -> bool:
    """A quote opening with a pronoun or question word after a lower-case word ("…on Monday night|
    "What my own son is going through…", "…begins investigation| "I thought, if…")."""
    left, right = sentence[:at].split()[-1], sentence[at:].split()[0]
    return (right[:1] in "\"“‘'" and left.isalpha() and left.islower()
            and re.split(r"['’]", _word(right))[0] in _EN_QUOTE_OPENERS)


def verb_headline_end(sentence: str, at: int) -> bool:
    """A Russian headline that ends with its verb, then a sentence whose subject is a common noun
    ("…но затем отступили| Дипломаты отметили, что…" / "…Then Backed Off| Diplomats noted that…"):
    a lower-case verb before ``at`` (``ru_cut_level`` takes it as binding what follows: "сообщил|
    Президент"), a noun in the nominative after it that can open a sentence (no name, no
    adjective: "…которые ведет| Белый дом"). Taken in the document's first bead only."""
    from aligner.segment import _ru_opens_sentence, ru_parses

    left, right = _word(sentence[:at].split()[-1]), _word(sentence[at:].split()[0])
    if not left.isalpha() or not left.islower() or not right.isalpha():
        return False
    if ru_parses(left)[0].tag.POS != "VERB":
        return False
    first = ru_parses(right)[0]
    return first.tag.POS == "NOUN" and "nomn" in first.tag and _ru_opens_sentence(right)


def en_common_start(sentence: str, at: int) -> bool:
    """A capitalised word then a lower-case one at ``at``, not a name: "…without intensive workouts|
    Fitness expert Anthony Ang", "…rogue cells and kill them| Vaccine teaches" (against
    "…Florida governor| Ron DeSantis", "…Bank head| Elvira Nabiullina")."""
    words = sentence[at:].split()[:2]
    if len(words) < 2 or _INITIAL.fullmatch(words[0]):
        return False
    w1, w2 = _word(words[0]), _word(words[1])
    return w1[:1].isupper() and w1[1:].islower() and w2[:1].islower() and w2.isalpha() and not words[0].endswith(tuple(_TRAILING))


def _lower_before(sentence: str, at: int) -> bool:
    """The word before ``at`` is in lower case: no name runs on over the cut ("Christine Blasey| Ford")."""
    word = _word(sentence[:at].split()[-1])
    return word.islower()


def ru_common_start(sentence: str, at: int) -> bool:
    """A Russian sentence may start at ``at`` (``ru_cut_ok``) with a common word that can open one,
    no name ("…в Тринидаде| Отец", not "…творчеству| Альфреда Хичкока")."""
    from aligner.segment import _ru_opens_sentence

    word = _word(sentence[at:].split()[0])
    return bool(word) and ru_cut_ok(sentence, at) and (_ru_opens_sentence(word) or _ru_opens_sentence(word.split("-")[-1].capitalize()) and "-" in word)


def en_opener(sentence: str, at: int) -> bool:
    """The word at ``at`` is one that opens English sentences and is rarely a name: "The", "It's", "A"."""
    right = sentence[at:].split()[0]
    if _INITIAL.fullmatch(right):
        return False  # an initial: "the engineer| A. P. Vorontsov"
    rw = _word(right)
    return rw in _EN_OPENERS or rw.split("'")[0].split("’")[0] in _EN_OPENERS


@dataclass(frozen=True, slots=True)
class _Plan:
    ru_index: int
    en_index: int
    pairs: list[tuple[int, int]]  # (ru cut, en cut)
    strong: frozenset[tuple[int, int]] = frozenset()  # pairs taken at STRONG_SIM


def find_joint_splits(beads: list[Bead], ru: list[str], en: list[str], encoder: Encoder,
                      min_sim: float = MIN_JOINT_SIM, taken: list[Split] = (),
                      opening: tuple[int, int] | None = (0, 0),
                      within: tuple[set[int], set[int]] | None = None) -> list[Split]:
    """Cuts for both sentences of 1-1 beads where a headline runs into the first sentence on both sides.

    For a bead ``ru[i] <-> en[j]`` every pair of cuts ``(p, q)`` (``partner_cuts``,
    ``ru_cut_ok`` on the Russian side, or ``ru_cut_level`` 1 where an English opener follows, ``en_opener`` on the English side except in the
    document's first bead (``OPENING_ANY_WORD``), headline
    pieces of at most ``MAX_HEADLINE_WORDS`` words, pieces of similar length) is scored by
    ``min(cos(ru[i][:p], en[j][:q]), cos(ru[i][p:], en[j][q:]))``; the best pair is taken when that reaches ``min_sim``
    and each piece matches its partner better than the other side's other piece. A bead
    with a sentence already cut in ``taken`` (``partner.find_splits``) is left alone.
    ``opening``: the first sentences of the bead taken as the document's opening (None: none).
    ``within``: only beads whose Russian or English sentence id is in these sets (a later round
    looks at the beads of the pieces it cut: a piece cut on one side only may be linked to a
    sentence that still runs a headline into its text on both).
    """
    cut = {(t.side, t.index) for t in taken}
    standfirsts = opening_zone(beads, ru, en) - {(0, 0)}  # beads after the headline lines
    plans: list[_Plan] = []
    cut_at: list[tuple[str, int]] = []  # (sentence, cut): both pieces (partner.encode_cuts)
    index: dict[tuple[str, int], int] = {}

    def slot(sentence: str, q: int) -> None:
        if (sentence, q) not in index:
            index[sentence, q] = len(cut_at)
            cut_at.append((sentence, q))

    for b in beads:
        if len(b.ru_ids) != 1 or len(b.en_ids) != 1:
            continue
        i, j = b.ru_ids[0], b.en_ids[0]
        if ("ru", i) in cut or ("en", j) in cut:
            continue
        first = OPENING_ANY_WORD and (i, j) == opening
        # a bead after the headline lines: a standfirst runs into the first sentence (looked at
        # again once a headline is cut off before it)
        standfirst = OPENING_ANY_WORD and not first and (i, j) in standfirsts
        if within is not None and i not in within[0] and j not in within[1] and not standfirst:
            continue
        r, e = ru[i], en[j]
        if len(r.split()) < MIN_WORDS or len(e.split()) < MIN_WORDS:
            continue
        # the opening once more, after a kicker cut off its headline: no name runs over the cut
        reopened = first and opening != (0, 0)
        ec = [q for q in partner_cuts(e) if len(e[:q].split()) <= MAX_HEADLINE_WORDS
              and ((en_opener(e, q) or en_common_start(e, q)) and _lower_before(e, q) if standfirst
                   else first and (not reopened or _lower_before(e, q)) or en_opener(e, q) or en_quote_opening(e, q))]
        if not ec:  # the cheap side first: most sentences have no opener after a capital
            continue
        level = {p: 2 if quote_opening(r, p) or first and (source_tail(r, p) or verb_headline_end(r, p))
                 else ru_cut_level(r, p)
                 for p in partner_cuts(r) if len(r[:p].split()) <= MAX_HEADLINE_WORDS
                 and (not reopened or _lower_before(r, p))}
        if standfirst:  # no name after the Russian cut either: a common word opens the sentence
            level = {p: lv if lv < 2 or ru_common_start(r, p) else 0 for p, lv in level.items()}
        rc = [p for p, lv in level.items() if lv]
        pairs = [(p, q) for p in rc for q in ec
                 if (level[p] == 2 or (en_opener(e, q) and len(r[p:].split()) >= WEAK_MIN_WORDS and len(e[q:].split()) >= WEAK_MIN_WORDS))
                 and _similar_length(len(r[:p].rstrip()), len(e[:q].rstrip())) and _similar_length(len(r) - p, len(e) - q)]
        if not pairs:
            continue
        for p, q in pairs:
            slot(r, p), slot(e, q)
        strong = frozenset((p, q) for p, q in pairs if level[p] == 2 and en_opener(e, q)
                           and _lower_before(e, q) and ru_common_start(r, p))
        plans.append(_Plan(i, j, pairs, strong))
    if not plans:
        return []
    lefts, rights = encode_cuts(encoder, cut_at)
    out: list[Split] = []
    for plan in plans:
        r, e = ru[plan.ru_index], en[plan.en_index]
        best, best_score = None, -1.0
        for p, q in plan.pairs:
            r1, r2 = lefts[index[r, p]], rights[index[r, p]]
            e1, e2 = lefts[index[e, q]], rights[index[e, q]]
            s11, s22, s12, s21 = float(r1 @ e1), float(r2 @ e2), float(r1 @ e2), float(r2 @ e1)
            score = min(s11, s22)
            need = min(min_sim, STRONG_SIM) if (p, q) in plan.strong else min_sim
            if score >= need and score > best_score and s11 > max(s12, s21) and s22 > max(s12, s21):
                best, best_score = (p, q), score
        if best is not None:
            out += [Split("ru", plan.ru_index, best[0]), Split("en", plan.en_index, best[1])]
    return out


def find_opening_split(beads: list[Bead], ru: list[str], en: list[str], encoder: Encoder,
                       min_sim: float = OPENING_MIN_SIM, taken: list[Split] = (),
                       opening: tuple[int, int] = (0, 0)) -> list[Split]:
    """A cut for the lone sentence of the document's first bead when it is n-1 or 1-n.

    The case ``partner.find_splits`` leaves at its stricter threshold: the headline stands
    alone on one side and runs into the first sentence on the other, but its translation is
    loose ("Члены Ассамблеи Уэльса не хотят «походить на маппетов»" against "Welsh AMs
    worried about 'looking like muppets'", cosine 0.35). Only in the first bead, and only at a
    cut where a sentence starts (``en_opener`` in English, ``ru_cut_ok`` in Russian): the
    cut with the highest sum of the two pieces' cosines with their partners, when both
    reach ``min_sim`` and beat the partners' cosines with the whole lone sentence.
    ``opening``: the first sentence ids of the bead looked at (``(1, 1)`` once the first
    pieces of a cut opening are linked).
    """
    oi, oj = opening
    b = next((b for b in beads if b.ru_ids[:1] == (oi,) and b.en_ids[:1] == (oj,)), None)
    cut = {(t.side, t.index) for t in taken}
    if b is None:
        return []
    strong = en_opener
    if len(b.ru_ids) >= 2 and len(b.en_ids) == 1:
        side, index, pair = "en", oj, [ru[i] for i in b.ru_ids]
        # the document's own first sentence: any capital, at a higher cosine (as joint splits there)
        ok = (lambda s, q: True) if OPENING_ANY_WORD and opening == (0, 0) else en_opener
    elif len(b.en_ids) >= 2 and len(b.ru_ids) == 1:
        side, index, pair = "ru", oi, [en[j] for j in b.en_ids]
        ok = strong = ru_cut_ok
    else:
        return []
    lone = (en if side == "en" else ru)[index]
    if (side, index) in cut:
        return []
    a1, a2 = pair[0], " ".join(pair[1:])
    cuts = [q for q in partner_cuts(lone) if pieces_fit(lone, q, a1, a2) and ok(lone, q)]
    if not cuts:
        return []
    vecs = encoder.encode([a1, a2, lone])
    lefts, rights = encode_cuts(encoder, [(lone, q) for q in cuts])
    k = len(cuts)
    left, right = lefts @ vecs[0], rights @ vecs[1]
    merged = min(float(vecs[0] @ vecs[2]), float(vecs[1] @ vecs[2]))
    best = None
    # a cut at a sentence opener first; another capital only where none passes
    for opener_cut in (True, False):
        for n in range(k):
            if strong(lone, cuts[n]) is not opener_cut:
                continue
            need = min_sim if opener_cut else max(min_sim, OPENING_ANY_SIM)
            if min(left[n], right[n]) >= need and min(left[n], right[n]) > merged:
                if best is None or left[n] + right[n] > left[best] + right[best]:
                    best = n
        if best is not None:
            break
    return [] if best is None else [Split(side, index, cuts[best])]
