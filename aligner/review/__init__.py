"""The review editor: walk an alignment in the browser, fix it, export the corrected TM.

- ``edits``: pure operations on the bead layout (merge, split, shift, detach, attach, confirm, edit text).
- ``document``: the alignment read from ``aligner align``'s JSONL, and the reviewed beads.
- ``journal``: the append-only, fsync'd log of edits beside the file (``X.jsonl.review``).
- ``server``: the loopback-only HTTP app; ``static/`` is the page (no build step, no network).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["export"]


def export(alignment: str | os.PathLike, output: str | os.PathLike, fmt: str | None = None, *,
           force: bool = False) -> int:
    """Write the reviewed alignment (journal applied) through the same writers as ``align``.

    With no journal, or one with no edits, this writes what ``aligner align``
    wrote from the same run: untouched beads keep their score and filter decision.

    Returns:
        Rows written (TMX: translation units).
    """
    from aligner.review.document import read_alignment, reviewed_beads
    from aligner.review.journal import load_state
    from aligner.writers import resolve_format, write

    doc = read_alignment(alignment)
    state = load_state(alignment, doc.initial).state
    beads = reviewed_beads(doc, state)
    name = resolve_format(Path(output), fmt)
    if name != "jsonl":
        beads = [b for b in beads if "dropped" not in b.provenance]
    return write(beads, output, name, meta=doc.meta or None, force=force)
