"""Dedup across a whole batch (``aligner batch --dedup``): a pair written once, whatever file it came from.

An MT training set built from many exports repeats the same pair (a channel
reposts, a boilerplate line in every article). Per-file dedup misses those, so
in a batch each job keeps its filtered beads in a small JSONL store under
``OUTDIR/.aligner-batch/beads/``, and once every job is done the whole batch
is deduplicated in job-name order (``filters.dedup_groups``, one group per job): the first copy stays, with a ``copies``
field listing the provenance of every copy (file, post, lines), and the later
copies are removed from their outputs. The store makes the pass repeatable:
a resumed batch deduplicates again from the same beads and writes the same
files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from aligner.model import Bead

STORE = "beads"  # under OUTDIR/.aligner-batch/


def store_path(state_dir: Path, job_name: str) -> Path:
    digest = hashlib.sha1(job_name.encode("utf-8")).hexdigest()[:16]
    return state_dir / STORE / f"{digest}.jsonl"


def save_beads(state_dir: Path, job_name: str, beads: list[Bead]) -> None:
    """Keep one job's filtered beads (text, ids, score, provenance, features, sentences) for the
    batch-wide pass, which writes them again: the features (``crossing``) and each side's
    sentences (JSONL ``ru_sents``, what the review editor splits) must survive it."""
    from aligner.writers.atomic import atomic_write_text

    path = store_path(state_dir, job_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"ru_ids": list(b.ru_ids), "en_ids": list(b.en_ids), "ru": b.ru, "en": b.en,
                         "score": b.score, "provenance": b.provenance, "features": b.features,
                         "ru_parts": list(b.ru_parts), "en_parts": list(b.en_parts)}, ensure_ascii=False)
             for b in beads]
    atomic_write_text(path, "".join(line + "\n" for line in lines), force=True)


def load_beads(state_dir: Path, job_name: str) -> list[Bead] | None:
    """The job's stored beads, or None when it has no store (done before --dedup was asked for)."""
    path = store_path(state_dir, job_name)
    if not path.is_file():
        return None
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append(Bead(tuple(d["ru_ids"]), tuple(d["en_ids"]), d["ru"], d["en"], float(d["score"]),
                        d.get("features", {}), d["provenance"], ru_parts=tuple(d.get("ru_parts", ())),
                        en_parts=tuple(d.get("en_parts", ()))))  # a store of an older run has neither
    return out
