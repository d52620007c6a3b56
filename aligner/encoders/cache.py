"""A persistent embedding cache keyed by (encoder name, text hash).

Re-running the same input embeds nothing, and the same text asked for twice
in one call (overlapping concatenation windows, repeated lines) is embedded
once. Vectors live in one SQLite file, which is safe for several processes
to share.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
import time
import warnings
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from aligner.encoders.base import Encoder, ProgressFn, cut_pieces
from aligner.errors import AlignerError, AlignerWarning

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


class CacheError(AlignerError):
    """The cache folder or file cannot be used (not a folder, read-only, disk full)."""


# SQLite primary result codes (``sqlite3.Error.sqlite_errorcode & 0xFF``).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_PERM, _AUTH = 3, 23
OPEN_TIMEOUT = 60.0  # seconds: the first opens of a new cache by many workers wait for each other


def _code(exc: sqlite3.Error) -> int:
    """The primary result code; from the message where Python (before 3.11) does not carry it."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if not code and ("malformed" in str(exc) or "not a database" in str(exc)):
        return _CORRUPT
    return code


def _unusable(path: Path, why: str) -> CacheError:
    return CacheError(f"cannot use the embedding cache {path}: {why}; "
                      "set ALIGNER_CACHE_DIR to a writable folder with free space, or pass --no-cache")


