"""How an aligner process behaves as a process: signals, parent death, warnings on stderr.

The command line and the batch workers call these once at start-up. A
SIGTERM in the main process becomes ``Terminated`` (a ``BaseException``), so
every ``finally`` runs: partial outputs are removed and the worker pool is
stopped. A worker never outlives its parent: Linux kills it with the parent
(``PR_SET_PDEATHSIG``), and a SIGTERM or Ctrl-C reaching it removes its
temporary files and exits at once, leaving the parent to report.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import warnings
from typing import Iterator

from aligner.errors import AlignerWarning

_PR_SET_PDEATHSIG = 1


class Terminated(BaseException):
    """SIGTERM arrived; unwinds like Ctrl-C so partial outputs are cleaned up."""


def _raise_terminated(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one clean-up is enough; SIGKILL still works
    raise Terminated()


@contextlib.contextmanager
def command_process() -> Iterator[None]:
    """For the length of a command: SIGTERM unwinds the stack (``Terminated``) instead of killing
    mid-write, and ``AlignerWarning`` prints as one line. Both are restored afterwards (tests call
    the CLI in-process)."""
    previous_show = warnings.showwarning
    previous_term = None
    if threading.current_thread() is threading.main_thread():
        previous_term = signal.signal(signal.SIGTERM, _raise_terminated)
    print_warnings_as_lines()
    try:
        yield
    finally:
        warnings.showwarning = previous_show
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)


@contextlib.contextmanager
def children_ignore_ctrl_c() -> Iterator[None]:
    """Processes started inside this block begin with SIGINT ignored (kept across exec), so a
    Ctrl-C while a worker's interpreter is still starting cannot print its traceback; the
    parent handles Ctrl-C for all. A Ctrl-C in these few milliseconds is dropped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def print_warnings_as_lines() -> None:
    """``AlignerWarning`` goes to stderr as ``aligner: warning: ...``, one line, with no source location."""
    original = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if isinstance(category, type) and issubclass(category, AlignerWarning):
            print(f"aligner: warning: {message}", file=file or sys.stderr, flush=True)
        else:
            original(message, category, filename, lineno, file, line)

    warnings.showwarning = show


def _worker_exit(signum, frame) -> None:
    from aligner.writers.atomic import remove_live_temps

    remove_live_temps()
    os._exit(128 + signum)


def become_worker(parent_pid: int) -> None:
    """Batch worker: die with the parent, and leave Ctrl-C and SIGTERM handling to it.

    Ctrl-C reaches the whole process group; the parent stops the pool itself,
    so workers ignore SIGINT (no traceback from each of them). SIGTERM (the
    parent stopping the pool) removes this worker's temporary files and exits.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_exit)
    print_warnings_as_lines()
    _set_parent_death_signal(signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the line above: nobody to work for
        os._exit(1)


def _set_parent_death_signal(signum: int) -> None:
    """Linux: the kernel sends ``signum`` when the parent dies, even by SIGKILL. Elsewhere the
    worker notices at its next job (its queue to the parent is closed)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: best effort
        pass
