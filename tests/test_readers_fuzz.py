"""Fuzzing every reader through ``read_paragraphs`` (issue 8, point 5).

Whatever the bytes, a reader returns paragraphs or raises ``InputError``
(exit 2 with one line); any other exception would be an internal error. The
plain dump reader also keeps every non-empty line, once and in order.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.errors import InputError
from aligner.model import Paragraph
from aligner.readers import detect_format, read_paragraphs
from aligner.readers.dump import read as read_dump

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_PREFIXES = [b"", b"{", b'{"messages": [', b"<html><body>", b"%PDF-1.4", b"\xef\xbb\xbf", b"\xff\xfe", b"[[[["]


def _read_or_input_error(path) -> list[Paragraph] | None:
    try:
        out = read_paragraphs(path)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None
    assert all(isinstance(p, Paragraph) and p.text.strip() for p in out)
    return out


@FUZZ
@given(st.sampled_from(_PREFIXES), st.binary(max_size=2000), st.sampled_from(["x.txt", "result.json", "page.html", "x"]))
def test_any_bytes_give_paragraphs_or_an_input_error(tmp_path, prefix, data, name):
    path = tmp_path / name
    path.write_bytes(prefix + data)
    _read_or_input_error(path)


_TG_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_JSONISH = st.recursive(st.none() | st.integers() | _TG_TEXT,
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                            st.sampled_from(["messages", "text", "type", "id", "chats", "list", "x"]), inner,
                            max_size=4),
                        max_leaves=15)


@FUZZ
@given(_JSONISH)
def test_any_json_gives_paragraphs_or_an_input_error(tmp_path, value):
    """Telegram-shaped JSON with wrong types anywhere (messages: 5, text: {...}) never crashes the reader."""
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"messages": value} if not isinstance(value, dict) else value), encoding="utf-8")
    _read_or_input_error(path)


@FUZZ
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_detect_format_is_total(text):
    try:
        assert detect_format(text, "x.txt") in {"telegram_json", "telegram_html", "dump"}
    except InputError:
        pass


_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=50)


@FUZZ
@given(st.lists(_LINE, max_size=30))
def test_dump_keeps_every_nonempty_line_once_in_order(lines):
    paragraphs = read_dump("d.txt", "\n".join(lines))
    expected = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    assert [(p.source.line_start, p.text) for p in paragraphs] == expected
    assert all(p.source.line_end == p.source.line_start and p.source.unit for p in paragraphs)
