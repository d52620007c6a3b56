"""Partner splits: a lone sentence is cut where its two partners on the other side match its pieces."""

from __future__ import annotations

import re
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner import partner
from aligner.encoders.base import Encoder
from aligner.model import Bead
from aligner.partner import OPENING_SKIP_SIM, Split, apply_splits, find_splits, partner_cuts
from aligner.pipeline import align_text_sentences, sentences_from_text

# A tiny ru->en glossary: the encoder below maps both languages onto the same "concepts",
# so cosine similarity behaves like a real cross-lingual encoder's on these sentences.
GLOSS = {
    "четверо": "four", "арестованы": "arrested", "подозрению": "suspicion", "покушении": "attempted",
    "убийство": "murder", "сомерсете": "somerset", "подросток": "teenager", "получил": "was",
    "ножевые": "stabbed", "ранения": "stabbed", "полиция": "police", "ищет": "looking",
    "свидетелей": "witnesses", "вулкан": "volcano", "покрыл": "covered", "пеплом": "ash",
    "мехико": "mexico", "город": "city", "засыпал": "covered", "столицу": "capital",
}


class GlossEncoder(Encoder):
    """Bag of concepts: each word (Russian ones through GLOSS) is a fixed random direction."""

    name, dim = "gloss", 64

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for k, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                concept = GLOSS.get(word, word)
                rng = np.random.default_rng(zlib.crc32(concept.encode()))
                out[k] += rng.standard_normal(self.dim)
        return out


def bead(ru_ids, en_ids, ru, en) -> Bead:
    return Bead(tuple(ru_ids), tuple(en_ids), " ".join(ru[i] for i in ru_ids), " ".join(en[i] for i in en_ids), 0.9)


RU = ["Четверо арестованы по подозрению в покушении на убийство",
      "В Сомерсете подросток получил ножевые ранения."]
EN = ["Four arrested on suspicion of attempted murder A teenager was stabbed in Somerset."]


def test_no_partner_cut_after_a_quoted_conjunction_or_article() -> None:
    # a quote opens on the word before: '“and| I am afraid' is no place for a sentence to start
    s = "“She has no conversation,” he said, “and I am afraid that she is a coquette.”"
    assert partner_cuts(s) == []
    s = "He read «the Times» and (a New York paper) every day."
    words = [s[q:].split()[0] for q in partner_cuts(s)]
    assert "Times»" not in words and "New" not in words


def test_partner_cuts_only_before_capitals_and_digits_after_no_comma() -> None:
    s = "Four arrested on suspicion of attempted murder A teenager was stabbed in Somerset."
    assert [s[q:].split()[0] for q in partner_cuts(s)] == ["A"]  # "Somerset." would leave one word
    s = "Police said, Tom left home 45 minutes later."  # not after "said,"; "Police" opens it
    assert partner_cuts(s) == [s.index("45")]


def test_headline_found_in_the_lone_sentence() -> None:
    splits = find_splits([bead([0, 1], [0], RU, EN)], RU, EN, GlossEncoder())
    assert splits == [Split("en", 0, EN[0].index("A teenager"))]


def test_true_one_to_two_is_left_whole() -> None:
    # The pair side's first sentence ends with a full stop: a sentence translated as two, not a
    # headline. Only a strong cut is taken then (a lower-case word, then an opener, as in
    # "…murder| A teenager"); a sentence that joins its two halves has none.
    ru = ["Четверо арестованы по подозрению в покушении на убийство.", RU[1]]
    en = ["Four arrested on suspicion of attempted murder after a teenager was stabbed in Somerset."]
    assert find_splits([bead([0, 1], [0], ru, en)], ru, en, GlossEncoder()) == []
    en = ["Four arrested on suspicion of attempted murder, and Teenager Jones was stabbed in Somerset."]
    assert find_splits([bead([0, 1], [0], ru, en)], ru, en, GlossEncoder()) == []
    # the full-stop rule off: no cut even at the opener
    import aligner.partner as partner
    old, partner.PUNCTUATED_PAIR = partner.PUNCTUATED_PAIR, False
    try:
        assert find_splits([bead([0, 1], [0], ru, EN)], ru, EN, GlossEncoder()) == []
    finally:
        partner.PUNCTUATED_PAIR = old


