"""Encoding detection and normalisation: real Russian text in every common encoding."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.errors import InputError
from aligner.readers.encoding import decode, normalise, plausibility

RU_TEXTS = [
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "В понедельник Сара Даниус публично заявила, что комитет прекращает попытки связаться с Бобом Диланом.",
    "Мама мыла раму. Папа читал газету.",
    "Глава 1\n\nОн вошёл в комнату и сел у окна. Было тихо.",
    "ЭТО ТЕКСТ ЗАГЛАВНЫМИ БУКВАМИ, КАК В ТЕЛЕГРАММЕ.",
    "Жили-были дед да баба. Была у них курочка Ряба.",
    "Объявление: учёные нашли перья динозавра в янтаре!",
    "Хорошо, что вы пришли. Ёлка уже стоит.",
    "Цены выросли на 5%. Эксперты ждут снижения в 2024 году.",
    "Привет, мир! Hello, world! Это смешанный текст.",
]
SINGLE_BYTE = ["cp1251", "koi8_r", "cp866", "mac_cyrillic"]


@pytest.mark.parametrize("encoding", SINGLE_BYTE)
@pytest.mark.parametrize("text", RU_TEXTS, ids=range(len(RU_TEXTS)))
def test_cyrillic_code_pages(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("text", RU_TEXTS[:4], ids=range(4))
def test_iso8859_5(text: str) -> None:
    assert decode(text.encode("iso8859_5")) == text


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", codecs.BOM_UTF32_LE),
    ],
)
@pytest.mark.parametrize(
    "text", RU_TEXTS[:3] + ["Plain ASCII text only."], ids=range(4)
)
def test_unicode_encodings_and_boms(text: str, encoding: str, bom: bytes) -> None:
    assert decode(bom + text.encode(encoding)) == text


def test_utf16_with_bom_via_python_codec() -> None:
    assert decode("Привет, мир!".encode("utf-16")) == "Привет, мир!"


def test_western_code_page() -> None:
    assert (
        decode("Café crème brûlée, naïve façade.".encode("cp1252"))
        == "Café crème brûlée, naïve façade."
    )


def test_long_cp1251_file() -> None:
    text = "\n".join(RU_TEXTS * 300)
    assert decode(text.encode("cp1251")) == text


def test_truncated_utf8_tail_is_dropped() -> None:
    data = "Привет, мир".encode()[:-1]
    assert decode(data) == "Привет, ми"


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("нераз\u00adрывный", "неразрывный"),
        ("10\u00a0000\u202fруб.", "10 000 руб."),
        ("a\u2009b\u3000c", "a b c"),
        ("zero\u200bwidth\u200c\u200djoin\u2060er\ufeff", "zerowidthjoiner"),
        ("e\u0301", "é"),  # NFC
        ("И\u0306", "Й"),
        ("line\u2028sep", "line\nsep"),
        ("tab\tkept", "tab\tkept"),
        ("eof\x1a", "eof"),
    ],
)
def test_normalise(raw: str, clean: str) -> None:
    assert normalise(raw) == clean
    assert decode(raw.encode("utf-8")) == clean


@pytest.mark.parametrize(
    "data, words",
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office"),
        (b"text with a \x00 NUL byte in it and more", "NUL"),
        (bytes(range(1, 32)) * 20, "control"),
    ],
)
def test_binary_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        decode(data)


def test_undetectable_encoding_is_refused() -> None:
    junk = bytes(range(0x80, 0x100)) * 4
    with pytest.raises(InputError, match="encoding|binary"):
        decode(junk)


def test_empty() -> None:
    assert decode(b"") == ""


def test_plausibility_prefers_right_reading() -> None:
    text = "Съешь же ещё этих мягких французских булок."
    data = text.encode("koi8_r")
    assert plausibility(data.decode("koi8_r")) > plausibility(data.decode("cp1251"))


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), min_codepoint=1, max_codepoint=0x2FFFF),
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(
    text=_TEXT,
    encoding=st.sampled_from(
        ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]
    ),
)
def test_unicode_round_trip(text: str, encoding: str) -> None:
    """Any text written as UTF-8 or UTF-16 (BOM-less UTF-16 only when detectable) reads back normalised."""
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = (
            codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        ) + data
    try:
        out = decode(data)
    except InputError:
        # only text full of control characters may be refused as binary
        controls = sum(1 for c in text if ord(c) < 0x20 and c not in "\t\n\r\f\v")
        assert controls >= 8 and controls / len(text) > 0.01
        return
    assert out == normalise(text)


@settings(max_examples=100, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(RU_TEXTS[0].split() + RU_TEXTS[1].split()),
        min_size=6,
        max_size=30,
    )
)
def test_cyrillic_round_trip(words: list[str]) -> None:
    """Russian sentences of six words or more come back from Windows-1251 and KOI8-R."""
    text = " ".join(words)
    assert decode(text.encode("cp1251")) == text
    assert decode(text.encode("koi8_r")) == text


# ------------------------------------------------------------ as written

from aligner.readers.encoding import _map_pieces, as_written, decode_as_written  # noqa: E402


def test_as_written_quotes_the_original() -> None:
    original = "Днем\u200b\u200b в Холиоке\u00a0встреча.\r\nВторая стро\u00adка. И\u0306ошкар-Ола.\x1a"
    pieces = ["Днем в Холиоке встреча.", "Вторая строка.", "Йошкар-Ола."]
    assert normalise(original) == "Днем в Холиоке встреча.\nВторая строка. Йошкар-Ола."
    assert as_written(original, pieces) == [
        "Днем\u200b\u200b в Холиоке\u00a0встреча.",
        "Вторая стро\u00adка.",
        "И\u0306ошкар-Ола.",  # decomposed as written; the DOS end-of-file mark left out
    ]


def test_as_written_quotes_a_sentence_over_a_line_break_on_one_line() -> None:
    # a wrapped text's sentence is its lines joined by a space (pipeline.sentences_from_text)
    original = "Днем\u200b в Холиоке она\nпровела встречу.\r\nВторая\u00a0строка."
    pieces = ["Днем в Холиоке она провела встречу.", "Вторая строка."]
    assert as_written(original, pieces) == ["Днем\u200b в Холиоке она провела встречу.", "Вторая\u00a0строка."]


def test_as_written_keeps_pieces_it_cannot_find() -> None:
    # out of order or changed pieces stay as they are; plain text is its own original
    assert as_written("Один. Два.", ["Два.", "Один.", "Три."]) == ["Два.", "Один.", "Три."]
    assert as_written("Один. Два.", ["Один.", "Два."]) == ["Один.", "Два."]


def test_decode_as_written_keeps_what_normalise_changes() -> None:
    raw = "a\u00a0b\u200bc\r\n"
    assert decode_as_written(raw.encode("utf-8")) == raw
    assert decode_as_written(codecs.BOM_UTF8 + raw.encode("utf-8")) == raw  # without the BOM
    assert decode(raw.encode("utf-8")) == normalise(raw)


_CHARS = st.sampled_from(list("аб Ё.\n\t") + ["\u00a0", "\u200b", "\u00ad", "\r\n", "\r", "\x1a", "и\u0306", "e\u0301", "\u2028"])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_CHARS, max_size=40), cuts=st.lists(st.integers(0, 60), max_size=6))
def test_as_written_normalises_back_to_each_piece(parts: list[str], cuts: list[int]) -> None:
    original = "".join(parts)
    norm = normalise(original)
    bounds = sorted({min(c, len(norm)) for c in cuts} | {0, len(norm)})
    pieces = [norm[a:b].strip() for a, b in zip(bounds, bounds[1:]) if norm[a:b].strip()]
    written = as_written(original, pieces)
    assert len(written) == len(pieces)
    for piece, w in zip(pieces, written):
        assert normalise(w) == piece
        assert not any(unicodedata.category(c) == "Cc" and c != "\t" for c in w) or w == piece


_PLAIN = st.sampled_from(list("аб Ё.\n\tx") + ["\x85", "\x7f", "\x1b"])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_PLAIN, max_size=40), cuts=st.lists(st.integers(0, 60), max_size=6))
def test_as_written_of_text_normalise_keeps_is_what_the_map_gives(parts: list[str], cuts: list[int]) -> None:
    original = "".join(parts)
    if normalise(original) != original:
        return
    bounds = sorted({min(c, len(original)) for c in cuts} | {0, len(original)})
    pieces = [original[a:b].strip() for a, b in zip(bounds, bounds[1:]) if original[a:b].strip()]
    assert as_written(original, pieces) == _map_pieces(original, pieces) == pieces
    assert as_written(original, pieces[::-1] + ["нет"]) == _map_pieces(original, pieces[::-1] + ["нет"])


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=200))
def test_control_count_is_the_loop_over_characters(text: str) -> None:
    from aligner.readers.encoding import _CONTROL

    assert len(_CONTROL.findall(text)) == sum(1 for c in text if ord(c) < 0x20 and c not in "\t\n\r\f\v")


def _map_char_by_char(text: str):
    """_normalise_map's first step as a plain loop over the characters."""
    from aligner.readers.encoding import _TABLE

    out, starts, ends = [], [], []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\r":
            k = 2 if text.startswith("\r\n", i) else 1
            out.append("\n"), starts.append(i), ends.append(i + k)
            i += k
            continue
        m = _TABLE.get(ord(c), c)
        if m is not None:
            out.append(m), starts.append(i), ends.append(i + 1)
        i += 1
    return "".join(out), starts, ends


