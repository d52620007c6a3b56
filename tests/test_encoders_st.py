"""The sentence-transformers backend, on a tiny random BERT built and saved locally (no network)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from aligner.encoders import get_encoder
from aligner.encoders.cache import CachedEncoder
from aligner.encoders.st import SentenceTransformerEncoder, _choose_prompt, _peek_dim, _pooling_dim
from aligner.errors import AlignerError, MissingExtraError

pytest.importorskip("sentence_transformers", reason='needs the [st] extra: pip install "ruen-aligner[st]"')

REPO = Path(__file__).resolve().parent.parent
TEXTS = ["Привет, мир.", "", "Hello world, this is a longer sentence than the others.", "Да.", "Hello world."]
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "query", ":", *"abcdefghijklmnopqrstuvwxyz",
         *"абвгдеёжзийклмнопрстуфхцчшщъыьэюя", *".,!?"]


def _build(root: Path, prompts: dict | None, default: str | None) -> Path:
    """A 2-layer, 32-wide BERT with random weights, saved with save_pretrained, wrapped by sentence-transformers."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    raw = root / "hf"
    raw.mkdir(parents=True)
    (raw / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(raw)
    BertTokenizerFast(vocab_file=str(raw / "vocab.txt"), do_lower_case=True).save_pretrained(raw)
    try:  # sentence-transformers >= 6
        from sentence_transformers.sentence_transformer import modules as models
    except ImportError:
        from sentence_transformers import models
    modules = [models.Transformer(str(raw), max_seq_length=128), models.Pooling(32, "mean"), models.Normalize()]
    out = root / "st"
    SentenceTransformer(modules=modules, prompts=prompts, default_prompt_name=default, device="cpu").save(str(out))
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("tiny-prompted"), {"query": "query: "}, "query")


@pytest.fixture(scope="module")
def tiny_plain(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("tiny-plain"), None, None)


def test_encode_shape_unit_rows_and_empty_text_is_zero(tiny):
    vecs = SentenceTransformerEncoder(str(tiny)).encode(TEXTS)
    assert vecs.shape == (len(TEXTS), 32) and vecs.dtype == np.float32
    norms = np.linalg.norm(vecs, axis=1)
    assert norms[1] == 0.0
    np.testing.assert_allclose(np.delete(norms, 1), 1.0, atol=1e-5)


def test_length_sorted_batches_keep_input_order(tiny):
    enc = SentenceTransformerEncoder(str(tiny), batch_size=2)
    together = enc.encode(TEXTS)
    one_by_one = np.vstack([enc.encode([t]) for t in TEXTS])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_model_prompt_is_applied(tiny):
    from sentence_transformers import SentenceTransformer

    enc = SentenceTransformerEncoder(str(tiny))
    assert enc.prompt == "query: "
    raw = SentenceTransformer(str(tiny), device="cpu")
    want = raw.encode(["query: Hello world."], prompt="", normalize_embeddings=True)
    np.testing.assert_allclose(enc.encode(["Hello world."]), want, atol=1e-5)
    bare = raw.encode(["Hello world."], prompt="", normalize_embeddings=True)
    assert not np.allclose(enc.encode(["Hello world."]), bare, atol=1e-3)


def test_prompt_argument_overrides_and_changes_the_cache_key(tiny):
    enc = SentenceTransformerEncoder(str(tiny), prompt="")
    assert enc.prompt == ""
    assert enc.name == f"st:{tiny}#prompt="
    assert SentenceTransformerEncoder(str(tiny)).name == f"st:{tiny}"


@pytest.mark.parametrize("prompts, default, name, arg, want", [
    ({"query": "query: ", "passage": "passage: "}, "passage", "x", None, "passage: "),
    ({"query": "query: ", "document": ""}, None, "x", None, "query: "),
    ({}, None, "intfloat/multilingual-e5-small", None, "query: "),
    ({}, None, "/models/labse", None, ""),
    ({"query": "query: "}, "query", "x", "search: ", "search: "),
])
def test_choose_prompt(prompts, default, name, arg, want):
    model = SimpleNamespace(prompts=prompts, default_prompt_name=default)
    assert _choose_prompt(model, name, arg) == want


def test_model_without_prompts_gets_none(tiny_plain):
    assert SentenceTransformerEncoder(str(tiny_plain)).prompt == ""


