from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from aligner.encoders.base import Encoder
from aligner.model import Paragraph, Source
from aligner.model import Block
from aligner.pairing import (
    PairingConfig,
    _assign_positions,
    _candidates,
    _embed_sides,
    _knn_mean,
    _quality,
    anchors,
    make_blocks,
    outside_blocks,
    pair_blocks,
    unpaired,
)
from tests.fakes import HashEncoder, vector_for

# Hand-made translations: the fake encoder gives a sentence and its translation
# nearly the same vector, so these tests check the pairing logic, not a model.
TRANSLATIONS = {
    "Россия и Китай подписали соглашение о торговле.": "Russia and China signed a trade agreement.",
    "Товарооборот вырос на 20 процентов.": "Trade grew by 20 percent.",
    "Министр выступил на форуме в Петербурге.": "The minister spoke at the forum in St Petersburg.",
    "Он призвал к диалогу.": "He called for dialogue.",
    "В Минске прошёл саммит ЕАЭС.": "The EAEU summit was held in Minsk.",
    "Лидеры обсудили экономику.": "The leaders discussed the economy.",
    "Посольство открыло новый визовый центр.": "The embassy opened a new visa centre.",
}
CONCEPT = {**{ru: en for ru, en in TRANSLATIONS.items()}, **{en: en for en in TRANSLATIONS.values()}}


class TranslationEncoder(Encoder):
    name = "fake-translation"
    dim = 64

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        out = []
        for t in texts:
            key = CONCEPT.get(t.strip(), t)
            out.append(vector_for(key, self.dim) + 0.15 * vector_for("noise " + t, self.dim))
        return np.stack(out)


def post(post_id: str, *parts: tuple[str, str]) -> list[Paragraph]:
    src = Source(file="chat.json", post_id=post_id, date=f"2025-06-01T{int(post_id):02d}:00:00", unit=post_id)
    return [Paragraph(text, lang, src) for lang, text in parts]


RU_A = "Россия и Китай подписали соглашение о торговле.\nТоварооборот вырос на 20 процентов."
EN_A = "Russia and China signed a trade agreement.\nTrade grew by 20 percent."
RU_B = "Министр выступил на форуме в Петербурге.\nОн призвал к диалогу."
EN_B = "The minister spoke at the forum in St Petersburg.\nHe called for dialogue."
RU_C = "В Минске прошёл саммит ЕАЭС.\nЛидеры обсудили экономику."
EN_C = "The EAEU summit was held in Minsk.\nThe leaders discussed the economy."


@pytest.fixture()
def channel() -> list[Paragraph]:
    return [
        *post("1", ("ru", RU_A)),
        *post("2", ("en", "Weather: sunny and warm across the region.\nNo rain is expected this week.")),
        *post("3", ("en", EN_A)),  # a separate post, two posts after its original
        *post("4", ("en", EN_B), ("ru", RU_B)),  # both halves in one post, English first
        *post("5", ("en", EN_C)),  # the translation comes before the original
        *post("6", ("ru", "Пресс-служба сообщила о переносе брифинга.")),  # no translation
        *post("7", ("ru", RU_C)),
    ]


def test_make_blocks_splits_by_post_and_language(channel):
    blocks = make_blocks(channel)
    assert [(b.lang, b.source.post_id) for b in blocks] == [
        ("ru", "1"), ("en", "2"), ("en", "3"), ("en", "4"), ("ru", "4"), ("en", "5"), ("ru", "6"), ("ru", "7"),
    ]
    assert [b.id for b in blocks] == [f"b{n}" for n in range(8)]


def test_make_blocks_skips_numbers_and_breaks_on_other_languages():
    src = Source(file="d.txt", unit="p1")
    paras = [
        Paragraph("Первая строка.", "ru", src), Paragraph("19.06.2025", "other", src), Paragraph("Вторая строка.", "ru", src),
        Paragraph("Українською мовою.", "other", src), Paragraph("Третья строка.", "ru", src),
    ]
    blocks = make_blocks(paras)
    assert [b.text for b in blocks] == ["Первая строка.\nВторая строка.", "Третья строка."]


def test_paragraphs_outside_every_block_are_reported():
    src = Source(file="d.txt", unit="p1")
    paras = [
        Paragraph("Первая строка.", "ru", src), Paragraph("19.06.2025", "other", src), Paragraph("Вторая строка.", "ru", src),
        Paragraph("Українською мовою.", "other", src), Paragraph("Третья строка.", "ru", src),
        Paragraph("XIV", "en", Source(file="d.txt", unit="p2")),  # a chapter number with no text after it
    ]
    blocks = make_blocks(paras)
    assert [(d.reason, d.text) for d in outside_blocks(paras, blocks)] == [
        ("no_words", "19.06.2025"), ("other_language", "Українською мовою."), ("no_words", "XIV")]
    assert all(d.source is not None for d in outside_blocks(paras, blocks))
    # everything in a block: nothing outside
    assert outside_blocks(paras[:1], make_blocks(paras[:1])) == []


