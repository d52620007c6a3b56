"""Block pairing: which Russian block translates which English block.

In a bilingual channel most blocks have no partner, and the two halves of a
translation can sit in one post or in separate posts, in either order, a
few posts apart. Each candidate pair gets several kinds of evidence:

- ``sim``: cosine of the blocks' mean sentence vectors;
- ``margin``: ``sim`` divided by the mean similarity of both blocks to their
  nearest alternatives (Artetxe & Schwenk 2019, ratio margin), so a block
  that resembles everything on a topic does not win by default;
- ``quality``: a quick monotone sentence alignment between the two blocks
  (a DP that links sentence pairs above a floor, in order), as the share of
  both sides it covers, weighted by similarity;
- ``length``: how well the character-length ratio fits ru/en translation;
- ``anchors``: shared numbers, Latin names, URLs (Dice overlap);
- ``near``: closeness in position (posts apart in one chat or dump) or, across
  chats and files, in time.

A fixed logistic combination turns the evidence into a score in [0, 1]; a
greedy one-to-one assignment by score with a threshold picks the pairs. Blocks
left out are unpaired (the pipeline counts them).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

import numpy as np

from aligner.clean import is_chapter_number
from aligner.encoders.base import Encoder
from aligner.model import Block, BlockPair, Dropped, Paragraph, Source

__all__ = ["PairingConfig", "candidate_features", "make_blocks", "outside_blocks", "pair_blocks", "unpaired"]

_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class PairingConfig:
    """Knobs of the block pairer; the defaults are used by the pipeline."""

    window: int = 12  # same chat/dump: candidates at most this many posts apart
    # ...and, of those, only this many nearest in block order per Russian block. On
    # telegram_sim at most 20 English blocks fall in any window, so this never binds on
    # real exports; it keeps pairing linear when one "post" holds thousands of blocks
    # (a dump with no post boundaries whose lines alternate languages).
    window_blocks: int = 48
    top_k: int = 8  # plus each block's k most similar blocks anywhere
    margin_k: int = 4  # neighbours averaged in the margin denominator
    # A side with fewer than margin_k blocks (a text and its translation in one file: one block
    # each) has no alternatives to average; each missing neighbour counts as a block this
    # similar. None: the encoder's ``unrelated_block_cosine`` (USE: 0.35), and where the model
    # has none, only the neighbours there are (then a lone candidate is its own neighbourhood
    # and its margin is 0).
    margin_prior: float | None = None
    threshold: float = 0.5  # minimum pair score
    max_sentences: int = 300  # per block, for the sentence-level evidence
    sentence_floor: float = 0.35  # below this a sentence pair never links in the quick alignment
    length_mu: float = 0.10  # mean of log((len_ru + s) / (len_en + s)) for translations
    length_sigma: float = 0.30
    time_scale_h: float = 48.0  # across chats: evidence halves every ~33 h apart
    # logistic weights of the evidence; see candidate_features for the terms
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "bias": -9.0,
            "sim": 4.0,
            "margin": 6.0,
            "quality": 7.0,
            "length": 1.0,
            "anchors": 1.5,
            "near": 1.5,
        }
    )


def make_blocks(paragraphs: list[Paragraph]) -> list[Block]:
    """Group consecutive same-language paragraphs of one source unit into blocks.

    Paragraphs labelled ``other`` that have no letters (dates, numbers) are skipped without
    breaking a block; a chapter number in Roman numerals ("II", "XIV."; language ID calls it
    English) joins the block of the text after it, in that text's language, so a Russian
    story's chapters stay one block and "Глава первая" still finds its "I". ``other`` text with
    letters (say, Ukrainian), or text of the other language, ends the block, unless it stands
    alone between two paragraphs of the block's language in one unit and fits that language
    (``langid.may_join_block``): a caption of a Russian article, Russian words on an English
    name ("Автор фото: Sky Revolutions", language ID: English); a short Russian line that only
    the statistical detector took for another language ("Тут упала другая капля."); a Russian
    line quoting a Latin title; an English heading the detector missed. Each of these had cut a
    text in two or three, and only one part found its translation.

    Args:
        paragraphs: n labelled paragraphs in document order.
    Returns:
        Blocks in document order, ids ``b0``, ``b1``, ...; only ``ru`` and ``en`` blocks.
    """
    blocks: list[Block] = []
    run: list[Paragraph] = []

    def flush() -> None:
        if run:
            blocks.append(Block(id=f"b{len(blocks)}", lang=run[0].lang, paragraphs=tuple(run)))
            run.clear()

    numerals: list[Paragraph] = []  # chapter numbers waiting for the text they head
    for k, p in enumerate(paragraphs):
        if is_chapter_number(p.text):  # language-neutral: it must not split a Russian text's block
            numerals.append(p)
            continue
        if p.lang not in ("ru", "en"):
            if _LETTER.search(p.text):
                if _sandwiched(run, p, paragraphs[k + 1] if k + 1 < len(paragraphs) else None):
                    run.append(p)
                    continue
                flush()
            continue
        if run and run[0].lang != p.lang and _sandwiched(run, p, paragraphs[k + 1] if k + 1 < len(paragraphs) else None):
            run.append(p)  # a Russian caption on English words: "Автор фото: Sky Revolutions"
            continue
        if run and (run[0].lang != p.lang or _unit(run[0].source) != _unit(p.source)):
            flush()
        run.extend(replace(n, lang=p.lang) for n in numerals if _unit(n.source) == _unit(p.source))
        numerals.clear()
        run.append(p)
    flush()
    return blocks


def outside_blocks(paragraphs: list[Paragraph], blocks: list[Block]) -> list[Dropped]:
    """The labelled paragraphs that ``make_blocks`` left out, so that nothing vanishes.

    A block holds Russian or English text only: a paragraph in another language
    (``other_language``: Ukrainian, German) or without words (``no_words``: a date, a
    number, a line of symbols, a chapter number with no text after it) stands outside
    every block. The run summary and the report list them with the cleaner's drops.
    """
    inside = {(id(p.source), p.text) for b in blocks for p in b.paragraphs}

    def reason(text: str) -> str:
        return "other_language" if _LETTER.search(text) and not is_chapter_number(text) else "no_words"

    return [Dropped(reason(p.text), p.text, source=p.source)
            for p in paragraphs if (id(p.source), p.text) not in inside]


def _sandwiched(run: list[Paragraph], p: Paragraph, after: Paragraph | None) -> bool:
    """``p`` (labelled ``other``) sits between a run and a paragraph of the run's language, all in
    one unit, and that language's block can hold it (``langid.may_join_block``)."""
    from aligner.langid import may_join_block

    if not run or after is None or after.lang != run[0].lang:
        return False
    if not _unit(run[0].source) == _unit(p.source) == _unit(after.source):
        return False
    return may_join_block(p.text, run[0].lang)


