"""Conventions of translators' tools, through the real CLI: the TMX source language and locale tags,
XLSX for review, ``-`` for stdin and ``-o -`` for stdout."""

from __future__ import annotations

from lxml import etree

from aligner.cli import main
from tests.conftest import CORPORA

RU, EN = str(CORPORA / "lighthouse_ru.txt"), str(CORPORA / "lighthouse_en.txt")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aligner: error: ") and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_source_en_makes_english_the_tm_source(tmp_path):
    ru_first, en_first = tmp_path / "ru.tmx", tmp_path / "en.tmx"
    assert main(["align", RU, EN, "-o", str(ru_first), "--deterministic", "-q"]) == 0
    assert main(["align", RU, EN, "-o", str(en_first), "--deterministic", "-q",
                 "--source", "en", "--en-locale", "en-US", "--ru-locale", "ru-RU"]) == 0
    a, b = etree.parse(str(ru_first)).getroot(), etree.parse(str(en_first)).getroot()
    assert a.find("header").get("srclang") == "ru" and b.find("header").get("srclang") == "en-US"
    a_tus, b_tus = a.find("body").findall("tu"), b.find("body").findall("tu")
    assert len(a_tus) == len(b_tus) == 18
    for x, y in zip(a_tus, b_tus):
        assert [t.get(XML_LANG) for t in x.findall("tuv")] == ["ru", "en"]
        assert [t.get(XML_LANG) for t in y.findall("tuv")] == ["en-US", "ru-RU"]
        # the same pair, the other way round
        assert [t.findtext("seg") for t in x.findall("tuv")] == [t.findtext("seg") for t in y.findall("tuv")][::-1]
        assert y.get("tuid") == x.get("tuid") and y.get("creationid") == "aligner"
        assert y.get("changedate") == "19700101T000000Z"
    assert a_tus[0].findall("tuv")[0].findtext("seg") == "Маяк на мысе Северном"


def test_a_locale_of_the_wrong_language_is_a_user_error(tmp_path, capsys):
    code = main(["align", RU, EN, "-o", str(tmp_path / "o.tmx"), "--en-locale", "de-DE"])
    one_line_error(code, capsys.readouterr().err, "de-DE", "en-US")
    assert not (tmp_path / "o.tmx").exists()
