"""The Python API keeps one loaded encoder per (spec, device) and caches vectors by default."""

from __future__ import annotations

import numpy as np
import pytest

import aligner
from aligner.encoders import REGISTRY, forget_shared_encoders, get_encoder, shared_encoder
from aligner.encoders.cache import CachedEncoder
from tests.fakes import HashEncoder

RU = ["Привет.", "Как дела?", "Всё хорошо."]
EN = ["Hello.", "How are you?", "All is well."]


class CountingEncoder(HashEncoder):
    """Counts model loads: each instance 'loads' once, on its first batch (as UseEncoder does)."""

    loads = 0
    built = 0

    def __init__(self, device: str = "cpu") -> None:
        super().__init__()
        self.device = device
        self._loaded = False
        CountingEncoder.built += 1

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        if not self._loaded:
            self._loaded = True
            CountingEncoder.loads += 1
        return super().embed_batch(texts)


def counting(device: str = "cpu") -> CountingEncoder:
    return CountingEncoder(device)


@pytest.fixture
def fake(monkeypatch, tmp_path):
    monkeypatch.setitem(REGISTRY, "fake-count", f"{__name__}:counting")
    monkeypatch.setitem(REGISTRY, "fake-count2", f"{__name__}:counting")
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(CountingEncoder, "loads", 0)
    monkeypatch.setattr(CountingEncoder, "built", 0)
    forget_shared_encoders()
    yield tmp_path
    forget_shared_encoders()


def test_align_in_a_loop_loads_the_model_once(fake):
    first = aligner.align(RU, EN, encoder="fake-count")
    for _ in range(4):
        again = aligner.align(RU, EN, encoder="fake-count")
    assert CountingEncoder.built == 1 and CountingEncoder.loads == 1
    assert [(b.ru_ids, b.en_ids) for b in again] == [(b.ru_ids, b.en_ids) for b in first]


def test_align_text_shares_the_encoder_with_align(fake):
    aligner.align(RU, EN, encoder="fake-count")
    for _ in range(3):
        result = aligner.align_text(" ".join(RU), " ".join(EN), encoder="fake-count")
    assert CountingEncoder.built == 1 and CountingEncoder.loads == 1
    assert result.ru_sentences == RU and result.en_sentences == EN


def test_cache_is_on_by_default_and_can_be_turned_off(fake):
    aligner.align(RU, EN, encoder="fake-count")
    assert (fake / "cache" / "embeddings.sqlite").is_file()
    cached = shared_encoder("fake-count")
    assert isinstance(cached, CachedEncoder)
    plain = shared_encoder("fake-count", cache=False)
    assert not isinstance(plain, CachedEncoder)
    assert plain is cached.inner  # one model, with or without the cache
    calls = plain.calls
    aligner.align(RU[:2], EN[:2], encoder="fake-count", cache=False)
    assert plain.calls > calls  # no cache: the texts went to the model
    assert CountingEncoder.built == 1


def test_cache_off_writes_no_cache_file(fake):
    aligner.align(RU, EN, encoder="fake-count", cache=False)
    assert not (fake / "cache").exists()


def test_a_second_call_embeds_nothing_new(fake):
    aligner.align(RU, EN, encoder="fake-count")
    enc = shared_encoder("fake-count")
    before = enc.embedded
    aligner.align(RU, EN, encoder="fake-count")
    assert enc.embedded == before


def test_one_model_per_device_and_spec(fake):
    shared_encoder("fake-count", device="cpu")
    shared_encoder("fake-count", device="cuda")
    shared_encoder("fake-count2")
    assert CountingEncoder.built == 3
    assert shared_encoder("fake-count", device="cuda") is shared_encoder("fake-count", device="cuda")
    assert CountingEncoder.built == 3


def test_ensemble_members_share_the_models(fake):
    shared_encoder("fake-count")
    ens = shared_encoder("fake-count+fake-count2")
    assert CountingEncoder.built == 2
    assert ens.members[0].inner is shared_encoder("fake-count").inner  # cache wrappers around one model


def test_get_encoder_still_builds_a_new_model(fake):
    get_encoder("fake-count")
    get_encoder("fake-count")
    assert CountingEncoder.built == 2


def test_an_encoder_object_is_used_as_given(fake):
    enc = HashEncoder()
    aligner.align(RU, EN, encoder=enc)
    assert enc.calls > 0 and CountingEncoder.built == 0


def test_the_package_attribute_stays_the_function_after_the_subpackage_is_imported(fake):
    import aligner.align  # noqa: F401  (what align() itself imports)
    from aligner.align import align_sentences  # the subpackage is still importable by name

    assert callable(align_sentences)
    for _ in range(2):  # failed on the second call: "'module' object is not callable"
        beads = aligner.align(RU, EN, encoder="fake-count")
        assert sorted(i for b in beads for i in b.ru_ids) == [0, 1, 2]


def test_lone_surrogate_in_an_api_sentence_is_replaced_not_a_crash(use_encoder):
    # Issue 12 item 6 through the Python API: a caller's string with a lone surrogate used to
    # crash in the cache's key hashing; it is replaced like the readers do, index for index.
    from aligner import align

    beads = align(["Привет.\ud800", "Как дела?"], ["Hello.", "How are you?"], encoder=use_encoder)
    texts = [b.ru for b in beads if b.ru]
    assert "Привет.\ufffd" in " ".join(texts)
    assert sorted(i for b in beads for i in b.ru_ids) == [0, 1]