class EmbeddingStore:
    """SQLite table ``(encoder, key) -> float32 vector``.

    Faults a user can cause are handled here: a cache file that is not a
    database (garbage, truncated) is renamed aside with a warning and rebuilt,
    since it holds only recomputable vectors; a folder that cannot be written
    (a file in its place, read-only, disk full) is a ``CacheError`` that names
    ``--no-cache``; and "database is locked" on the first concurrent opens of
    a new file is retried until ``OPEN_TIMEOUT``.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._ino: int | None = None
        self._prepare_dir()
        self._open_checked()

    def _prepare_dir(self) -> None:
        parent = self.path.parent
        if parent.exists() and not parent.is_dir():
            raise _unusable(self.path, f"{parent} is a file, not a folder")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _unusable(self.path, f"cannot create {parent} ({exc.strerror or exc})") from exc
        if self.path.is_dir():
            raise _unusable(self.path, "it is a folder")

    def _open_checked(self) -> None:
        """Open (creating the table), setting a broken file aside once; retry while another process holds the lock."""
        deadline = time.monotonic() + OPEN_TIMEOUT
        set_aside = False
        while True:
            try:
                self._create()
                return
            except sqlite3.Error as exc:
                self._close()
                code = _code(exc)
                if code in (_BUSY, _LOCKED) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                if code in (_CORRUPT, _NOTADB) and not set_aside:
                    self._set_aside(str(exc))
                    set_aside = True
                    continue
                raise self._translate(exc) from exc

    def _create(self) -> None:
        conn = self._conn()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors ("
            " encoder TEXT NOT NULL, key BLOB NOT NULL, vec BLOB NOT NULL,"
            " PRIMARY KEY (encoder, key)) WITHOUT ROWID"
        )
        conn.commit()
        conn.execute("SELECT 1 FROM vectors LIMIT 1").fetchall()  # reads the root page: a cut file fails here

    def _translate(self, exc: sqlite3.Error) -> AlignerError:
        code = _code(exc)
        if code == _FULL:
            return _unusable(self.path, "the disk is full")
        if code in (_READONLY, _CANTOPEN, _PERM, _AUTH, _IOERR) or "readonly" in str(exc):
            return _unusable(self.path, f"it cannot be written ({exc})")
        if code in (_BUSY, _LOCKED):
            return CacheError(f"the embedding cache {self.path} stayed locked by another process; "
                              "wait for it to finish, or pass --no-cache")
        return _unusable(self.path, str(exc))

    def _set_aside(self, why: str) -> None:
        """Rename a broken cache file (and its WAL files) to ``NAME.broken-TIME`` so a new one can be built.

        Another process may already have done so and built a new file: a file
        that is no longer the one this store opened is left alone.
        """
        current = _inode(self.path)
        if current is None or (self._ino is not None and current != self._ino):
            return
        aside = self.path.with_name(f"{self.path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise _unusable(self.path, f"it is damaged ({why}) and cannot be renamed ({exc.strerror})") from exc
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")
        warnings.warn(f"the embedding cache {self.path} was damaged ({why}); moved it to {aside.name} and "
                      "started a new one (vectors are computed again)", AlignerWarning, stacklevel=2)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=OPEN_TIMEOUT)
            self._local.conn = conn
            self._ino = _inode(self.path)  # the file this store uses (see ``_set_aside``)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _close(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def _guarded(self, work):
        """Run ``work(conn)``; a file damaged under us is set aside and rebuilt once, other faults are ``CacheError``."""
        try:
            return work(self._conn())
        except sqlite3.Error as exc:
            self._close()
            if _code(exc) not in (_CORRUPT, _NOTADB):
                raise self._translate(exc) from exc
            self._set_aside(str(exc))
            self._open_checked()
            try:
                return work(self._conn())
            except sqlite3.Error as again:
                raise self._translate(again) from again

    def _stored(self, encoder: str, keys: list[bytes], dim: int) -> Iterator[tuple[bytes, bytes]]:
        """Yield ``(key, blob)`` for the stored keys whose vector has ``dim`` floats (500 keys a query)."""
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            sql = f"SELECT key, vec FROM vectors WHERE encoder = ? AND key IN ({','.join('?' * len(chunk))})"
            for key, blob in self._guarded(lambda conn: conn.execute(sql, [encoder, *chunk]).fetchall()):
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
        rows = [(encoder, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items]

        def work(conn: sqlite3.Connection) -> None:
            with conn:
                conn.executemany("INSERT OR REPLACE INTO vectors (encoder, key, vec) VALUES (?, ?, ?)", rows)

        self._guarded(work)

    def count(self, encoder: str | None = None) -> int:
        if encoder is None:
            return self._guarded(lambda conn: conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
        return self._guarded(
            lambda conn: conn.execute("SELECT COUNT(*) FROM vectors WHERE encoder = ?", [encoder]).fetchone()[0])


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


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
        self.stand_in_bonus = getattr(inner, "stand_in_bonus", None)
        self.unrelated_block_cosine = getattr(inner, "unrelated_block_cosine", None)
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
        return self._encode(texts, lambda rows, progress: self.inner.encode([texts[i] for i in rows], progress=progress),
                            progress)

    def encode_joined(self, parts: Sequence[Sequence[str]], progress: ProgressFn | None = None) -> np.ndarray:
        """Like ``encode`` of the joined texts (the cache key), the new ones through the wrapped
        encoder's ``encode_joined``."""
        parts = [tuple(p) for p in parts]
        joined = getattr(self.inner, "encode_joined", None)
        if joined is None:
            return self.encode([" ".join(p) for p in parts], progress)
        return self._encode([" ".join(p) for p in parts],
                            lambda rows, progress: joined([parts[i] for i in rows], progress=progress), progress)

    def expect_cuts(self, texts: Sequence[str]) -> None:
        hint = getattr(self.inner, "expect_cuts", None)
        if hint is not None:
            hint(texts)

    def encode_cuts(self, cuts: Sequence[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Like ``encode`` of the pieces (each keyed by its own text); a cut with a piece not
        stored goes to the wrapped encoder's ``encode_cuts`` whole."""
        cuts = [(s, q) for s, q in cuts]
        n = len(cuts)
        texts = cut_pieces(cuts)
        inner = getattr(self.inner, "encode_cuts", None)

        def embed(rows, progress):
            if inner is None:
                return self.inner.encode([texts[i] for i in rows], progress=progress)
            need = sorted({i % n for i in rows})
            lefts, rights = inner([cuts[i] for i in need])
            at = {c: k for k, c in enumerate(need)}
            return np.stack([lefts[at[i]] if i < n else rights[at[i - n]] for i in rows])

        vecs = self._encode(texts, embed, None)
        return vecs[:n], vecs[n:]

    def _encode(self, texts: list[str], embed, progress: ProgressFn | None) -> np.ndarray:
        """``encode``'s work; ``embed(rows, progress)`` embeds ``texts[i]`` for ``i`` in ``rows``."""
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
            vecs = embed(rows, progress)
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