def test_unrelated_pieces_are_not_split() -> None:
    en = ["Four arrested on suspicion of attempted murder A volcano covered Mexico City with ash."]
    assert find_splits([bead([0, 1], [0], RU, en)], RU, en, GlossEncoder()) == []


def test_apply_splits_keeps_lines() -> None:
    s, lines = apply_splits(["Head words More text here.", "Next."], [0, 0], [Split("en", 0, 11)], "en")
    assert s == ["Head words", "More text here.", "Next."] and lines == [0, 0, 0]
    assert apply_splits(["x"], [3], [Split("ru", 0, 1)], "en") == (["x"], [3])


# A headline run into the first sentence on both sides (the Russian one has a cue, the English none).
HEADLINE_RU = ("Четверо арестованы по подозрению в покушении на убийство В Сомерсете подросток получил "
               "ножевые ранения. Полиция ищет свидетелей.")
HEADLINE_EN = "Four arrested on suspicion of attempted murder A teenager was stabbed in Somerset. Police are looking for witnesses."


def test_end_to_end_from_raw_text() -> None:
    ru_text, en_text = HEADLINE_RU, HEADLINE_EN
    ru, ru_lines = sentences_from_text(ru_text, "ru", False)
    en, en_lines = sentences_from_text(en_text, "en", False)
    assert len(ru) == 3 and len(en) == 2  # the Russian headline cue; English has none
    beads, ru, en, _, en_lines = align_text_sentences(ru, en, ru_lines, en_lines, ru_text, en_text,
                                                      encoder=GlossEncoder())
    assert en[:2] == ["Four arrested on suspicion of attempted murder", "A teenager was stabbed in Somerset."]
    assert [b.kind for b in beads] == ["1-1", "1-1", "1-1"] and en_lines == [0, 0, 0]


_WORD = st.sampled_from(["Tom", "went", "home,", "The", "45", "cat.", "«Да»", "и", "В", "—", "(see", "x"])


@settings(max_examples=200, deadline=None)
@given(words=st.lists(_WORD, min_size=0, max_size=14))
def test_partner_cuts_properties(words: list[str]) -> None:
    s = " ".join(words)
    for q in partner_cuts(s):
        left, right = s[:q].split(), s[q:].split()
        assert len(left) >= 2 and len(right) >= 2 and s[q - 1] == " "
        assert not left[-1].endswith((",", "(", "—"))
        assert right[0].lstrip("«\"“„‘'(")[:1].isupper() or right[0].lstrip("«\"“„‘'(")[:1].isdigit()
        pieces, _ = apply_splits([s], [0], [Split("ru", 0, q)], "ru")
        assert " ".join(pieces).split() == s.split()