def test_dim_is_read_from_config_without_loading(tiny):
    enc = SentenceTransformerEncoder(str(tiny))
    assert _peek_dim(tiny) == 32 and enc.dim == 32 and enc._model is None


@pytest.mark.parametrize("cfg, want", [
    ({"embedding_dimension": 32, "pooling_mode": "mean"}, 32),
    ({"embedding_dimension": 32, "pooling_mode": ["mean", "max"]}, 64),
    ({"word_embedding_dimension": 384, "pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False}, 384),
    ({"word_embedding_dimension": 384, "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True}, 768),
    ({"pooling_mode": "mean"}, None),
])
def test_pooling_dim(cfg, want):
    assert _pooling_dim(cfg) == want


def test_import_and_cached_dim_do_not_import_torch(tiny):
    code = ("import sys; from aligner.encoders import get_encoder; "
            f"e = get_encoder({'st:' + str(tiny)!r}); assert e.dim == 32; "
            "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_get_encoder_dispatch_and_cache_wrapper(tiny, tmp_path):
    enc = get_encoder(f"st:{tiny}", cache=str(tmp_path / "emb.sqlite"))
    assert isinstance(enc, CachedEncoder) and enc.name == f"st:{tiny}"
    first = enc.encode(["Hello world."])
    assert enc.encode(["Hello world."]).tolist() == first.tolist() and enc.embedded == 1


def test_missing_extra_is_one_line_with_the_install_command(tiny, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(MissingExtraError) as err:
        SentenceTransformerEncoder(str(tiny)).encode(["x"])
    msg = str(err.value)
    assert 'pip install "ruen-aligner[st]"' in msg and "\n" not in msg


@pytest.mark.parametrize("spec, needle", [
    ("/nonexistent/model-dir", "no such model directory"),
    ("./also/missing", "no such model directory"),
])
def test_missing_model_is_a_clear_error(spec, needle):
    with pytest.raises(AlignerError, match=needle):
        SentenceTransformerEncoder(spec).encode(["x"])


def test_file_instead_of_dir_is_a_clear_error(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"x")
    with pytest.raises(AlignerError, match="not a directory"):
        SentenceTransformerEncoder(str(path)).encode(["x"])


def test_broken_model_dir_is_an_aligner_error(tmp_path):
    (tmp_path / "modules.json").write_text(json.dumps([{"idx": 0, "name": "0", "path": "", "type": "nope.Nope"}]))
    with pytest.raises(AlignerError, match="cannot load sentence-transformers model"):
        SentenceTransformerEncoder(str(tmp_path)).encode(["x"])


def test_unreachable_hub_name_is_an_aligner_error(tiny):
    # A fresh process, so HF_HUB_OFFLINE is read at import (as when the hub is unreachable), with no waiting.
    code = ("from aligner.encoders.st import SentenceTransformerEncoder as S\n"
            "from aligner.errors import AlignerError\n"
            "try:\n    S('no-such-org/no-such-model').encode(['x'])\n"
            "except AlignerError as e:\n    print('ERR', e)\n")
    env = {**__import__("os").environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, check=True)
    assert out.stdout.startswith("ERR cannot load sentence-transformers model 'no-such-org/no-such-model'")


@pytest.mark.parametrize("device", ["tpu", "gpu", ""])
def test_unknown_device(device, tiny):
    with pytest.raises(AlignerError, match="cpu, cuda"):
        SentenceTransformerEncoder(str(tiny), device=device)


def test_cuda_without_gpu_is_a_clear_error(tiny):
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(AlignerError, match="--device cpu"):
        SentenceTransformerEncoder(str(tiny), device="cuda").encode(["x"])


def test_cuda_gives_the_cpu_vectors(tiny):
    """On a machine with a GPU: the same model on cuda gives the cpu vectors (float32 kernels
    differ in summation order only) and keeps the empty text zero."""
    import torch

    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU (runs on the lent GPU machine, see scripts/bench_gpu.py)")
    cpu = SentenceTransformerEncoder(str(tiny)).encode(TEXTS)
    gpu = SentenceTransformerEncoder(str(tiny), device="cuda").encode(TEXTS)
    assert gpu.dtype == np.float32 and gpu.shape == cpu.shape
    np.testing.assert_allclose(gpu, cpu, atol=1e-4)
    assert not gpu[1].any()
