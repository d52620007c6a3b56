"""Document readers (DOCX, ODT, EPUB, PDF, HTML articles, subtitles, Markdown) on real small files.

Each file is written in the test by the format's own library (see tests/docmaker.py); nothing is
downloaded. Hostile inputs (zip bombs, XXE, entity bombs, random bytes) must end in an InputError.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner import limits
from aligner.errors import InputError
from aligner.readers import detect_format, file_format, read_document, read_paragraphs, text_document
from tests import docmaker

RU = [("Маяк на мысе", "heading"), ("Старый маяк стоит на мысе.", "text"), ("Смотрителя зовут Иван.", "text")]
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def texts(paragraphs) -> list[str]:
    return [p.text for p in paragraphs]


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize("maker, fmt", [
    (lambda p: docmaker.make_docx(p, RU), "docx"),
    (lambda p: docmaker.make_odt(p, RU), "odt"),
    (lambda p: docmaker.make_epub(p, [RU]), "epub"),
    (lambda p: docmaker.make_pdf(p, [RU]), "pdf"),
])
def test_binary_formats_are_detected_from_content_not_the_extension(tmp_path, maker, fmt):
    made = maker(tmp_path / f"real.{fmt}")
    disguised = tmp_path / "book.txt"
    disguised.write_bytes(made.read_bytes())
    assert file_format(disguised) == fmt
    assert "Старый маяк стоит на мысе." in texts(read_paragraphs(disguised))


@pytest.mark.parametrize("maker, fmt", [
    (lambda p: docmaker.make_subtitles(p, RU), "subtitles"),
    (lambda p: docmaker.make_subtitles(p, RU, vtt=True), "subtitles"),
    (lambda p: docmaker.make_html(p, RU), "telegram_html"),
])
def test_text_formats_are_detected_without_extension(tmp_path, maker, fmt):
    path = maker(tmp_path / "noext")
    assert detect_format(path.read_text(encoding="utf-8"), path) == fmt


def test_markdown_is_detected_by_extension_or_markup(tmp_path):
    text = "# Маяк\n\nСтарый [маяк](http://x) стоит.\n\n## Смотритель\n\n- Иван\n"
    assert detect_format(text, tmp_path / "notes") == "markdown"
    assert detect_format("Просто текст.\n#UN новости\n", tmp_path / "notes") == "dump"
    assert detect_format("Просто текст.\n", tmp_path / "notes.md") == "markdown"


def test_other_zip_and_opendocument_kinds_are_refused(tmp_path):
    plain_zip = tmp_path / "files.zip"
    with zipfile.ZipFile(plain_zip, "w") as zf:
        zf.writestr("a.txt", "hello")
    with pytest.raises(InputError, match="ZIP archive but not a DOCX"):
        read_paragraphs(plain_zip)
    sheet = tmp_path / "sheet.ods"
    with zipfile.ZipFile(sheet, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<x/>")
    with pytest.raises(InputError, match="spreadsheet"):
        read_paragraphs(sheet)


# ------------------------------------------------------------------ DOCX


def test_docx_reads_body_order_tables_cell_by_cell_and_footnotes_last(tmp_path):
    path = docmaker.make_docx(tmp_path / "a.docx", RU, table=[["один", "два"], ["три", "четыре"]],
                              footnotes=["Сноска о маяке."])
    paras = read_paragraphs(path)
    assert texts(paras) == ["Маяк на мысе", "Старый маяк стоит на мысе.", "Смотрителя зовут Иван.",
                            "один", "два", "три", "четыре", "Сноска о маяке."]
    assert [p.role for p in paras] == ["heading", "text", "text", "cell", "cell", "cell", "cell", "footnote"]
    assert [p.source.line_start for p in paras] == list(range(1, 9))


def test_docx_merged_cell_is_read_once(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "слитая"
    table.cell(0, 2).text = "отдельная"
    document.save(str(tmp_path / "m.docx"))
    assert texts(read_paragraphs(tmp_path / "m.docx")) == ["слитая", "отдельная"]


def test_empty_docx_is_an_input_error(tmp_path):
    path = docmaker.make_docx(tmp_path / "empty.docx", [])
    with pytest.raises(InputError, match="no text"):
        read_paragraphs(path)


# ------------------------------------------------------------------ ODT


def test_odt_reads_headings_lists_tables_and_footnotes_last(tmp_path):
    path = docmaker.make_odt(tmp_path / "a.odt", RU, footnote="Сноска о маяке.", items=["пункт"],
                             cells=["ячейка1", "ячейка2"])
    paras = read_paragraphs(path)
    assert texts(paras) == ["Маяк на мысе", "Старый маяк стоит на мысе.", "Смотрителя зовут Иван.",
                            "пункт", "ячейка1", "ячейка2", "Сноска о маяке."]
    assert [p.role for p in paras] == ["heading", "text", "text", "item", "cell", "cell", "footnote"]


# ------------------------------------------------------------------ EPUB


def test_epub_reads_spine_chapters_and_skips_nav_and_copyright(tmp_path):
    second = [("Глава вторая", "heading"), ("Вторая глава начинается.", "text")]
    path = docmaker.make_epub(tmp_path / "a.epub", [RU, second])
    paras = read_paragraphs(path)
    assert texts(paras) == texts_of(RU) + texts_of(second)
    assert [p.source.chapter for p in paras] == [1, 1, 1, 2, 2]
    assert {p.source.unit for p in paras} == {"ch1", "ch2"}
    assert paras[0].role == "heading" and paras[3].role == "heading"
    assert not any("rights reserved" in t or "Chapter 1" == t for t in texts(paras))


def texts_of(blocks) -> list[str]:
    return [t for t, _ in blocks]


# ------------------------------------------------------------------ PDF


def test_pdf_joins_lines_into_paragraphs_and_drops_headers_and_page_numbers(tmp_path):
    long_ru = ("Старый маяк стоит на мысе Северном уже больше ста лет, и каждый вечер смотритель поднимается "
               "по винтовой лестнице, чтобы проверить лампу и записать погоду в журнал.")
    pages = [[("Маяк на мысе", "heading"), (long_ru, "text"), ("Короткий абзац.", "text")],
             [("Вторая страница начинается здесь.", "text")],
             [("Третья страница тоже с текстом.", "text")]]
    path = docmaker.make_pdf(tmp_path / "a.pdf", pages, header="Путеводитель по маякам")
    paras = read_paragraphs(path)
    assert texts(paras) == ["Маяк на мысе", long_ru, "Короткий абзац.", "Вторая страница начинается здесь.",
                            "Третья страница тоже с текстом."]
    assert [p.source.page for p in paras] == [1, 1, 1, 2, 3]


@pytest.mark.parametrize("head, line, words, joined", [
    ("Смотритель живёт на ма-", "яке сорок лет.", {}, "Смотритель живёт на маяке сорок лет."),
    ("The keeper climbs the light-", "house stairs.", {}, "The keeper climbs the lighthouse stairs."),
    ("a well-", "known story", {"well-known": 2}, "a well-known story"),
    ("a well-", "known story", {"well-known": 1, "wellknown": 1}, "a wellknown story"),
    ("мягкий пере\u00ad", "нос строки", {}, "мягкий перенос строки"),
])
def test_dehyphenate(head, line, words, joined):
    from collections import Counter

    from aligner.readers.pdf import dehyphenate

    assert dehyphenate(head, line, Counter(words)) == joined


def test_pdf_hyphenated_line_ends_are_joined(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("body", "", docmaker.cyrillic_font())
    pdf.set_font("body", size=12)
    pdf.add_page()
    for line in ["Смотритель каждый вечер поднимается на ма-", "як и проверяет лампу. The keeper climbs",
                 "the spiral stair-", "case every evening."]:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "h.pdf"))
    assert texts(read_paragraphs(tmp_path / "h.pdf")) == [
        "Смотритель каждый вечер поднимается на маяк и проверяет лампу. The keeper climbs the spiral staircase "
        "every evening."]


def test_scanned_pdf_without_text_layer_is_refused(tmp_path):
    path = docmaker.make_blank_pdf(tmp_path / "scan.pdf")
    with pytest.raises(InputError, match="without a text layer.*OCR"):
        read_paragraphs(path)


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%garbage", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"])
def test_damaged_pdf_is_an_input_error(tmp_path, data):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError):
        read_paragraphs(path)


# ------------------------------------------------------------------ HTML articles


def test_html_article_keeps_main_text_headings_and_items(tmp_path):
    path = docmaker.make_html(tmp_path / "a.html", RU)
    paras = read_paragraphs(path)
    assert texts(paras) == texts_of(RU)
    assert paras[0].role == "heading"


def test_html_without_article_drops_menus_by_class_and_keeps_list_items(tmp_path):
    path = tmp_path / "b.html"
    path.write_text("<html><body><div class='top-menu'><a>Главная</a> <a>Новости</a></div>"
                    "<div id='content'><h2>Маяк</h2><p>Первый <b>абзац</b>.</p><ul><li>пункт один</li>"
                    "<li>пункт два</li></ul><div>Свободный текст<br>на двух строках</div></div>"
                    "<div class='site-footer'>© 2026</div></body></html>", encoding="utf-8")
    paras = read_paragraphs(path)
    assert texts(paras) == ["Маяк", "Первый абзац.", "пункт один", "пункт два", "Свободный текст", "на двух строках"]
    assert [p.role for p in paras[:4]] == ["heading", "text", "item", "item"]


# ------------------------------------------------------------------ subtitles


def test_srt_cues_are_joined_into_sentences_with_their_times(tmp_path):
    path = tmp_path / "a.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,500\n<i>Старый маяк</i>\nстоит на мысе.\n\n"
                    "2\n00:00:04,000 --> 00:00:06,000\nЕму больше ста\n\n"
                    "3\n00:00:06,500 --> 00:01:08,250\nлет.\n", encoding="utf-8")
    paras = read_paragraphs(path)
    assert texts(paras) == ["Старый маяк стоит на мысе.", "Ему больше ста лет."]
    assert [(p.source.time_start, p.source.time_end) for p in paras] == [
        ("00:00:01.000", "00:00:03.500"), ("00:00:04.000", "00:01:08.250")]
    assert [(p.source.line_start, p.source.line_end) for p in paras] == [(3, 4), (8, 12)]


def test_webvtt_skips_notes_and_styles_and_strips_voice_tags(tmp_path):
    path = tmp_path / "a.vtt"
    path.write_text("WEBVTT\n\nNOTE written by hand\nnot a cue\n\nSTYLE\n::cue { color: red }\n\n"
                    "intro\n00:01.000 --> 00:03.000 align:start\n<v Ivan>Hello there.</v>\n", encoding="utf-8")
    paras = read_paragraphs(path)
    assert texts(paras) == ["Hello there."]
    assert (paras[0].source.time_start, paras[0].source.time_end) == ("00:00:01.000", "00:00:03.000")


def test_subtitle_abbreviation_at_cue_end_does_not_break_the_sentence(tmp_path):
    path = tmp_path / "a.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nЕго построили в 1887 г.\n\n"
                    "2\n00:00:02,000 --> 00:00:03,000\nпо проекту инженера.\n", encoding="utf-8")
    assert texts(read_paragraphs(path)) == ["Его построили в 1887 г. по проекту инженера."]


def _srt(cues: list[str]) -> str:
    return docmaker.subtitle_text(cues, every=2, length=2)


def test_unpunctuated_auto_captions_keep_a_paragraph_a_cue(tmp_path):
    # auto captions: no punctuation at all, every cue goes on in lower case
    cues = ["hurricane rosa is weakening as it moves", "over the cooler waters off the coast",
            "of mexico however rosa will bring", "flooding rains across northern mexico",
            "and the southwest us over the coming", "days rosa had winds of 85 mph",
            "a category 1 hurricane as of 5 am", "on sunday and was located 385 miles",
            "southwest of punta eugenia mexico", "rosa is expected to move north",
            "on sunday meanwhile a trough is", "beginning to take shape over the",
            "pacific ocean and move east toward", "the west coast of the us"]
    path = tmp_path / "auto.srt"
    path.write_text(_srt(cues), encoding="utf-8")
    paras = read_paragraphs(path)
    assert texts(paras) == cues  # no 12-cue groups: the pipeline joins them and cuts them by sense
    assert [(p.source.time_start, p.source.time_end) for p in paras[:2]] == [
        ("00:00:00.000", "00:00:02.000"), ("00:00:02.000", "00:00:04.000")]
    # lyrics (lines that open with capitals) stay in groups of MAX_CUES_PER_PARAGRAPH cues
    from aligner.readers.subtitles import MAX_CUES_PER_PARAGRAPH

    path.write_text(_srt([c.capitalize() for c in cues]), encoding="utf-8")
    assert len(read_paragraphs(path)) == -(-len(cues) // MAX_CUES_PER_PARAGRAPH)
    # a short file (fewer cues than a group) stays one paragraph, as the run-on pass wants it
    path.write_text(_srt(cues[:5]), encoding="utf-8")
    assert texts(read_paragraphs(path)) == [" ".join(cues[:5])]


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(["1", "00:00:01,000 --> 00:00:02,000", "WEBVTT", "NOTE", "", "<i>",
                                           "00:01.000 --> 00:02.000", "Привет.", "-->", "{\\an8}"]),
                          st.text(max_size=20)), max_size=40))
def test_random_subtitles_give_paragraphs_or_an_input_error(tmp_path, lines):
    path = tmp_path / "x.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\n" + "\n".join(lines), encoding="utf-8",
                    errors="surrogatepass")
    try:
        paras = read_paragraphs(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert all(p.text.strip() and "\n" not in p.text for p in paras)


# ------------------------------------------------------------------ Markdown


def test_markdown_drops_markup_and_code_and_keeps_lines(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: x\n---\n# Маяк на **мысе**\n\nСтарый маяк [стоит](http://x) на мысе\nуже сто лет.\n\n"
                    "- пункт *один*\n- пункт два\n\n```\ncode()\n```\n", encoding="utf-8")
    paras = read_paragraphs(path)
    assert texts(paras) == ["Маяк на мысе", "Старый маяк стоит на мысе уже сто лет.", "пункт один", "пункт два"]
    assert [p.role for p in paras] == ["heading", "text", "item", "item"]
    assert [(p.source.line_start, p.source.line_end) for p in paras] == [(4, 4), (6, 7), (9, 9), (10, 10)]


# ------------------------------------------------------------------ two-file documents


def test_read_document_gives_one_line_per_paragraph_with_its_source(tmp_path):
    doc = read_document(docmaker.make_docx(tmp_path / "a.docx", RU))
    assert doc.text.split("\n") == texts_of(RU)
    assert [s.line_start for s in doc.sources] == [1, 2, 3]


def test_read_document_keeps_plain_text_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Первая строка.\n\nТретья строка.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == "Первая строка.\n\nТретья строка.\n" and doc.format == "dump"
    assert doc.sources[2].line_start == 3


def test_text_document_reads_a_string_as_a_plain_text_file(tmp_path):
    written = "Первая\u00a0строка.\r\n\r\nТретья строка \ud800.\n"
    doc = text_document(written, "ru_text")
    path = tmp_path / "a.txt"
    path.write_text(written.replace("\ud800", "\ufffd"), encoding="utf-8", newline="")
    assert doc == replace(read_document(path), sources=doc.sources)  # same text, written form and format
    assert doc.text == "Первая строка.\n\nТретья строка \ufffd.\n" and doc.format == "dump"
    assert doc.written == "Первая\u00a0строка.\r\n\r\nТретья строка \ufffd.\n"
    assert [(s.file, s.line_start, s.line_end) for s in doc.sources[:3]] == [("ru_text", n, n) for n in (1, 2, 3)]
    assert text_document("Plain.", "en_text").written is None  # nothing normalised away


# ------------------------------------------------------------------ hostile archives


def _zip_bomb_entry(path, mb: int) -> None:
    """Add ``mb`` MB of zeros (a few KB compressed) to a ZIP document."""
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/media/bomb.bin", "w") as fh:
            chunk = bytes(1024 * 1024)
            for _ in range(mb):
                fh.write(chunk)


@pytest.mark.parametrize("maker", [
    lambda p: docmaker.make_docx(p.with_suffix(".docx"), RU),
    lambda p: docmaker.make_odt(p.with_suffix(".odt"), RU),
    lambda p: docmaker.make_epub(p.with_suffix(".epub"), [RU]),
])
def test_zip_bomb_is_refused_before_the_library_unpacks_it(tmp_path, monkeypatch, maker):
    path = maker(tmp_path / "bomb")
    _zip_bomb_entry(path, 12)
    assert path.stat().st_size < 200_000  # 12 MB of zeros in a few KB
    monkeypatch.setattr(limits, "MAX_ZIP_UNCOMPRESSED_BYTES", 8 * 1024 * 1024)
    monkeypatch.setattr("docx.Document", lambda *a, **k: pytest.fail("python-docx opened a zip bomb"))
    monkeypatch.setattr("ebooklib.epub.read_epub", lambda *a, **k: pytest.fail("ebooklib opened a zip bomb"))
    with pytest.raises(InputError, match="unpacks to 1[23] MB.*zip bomb"):
        read_paragraphs(path)


def test_real_zip_bomb_over_the_default_cap(tmp_path):
    """No monkeypatching: 300 MB of zeros in a ~300 KB DOCX stops at the default cap."""
    path = docmaker.make_docx(tmp_path / "bomb.docx", RU)
    _zip_bomb_entry(path, 300)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(InputError, match="zip bomb"):
        read_paragraphs(path)


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    path = docmaker.make_docx(tmp_path / "many.docx", RU)
    with zipfile.ZipFile(path, "a") as zf:
        for n in range(30):
            zf.writestr(f"customXml/item{n}.bin", b"x")
    monkeypatch.setattr(limits, "MAX_ZIP_ENTRIES", 20)
    with pytest.raises(InputError, match="archive of .* files, more than the limit of 20"):
        read_paragraphs(path)


_XXE = ('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")
_LAUGHS = ('<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
           '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>', "&d;")


def _docx_with_doctype(path, doctype, ref):
    docmaker.make_docx(path, RU)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document xmlns:w="{w}"><w:body><w:p><w:r>'
           f"<w:t>Секрет: {ref}</w:t></w:r></w:p></w:body></w:document>")
    docmaker.rewrite_zip(path, {"word/document.xml": xml.encode("utf-8")})
    return path


def _odt_with_doctype(path, doctype, ref):
    docmaker.make_odt(path, RU)
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content '
           'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
           f"<text:p>Секрет: {ref}</text:p></office:text></office:body></office:document-content>")
    docmaker.rewrite_zip(path, {"content.xml": xml.encode("utf-8")})
    return path


def _epub_with_doctype(path, doctype, ref):
    docmaker.make_epub(path, [RU])
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<html xmlns="http://www.w3.org/1999/xhtml"><body>'
           f"<p>Секрет: {ref}</p></body></html>")
    docmaker.rewrite_zip(path, {"EPUB/chapter1.xhtml": xml.encode("utf-8")})
    return path


@pytest.mark.parametrize("attack", [_XXE, _LAUGHS], ids=["xxe", "billion-laughs"])
@pytest.mark.parametrize("maker, suffix", [(_docx_with_doctype, ".docx"), (_odt_with_doctype, ".odt"),
                                           (_epub_with_doctype, ".epub")], ids=["docx", "odt", "epub"])
def test_entity_declarations_in_xml_parts_are_refused(tmp_path, maker, suffix, attack):
    path = maker(tmp_path / f"evil{suffix}", *attack)
    with pytest.raises(InputError, match="declares XML entities") as info:
        read_paragraphs(path)
    assert "root:" not in str(info.value)


def test_parse_xml_never_expands_or_fetches():
    from aligner.readers.container import parse_xml

    root = parse_xml(b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x>ok</x>', "p", "f")
    assert root.text == "ok"
    with pytest.raises(InputError, match="entities"):
        parse_xml(_XXE[0].encode() + b"<x>&xxe;</x>", "p", "f")


@FUZZ
@given(st.sampled_from([b"PK\x03\x04", b"%PDF-1.4\n", b"%PDF-"]), st.binary(max_size=3000))
def test_random_archives_and_pdfs_give_paragraphs_or_an_input_error(tmp_path, prefix, data):
    path = tmp_path / "x.bin"
    path.write_bytes(prefix + data)
    try:
        read_paragraphs(path)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)


@FUZZ
@given(st.lists(st.sampled_from(["word/document.xml", "mimetype", "content.xml", "META-INF/container.xml",
                                 "word/footnotes.xml", "EPUB/content.opf"]), min_size=1, max_size=4, unique=True),
       st.sampled_from([b"", b"<x/>", b"application/epub+zip", b"application/vnd.oasis.opendocument.text",
                        b"<w:document/>", b"\xff\xfe<", b"<?xml version='1.0'?><a><b>"]))
def test_archives_with_wrong_parts_give_paragraphs_or_an_input_error(tmp_path, names, data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, data)
    path = tmp_path / "x.docx"
    path.write_bytes(buf.getvalue())
    try:
        read_paragraphs(path)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)


_LETTERS = st.text(st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcdefghijklmnopqrstuvwxyz"), min_size=1,
                   max_size=12)


@FUZZ
@given(_LETTERS, _LETTERS, st.sampled_from(["-", "\u00ad"]))
def test_dehyphenate_joins_any_word_broken_at_a_line_end(head, tail, hyphen):
    from collections import Counter

    from aligner.readers.pdf import dehyphenate

    assert dehyphenate(f"Слово {head}{hyphen}", f"{tail} дальше.", Counter()) == f"Слово {head}{tail} дальше."


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(["# ", "## ", "- ", "* ", "1. ", "> ", "```", "---", "| a | b |",
                                           "|---|---|", "**", "[x](y)", "<div>", "\n", "\n\n", "    "]),
                          st.text(max_size=15)), max_size=50))
def test_random_markdown_gives_paragraphs_or_an_input_error(tmp_path, bits):
    path = tmp_path / "x.md"
    path.write_text("".join(bits), encoding="utf-8", errors="surrogatepass")
    try:
        paras = read_paragraphs(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert all(p.text.strip() and p.source.line_start >= 1 for p in paras)


def test_html_wrapper_named_like_navigation_is_kept_when_it_holds_the_text(tmp_path):
    path = tmp_path / "c.html"
    path.write_text("<html><body><div class='nav-and-content'><ul class='menu'><li>Главная</li></ul>"
                    "<p>Старый маяк стоит на мысе Северном уже больше ста лет.</p></div></body></html>",
                    encoding="utf-8")
    assert texts(read_paragraphs(path)) == ["Старый маяк стоит на мысе Северном уже больше ста лет."]
