"""The fields every tabular format shares, in one stable order.

Core columns come first (``ru, en, score, ru_ids, en_ids``), then the
provenance keys: the well-known ones in a fixed order, any others sorted.
Keeping this in one place makes TSV, CSV, JSONL and the TMX props agree.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from typing import Iterable, Mapping

from aligner.errors import AlignerError
from aligner.model import Bead

CORE = ("ru", "en", "score", "ru_ids", "en_ids")
KNOWN_PROVENANCE = (
    "ru_msg_id",
    "en_msg_id",
    "date",
    "doc",
    "ru_file",
    "en_file",
    "ru_lines",
    "en_lines",
    "ru_page",
    "en_page",
    "ru_chapter",
    "en_chapter",
    "ru_time",
    "en_time",
    "pair_score",
    "copies",
)

TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_TMX_DATE = re.compile(r"^\d{8}T\d{6}Z$")


def creation_time(value: object = None) -> dt.datetime:
    """When the output was made (UTC): the date written in TMX headers and XLSX properties.

    Pinned by ``value`` (a TMX date, an ISO date, epoch seconds or a
    datetime), else by ``SOURCE_DATE_EPOCH``, else the current time, so
    reproducible builds get byte-identical files.

    Raises:
        AlignerError: the value cannot be read as a date.
    """
    if value is None:
        value = os.environ.get("SOURCE_DATE_EPOCH") or None
        if value is None:
            return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    try:
        if isinstance(value, dt.datetime):
            when = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        elif isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
            when = dt.datetime.fromtimestamp(int(value), dt.timezone.utc)
        elif isinstance(value, str) and _TMX_DATE.match(value.strip()):
            when = dt.datetime.strptime(value.strip(), TMX_DATE_FORMAT).replace(tzinfo=dt.timezone.utc)
        elif isinstance(value, str):
            when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            when = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
        else:
            raise TypeError(type(value).__name__)
    except (ValueError, TypeError, OverflowError, OSError):
        raise AlignerError(
            f"cannot read {value!r} as a creation date; use YYYYMMDDThhmmssZ, an ISO date or epoch seconds"
        ) from None
    return when.astimezone(dt.timezone.utc)


def provenance_keys(beads: Iterable[Bead]) -> list[str]:
    """Union of the beads' provenance keys: known keys in fixed order, then the rest sorted."""
    seen: set[str] = set()
    for bead in beads:
        seen.update(bead.provenance)
    known = [k for k in KNOWN_PROVENANCE if k in seen]
    rest = sorted(seen.difference(KNOWN_PROVENANCE))
    return [column_name(k) for k in known + rest]


def column_name(key: str) -> str:
    """A provenance key as an output column; ``prov_`` avoids clashing with a core column."""
    return f"prov_{key}" if key in CORE else key


def provenance_value(bead: Bead, column: str) -> str:
    key = column[5:] if column.startswith("prov_") and column[5:] in CORE else column
    value = bead.provenance.get(key, "")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def format_score(score: float) -> str:
    """Four decimals are plenty for a probability, and keep output byte-stable."""
    return f"{score:.4f}" if math.isfinite(score) else ""


def score_number(score: float) -> float | None:
    return round(float(score), 4) if math.isfinite(score) else None


def format_ids(ids: Iterable[int]) -> str:
    """Sentence ids in a text cell: ``"3,4"``; empty for an empty side."""
    return ",".join(str(int(i)) for i in ids)


def meta_items(meta: Mapping[str, object] | None, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Run metadata as sorted (key, text) pairs; non-strings become compact JSON."""
    if not meta:
        return []
    skipped = set(skip)
    out = []
    for key in sorted(meta):
        if key in skipped:
            continue
        value = meta[key]
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        out.append((str(key), text))
    return out
