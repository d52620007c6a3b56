"""Joint headline splits: a headline run into the first sentence on both sides is cut on both."""

from __future__ import annotations

import pytest

from aligner.headline_split import (en_opener, find_joint_splits, find_opening_split, ru_cut_level, ru_cut_ok,
                                    source_tail)
from aligner.partner import Split
from aligner.pipeline import align_text_sentences, sentences_from_text
from tests.test_partner import GLOSS, GlossEncoder, bead

GLOSS.update({"мужчина": "man", "обвинен": "charged", "ресторане": "restaurant", "белфаст": "belfast",
              "нападение": "stabbing", "задержан": "held", "вчера": "yesterday"})

RU = "Четверо арестованы по подозрению в покушении на убийство Подросток получил ножевые ранения в Сомерсете."
EN = "Four arrested on suspicion of attempted murder A teenager was stabbed in Somerset."


@pytest.mark.parametrize(
    ("sentence", "word", "ok"),
    [
        (RU, "Подросток", True),  # a common noun after a noun: a new sentence
        ("Нападение в ресторане Белфаст 45-летний мужчина обвинен в нападении.", "45-летний", True),
        ("Об этом вчера сообщил Президент России в Москве.", "Президент", False),  # after a verb
        ("Вчера он долго гулял в Москве с друзьями.", "Москве", False),  # after a preposition
        ("Суд оправдал сторонников Трампа вчера вечером в суде.", "Трампа", False),  # a name, not nominative
        ("Матч начался в 2017 году на новом стадионе.", "2017", False),  # a bare number
        ("Об этом рассказал он The Telegraph вчера вечером.", "The", False),  # a title inside the sentence
        ("Вся злоба демократов» «Голос за судью — это голос против.", "«Голос", True),  # a quote closes the headline
        ("Число беглецов сократилось при Ким С тех пор, как Ким пришел к власти.", "С тех", True),  # a clause word
        ("Альманах: Изобретатель счетчика Гейгера И теперь страница альманаха.", "И теперь", True),
        ("Пьесы «Дядя Ваня» и «Три сестры» шли в театре весь год.", "Ваня", False),  # inside quotes
        ("Его построили в 1887 г. по проекту инженера А. П. Воронцова.", "А. П.", False),  # an initial
        ("Трамп: «На Кавано „обрушилась вся злоба“ демократов» «Голос за судью — это голос против.", "«Голос", True),
        ("Он сказал: „Мы пойдем в Москве“ и ушел.", "Москве", False),  # inside „…“
        ("ОНИ ОБЯЗАНЫ ПРЕДОСТАВИТЬ В СЕКРЕТАРИАТ СПРАВКУ.", "В СЕКРЕТАРИАТ", False),  # a line in capitals
    ],
)
def test_ru_cut_ok(sentence: str, word: str, ok: bool) -> None:
    assert ru_cut_ok(sentence, sentence.index(word)) is ok


def test_openers() -> None:
    assert en_opener(EN, EN.index("A teenager")) and not en_opener(EN, EN.index("Somerset"))
    s = "Kanye West booed It's the end of a tour."
    assert en_opener(s, s.index("It's"))
    s = "It was built in 1887 to a design by the engineer A. P. Vorontsov."
    assert not en_opener(s, s.index("A. P."))


def test_adverbs_and_quantifiers_open_sentences() -> None:
    s = "Medals go to the winners of the 200m and 5000m Any athlete who did not start is not admitted."
    assert en_opener(s, s.index("Any"))
    s = "The film adaptation of All Quiet on the Western Front Might I take your picture?"
    assert en_opener(s, s.index("Might")) and not en_opener(s, s.index("Western"))


def test_run_in_sentence_mid_document_cut_before_a_quantifier(monkeypatch) -> None:
    # Not the document's first bead, so the English cut needs an opener: "Any".
    for ru_word, concept in {"медали": "medals", "получают": "go", "победители": "winners", "забегов": "races",
                             "и": "and", "м": "m", "любой": "any", "спортсмен": "athlete", "который": "who",
                             "не": "not", "стартовал": "start", "допускается": "admitted"}.items():
        monkeypatch.setitem(GLOSS, ru_word, concept)
    ru = ["Полиция ищет свидетелей.",
          "Медали получают победители забегов 200 м и 5000 м Любой спортсмен, который не стартовал, не допускается."]
    en = ["Police are looking for witnesses.",
          "Medals go to the winners of the 200 m and 5000 m races Any athlete who did not start is not admitted."]
    beads = [bead([0], [0], ru, en), bead([1], [1], ru, en)]
    assert find_joint_splits(beads, ru, en, GlossEncoder()) == [
        Split("ru", 1, ru[1].index("Любой")), Split("en", 1, en[1].index("Any"))]


