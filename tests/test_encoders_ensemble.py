"""The ensemble encoder: its cosine is the mean of the members' cosines."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.encoders import REGISTRY, get_encoder
from aligner.encoders.base import Encoder
from aligner.encoders.cache import CachedEncoder
from aligner.encoders.ensemble import EnsembleEncoder
from aligner.errors import AlignerError
from tests.fakes import HashEncoder, vector_for


class Fake(HashEncoder):
    """A HashEncoder with its own name and size, so members differ."""

    def __init__(self, name: str = "fake-a", dim: int = 16, device: str = "cpu") -> None:
        super().__init__()
        self.name, self.dim = name, dim

    def embed_batch(self, texts):
        self.calls += len(texts)
        return np.stack([vector_for(self.name + t, self.dim) if t.strip() else np.zeros(self.dim, np.float32)
                         for t in texts])


def fake_b(device: str = "cpu") -> Encoder:
    return Fake("fake-b", 24)


def fake_a(device: str = "cpu") -> Encoder:
    return Fake("fake-a", 16)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(min_size=1).filter(str.strip), min_size=2, max_size=6, unique=True), st.integers(2, 4))
def test_cosine_is_the_mean_of_member_cosines(texts, k):
    members = [Fake(f"m{i}", 8 + 4 * i) for i in range(k)]
    ens = EnsembleEncoder(members).encode(texts)
    parts = [m.encode(texts) for m in members]
    want = np.mean([p @ p.T for p in parts], axis=0)
    np.testing.assert_allclose(ens @ ens.T, want, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(ens, axis=1), 1.0, atol=1e-5)


def test_name_dim_and_order():
    ens = EnsembleEncoder([Fake("a", 16), Fake("b", 24)])
    assert (ens.name, ens.dim) == ("a+b", 40)
    texts = ["long sentence here", "x", "mid one"]
    np.testing.assert_allclose(ens.encode(texts), np.vstack([ens.encode([t]) for t in texts]), atol=1e-6)


def test_embed_batch_matches_encode():
    ens = EnsembleEncoder([Fake("a", 16), Fake("b", 24)])
    texts = ["один", "two", "три"]
    np.testing.assert_allclose(ens.encode(texts), ens.embed_batch(texts), atol=1e-6)


def test_empty_text_stays_zero():
    assert not EnsembleEncoder([Fake("a"), Fake("b")]).encode(["", "x"])[0].any()


def test_needs_two_members():
    with pytest.raises(AlignerError, match="at least two"):
        EnsembleEncoder([Fake()])


def test_progress_counts_each_text_once():
    seen = []
    EnsembleEncoder([Fake("a"), Fake("b"), Fake("c")]).encode([f"t{i}" for i in range(20)], progress=seen.append)
    assert sum(seen) == 20


def test_get_encoder_caches_each_member_under_its_own_name(monkeypatch, tmp_path):
    monkeypatch.setitem(REGISTRY, "fake-a", f"{__name__}:fake_a")
    monkeypatch.setitem(REGISTRY, "fake-b", f"{__name__}:fake_b")
    path = str(tmp_path / "emb.sqlite")
    ens = get_encoder("fake-a+fake-b", cache=path)
    assert isinstance(ens, EnsembleEncoder) and ens.name == "fake-a+fake-b"
    assert all(isinstance(m, CachedEncoder) for m in ens.members)
    first = ens.encode(["a text", "another"])
    alone = get_encoder("fake-a", cache=path)
    alone.encode(["a text"])
    assert alone.embedded == 0  # the ensemble run already stored fake-a's vector
    np.testing.assert_allclose(get_encoder("fake-a+fake-b", cache=path).encode(["a text", "another"]), first)


def test_get_encoder_without_cache_builds_plain_members(monkeypatch):
    monkeypatch.setitem(REGISTRY, "fake-a", f"{__name__}:fake_a")
    monkeypatch.setitem(REGISTRY, "fake-b", f"{__name__}:fake_b")
    ens = get_encoder("fake-a+fake-b")
    assert [type(m) for m in ens.members] == [Fake, Fake] and ens.dim == 40