_MIXED = st.sampled_from(list("аб Ё.\n\tx-]^\\") + ["\u00a0", "\u200b", "\u00ad", "\r\n", "\r", "\x1a", "\x00", "\x0b",
                                                  "\u2028", "\x85", "\x9f", "\ufeff", "\u3000"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MIXED, max_size=60))
def test_normalise_map_in_runs_is_the_character_loop(parts: list[str]) -> None:
    from aligner.readers.encoding import _normalise_map

    text = "".join(parts)
    flat, starts, ends = _map_char_by_char(text)
    got = _normalise_map(text)
    if unicodedata.is_normalized("NFC", flat):
        assert got == (flat, starts, ends)


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=80))
def test_printable_drops_exactly_the_control_characters_but_tab(text: str) -> None:
    from aligner.readers.encoding import _printable

    assert _printable(text) == "".join(c for c in text if c == "\t" or unicodedata.category(c) != "Cc")


# How a file may write each character of the normalised text: (normalised, as written).
_WRITTEN_AS = st.sampled_from([("а", "а"), ("б", "б"), ("x", "x"), (".", "."), (" ", " "), (" ", "\u00a0"),
                               (" ", "\u2009"), ("й", "и\u0306"), ("й", "й"), ("é", "e\u0301"), ("\n", "\r\n"),
                               ("\n", "\r"), ("\n", "\u2028"), ("Å", "\u212b"), ("ё", "е\u0308")])
