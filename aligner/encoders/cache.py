"""A persistent embedding cache keyed by (encoder name, text hash).

Re-running the same input embeds nothing, and the same text asked for twice
in one call (overlapping concatenation windows, repeated lines) is embedded
once. Vectors live in one SQLite file, which is safe for several processes
to share.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from aligner.encoders.base import Encoder, ProgressFn


def default_cache_dir() -> Path:
    """``$ALIGNER_CACHE_DIR``, else ``$XDG_CACHE_HOME/aligner``, else ``~/.cache/aligner``."""
    env = os.environ.get("ALIGNER_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "aligner" if xdg else Path.home() / ".cache" / "aligner"


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class EmbeddingStore:
    """SQLite table ``(encoder, key) -> float32 vector``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors ("
                " encoder TEXT NOT NULL, key BLOB NOT NULL, vec BLOB NOT NULL,"
                " PRIMARY KEY (encoder, key)) WITHOUT ROWID"
            )

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def get_many(self, encoder: str, keys: list[bytes], dim: int) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        conn = self._conn()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT key, vec FROM vectors WHERE encoder = ? AND key IN ({marks})",
                [encoder, *chunk],
            )
            for key, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == dim:
                    found[key] = vec
        return found

    def put_many(self, encoder: str, items: list[tuple[bytes, np.ndarray]]) -> None:
        conn = self._conn()
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO vectors (encoder, key, vec) VALUES (?, ?, ?)",
                [(encoder, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items],
            )

    def count(self, encoder: str | None = None) -> int:
        conn = self._conn()
        if encoder is None:
            return conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        return conn.execute("SELECT COUNT(*) FROM vectors WHERE encoder = ?", [encoder]).fetchone()[0]


class CachedEncoder(Encoder):
    """Wraps an encoder so each distinct text is embedded at most once, ever.

    ``embedded`` counts texts actually sent to the wrapped encoder, which is
    how tests and the batch summary show that a re-run embeds nothing.
    """

    def __init__(self, inner: Encoder, store: EmbeddingStore | None = None) -> None:
        self.inner = inner
        self.store = store
        self.name = inner.name
        self.dim = inner.dim
        self.batch_size = inner.batch_size
        self.embedded = 0
        self._memory: dict[bytes, np.ndarray] = {}

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_batch(texts)

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        texts = list(texts)
        keys = [text_key(t) for t in texts]
        vectors: dict[bytes, np.ndarray] = {}
        wanted = list(dict.fromkeys(keys))
        for k in wanted:
            if k in self._memory:
                vectors[k] = self._memory[k]
        missing = [k for k in wanted if k not in vectors]
        if missing and self.store is not None:
            vectors.update(self.store.get_many(self.name, missing, self.dim))
            missing = [k for k in missing if k not in vectors]
        if progress is not None and len(texts) > 0:
            done = len(wanted) - len(missing)
            if done:
                progress(done)
        if missing:
            first_text = {}
            for k, t in zip(keys, texts):
                first_text.setdefault(k, t)
            new_texts = [first_text[k] for k in missing]
            new_vecs = self.inner.encode(new_texts, progress=progress)
            self.embedded += len(new_texts)
            fresh = list(zip(missing, new_vecs))
            vectors.update(fresh)
            if self.store is not None:
                self.store.put_many(self.name, fresh)
        if len(self._memory) < 200_000:
            self._memory.update(vectors)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = vectors[k]
        return out