def _unit(src: Source) -> tuple[str, str | None]:
    return src.file, src.unit if src.unit is not None else src.post_id


def _group(src: Source) -> tuple[str, str]:
    """Blocks in one group have comparable positions: one chat, one page, one dump."""
    unit = src.unit if src.unit is not None else src.post_id
    if unit and "/" in unit:
        return "", unit.rpartition("/")[0]
    return src.file, ""


def unpaired(blocks: list[Block], pairs: list[BlockPair]) -> list[Block]:
    """Blocks that are in no pair, in input order."""
    used = {id(p.ru) for p in pairs} | {id(p.en) for p in pairs}
    return [b for b in blocks if id(b) not in used]


@dataclass
class _Side:
    blocks: list[Block]
    vecs: np.ndarray  # (n, dim) block vectors
    sents: list[np.ndarray]  # per block (n_sent, dim)
    lengths: np.ndarray  # (n,) characters
    group: list[tuple[str, str]]
    pos: np.ndarray  # (n,) unit ordinal inside its group
    ordinal: np.ndarray  # (n,) index in the input block list
    unit: list[tuple[str, str | None]]
    time: np.ndarray  # (n,) epoch hours, nan when unknown
    anchors: list[frozenset[str]]


def pair_blocks(blocks: list[Block], *, encoder: Encoder, config: PairingConfig | None = None) -> list[BlockPair]:
    """Pair Russian blocks with the English blocks that translate them, one to one.

    Args:
        blocks: blocks of any languages in document order (``make_blocks``).
        encoder: sentence encoder; block vectors are mean sentence vectors.
        config: knobs; ``PairingConfig()`` when None.
    Returns:
        Block pairs with score >= ``config.threshold``, ordered by the
        English block's position.
    """
    config = config or PairingConfig()
    ru_blocks = [b for b in blocks if b.lang == "ru"]
    en_blocks = [b for b in blocks if b.lang == "en"]
    if not ru_blocks or not en_blocks:
        return []
    if config.margin_prior is None:
        config = replace(config, margin_prior=getattr(encoder, "unrelated_block_cosine", None))
    ru, en = _embed_sides(ru_blocks, en_blocks, encoder, config)
    _assign_positions(ru, en, {id(b): n for n, b in enumerate(blocks)})
    cands = _candidates(ru, en, config)
    feats = candidate_features(ru, en, cands, config)
    scores = _combine(feats, config)
    order = np.argsort(-scores, kind="stable")
    used_ru: set[int] = set()
    used_en: set[int] = set()
    pairs: list[tuple[int, BlockPair]] = []
    for k in order:
        if scores[k] < config.threshold:
            break
        i, j = int(cands[k, 0]), int(cands[k, 1])
        if i in used_ru or j in used_en:
            continue
        used_ru.add(i)
        used_en.add(j)
        pairs.append((j, BlockPair(ru=ru.blocks[i], en=en.blocks[j], score=float(scores[k]))))
    pairs.sort(key=lambda t: t[0])
    return [p for _, p in pairs]