def test_pairs_in_one_post_and_across_posts_either_order(channel):
    blocks = make_blocks(channel)
    pairs = pair_blocks(blocks, encoder=TranslationEncoder())
    got = [(p.ru.source.post_id, p.en.source.post_id) for p in pairs]
    assert got == [("1", "3"), ("4", "4"), ("7", "5")]
    assert all(0.5 <= p.score <= 1.0 for p in pairs)
    left = [(b.lang, b.source.post_id) for b in unpaired(blocks, pairs)]
    assert left == [("en", "2"), ("ru", "6")]


def test_no_pair_without_a_translation():
    blocks = make_blocks([*post("1", ("ru", "Пресс-служба сообщила о переносе брифинга.")),
                          *post("2", ("en", "The embassy opened a new visa centre."))])
    assert pair_blocks(blocks, encoder=TranslationEncoder()) == []


def test_one_language_only_gives_no_pairs():
    assert pair_blocks(make_blocks(post("1", ("en", EN_A))), encoder=TranslationEncoder()) == []


def test_far_apart_posts_pair_only_through_strong_evidence(channel):
    # Move the English half of A 40 posts away: still found through the top-k candidates.
    far = [*post("1", ("ru", RU_A)), *[p for n in range(2, 42) for p in post(str(n), ("en", f"Filler post number {n}."))],
           *post("42", ("en", EN_A))]
    pairs = pair_blocks(make_blocks(far), encoder=TranslationEncoder(), config=PairingConfig(window=5))
    assert [(p.ru.source.post_id, p.en.source.post_id) for p in pairs] == [("1", "42")]


@pytest.mark.parametrize(
    "ru, en, shared",
    [
        ("Она длилась 1418 дней и ночей.", "It lasted 1,418 days and nights.", {"n:1418"}),
        ("Инфляция составила 9,6%.", "Inflation stood at 9.6 percent.", {"n:9.6"}),
        ("Занятость выросла на 2,4 млн.", "Employment grew by 2.4 million.", {"n:2.4"}),
        ("Встреча с CEO компании Apple.", "A meeting with Apple CEO.", {"w:apple", "w:ceo"}),
        ("Подробнее: https://mid.ru/ru/news/1", "More: https://mid.ru/ru/news/1.", {"u:https://mid.ru/ru/news/1"}),
    ],
)
def test_anchors_survive_translation(ru, en, shared):
    assert anchors(ru) & anchors(en) == shared


def test_quality_rewards_monotone_sentence_matches():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((6, 32))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    same = _quality(a, a, 0.35)
    reversed_ = _quality(a, a[::-1].copy(), 0.35)
    other = rng.standard_normal((6, 32))
    other /= np.linalg.norm(other, axis=1, keepdims=True)
    assert same == pytest.approx(1.0)
    assert reversed_ < 0.4 < same
    assert _quality(a, other, 0.35) < 0.3
    assert _quality(a, a[:3].copy(), 0.35) == pytest.approx(2 * 3 / 9)


def test_sample_dump_pairs_only_the_bilingual_post(shared_dir, use_encoder):
    from aligner.clean import clean
    from aligner.langid import label_paragraphs
    from aligner.readers import read_paragraphs

    paragraphs = label_paragraphs(clean(read_paragraphs(shared_dir / "samples" / "mfa_channel_dump.txt")).kept)
    blocks = make_blocks(paragraphs)
    pairs = pair_blocks(blocks, encoder=use_encoder)
    assert [(p.ru.source.line_start, p.ru.source.line_end, p.en.source.line_start, p.en.source.line_end)
            for p in pairs] == [(97, 102, 91, 96)]


def test_real_encoder_pairs_separate_posts(use_encoder):
    paras = [
        *post("1", ("ru", ("Президент России провёл телефонный разговор с Председателем КНР. "
                           "Беседа продолжалась около часа."))),
        *post("2", ("en", "The weather in Moscow will be sunny tomorrow, with temperatures up to 30 degrees.")),
        *post("3", ("en", ("The President of Russia had a telephone conversation with the President of China. "
                           "The conversation lasted about an hour."))),
        *post("4", ("ru", "В Петербурге открылся международный экономический форум.")),
    ]
    pairs = pair_blocks(make_blocks(paras), encoder=use_encoder)
    assert [(p.ru.source.post_id, p.en.source.post_id) for p in pairs] == [("1", "3")]



