"""Encoder registry: names map to ``"module:Class"`` so heavy backends import only when asked for."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import Callable

from aligner.encoders.base import Encoder
from aligner.errors import AlignerError

# name -> "module:factory"; the factory takes (spec, device) keyword arguments.
REGISTRY: dict[str, str] = {
    "use": "aligner.encoders.use:UseEncoder",
    "e5-small": "aligner.encoders.e5:e5_small",
}


def available() -> list[str]:
    return sorted(REGISTRY)


def get_encoder(spec: str = "use", *, device: str = "cpu", cache: bool | str = False) -> Encoder:
    """Build an encoder from a spec such as ``use``, ``st:PATH``, ``e5-small`` or ``use+e5-small``.

    Every call builds (and later loads) a new model; ``shared_encoder`` reuses one per process.

    Args:
        spec: encoder name or spec.
        device: ``cpu`` or ``cuda`` (only backends that can use it look at it).
        cache: False for no disk cache, True for the default cache dir, or a path.
    Raises:
        AlignerError: unknown encoder (the message lists the known ones).
    """
    return _make(spec, device, cache, _build)


# (spec, device) -> the one built model of the process; (spec, device, cache file) -> its wrapper
_SHARED_MODELS: dict[tuple[str, str], Encoder] = {}
_SHARED: dict[tuple[str, str, str], Encoder] = {}
_SHARED_LOCK = threading.RLock()


def shared_encoder(spec: str = "use", *, device: str = "cpu", cache: bool | str = True) -> Encoder:
    """The process's encoder for ``spec`` on ``device``, built on the first call and reused after.

    Loading a model takes seconds (USE about 4 s on a busy machine), far more than aligning
    a short document, so the Python API keeps one loaded model per (spec, device) instead
    of loading it on every call. Each member of an ensemble is shared on its own, and the
    model is shared between cached and uncached use; the cache wrapper (and its in-memory
    copies of recent vectors) is kept per cache file.

    Args:
        spec, device: as for ``get_encoder``.
        cache: True (default, as in the CLI) for the default cache dir, a path, or False.
    """
    # resolved now, so a changed ALIGNER_CACHE_DIR gets its own wrapper
    store = _cache_file(cache) if cache else ""
    key = (spec, device, store)
    with _SHARED_LOCK:
        enc = _SHARED.get(key)
        if enc is None:
            enc = _SHARED[key] = _make(spec, device, store or False, _build_shared)
    return enc


def forget_shared_encoders() -> None:
    """Drop the encoders ``shared_encoder`` keeps (frees their memory; the next call loads again)."""
    with _SHARED_LOCK:
        _SHARED.clear()
        _SHARED_MODELS.clear()


def _build_shared(spec: str, device: str) -> Encoder:
    with _SHARED_LOCK:
        enc = _SHARED_MODELS.get((spec, device))
        if enc is None:
            enc = _SHARED_MODELS[(spec, device)] = _build(spec, device, _build_shared)
    return enc


def _make(spec: str, device: str, cache: bool | str, build: Callable[..., Encoder]) -> Encoder:
    if cache and "+" in spec:
        # Cache each member under its own name, so use+e5-small reuses plain use's vectors.
        from aligner.encoders.ensemble import EnsembleEncoder

        return EnsembleEncoder([_make(part, device, cache, build) for part in spec.split("+")])
    enc = build(spec, device)
    if cache:
        from aligner.encoders.cache import CachedEncoder, EmbeddingStore

        enc = CachedEncoder(enc, EmbeddingStore(_cache_file(cache)))
    return enc


def _cache_file(cache: bool | str) -> str:
    """The sqlite file a ``cache`` argument names: True is the default cache dir's."""
    if cache is True:
        from aligner.encoders.cache import default_cache_dir

        return str(default_cache_dir() / "embeddings.sqlite")
    return str(Path(cache))


def _build(spec: str, device: str, parts: Callable[..., Encoder] | None = None) -> Encoder:
    """A new encoder for ``spec``; ensemble members come from ``parts`` (default: new ones too)."""
    if "+" in spec:
        try:
            from aligner.encoders.ensemble import EnsembleEncoder
        except ImportError as exc:  # pragma: no cover - ensemble module always ships
            raise AlignerError(f"ensemble encoders are not available: {exc}") from exc
        return EnsembleEncoder([(parts or _build)(part, device) for part in spec.split("+")])
    if spec.startswith("st:"):
        from aligner.encoders.st import SentenceTransformerEncoder

        return SentenceTransformerEncoder(spec[3:], device=device)
    target = REGISTRY.get(spec)
    if target is None:
        known = ", ".join(available() + ["st:NAME_OR_PATH", "A+B"])
        raise AlignerError(f"unknown encoder {spec!r}; choose one of: {known}")
    module, _, attr = target.partition(":")
    factory = getattr(importlib.import_module(module), attr)
    return factory(device=device)
