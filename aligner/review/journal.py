"""The review journal: every edit appended to ``ALIGNMENT.jsonl.review`` and fsync'd at once.

One JSON object per line. The first line names the journal and the SHA-256
of the alignment it belongs to; each later line is one edit record (see
``edits.apply``) or ``{"op": "undo"}`` / ``{"op": "redo"}``. Replaying the
lines rebuilds the state and the whole undo history, so closing the tab,
killing the server or a crash loses nothing. A last line cut short by a
crash is dropped (and cut off the file) on the next open. The input JSONL
is never written. While a server holds the journal it keeps an exclusive
lock on it, so a second server on the same file refuses to start.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import AlignerError
from aligner.review.edits import State, apply

MAGIC = "aligner-review"
VERSION = 1
HISTORY_OPS = ("undo", "redo")


class JournalError(AlignerError):
    """The journal cannot be used (locked, for another file, or damaged); the message says what to do."""


def journal_path(alignment: str | os.PathLike) -> Path:
    return Path(f"{alignment}.review")


def file_digest(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class History:
    """States reached so far and where we are among them: undo and redo without limit."""

    states: list[State]
    pos: int = 0
    ops: list[dict] = field(default_factory=list)  # every record replayed or appended, in order

    @property
    def state(self) -> State:
        return self.states[self.pos]

    @property
    def can_undo(self) -> bool:
        return self.pos > 0

    @property
    def can_redo(self) -> bool:
        return self.pos + 1 < len(self.states)

    def step(self, op: dict) -> State:
        """Apply one record; raises ``EditError`` (and changes nothing) when it does not apply."""
        name = op.get("op")
        if name == "undo":
            if not self.can_undo:
                from aligner.review.edits import EditError

                raise EditError("nothing to undo")
            self.pos -= 1
        elif name == "redo":
            if not self.can_redo:
                from aligner.review.edits import EditError

                raise EditError("nothing to redo")
            self.pos += 1
        else:
            new = apply(self.state, op)
            del self.states[self.pos + 1:]
            self.states.append(new)
            self.pos += 1
        self.ops.append(op)
        return self.state


def _parse(lines: list[bytes], path: Path) -> list[dict]:
    records = []
    for n, raw in enumerate(lines, 1):
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            record = None
        if not isinstance(record, dict):
            raise JournalError(f"{path} line {n} is damaged; move the file away to start the review over")
        records.append(record)
    return records


def read_journal(path: str | os.PathLike) -> tuple[dict | None, list[dict], int]:
    """The header, the edit records, and the byte length of the complete part of the file.

    A last line with no newline, or one that does not parse, is a write the
    crash cut short: it is left out (the returned length stops before it).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [], 0
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {exc}; check its permissions") from None
    end = data.rfind(b"\n") + 1  # everything after the last newline is a torn write
    lines = data[:end].split(b"\n")[:-1]
    if lines:
        try:
            json.loads(lines[-1].decode("utf-8"))
        except (UnicodeDecodeError, ValueError):  # torn inside a line that happened to hold a newline
            end -= len(lines[-1]) + 1
            lines = lines[:-1]
    records = _parse(lines, path)
    if not records:
        return None, [], 0
    header, ops = records[0], records[1:]
    if header.get("journal") != MAGIC:
        raise JournalError(f"{path} is not an aligner review journal; move it away or choose another file")
    return header, ops, end


def replay(initial: State, ops: list[dict], path: str | os.PathLike = "journal") -> History:
    """Rebuild the history from the records, in order."""
    from aligner.review.edits import EditError

    history = History([initial])
    for n, op in enumerate(ops, 2):
        try:
            history.step(op)
        except EditError as exc:
            raise JournalError(f"{path} line {n} does not apply ({exc}); move the file away to start over") from None
    return history


class Journal:
    """The open, locked journal of one alignment; ``append`` is durable when it returns."""

    def __init__(self, path: Path, fd: int, history: History) -> None:
        self.path = path
        self._fd = fd
        self.history = history

    @classmethod
    def open(cls, alignment: str | os.PathLike, initial: State, *, lock: bool = True) -> "Journal":
        """Open (or start) the journal beside ``alignment``, lock it, and replay it.

        Raises:
            JournalError: another server holds it, it belongs to another
                version of the alignment, or it is damaged.
        """
        path = journal_path(alignment)
        digest = file_digest(alignment)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if lock:
                _lock(fd, path, alignment)
            header, ops, end = read_journal(path)
            if header is not None and header.get("input_sha256") != digest:
                raise JournalError(f"{path} was made for another version of {Path(alignment).name}; "
                                   "move it away to start the review over")
            history = replay(initial, ops, path)
            size = os.fstat(fd).st_size
            if size != end:
                os.ftruncate(fd, end)  # drop the torn last line
            os.lseek(fd, 0, os.SEEK_END)
            journal = cls(path, fd, history)
            if header is None:
                journal._write({"journal": MAGIC, "version": VERSION, "input": Path(alignment).name,
                                "input_sha256": digest})
                _fsync_dir(path.parent)  # the new file's name is durable too
            return journal
        except BaseException:
            os.close(fd)
            raise

    def _write(self, record: dict) -> None:
        data = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        view = memoryview(data)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]
        os.fsync(self._fd)

    def append(self, op: dict) -> State:
        """Apply ``op`` and record it; an edit that does not apply raises ``EditError`` and records nothing."""
        before = (list(self.history.states), self.history.pos, len(self.history.ops))
        state = self.history.step(op)
        try:
            self._write(op)
        except OSError as exc:  # not on disk: not done
            self.history.states, self.history.pos = before[0], before[1]
            del self.history.ops[before[2]:]
            raise JournalError(f"cannot write {self.path}: {exc}; free disk space, then redo the edit") from None
        return state

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # also releases the lock
            self._fd = -1


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - not possible on every system (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _lock(fd: int, path: Path, alignment: str | os.PathLike) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, as with any editor on such a system
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise JournalError(f"{Path(alignment).name} is already open in another review server; "
                           "close that one first (its lock is on " + path.name + ")") from None


def load_state(alignment: str | os.PathLike, initial: State) -> History:
    """The reviewed state for ``--export``: the journal replayed read-only, or the file as read."""
    path = journal_path(alignment)
    header, ops, _ = read_journal(path)
    if header is not None and header.get("input_sha256") != file_digest(alignment):
        raise JournalError(f"{path} was made for another version of {Path(alignment).name}; "
                           "move it away to export the file as aligned")
    return replay(initial, ops, path)