def _one_post_dump(n_pairs: int) -> list[Block]:
    """A dump with no post boundaries whose lines alternate Russian and English: one unit, 2n one-line blocks."""
    src = Source(file="dump.txt", unit="p1")
    paras = []
    for k in range(n_pairs):
        paras.append(Paragraph(f"Строка номер {k} о маяке на мысе.", "ru", src))
        paras.append(Paragraph(f"Line number {k} about the lighthouse on the cape.", "en", src))
    return make_blocks(paras)


def test_candidates_grow_linearly_in_one_huge_post():
    """Issue 12: all blocks of one "post" were candidates of each other (n^2 pairs; 1,000 lines took 4.7 GB)."""
    config = PairingConfig()
    counts = {}
    for n in (100, 400):
        blocks = _one_post_dump(n)
        ru_blocks = [b for b in blocks if b.lang == "ru"]
        en_blocks = [b for b in blocks if b.lang == "en"]
        ru, en = _embed_sides(ru_blocks, en_blocks, HashEncoder(), config)
        _assign_positions(ru, en, {id(b): k for k, b in enumerate(blocks)})
        counts[n] = len(_candidates(ru, en, config))
        assert counts[n] <= n * (config.window_blocks + 2 * config.top_k)
    assert counts[400] <= 4.5 * counts[100]  # quadrupled input: at most about four times the candidates


def test_window_cap_keeps_the_nearest_blocks():
    """The capped window keeps the blocks nearest in document order, so a line's translation next to it stays."""
    config = PairingConfig(window_blocks=4, top_k=1)
    blocks = _one_post_dump(50)
    ru_blocks = [b for b in blocks if b.lang == "ru"]
    en_blocks = [b for b in blocks if b.lang == "en"]
    ru, en = _embed_sides(ru_blocks, en_blocks, HashEncoder(), config)
    _assign_positions(ru, en, {id(b): k for k, b in enumerate(blocks)})
    cands = {tuple(c) for c in _candidates(ru, en, config).tolist()}
    for i in range(50):
        assert (i, i) in cands and (i, max(i - 1, 0)) in cands  # the lines after and before it


def test_knn_mean_counts_missing_neighbours_as_the_prior():
    a = np.array([[1.0, 0.0]])
    b = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert _knn_mean(a, b, 2, prior=0.35) == pytest.approx([0.5])  # both neighbours there: (1 + 0) / 2
    assert _knn_mean(a, b[:1], 4, prior=0.35) == pytest.approx([(1.0 + 3 * 0.35) / 4])
    assert _knn_mean(a, b[:1], 4, prior=None) == pytest.approx([1.0])  # a model without the prior


def test_the_prior_is_the_encoders():
    from aligner.encoders.cache import CachedEncoder
    from aligner.encoders.use import UseEncoder

    assert UseEncoder.unrelated_block_cosine == 0.35
    assert CachedEncoder(UseEncoder(), None).unrelated_block_cosine == 0.35
    assert HashEncoder().unrelated_block_cosine is None  # not measured: no prior, the old margin


def test_a_text_and_its_translation_alone_pair(use_encoder):
    """One Russian block and one English block (a file holding a text and its translation): the
    margin had no alternatives to compare with and was 0, so a loose translation stayed unpaired."""
    src = Source(file="review.txt", unit="p1")
    ru = ("Цирк нам очень нравится, ходим туда еще с нашего детства. Видела номера с самим Никулиным. "
          "И теперь уже и с детьми, племянниками. Обстановка в цирке нравится, программы тоже. "
          "Расположение мест очень удобно.")
    en = ("We love this circus, we've been going since we were kids. I used to go to shows with Nikulin himself. "
          "Now I go with my kids and nephews. I like how the circus is set up and the programs too. "
          "The seating is really well organized.")
    pairs = pair_blocks(make_blocks([Paragraph(ru, "ru", src), Paragraph(en, "en", src)]), encoder=use_encoder)
    assert len(pairs) == 1
    other = "The weather in Moscow will be sunny tomorrow, with temperatures up to 30 degrees and no rain at all."
    assert pair_blocks(make_blocks([Paragraph(ru, "ru", src), Paragraph(other, "en", src)]), encoder=use_encoder) == []


