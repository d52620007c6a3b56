"""Sentence alignment: ru and en sentence lists in, beads out.

``align_sentences`` embeds each sentence once and real concatenations of up to
``max_window`` adjacent sentences only where the path is uncertain
(``windows.align_selective``; ``AlignConfig.windows="all"`` embeds every window, each
distinct text once), calls ``align_vectors``, which works on arrays only (no I/O, no
globals), and finally turns the beads' features into calibrated scores.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

import numpy as np

from aligner.align.calibration import default_calibration, feature_matrix
from aligner.align.config import AlignConfig
from aligner.align.core import DocStats, RawBead, align_vectors
from aligner.align.similarity import Side, is_debris, paragraph_ends, text_marks, window_texts
from aligner.align.windows import align_selective
from aligner.encoders.base import Encoder
from aligner.model import Bead

__all__ = ["AlignConfig", "DocStats", "RawBead", "Side", "align_sentences", "align_vectors", "debris_free", "regrouped",
           "embed_sides", "with_debris"]

# (stage, done, total) -> None, as in aligner.pipeline
Progress = Callable[[str, int, int], None]


# distinct texts per encoder call in ``embed_sides``: bounds the transient copy to ~64 MB
# (512-dim float32) while keeping the encoder's length-sorted batches long
EMBED_CHUNK = 32_768


def embed_sides(ru: list[str], en: list[str], encoder: Encoder, max_window: int,
                progress: Progress | None = None) -> tuple[Side, Side]:
    """Embed every window of 1..max_window sentences of both sides, each distinct text once.

    All windows live in one float32 array and the ``Side`` arrays are slices (views) of
    it; distinct texts are encoded in chunks of ``EMBED_CHUNK`` and scattered into it, so
    peak memory is that array plus one chunk, not a second copy of all vectors (about
    800 MB per copy for 50k sentences per side).

    Returns:
        ``(ru_side, en_side)``.
    """
    windows = [window_texts(ru, max_window), window_texts(en, max_window)]
    flat = [t for side in windows for ws in side for t in ws]
    row: dict[str, int] = {}
    where = np.fromiter((row.setdefault(t, len(row)) for t in flat), dtype=np.int64, count=len(flat))
    unique = list(row)
    del row, flat
    done = [0]

    def tick(k: int) -> None:
        done[0] += k
        if progress is not None:
            progress("embed", min(done[0], len(unique)), len(unique))

    dim = encoder.dim
    allv = np.zeros((where.size, dim), np.float32)
    first = np.unique(where, return_index=True)[1]  # first window holding each distinct text
    for u0 in range(0, len(unique), EMBED_CHUNK):
        vecs = encoder.encode(unique[u0 : u0 + EMBED_CHUNK], progress=tick)
        allv[first[u0 : u0 + vecs.shape[0]]] = vecs
    dups = np.flatnonzero(first[where] != np.arange(where.size))
    for d0 in range(0, dups.size, EMBED_CHUNK):  # repeated texts: copies of their first window, chunked
        d = dups[d0 : d0 + EMBED_CHUNK]
        allv[d] = allv[first[where[d]]]
    sides, pos = [], 0
    for side in windows:
        emb, length = [], []
        for ws in side:
            emb.append(allv[pos : pos + len(ws)])
            length.append(np.array([len(t) for t in ws], dtype=np.float64))
            pos += len(ws)
        sides.append(Side(tuple(emb), tuple(length), **text_marks(side[0])))
    return sides[0], sides[1]


def align_sentences(ru: list[str], en: list[str], *, encoder: Encoder, config: AlignConfig | None = None,
                    progress: Progress | None = None, ru_paragraphs: Sequence[int] | None = None,
                    en_paragraphs: Sequence[int] | None = None) -> list[Bead]:
    """Align pre-split sentences.

    Args:
        ru, en: sentences; index i is ``Bead.ru_ids``/``Bead.en_ids`` value i.
        encoder: any ``Encoder`` (a ``CachedEncoder`` makes re-runs free).
        config: ``AlignConfig``; defaults to ``AlignConfig()``.
        progress: optional ``(stage, done, total)`` callback.
        ru_paragraphs, en_paragraphs: optional paragraph id of each sentence (equal ids in a
            row are one paragraph); given for both sides, paragraph breaks are a soft signal
            (``AlignConfig.paragraph_cost``).
    Returns:
        Beads in order, covering every sentence exactly once; 1-0 / 0-1 beads have
        score 0.0. ``Bead.features`` holds the scoring terms. The one exception to the order:
        a 1-1 bead of a sentence pair the translation moved (``AlignConfig.crossing_pairs``,
        ``features["crossing"] == 1``) stands at its ru sentence's place, its en id out of order;
        with ``AlignConfig.debris_holes`` a debris line inside a bead follows it as a 1-0 / 0-1 bead.
    """
    cfg = config or AlignConfig()
    if cfg.windows not in ("selective", "all"):
        raise ValueError(f"AlignConfig.windows must be 'selective' or 'all', not {cfg.windows!r}")
    ru, en = list(ru), list(en)
    if not ru and not en:
        return []
    paragraphs = ru_paragraphs is not None and en_paragraphs is not None
    if paragraphs and (len(ru_paragraphs) != len(ru) or len(en_paragraphs) != len(en)):
        raise ValueError("align_sentences: one paragraph id per sentence is needed on each side")
    if cfg.debris_nulls:
        keep_ru, keep_en = debris_free(ru, en)
        if len(keep_ru) < len(ru) or len(keep_en) < len(en):
            ru_par = [ru_paragraphs[i] for i in keep_ru] if paragraphs else None
            en_par = [en_paragraphs[j] for j in keep_en] if paragraphs else None
            inner = align_sentences([ru[i] for i in keep_ru], [en[j] for j in keep_en], encoder=encoder,
                                    config=replace(cfg, debris_nulls=False), progress=progress,
                                    ru_paragraphs=ru_par, en_paragraphs=en_par)
            return with_debris(inner, keep_ru, keep_en, ru, en, holes=cfg.debris_holes)
    par = (paragraph_ends(ru_paragraphs), paragraph_ends(en_paragraphs)) if paragraphs else None
    if cfg.windows == "selective":
        raw, _ = align_selective(ru, en, encoder, cfg, progress=progress, paragraph_ends=par)
    else:
        ru_side, en_side = embed_sides(ru, en, encoder, cfg.max_window, progress)
        if par is not None:
            ru_side, en_side = replace(ru_side, par=par[0]), replace(en_side, par=par[1])
        raw, _ = align_vectors(ru_side, en_side, cfg)
    if progress is not None:
        progress("align", 1, 1)
    beads = to_beads(raw, ru, en)
    if cfg.folds:
        from aligner.align.folds import apply_folds, find_folds

        beads = apply_folds(beads, find_folds(beads, ru, en, encoder, ru_groups=ru_paragraphs, en_groups=en_paragraphs,
                                              max_window=cfg.max_window), ru, en)
    return beads


def to_beads(raw: list[RawBead], ru: list[str], en: list[str]) -> list[Bead]:
    """Attach text and calibrated scores to raw beads."""
    cal = default_calibration()
    n_ru = np.array([rb.ru[1] - rb.ru[0] for rb in raw], dtype=np.int64)
    n_en = np.array([rb.en[1] - rb.en[0] for rb in raw], dtype=np.int64)
    linked = np.flatnonzero((n_ru > 0) & (n_en > 0))
    scores = np.zeros(len(raw))
    if linked.size:  # one vectorised evaluation for all beads
        x = feature_matrix([raw[k].features for k in linked.tolist()], n_ru[linked], n_en[linked])
        scores[linked] = cal.probability(x)
    out = []
    for rb, score in zip(raw, scores.tolist()):
        (i0, i1), (j0, j1) = rb.ru, rb.en
        out.append(Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), " ".join(ru[i0:i1]), " ".join(en[j0:j1]),
                        score, dict(rb.features), ru_parts=tuple(ru[i0:i1]), en_parts=tuple(en[j0:j1])))
    return out


def regrouped(bead: Bead, ru_ids: tuple[int, ...], en_ids: tuple[int, ...], ru: Sequence[str], en: Sequence[str],
              **changes) -> Bead:
    """``bead`` over other sentence ids, its texts and parts rebuilt from ``ru`` / ``en`` (the
    sentences the ids index); ``changes`` go to ``dataclasses.replace`` too."""
    return replace(bead, ru_ids=ru_ids, en_ids=en_ids, ru=" ".join(ru[i] for i in ru_ids),
                   en=" ".join(en[j] for j in en_ids), ru_parts=tuple(ru[i] for i in ru_ids),
                   en_parts=tuple(en[j] for j in en_ids), **changes)


def debris_free(ru: list[str], en: list[str]) -> tuple[list[int], list[int]]:
    """Indices of the sentences that are not OCR debris (``similarity.is_debris``), per side.

    A debris-like line that also stands, stripped, among the other side's lines is kept: a
    list marker such as "a)" is copied by the translation, stray marks are not.
    """
    texts = ({s.strip() for s in ru}, {s.strip() for s in en})
    return ([i for i, s in enumerate(ru) if not is_debris(s) or s.strip() in texts[1]],
            [j for j, s in enumerate(en) if not is_debris(s) or s.strip() in texts[0]])


def with_debris(beads: list[Bead], keep_ru: list[int], keep_en: list[int], ru: list[str],
                en: list[str], holes: bool = False) -> list[Bead]:
    """Put the lines left out as debris (``AlignConfig.debris_nulls``) back.

    ``beads`` align ``ru[keep_ru]`` with ``en[keep_en]``; their ids are mapped back to ``ru`` /
    ``en``. A left-out line between two sentences of one bead stays in that bead (a bead
    covers a contiguous run), or with ``holes`` (``AlignConfig.debris_holes``) becomes a 1-0 /
    0-1 bead right after it, the bead's ids skipping it; every other one becomes a 1-0 / 0-1
    bead in its place.
    """
    out: list[Bead] = []
    left = [sorted(set(range(len(ru))) - set(keep_ru)), sorted(set(range(len(en))) - set(keep_en))]
    texts = (ru, en)
    pos = [0, 0]

    def null(side: int, k: int) -> Bead:
        ids, text = ((k,), texts[side][k])
        return (Bead(ids, (), text, "", 0.0, {"debris": 1.0}, ru_parts=(text,))
                if side == 0 else Bead((), ids, "", text, 0.0, {"debris": 1.0}, en_parts=(text,)))

    def flush(side: int, below: int) -> None:
        while pos[side] < len(left[side]) and left[side][pos[side]] < below:
            out.append(null(side, left[side][pos[side]]))
            pos[side] += 1

    for b in beads:
        sides, inside = [], []
        for side, (ids, keep) in enumerate(((b.ru_ids, keep_ru), (b.en_ids, keep_en))):
            if ids:
                lo, hi = keep[ids[0]], keep[ids[-1]]
                # a crossing pair's en id is out of order: the lines before it belong to the beads
                # in order around it (flushing there put them before it, and twice without holes)
                if not (side == 1 and b.features.get("crossing") == 1.0):
                    flush(side, lo)
                    while pos[side] < len(left[side]) and left[side][pos[side]] < hi:
                        inside.append((side, left[side][pos[side]]))
                        pos[side] += 1
                sides.append(tuple(keep[i] for i in ids) if holes else tuple(range(lo, hi + 1)))
            else:
                sides.append(())
        out.append(regrouped(b, *sides, ru, en))
        if holes:
            out.extend(null(side, k) for side, k in inside)
    flush(0, len(ru))
    flush(1, len(en))
    return out
