"""Collections: pair the Russian and English documents of a folder by what they say, not by their names.

Crawled or exported folders rarely name a translation after its original
(``ru/123.html`` vs ``en/article-about-x.html``). Each document becomes one
block (its language from ``langid.detect``) and the block pairer that pairs
the posts of a dump (``aligner.pairing``: mean sentence vectors, margin,
sentence-level quality, length, shared numbers and names; one-to-one,
thresholded) pairs the documents. Documents left out are reported, never
silently lost. Past a few thousand documents the candidates come from a
k-means tree with probes (``candidates.ivf_candidates``), so the cost grows
about linearly with the number of documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aligner.encoders.base import Encoder
from aligner.errors import AlignerError
from aligner.model import Block, Paragraph, Source
from aligner.pairing import PairingConfig, pair_blocks


@dataclass(frozen=True)
class DocumentPair:
    ru: str  # path
    en: str
    score: float


@dataclass
class CollectionPairing:
    """What pairing a collection found: the pairs, and every document left out with the reason."""

    pairs: list[DocumentPair] = field(default_factory=list)
    unpaired: list[dict] = field(default_factory=list)  # {"file", "lang", "reason"}


def read_document(path: str | Path) -> Block | None:
    """One document as one block in its detected language; None when it has no text."""
    from aligner.langid import detect
    from aligner.readers import read_paragraphs

    paragraphs = read_paragraphs(path)
    text = "\n".join(p.text for p in paragraphs if p.text.strip())
    if not text.strip():
        return None
    lang = detect(text)
    # No unit: every document is its own group, so file order says nothing about who pairs with whom.
    src = Source(file=str(path), line_start=paragraphs[0].source.line_start,
                 line_end=paragraphs[-1].source.line_end)
    return Block(id=str(path), lang=lang, paragraphs=(Paragraph(text=text, lang=lang, source=src),))


def pair_documents(paths: list[str], *, encoder: Encoder, config: PairingConfig | None = None) -> CollectionPairing:
    """Pair the Russian and English documents among ``paths``, one to one.

    Args:
        paths: document files (any format the readers know), in a fixed order.
        encoder: the sentence encoder (its cache makes a rerun cheap).
        config: pairing knobs; the dump pairer's defaults when None.
    Returns:
        Pairs ordered by the Russian file, and the documents left out: no text,
        another language, or no partner above the threshold.
    """
    out = CollectionPairing()
    blocks: list[Block] = []
    for path in paths:
        try:
            block = read_document(path)
        except AlignerError as exc:  # empty, binary, too large: reported, the others go on
            out.unpaired.append({"file": str(path), "lang": "", "reason": str(exc).split(";")[0]})
            continue
        except OSError as exc:
            out.unpaired.append({"file": str(path), "lang": "", "reason": f"unreadable: {exc.strerror}"})
            continue
        if block is None:
            out.unpaired.append({"file": str(path), "lang": "", "reason": "no text"})
        elif block.lang not in ("ru", "en"):
            out.unpaired.append({"file": str(path), "lang": block.lang, "reason": "neither Russian nor English"})
        else:
            blocks.append(block)
    pairs = pair_blocks(blocks, encoder=encoder, config=config or PairingConfig())
    used = {p.ru.id for p in pairs} | {p.en.id for p in pairs}
    out.pairs = sorted((DocumentPair(p.ru.id, p.en.id, p.score) for p in pairs), key=lambda p: p.ru)
    out.unpaired += [{"file": b.id, "lang": b.lang, "reason": "no partner"} for b in blocks if b.id not in used]
    out.unpaired.sort(key=lambda d: d["file"])
    return out
