"""Train/dev/test splits by document, never by line, so no document leaks across splits.

A document's split depends only on its id and the seed (a SHA-256 hash
mapped to [0, 1)), so it is stable across runs and across corpus growth:
adding documents never moves an old one to another split.
"""

from __future__ import annotations

import hashlib
from typing import Iterable, Sequence

from aligner.errors import AlignerError
from aligner.model import Bead

SPLITS = ("train", "dev", "test")


def doc_id(bead: Bead, key: str = "doc") -> str:
    """The document a bead belongs to: provenance ``key``, else its file names, else ``""``."""
    prov = bead.provenance
    if prov.get(key):
        return str(prov[key])
    return "\x1f".join(str(prov.get(k, "")) for k in ("ru_file", "en_file"))


def _unit(doc: str, seed: int) -> float:
    digest = hashlib.sha256(f"{seed}\x1f{doc}".encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def split_by_doc(
    beads: Iterable[Bead], ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 0, *, key: str = "doc"
) -> dict[str, list[Bead]]:
    """Assign every bead to train, dev or test by hashing its document id.

    Args:
        beads: beads with a ``doc`` provenance (or ``key``); order is kept within a split.
        ratios: shares of documents for (train, dev, test); normalised, must be >= 0.
        seed: changes the assignment; the same seed always gives the same split.
        key: the provenance field that names the document.

    Returns:
        ``{"train": [...], "dev": [...], "test": [...]}``; a split may be empty
        when there are few documents.

    Raises:
        AlignerError: ratios are not three non-negative numbers with a positive sum.
    """
    ratios = tuple(float(r) for r in ratios)
    if len(ratios) != 3 or any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise AlignerError(f"split ratios must be three non-negative numbers (train, dev, test), got {ratios}")
    total = sum(ratios)
    bounds = [ratios[0] / total, (ratios[0] + ratios[1]) / total]
    out: dict[str, list[Bead]] = {name: [] for name in SPLITS}
    cache: dict[str, str] = {}
    for bead in beads:
        doc = doc_id(bead, key)
        name = cache.get(doc)
        if name is None:
            u = _unit(doc, seed)
            name = "train" if u < bounds[0] else "dev" if u < bounds[1] else "test"
            cache[doc] = name
        out[name].append(bead)
    return out
