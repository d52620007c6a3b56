"""Fold joins: an unaligned sentence whose content the neighbour's translation holds joins it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.folds import Join, apply_joins, clauses, find_joins
from aligner.model import Bead
from aligner.pipeline import align_text_sentences, sentences_from_text

# The example: a video's last two sentences, the second folded into the first's translation.
RU_TEXT = ("Сегодня я покажу вам, как приготовить настоящий борщ. Сначала нарежьте свёклу тонкой соломкой. "
           "Потом обжарьте лук и морковь на сливочном масле. Добавьте свёклу и немного томатной пасты. "
           "Варите бульон около часа на медленном огне. Подавайте борщ со сметаной и чёрным хлебом. "
           "Спасибо за просмотр, ребята, и до следующего раза. Берегите себя!")
EN_TEXT = ("Today I will show you how to cook a real borscht. First, cut the beets into thin strips. "
           "Then fry the onion and carrot in butter. Add the beets and a little tomato paste. "
           "Simmer the broth for about an hour over low heat. Serve the borscht with sour cream and black bread. "
           "Thanks for watching guys, and until next time, take care.")


def split(text: str, lang: str):
    return sentences_from_text(text, lang, False)


def test_clauses_cut_after_commas_colons_and_before_dashes() -> None:
    assert clauses("Thanks for watching guys, and until next time, take care.") == [
        "Thanks for watching guys,", "and until next time,", "take care."]
    assert clauses("Он знал одно: дом — его крепость.") == ["Он знал одно:", "дом", "— его крепость."]
    assert clauses("No clause here.") == ["No clause here."]
    assert clauses("a-b, well-known") == ["a-b,", "well-known"]  # a hyphen inside a word is no dash


def test_folded_sentence_joins_its_neighbour(use_encoder) -> None:
    (ru, ru_lines), (en, en_lines) = split(RU_TEXT, "ru"), split(EN_TEXT, "en")
    beads, ru2, en2, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, RU_TEXT, EN_TEXT, encoder=use_encoder)
    assert len(ru2) == len(ru) - 1 and ru2[-1] == ru[-2] + " " + ru[-1]
    assert all(b.ru_ids and b.en_ids for b in beads)  # nothing left unaligned
    assert beads[-1].en == en[-1] and beads[-1].ru.endswith("Берегите себя!")
    # without the fold joins the short sentence stands alone (1-0)
    beads, ru3, _, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, RU_TEXT, EN_TEXT,
                                               encoder=use_encoder, folds=False)
    assert ru3 == ru and any(not b.en_ids for b in beads)


def test_deleted_sentence_is_not_joined(use_encoder) -> None:
    # The last English sentence has no clause holding "Берегите себя!": a deletion, kept 1-0.
    en_text = EN_TEXT.replace("Thanks for watching guys, and until next time, take care.",
                              "Thanks for watching, and see you next time.")
    (ru, ru_lines), (en, en_lines) = split(RU_TEXT, "ru"), split(en_text, "en")
    beads, ru2, _, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, RU_TEXT, en_text, encoder=use_encoder)
    assert ru2 == ru
    assert [b.ru for b in beads if not b.en_ids] == ["Берегите себя!"]


def _bead(ru_ids, en_ids, ru, en) -> Bead:
    return Bead(tuple(ru_ids), tuple(en_ids), " ".join(ru[i] for i in ru_ids), " ".join(en[j] for j in en_ids), 0.9)


def test_no_join_across_lines_or_with_one_clause(use_encoder) -> None:
    ru = ["Спасибо за просмотр, ребята, и до следующего раза.", "Берегите себя!"]
    en = ["Thanks for watching guys, and until next time, take care."]
    beads = [_bead([0], [0], ru, en), _bead([1], [], ru, en)]
    assert find_joins(beads, ru, en, [0, 0], [0], use_encoder) == [Join("ru", 0)]
    assert find_joins(beads, ru, en, [0, 1], [0], use_encoder) == []  # the null is on a line of its own
    en_one = ["Thanks for watching guys and until next time take care."]
    beads = [_bead([0], [0], ru, en_one), _bead([1], [], ru, en_one)]
    assert find_joins(beads, ru, en_one, [0, 0], [0], use_encoder) == []  # no clause to hold it


def test_english_null_before_its_neighbour(use_encoder) -> None:
    # A folded English sentence in front of the bead: the first clause of the Russian holds it.
    en = ["Well.", "I think we should go home now, it is getting late."]
    ru = ["Ну что ж, думаю, нам пора домой, уже поздно."]
    beads = [_bead([], [0], ru, en), _bead([0], [1], ru, en)]
    joins = find_joins(beads, ru, en, [0], [0, 0], use_encoder, edge_gain=-1.0, rest_loss=1.0)
    assert joins == [Join("en", 0)]  # the candidate is found and takes the bead after it


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab ", min_size=1, max_size=4), min_size=1, max_size=8), st.data())
def test_apply_joins_keeps_every_character(sentences: list[str], data) -> None:
    lines = sorted(data.draw(st.lists(st.integers(0, 3), min_size=len(sentences), max_size=len(sentences))))
    at = data.draw(st.sets(st.integers(0, max(0, len(sentences) - 2)), max_size=len(sentences) - 1))
    joins = [Join("ru", i) for i in at if i < len(sentences) - 1]
    out, out_lines = apply_joins(sentences, lines, joins, "ru")
    assert len(out) == len(sentences) - len(joins) == len(out_lines)
    assert " ".join(out) == " ".join(sentences)
    assert apply_joins(sentences, lines, joins, "en") == (sentences, lines)  # another side's joins
