"""List splits: a run of list items with no punctuation (a masthead) is cut into its items on both sides."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.list_split import find_list_splits, list_cuts
from aligner.partner import Split, apply_splits
from aligner.pipeline import align_text_sentences, sentences_from_text
from tests.test_partner import GLOSS, GlossEncoder, bead

# A masthead scraped as one line, and its translation: role, then the holder's name.
ITEMS = [
    ("Главный редактор Лёля Смолина", "Executive editor Lyolya Smolina"),
    ("Арт-директор Вениамин Фридгельм", "Art director Veniamin Friedhelm"),
    ("Выпускающий редактор Ольга Сауленко", "Commissioning editor Olga Saulenko"),
    ("Фоторедактор Юлия Лемешевская", "Photo editor Yulia Lemeshevskaya"),
    ("Дизайнер Евгений Фридгельм", "Designer Evgeny Friedhelm"),
    ("Отдел рекламы", "Advertising department"),
    ("Финансовый директор Каролина Ушакова", "Financial director Karolina Ushakova"),
    ("Издатель Дмитрий Смирнов", "Publisher Dmitry Smirnov"),
    ("Технический директор Андрей Зуев", "Technical director Andrei Zuev"),
    ("Литературный редактор Лиза Морозова", "Script editor Liza Morozova"),
]
RU_LIST = " ".join(r for r, _ in ITEMS)
EN_LIST = " ".join(e for _, e in ITEMS)

GLOSS.update({
    "главный": "executive", "редактор": "editor", "лёля": "lyolya", "смолина": "smolina", "арт": "art",
    "директор": "director", "вениамин": "veniamin", "фридгельм": "friedhelm", "выпускающий": "commissioning",
    "ольга": "olga", "сауленко": "saulenko", "фоторедактор": "photo", "юлия": "yulia",
    "лемешевская": "lemeshevskaya", "дизайнер": "designer", "евгений": "evgeny", "отдел": "department",
    "рекламы": "advertising", "финансовый": "financial", "каролина": "karolina", "ушакова": "ushakova",
    "издатель": "publisher", "дмитрий": "dmitry", "смирнов": "smirnov", "технический": "technical",
    "андрей": "andrei", "зуев": "zuev", "литературный": "script", "лиза": "liza", "морозова": "morozova",
})


def test_list_cuts_start_items_not_names() -> None:
    words = [RU_LIST[q:].split()[0] for q in list_cuts(RU_LIST)]
    # every item but the first starts at a cut; no cut before a first name or a surname after it
    assert words == [r.split()[0] for r, _ in ITEMS[1:]]
    assert list_cuts("Главный редактор Лёля Смолина") == []


def test_masthead_is_cut_into_its_items_on_both_sides() -> None:
    splits = find_list_splits([bead([0], [0], [RU_LIST], [EN_LIST])], [RU_LIST], [EN_LIST], GlossEncoder())
    ru, _ = apply_splits([RU_LIST], [0], splits, "ru")
    en, _ = apply_splits([EN_LIST], [0], splits, "en")
    assert ru == [r for r, _ in ITEMS]
    assert en == [e for _, e in ITEMS]


def test_prose_with_names_is_no_list() -> None:
    ru = ("Вчера Анна Павловна Шерер принимала гостей в Петербурге, и князь Василий Курагин, важный и "
          "чиновный, первым приехал к ней, а Пьер Безухов пришёл позже всех.")
    en = ("Yesterday Anna Pavlovna Scherer received guests in Petersburg, and Prince Vasily Kuragin, "
          "important and official, came first, while Pierre Bezukhov came last.")
    assert find_list_splits([bead([0], [0], [ru], [en])], [ru], [en], GlossEncoder()) == []


def test_unrelated_list_is_not_cut() -> None:
    # the English side is another list: no piece pairs confidently, so nothing is cut
    en = " ".join(f"Item number {k} Zebra crossing Quantum {k}" for k in range(10))
    assert find_list_splits([bead([0], [0], [RU_LIST], [en])], [RU_LIST], [en], GlossEncoder()) == []


def test_raw_masthead_aligns_item_by_item() -> None:
    ru_text = f"Над номером работали многие.\n\n{RU_LIST}\n\nЖурнал выходит раз в месяц."
    en_text = f"Many people worked on this issue.\n\n{EN_LIST}\n\nThe magazine comes out once a month."
    GLOSS.update({"над": "on", "номером": "issue", "работали": "worked", "многие": "many", "журнал": "magazine",
                  "выходит": "comes", "раз": "once", "месяц": "month"})
    ru_s, ru_l = sentences_from_text(ru_text, "ru", False)
    en_s, en_l = sentences_from_text(en_text, "en", False)
    beads, ru_s, en_s, _, _ = align_text_sentences(ru_s, en_s, ru_l, en_l, ru_text, en_text, encoder=GlossEncoder())
    pairs = [(b.ru, b.en) for b in beads]
    for item in ITEMS:
        assert item in pairs
    assert len(beads) == len(ITEMS) + 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="аб В Г.", min_size=0, max_size=12), min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 3), st.integers(-2, 14)), max_size=8))
def test_apply_splits_several_cuts_keep_every_word(sentences: list[str], cuts: list[tuple[int, int]]) -> None:
    splits = [Split("ru", i, q) for i, q in cuts if i < len(sentences)]
    new, lines = apply_splits(sentences, list(range(len(sentences))), splits, "ru")
    for i, s in enumerate(sentences):
        pieces = [p for p, line in zip(new, lines) if line == i]
        inside = {q for k, q in cuts if k == i and 0 < q < len(s)}
        assert len(pieces) == len(inside) + 1
        assert "".join(pieces).replace(" ", "") == s.replace(" ", "")
