"""The Encoder protocol: text in, L2-normalised float32 vectors out.

Backends implement only ``embed_batch``; the base class loads lazily,
length-sorts the batches (less padding, same result order) and normalises.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Callable, Sequence

import numpy as np

ProgressFn = Callable[[int], None]  # called with the number of texts just embedded


class Encoder(ABC):
    """A sentence encoder. ``encode`` returns an ``(n, dim)`` float32 array with unit rows."""

    name: str = "encoder"
    dim: int = 0
    batch_size: int = 64
    # What the cosine of a multi-sentence window's stand-in (the weighted sum of its sentence
    # vectors, ``aligner.align.windows``) falls short of the real window's, for 2, 3, 4
    # sentences: the DP adds it back. ``None``: not measured for this model (the values
    # measured for USE are used). It is a property of the model's geometry.
    stand_in_bonus: tuple[float, ...] | None = None
    # The typical cosine of a block (mean sentence vector) with its nearest unrelated blocks: the
    # block pairer counts a missing neighbour as this (``PairingConfig.margin_prior``). ``None``:
    # not measured for this model (the pairer then averages only the neighbours there are).
    unrelated_block_cosine: float | None = None

    @abstractmethod
    def embed_batch(self, texts: list[str]) -> np.ndarray:
        """Embed one batch. Returns ``(len(texts), dim)``; need not be normalised."""

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        """Embed ``texts`` in input order.

        Args:
            texts: strings to embed; empty strings are allowed.
            progress: optional callback with the count of texts done per batch.
        Returns:
            ``(len(texts), dim)`` float32, each row of unit length (or zero for empty text).
        """
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            vecs = np.asarray(self.embed_batch([texts[i] for i in idx]), dtype=np.float32)
            out[idx] = vecs
            if progress is not None:
                progress(len(idx))
        return normalise(out)

    def encode_joined(self, parts: Sequence[Sequence[str]], progress: ProgressFn | None = None) -> np.ndarray:
        """Embed the texts ``" ".join(p)`` for each ``p`` in ``parts`` (windows of adjacent sentences).

        The same as ``encode`` of the joined texts; a model that can build a window's vector
        from its sentences' (``UseEncoder``) overrides this to do so.

        Returns:
            ``(len(parts), dim)`` float32 with unit (or zero) rows.
        """
        return self.encode([" ".join(p) for p in parts], progress=progress)

    def expect_cuts(self, texts: Sequence[str]) -> None:
        """A hint: ``encode_cuts`` may soon be asked for pieces of these sentences (a no-op here;
        ``UseEncoder`` then keeps what it computes for them when it embeds them)."""

    def encode_cuts(self, cuts: Sequence[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Embed both pieces of sentences cut at a word: ``s[:q].rstrip()`` and ``s[q:]`` for
        each ``(s, q)`` (the candidate cuts of ``partner`` and ``headline_split``).

        The same as ``encode`` of the pieces; ``UseEncoder`` builds them from one pass over
        each sentence.

        Returns:
            ``(lefts, rights)``, each ``(len(cuts), dim)`` float32 with unit (or zero) rows.
        """
        vecs = self.encode(cut_pieces(cuts))
        return vecs[: len(cuts)], vecs[len(cuts) :]


def cut_pieces(cuts: Sequence[tuple[str, int]]) -> list[str]:
    """The pieces of sentences cut at a word (``Encoder.encode_cuts``): every left piece
    ``s[:q].rstrip()``, then every right piece ``s[q:]``."""
    return [s[:q].rstrip() for s, q in cuts] + [s[q:] for s, q in cuts]


def normalise(vecs: np.ndarray) -> np.ndarray:
    """L2-normalise rows; zero rows stay zero."""
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vecs / norms).astype(np.float32, copy=False)