def test_roman_chapter_numbers_do_not_split_a_block():
    """Language ID reads "II" as English: it ended the Russian block of a story's chapters. A
    number joins the text after it, in its language, so "Глава вторая" can still link to "II"."""
    src = Source(file="book.txt", unit="p1")
    paras = [Paragraph("I", "en", src), Paragraph("Он проснулся рано.", "ru", src), Paragraph("II.", "en", src),
             Paragraph("Утро было холодным.", "ru", src), Paragraph("III", "en", src),
             Paragraph("He woke up early.", "en", src), Paragraph("IV", "en", src)]
    blocks = make_blocks(paras)
    assert [(b.lang, [(p.text, p.lang) for p in b.paragraphs]) for b in blocks] == [
        ("ru", [("I", "ru"), ("Он проснулся рано.", "ru"), ("II.", "ru"), ("Утро было холодным.", "ru")]),
        ("en", [("III", "en"), ("He woke up early.", "en")])]  # "IV" heads nothing: left out
    # a number in another unit (post) than the text after it stays out
    other = Paragraph("V", "en", Source(file="book.txt", unit="p0"))
    assert [[p.text for p in b.paragraphs] for b in make_blocks([other, paras[1]])] == [["Он проснулся рано."]]


def test_a_lone_misread_line_inside_a_run_joins_it():
    """A short Russian line language ID took for another Cyrillic language stays in its block;
    a Ukrainian post between two Russian posts (another unit) still ends the block."""
    src = Source(file="book.txt", unit="p1")
    paras = [Paragraph("Ласточка полетела дальше.", "ru", src), Paragraph("Тут упала другая капля.", "other", src),
             Paragraph("Она подняла голову.", "ru", src), Paragraph("The swallow flew on.", "en", src)]
    assert [len(b.paragraphs) for b in make_blocks(paras)] == [3, 1]
    # at the end of a run (nothing of its language after it), in Latin script, or with a letter
    # Russian never uses ("Українською мовою." in the test above) it still ends the block
    assert [len(b.paragraphs) for b in make_blocks(paras[:2] + paras[3:])] == [1, 1]
    latin = Paragraph("Das ist ein deutscher Satz.", "other", src)
    assert [len(b.paragraphs) for b in make_blocks([paras[0], latin, paras[2]])] == [1, 1]
    posts = [Paragraph("Первая новость.", "ru", Source(file="chat.json", post_id="1", unit="1")),
             Paragraph("Це українська новина.", "other", Source(file="chat.json", post_id="2", unit="2")),
             Paragraph("Вторая новость.", "ru", Source(file="chat.json", post_id="3", unit="3"))]
    assert [len(b.paragraphs) for b in make_blocks(posts)] == [1, 1]


def test_a_quoted_latin_title_or_a_missed_heading_inside_a_run_joins_it():
    """Two lines language ID calls ``other`` had each cut a book in two, and only one half found
    its translation: a Russian line quoting a French title (Tolstoy) and an English heading."""
    src = Source(file="book.txt", unit="p1")
    ru = [Paragraph("— Видела Сару Бернар?", "ru", src), Paragraph("— Да, в «Adrienne Lecouvreur»", "other", src),
          Paragraph("Она пожала плечами.", "ru", src)]
    en = [Paragraph("It is an attack on the bourgeois order.", "en", src),
          Paragraph("2. Conservative or Bourgeois Socialism", "other", src),
          Paragraph("A part of the bourgeoisie is desirous of redressing social grievances.", "en", src)]
    assert [(b.lang, len(b.paragraphs)) for b in make_blocks(ru + en)] == [("ru", 3), ("en", 3)]
    # a Latin line between English paragraphs of another unit, or a Cyrillic one inside an
    # English run, still ends the block
    other_unit = replace(en[1], source=Source(file="book.txt", unit="p2"))
    assert [len(b.paragraphs) for b in make_blocks([en[0], other_unit, en[2]])] == [1, 1]
    cyrillic = Paragraph("Це українська новина.", "other", src)
    assert [len(b.paragraphs) for b in make_blocks([en[0], cyrillic, en[2]])] == [1, 1]


def test_a_russian_caption_on_english_words_stays_in_its_article():
    """"Автор фото: Sky Revolutions" is English to language ID; it had cut a BBC Russian article in
    three. An English paragraph (no Cyrillic) between Russian ones still makes its own block."""
    src = Source(file="dump.txt", unit="p1")
    ru1, ru2 = Paragraph("Бомба взорвалась в пятницу.", "ru", src), Paragraph("Никто не пострадал.", "ru", src)
    caption = Paragraph("Автор фото: Sky Revolutions", "en", src)
    assert [(b.lang, len(b.paragraphs)) for b in make_blocks([ru1, caption, ru2])] == [("ru", 3)]
    english = Paragraph("The bomb went off on Friday.", "en", src)
    assert [(b.lang, len(b.paragraphs)) for b in make_blocks([ru1, english, ru2])] == [("ru", 1), ("en", 1), ("ru", 1)]
