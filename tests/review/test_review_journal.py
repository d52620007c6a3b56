"""The journal: durable appends, replay with undo history, torn last lines, the lock, never touching the input."""

from __future__ import annotations

import json

import pytest

from aligner.review.document import read_alignment
from aligner.review.edits import EditError
from aligner.review.journal import Journal, JournalError, journal_path, load_state


def _open(path):
    doc = read_alignment(path)
    return doc, Journal.open(path, doc.initial)


def test_edits_survive_a_reopen_with_their_undo_history(lighthouse):
    before = lighthouse.read_bytes()
    doc, j = _open(lighthouse)
    j.append({"op": "merge", "i": 0})
    j.append({"op": "confirm", "i": 3})
    j.append({"op": "undo"})
    state = j.history.state
    j.close()
    _, j2 = _open(lighthouse)
    assert j2.history.state == state
    assert j2.history.can_undo and j2.history.can_redo
    j2.append({"op": "redo"})
    assert j2.history.state.beads[3].confirmed
    j2.close()
    assert lighthouse.read_bytes() == before  # the input is never written


def test_a_refused_edit_is_not_journalled(lighthouse):
    doc, j = _open(lighthouse)
    size = journal_path(lighthouse).stat().st_size
    with pytest.raises(EditError):
        j.append({"op": "merge", "i": len(doc.initial.beads) - 1})
    with pytest.raises(EditError):
        j.append({"op": "undo"})
    j.close()
    assert journal_path(lighthouse).stat().st_size == size


@pytest.mark.parametrize("torn", [b'{"op": "mer', b'{"op": "merge", "i": 2', b'\xff\xfe'])
def test_a_write_torn_by_a_crash_is_dropped_and_cut_off(lighthouse, torn):
    doc, j = _open(lighthouse)
    j.append({"op": "merge", "i": 0})
    expected = j.history.state
    j.close()
    path = journal_path(lighthouse)
    good = path.read_bytes()
    path.write_bytes(good + torn)  # the crash came mid-write
    _, j2 = _open(lighthouse)
    assert j2.history.state == expected and len(j2.history.ops) == 1
    assert path.read_bytes() == good  # cut back to the last whole line
    j2.append({"op": "confirm", "i": 0})
    j2.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x).get("op") for x in lines[1:]] == ["merge", "confirm"]


def test_a_complete_but_unparsable_last_line_counts_as_torn(lighthouse):
    doc, j = _open(lighthouse)
    j.close()
    path = journal_path(lighthouse)
    path.write_bytes(path.read_bytes() + b'{"op": "merge", "i"\n')
    _, j2 = _open(lighthouse)
    assert j2.history.ops == []
    j2.close()


def test_damage_in_the_middle_is_an_error_not_a_silent_loss(lighthouse):
    doc, j = _open(lighthouse)
    j.append({"op": "confirm", "i": 0})
    j.close()
    path = journal_path(lighthouse)
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([lines[0], b"garbage", lines[1], b""]))
    with pytest.raises(JournalError, match="line 2 is damaged"):
        _open(lighthouse)


def test_a_second_server_on_the_same_file_is_refused(lighthouse):
    doc, j = _open(lighthouse)
    try:
        with pytest.raises(JournalError, match="already open in another review server"):
            Journal.open(lighthouse, doc.initial)
    finally:
        j.close()
    Journal.open(lighthouse, doc.initial).close()  # free again once the first one closed


def test_a_journal_of_another_version_of_the_file_is_refused(lighthouse):
    doc, j = _open(lighthouse)
    j.close()
    lighthouse.write_text(lighthouse.read_text(encoding="utf-8").replace("Маяк", "Дом", 1), encoding="utf-8")
    with pytest.raises(JournalError, match="another version"):
        _open(lighthouse)
    with pytest.raises(JournalError, match="another version"):
        load_state(lighthouse, read_alignment(lighthouse).initial)


def test_load_state_reads_without_locking(lighthouse):
    doc, j = _open(lighthouse)
    j.append({"op": "merge", "i": 0})
    history = load_state(lighthouse, doc.initial)  # while the server holds the lock
    assert history.state == j.history.state
    j.close()