def _embed_sides(ru_blocks: list[Block], en_blocks: list[Block], encoder: Encoder, config: PairingConfig):
    from aligner.segment import split_sentences

    per_block: list[list[str]] = []
    for b in ru_blocks + en_blocks:
        sents = [s for s in split_sentences(b.text, b.lang) if s.strip()][: config.max_sentences]
        per_block.append(sents or [b.text])
    flat = [s for sents in per_block for s in sents]
    unique = list(dict.fromkeys(flat))
    vecs = encoder.encode(unique)
    row = {t: k for k, t in enumerate(unique)}
    sides = []
    offset = 0
    for blist in (ru_blocks, en_blocks):
        sent_vecs = [vecs[[row[s] for s in per_block[offset + n]]] for n in range(len(blist))]
        offset += len(blist)
        sides.append(_make_side(blist, sent_vecs))
    return sides[0], sides[1]


def _make_side(blocks: list[Block], sent_vecs: list[np.ndarray]) -> _Side:
    mean = np.stack([s.mean(axis=0) for s in sent_vecs]).astype(np.float32)
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    groups = [_group(b.source) for b in blocks]
    units = [_unit(b.source) for b in blocks]
    return _Side(
        blocks=blocks,
        vecs=mean / norms,
        sents=sent_vecs,
        lengths=np.array([len(b.text) for b in blocks], dtype=np.float64),
        group=groups,
        pos=np.zeros(len(blocks)),  # filled by _assign_positions, which sees both sides
        ordinal=np.zeros(len(blocks), dtype=np.int64),
        unit=units,
        time=np.array([_hours(b.source.date) for b in blocks], dtype=np.float64),
        anchors=[anchors(b.text) for b in blocks],
    )


def _hours(date: str | None) -> float:
    if not date:
        return math.nan
    try:
        dt = datetime.fromisoformat(date.strip().replace("Z", "+00:00"))
    except ValueError:
        return math.nan
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp() / 3600.0


def _assign_positions(ru: _Side, en: _Side, order: dict[int, int]) -> None:
    """Ordinal of each block's unit within its group, counted over both languages in input order."""
    seen: list[tuple[int, tuple, tuple]] = []
    for side in (ru, en):
        seen.extend((order[id(b)], g, u) for b, g, u in zip(side.blocks, side.group, side.unit))
    rank: dict[tuple, dict] = {}
    for _, g, u in sorted(seen, key=lambda t: t[0]):
        units = rank.setdefault(g, {})
        units.setdefault(u, len(units))
    for side in (ru, en):
        side.pos = np.array([rank[g][u] for g, u in zip(side.group, side.unit)], dtype=np.float64)
        side.ordinal = np.array([order[id(b)] for b in side.blocks], dtype=np.int64)


# Above this many ru x en pairs, top-k candidates come from a k-means tree with probes
# (``candidates.ivf_candidates``, about linear) instead of every similarity, and the margin's
# neighbours from those candidates.
EXACT_PAIRS = 2000 * 2000


def _large(ru: _Side, en: _Side) -> bool:
    return len(ru.blocks) * len(en.blocks) > EXACT_PAIRS


