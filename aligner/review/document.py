"""An alignment as the editor sees it: read from ``aligner align``'s JSONL, written back through the writers.

The JSONL holds every bead in document order, the dropped ones marked
``dropped: REASON`` (see ``writers/jsonl.py``). Consecutive beads of one
block pair (``pair`` provenance in a dump; the whole text for two files)
whose ids go up on both sides form a group; a group's sentences are its
beads' sentences in order, so any layout of spans over them is a valid
alignment whose beads read in order. Where the ids go back a new group starts:
after a crossing pair whose en id lies further on, at one whose en id lies
before (``AlignConfig.crossing_pairs``), and at the debris line left out of the
bead before (``AlignConfig.debris_holes``); a span may not reach across it. ``reviewed_beads`` turns a
layout back into beads: untouched ones exactly as read (same score, same
filter decision), edited ones rebuilt from their sentences.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from aligner.errors import InputError
from aligner.filters import FilterConfig, check
from aligner.model import Bead
from aligner.review.edits import SIDES, Span, State
from aligner.writers.fields import CORE

# Sidecar keys describing the file itself rather than the run.
_FILE_KEYS = ("format", "rows", "files")
# Provenance that belongs to one bead, not to its block pair.
_BEAD_ONLY = ("copies", "dropped", "review")
_RECORD_KEYS = set(CORE) | {"kind", "features", "ru_sents", "en_sents"}


@dataclass(frozen=True)
class Sentence:
    """One sentence of a group; ``ids`` has one id, or several when an older file lost the split.
    ``origin``: the index of the bead read that held it (its provenance says where it came from)."""

    ids: tuple[int, ...]
    text: str
    origin: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Group:
    """The sentences of one block pair, and the provenance a new bead of it gets."""

    ru: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    provenance: dict


@dataclass
class Alignment:
    """What the editor works on. ``beads[k]`` is the k-th bead read; ``dropped[k]`` its filter reason or None."""

    groups: list[Group]
    beads: list[Bead]
    dropped: list[str | None]
    meta: dict
    initial: State

    def sentences(self, group: int, side: str) -> tuple[Sentence, ...]:
        return self.groups[group].ru if side == "ru" else self.groups[group].en


def _bead(record: dict, where: str) -> tuple[Bead, str | None]:
    try:
        ru_ids = tuple(int(i) for i in record["ru_ids"])
        en_ids = tuple(int(i) for i in record["en_ids"])
        ru, en = str(record["ru"]), str(record["en"])
        score = record.get("score")
        score = float("nan") if score is None else float(score)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{where} is not a bead written by aligner align ({exc}); give the JSONL of 'aligner align -o X.jsonl'") from None
    prov = {(k[5:] if k.startswith("prov_") and k[5:] in CORE else k): v
            for k, v in record.items() if k not in _RECORD_KEYS}
    dropped = prov.pop("dropped", None)
    features = record.get("features") or {}
    parts = {}
    for side, ids, text in (("ru", ru_ids, ru), ("en", en_ids, en)):
        sents = record.get(f"{side}_sents")
        if isinstance(sents, list) and len(sents) == len(ids):
            parts[side] = tuple(str(s) for s in sents)
        else:
            parts[side] = (text,) if len(ids) == 1 else ()
    bead = Bead(ru_ids, en_ids, ru, en, score, dict(features), prov, ru_parts=parts["ru"], en_parts=parts["en"])
    return bead, (str(dropped) if dropped is not None else None)


def _units(ids: tuple[int, ...], parts: tuple[str, ...], text: str, origin: int) -> list[Sentence]:
    if not ids:
        return []
    if len(parts) == len(ids):
        return [Sentence((i,), t, origin) for i, t in zip(ids, parts)]
    return [Sentence(ids, text, origin)]  # an older JSONL: the side stays one unit


def _group_key(bead: Bead) -> tuple:
    prov = bead.provenance
    return (prov.get("doc"), prov.get("pair"), prov.get("ru_file"), prov.get("en_file"))


def _continues(last: tuple[int, ...] | None, ids: tuple[int, ...]) -> bool:
    return last is None or not ids or ids[0] > last[-1]


def build(beads: list[Bead], dropped: list[str | None], meta: dict | None = None) -> Alignment:
    """Group beads into block pairs and lay one span over each bead."""
    groups: list[Group] = []
    spans: list[Span] = []
    ru: list[Sentence] = []
    en: list[Sentence] = []
    key = None
    last_ru = last_en = None
    prov: dict = {}

    def close() -> None:
        if ru or en:
            groups.append(Group(tuple(ru), tuple(en), prov))

    for k, bead in enumerate(beads):
        new_key = _group_key(bead)
        if not spans or new_key != key or not _continues(last_ru, bead.ru_ids) or not _continues(last_en, bead.en_ids):
            close()
            ru, en, key, last_ru, last_en = [], [], new_key, None, None
            prov = {p: v for p, v in bead.provenance.items() if p not in _BEAD_ONLY}
        r0, e0 = len(ru), len(en)
        ru.extend(_units(bead.ru_ids, bead.ru_parts, bead.ru, k))
        en.extend(_units(bead.en_ids, bead.en_parts, bead.en, k))
        last_ru = bead.ru_ids or last_ru
        last_en = bead.en_ids or last_en
        spans.append(Span(len(groups), (r0, len(ru)), (e0, len(en)), origin=k))
    close()
    if any(s.empty for s in spans):
        raise InputError("a bead with no sentence on either side; give the JSONL of 'aligner align -o X.jsonl'")
    return Alignment(groups, beads, dropped, dict(meta or {}), State(tuple(spans), {}))


def read_alignment(path: str | Path) -> Alignment:
    """Read ``aligner align``'s JSONL (and its ``.meta.json`` sidecar, when present).

    Raises:
        InputError: the file is missing, not JSONL, or not beads.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}; give the JSONL of 'aligner align -o X.jsonl'") from None
    beads, dropped = [], []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise InputError(f"{path} line {n} is not JSON; give the JSONL of 'aligner align -o X.jsonl'") from None
        if not isinstance(record, dict):
            raise InputError(f"{path} line {n} is not a bead; give the JSONL of 'aligner align -o X.jsonl'")
        bead, reason = _bead(record, f"{path} line {n}")
        beads.append(bead)
        dropped.append(reason)
    if not beads:
        raise InputError(f"{path} holds no beads; align something first: aligner align RU EN -o {path.name}")
    return build(beads, dropped, _read_meta(path))