def test_headline_cut_on_both_sides() -> None:
    splits = find_joint_splits([bead([0], [0], [RU], [EN])], [RU], [EN], GlossEncoder())
    assert splits == [Split("ru", 0, RU.index("Подросток")), Split("en", 0, EN.index("A teenager"))]


def test_sentence_without_a_headline_is_left_whole() -> None:
    # The only cuts are before names inside the sentence: no opener on either side.
    ru = ["Четверо арестованы по подозрению в покушении на убийство в Сомерсете и Белфаст."]
    en = ["Four arrested on suspicion of attempted murder in Somerset and Belfast."]
    assert find_joint_splits([bead([0], [0], ru, en)], ru, en, GlossEncoder()) == []


def test_pieces_that_do_not_match_are_not_cut() -> None:
    en = ["Four arrested on suspicion of attempted murder A volcano covered Mexico City with ash."]
    assert find_joint_splits([bead([0], [0], [RU], en)], [RU], en, GlossEncoder()) == []


def test_only_one_to_one_beads() -> None:
    ru = [RU, "Полиция ищет свидетелей."]
    assert find_joint_splits([bead([0, 1], [0], ru, [EN])], ru, [EN], GlossEncoder()) == []


def test_end_to_end_from_raw_text() -> None:
    # A subheading after a first paragraph (at a document's start the Russian splitter sees it).
    ru_text = "Полиция ищет свидетелей. " + RU
    en_text = "Police are looking for witnesses. " + EN
    ru, ru_lines = sentences_from_text(ru_text, "ru", False)
    en, en_lines = sentences_from_text(en_text, "en", False)
    assert len(ru) == 2 and len(en) == 2  # neither splitter sees the headline
    beads, ru, en, ru_lines, _ = align_text_sentences(ru, en, ru_lines, en_lines, ru_text, en_text,
                                                      encoder=GlossEncoder())
    assert ru[1] == "Четверо арестованы по подозрению в покушении на убийство"
    assert en[1] == "Four arrested on suspicion of attempted murder"
    assert [b.kind for b in beads] == ["1-1", "1-1", "1-1"] and ru_lines == [0, 0, 0]


def test_sentences_already_cut_are_left_alone() -> None:
    taken = [Split("en", 0, EN.index("A teenager"))]
    assert find_joint_splits([bead([0], [0], [RU], [EN])], [RU], [EN], GlossEncoder(), taken=taken) == []


GLOSS.update({"китай": "china", "объявил": "announced", "рост": "surge", "случаев": "cases", "сообщает": "reports",
              "новых": "new", "числа": "number", "граждан": "citizens", "больных": "ill", "росте": "surge",
              "вич": "hiv", "о": "in"})
HEAD_RU = "ВИЧ: Китай сообщает о росте новых случаев Китай объявил о росте числа больных граждан."
HEAD_EN = "HIV: China reports surge in new cases China announced surge in number of ill citizens."


def test_opening_bead_takes_a_name_after_the_headline() -> None:
    # No English opener ("China"): only the document's first bead is cut.
    want = [Split("ru", 0, HEAD_RU.index("Китай объявил")), Split("en", 0, HEAD_EN.index("China announced"))]
    assert find_joint_splits([bead([0], [0], [HEAD_RU], [HEAD_EN])], [HEAD_RU], [HEAD_EN], GlossEncoder()) == want
    ru, en = ["Первое.", HEAD_RU], ["First.", HEAD_EN]
    assert find_joint_splits([bead([0], [0], ru, en), bead([1], [1], ru, en)], ru, en, GlossEncoder()) == []


