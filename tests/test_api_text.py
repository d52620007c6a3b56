"""aligner.align_text: raw text in two strings, split and aligned as ``aligner align ru.txt en.txt`` does."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import aligner
from aligner.errors import InputError
from aligner.pipeline import PipelineConfig
from tests.test_partner import GlossEncoder
from tests.test_pipeline import LIBRARY_EN, LIBRARY_RU

RU_SENTENCES = ["Вчера в Казани открылась новая библиотека.", "Её строили три года.",
                "На открытие пришли сотни жителей.", "Мэр города выступил с речью."]
EN_SENTENCES = ["A new library opened in Kazan yesterday.", "It took three years to build.",
                "Hundreds of residents came to the opening.", "The city mayor gave a speech."]


def test_two_paragraphs_are_split_into_sentences_and_aligned() -> None:
    result = aligner.align_text(LIBRARY_RU, LIBRARY_EN, encoder=GlossEncoder())
    assert (result.ru_sentences, result.en_sentences) == (RU_SENTENCES, EN_SENTENCES)
    assert [(b.ru_ids, b.en_ids) for b in result.beads] == [((k,), (k,)) for k in range(4)]
    assert [(b.ru, b.en) for b in result.beads] == list(zip(RU_SENTENCES, EN_SENTENCES))
    assert [b.provenance for b in result.beads[1:3]] == [
        {"doc": "ru_text", "ru_file": "ru_text", "en_file": "en_text", "ru_lines": f"{n}-{n}", "en_lines": f"{n}-{n}"}
        for n in (1, 3)]  # the second paragraph starts on line 3, after the blank line
    assert result.stats.sentences_ru == result.stats.beads_written == 4 and not result.warnings


def test_swapped_texts_are_swapped_back() -> None:
    result = aligner.align_text(LIBRARY_EN, LIBRARY_RU, encoder=GlossEncoder())
    assert [(b.ru, b.en) for b in result.beads] == list(zip(RU_SENTENCES, EN_SENTENCES))
    assert result.beads[0].provenance["ru_file"] == "en_text"  # where the Russian came from


@pytest.mark.parametrize("ru, en, message", [
    ("", "", "no Russian text found in ru_text or en_text"),
    (" \n\n\t", LIBRARY_EN, "no Russian text found"),
    (LIBRARY_EN, LIBRARY_EN, "no Russian text found"),
    (LIBRARY_RU, LIBRARY_RU, "no English text found in ru_text or en_text; give one Russian and one English text"),
    (LIBRARY_RU, "12:30 — 14:00", "no English text found"),
])
def test_no_russian_or_no_english_is_an_input_error(ru: str, en: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        aligner.align_text(ru, en, encoder=GlossEncoder())


@pytest.mark.parametrize("ru, en, name", [
    (RU_SENTENCES, LIBRARY_EN, "ru_text is a list; to align lists of sentences, use aligner.align"),
    (LIBRARY_RU, LIBRARY_EN.encode(), "en_text is a bytes; decode it first"),
    (LIBRARY_RU, None, "en_text is a NoneType"),
])
def test_anything_but_two_strings_is_a_type_error(ru, en, name: str) -> None:
    with pytest.raises(TypeError, match=f"align_text\\(\\) takes two strings of raw text, but {name}"):
        aligner.align_text(ru, en, encoder=GlossEncoder())


def test_the_result_is_written_and_read_back_as_tsv(tmp_path: Path) -> None:
    result = aligner.align_text(LIBRARY_RU, LIBRARY_EN, encoder=GlossEncoder())
    path = tmp_path / "pairs.tsv"
    assert aligner.write(result.beads, path) == 4
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert [(r["ru"], r["en"]) for r in rows] == list(zip(RU_SENTENCES, EN_SENTENCES))
    assert {(r["doc"], r["ru_file"], r["en_file"]) for r in rows} == {("ru_text", "ru_text", "en_text")}
    assert [r["ru_lines"] for r in rows] == ["1-1", "1-1", "3-3", "3-3"]


def test_presplit_keeps_one_sentence_a_line_and_numbers_ids_by_line() -> None:
    ru = "\n".join(RU_SENTENCES[:2]) + "\n\n" + "\n".join(RU_SENTENCES[2:])
    en = "\n".join(EN_SENTENCES[:2]) + "\n\n" + "\n".join(EN_SENTENCES[2:])
    result = aligner.align_text(ru, en, encoder=GlossEncoder(), config=PipelineConfig(presplit=True))
    assert [(b.ru_ids, b.en_ids) for b in result.beads] == [((k,), (k,)) for k in (0, 1, 3, 4)]  # line numbers
    assert [b.ru for b in result.beads] == RU_SENTENCES


def test_the_text_is_quoted_as_given() -> None:
    ru = LIBRARY_RU.replace("новая библиотека", "новая\u00a0библиотека").replace("\n", "\r\n")
    result = aligner.align_text(ru, LIBRARY_EN, encoder=GlossEncoder())
    assert result.beads[0].ru == "Вчера в Казани открылась новая\u00a0библиотека."
    assert [b.ru for b in result.beads[1:]] == RU_SENTENCES[1:]


@pytest.mark.parametrize("ru, en, name", [
    ("Привет. Как дела?", "Hello. How are you?", "ru_sentences is a str"),
    (["Привет."], "Hello.", "en_sentences is a str"),
    (["Привет."], b"Hello.", "en_sentences is a bytes"),
])
def test_align_given_raw_text_is_a_type_error_naming_align_text(ru, en, name: str) -> None:
    # it used to align the strings character by character, one "sentence" a character
    with pytest.raises(TypeError, match=f"align\\(\\) takes lists of sentences, but {name}; "
                                        "to align raw text, use aligner.align_text"):
        aligner.align(ru, en, encoder=GlossEncoder())


def test_align_still_takes_any_sequence_of_sentences() -> None:
    beads = aligner.align(tuple(RU_SENTENCES[:2]), EN_SENTENCES[:2], encoder=GlossEncoder())
    assert [(b.ru_ids, b.en_ids) for b in beads] == [((0,), (0,)), ((1,), (1,))]
