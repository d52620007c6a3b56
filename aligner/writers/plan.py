"""Every file one ``aligner align`` run will write, checked together before the run starts.

A run writes the main output (two files for Moses), its ``.meta.json``
sidecar, the ``--split-by-doc`` variants and the ``--report`` page. Each is
checked on its own (``atomic.check_target``), then against every other one
and against every input: two outputs that are one file would silently
replace each other, and an output that is an input destroys the input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from aligner.errors import OutputError, show_path
from aligner.writers import output_paths, resolve_format, split_targets
from aligner.writers.atomic import check_target

__all__ = ["Target", "input_clash", "plan_outputs", "same_file"]


@dataclass(frozen=True)
class Target:
    """One file the run writes, and the option that asked for it (for the error message)."""

    path: Path
    option: str  # "-o" or "--report"
    given: Path  # the option's value (for Moses "-o out.ru" writes out.en too)

    def describe(self) -> str:
        if self.path == self.given:
            return f"{self.option} {show_path(self.path)}"
        return f"{self.option} {show_path(self.given)} (its file {show_path(self.path)})"


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """True when two paths name one file: the same after resolving links, or hard links to one inode.

    Never raises: a symbolic link loop or a missing file is simply compared by name.
    """
    if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def input_clash(what: str, path: str | os.PathLike, input_path: str | os.PathLike) -> OutputError:
    """The error for an output that is an input (named as given, and by the input's name if that differs)."""
    alias = "" if Path(path) == Path(input_path) else f" ({show_path(input_path)})"
    return OutputError(f"{what} is also an input{alias}; choose another output name")


def plan_outputs(
    output: str | os.PathLike | None,
    fmt: str | None,
    *,
    meta: bool,
    split: bool = False,
    report: str | os.PathLike | None = None,
    inputs: Sequence[str | os.PathLike] = (),
    force: bool = False,
) -> list[Target]:
    """Check every target of a run, alone and against the others and the inputs; return them.

    Args:
        output: the ``-o`` path (None: the output goes to stdout); ``fmt`` its format (None: from the extension).
        meta: a ``.meta.json`` sidecar is written with non-TMX outputs.
        split: ``--split-by-doc`` (the targets are the split files, not ``output``).
        report: the ``--report`` path, if any.
        inputs: every file the run reads (see ``readers.input_files``).
        force: existing regular files may be replaced.

    Raises:
        AlignerError: unknown format. OutputError: a target cannot be written
            (see ``check_target``), two targets are one file, or a target is an input.
    """
    targets = []
    if output is not None:
        name = resolve_format(output, fmt)
        files = split_targets(output, name, meta) if split else output_paths(output, name, meta)
        targets = [Target(p, "-o", Path(output)) for p in files]
    if report is not None:
        targets.append(Target(Path(report), "--report", Path(report)))
    for t in targets:  # inputs first: "-o book.txt" should say it is the input, not "already exists"
        for raw in inputs:
            if same_file(raw, t.path):
                raise OutputError(input_clash(t.describe(), t.path, raw))
    for n, t in enumerate(targets):
        for u in targets[:n]:
            if same_file(t.path, u.path):
                raise OutputError(
                    f"{t.describe()} is the same file as {u.describe()}; give {t.option} a different file name"
                )
    for t in targets:
        check_target(t.path, force=force)
    return targets