def test_opening_split_with_a_loose_headline_translation() -> None:
    # "Four arrested after knife attack" is a loose translation of the Russian headline: below
    # partner.py's threshold, but the first bead's lone sentence is cut at the opener "A".
    ru = ["Четверо арестованы по подозрению в покушении на убийство", "Подросток получил ножевые ранения в Сомерсете."]
    en = ["Four arrested after knife attack A teenager was stabbed in Somerset."]
    splits = find_opening_split([bead([0, 1], [0], ru, en)], ru, en, GlossEncoder())
    assert splits == [Split("en", 0, en[0].index("A teenager"))]
    # a headline with a full stop on the pair side too ("Megan Fox has been fired from Transformers 3.")
    ru3 = [ru[0] + ".", ru[1]]
    assert find_opening_split([bead([0, 1], [0], ru3, en)], ru3, en, GlossEncoder()) == splits
    # not when the lone sentence is already cut or the bead is not the document's first
    assert find_opening_split([bead([0, 1], [0], ru, en)], ru, en, GlossEncoder(), taken=splits) == []
    ru2, en2 = ["Первое."] + ru, ["First."] + en
    assert find_opening_split([bead([1, 2], [1], ru2, en2)], ru2, en2, GlossEncoder()) == []


def test_second_round_after_a_cut_inside_the_headline() -> None:
    # The first pieces ("Четверо", "Four") are linked; the rest of the English first
    # sentence still holds the headline's end and the sentence: the bead at (1, 1) is cut.
    ru = ["Четверо", "арестованы по подозрению в покушении на убийство", "Подросток получил ножевые ранения в Сомерсете."]
    en = ["Four", "arrested on suspicion of murder A teenager was stabbed in Somerset."]
    beads = [bead([0], [0], ru, en), bead([1, 2], [1], ru, en)]
    assert find_opening_split(beads, ru, en, GlossEncoder()) == []  # the first bead is 1-1
    assert find_opening_split(beads, ru, en, GlossEncoder(), opening=(1, 1)) == [Split("en", 1, en[1].index("A teenager"))]


def test_no_opening_relaxation_when_asked() -> None:
    assert find_joint_splits([bead([0], [0], [HEAD_RU], [HEAD_EN])], [HEAD_RU], [HEAD_EN], GlossEncoder(), opening=None) == []


def test_weak_russian_cut_needs_an_english_opener() -> None:
    s = "Изучайте историю Следующим шагом может стать доклад специального советника."
    assert ru_cut_level(s, s.index("Следующим")) == 1 and not ru_cut_ok(s, s.index("Следующим"))
    assert ru_cut_level(RU, RU.index("Подросток")) == 2
    GLOSS.update({"изучайте": "study", "историю": "history", "следующим": "next", "шагом": "step",
                  "может": "could", "стать": "be", "доклад": "report", "специального": "special",
                  "советника": "counsel"})
    ru = [s]
    for en_text, cut in (("Study history The next step could be the special counsel report.", True),
                         ("Study history Next step could be the special counsel report.", False)):
        en = [en_text]
        got = find_joint_splits([bead([0], [0], ru, en)], ru, en, GlossEncoder(), opening=None)
        assert bool(got) is cut


def test_opening_split_before_a_name() -> None:
    # The document's own first bead: the English sentence after the headline opens with a name.
    ru = ["Четверо арестованы по подозрению в покушении на убийство", "Сомерсете подросток получил ножевые ранения."]
    en = ["Four arrested on suspicion of attempted murder Somerset teenager was stabbed."]
    want = [Split("en", 0, en[0].index("Somerset"))]
    assert find_opening_split([bead([0, 1], [0], ru, en)], ru, en, GlossEncoder()) == want
    # not at the bead after a cut opening (1, 1): there only a sentence opener will do
    ru2, en2 = ["Первое"] + ru, ["First"] + en
    assert find_opening_split([bead([0], [0], ru2, en2), bead([1, 2], [1], ru2, en2)], ru2, en2, GlossEncoder(),
                              opening=(1, 1)) == []


GLOSS.update({"литва": "lithuania", "отправила": "sent", "украину": "ukraine", "зенитные": "antiaircraft",
              "зенитных": "antiaircraft", "орудия": "guns", "орудий": "guns", "десятки": "dozens",
              "русском": "russian"})
TAIL_RU = "Литва отправила на Украину зенитные орудия - РТ на русском Литва отправила на Украину десятки зенитных орудий."
TAIL_EN = "Lithuania sent Ukraine antiaircraft guns - RT in Russian Lithuania sent Ukraine dozens of antiaircraft guns."


