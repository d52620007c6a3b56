"""Bertalign's algorithm (Liu & Zhu 2022), re-implemented as a peer for the quality benchmark.

Written from the paper's description and the defaults of its public release, so that
``scripts/bench_quality.py --peer bertalign`` scores the strongest published peer on the
same cases with the same (cached) encoder vectors as our aligner. Not part of the package.

The algorithm, with Bertalign's defaults (max_align 5, top_k 3, window 5, skip -0.1,
margin and length penalty on):
1. First pass, 1-1 only: a DP over 1-1 / 1-0 / 0-1 steps where a 1-1 step gains the
   cosine of the pair if the target is among the source sentence's ``top_k`` nearest
   targets, else nothing; the 1-1 steps of the best path are the anchors.
2. Second pass: a DP in a band of ``window`` sentences around the anchors over every bead
   type with at most ``max_align`` sentences in all. A linked bead gains the cosine of the
   two concatenations, minus (margin) the mean of the cosines of each side with the single
   sentences just outside the other side's window, times (length penalty)
   ``log2(1 + shorter/longer)`` of the two texts' lengths in UTF-8 bytes (as Bertalign counts
   them), the target length scaled by the document's source/target byte ratio. A 1-0 / 0-1
   bead gains ``skip``.

On the cases of ``../shared/eval`` with USE vectors this reproduces the Bertalign figures the
quality issue quotes (measured with the original code): wmt23+ntrex+flores ``__pert`` 0.928,
natural 0.946, flores ``__pert`` 0.810 (quoted 0.809), Text+Berg test0-6 0.911.
"""

from __future__ import annotations

import numpy as np

from aligner.align import Side


def _first_pass(sims: np.ndarray, top_k: int) -> list[tuple[int, int]]:
    """Anchors: ``(i, j)`` prefix lengths after each 1-1 step of the best 1-1/skip path."""
    n, m = sims.shape
    gain = np.zeros_like(sims)
    k = min(top_k, m)
    best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    rows = np.arange(n)[:, None]
    gain[rows, best] = sims[rows, best]
    cost = np.zeros((n + 1, m + 1))  # row 0: 0-1 steps only, each gaining nothing
    move = np.zeros((n + 1, m + 1), dtype=np.int8)  # 0: 0-1, 1: 1-0, 2: 1-1
    for i in range(1, n + 1):
        cost[i, 0], move[i, 0] = cost[i - 1, 0], 1
        diag = cost[i - 1, :-1] + gain[i - 1]
        up = cost[i - 1, 1:]
        for j in range(1, m + 1):  # a left step depends on this row's previous cell
            c = (cost[i, j - 1], up[j - 1], diag[j - 1])
            a = int(np.argmax(c))
            cost[i, j], move[i, j] = c[a], a
    i, j, anchors = n, m, []
    while i or j:
        a = move[i, j]
        if a == 2:
            anchors.append((i, j))
        i, j = (i, j - 1) if a == 0 else (i - 1, j) if a == 1 else (i - 1, j - 1)
    return anchors[::-1]


def _band(anchors: list[tuple[int, int]], n: int, m: int, window: int) -> list[tuple[int, int]]:
    """For each source prefix 0..n, the target prefixes searched: between the previous anchor's
    target minus ``window`` and the next anchor's target plus ``window``."""
    pts = list(anchors) or [(n, m)]
    if pts[-1] != (n, m):  # end at the corner, dropping a last anchor on the bottom or right edge
        if pts[-1][0] == n or pts[-1][1] == m:
            pts.pop()
        pts.append((n, m))
    rows: list[tuple[int, int]] = []
    prev_i, prev_j = 0, 0
    for i, j in pts:
        rows += [(max(0, prev_j - window), min(m, j + window))] * (i - prev_i)
        prev_i, prev_j = i, j
    return [rows[0]] + rows