def test_russian_lone_sentence_split_where_english_shows_the_headline() -> None:
    ru = ["Четверо арестованы по подозрению в покушении на убийство Полиция ищет свидетелей."]
    en = ["Four Arrested on Suspicion of Attempted Murder", "Police are looking for witnesses."]
    splits = find_splits([bead([0], [0, 1], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("ru", 0, ru[0].index("Полиция"))]


def test_headline_against_two_sentences() -> None:
    # The Russian translator made two sentences of the English first one: a 3-1 bead.
    ru = [RU[0], "В Сомерсете подросток получил ранения.", "Полиция ищет свидетелей."]
    en = ["Four arrested on suspicion of attempted murder A teenager was stabbed in Somerset and police are looking for witnesses."]
    splits = find_splits([bead([0, 1, 2], [0], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("en", 0, en[0].index("A teenager"))]


def test_headline_on_its_own_line_on_one_side_only() -> None:
    ru_text = "Четверо арестованы по подозрению в покушении на убийство\n\nПолиция ищет свидетелей. Подросток получил ножевые ранения."
    en_text = "Four arrested on suspicion of attempted murder Police are looking for witnesses. A teenager was stabbed."
    ru, ru_lines = sentences_from_text(ru_text, "ru", False)
    en, en_lines = sentences_from_text(en_text, "en", False)
    beads, ru, en, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, ru_text, en_text, encoder=GlossEncoder())
    assert en[0] == "Four arrested on suspicion of attempted murder"
    assert [b.kind for b in beads] == ["1-1", "1-1", "1-1"]


def test_no_cut_after_an_article() -> None:
    s = "Senators could change their minds The FBI inquiry delayed the vote."
    assert [s[q:].split()[0] for q in partner_cuts(s)] == ["The"]  # never "The| FBI"


@pytest.mark.parametrize("case", [
    "North Korean defectors went to| South Korea last year.",  # a preposition governs the name
    "Double the funding As| China becomes more active.",  # a conjunction opens the clause
    "They atoned for Friday's| Elite League loss at home.",  # a possessive binds its noun
])
def test_no_cut_after_a_binding_word(case: str) -> None:
    head, tail = case.split("|")
    assert len(head) not in partner_cuts(head + tail)
    plain = head.rsplit(" ", 2)[0] + " home "  # the same place after a plain word is a cut
    assert len(plain) in partner_cuts(plain + tail.lstrip())



class CountingGlossEncoder(GlossEncoder):
    """GlossEncoder that remembers every text it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        return super().embed_batch(texts)


def test_cuts_whose_pieces_cannot_match_their_partners_are_not_embedded() -> None:
    # The headline has 18 characters; a left piece ending at "Somerset" (84) or "of" (75) cannot
    # be its translation, so those cuts are never embedded; the true cut before "A" still wins.
    GLOSS.update({"поздно": "late", "пятницу": "friday", "ночью": "night", "городе": "town",
                  "нападения": "attack", "вокзале": "station"})
    ru = ["Четверо арестованы",
          "Подросток получил ножевые ранения поздно в пятницу ночью в городе Сомерсете, "
          "полиция ищет свидетелей нападения на вокзале."]
    en = ["Four arrested A teenager was stabbed late on Friday night in the town of Somerset "
          "Police looking for witnesses of the attack at the station."]
    enc = CountingGlossEncoder()
    splits = find_splits([bead([0, 1], [0], ru, en)], ru, en, enc)
    assert splits == [Split("en", 0, en[0].index("A teenager"))]
    assert "Four arrested" in enc.seen
    assert not any(t.endswith(("Somerset", "town of")) for t in enc.seen)


class TableEncoder(Encoder):
    """Vectors given per text: cosines set by hand (a text not in the table matches nothing)."""

    name, dim = "table", 3

    def __init__(self, table: dict[str, tuple[float, float, float]]) -> None:
        super().__init__()
        self.table = table

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        return np.array([self.table.get(t, (0.0, 1.0, 0.0)) for t in texts], dtype=np.float32)


def _toward(axis: int, cos: float) -> tuple[float, float, float]:
    v = [0.0, 0.0, (1 - cos * cos) ** 0.5]
    v[axis] = cos
    return tuple(v)


def test_of_the_cuts_that_pass_the_best_pair_of_pieces_wins() -> None:
    # Moving "Jeremy" into the headline costs the sentence piece much (0.90 -> 0.72) and
    # lifts the weaker headline piece a little (0.70 -> 0.76): the higher minimum would
    # cut the name in two, the higher sum keeps it whole.
    ru = ["Лейбористы отрицают план", "Партия Джереми Корбина рассмотрит план."]
    en = ["Labour denies four day week plan Jeremy Corbyn's party will consider the plan."]
    at = en[0].index("Jeremy")
    late = en[0].index("Corbyn's")
    table = {ru[0]: (1, 0, 0), ru[1]: (0, 1, 0), en[0]: (0.3, 0.3, 0.82 ** 0.5),
             en[0][:at].rstrip(): _toward(0, 0.70), en[0][at:]: _toward(1, 0.90),
             en[0][:late].rstrip(): _toward(0, 0.76), en[0][late:]: _toward(1, 0.72)}
    assert partner_cuts(en[0]) == [at, late]
    assert find_splits([bead([0, 1], [0], ru, en)], ru, en, TableEncoder(table)) == [Split("en", 0, at)]


def test_no_cut_before_a_day_or_a_month() -> None:
    s = "Analyst lays out timeline The prosecution rested its case Saturday in the retrial Tom Hanks saw."
    assert [s[q:].split()[0] for q in partner_cuts(s)] == ["The", "Tom", "Hanks"]
    s = "Voters will vote Sunday's ballot after January, and in May."
    assert partner_cuts(s) == []


# The first sentence of the document, with a headline whose translation is missing.
GLOSS.update({"школы": "schools", "шотландии": "scotland", "сохраняют": "keep", "традицию": "record",
              "отличной": "excellent", "учебы": "study", "языки": "languages", "нужны": "essential",
              "гражданам": "citizens", "мира": "global"})
OPEN_HEAD = "Languages skills essential for global citizens in a changing world"
OPEN_EN = OPEN_HEAD + " Scotland's schools keep a record of excellent study."
OPEN_RU = "Школы Шотландии сохраняют традицию отличной учебы."


def test_opening_headline_without_translation_is_cut_off() -> None:
    ru, en = [OPEN_RU], [OPEN_EN]
    splits = find_splits([bead([0], [0], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("en", 0, OPEN_EN.index("Scotland's"))]


def test_opening_check_is_skipped_where_the_whole_sentences_already_match_well() -> None:
    # a shorter headline: the whole sentences' cosine (0.72 here) is above OPENING_SKIP_SIM,
    # so no piece is embedded, though the sentence piece alone would gain about 0.14
    en = ["Languages skills essential for global citizens Scotland's schools keep a record of excellent study."]
    enc = GlossEncoder()
    whole = enc.encode([OPEN_RU, en[0]])
    assert whole[0] @ whole[1] >= OPENING_SKIP_SIM
    asked = []
    enc.encode_cuts = lambda cuts: asked.extend(cuts) or Encoder.encode_cuts(enc, cuts)
    assert find_splits([bead([0], [0], [OPEN_RU], en)], [OPEN_RU], en, enc) == []
    assert asked == []


def test_opening_headline_translated_on_both_sides_is_left_whole() -> None:
    ru = ["Языки нужны гражданам мира " + OPEN_RU]  # the headline is there too: the whole matches best
    assert find_splits([bead([0], [0], ru, [OPEN_EN])], ru, [OPEN_EN], GlossEncoder()) == []


def test_only_the_documents_first_bead_is_checked() -> None:
    ru, en = ["Полиция ищет свидетелей.", OPEN_RU], ["Police are looking for witnesses.", OPEN_EN]
    beads = [bead([0], [0], ru, en), bead([1], [1], ru, en)]
    assert find_splits(beads, ru, en, GlossEncoder()) == []


def test_opening_headline_left_unaligned_end_to_end() -> None:
    ru_text = OPEN_RU + " Полиция ищет свидетелей."
    en_text = OPEN_EN + " Police are looking for witnesses."
    ru, ru_lines = sentences_from_text(ru_text, "ru", False)
    en, en_lines = sentences_from_text(en_text, "en", False)
    beads, ru, en, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, ru_text, en_text, encoder=GlossEncoder())
    assert en[0] == OPEN_HEAD
    assert [(b.ru_ids, b.en_ids) for b in beads] == [((), (0,)), ((0,), (1,)), ((1,), (2,))]


def test_opening_sentence_too_long_for_its_partner_needs_no_gain_margin() -> None:
    # The Russian side kept only the headline; the English headline runs into a sentence of
    # twice its length and more. The headline piece matches a little better than the whole
    # (0.62 against 0.60): enough here, where the whole cannot be the headline's translation.
    ru = ["Арест по делу об убийстве Симса"]
    en = ["Arrest made in shooting death of Sims Police in Baton Rouge announced on Saturday that "
          "a suspect has been arrested in the shooting death of the basketball player on Friday."]
    at = en[0].index("Police")
    table = {ru[0]: (1, 0, 0), en[0]: _toward(0, 0.60)}
    for q in partner_cuts(en[0]):
        table[en[0][:q].rstrip()] = _toward(0, 0.62 if q == at else 0.3)
        table[en[0][q:]] = _toward(0, 0.1)
    assert find_splits([bead([0], [0], ru, en)], ru, en, TableEncoder(table)) == [Split("en", 0, at)]
    # A partner as long as the whole sentence could be its translation: 0.02 is no reason to cut.
    ru_long = [ru[0] + " в Батон-Руж: полиция в субботу объявила об аресте подозреваемого в гибели баскетболиста."]
    table[ru_long[0]] = table.pop(ru[0])
    assert find_splits([bead([0], [0], ru_long, en)], ru_long, en, TableEncoder(table)) == []


class HintedGlossEncoder(CountingGlossEncoder):
    """Records the sentences the pipeline says it may cut, and the cuts asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.expected: list[str] = []
        self.cut: list[tuple[str, int]] = []

    def expect_cuts(self, texts) -> None:
        self.expected += list(texts)

    def encode_cuts(self, cuts):
        self.cut += list(cuts)
        return super().encode_cuts(cuts)


def test_pipeline_hints_the_first_sentences_and_cuts_through_encode_cuts() -> None:
    from aligner.pipeline import EXPECT_CUTS

    ru_text, en_text = HEADLINE_RU, HEADLINE_EN
    ru, ru_lines = sentences_from_text(ru_text, "ru", False)
    en, en_lines = sentences_from_text(en_text, "en", False)
    enc = HintedGlossEncoder()
    _, _, en2, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, ru_text, en_text, encoder=enc)
    assert enc.expected == ru[:EXPECT_CUTS] + en[:EXPECT_CUTS]
    assert enc.cut and all(s in ru + en for s, _ in enc.cut)  # pieces through encode_cuts
    assert en2[:2] == ["Four arrested on suspicion of attempted murder", "A teenager was stabbed in Somerset."]


# ------------------------------------------------------------ properties of apply_splits

_TEXT_WORD = st.sampled_from(["Four", "arrested", "on", "suspicion", "A", "teenager", "was", "stabbed.", "Police",
                              "Полиция", "ищет", "свидетелей", "В", "Сомерсете", "2019", "«Да»", "the", "Friday's"])
_SENTENCE = st.lists(_TEXT_WORD, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(sentences=st.lists(_SENTENCE, max_size=6), lines=st.lists(st.integers(0, 3), min_size=6, max_size=6),
       picks=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 20)), max_size=6),
       side=st.sampled_from(["ru", "en"]))
