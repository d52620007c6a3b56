"""A deterministic fake encoder for tests that count embeddings or need several processes.

Importable by name (``tests.fakes``) so process pools and Ray workers can unpickle it.
"""

from __future__ import annotations

import hashlib

import numpy as np

from aligner.encoders.base import Encoder


class HashEncoder(Encoder):
    """Each text maps to a fixed pseudo-random vector (seeded by its hash); ``calls`` counts texts seen."""

    name = "fake-hash"
    dim = 16
    batch_size = 8

    def __init__(self) -> None:
        self.calls = 0

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        return np.stack([vector_for(t, self.dim) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def vector_for(text: str, dim: int = HashEncoder.dim) -> np.ndarray:
    if not text.strip():
        return np.zeros(dim, dtype=np.float32)
    seed = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
    return np.random.default_rng(seed).standard_normal(dim).astype(np.float32)


def cached_hash_encoder(path: str):
    """A ``HashEncoder`` behind the on-disk cache at ``path`` (a picklable factory via functools.partial)."""
    from aligner.encoders.cache import CachedEncoder, EmbeddingStore

    return CachedEncoder(HashEncoder(), EmbeddingStore(path))


class CrashingEncoder(HashEncoder):
    """Kills its process (as the OOM killer would) when asked to embed a text containing ``CRASH``."""

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        if any("CRASH" in t for t in texts):
            import os

            os._exit(137)
        return super().embed_batch(texts)


def cached_crashing_encoder(path: str):
    from aligner.encoders.cache import CachedEncoder, EmbeddingStore

    return CachedEncoder(CrashingEncoder(), EmbeddingStore(path))