def byte_lengths(sentences: list[str], max_window: int) -> tuple[np.ndarray, ...]:
    """UTF-8 length of every window of 1..max_window sentences joined by a space."""
    b = np.array([len(s.encode("utf-8")) for s in sentences], dtype=np.float64)
    c = np.concatenate([[0.0], np.cumsum(b)])
    return tuple(c[w:] - c[:-w] + (w - 1) for w in range(1, max_window + 1))


def align(src: Side, tgt: Side, src_bytes: tuple[np.ndarray, ...], tgt_bytes: tuple[np.ndarray, ...], *,
          max_align: int = 5, top_k: int = 3, window: int = 5,
          skip: float = -0.1) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Links ``(src ids, tgt ids)`` covering both sides in order.

    ``src`` / ``tgt``: window embeddings (``aligner.align.embed_sides``); ``*_bytes``: the same
    windows' UTF-8 lengths (``byte_lengths``).
    """
    n, m = src.n, tgt.n
    if n == 0 or m == 0:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    s1, t1 = src.emb[0], tgt.emb[0]
    rows = _band(_first_pass(s1 @ t1.T, top_k), n, m, window)
    widest = len(src.emb)
    types = [(0, 1), (1, 0)] + [(x, y) for x in range(1, max_align) for y in range(1, max_align)
                                if x + y <= max_align and x <= widest and y <= len(tgt.emb)]
    ratio = float(src_bytes[0].sum()) / max(float(tgt_bytes[0].sum()), 1.0)

    def neighbours(vec: np.ndarray, other: np.ndarray, start: int, width: int) -> float:
        left = float(vec @ other[start - 1]) if start >= 1 else 0.0
        right = float(vec @ other[start + width]) if start + width < other.shape[0] else 0.0
        return (left + right) / 2 if left and right else left + right

    def gain(i: int, j: int, x: int, y: int) -> float:
        """Bead of src sentences i-x..i-1 and tgt sentences j-y..j-1."""
        if x == 0 or y == 0:
            return skip
        sv, tv = src.emb[x - 1][i - x], tgt.emb[y - 1][j - y]
        g = float(sv @ tv) - (neighbours(sv, t1, j - y, y) + neighbours(tv, s1, i - x, x)) / 2
        ls, lt = float(src_bytes[x - 1][i - x]), float(tgt_bytes[y - 1][j - y]) * ratio
        return g * float(np.log2(1 + min(ls, lt) / max(ls, lt, 1e-9)))

    cost: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        lo, hi = rows[i]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = -np.inf, None
            for x, y in types:
                p = (i - x, j - y)
                if p[0] < 0 or p[1] < 0 or p not in cost or not rows[p[0]][0] <= p[1] <= rows[p[0]][1]:
                    continue
                c = cost[p] + gain(i, j, x, y)
                if c > best:
                    best, arg = c, (x, y)
            if arg is not None:
                cost[(i, j)], back[(i, j)] = best, arg
    links = []
    i, j = n, m
    while i or j:
        x, y = back[(i, j)]
        links.append((tuple(range(i - x, i)), tuple(range(j - y, j))))
        i, j = i - x, j - y
    return links[::-1]


def split_raw(text: str, lang: str) -> tuple[list[str], str]:
    """Bertalign's own sentence splitting of raw text, for the end-to-end (raw) benchmark.

    As its release does: blank lines dropped and runs of whitespace squeezed (``clean_text``),
    then ``sentence_splitter.SentenceSplitter`` (Koehn & Schroeder's heuristic splitter) over
    the text, which also cuts at every line break. When that package is not installed our own
    splitter stands in, and the second value says which splitter ran.
    """
    import re

    lines = [re.sub(r"\s+", " ", line.strip()) for line in text.strip().splitlines()]
    clean = "\n".join(line for line in lines if line)
    try:
        from sentence_splitter import SentenceSplitter
    except ImportError:
        from aligner.segment import split_sentences

        return [s for line in clean.split("\n") for s in split_sentences(line, lang)], "ours"
    sents = [s.strip() for s in SentenceSplitter(language=lang).split(text=clean)]
    return [s for s in sents if s], "sentence_splitter"