def test_source_tail() -> None:
    assert source_tail(TAIL_RU, TAIL_RU.index("Литва отправила на Украину десятки"))
    assert source_tail(TAIL_EN, TAIL_EN.index("Lithuania sent Ukraine dozens"))
    s = "в Киевской области произошли взрывы - РТ на русском «Сообщают о взрывах», - говорится в сообщении."
    assert source_tail(s, s.index("«Сообщают"))
    s = "ТАСС - КАЗИНФОРМ - Роскосмос сообщил о разгерметизации «Прогресса МС-21» на станции."
    assert not source_tail(s, s.index("«Прогресса"))  # a clause after the dash, not a source
    s = "Джонни Инглиш наносит удар снова — слабая пародия на шпиона Роуэн Аткинсон снова в роли."
    assert not source_tail(s, s.index("Роуэн"))  # the tail starts with a lower-case word
    assert not source_tail(TAIL_RU, TAIL_RU.index("Украину"))  # no dash before
    # an adjective that agrees with the capitalised word after it: one name runs on, no source ends
    s = ("22 июня 1941 года началась самая разрушительная из всех войн на нашей планете - Великая "
         "Отечественная война: фашистская Германия напала на Советский Союз.")
    assert not source_tail(s, s.index("Отечественная"))
    assert not source_tail(s, s.index("Германия"))  # "- Великая Отечественная война: фашистская| Германия"


def test_opening_bead_cut_after_the_source_tail() -> None:
    # "русском| Литва": the word before binds (an adjective), but it ends the headline's source.
    assert ru_cut_level(TAIL_RU, TAIL_RU.index("Литва отправила на Украину десятки")) == 0
    want = [Split("ru", 0, TAIL_RU.index("Литва отправила на Украину десятки")),
            Split("en", 0, TAIL_EN.index("Lithuania sent Ukraine dozens"))]
    ru, en = [TAIL_RU], [TAIL_EN]
    assert find_joint_splits([bead([0], [0], ru, en)], ru, en, GlossEncoder()) == want
    # only in the document's first bead
    ru, en = ["Первое.", TAIL_RU], ["First.", TAIL_EN]
    assert find_joint_splits([bead([0], [0], ru, en), bead([1], [1], ru, en)], ru, en, GlossEncoder()) == []


# ------------------------------------------------------------ properties of the cuts

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aligner.partner import apply_splits, partner_cuts  # noqa: E402

_RU_WORD = st.sampled_from(["Четверо", "арестованы", "по", "подозрению", "В", "Сомерсете", "подросток", "получил",
                            "ранения.", "Полиция", "ищет", "свидетелей", "Москва", "Трампа", "«Да»", "-", "ТАСС"])
_EN_WORD = st.sampled_from(["Four", "arrested", "on", "suspicion", "A", "teenager", "was", "stabbed.", "The",
                            "police", "It's", "Somerset", "Trump", "in", "There", "-", "RT"])


def _side(word, opener):
    """Sentences of random words, most with a word that may open a sentence in the middle."""
    sentence = st.tuples(st.lists(word, min_size=1, max_size=7), st.lists(opener, max_size=1),
                         st.lists(word, min_size=1, max_size=8))
    return st.lists(sentence.map(lambda t: " ".join(t[0] + t[1] + t[2])), min_size=1, max_size=4)


@settings(max_examples=100, deadline=None)
@given(ru=_side(_RU_WORD, st.sampled_from(["Полиция", "В", "Подросток"])),
       en=_side(_EN_WORD, st.sampled_from(["The", "A", "It's", "Police"])), taken_ru=st.booleans(), min_sim=st.sampled_from([-1.0, 0.0]))
def test_joint_and_opening_cuts_keep_the_text(ru, en, taken_ru, min_sim) -> None:
    k = min(len(ru), len(en))
    beads = [bead([i], [i], ru, en) for i in range(k)]
    taken = [Split("ru", k - 1, 1)] if taken_ru else []
    splits = find_joint_splits(beads, ru, en, GlossEncoder(), min_sim=min_sim, taken=taken)
    assert len(splits) % 2 == 0
    for a, b in zip(splits[::2], splits[1::2]):  # one cut a side, in the same 1-1 bead
        assert (a.side, b.side) == ("ru", "en") and a.index == b.index
        assert not (taken_ru and a.index == k - 1)
    opening = [bead(range(len(ru)), [0], ru, en)] if len(en) == 1 else [bead([0], range(len(en)), ru, en)]
    splits += find_opening_split(opening, ru, en, GlossEncoder(), min_sim=min_sim, taken=splits)
    for side, sentences in (("ru", ru), ("en", en)):
        mine = [s for s in splits if s.side == side]
        assert len({s.index for s in mine}) == len(mine)
        assert all(s.at in partner_cuts(sentences[s.index]) for s in mine)
        new_s, new_l = apply_splits(sentences, list(range(len(sentences))), splits, side)
        assert " ".join(new_s).split() == " ".join(sentences).split() and all(new_s)
        assert len(new_s) == len(new_l) == len(sentences) + len(mine) and new_l == sorted(new_l)


