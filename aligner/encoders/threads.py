"""How many threads an encoder should use: the cores that are free now, not all of them.

A BLAS forward pass that takes every core of a busy machine is far slower than one on a
single thread: the threads wait on each other while other processes hold the cores
(``aligner models`` printed 82 sentences/s on a loaded 2-core machine). So the default
is the cores this process may run on less the current load, at least one.
"""

from __future__ import annotations

import os


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def free_cores() -> int:
    """Usable cores less the 1-minute load average (rounded), at least 1."""
    cores = usable_cores()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores
    return max(1, min(cores, int(cores - load + 0.5)))


def set_threads(encoder, threads: int | None) -> None:
    """Give ``threads`` to every layer of ``encoder`` that runs a model (cache and ensemble
    wrappers are walked), unless the layer was built with its own count. ``None``/0: keep."""
    if not threads:
        return
    stack = [encoder]
    while stack:
        enc = stack.pop()
        if getattr(enc, "_threads", "absent") is None:
            enc._threads = threads
        inner = getattr(enc, "inner", None)
        if inner is not None:
            stack.append(inner)
        stack.extend(getattr(enc, "members", None) or [])
