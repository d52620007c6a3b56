"""Our TMX validates against the TMX 1.4b DTD (tests/data/tmx14.dtd)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from aligner.model import Bead
from aligner.writers.tmx import write_tmx

DTD_PATH = Path(__file__).parent / "data" / "tmx14.dtd"


@pytest.fixture(scope="module")
def dtd() -> etree.DTD:
    return etree.DTD(str(DTD_PATH))


def tmx_text(beads, meta=None) -> str:
    fh = io.StringIO()
    write_tmx(beads, fh, meta={"creationdate": 0, **(meta or {})})
    return fh.getvalue()


def parse(text: str) -> etree._ElementTree:
    return etree.parse(io.BytesIO(text.encode("utf-8")), etree.XMLParser(resolve_entities=False, no_network=True))


def assert_valid(dtd: etree.DTD, text: str) -> None:
    ok = dtd.validate(parse(text))
    assert ok, dtd.error_log.filter_from_errors()


HOSTILE = [
    Bead(
        (0,),
        (0,),
        "Цена: 5 < 7 & \"скидка\" '50%'",
        "Price: 5 < 7 & \"discount\" '50%'",
        0.97,
        {"sim": 0.9},
        {"doc": "a&b.txt", "ru_msg_id": "1", "date": "2024-05-09", "note": "<b>x</b>"},
    ),
    Bead(
        (1, 2),
        (1,),
        "Строка\x01с\x0bуправляющими\x1fсимволами\r\nи переводом",
        "Line\x00with\x7fcontrols\tand tab",
        0.5,
    ),
    Bead((3,), (), "Без пары", "", 0.0),
    Bead((4,), (2,), "]]> конец CDATA", "]]> end of CDATA", 0.8),
]


def test_hostile_text_validates(dtd):
    text = tmx_text(HOSTILE, {"encoder": "use", "thresholds": {"min_score": 0.5}, "keep_unaligned": "false"})
    assert_valid(dtd, text)
    assert len(parse(text).getroot().find("body")) == 3


def test_empty_corpus_validates(dtd):
    assert_valid(dtd, tmx_text([]))


def test_dtd_is_not_vacuous(dtd):
    """The DTD rejects a header without the required srclang and a tuv without xml:lang."""
    text = tmx_text(HOSTILE[:1])
    assert not dtd.validate(parse(text.replace(' srclang="ru"', "")))
    assert not dtd.validate(parse(text.replace(' xml:lang="en"', "", 1)))
    assert not dtd.validate(parse(text.replace('segtype="sentence"', 'segtype="word"')))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30), st.floats(0, 1)), max_size=5),
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=10), max_size=3),
)
def test_any_text_validates(dtd, rows, prov):
    beads = [Bead((i,), (i,), ru, en, score, provenance=prov) for i, (ru, en, score) in enumerate(rows)]
    assert_valid(dtd, tmx_text(beads, {"extra": "value"}))


@pytest.mark.parametrize("srclang,tgtlang", [("en", "ru"), ("en-US", "ru-RU"), ("ru-RU", "en-GB")])
def test_source_language_and_locales_validate(dtd, srclang, tgtlang):
    """--source en and regional tags keep the file valid; the history attributes are DTD attributes."""
    text = tmx_text(HOSTILE, {"srclang": srclang, "tgtlang": tgtlang, "creationid": 'me & "you"'})
    assert_valid(dtd, text)
    root = parse(text).getroot()
    assert root.find("header").get("srclang") == srclang
    for tu in root.find("body"):
        assert [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tu.findall("tuv")] == [srclang, tgtlang]
        assert tu.get("creationid") == 'me & "you"' and tu.get("changedate") == "19700101T000000Z"
    # The DTD does not know every attribute: a made-up one on <tu> is rejected.
    assert not dtd.validate(parse(text.replace(' changedate="19700101T000000Z">', ' x-made-up="1">', 1)))