# ---- the standfirst after the headline lines (opening_zone)

from aligner.headline_split import en_common_start, opening_zone, ru_common_start  # noqa: E402
from aligner.model import Bead  # noqa: E402

GLOSS.update({"фитнес": "fitness", "эксперт": "expert", "прогулки": "walks", "зимой": "winter",
              "помогают": "help", "похудеть": "slim", "без": "without", "нагрузок": "workouts",
              "энтони": "anthony", "енг": "ang", "рассказал": "spoke", "тренировке": "training",
              "улице": "outdoors", "тренировках": "training"})
SF_RU = ["Фитнес-эксперт рассказал о тренировках зимой",
         "Прогулки зимой помогают похудеть без нагрузок Фитнес-эксперт Энтони Енг рассказал о тренировке на улице."]
SF_EN = ["A fitness expert spoke about winter training",
         "Winter walks help to slim without workouts Fitness expert Anthony Ang spoke of training outdoors."]


def test_opening_zone() -> None:
    beads = [bead([0], [0], SF_RU, SF_EN), bead([1], [1], SF_RU, SF_EN)]
    assert opening_zone(beads, SF_RU, SF_EN) == {(0, 0), (1, 1)}
    ru, en = [SF_RU[0] + ".", SF_RU[1]], [SF_EN[0] + ".", SF_EN[1]]
    assert opening_zone(beads, ru, en) == {(0, 0)}  # the first line is a sentence: the text has begun
    three = ["Рубрика", "Заголовок", "Подзаголовок", "Текст."]
    beads3 = [bead([k], [k], three, three) for k in range(4)]
    assert opening_zone(beads3, three, three) == {(0, 0), (1, 1), (2, 2)}  # at most OPENING_ZONE_BEADS
    lone = [Bead((0,), (), "Рубрика", "", 0.0), bead([1], [0], SF_RU, SF_EN)]
    assert opening_zone(lone, SF_RU, SF_EN) == set()  # a line on one side only: no shared heading
    moved = [beads3[0], Bead((1,), (3,), "Заголовок", "Текст.", 0.9, {"crossing": 1.0})] + beads3[2:]
    assert opening_zone(moved, three, three) == {(0, 0)}  # a crossing pair's en sentence is not the opening's


def test_en_common_start() -> None:
    s = SF_EN[1]
    assert en_common_start(s, s.index("Fitness expert"))
    s = "Rogue cells are seen and killed Vaccine teaches the immune system to recognise them."
    assert en_common_start(s, s.index("Vaccine"))
    s = "The favourite in the upcoming elections will be Florida governor Ron DeSantis according to the agency."
    assert not en_common_start(s, s.index("Ron"))  # a name: two capitals
    s = "It was built in 1887 to a design by the engineer A. P. Vorontsov."
    assert not en_common_start(s, s.index("A. P."))


def test_ru_common_start() -> None:
    s = SF_RU[1]
    assert ru_common_start(s, s.index("Фитнес-эксперт"))
    s = "Это первая часть подробного гида по творчеству Альфреда Хичкока и его фильмов."
    assert not ru_common_start(s, s.index("Альфреда"))  # a name
    s = "Об этом вчера сообщил Президент России в Москве."
    assert not ru_common_start(s, s.index("Президент"))  # after a verb (ru_cut_ok)


def test_standfirst_after_the_headline_line_is_cut() -> None:
    # The headline stands on its own line; the standfirst runs into the first sentence on both
    # sides and the English one opens with a common word, not an opener.
    beads = [bead([0], [0], SF_RU, SF_EN), bead([1], [1], SF_RU, SF_EN)]
    want = [Split("ru", 1, SF_RU[1].index("Фитнес-эксперт")), Split("en", 1, SF_EN[1].index("Fitness"))]
    assert find_joint_splits(beads, SF_RU, SF_EN, GlossEncoder()) == want
    # also when the headline was cut off in a first round (the bead is no new piece)
    assert find_joint_splits(beads, SF_RU, SF_EN, GlossEncoder(), opening=None, within=({0}, {0})) == want
    # not once the text has begun: the first line ends with a full stop
    ru, en = [SF_RU[0] + ".", SF_RU[1]], [SF_EN[0] + ".", SF_EN[1]]
    assert find_joint_splits([bead([0], [0], ru, en), bead([1], [1], ru, en)], ru, en, GlossEncoder()) == []


