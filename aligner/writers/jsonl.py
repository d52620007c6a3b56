"""JSON Lines: one object per bead with every field.

Keys: ``ru, en, score, ru_ids, en_ids`` (ids as lists of ints), ``kind``,
the provenance keys (same names as the TSV columns) and ``features``.
``ru_sents``/``en_sents`` list a side's sentences when it has two or more
(so the review editor can split the bead again). ``aligner align`` also
writes the beads its filters dropped, each with ``dropped: REASON``; the
rows it counts are the others. Text
passes through ``clean_text`` only: tabs and newlines survive as JSON
escapes. U+2028/U+2029 are written escaped so no line splitter breaks a row.
"""

from __future__ import annotations

import json
import math
from typing import IO, Iterable

from aligner.model import Bead
from aligner.writers.fields import KNOWN_PROVENANCE, column_name, score_number
from aligner.writers.text import clean_text


def _number(value: object) -> object:
    try:
        x = float(value)  # numpy scalars too
    except (TypeError, ValueError):
        return clean_text(str(value))
    return x if math.isfinite(x) else None


def bead_record(bead: Bead) -> dict:
    """The JSON object for one bead (insertion order is the output key order)."""
    record: dict = {
        "ru": clean_text(bead.ru),
        "en": clean_text(bead.en),
        "score": score_number(bead.score),
        "ru_ids": [int(i) for i in bead.ru_ids],
        "en_ids": [int(i) for i in bead.en_ids],
        "kind": bead.kind,
    }
    for side, ids, parts in (("ru", bead.ru_ids, bead.ru_parts), ("en", bead.en_ids, bead.en_parts)):
        if len(ids) > 1 and len(parts) == len(ids):
            record[f"{side}_sents"] = [clean_text(p) for p in parts]
    prov = bead.provenance
    for key in [k for k in KNOWN_PROVENANCE if k in prov] + sorted(set(prov).difference(KNOWN_PROVENANCE)):
        value = prov[key]
        record[column_name(key)] = clean_text(value) if isinstance(value, str) else value
    record["features"] = {clean_text(str(k)): _number(v) for k, v in sorted(bead.features.items())}
    return record


def write_jsonl(beads: Iterable[Bead], fh: IO[str]) -> int:
    """Stream one JSON object per line; returns the number of lines not marked ``dropped``."""
    n = 0
    for bead in beads:
        line = json.dumps(bead_record(bead), ensure_ascii=False, allow_nan=False, default=str)
        fh.write(line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n")
        n += "dropped" not in bead.provenance
    return n
