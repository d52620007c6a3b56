"""Hard-wrapped text (e-mail, Project Gutenberg): its lines are joined a paragraph at a time
before splitting, so a wrap is no sentence end."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.pipeline import paragraph_ids, sentences_from_text
from aligner.wrapping import caption_track, hard_wrapped, line_runs, soft_break

PARAGRAPHS = [
    "Очумелов делает полуоборот налево и шагает к сборищу. Около самых ворот склада он видит вышеписанного "
    "человека, стоящего с поднятой вверх рукой и показывающего толпе окровавленный палец.",
    "На полупьяном лице его как бы написано: «Ужо я сорву с тебя, шельма!», да и самый палец имеет вид знамения "
    "победы. В этом человеке Очумелов узнаёт золотых дел мастера Хрюкина.",
    "Кругом тишина. На площади ни души. Открытые двери лавок и кабаков глядят на свет божий уныло, как голодные "
    "пасти; около них нет даже нищих.",
]


def wrap(paragraphs: list[str], width: int = 72) -> str:
    return "\n\n".join(textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in paragraphs)


def test_a_wrapped_text_is_split_as_its_paragraphs_are() -> None:
    text = wrap(PARAGRAPHS)
    assert hard_wrapped(text.split("\n"))
    sents, lines = sentences_from_text(text, "ru", False)
    plain, _ = sentences_from_text("\n\n".join(PARAGRAPHS), "ru", False)
    assert sents == plain
    # each sentence keeps the line it starts on, and the paragraphs still come from the blank lines
    raw = text.split("\n")
    assert all(raw[n].strip() and s.split()[0] in raw[n] for s, n in zip(sents, lines))
    assert paragraph_ids(text, lines, False) == [0, 0, 1, 1, 2, 2, 2]


def test_verse_and_one_paragraph_a_line_are_not_unwrapped() -> None:
    verse = ("Мороз и солнце; день чудесный!\nЕще ты дремлешь, друг прелестный —\nПора, красавица, проснись:\n"
             "Открой сомкнуты негой взоры\nНавстречу северной Авроры,\nЗвездою севера явись!")
    assert not hard_wrapped(verse.split("\n"))
    assert len(sentences_from_text(verse, "ru", False)[0]) == 6  # a line a verse, as before
    assert not hard_wrapped("\n".join(PARAGRAPHS).split("\n"))  # long lines: a paragraph a line
    assert not hard_wrapped(wrap(PARAGRAPHS[:1]).split("\n")[:2])  # too few lines to tell


def test_a_text_too_short_to_tell_is_joined_where_a_line_runs_on_in_lower_case() -> None:
    text = wrap(PARAGRAPHS[:1])  # three lines, two of them inner: too few to tell as hard-wrapped
    raw = text.split("\n")
    assert len(raw) == 3 and not hard_wrapped(raw) and soft_break(raw[0], raw[1]) and soft_break(raw[1], raw[2])
    assert line_runs(raw) == [(0, 2)]
    sents, lines = sentences_from_text(text, "ru", False)
    assert sents == sentences_from_text(PARAGRAPHS[0], "ru", False)[0] and lines == [0, 0]


@pytest.mark.parametrize(
    ("line", "following"),
    [
        ("Около самых ворот склада он видит вышеписанного человека, стоящего", "С поднятой рукой"),  # a capital
        ("Около самых ворот склада он видит вышеписанного человека с пальцем.", "да и самый палец"),  # a stop
        ("Около самых ворот склада он видит вышеписанного человека, стоящего", "with his hand raised"),  # a script
        ("Мороз и солнце; день чудесный, еще ты дремлешь", "друг прелестный"),  # a short line: verse
    ],
)
def test_no_soft_break_at_a_capital_a_stop_another_script_or_a_short_line(line: str, following: str) -> None:
    assert not soft_break(line, following)
    assert line_runs([line, following]) == [(0, 0), (1, 1)]


def test_a_short_wrapped_post_in_a_dump_is_one_paragraph(tmp_path) -> None:
    from aligner.readers import read_paragraphs_as_written

    dump = tmp_path / "dump.txt"
    dump.write_text(wrap(PARAGRAPHS[:1]) + "\n\nAnother post in English.\n", encoding="utf-8")
    paragraphs, _ = read_paragraphs_as_written(dump)
    assert [p.text for p in paragraphs] == [PARAGRAPHS[0], "Another post in English."]
    assert (paragraphs[0].source.line_start, paragraphs[0].source.line_end) == (1, 3)


def test_a_wrapped_dump_without_a_blank_line_before_the_translation_is_parted_there(tmp_path) -> None:
    from aligner.readers import read_paragraphs_as_written

    dump = tmp_path / "dump.txt"
    # the English paragraph right under the Russian one; a Latin name wrapped onto a line of its
    # own inside a Russian sentence stays in its paragraph
    ru = wrap([PARAGRAPHS[0], PARAGRAPHS[1] + " Об этом сообщает издание Associated Press, ссылаясь на свидетелей и"
               " на собственные источники в редакции Global Citizens."])
    dump.write_text(ru + "\n" + wrap(EN_PARAGRAPHS) + "\n", encoding="utf-8")
    paragraphs, _ = read_paragraphs_as_written(dump)
    texts = [p.text for p in paragraphs]
    assert texts[0] == PARAGRAPHS[0] and texts[1].endswith("редакции Global Citizens.")
    assert texts[2:] == EN_PARAGRAPHS


def test_presplit_lines_stay_sentences_even_when_wrapped() -> None:
    text = wrap(PARAGRAPHS)
    sents, lines = sentences_from_text(text, "ru", True)
    assert sents == [line for line in text.split("\n") if line.strip()]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, len(PARAGRAPHS) - 1), min_size=2, max_size=6), st.integers(55, 95))
def test_unwrapping_gives_the_sentences_of_the_unwrapped_text(order: list[int], width: int) -> None:
    paragraphs = [PARAGRAPHS[k] for k in order]
    text = wrap(paragraphs, width)
    sents, lines = sentences_from_text(text, "ru", False)
    assert sents == sentences_from_text("\n\n".join(paragraphs), "ru", False)[0]
    assert lines == sorted(lines) and len(lines) == len(sents)


EN_PARAGRAPHS = [
    "Ochumelov makes a half turn to the left and strides towards the crowd. Near the very gates of the "
    "timber-yard he sees the man described above, standing with his right hand raised and showing the crowd "
    "his bleeding finger.",
    "On his half-drunken face there is plainly written: 'I'll pay you out, you rogue!' and indeed the very "
    "finger has the look of a flag of victory. In this man Ochumelov recognises Hryukin the goldsmith.",
    "There is a deathlike stillness all around. Not a soul in the square. The open doors of the shops and "
    "taverns look out upon God's world disconsolately, like hungry mouths; there is not even a beggar near them.",
]


def test_a_wrapped_dump_is_read_a_paragraph_a_run_of_lines(tmp_path) -> None:
    """In a hard-wrapped dump a paragraph is a run of lines, not each line; its source spans them."""
    from aligner.readers import read_paragraphs_as_written

    dump = tmp_path / "dump.txt"
    text = wrap(PARAGRAPHS) + "\n\n" + wrap(EN_PARAGRAPHS).replace("deathlike", "death\u00a0like")
    dump.write_text(text + "\n", encoding="utf-8")
    paragraphs, lines = read_paragraphs_as_written(dump)
    assert [p.text for p in paragraphs] == PARAGRAPHS + [p.replace("deathlike", "death like") for p in EN_PARAGRAPHS]
    first = paragraphs[0].source
    assert (first.line_start, first.line_end) == (1, text.split("\n").index("") )
    assert {p.source.unit for p in paragraphs} == {"p1"}  # blank lines part paragraphs here, not posts
    assert lines is not None and "\u00a0" in "\n".join(lines)


def test_a_wrapped_dump_aligns_whole_sentences_quoted_as_written(tmp_path) -> None:
    from aligner.pipeline import PipelineConfig, align_document
    from tests.test_partner import GlossEncoder

    dump = tmp_path / "dump.txt"
    dump.write_text(wrap(PARAGRAPHS) + "\n\n" + wrap(EN_PARAGRAPHS).replace("deathlike", "death\u00a0like") + "\n",
                    encoding="utf-8")
    result = align_document(dump, encoder=GlossEncoder(), config=PipelineConfig(keep_unaligned=True))
    # the gloss encoder pairs nothing here: each sentence is an unpaired bead of its own
    ru = [b.ru for b in result.all_beads if b.ru]
    en = [b.en for b in result.all_beads if b.en]
    assert ru == sentences_from_text("\n\n".join(PARAGRAPHS), "ru", False)[0]  # no sentence cut at a wrap
    assert len(en) == 7
    assert any("\u00a0" in s for s in en)  # the no-break space as the file writes it


CAPTIONS = """hurricane rosa is weakening as it moves
over the cooler waters off the northern
coast of mexico however rosa will bring
flooding rains across northern mexico
and the southwest us over the coming days
rosa had winds of 85 mph a category 1
hurricane as of 5 am eastern time sunday
and was located 385 miles southwest of
punta eugenia mexico rosa is expected to
move north on sunday"""


def test_a_caption_track_is_read_as_one_stream() -> None:
    lines = CAPTIONS.split("\n")
    assert caption_track(lines) and not hard_wrapped(lines)  # lines of 40 columns: too short for a wrap
    assert line_runs(lines) == [(0, len(lines) - 1)]
    sents, starts = sentences_from_text(CAPTIONS, "en", False)
    assert sents == [" ".join(CAPTIONS.split())] and starts == [0]  # one run-on sentence for runon_split
    # two tracks, a blank line between them: two streams
    assert line_runs(lines + [""] + lines) == [(0, 9), (11, 20)]


def test_verse_lists_and_short_texts_are_no_caption_tracks() -> None:
    verse = ("Мороз и солнце; день чудесный!\nЕще ты дремлешь, друг прелестный —\nПора, красавица, проснись:\n"
             "Открой сомкнуты негой взоры\nНавстречу северной Авроры,\nЗвездою севера явись!")
    assert not caption_track((verse + "\n" + verse).split("\n"))  # capitals open the lines
    items = "\n".join(f"- item {k} of the list" for k in range(12))
    assert not caption_track(items.split("\n"))
    assert not caption_track(CAPTIONS.split("\n")[:8])  # 7 breaks: too few to tell
    assert not caption_track("\n".join(PARAGRAPHS).split("\n"))