def test_standfirst_is_not_cut_inside_a_name() -> None:
    # "…Ford| Kieran looks set": the word before the English cut is a name's
    GLOSS.update({"звезда": "star", "форд": "ford", "киран": "kieran", "ресторанном": "restaurant",
                  "бизнесе": "industry", "собирается": "set", "открыть": "open", "карьеру": "career",
                  "новую": "new", "начинает": "begins", "ресторан": "restaurant"})
    ru = ["Звезда начинает новую карьеру",
          "Звезда начинает карьеру в ресторанном бизнесе Звезда Форд Киран собирается открыть ресторан."]
    en = ["Star begins a new career",
          "Star begins career in restaurant industry Star Ford Kieran looks set to open a restaurant."]
    beads = [bead([0], [0], ru, en), bead([1], [1], ru, en)]
    for s in find_joint_splits(beads, ru, en, GlossEncoder()):
        text = (ru if s.side == "ru" else en)[s.index]
        assert not text[s.at:].startswith(("Kieran", "Киран", "Ford", "Форд"))


def test_verb_headline_end() -> None:
    from aligner.headline_split import verb_headline_end

    s = "США наказали Эль-Сальвадор за поддержку Китая, но затем отступили Дипломаты отметили, что Панама признала Пекин."
    assert verb_headline_end(s, s.index("Дипломаты"))
    s = "Деньги хлынули в выборы, которые ведет Белый дом и его союзники."
    assert not verb_headline_end(s, s.index("Белый"))  # an adjective: "Белый дом"
    s = "Об этом вчера сообщил Путин на встрече с журналистами."
    assert not verb_headline_end(s, s.index("Путин"))  # a name


def test_opening_bead_cut_after_a_verb() -> None:
    GLOSS.update({"сша": "us", "наказали": "penalized", "сальвадор": "salvador", "поддержку": "support",
                  "китая": "china", "отступили": "backed", "дипломаты": "diplomats", "отметили": "noted",
                  "панама": "panama", "признала": "recognized", "пекин": "beijing", "затем": "then", "но": "but"})
    ru = ["США наказали Сальвадор за поддержку Китая но затем отступили Дипломаты отметили что Панама признала Пекин."]
    en = ["US Penalized Salvador Over Support for China Then Backed Off Diplomats noted that Panama recognized Beijing."]
    want = [Split("ru", 0, ru[0].index("Дипломаты")), Split("en", 0, en[0].index("Diplomats"))]
    assert find_joint_splits([bead([0], [0], ru, en)], ru, en, GlossEncoder()) == want
    # not after the document's first bead
    ru2, en2 = ["Первое."] + ru, ["First."] + en
    assert find_joint_splits([bead([0], [0], ru2, en2), bead([1], [1], ru2, en2)], ru2, en2, GlossEncoder()) == []


def test_quote_opening() -> None:
    from aligner.headline_split import quote_opening

    s = "Будущее Кавано висит на волоске: ФБР начинает расследование «Я подумал, что мы могли бы помочь», сказал Флейк."
    assert quote_opening(s, s.index("«Я"))
    s = "Он является автором мемуаров «В погоне за Хиллари» и многих статей."
    assert not quote_opening(s, s.index("«В"))  # a title: a preposition, no pronoun
    s = "Он сказал о «Я подумал» что-то."
    assert not quote_opening(s, s.index("«Я"))  # after a preposition


def test_opening_bead_cut_before_a_quote() -> None:
    GLOSS.update({"будущее": "future", "кавано": "kavanaugh", "висит": "hangs", "волоске": "balance",
                  "фбр": "fbi", "начинает": "begins", "расследование": "investigation", "я": "i",
                  "подумал": "thought", "мы": "we", "могли": "could", "бы": "would", "помочь": "help",
                  "сказал": "said", "флейк": "flake"})
    ru = ["Будущее Кавано висит на волоске ФБР начинает расследование «Я подумал, что мы могли бы помочь», сказал Флейк."]
    en = ['Kavanaugh future hangs in the balance as FBI begins investigation "I thought we could help," said Flake.']
    want = [Split("ru", 0, ru[0].index("«Я")), Split("en", 0, en[0].index('"I'))]
    assert find_joint_splits([bead([0], [0], ru, en)], ru, en, GlossEncoder()) == want


