"""Folds: an unaligned sentence whose content the neighbour's translation holds joins its bead."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.align import AlignConfig
from aligner.align.folds import Fold, apply_folds, clauses, find_folds
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
    plain, _, _, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, RU_TEXT, EN_TEXT,
                                             encoder=use_encoder, config=AlignConfig(folds=False))
    assert plain[-1].ru == "Берегите себя!" and not plain[-1].en_ids  # without folds: 1-0
    beads, ru2, _, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, RU_TEXT, EN_TEXT, encoder=use_encoder)
    assert ru2 == ru  # no sentence changes
    assert all(b.ru_ids and b.en_ids for b in beads)  # nothing left unaligned
    last = beads[-1]
    assert last.kind == "2-1" and last.en == en[-1] and last.ru_parts == tuple(ru[-2:])
    assert last.features["fold"] == 1.0 and last.score == plain[-2].score  # the neighbour's score kept


def test_deleted_sentence_is_not_joined(use_encoder) -> None:
    # The last English sentence has no clause holding "Берегите себя!": a deletion, kept 1-0.
    en_text = EN_TEXT.replace("Thanks for watching guys, and until next time, take care.",
                              "Thanks for watching, and see you next time.")
    (ru, ru_lines), (en, en_lines) = split(RU_TEXT, "ru"), split(en_text, "en")
    beads, _, _, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, RU_TEXT, en_text, encoder=use_encoder)
    assert [b.ru for b in beads if not b.en_ids] == ["Берегите себя!"]


def _bead(ru_ids, en_ids, ru, en) -> Bead:
    return Bead(tuple(ru_ids), tuple(en_ids), " ".join(ru[i] for i in ru_ids), " ".join(en[j] for j in en_ids), 0.9)


def test_no_fold_across_paragraphs_or_with_one_clause_or_a_long_sentence(use_encoder) -> None:
    ru = ["Спасибо за просмотр, ребята, и до следующего раза.", "Берегите себя!"]
    en = ["Thanks for watching guys, and until next time, take care."]
    beads = [_bead([0], [0], ru, en), _bead([1], [], ru, en)]
    assert find_folds(beads, ru, en, use_encoder) == [Fold(1, 0)]
    assert find_folds(beads, ru, en, use_encoder, ru_groups=[0, 1], en_groups=[0]) == []  # another paragraph
    assert find_folds(beads, ru, en, use_encoder, max_window=1) == []  # the bead would outgrow max_window
    en_one = ["Thanks for watching guys and until next time take care."]
    beads = [_bead([0], [0], ru, en_one), _bead([1], [], ru, en_one)]
    assert find_folds(beads, ru, en_one, use_encoder) == []  # no clause to hold it
    long = ru[:1] + ["Берегите себя, и пусть у вас всё будет хорошо всегда и везде, где бы вы ни были!"]
    beads = [_bead([0], [0], long, en), _bead([1], [], long, en)]
    assert find_folds(beads, long, en, use_encoder) == []  # over MAX_WORDS words


def test_english_null_before_its_neighbour(use_encoder) -> None:
    # A folded English sentence in front of the bead: the first clause of the Russian holds it.
    en = ["Well.", "I think we should go home now, it is getting late."]
    ru = ["Ну что ж, думаю, нам пора домой, уже поздно."]
    beads = [_bead([], [0], ru, en), _bead([0], [1], ru, en)]
    folds = find_folds(beads, ru, en, use_encoder, edge_gain=-1.0, rest_loss=1.0)
    assert folds == [Fold(0, 1)]  # the candidate is found and takes the bead after it
    (merged,) = apply_folds(beads, folds, ru, en)
    assert (merged.ru_ids, merged.en_ids, merged.en) == ((0,), (0, 1), "Well. " + en[1])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["1-1", "1-0", "0-1", "2-1"]), min_size=1, max_size=10), st.data())
def test_apply_folds_keeps_every_sentence_once_and_in_order(kinds: list[str], data) -> None:
    ru, en, beads = [], [], []
    for kind in kinds:  # beads in order over fresh sentences
        a, b = (int(x) for x in kind.split("-"))
        r = list(range(len(ru), len(ru) + a))
        e = list(range(len(en), len(en) + b))
        ru += [f"р{i}" for i in r]
        en += [f"e{j}" for j in e]
        beads.append(_bead(r, e, ru, en))
    # any null may fold into a linked neighbour, as find_folds would pick (one target each)
    folds = []
    for k, bead in enumerate(beads):
        if bead.is_null and bool(bead.ru_ids) != bool(bead.en_ids):
            near = [n for n in (k - 1, k + 1) if 0 <= n < len(beads) and not beads[n].is_null]
            if near and data.draw(st.booleans()):
                folds.append(Fold(k, data.draw(st.sampled_from(near))))
    out = apply_folds(beads, folds, ru, en)
    assert len(out) == len(beads) - len(folds)
    assert [i for b in out for i in b.ru_ids] == list(range(len(ru)))
    assert [j for b in out for j in b.en_ids] == list(range(len(en)))
    assert all(b.ru == " ".join(ru[i] for i in b.ru_ids) for b in out)


def test_align_folds_pre_split_sentences(use_encoder) -> None:
    """align() (pre-split lists, no paragraphs) folds as raw text does; AlignConfig(folds=False) turns it off."""
    from aligner.align import align_sentences

    (ru, _), (en, _) = split(RU_TEXT, "ru"), split(EN_TEXT, "en")
    beads = align_sentences(ru, en, encoder=use_encoder)
    assert beads[-1].kind == "2-1" and beads[-1].features["fold"] == 1.0
    beads = align_sentences(ru, en, encoder=use_encoder, config=AlignConfig(folds=False))
    assert beads[-1].kind == "1-0"