def test_apply_splits_keeps_the_text_and_the_lines(sentences, lines, picks, side) -> None:
    lines = sorted(lines[: len(sentences)])
    splits = {}
    for i, k in picks:  # a cut found by partner_cuts, at most one a sentence (as find_splits and the others give)
        cuts = partner_cuts(sentences[i]) if i < len(sentences) else []
        if cuts:
            splits[i] = Split(side, i, cuts[k % len(cuts)])
    other = "en" if side == "ru" else "ru"
    assert apply_splits(sentences, lines, [], side) == (sentences, lines)
    assert apply_splits(sentences, lines, list(splits.values()), other) == (sentences, lines)
    new_s, new_l = apply_splits(sentences, lines, list(splits.values()), side)
    assert len(new_s) == len(new_l) == len(sentences) + len(splits)
    assert " ".join(new_s).split() == " ".join(sentences).split()
    assert all(s.strip() == s and s for s in new_s)
    k = 0
    for i, (text, line) in enumerate(zip(sentences, lines)):
        pieces = new_s[k : k + 1 + (i in splits)]
        assert " ".join(pieces).split() == text.split() and new_l[k : k + len(pieces)] == [line] * len(pieces)
        if i in splits:
            at = splits[i].at
            assert pieces == [text[:at].rstrip(), text[at:].lstrip()]
        k += len(pieces)