def test_quote_after_a_subhead_mid_document() -> None:
    from aligner.headline_split import en_quote_opening, quote_opening

    GLOSS.update({"арестован": "arrested", "обвинен": "charged", "насилии": "violence", "понедельник": "monday",
                  "вечером": "night", "мой": "my", "сын": "son", "переживает": "going", "то": "through",
                  "же": "same", "семьи": "families", "другие": "other", "он": "he", "был": "was"})
    ru = ["Первое предложение.",
          "Он был арестован и обвинен в насилии в понедельник вечером «Мой сын переживает то же, что другие семьи»."]
    en = ["First sentence.",
          'He was arrested and charged in violence on Monday night "What my son is going through other families go through."']
    assert quote_opening(ru[1], ru[1].index("«Мой")) and en_quote_opening(en[1], en[1].index('"What'))
    beads = [bead([0], [0], ru, en), bead([1], [1], ru, en)]
    want = [Split("ru", 1, ru[1].index("«Мой")), Split("en", 1, en[1].index('"What'))]
    assert find_joint_splits(beads, ru, en, GlossEncoder()) == want
    # after a verb of saying the quote belongs to the sentence (the Russian verb binds it)
    s = "Вчера он долго и громко сказал «Мы победим в этой борьбе» и ушел."
    assert not quote_opening(s, s.index("«Мы"))
    s = "Он является автором мемуаров «В погоне за Хиллари» и многих статей."
    assert not quote_opening(s, s.index("«В"))  # a title: a preposition, no pronoun


def test_strong_cuts_at_a_lower_cosine() -> None:
    import aligner.headline_split as hs

    # An English opener after a lower-case word and a Russian common word: taken at STRONG_SIM.
    GLOSS.update({"глава": "head", "проверил": "checked", "содержание": "maintenance", "домов": "blocks",
                  "совершил": "completed", "объезд": "excursion", "территорий": "territories", "района": "district",
                  "серпухова": "serpukhov", "рабочий": "working"})
    ru = ["Глава Серпухова проверил содержание МКД Глава района совершил рабочий объезд территорий."]
    en = ["Serpukhov head checked maintenance of apartment blocks The district head completed a working excursion of territories."]
    beads = [bead([0], [0], ru, en)]
    want = [Split("ru", 0, ru[0].index("Глава района")), Split("en", 0, en[0].index("The district"))]
    # the joint threshold (min_sim) out of reach: only the strong pair's own threshold lets it through
    assert find_joint_splits(beads, ru, en, GlossEncoder(), min_sim=0.99) == want
    old = hs.STRONG_SIM
    try:
        hs.STRONG_SIM = 0.99
        assert find_joint_splits(beads, ru, en, GlossEncoder(), min_sim=0.99) == []
    finally:
        hs.STRONG_SIM = old
    # after the document's first bead too (a subhead or standfirst runs into a sentence)
    ru2, en2 = ["Первое."] + ru, ["First."] + en
    assert find_joint_splits([bead([0], [0], ru2, en2), bead([1], [1], ru2, en2)], ru2, en2, GlossEncoder(),
                             min_sim=0.99) == [Split("ru", 1, want[0].at), Split("en", 1, want[1].at)]
    # but there, not after a capital: a name may run on over the cut ("…Prime Minister| The…")
    en3 = ["First.", en[0].replace("apartment blocks The", "apartment Blocks The")]
    assert find_joint_splits([bead([0], [0], ru2, en3), bead([1], [1], ru2, en3)], ru2, en3, GlossEncoder(),
                             min_sim=0.99) == []


GLOSS.update({"пекине": "beijing", "капитан": "captain"})


