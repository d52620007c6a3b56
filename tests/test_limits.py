"""aligner.limits: the helpers behind the documented limits (the CLI side is in test_bad_inputs.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner import limits
from aligner.errors import InputError

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet="[]{}\"\\,:ab ф"),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet="[]{}\"ab", max_size=3), inner,
                                                                max_size=3),
    max_leaves=20,
)


def _depth(x) -> int:
    if isinstance(x, list):
        return 1 + max(map(_depth, x), default=0)
    if isinstance(x, dict):
        return 1 + max(map(_depth, x.values()), default=0)
    return 0


@settings(max_examples=150, deadline=None)
@given(_JSON, st.booleans())
def test_json_depth_matches_the_parsed_depth(value, indent):
    """Brackets inside strings (escaped quotes included) never count."""
    text = json.dumps(value, ensure_ascii=False, indent=1 if indent else None)
    assert limits.json_depth(text) == _depth(value)


@pytest.mark.parametrize("text,depth", [
    ("", 0), ("1", 0), ("[]", 1), ("[[]]", 2), ('{"a": [{}]}', 3), ('"[[["', 0), ('["\\"]["]', 1),
    ("[" * 10 + '"unterminated', 10),
])
def test_json_depth_cases(text, depth):
    assert limits.json_depth(text) == depth


def test_check_json_depth_refuses_a_bomb():
    limits.check_json_depth("[" * limits.MAX_JSON_DEPTH + "]" * limits.MAX_JSON_DEPTH)
    with pytest.raises(InputError, match="nests JSON"):
        limits.check_json_depth("[" * (limits.MAX_JSON_DEPTH + 1))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("ab. !?…\n\t") + ["xyz", "Слово. ", "»", " "]), max_size=200).map("".join),
       st.integers(min_value=4, max_value=60))
def test_wrap_long_line_keeps_every_character_within_the_limit(line, limit):
    pieces = limits.wrap_long_line(line, limit)
    if len(line) <= limit:
        assert pieces == [line]
        return
    assert all(0 < len(p) <= limit for p in pieces)
    assert all(p == p.strip() for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(line.split())


def test_wrap_prefers_sentence_ends():
    line = "Первое предложение здесь. Второе предложение здесь. Третье предложение."
    assert limits.wrap_long_line(line, 55) == ["Первое предложение здесь. Второе предложение здесь.",
                                               "Третье предложение."]


@pytest.mark.parametrize("n,ok", [(limits.MAX_SENTENCES_PER_SIDE, True), (limits.MAX_SENTENCES_PER_SIDE + 1, False)])
def test_sentence_count_limit(n, ok):
    if ok:
        limits.check_sentence_count(n, "x.txt")
    else:
        with pytest.raises(InputError, match="split it"):
            limits.check_sentence_count(n, "x.txt")


@pytest.mark.parametrize("ru,en,warn", [(10, 10_000, True), (10_000, 10, True), (100, 150, False), (100, 250, True),
                                        (2, 15, False), (0, 0, False), (1, 40, True)])
def test_mismatch_warning(ru, en, warn):
    assert (limits.mismatch_warning(ru, en, "r", "e") is not None) == warn


def test_read_input_bytes(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_bytes(b"x" * 100)
    assert limits.read_input_bytes(f) == b"x" * 100
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 99)
    with pytest.raises(InputError, match="limit"):
        limits.read_input_bytes(f)
    with pytest.raises(InputError, match="not found"):
        limits.read_input_bytes(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="directory"):
        limits.read_input_bytes(tmp_path)