def _candidates(ru: _Side, en: _Side, config: PairingConfig) -> np.ndarray:
    """(m, 2) candidate (ru index, en index): nearby in one group, or among each other's top-k.

    "Nearby" is at most ``window`` posts apart and, of those, the ``window_blocks``
    nearest in block order, so m grows linearly with the number of blocks.
    """
    cands: set[tuple[int, int]] = set()
    by_group: dict[tuple, list[int]] = {}
    for j, g in enumerate(en.group):
        by_group.setdefault(g, []).append(j)
    sorted_groups = {}
    for g, js in by_group.items():
        idx = np.array(sorted(js, key=lambda j: (en.pos[j], en.ordinal[j])), dtype=np.int64)
        sorted_groups[g] = (idx, en.pos[idx])
    cap = max(1, config.window_blocks)
    for i, g in enumerate(ru.group):
        if g not in sorted_groups:
            continue
        idx, pos = sorted_groups[g]
        lo = int(np.searchsorted(pos, ru.pos[i] - config.window, side="left"))
        hi = int(np.searchsorted(pos, ru.pos[i] + config.window, side="right"))
        near = idx[lo:hi]
        if len(near) > cap:
            # distinct keys (distance, then after-before), so the choice is deterministic
            dist = en.ordinal[near] - ru.ordinal[i]
            key = 2 * np.abs(dist) + (dist > 0)
            near = near[np.argpartition(key, cap - 1)[:cap]]
        cands.update((i, int(j)) for j in near)
    if _large(ru, en):
        from aligner.candidates import ivf_candidates

        cands.update(map(tuple, ivf_candidates(ru.vecs, en.vecs, config.top_k).tolist()))
        return np.array(sorted(cands), dtype=np.int64).reshape(-1, 2)
    k = min(config.top_k, len(en.blocks))
    for i0 in range(0, len(ru.blocks), 512):
        sims = ru.vecs[i0 : i0 + 512] @ en.vecs.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        cands.update((i0 + r, int(j)) for r, row in enumerate(top) for j in row)
    k = min(config.top_k, len(ru.blocks))
    for j0 in range(0, len(en.blocks), 512):
        sims = en.vecs[j0 : j0 + 512] @ ru.vecs.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        cands.update((int(i), j0 + r) for r, row in enumerate(top) for i in row)
    return np.array(sorted(cands), dtype=np.int64).reshape(-1, 2)


def _knn_mean(a: np.ndarray, b: np.ndarray, k: int, prior: float | None) -> np.ndarray:
    """Mean of each row of ``a``'s k highest cosines against ``b`` (chunked); where ``b`` has
    fewer than k rows, each missing one counts as ``prior`` (None: the mean of those there are)."""
    have = max(1, min(k, len(b)))
    k = have if prior is None else max(1, k)
    prior = 0.0 if prior is None else prior
    out = np.empty(len(a))
    for s in range(0, len(a), 512):
        sims = a[s : s + 512] @ b.T
        top = -np.partition(-sims, have - 1, axis=1)[:, :have]
        out[s : s + 512] = (top.sum(axis=1) + (k - have) * prior) / k
    return out


def candidate_features(ru: _Side, en: _Side, cands: np.ndarray, config: PairingConfig) -> dict[str, np.ndarray]:
    """Evidence for each candidate pair; each array has shape ``(len(cands),)``."""
    i, j = cands[:, 0], cands[:, 1]
    sim = np.empty(len(cands))
    for s0 in range(0, len(cands), 16384):  # chunked: gathering every candidate's vectors at once is m x dim
        sl = slice(s0, s0 + 16384)
        sim[sl] = np.einsum("nd,nd->n", ru.vecs[i[sl]], en.vecs[j[sl]])
    if _large(ru, en):
        from aligner.candidates import knn_mean_from

        knn_ru = knn_mean_from(cands, sim, len(ru.blocks), config.margin_k, 0)
        knn_en = knn_mean_from(cands, sim, len(en.blocks), config.margin_k, 1)
    else:
        knn_ru = _knn_mean(ru.vecs, en.vecs, config.margin_k, config.margin_prior)
        knn_en = _knn_mean(en.vecs, ru.vecs, config.margin_k, config.margin_prior)
    denom = np.maximum((knn_ru[i] + knn_en[j]) / 2.0, 1e-6)
    margin = sim / denom - 1.0
    s = 50.0
    lr = np.log((ru.lengths[i] + s) / (en.lengths[j] + s))
    length = np.exp(-0.5 * ((lr - config.length_mu) / config.length_sigma) ** 2)
    anch = np.array([_dice(ru.anchors[a], en.anchors[b]) for a, b in cands])
    near = np.zeros(len(cands))
    for n, (a, b) in enumerate(cands):
        if ru.group[a] == en.group[b]:
            near[n] = 1.0 / (1.0 + abs(ru.pos[a] - en.pos[b]) / 2.0)
        elif not (math.isnan(ru.time[a]) or math.isnan(en.time[b])):
            near[n] = math.exp(-abs(ru.time[a] - en.time[b]) / config.time_scale_h)
    feats = {"sim": sim, "margin": margin, "length": length, "anchors": anch, "near": near}
    # The sentence DP is the costly term: run it only where a perfect quality could
    # still lift the pair over the threshold (an exact bound, so nothing is lost).
    w = config.weights
    bound = _logit(feats, w) + max(w.get("quality", 0.0), 0.0)
    need = bound >= math.log(config.threshold / (1.0 - config.threshold))
    quality = np.zeros(len(cands))
    for n in np.flatnonzero(need):
        quality[n] = _quality(ru.sents[cands[n, 0]], en.sents[cands[n, 1]], config.sentence_floor)
    feats["quality"] = quality
    return feats


