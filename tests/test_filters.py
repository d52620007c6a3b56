"""Every filter: a real example it catches, and one it must let through."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.errors import AlignerError
from aligner.filters import REASONS, FilterConfig, apply_filters, check
from aligner.model import Bead


def bead(ru: str, en: str, score: float = 0.9, **prov: str) -> Bead:
    return Bead((0,) if ru else (), (0,) if en else (), ru, en, score, provenance=dict(prov))


DEFAULT = FilterConfig()


# (reason it must fire, ru, en)
CAUGHT = [
    ("numbers", "Война закончилась в 1945 году.", "The war ended in 1954."),
    ("numbers", "Курс — 91,5 рубля за доллар.", "The rate is 95.1 roubles to the dollar."),
    ("length_ratio", "Да.", "Yes, and we will publish the full list of the regional offices tomorrow morning."),
    ("untranslated", "iPhone 15 Pro Max", "iPhone 15 Pro Max"),
    ("untranslated", "Breaking news!", "breaking news"),
    ("wrong_language", "The meeting is postponed until Monday.", "The meeting is postponed until Monday, sources say."),
    (
        "wrong_language",
        "Заседание перенесли на понедельник.",
        "Заседание перенесли на понедельник, сообщают источники.",
    ),
    (
        "wrong_language",
        "Привіт, як справи? Це київська погода сьогодні.",
        "Hi, how are you? This is the Kyiv weather today.",
    ),
    ("too_short", "…", "..."),
    ("too_short", "—", "Well"),
    ("too_long", "Очень длинный абзац. " * 100, "A very long paragraph. " * 100),
    ("url_only", "https://t.me/durov/123", "https://t.me/durov/123"),
    ("url_only", "Источник: https://www.reuters.com/world/", "https://www.reuters.com/world/"),
    ("emoji_only", "🔥🔥🔥", "🔥"),
    ("emoji_only", "👍", "Like!"),
]

# Real pairs that look suspicious to a naive filter but are good translations.
LET_THROUGH = [
    ("Население посёлка — 1 418 человек.", "The village has a population of 1,418."),
    ("Население посёлка — 1 418 человек.", "The village has a population of 1418."),
    ("Рост ВВП составил 3,5%.", "GDP grew by 3.5%."),
    ("Выплаты вырастут до 15\u00a0000 рублей.", "Payments will rise to 15,000 roubles."),
    ("Встреча прошла 09.05.2024 в Москве.", "The meeting took place on May 9, 2024 in Moscow."),
    ("Он вернулся через 3 дня.", "He came back three days later."),
    ("Война закончилась в 1945 году.", "The war ended in 1945."),
    ("Да.", "Yes."),
    ("Нет!", "No!"),
    ("Вышел iOS 17 для iPhone и iPad.", "iOS 17 is out for iPhone and iPad."),
    ("Он приехал в Київ вчера вечером на поезде.", "He arrived in Kyiv last night by train."),
    ("Подробнее по ссылке: https://t.me/durov/123", "Read more: https://t.me/durov/123"),
    ("Огонь 🔥", "Fire 🔥"),
    ("Москва", "Moscow"),
    ("1.", "1."),  # a list number: the same in both languages, and a correct pair
    ("24.02.2022", "24.02.2022"),
    ("Очень длинный абзац. " * 90, "A very long paragraph. " * 80),
    ("«Слава Україні» — так звучал лозунг на плакате.", "“Slava Ukraini” was the slogan on the poster."),
]


@pytest.mark.parametrize("reason,ru,en", CAUGHT)
def test_filter_catches(reason, ru, en):
    assert check(bead(ru, en), DEFAULT) == reason


@pytest.mark.parametrize("ru,en", LET_THROUGH)
def test_filter_lets_through(ru, en):
    assert check(bead(ru, en), DEFAULT) is None


@pytest.mark.parametrize(
    "field,ru,en",
    [
        ("check_numbers", "Война закончилась в 1945 году.", "The war ended in 1954."),
        ("drop_untranslated", "Breaking news!", "breaking news"),
        (
            "check_language",
            "The meeting is postponed until Monday.",
            "The meeting is postponed until Monday, sources say.",
        ),
        ("drop_url_only", "https://t.me/durov/123", "https://t.me/durov/124"),
        ("drop_emoji_only", "🔥🔥🔥", "🔥"),
    ],
)
def test_each_switch_turns_its_filter_off(field, ru, en):
    reason = check(bead(ru, en), DEFAULT)
    assert reason is not None
    # Other rules may still fire (an emoji-only side is also too short), but not this one.
    assert check(bead(ru, en), FilterConfig(**{field: False})) != reason


@pytest.mark.parametrize(
    "field,value,ru,en",
    [
        ("max_length_ratio", None, "Да.", "Yes, and we will publish the full list of offices tomorrow morning."),
        ("max_chars", None, "Очень длинный абзац. " * 100, "A very long paragraph. " * 100),
        ("min_chars", 0, "…", "..."),
    ],
)
def test_thresholds_can_be_disabled(field, value, ru, en):
    assert check(bead(ru, en), DEFAULT) is not None
    assert check(bead(ru, en), FilterConfig(**{field: value, "drop_untranslated": False})) is None


@pytest.mark.parametrize("score,min_score,reason", [(0.49, 0.5, "score"), (0.5, 0.5, None), (0.0, 0.0, None)])
def test_min_score(score, min_score, reason):
    assert check(bead("Привет, мир.", "Hello, world.", score), FilterConfig(min_score=min_score)) == reason


def test_too_long_respects_trados_limit():
    at_limit = bead("а" * 2000, "b" * 2000)
    assert check(at_limit, FilterConfig(max_length_ratio=None)) is None
    assert check(bead("а" * 2001, "b" * 2000), DEFAULT) == "too_long"


def test_null_beads_are_unaligned_unless_kept():
    ru_only = bead("Одинокая фраза без пары.", "", 0.0)
    en_only = bead("", "An orphan English line.", 0.0)
    kept, dropped = apply_filters([ru_only, en_only], DEFAULT)
    assert kept == [] and [d.reason for d in dropped] == ["unaligned", "unaligned"]
    kept, dropped = apply_filters([ru_only, en_only], FilterConfig(keep_unaligned=True, min_score=0.5))
    assert kept == [ru_only, en_only] and dropped == []


def test_kept_null_bead_still_obeys_max_chars():
    huge = bead("слово " * 500, "", 0.0)
    _, dropped = apply_filters([huge], FilterConfig(keep_unaligned=True))
    assert [d.reason for d in dropped] == ["too_long"]


def test_first_matching_rule_names_the_reason():
    # Low score and a number mismatch: the score is reported (checked first).
    assert check(bead("В 1945 году.", "In 1954.", 0.1), FilterConfig(min_score=0.5)) == "score"


def test_dropped_carry_bead_and_reason_and_order_is_kept():
    beads = [bead("Привет.", "Hello."), bead("🔥", "🔥"), bead("Пока.", "Bye.")]
    kept, dropped = apply_filters(beads, DEFAULT)
    assert kept == [beads[0], beads[2]]
    assert [(d.reason, d.bead) for d in dropped] == [("emoji_only", beads[1])]
    assert all(d.reason in REASONS for d in dropped)


def test_dedup_keeps_first_copy_with_every_provenance():
    a = bead("Подписывайтесь на канал!", "Subscribe to the channel!", ru_msg_id="10", date="2024-01-01")
    b = bead("Подписывайтесь  на канал", "subscribe to the channel", ru_msg_id="20", date="2024-02-01")
    c = bead("Другая фраза.", "Another sentence.", ru_msg_id="30")
    kept, dropped = apply_filters([a, b, c], FilterConfig(dedup=True))
    assert [k.ru for k in kept] == [a.ru, c.ru]
    assert [d.reason for d in dropped] == ["duplicate_pair"] and dropped[0].bead is b
    copies = json.loads(kept[0].provenance["copies"])
    assert [cp["ru_msg_id"] for cp in copies] == ["10", "20"]
    assert kept[0].provenance["ru_msg_id"] == "10"
    assert "copies" not in kept[1].provenance


def test_dedup_is_off_by_default():
    a = bead("Подписывайтесь на канал!", "Subscribe to the channel!")
    kept, _ = apply_filters([a, a], DEFAULT)
    assert len(kept) == 2


@pytest.mark.parametrize(
    "kwargs",
    [{"min_score": 1.5}, {"min_score": -0.1}, {"max_length_ratio": 0.5}, {"max_chars": 0}],
)
def test_bad_config_is_a_user_error(kwargs):
    with pytest.raises(AlignerError):
        FilterConfig(**kwargs)


# weak_piece reads ``features["piece_min"]``, set by the aligner on merged beads (dev cases, flores_devtest_00:
# a stray "." glued to the sentence before it, cosine -0.03 with the Russian side).
@pytest.mark.parametrize("piece_min,config,reason", [
    (-0.03, DEFAULT, "weak_piece"),
    (0.0, DEFAULT, "weak_piece"),
    (0.16, DEFAULT, None),  # "And here there's no need to advertise anything: ..." in a correct 1-2 bead
    (None, DEFAULT, None),  # 1-1 beads carry no value
    (-0.03, FilterConfig(min_piece_sim=None), None),  # --keep-weak-pieces
])
def test_weak_piece(piece_min, config, reason):
    ru = "Это не только подтверждает, что у некоторых динозавров были перья, но и даёт детали."
    en = "This not only confirms that at least some dinosaurs had feathers, but provides details. ."
    features = {} if piece_min is None else {"piece_min": piece_min}
    b = Bead((28,), (29, 30), ru, en, 0.97, features)
    assert check(b, config) == reason


def test_cli_drops_a_weak_piece_unless_kept(tmp_path):
    """End to end: a stray "I" (a FLORES line the gold puts elsewhere) glued to the next sentence."""
    from aligner.cli import main

    ru = tmp_path / "ru.txt"
    en = tmp_path / "en.txt"
    ru.write_text("Это не только подтверждает, что по крайней мере у некоторых динозавров были перья, но и даёт "
                  "детали, которые окаменелости обычно не сохраняют.\n"
                  "Учёные говорят, что оперение этого животного было каштановым сверху и светлым снизу.\n"
                  "Находка также проливает свет на эволюцию перьев у птиц.\n", encoding="utf-8")
    en.write_text("This not only confirms that at least some dinosaurs had feathers, but provides details fossils "
                  "generally cannot.\nI\nScientists say this animal's plumage was chestnut-brown on top with a pale "
                  "underside.\nThe find also grants insight into the evolution of feathers in birds.\n", encoding="utf-8")
    written = {}
    for extra in ([], ["--keep-weak-pieces"]):
        out = tmp_path / f"out{len(extra)}.jsonl"
        assert main(["align", str(ru), str(en), "--presplit", "-o", str(out), "-q", *extra]) == 0
        written[bool(extra)] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    glued = [r for r in written[True] if r["en_ids"] == [1, 2]]
    assert len(glued) == 1 and glued[0]["features"]["piece_min"] <= 0.0 and "dropped" not in glued[0]
    # JSONL keeps dropped beads for the review editor, marked with the reason
    assert [(r["ru_ids"], r.get("dropped")) for r in written[False]] == [([0], None), ([1], "weak_piece"), ([2], None)]


@given(st.text(max_size=40))
def test_alnum_count_is_the_count_of_isalnum_characters(text):
    from aligner.filters import _alnum_count

    assert _alnum_count(text) == sum(ch.isalnum() for ch in text)


@given(st.text(max_size=40), st.integers(min_value=-1, max_value=5))
def test_alnum_at_least_is_the_count_compared(text, k):
    from aligner.filters import _alnum_at_least

    assert _alnum_at_least(text, k) == (sum(ch.isalnum() for ch in text) >= k)


# the pieces of links, in any case, the letters that match them ignoring case (Kelvin sign, dotless i)
_LINKISH = st.lists(st.sampled_from(["http", "S", "://", "ftp", "www", "WwW", ".", "-", "_", "com", "ORG", "Net", "ru",
                                     "RU", "io", "Me", "info", "ınfo", "\u212az", "рф", "РФ", "a", "ж", "1", " ", "/", "@x"]),
                    max_size=12).map("".join)


@given(_LINKISH)
def test_every_link_holds_the_link_part(text):
    # url_only looks for a link only where _URL_PART matches: it must match wherever _URL does
    from aligner.filters import _URL, _URL_PART

    assert _URL_PART.search(text) is not None or _URL.search(text) is None


def test_url_only_and_too_short_on_plain_sides():
    from aligner.filters import FilterConfig, too_short, url_only

    cfg = FilterConfig()
    assert url_only(bead("https://t.me/news_ru @news_ru", "Source: https://t.me/news_ru"), cfg)
    assert url_only(bead("ria.ru", "Details at ria.ru today."), cfg)
    assert not url_only(bead("Подробности на ria.ru сегодня.", "Details at ria.ru today."), cfg)
    assert not url_only(bead("Ничего.", "Nothing."), cfg)
    assert too_short(bead("—", "Yes."), cfg) and not too_short(bead("Да.", "Yes."), cfg)
    assert too_short(bead("Да.", "Yes."), FilterConfig(min_chars=4))

@given(st.text(max_size=40))
def test_normalise_keeps_exactly_the_isalnum_characters(text):
    import unicodedata

    from aligner.filters import normalise

    folded = unicodedata.normalize("NFKC", text).casefold()
    assert normalise(text) == " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


_SCRIPTS = "abcXYZ éçÀɏ ḀỿабвгдЁёіїєґ҂҃Ѡӿԯ ΑΩ中 12²½_-.,!?\u0301\u0483"


@given(st.text(alphabet=_SCRIPTS, max_size=30), st.text(alphabet=_SCRIPTS, max_size=30))
def test_wrong_language_counts_letters_as_a_loop_over_characters_would(ru, en):
    from aligner.filters import _is_cyrillic, _is_latin, _looks_ukrainian, wrong_language

    cfg = FilterConfig()
    want = False
    ru_letters, en_letters = [c for c in ru if c.isalpha()], [c for c in en if c.isalpha()]
    if ru_letters and (sum(map(_is_cyrillic, ru_letters)) / len(ru_letters) < cfg.min_ru_cyrillic
                       or _looks_ukrainian(ru)):
        want = True
    if en_letters and sum(map(_is_latin, en_letters)) / len(en_letters) < cfg.min_en_latin:
        want = True
    assert wrong_language(Bead((0,), (0,), ru, en, 0.9), cfg) == want


_UK_WORDS = st.sampled_from(["Київ", "їжак", "є", "ґанок", "Білорусь", "ўсё", "дом", "съел", "эхо", "мир", "ёж",
                             "Україні", "слава", "і", "Cat", "42", ",", "«", "»"])


@given(st.lists(_UK_WORDS, max_size=12))
def test_looks_ukrainian_fast_path_agrees_with_counting_words(words):
    """Without any і/ї/є/ґ/ў the answer is False before the words are counted; with them, as before."""
    from aligner.filters import _RU_ONLY, _UK_BE, _WORD, _is_cyrillic, _looks_ukrainian

    text = " ".join(words)
    cyr = [w for w in _WORD.findall(text) if any(_is_cyrillic(ch) for ch in w)]
    uk = sum(any(ch in _UK_BE for ch in w) for w in cyr)
    want = uk >= 2 and not any(ch in _RU_ONLY for w in cyr for ch in w) and uk / len(cyr) >= 0.25
    assert _looks_ukrainian(text) == want