@settings(max_examples=200, deadline=None)
@given(ru=st.lists(_SENTENCE, min_size=1, max_size=4), en=st.lists(_SENTENCE, min_size=1, max_size=4),
       steps=st.lists(st.sampled_from([(1, 1), (2, 1), (1, 2), (3, 1), (1, 0), (0, 1)]), max_size=6))
def test_found_splits_cut_each_lone_sentence_once_at_a_partner_cut(ru, en, steps) -> None:
    beads, i, j = [], 0, 0
    for a, b in steps:
        a, b = min(a, len(ru) - i), min(b, len(en) - j)
        if a or b:
            beads.append(bead(range(i, i + a), range(j, j + b), ru, en))
            i, j = i + a, j + b
    beads += [bead([k], [], ru, en) for k in range(i, len(ru))] + [bead([], [k], ru, en) for k in range(j, len(en))]
    splits = find_splits(beads, ru, en, GlossEncoder(), min_sim=-1.0)
    for side, sentences in (("ru", ru), ("en", en)):
        mine = [s for s in splits if s.side == side]
        assert len({s.index for s in mine}) == len(mine)
        assert all(s.at in partner_cuts(sentences[s.index]) for s in mine)
        new_s, _ = apply_splits(sentences, [0] * len(sentences), splits, side)
        assert " ".join(new_s).split() == " ".join(sentences).split()


