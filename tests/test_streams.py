"""``-`` for stdin and stdout: the pieces the CLI uses (the CLI itself: tests/e2e/test_translator_conventions_e2e.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from aligner import limits
from aligner.errors import AlignerError, InputError
from aligner.model import AlignmentResult, Bead, Dropped, Source
from aligner.streams import STDIN_NAME, check_stdout_format, rename_stdin, stdin_as_file, stdout_text


class Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


def test_no_dash_passes_inputs_through():
    with stdin_as_file(["a.txt", "b.txt"], io.BytesIO(b"unused")) as (paths, copy):
        assert paths == ["a.txt", "b.txt"] and copy is None


def test_stdin_is_copied_for_the_readers_and_removed_after():
    with stdin_as_file(["-", "en.txt"], io.BytesIO(b"\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82")) as (paths, copy):
        assert paths[0] == copy and paths[1] == "en.txt"
        assert Path(copy).read_text(encoding="utf-8") == "Привет"
    assert not Path(copy).exists() and not Path(copy).parent.exists()


def test_errors_inside_name_stdin_not_the_copy():
    with pytest.raises(InputError) as err:
        with stdin_as_file(["-"], io.BytesIO(b"x")) as (paths, copy):
            raise InputError(f"{paths[0]} is empty; give a file with text to align")
    assert str(err.value) == f"{STDIN_NAME} is empty; give a file with text to align"


def test_a_terminal_on_stdin_is_refused_before_reading():
    with pytest.raises(InputError, match="nothing is piped in"):
        with stdin_as_file(["-"], Terminal(b"")):
            pass


def test_a_closed_stdin_is_refused_and_only_touched_for_a_dash():
    with stdin_as_file(["a.txt"], None) as (paths, copy):
        assert paths == ["a.txt"] and copy is None
    with pytest.raises(InputError, match="stdin is closed"):
        with stdin_as_file(["-"], None):
            pass


def test_the_bytes_under_a_text_stdin_are_read():
    text_stdin = io.TextIOWrapper(io.BytesIO("Привет".encode("cp1251")), encoding="utf-8")
    with stdin_as_file(["-"], text_stdin) as (paths, copy):
        assert Path(copy).read_bytes() == "Привет".encode("cp1251")  # the readers detect the encoding


def test_stdin_over_the_input_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 10)
    with pytest.raises(InputError, match="split the input"):
        with stdin_as_file(["-"], io.BytesIO(b"x" * 11)):
            pass


def test_rename_reaches_provenance_warnings_and_dropped_items():
    copy = "/tmp/aligner-stdin-xyz/stdin"
    bead = Bead((0,), (0,), "Да.", "Yes.", 0.9, provenance={"doc": f"{copy}#p1", "ru_file": copy, "en_file": "en.txt"})
    result = AlignmentResult(beads=[bead], warnings=[f"sentence counts differ hugely in {copy}"],
                             dropped=[Dropped("noise", "x", bead=bead, source=Source(file=copy))])
    rename_stdin(result, copy)
    assert result.beads[0].provenance == {"doc": "<stdin>#p1", "ru_file": "<stdin>", "en_file": "en.txt"}
    assert result.warnings == ["sentence counts differ hugely in <stdin>"]
    assert result.dropped[0].source.file == "<stdin>" and result.dropped[0].bead.provenance["ru_file"] == "<stdin>"


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "tmx"])
def test_text_formats_may_go_to_stdout(fmt):
    assert check_stdout_format(fmt, split=False) == fmt


@pytest.mark.parametrize("fmt,split", [(None, False), ("moses", False), ("xlsx", False), ("tsv", True)])
def test_other_requests_for_stdout_are_refused(fmt, split):
    with pytest.raises(AlignerError, match="stdout"):
        check_stdout_format(fmt, split=split)


def test_stdout_text_writes_utf8_bytes_and_leaves_the_stream_open():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")  # a locale that cannot say "Привет"
    stream.write("before\n")
    with stdout_text(stream) as fh:
        fh.write("Привет\r\n")
    stream.write("after")
    stream.flush()
    assert raw.getvalue() == "before\nПривет\r\nafter".encode("utf-8")


def test_rename_keeps_dropped_beads_those_of_all_beads():
    """``with_dropped`` (the JSONL) and the report find a dropped bead in ``all_beads`` by identity:
    renamed on one side only, a run with a dropped bead failed (StopIteration) writing JSONL."""
    from aligner.pipeline import with_dropped

    copy = "/tmp/aligner-stdin-xyz/stdin"
    prov = {"doc": f"{copy}#p1", "pair": "0"}
    kept = Bead((0,), (0,), "Да.", "Yes.", 0.9, provenance=dict(prov))
    crossing = Bead((1,), (3,), "Нет.", "No.", 0.2, {"crossing": 1.0}, provenance=dict(prov))
    null = Bead((), (1,), "", "Maybe.", 0.0, provenance=dict(prov))
    result = AlignmentResult(beads=[kept], all_beads=[kept, crossing, null],
                             dropped=[Dropped("score", "x", bead=crossing), Dropped("unaligned", "y", bead=null)])
    rename_stdin(result, copy)
    out = with_dropped(result)
    assert [b.ru_ids for b in out] == [(0,), (1,), ()]
    assert [b.provenance.get("dropped") for b in out] == [None, "score", "unaligned"]
    assert all(b.provenance["doc"] == "<stdin>#p1" for b in out)
