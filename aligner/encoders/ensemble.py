"""Several encoders as one: ``use+e5-small``.

Each member's unit vector is scaled by ``1/sqrt(k)`` and the k pieces are
concatenated, so the dot product of two ensemble vectors is the mean of the
members' cosines. Different models make different mistakes; averaging their
similarities cuts nearest-neighbour errors (on Tatoeba-style retrieval the
pair beats either member; see the README's encoder table).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from aligner.encoders.base import Encoder, ProgressFn, normalise
from aligner.errors import AlignerError


class EnsembleEncoder(Encoder):
    """Concatenation of the members' normalised vectors, each weighted ``1/sqrt(k)``.

    Members keep their own batching, caching and lazy loading: ``encode``
    calls each member's ``encode``, so ``get_encoder("use+e5-small", cache=True)``
    shares the ``use`` vectors with plain ``use`` runs.

    Args:
        encoders: two or more encoders.
    """

    def __init__(self, encoders: Sequence[Encoder]) -> None:
        encoders = list(encoders)
        if len(encoders) < 2:
            raise AlignerError("an ensemble needs at least two encoders, e.g. use+e5-small")
        self.members = encoders
        self.name = "+".join(e.name for e in encoders)
        self.batch_size = max(e.batch_size for e in encoders)
        # the ensemble's cosine is the mean of the members' cosines, and so is its stand-ins' shortfall:
        # use+e5-small's measured 0.033 / 0.059 / 0.076 against USE's 0.063 / 0.102 / 0.125 and e5's
        # 0.004 / 0.019 / 0.030 (textberg_dev, bilinguator khameleon and the_raven)
        bonuses = [getattr(e, "stand_in_bonus", None) for e in encoders]
        if all(b is not None for b in bonuses):
            self.stand_in_bonus = tuple(float(np.mean(col)) for col in zip(*bonuses))
        unrelated = [getattr(e, "unrelated_block_cosine", None) for e in encoders]
        if all(u is not None for u in unrelated):  # likewise the mean of the members'
            self.unrelated_block_cosine = float(np.mean(unrelated))

    @property
    def dim(self) -> int:  # type: ignore[override]
        return sum(e.dim for e in self.members)

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        return self._combine([normalise(np.asarray(e.embed_batch(texts), dtype=np.float32)) for e in self.members])

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        """Embed ``texts`` with every member; returns ``(n, sum of member dims)`` float32 unit rows."""
        texts = list(texts)
        counter = _SharedProgress(progress, len(self.members)) if progress is not None else None
        return self._combine([e.encode(texts, progress=counter) for e in self.members])

    def _combine(self, parts: list[np.ndarray]) -> np.ndarray:
        weight = np.float32(1.0 / np.sqrt(len(parts)))
        return normalise(np.concatenate([p * weight for p in parts], axis=1))


class _SharedProgress:
    """Turns k members' progress reports into one count that reaches n, not k*n."""

    def __init__(self, progress: ProgressFn, k: int) -> None:
        self.progress, self.k, self.total, self.sent = progress, k, 0, 0

    def __call__(self, done: int) -> None:
        self.total += done
        step = self.total // self.k - self.sent
        if step > 0:
            self.sent += step
            self.progress(step)