# ---- the lone side lost its full stop: the pair side's first sentence ends with one (PUNCTUATED_PAIR)

GLOSS.update({"были": "were", "мои": "my", "любимые": "favorite", "хоккеисты": "players", "меня": "my",
              "вся": "whole", "комната": "room", "была": "was", "завешана": "covered", "плакатами": "posters",
              "их": "their", "это": "they", "у": "my"})
HOCKEY_RU = ["Это были мои любимые хоккеисты.", "У меня вся комната была завешана их плакатами."]


def test_lone_sentence_without_its_full_stop_is_cut() -> None:
    en = ["They were my favorite hockey players My whole room was covered in their posters."]
    splits = find_splits([bead([0, 1], [0], HOCKEY_RU, en)], HOCKEY_RU, en, GlossEncoder())
    assert splits == [Split("en", 0, en[0].index("My whole"))]


@pytest.mark.parametrize("en", [
    # "I" stands inside sentences ("…so| I wasn't listening")
    "They were my favorite hockey players I had their posters covering my whole room.",
    # a name runs over the place: the word before is capitalised
    "They were my favorite players with Hockey My whole room was covered in their posters.",
])
def test_punctuated_pair_needs_a_strong_cut(en: str) -> None:
    assert find_splits([bead([0, 1], [0], HOCKEY_RU, [en])], HOCKEY_RU, [en], GlossEncoder()) == []


