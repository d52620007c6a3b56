"""Any sentence-transformers model as an encoder (the optional ``[st]`` extra).

torch and sentence-transformers are imported inside the loader only, so
``import aligner`` stays light and a missing extra is a one-line error.
The model loads on the first batch; ``dim`` is read from the model's
config files when it can be, so a fully cached run never loads torch.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

import numpy as np

from aligner.encoders.base import Encoder
from aligner.errors import AlignerError, MissingExtraError, show_path

DEVICES = ("cpu", "cuda")
# Module types whose output size we can read from their config without loading weights.
_PASSIVE = ("Transformer", "Normalize", "Dropout", "LayerNorm")


class SentenceTransformerEncoder(Encoder):
    """A sentence-transformers model from a local directory or the hub.

    The prompt comes from, in order: the ``prompt`` argument, the model's
    ``default_prompt_name``, its ``query`` prompt, and ``"query: "`` for
    e5-family models that configure none (they are trained with it).

    Args:
        name_or_path: local model directory, or a hub name (needs the network once).
        device: ``cpu`` or ``cuda``.
        prompt: text put before every input; overrides the model's own prompts.
        batch_size: texts per forward pass.
        name: cache key; defaults to ``st:<name_or_path>`` (plus the prompt when one is given).

    Example:
        >>> enc = SentenceTransformerEncoder("/models/labse")  # doctest: +SKIP
        >>> enc.encode(["Привет.", "Hello."]).shape  # doctest: +SKIP
        (2, 768)
    """

    def __init__(self, name_or_path: str, device: str = "cpu", prompt: str | None = None,
                 batch_size: int = 32, name: str | None = None) -> None:
        if device not in DEVICES:
            raise AlignerError(f"unknown device {device!r}; choose one of: {', '.join(DEVICES)}")
        if not name_or_path:
            raise AlignerError("st: needs a model directory or hub name, e.g. st:/path/to/model")
        self.name_or_path = os.path.expanduser(name_or_path) if name_or_path.startswith("~") else name_or_path
        self.device = device
        self._threads: int | None = None  # torch CPU threads (``--threads``); None: torch's default
        self.prompt_arg = prompt
        self.batch_size = batch_size
        self.name = name or (f"st:{name_or_path}" + (f"#prompt={prompt}" if prompt is not None else ""))
        self._model = None
        self._prompt: str | None = None
        path = Path(self.name_or_path)
        self._dim: int | None = _peek_dim(path) if path.is_dir() else None

    @property
    def dim(self) -> int:  # type: ignore[override]
        if self._dim is None:
            self._load()
        return self._dim  # type: ignore[return-value]

    @property
    def prompt(self) -> str:
        """The prompt actually put before each text (loads the model)."""
        self._load()
        return self._prompt or ""

    def _load(self):
        if self._model is not None:
            return self._model
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingExtraError("the sentence-transformers encoder", "st") from exc
        if self.device == "cuda" and not torch.cuda.is_available():
            raise AlignerError("--device cuda was asked for, but torch sees no CUDA GPU; use --device cpu")
        if self._threads:
            torch.set_num_threads(self._threads)
        local = Path(self.name_or_path).is_dir()
        if not local and Path(self.name_or_path).expanduser().exists():
            raise AlignerError(f"{show_path(self.name_or_path)} is not a directory; give a sentence-transformers model directory")
        if not local and self.name_or_path.startswith(("/", "./", "../")):
            raise AlignerError(
                f"no such model directory: {show_path(self.name_or_path)}; check the path, or give a model name"
            )
        try:
            with _quiet():
                model = SentenceTransformer(self.name_or_path, device=self.device)
        except Exception as exc:  # noqa: BLE001 - hub, file and format errors all mean "cannot load"
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            where = "from the directory" if local else "(not a local directory, and it could not be fetched from the hub)"
            raise AlignerError(
                f"cannot load sentence-transformers model {self.name_or_path!r} {where}: {reason[:300]}"
            ) from exc
        model.eval()
        self._prompt = _choose_prompt(model, self.name_or_path, self.prompt_arg)
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self._dim = int(get_dim())
        self._model = model
        return model

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # An empty text would embed as the bare prompt and look like a real match; keep it zero.
        keep = [i for i, t in enumerate(texts) if t.strip()]
        if keep:
            vecs = model.encode([texts[i] for i in keep], prompt=self._prompt or "", batch_size=self.batch_size,
                                convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
            out[keep] = np.asarray(vecs, dtype=np.float32)
        return out


@contextlib.contextmanager
def _quiet():
    """Silence load-time progress bars and info chatter; the CLI owns the terminal."""
    loggers = [logging.getLogger(n) for n in ("sentence_transformers", "transformers", "huggingface_hub")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    bars = None
    try:
        from transformers.utils import logging as hf_logging

        bars = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()
    except (ImportError, AttributeError):
        pass
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)
        if bars:
            hf_logging.enable_progress_bar()


def _choose_prompt(model, name_or_path: str, prompt: str | None) -> str:
    if prompt is not None:
        return prompt
    prompts = dict(getattr(model, "prompts", None) or {})
    default = getattr(model, "default_prompt_name", None)
    if default and default in prompts:
        return prompts[default]
    if prompts.get("query"):
        return prompts["query"]
    if "e5" in os.path.basename(str(name_or_path).rstrip("/")).lower():
        return "query: "
    return ""


def _peek_dim(path: Path) -> int | None:
    """Output size from ``modules.json`` and module configs, or None when unsure."""
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        st_cfg_path = path / "config_sentence_transformers.json"
        if st_cfg_path.is_file() and json.loads(st_cfg_path.read_text(encoding="utf-8")).get("truncate_dim"):
            return None
        dim = None
        for module in modules:
            kind = module["type"].rsplit(".", 1)[-1]
            cfg_path = path / module.get("path", "") / "config.json"
            if kind == "Pooling":
                cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
                dim = _pooling_dim(cfg)
            elif kind == "Dense":
                dim = int(json.loads(cfg_path.read_text(encoding="utf-8"))["out_features"])
            elif kind not in _PASSIVE:
                return None
        return dim
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _pooling_dim(cfg: dict) -> int | None:
    width = cfg.get("word_embedding_dimension", cfg.get("embedding_dimension"))
    if width is None:
        return None
    mode = cfg.get("pooling_mode")
    if isinstance(mode, str):
        count = 1
    elif isinstance(mode, list):
        count = len(mode)
    else:
        count = sum(1 for k, v in cfg.items() if k.startswith("pooling_mode_") and v is True)
    return int(width) * count if count else None
