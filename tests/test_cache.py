"""The on-disk embedding cache: nothing embedded twice, exact round trips, safe across processes."""

from __future__ import annotations

import multiprocessing
import sqlite3

import numpy as np
import pytest

from aligner.encoders.base import normalise
from aligner.encoders.cache import CachedEncoder, EmbeddingStore, default_cache_dir, text_key
from tests.fakes import HashEncoder, cached_hash_encoder, vector_for

TEXTS = ["Привет.", "Hello.", "Как дела?", "How are you?", "", "Ещё одно предложение."]


def _fresh(path) -> CachedEncoder:
    """A new encoder object (empty in-memory cache) over the same SQLite file."""
    return cached_hash_encoder(str(path))


def test_rerun_embeds_nothing(tmp_path):
    db = tmp_path / "e.sqlite"
    first = _fresh(db)
    a = first.encode(TEXTS)
    second = _fresh(db)
    b = second.encode(TEXTS)
    assert (first.embedded, second.embedded, second.inner.calls) == (len(TEXTS), 0, 0)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("texts, distinct", [
    (["a b", "a b", "a b"], 1),
    (["x", "y", "x", "z", "y"], 3),
    (["одно", "one", "одно"], 2),
])
def test_duplicates_in_one_call_are_embedded_once(tmp_path, texts, distinct):
    enc = _fresh(tmp_path / "e.sqlite")
    out = enc.encode(texts)
    assert enc.inner.calls == distinct
    for i, t in enumerate(texts):
        np.testing.assert_array_equal(out[i], out[texts.index(t)])


def test_overlapping_windows_share_vectors(tmp_path):
    """Concatenation windows overlap between calls: only the new ones reach the model."""
    enc = _fresh(tmp_path / "e.sqlite")
    enc.encode(["s1", "s2", "s1 s2"])
    enc.encode(["s2", "s3", "s2 s3", "s1 s2"])
    assert enc.inner.calls == 5


def test_vectors_round_trip_exactly(tmp_path):
    db = tmp_path / "e.sqlite"
    expected = normalise(np.stack([vector_for(t) for t in TEXTS]))
    np.testing.assert_array_equal(_fresh(db).encode(TEXTS), expected)
    back = _fresh(db).encode(TEXTS)
    assert back.dtype == np.float32
    np.testing.assert_array_equal(back, expected)  # bit-exact, not approximately


def test_store_keys_by_encoder_name(tmp_path):
    store = EmbeddingStore(tmp_path / "e.sqlite")
    store.put_many("a", [(text_key("x"), np.ones(4, np.float32))])
    assert store.get_many("b", [text_key("x")], 4) == {}
    assert store.count("a") == 1


def test_wrong_dimension_is_a_miss(tmp_path):
    store = EmbeddingStore(tmp_path / "e.sqlite")
    store.put_many("a", [(text_key("x"), np.ones(4, np.float32))])
    assert store.get_many("a", [text_key("x")], 8) == {}


def test_default_cache_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    assert default_cache_dir() == tmp_path


def _writer(path: str, start: int, n: int) -> int:
    """Embed overlapping ranges in many small calls, to make the two processes contend."""
    enc = cached_hash_encoder(path)
    for lo in range(start, start + n, 25):
        enc.encode([f"sentence {i}" for i in range(lo, min(lo + 25, start + n))])
    return enc.embedded


def test_two_processes_writing_at_once_do_not_corrupt(tmp_path):
    db = str(tmp_path / "e.sqlite")
    EmbeddingStore(db)  # create the table first, as a run does
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        embedded = pool.starmap(_writer, [(db, 0, 1500), (db, 750, 1500)])
    assert all(e > 0 for e in embedded)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    texts = [f"sentence {i}" for i in range(2250)]
    enc = _fresh(db)
    got = enc.encode(texts)
    assert enc.embedded == 0 and EmbeddingStore(db).count(HashEncoder.name) == 2250
    np.testing.assert_array_equal(got, normalise(np.stack([vector_for(t) for t in texts])))


def test_chunked_embedding_gives_the_same_vectors(tmp_path, monkeypatch):
    from aligner.encoders import cache

    texts = [f"text {i % 7}" for i in range(20)]
    whole = _fresh(tmp_path / "a.sqlite").encode(texts)
    monkeypatch.setattr(cache, "CHUNK", 3)
    enc = _fresh(tmp_path / "b.sqlite")
    np.testing.assert_array_equal(enc.encode(texts), whole)
    assert enc.embedded == 7 and EmbeddingStore(tmp_path / "b.sqlite").count() == 7


def test_in_process_copy_is_capped_and_detached(tmp_path, monkeypatch):
    from aligner.encoders import cache

    monkeypatch.setattr(cache, "MEMORY_VECTORS", 2)
    enc = _fresh(tmp_path / "e.sqlite")
    out = enc.encode(TEXTS)
    assert len(enc._memory) == 2
    assert all(v.base is None or v.base is not out for v in enc._memory.values())