def _read_meta(path: Path) -> dict:
    side = Path(f"{path}.meta.json")
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in meta.items() if k not in _FILE_KEYS} if isinstance(meta, dict) else {}


def filter_config(meta: dict) -> FilterConfig:
    """The filter settings ``align`` recorded in its metadata (the defaults for any it did not)."""
    values = {}
    for f in fields(FilterConfig):
        raw = meta.get(f.name if f.name in ("min_score", "keep_unaligned") else f"filter_{f.name}")
        if raw is None:
            continue
        text = str(raw).strip().lower()
        default = f.default
        try:
            if text == "none":
                values[f.name] = None
            elif isinstance(default, bool):
                values[f.name] = text == "true"
            elif isinstance(default, int):
                values[f.name] = int(float(text))
            else:
                values[f.name] = float(text)
        except ValueError:
            continue
    return FilterConfig(**values)


def _join(sents: list[Sentence]) -> tuple[tuple[int, ...], str, tuple[str, ...]]:
    ids = tuple(i for s in sents for i in s.ids)
    parts = tuple(s.text for s in sents) if all(len(s.ids) == 1 for s in sents) else ()
    return ids, " ".join(s.text for s in sents), parts


def reviewed_beads(doc: Alignment, state: State) -> list[Bead]:
    """Every bead of the reviewed alignment in order; the ones to leave out marked ``dropped: REASON``.

    Untouched beads keep what ``align`` decided. Confirmed ones get
    ``review: confirmed`` and pass the score filter (the reviewer's word beats
    the model's); edited ones get ``review: edited``, no score, and the other
    filters again. Other formats than JSONL write only the unmarked beads.
    """
    config = filter_config(doc.meta)
    reviewed = replace(config, min_score=0.0)
    out = []
    for i, span in enumerate(state.beads):
        if not state.edited(i):
            bead, reason = doc.beads[span.origin], doc.dropped[span.origin]
            if span.confirmed:
                bead = replace(bead, provenance={**bead.provenance, "review": "confirmed"})
                if reason not in (None, "duplicate_pair"):
                    reason = check(bead, reviewed)
        else:
            sides, prov = {}, dict(doc.groups[span.group].provenance)
            for side in SIDES:
                sents = list(doc.sentences(span.group, side)[slice(*span.side(side))])
                lo = span.side(side)[0]
                prov.update(_side_sources(doc, side, sents, prov))
                sents = [replace(s, text=state.texts.get((span.group, side, lo + k), s.text)) for k, s in enumerate(sents)]
                sides[side] = _join(sents)
            (ru_ids, ru, ru_parts), (en_ids, en, en_parts) = sides["ru"], sides["en"]
            prov = {**{k: v for k, v in prov.items() if v is not None}, "review": "edited"}
            bead = Bead(ru_ids, en_ids, ru, en, math.nan, {}, prov, ru_parts=ru_parts, en_parts=en_parts)
            reason = check(bead, reviewed)
        if reason is not None:
            bead = replace(bead, provenance={**bead.provenance, "dropped": reason})
        out.append(bead)
    return out


# Provenance of one side that two-file beads have bead by bead (pipeline.side_provenance); in a
# dump the ``_lines`` are the block pair's, the same for all its beads.
_SIDE_SOURCES = ("lines", "page", "chapter", "time")


def _side_sources(doc: Alignment, side: str, sents: list[Sentence], prov: dict) -> dict:
    """Where one side of an edited bead came from: the spans of the beads read that held its
    sentences, joined (a group's provenance is its first bead's, wrong for the others of two
    files); where none is known, what ``align`` writes for an empty side (None: leave the key out)."""
    out: dict = {}
    for suffix in _SIDE_SOURCES:
        key = f"{side}_{suffix}"
        values = [str(v) for v in (doc.beads[o].provenance.get(key) for o in sorted({s.origin for s in sents}))
                  if v not in (None, "")]
        if values:
            out[key] = _join_spans(values, suffix)
        elif "ru_file" in prov:  # two files: known bead by bead; an empty side has empty lines
            out[key] = "" if suffix == "lines" else None
    return out


def _join_spans(values: list[str], suffix: str) -> str:
    """One span over ``"first-last"`` spans (times ``"start-end"``, which sort as text)."""
    if len(set(values)) == 1:
        return values[0]
    if suffix == "time":
        ends = [v.split("-", 1) for v in values]
        return f"{min(a for a, _ in ends)}-{max(b for _, b in ends)}"
    try:
        nums = [int(x) for v in values for x in v.split("-")]
    except ValueError:
        return values[0]
    lo, hi = min(nums), max(nums)
    return f"{lo}-{hi}" if suffix == "lines" or lo != hi else str(lo)


def score_of(doc: Alignment, state: State, i: int) -> float | None:
    """The model's score of span ``i`` while untouched; None once edited (or unknown)."""
    span = state.beads[i]
    if state.edited(i):
        return None
    score = doc.beads[span.origin].score
    return score if math.isfinite(score) else None
