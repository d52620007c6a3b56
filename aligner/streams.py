"""``-`` on the command line: read an input from stdin, write the output to stdout.

Readers take paths (they detect the format from the bytes and may need to
seek, as in a ZIP-based document), so stdin is copied, up to
``limits.MAX_INPUT_BYTES``, into a private temporary file that lives for the
run. Its name never reaches the user: provenance, warnings and error
messages say ``<stdin>``, so output stays byte-identical from run to run.
Stdout gets the output itself and nothing else; progress and the summary go
to stderr.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import IO, BinaryIO, Iterator, Sequence

from aligner.errors import AlignerError, InputError
from aligner.model import AlignmentResult, Bead

DASH = "-"
STDIN_NAME = "<stdin>"
# Formats that are one text stream; Moses is two files and XLSX a zip, which a pipe cannot hold well.
STDOUT_FORMATS = ("tsv", "csv", "jsonl", "tmx")


def is_dash(value: object) -> bool:
    return str(value) == DASH


def _read_stdin(stream: BinaryIO) -> bytes:
    from aligner.limits import MAX_INPUT_BYTES

    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{STDIN_NAME} holds more than the {MAX_INPUT_BYTES // 2**20} MiB limit; split the input "
                         "into smaller files")
    return data


@contextlib.contextmanager
def stdin_as_file(inputs: Sequence[str], stdin: IO | None) -> Iterator[tuple[list[str], str | None]]:
    """Yield ``inputs`` with ``-`` replaced by a temporary copy of ``stdin``, and that copy's path.

    ``stdin`` is ``sys.stdin`` (its bytes are read) or a binary stream; it is
    touched only when an input is ``-``. Errors raised inside the block name
    ``<stdin>`` instead of the copy.

    Raises:
        AlignerError: ``-`` given twice, or stdin is closed or a terminal (nothing piped in).
    """
    if sum(is_dash(x) for x in inputs) > 1:
        raise AlignerError("stdin ('-') can be only one of the inputs; give the other one as a file")
    if not any(is_dash(x) for x in inputs):
        yield list(inputs), None
        return
    stream: BinaryIO | None = getattr(stdin, "buffer", stdin)
    if stream is None:
        raise InputError("'-' reads the input from stdin, but stdin is closed; pipe a file in, or give a file name")
    if stream.isatty():
        raise InputError("'-' reads the input from stdin, but nothing is piped in; "
                         "run e.g. 'cat book.txt | aligner align - -o out.tsv', or give a file name")
    data = _read_stdin(stream)
    with tempfile.TemporaryDirectory(prefix="aligner-stdin-") as folder:
        copy = Path(folder) / "stdin"
        copy.write_bytes(data)
        try:
            yield [str(copy) if is_dash(x) else x for x in inputs], str(copy)
        except AlignerError as exc:
            exc.args = tuple(a.replace(str(copy), STDIN_NAME) if isinstance(a, str) else a for a in exc.args)
            raise


def rename_stdin(result: AlignmentResult, copy: str | None) -> AlignmentResult:
    """Say ``<stdin>`` wherever the result names the temporary copy (provenance, warnings, dropped items)."""
    if copy is None:
        return result

    def fix(value: object) -> object:
        return value.replace(copy, STDIN_NAME) if isinstance(value, str) else value

    def fix_bead(bead: Bead) -> Bead:
        return replace(bead, provenance={k: fix(v) for k, v in bead.provenance.items()})

    # all_beads too, and a dropped bead stays the very bead of all_beads that it is (with_dropped
    # and the report find it there by identity): renaming only the copies in ``dropped`` made
    # the JSONL of a run with a dropped bead fail (StopIteration) and name the copy in it
    fixed = {id(b): fix_bead(b) for b in result.all_beads}
    result.all_beads = [fixed[id(b)] for b in result.all_beads]
    result.beads = [fix_bead(b) for b in result.beads]
    result.warnings = [fix(w) for w in result.warnings]
    result.dropped = [
        replace(d, bead=None if d.bead is None else fixed.get(id(d.bead)) or fix_bead(d.bead),
                source=None if d.source is None else replace(d.source, file=fix(d.source.file)))
        for d in result.dropped
    ]
    return result


def check_stdout_format(fmt: str | None, split: bool) -> str:
    """The format for ``-o -``: it must be named, and be one text stream.

    Raises:
        AlignerError: no ``--format``, a format that is not one text stream, or ``--split-by-doc``.
    """
    allowed = ", ".join(STDOUT_FORMATS)
    if fmt is None:
        raise AlignerError(f"'-o -' writes to stdout, which has no extension to tell the format; add --format "
                           f"({allowed})")
    if fmt not in STDOUT_FORMATS:
        why = "two files" if fmt == "moses" else "a binary zip file"
        raise AlignerError(f"--format {fmt} is {why} and cannot go to stdout; give a file name with -o, or choose "
                           f"one of: {allowed}")
    if split:
        raise AlignerError("--split-by-doc writes three files and cannot go to stdout; give a file name with -o")
    return fmt


@contextlib.contextmanager
def stdout_text(stream: IO[str]) -> Iterator[IO[str]]:
    """A UTF-8 handle on the text stream's bytes (whatever the locale, no newline translation).

    It is flushed and detached at the end, never closed, so ``stream`` stays usable.
    """
    stream.flush()
    raw = getattr(stream, "buffer", None)
    if raw is None:  # a text-only stream (an IDE console): write to it as it is
        yield stream
        return
    fh = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    try:
        yield fh
        fh.flush()
    finally:
        with contextlib.suppress(ValueError):
            fh.detach()