def _logit(feats: dict[str, np.ndarray], w: dict[str, float]) -> np.ndarray:
    z = np.full(len(feats["sim"]), w.get("bias", 0.0))
    for name, values in feats.items():
        z += w.get(name, 0.0) * values
    return z


def _combine(feats: dict[str, np.ndarray], config: PairingConfig) -> np.ndarray:
    # clipped: a logit beyond +-50 is already 0 or 1 in float64, and exp() would overflow on -inf-like ones
    return 1.0 / (1.0 + np.exp(-np.clip(_logit(feats, config.weights), -50.0, 50.0)))


def _quality(a: np.ndarray, b: np.ndarray, floor: float) -> float:
    """Similarity-weighted share of both blocks covered by a monotone 1-1 sentence alignment.

    A DP over sentence pairs: linking (i, j) gains ``sim - floor``; skipping
    is free. The result is ``2 * sum(sim of links) / (n_a + n_b)``: about the
    mean link similarity for a clean 1-1 translation, lower when the blocks
    only share a topic or one side has much more text.
    """
    m = a @ b.T
    gain = m - floor
    n, k = gain.shape
    best = np.zeros(k + 1)  # best[j]: best total over rows so far with columns < j
    sims = np.zeros(k + 1)  # sum of link sims along that path
    for r in range(n):
        take = best[:-1] + gain[r]  # link (r, j) after the best path ending before column j
        take_sims = sims[:-1] + m[r]
        new = best.copy()
        new_sims = sims.copy()
        better = take > new[1:]
        new[1:][better] = take[better]
        new_sims[1:][better] = take_sims[better]
        # Running maximum along the columns: a path may skip columns.
        idx = np.maximum.accumulate(np.where(new == np.maximum.accumulate(new), np.arange(k + 1), 0))
        best, sims = new[idx], new_sims[idx]
    return float(2.0 * sims[-1] / (n + k))


_NUM = re.compile(r"\d+(?:[.,\u00a0 ]\d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?")
_URL = re.compile(r"https?://\S+|www\.\S+")
_LATIN_WORD = re.compile(r"\b[A-Z][A-Za-z]{2,}\b|\b[A-Z]{2,}\b")


def anchors(text: str) -> frozenset[str]:
    """Tokens that survive translation: numbers (separators normalised), URLs, Latin names."""
    out: set[str] = set()
    for url in _URL.findall(text):
        out.add("u:" + url.rstrip(".,;)»\"'").lower())
    text = _URL.sub(" ", text)
    for num in _NUM.findall(text):
        if re.fullmatch(r"\d+(?:[.,\u00a0 ]\d{3})+", num):
            num = re.sub(r"[.,\u00a0 ]", "", num)
        num = num.replace(",", ".")
        if len(num.replace(".", "")) >= 2:
            out.add("n:" + num)
    for word in _LATIN_WORD.findall(text):
        out.add("w:" + word.lower())
    return frozenset(out)


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    # Latin words count only when both sides have them; English text is full of
    # capitalised words that a Russian translation spells in Cyrillic.
    if not any(t.startswith("w:") for t in a):
        b = frozenset(t for t in b if not t.startswith("w:"))
    if not a and not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))