def test_opening_once_more_after_a_kicker() -> None:
    # A kicker ("Europe captain", "Game of Thrones star") was cut off the first sentence, so the
    # headline still runs into the sentence at (1, 1): looked at as the opening again, where no
    # name may run over the cut (a lower-case word before it on both sides).
    ru = ["ВИЧ:", "Китай сообщает о росте новых случаев Китай объявил о росте числа больных граждан."]
    en = ["HIV:", "China reports surge in new cases China announced surge in number of ill citizens."]
    beads = [bead([0], [0], ru, en), bead([1], [1], ru, en)]
    want = [Split("ru", 1, ru[1].index("Китай объявил")), Split("en", 1, en[1].index("China announced"))]
    assert find_joint_splits(beads, ru, en, GlossEncoder(), opening=(1, 1)) == want
    assert find_joint_splits(beads, ru, en, GlossEncoder(), opening=None) == []  # a name after the cut
    # a capitalised word before the cut: a name may run over it ("Леброн| Джеймс")
    ru2 = [ru[0], "Китай сообщает о росте новых случаев в Пекине Китай объявил о росте числа больных граждан."]
    en2 = [en[0], "China reports surge in new cases in Beijing China announced surge in number of ill citizens."]
    beads2 = [bead([0], [0], ru2, en2), bead([1], [1], ru2, en2)]
    assert find_joint_splits(beads2, ru2, en2, GlossEncoder(), opening=(1, 1)) == []
    ru1, en1 = [ru2[1]], [en2[1]]  # the document's own first sentence takes any capital
    assert find_joint_splits([bead([0], [0], ru1, en1)], ru1, en1, GlossEncoder()) != []


def test_kicker_headline_and_sentence_from_raw_text(monkeypatch) -> None:
    # Three segments run together on both sides: the first round cuts the kicker off, the
    # second cuts the headline off the sentence (pipeline.REOPEN_JOINT).
    from aligner import pipeline

    GLOSS.update({"звезда": "star", "сериала": "series"})
    ru_t = "Звезда сериала Китай сообщает о росте новых случаев Китай объявил о росте числа больных граждан."
    en_t = "Series star China reports surge in new cases China announced surge in number of ill citizens."

    def pairs():
        (ru, rl), (en, el) = sentences_from_text(ru_t, "ru", False), sentences_from_text(en_t, "en", False)
        beads, *_ = align_text_sentences(ru, en, rl, el, ru_t, en_t, encoder=GlossEncoder())
        return [(b.ru, b.en) for b in beads]

    assert pairs() == [("Звезда сериала", "Series star"),
                       ("Китай сообщает о росте новых случаев", "China reports surge in new cases"),
                       ("Китай объявил о росте числа больных граждан.", "China announced surge in number of ill citizens.")]
    monkeypatch.setattr(pipeline, "REOPEN_JOINT", False)
    assert len(pairs()) == 2  # the headline stays run into the sentence


def test_later_rounds_look_at_beads_with_a_new_piece_on_one_side() -> None:
    # A first round cut the English first sentence only (its pieces 0 and 1); the Russian
    # sentence linked to piece 1 was not cut, and a headline still runs into its sentence on
    # both sides: the bead is looked at again.
    ru = ["Полиция ищет свидетелей.", RU]
    en = ["Police are looking for witnesses.", EN]
    beads = [bead([0], [0], ru, en), bead([1], [1], ru, en)]
    want = [Split("ru", 1, RU.index("Подросток")), Split("en", 1, EN.index("A teenager"))]
    assert find_joint_splits(beads, ru, en, GlossEncoder(), opening=None, within=(set(), {0, 1})) == want
    # a bead with no new piece is not
    assert find_joint_splits(beads, ru, en, GlossEncoder(), opening=None, within=(set(), {0})) == []


def test_headline_stack_after_a_partner_cut_end_to_end() -> None:
    # The Russian splitter ends the first headline at its full stop, the English one sees no end
    # before "Four": a first round cuts the English sentence there (a partner split); its new
    # second piece still runs a headline into its sentence on both sides, cut in a second round.
    ru_text = "Вулкан покрыл пеплом Мехико. " + RU
    en_text = "Volcano covered Mexico City in ash " + EN
    ru, ru_lines = sentences_from_text(ru_text, "ru", False)
    en, en_lines = sentences_from_text(en_text, "en", False)
    assert len(ru) == 2 and len(en) == 1
    beads, ru, en, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, ru_text, en_text, encoder=GlossEncoder())
    assert en == ["Volcano covered Mexico City in ash", "Four arrested on suspicion of attempted murder",
                  "A teenager was stabbed in Somerset."]
    assert ru[1:] == ["Четверо арестованы по подозрению в покушении на убийство",
                      "Подросток получил ножевые ранения в Сомерсете."]
    assert [(b.ru_ids, b.en_ids) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