def test_punctuated_pair_russian_lone_side() -> None:
    GLOSS.update({"награду": "prize", "получила": "received", "дочь": "daughter", "жуткая": "terrifying",
                  "энциклопедия": "encyclopedia", "русской": "russian", "жизни": "life", "лучший": "best",
                  "дебют": "debut", "за": "for"})
    ru = ["Награду за лучший дебют получила дочь Жуткая энциклопедия русской жизни."]
    en = ["His daughter received the prize for the best debut.", "A terrifying encyclopedia of Russian life."]
    splits = find_splits([bead([0], [0, 1], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("ru", 0, ru[0].index("Жуткая"))]
    # not before a name ("…по творчеству| Альфреда Хичкока")
    ru2 = ["Награду за лучший дебют получила дочь Альфреда энциклопедия русской жизни."]
    assert find_splits([bead([0], [0, 1], ru2, en)], ru2, en, GlossEncoder()) == []


def test_punctuated_pair_cut_after_a_number() -> None:
    GLOSS.update({"мужчины": "men", "преобладают": "dominate", "женщины": "women", "составляют": "account",
                  "академии": "academy", "наук": "sciences", "доля": "share", "выше": "higher",
                  "женщин": "women"})
    ru = ["Мужчины преобладают, женщины составляют 26,7%.", "В академии наук доля женщин выше."]
    en = ["Men dominate, women account for 26.7% In academy sciences share women higher."]
    splits = find_splits([bead([0, 1], [0], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("en", 0, en[0].index("In academy"))]


def test_punctuated_pair_cut_after_a_stop_the_segmenter_took_for_an_initial() -> None:
    """"…Professor X.| Rosamund Pike plays": the splitter joins at "X." (an initial), the
    Russian side is split there, and the cut after the stop is taken."""
    GLOSS.update({"режиссер": "director", "позвал": "recruited", "роль": "role", "профессора": "professor",
                  "икс": "x", "розамунд": "rosamund", "пайк": "pike", "сыграет": "plays", "мутанта": "mutant",
                  "эмму": "emma", "фрост": "frost"})
    ru = ["Режиссер позвал его на роль профессора Икс.", "Розамунд Пайк сыграет мутанта Эмму Фрост."]
    en = ["The director recruited him for the role of Professor X. Rosamund Pike plays the mutant Emma Frost."]
    splits = find_splits([bead([0, 1], [0], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("en", 0, en[0].index("Rosamund"))]


@pytest.mark.parametrize("word", ["Mrs.", "i.e.", "U.S."])
def test_no_stop_cut_after_an_abbreviation(word: str) -> None:
    from aligner.partner import _stop_cut

    text = f"It was said by {word} Otis in the hall."
    assert not _stop_cut(text, text.index("Otis"))
    assert _stop_cut("It was said by X. Otis in the hall.", len("It was said by X. "))


def test_punctuated_pair_cut_after_a_closing_quote() -> None:
    """"…на территории «Брайтона»| Он отдал": a closed quote ends a title, so a capitalised word
    before the cut is no name running over it."""
    GLOSS.update({"агуэро": "aguero", "получил": "received", "мяч": "ball", "территории": "territory",
                  "брайтона": "brighton", "он": "he", "отдал": "sent", "передачу": "pass", "флангу": "flank",
                  "левому": "left", "сане": "sane"})
    ru = ["Агуэро получил мяч на территории «Брайтона» Он отдал передачу по левому флангу на Сане."]
    en = ["Aguero received the ball in Brighton territory.", "He sent a pass along the left flank to Sane."]
    splits = find_splits([bead([0], [0, 1], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("ru", 0, ru[0].index("Он отдал"))]
    # without the quotes the capitalised word may be a name running over the cut
    ru2 = [ru[0].replace("«Брайтона»", "Брайтона")]
    assert find_splits([bead([0], [0, 1], ru2, en)], ru2, en, GlossEncoder()) == []


def test_punctuated_pair_cut_before_the_name_the_other_side_opens_with(monkeypatch) -> None:
    """"…на открытое пространство| Агуэро оказался…" against "…into the open field.| Aguero then
    found…": a name, the same in both scripts, where the other side's next sentence starts."""
    for ru_word, concept in {"он": "he", "промчался": "raced", "между": "between", "защитниками": "defenders",
                             "вырвался": "slashing", "на": "into", "открытое": "open", "пространство": "field",
                             "оказался": "found", "окружении": "surrounded", "четырех": "four",
                             "соперников": "shirts", "выражаю": "thank", "благодарность": "thank",
                             "котляровой": "kotlyarova"}.items():
        monkeypatch.setitem(GLOSS, ru_word, concept)
    ru = ["Он промчался между защитниками и вырвался на открытое пространство Агуэро оказался в окружении четырех соперников."]
    en = ["He raced between defenders, before slashing into the open field.",
          "Aguero then found himself surrounded by four green shirts."]
    splits = find_splits([bead([0], [0, 1], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("ru", 0, ru[0].index("Агуэро"))]
    # another name than the one the next sentence opens with is no cut (a name runs on there)
    en2 = [en[0], "Sergio then found himself surrounded by four green shirts."]
    assert find_splits([bead([0], [0, 1], ru, en2)], ru, en2, GlossEncoder()) == []
    monkeypatch.setattr(partner, "NAME_CUTS", False)
    assert find_splits([bead([0], [0, 1], ru, en)], ru, en, GlossEncoder()) == []


def test_name_cut_needs_a_place_where_a_sentence_may_start() -> None:
    from aligner.partner import _name_cut

    s = "Но особую благодарность выражаю Котляровой за заботу."  # a name in the dative after its verb
    assert not _name_cut(s, s.index("Котляровой"), "Kotlyarova, the head of the ward, helped us.", True)
    s = "— Ну, когда же? — скажет Иван Ильич с досадою."  # a verb binds the name after it
    assert not _name_cut(s, s.index("Иван"), "Ivan Ilyich would ask with vexation.", True)
    s = "He raced into the open field Aguero then found himself alone."
    assert _name_cut(s, s.index("Aguero"), "Агуэро оказался в окружении.", False)
    assert not _name_cut(s, s.index("Aguero"), "Затем Агуэро оказался в окружении.", False)  # not its first word
    s = "He raced into the Open Field Aguero then found himself alone."  # a capital before: a name runs on
    assert not _name_cut(s, s.index("Aguero"), "Агуэро оказался в окружении.", False)


def test_punctuated_pair_cut_after_a_quoted_word_before_a_name(monkeypatch) -> None:
    """'…referred to as an "archipelago"| Taiwan began…': a word in quotes of its own closed the
    sentence, so in English any capital may follow; in Russian a name in an oblique case goes with
    the title ("…в фильме «Жить»| Юрия Быкова")."""
    for ru_word, concept in {"японию": "japan", "часто": "often", "называют": "referred", "архипелагом": "archipelago",
                             "тайвань": "taiwan", "берет": "beginning", "начало": "beginning", "в": "in",
                             "веке": "century"}.items():
        monkeypatch.setitem(GLOSS, ru_word, concept)
    ru = ["Японию часто называют архипелагом.", "Тайвань берет начало в XV веке."]
    en = ['Japan is often referred to as an "archipelago" Taiwan beginning in 15th century.']
    splits = find_splits([bead([0, 1], [0], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("en", 0, en[0].index("Taiwan"))]
    # not after a quoted word that is no word of its own ('"an archipelago" Taiwan'): a name may run on
    en2 = ['Japan is often referred to as "an archipelago" Taiwan beginning in 15th century.']
    assert find_splits([bead([0, 1], [0], ru, en2)], ru, en2, GlossEncoder()) == []


def test_russian_cut_after_a_quoted_word() -> None:
    from aligner.partner import _ru_after_quote, _strong_cut
    from aligner.headline_split import ru_common_start

    s = "беглый бандит из картины Юрия Быкова «Жить» Тех же ментов обводил вокруг пальца"
    assert _strong_cut(s, s.index("Тех"), ru_common_start, _ru_after_quote)
    s = "беглый бандит бежал в фильме «Жить» Юрия Быкова по лесу весь фильм"
    assert not _strong_cut(s, s.index("Юрия"), ru_common_start, _ru_after_quote)


@pytest.mark.parametrize("text,word", [
    ("Соревнования пройдут в манеже ЦСКА, г. Москва, Ленинградский проспект", "Москва"),
    ("Адрес редакции: г. Москва, ул. Малая Почтовая, д. 12", "Малая"),
    ("The ghost was seen by Mrs. Otis in the hall", "Otis"),
])
def test_no_partner_cut_after_a_title_abbreviation(text: str, word: str) -> None:
    """An abbreviation that stands before a name ("г.", "ул.", "Mrs.") ends no sentence."""
    assert text.index(word) not in partner_cuts(text)
    year = "Он вернулся в 1999 г. Москва встретила его дождём"  # "г." after a year is "год": it may end one
    assert year.index("Москва") in partner_cuts(year)