_INVISIBLE = st.sampled_from(["", "", "", "\u200b", "\u00ad", "\u2060", "\ufeff", "\x1a", "\u200e"])


@settings(max_examples=300, deadline=None)
@given(chars=st.lists(st.tuples(_INVISIBLE, _WRITTEN_AS, _INVISIBLE), max_size=30),
       cuts=st.lists(st.integers(0, 30), max_size=6), skip=st.lists(st.booleans(), max_size=8))
def test_as_written_gives_the_stretch_each_piece_came_from(chars, cuts, skip) -> None:
    # the original is built character by character, so where each normalised character came
    # from is known without the module's map: a piece is the written text from its first
    # character to its last, invisible characters inside it kept and those around it left out
    original, norm, span = "", "", []
    for before, (n, w), after in chars:
        original += before
        span.append((len(original), len(original) + len(w)))
        original += w + after
        norm += n
    if not chars or normalise(original) != norm:  # "\r" + "\n" written next to each other are one line break
        return
    # pieces as the pipeline makes them: sentences within a line (sentences_from_text)
    bounds = sorted({min(c, len(norm)) for c in cuts} | {0, len(norm)} | {k for k, c in enumerate(norm) if c == "\n"})
    pieces, want = [], []
    for a, b in zip(bounds, bounds[1:]):
        text = norm[a:b]
        lo, hi = a + len(text) - len(text.lstrip()), b - (len(text) - len(text.rstrip()))
        if lo < hi:
            pieces.append(norm[lo:hi])
            want.append(original[span[lo][0] : span[hi - 1][1]].replace("\x1a", ""))
    assert as_written(original, pieces) == want
    # with some sentences left out a later piece may be found earlier on (the same words twice):
    # it is still written as the text writes it
    keep = [k for k in range(len(pieces)) if k >= len(skip) or not skip[k]]
    assert [normalise(w) for w in as_written(original, [pieces[k] for k in keep])] == [pieces[k] for k in keep]
