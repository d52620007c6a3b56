"""Encoder registry: names map to ``"module:Class"`` so heavy backends import only when asked for."""

from __future__ import annotations

import importlib

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

    Args:
        spec: encoder name or spec.
        device: ``cpu`` or ``cuda`` (only backends that can use it look at it).
        cache: False for no disk cache, True for the default cache dir, or a path.
    Raises:
        AlignerError: unknown encoder (the message lists the known ones).
    """
    if cache and "+" in spec:
        # Cache each member under its own name, so use+e5-small reuses plain use's vectors.
        from aligner.encoders.ensemble import EnsembleEncoder

        return EnsembleEncoder([get_encoder(part, device=device, cache=cache) for part in spec.split("+")])
    enc = _build(spec, device)
    if cache:
        from aligner.encoders.cache import CachedEncoder, EmbeddingStore, default_cache_dir

        path = default_cache_dir() / "embeddings.sqlite" if cache is True else cache
        enc = CachedEncoder(enc, EmbeddingStore(path))
    return enc


def _build(spec: str, device: str) -> Encoder:
    if "+" in spec:
        try:
            from aligner.encoders.ensemble import EnsembleEncoder
        except ImportError as exc:  # pragma: no cover - ensemble module always ships
            raise AlignerError(f"ensemble encoders are not available: {exc}") from exc
        return EnsembleEncoder([_build(part, device) for part in spec.split("+")])
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
