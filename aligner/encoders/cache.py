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

CHUNK = 8192  # new texts embedded (and committed to the store) per step
MEMORY_VECTORS = 50_000  # in-process copies kept between calls (~100 MB at 512-d)


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

    def _stored(self, encoder: str, keys: list[bytes], dim: int):
        """Yield ``(key, blob)`` for the stored keys whose vector has ``dim`` floats (500 keys a query)."""
        conn = self._conn()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in conn.execute(
                f"SELECT key, vec FROM vectors WHERE encoder = ? AND key IN ({marks})", [encoder, *chunk]
            ):
                if len(blob) == 4 * dim:
                    yield key, blob

    def get_many(self, encoder: str, keys: list[bytes], dim: int) -> dict[bytes, np.ndarray]:
        return {key: np.frombuffer(blob, dtype=np.float32) for key, blob in self._stored(encoder, keys, dim)}

    def fill(self, encoder: str, keys: list[bytes], rows: list[int], out: np.ndarray) -> set[bytes]:
        """Copy the stored vector of ``keys[i]`` into ``out[rows[i]]``; returns the keys found.

        Unlike ``get_many`` it holds no per-vector objects, so looking up
        hundreds of thousands of windows costs no memory beyond ``out``.
        """
        row_of = dict(zip(keys, rows))
        found: set[bytes] = set()
        for key, blob in self._stored(encoder, keys, out.shape[1]):
            out[row_of[key]] = np.frombuffer(blob, dtype=np.float32)
            found.add(key)
        return found

    def put_many(self, encoder: str, items: list[tuple[bytes, np.ndarray]]) -> None:
        conn = self._conn()
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO vectors (encoder, key, vec) VALUES (?, ?, ?)",
                ((encoder, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items),
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
        """Like ``Encoder.encode``, embedding only texts never seen before (each once).

        Memory stays at the output array: hits are copied straight into it,
        new texts are embedded and stored in chunks of ``CHUNK`` (so a killed
        run keeps what it embedded), and the in-process copy is capped.
        """
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        keys = [text_key(t) for t in texts]
        first: dict[bytes, int] = {}  # each distinct text -> its first row
        for i, k in enumerate(keys):
            first.setdefault(k, i)
        missing = []
        for k, i in first.items():
            vec = self._memory.get(k)
            if vec is None:
                missing.append(k)
            else:
                out[i] = vec
        if missing and self.store is not None:
            found = self.store.fill(self.name, missing, [first[k] for k in missing], out)
            missing = [k for k in missing if k not in found]
        if progress is not None and len(first) > len(missing):
            progress(len(first) - len(missing))
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            rows = [first[k] for k in chunk]
            vecs = self.inner.encode([texts[i] for i in rows], progress=progress)
            out[rows] = vecs
            self.embedded += len(chunk)
            if self.store is not None:
                self.store.put_many(self.name, list(zip(chunk, vecs)))
        idx = np.fromiter((first[k] for k in keys), dtype=np.int64, count=len(keys))
        dups = np.flatnonzero(idx != np.arange(len(keys)))
        out[dups] = out[idx[dups]]  # repeated texts: copy of their first row
        room = MEMORY_VECTORS - len(self._memory)
        for k in list(first)[: max(0, room)]:
            self._memory.setdefault(k, out[first[k]].copy())  # a copy: never pin ``out``
        return out
