"""pipeline: the outputs quote each file as written (no-break and zero-width spaces kept)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from aligner.model import Bead
from aligner.pipeline import align_files, as_written_beads
from tests.test_partner import GLOSS, GlossEncoder

GLOSS.update({"встреча": "meeting", "прошла": "held", "субботу": "saturday", "холиоке": "holyoke",
              "избиратели": "voters", "пришли": "came", "много": "many"})


def test_as_written_beads_rebuilds_joined_texts() -> None:
    ru = ["Встреча прошла.", "Пришли избиратели."]
    en = ["The meeting was held and voters came."]
    beads = [Bead((0, 1), (0,), "Встреча прошла. Пришли избиратели.", en[0], 0.9,
                  ru_parts=tuple(ru), en_parts=tuple(en)),
             Bead((), (), "", "", 0.0)]
    written = "Встреча\u00a0прошла.\u200b Пришли избиратели."
    out, ru_out, en_out = as_written_beads(beads, ru, en, written, None)
    assert ru_out == ["Встреча\u00a0прошла.", "Пришли избиратели."] and en_out == en
    assert out[0].ru == "Встреча\u00a0прошла. Пришли избиратели." and out[0].en == en[0]
    assert out[0].ru_parts == tuple(ru_out) and out[0].en_parts == tuple(en)  # still the text's pieces
    assert out[1] == beads[1]
    # nothing to change: the same objects back
    assert as_written_beads(beads, ru, en, None, None) == (beads, ru, en)


def test_bead_text_not_made_of_its_sentences_is_kept() -> None:
    ru, en = ["Встреча прошла."], ["The meeting was held."]
    beads = [Bead((0,), (0,), "ИНОЕ", en[0], 0.9)]
    out, _, _ = as_written_beads(beads, ru, en, "Встреча\u00a0прошла.", None)
    assert out[0].ru == "ИНОЕ"


def test_align_files_writes_the_text_as_written(tmp_path: Path) -> None:
    ru_path, en_path = tmp_path / "ru.txt", tmp_path / "en.txt"
    ru_path.write_text("В субботу в Холиоке прошла встреча\u00a0\u200b\u200b.\r\nПришли избиратели, много.\r\n",
                       encoding="utf-8")
    en_path.write_text("The meeting was held in Holyoke on Saturday.\nMany voters came.\n", encoding="utf-8")
    result = align_files(ru_path, en_path, encoder=GlossEncoder())
    assert [b.ru for b in result.beads] == ["В субботу в Холиоке прошла встреча\u00a0\u200b\u200b.",
                                            "Пришли избиратели, много."]
    assert result.ru_sentences[0].endswith("\u00a0\u200b\u200b.")


def test_a_dump_is_written_as_written_too(tmp_path: Path) -> None:
    """A mixed dump quotes its lines as the file writes them, as two files do; the unpaired
    and the cleaned-out lines change nothing."""
    from aligner.pipeline import align_document
    from aligner.readers import read_paragraphs_as_written

    dump = tmp_path / "dump.txt"
    dump.write_text("В субботу в Холиоке прошла встреча\u00a0\u200b\u200b. Пришли избиратели, много.\r\n\r\n"
                    "The meeting was held in Holyoke on Saturday. Many voters came.\r\n", encoding="utf-8")
    result = align_document(dump, encoder=GlossEncoder())
    assert [(b.ru, b.en) for b in result.beads] == [
        ("В субботу в Холиоке прошла встреча\u00a0\u200b\u200b.", "The meeting was held in Holyoke on Saturday."),
        ("Пришли избиратели, много.", "Many voters came.")]
    paragraphs, lines = read_paragraphs_as_written(dump)
    assert lines[0].startswith("В субботу") and "\u00a0" in lines[0] and len(lines) == 4
    assert paragraphs[0].text.startswith("В субботу") and "\u00a0" not in paragraphs[0].text
    plain = tmp_path / "plain.txt"
    plain.write_text("Встреча прошла.\n\nThe meeting was held.\n", encoding="utf-8")
    assert read_paragraphs_as_written(plain)[1] is None  # nothing normalised: nothing to map back


def test_unpaired_sentences_of_a_dump_are_written_as_written(tmp_path: Path) -> None:
    """--keep-unaligned: a block that found no partner is quoted as the file writes it too."""
    from aligner.pipeline import PipelineConfig, align_document

    dump = tmp_path / "dump.txt"
    dump.write_text("В субботу в Холиоке прошла встреча. Пришли избиратели, много.\n\n"
                    "The meeting was held in Holyoke on Saturday. Many voters came.\n\n"
                    "Завтра\u00a0откроется новая библиотека на улице\u00a0Ленина.\n", encoding="utf-8")
    result = align_document(dump, encoder=GlossEncoder(), config=PipelineConfig(keep_unaligned=True))
    unpaired = [b for b in result.beads if b.provenance.get("reason") == "unpaired"]
    assert [b.ru for b in unpaired] == ["Завтра\u00a0откроется новая библиотека на улице\u00a0Ленина."]


def test_a_dump_reports_what_no_block_took(tmp_path: Path) -> None:
    """Nothing vanishes: a date line and a Ukrainian line are listed as dropped, with their reason."""
    from aligner.pipeline import align_document

    dump = tmp_path / "dump.txt"
    dump.write_text("В субботу в Холиоке прошла встреча.\n\n12.03.2024\n\n"
                    "The meeting was held in Holyoke on Saturday.\n\nЦе українською мовою написано.\n", encoding="utf-8")
    result = align_document(dump, encoder=GlossEncoder())
    assert len(result.beads) == 1
    assert {(d.reason, d.text) for d in result.dropped} == {("no_words", "12.03.2024"),
                                                           ("other_language", "Це українською мовою написано.")}
    assert result.stats.dropped["no_words"] == result.stats.dropped["other_language"] == 1


def test_piece_ids_after_splits() -> None:
    from aligner.partner import Split
    from aligner.pipeline import _piece_ids

    splits = [Split("ru", 0, 5), Split("ru", 3, 7), Split("en", 2, 4)]
    # ru sentences 0 and 3 become 0,1 and 4,5 (one piece more before 3)
    assert _piece_ids(splits, "ru") == {0, 1, 4, 5}
    assert _piece_ids(splits, "en") == {2, 3}
    assert _piece_ids([], "en") == set()
    # two cuts in one sentence (a list run): three pieces, the next sentence two places on
    assert _piece_ids([Split("ru", 1, 5), Split("ru", 1, 9), Split("ru", 1, 9)], "ru") == {1, 2, 3}


def test_three_segments_run_together_are_cut_twice() -> None:
    from aligner.pipeline import align_text_sentences, sentences_from_text

    GLOSS.update({"вулкан": "volcano", "засыпал": "covered", "город": "city", "пеплом": "ash", "мехико": "mexico",
                  "четверо": "four", "арестованы": "arrested", "подозрению": "suspicion", "убийство": "murder",
                  "подросток": "teenager", "получил": "was", "ранения": "stabbed", "сомерсете": "somerset"})
    ru_text = ("Полиция ищет свидетелей. Вулкан засыпал пеплом город Мехико Четверо арестованы по подозрению "
               "в убийство Подросток получил ранения в Сомерсете.")
    en_text = ("Police are looking for witnesses. Volcano covered Mexico City with ash Four arrested on suspicion "
               "of murder A teenager was stabbed in Somerset.")
    ru, ru_lines = sentences_from_text(ru_text, "ru", False)
    en, en_lines = sentences_from_text(en_text, "en", False)
    assert len(ru) == 2 and len(en) == 2
    beads, ru, en, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, ru_text, en_text, encoder=GlossEncoder())
    assert en == ["Police are looking for witnesses.", "Volcano covered Mexico City with ash",
                  "Four arrested on suspicion of murder", "A teenager was stabbed in Somerset."]
    assert [b.kind for b in beads] == ["1-1"] * 4


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=100, deadline=None)
@given(n=st.integers(0, 8), cut=st.sets(st.integers(0, 7)), side=st.sampled_from(["ru", "en"]))
def test_piece_ids_are_the_pieces_apply_splits_made(n, cut, side) -> None:
    from aligner.partner import Split, apply_splits
    from aligner.pipeline import _piece_ids

    sentences = [f"Заголовок {i} Текст {i}." for i in range(n)]
    splits = [Split(side, i, len(f"Заголовок {i} ")) for i in sorted(cut) if i < n]
    new, _ = apply_splits(sentences, list(range(n)), splits, side)
    made = {k for k, s in enumerate(new) if s not in sentences}
    assert _piece_ids(splits[::-1], side) == made and _piece_ids(splits, "ru" if side == "en" else "en") == set()


GLOSS.update({"вчера": "yesterday", "казани": "kazan", "открылась": "opened", "новая": "new", "библиотека": "library",
              "строили": "build", "три": "three", "года": "years", "открытие": "opening", "сотни": "hundreds",
              "жителей": "residents", "мэр": "mayor", "города": "city", "выступил": "gave", "речью": "speech"})
LIBRARY_RU = ("Вчера в Казани открылась новая библиотека. Её строили три года.\n\n"
              "На открытие пришли сотни жителей. Мэр города выступил с речью.\n")
LIBRARY_EN = ("A new library opened in Kazan yesterday. It took three years to build.\n\n"
              "Hundreds of residents came to the opening. The city mayor gave a speech.\n")


def test_align_texts_is_align_files_without_the_files(tmp_path: Path) -> None:
    from aligner.pipeline import align_texts

    ru_path, en_path = tmp_path / "ru.txt", tmp_path / "en.txt"
    ru_path.write_text(LIBRARY_RU, encoding="utf-8")
    en_path.write_text(LIBRARY_EN, encoding="utf-8")
    files = align_files(en_path, ru_path, encoder=GlossEncoder())  # swapped: found and swapped back
    texts = align_texts(LIBRARY_EN, LIBRARY_RU, encoder=GlossEncoder())
    names = {"doc": str(ru_path), "ru_file": str(ru_path), "en_file": str(en_path)}
    assert [b.provenance for b in files.beads] == [{**b.provenance, **names} for b in texts.beads]
    assert [replace(b, provenance={}) for b in files.all_beads] == [replace(b, provenance={}) for b in texts.all_beads]
    assert (files.ru_sentences, files.en_sentences) == (texts.ru_sentences, texts.en_sentences)
    assert texts.beads[0].provenance["ru_file"] == "en_text"  # the Russian text came as en_text
    assert [b.provenance["ru_lines"] for b in texts.beads] == ["1-1", "1-1", "3-3", "3-3"]


def test_align_texts_messages_name_the_texts() -> None:
    from aligner.errors import InputError
    from aligner.pipeline import align_texts

    with pytest.raises(InputError, match="no Russian text found in ru_text or en_text; give one Russian and one "
                                         "English text$"):
        align_texts(LIBRARY_EN, LIBRARY_EN, encoder=GlossEncoder())
    with pytest.raises(InputError, match="no English text found in Рус or Англ"):
        align_texts(LIBRARY_RU, LIBRARY_RU, encoder=GlossEncoder(), ru_name="Рус", en_name="Англ")


def test_a_dump_gets_the_splits_and_joins_of_two_files(tmp_path: Path, use_encoder) -> None:
    """align_document aligns each block pair as align_files does: paragraphs, headline splits, fold joins."""
    from aligner.pipeline import PipelineConfig, align_document
    from tests.test_align_folds import EN_TEXT, RU_TEXT

    dump = tmp_path / "dump.txt"
    dump.write_text(RU_TEXT + "\n\n" + EN_TEXT + "\n", encoding="utf-8")
    result = align_document(dump, encoder=use_encoder, config=PipelineConfig(keep_unaligned=True))
    assert all(b.ru_ids and b.en_ids for b in result.all_beads)  # "Берегите себя!" joined, not 1-0
    assert result.all_beads[-1].ru.endswith("до следующего раза. Берегите себя!")
