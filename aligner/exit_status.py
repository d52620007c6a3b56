"""The process's exit status after Ctrl-C: 130, as the CLI says, whatever CPython decides.

CPython sometimes ends a process by SIGINT (status -2 to a parent process, 130 only to a shell)
even when the CLI caught the interrupt and printed its one line: tests/test_signals.py saw it in
about one run in fifteen when Ctrl-C came 0.1 s into start-up. The likely cause, not confirmed:
its flag for an unhandled KeyboardInterrupt, which it checks at exit, is set when the interrupt
passes through code it runs itself during an extension module's import. The command registers
an exit handler before anything else (``watch``), so it runs after every other one, and ends
the process with 130 when the CLI said "interrupted" (``interrupted``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

_status: list[int] = []


def _end() -> None:
    if _status:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(_status[0])


def watch() -> None:
    """Make the exit status follow ``interrupted``; call it first thing in the process."""
    atexit.register(_end)


def interrupted() -> None:
    """The CLI said "interrupted": the process ends with 130 once the other exit handlers ran
    (only where ``watch`` was called: ``main`` called as a library changes nothing)."""
    _status[:] = [130]
