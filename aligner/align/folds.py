"""Join a short sentence to its neighbour's bead when the neighbour's translation already holds it.

A translator often folds a short sentence into the translation of the one beside it:
"Спасибо за просмотр, ребята, и до следующего раза. Берегите себя!" against "Thanks for
watching guys, and until next time, take care." The aligner leaves "Берегите себя!" 1-0:
its own 1-1 is poor, and the 2-1 bead's cosine falls (0.77 to 0.71 with USE) much as a
deleted sentence's would, so whole-sentence cosines cannot tell a fold from a deletion
(``core.rejoin_nulls`` keeps to joins that do not lower the cosine).

A clause can. The folded sentence matches the clause at the near edge of the neighbour's
translation ("take care.") far better than the rest of that translation, and the neighbour
matches the rest as well as it matches the whole: the edge clause is the fold, not part of
its own translation. Such a sentence joins the neighbour's bead (a 1-1 becomes a 2-1), which
keeps its score and features (``features["fold"]`` = 1): its translation already held the
sentence. No alignment is run again, and no sentence id changes (``AlignConfig.folds``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from aligner.encoders.base import Encoder
from aligner.model import Bead

__all__ = ["EDGE_GAIN", "MAX_WORDS", "REST_LOSS", "Fold", "apply_folds", "clauses", "find_folds"]

# The unaligned sentence's cosine with the edge clause exceeds its cosine with the rest of the
# neighbour's translation by at least this, ...
EDGE_GAIN = 0.10
# ... and the neighbour's cosine with that rest is at most this much below its cosine with the
# whole translation. Measured on every unaligned sentence next to a linked bead in the
# pre-split predictions of all cases but Text+Berg (367, 37 of them folds by the gold):
# folds' rest loss 10/50/90 % = 0.30 / 0.04 / -0.03, others' 0.44 / 0.14 / 0.02; with both
# tests 10 folds and no other sentence pass (books: "— Никакого!" / "quite absurd.",
# "Чем же, следовательно?" / "That is to say,"; wmt23 "Qualification for the finals is
# determined by time." / "выход в финал по времени."). That look took in held-out cases too; the
# dev split alone (bench_quality --mode raw --dev, with and without --set folds=False) gains on the
# books (bundle F1 0.997 -> 0.998, null F1 0.808 -> 0.894) and leaves every dev news row as it was.
# Text+Berg (never looked at for the thresholds), pre-split: three folds, all gold; dev strict F1
# 0.938 -> 0.942, test0-6 0.921 -> 0.924.
REST_LOSS = 0.02

# Only sentences of at most this many words are looked at: what a translator folds into a clause
# is short (the ten folds above have 2-8 words), and each candidate costs two new embeddings
# (its edge clause and the rest). Of those 367 sentences, 63 % are longer.
MAX_WORDS = 12

# Clause boundaries: after a comma, semicolon or colon, or before a dash between spaces.
_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=[—–-]\s)")


def clauses(text: str) -> list[str]:
    """``text`` cut at its clause boundaries (``_CLAUSE``), empty pieces left out."""
    return [c for c in _CLAUSE.split(text) if c.strip()]


@dataclass(frozen=True)
class Fold:
    """The 1-0 / 0-1 bead at index ``null`` of the bead list joins the bead at index ``into``."""

    null: int
    into: int


@dataclass(frozen=True)
class _Candidate:
    null: int  # bead index of the unaligned sentence
    into: int  # bead index of the neighbour
    texts: tuple[str, str, str, str, str]  # null, own side of the neighbour, other side, edge clause, rest


def _candidates(beads: list[Bead], sents: dict[str, list[str]], groups: dict[str, Sequence[int] | None],
                max_window: int) -> list[_Candidate]:
    out = []
    for k, bead in enumerate(beads):
        if bool(bead.ru_ids) == bool(bead.en_ids) or len(bead.ru_ids) + len(bead.en_ids) != 1:
            continue
        side, other = ("ru", "en") if bead.ru_ids else ("en", "ru")
        s = (bead.ru_ids or bead.en_ids)[0]
        if len(sents[side][s].split()) > MAX_WORDS:
            continue
        for nk in (k - 1, k + 1):
            if not 0 <= nk < len(beads):
                continue
            nb = beads[nk]
            if not nb.ru_ids or not nb.en_ids or nb.features.get("crossing") == 1.0:
                continue
            own, their = (nb.ru_ids, nb.en_ids) if side == "ru" else (nb.en_ids, nb.ru_ids)
            after = nk < k
            near = own[-1] if after else own[0]
            if near != (s - 1 if after else s + 1) or len(own) >= max_window:
                continue  # not the sentence next to it, or the bead would outgrow max_window
            if groups[side] is not None and groups[side][near] != groups[side][s]:
                continue  # in another paragraph
            edge_id = their[-1] if after else their[0]
            parts = clauses(sents[other][edge_id])
            if len(parts) < 2:
                continue
            edge = parts[-1] if after else parts[0]
            rest_of_edge = " ".join(parts[:-1] if after else parts[1:])
            rest = [sents[other][j] for j in their if j != edge_id]
            rest = rest + [rest_of_edge] if after else [rest_of_edge] + rest
            texts = (sents[side][s], " ".join(sents[side][i] for i in own),
                     " ".join(sents[other][j] for j in their), edge, " ".join(rest))
            out.append(_Candidate(k, nk, texts))
    return out


def find_folds(beads: list[Bead], ru: list[str], en: list[str], encoder: Encoder, *,
               ru_groups: Sequence[int] | None = None, en_groups: Sequence[int] | None = None,
               max_window: int = 5, edge_gain: float = EDGE_GAIN, rest_loss: float = REST_LOSS) -> list[Fold]:
    """Unaligned sentences folded into a neighbouring bead's translation.

    A 1-0 / 0-1 sentence of at most ``MAX_WORDS`` words qualifies next to a linked bead with
    fewer than ``max_window`` sentences on its side, whose sentence beside it is in the same
    group (``ru_groups`` / ``en_groups``: a paragraph id per sentence; None: no groups), when
    the other side's sentence nearest to it has two clauses or more (``clauses``) and the cosine
    tests of ``EDGE_GAIN`` and ``REST_LOSS`` hold. Of two neighbours that qualify, the one whose
    edge clause gains more takes it.
    """
    cands = _candidates(beads, {"ru": ru, "en": en}, {"ru": ru_groups, "en": en_groups}, max_window)
    if not cands:
        return []
    vecs = encoder.encode([t for c in cands for t in c.texts]).reshape(len(cands), 5, -1)
    best: dict[int, tuple[float, Fold]] = {}
    for c, (me, own, other, edge, rest) in zip(cands, vecs):
        gain = float(me @ edge - me @ rest)
        loss = float(own @ other - own @ rest)
        if gain >= edge_gain and loss <= rest_loss and (c.null not in best or gain > best[c.null][0]):
            best[c.null] = (gain, Fold(c.null, c.into))
    return [best[k][1] for k in sorted(best)]


def apply_folds(beads: list[Bead], folds: list[Fold], ru: list[str], en: list[str]) -> list[Bead]:
    """``beads`` with each fold's sentence joined to its neighbour's bead, which keeps its score
    and features (``features["fold"]`` = 1); ``ru`` / ``en`` are the sentences the ids index."""
    from aligner.align import regrouped

    if not folds:
        return beads
    into = {f.null: f.into for f in folds}
    grown: dict[int, tuple[set[int], set[int]]] = {}
    for null, k in into.items():
        ru_ids, en_ids = grown.setdefault(k, (set(beads[k].ru_ids), set(beads[k].en_ids)))
        ru_ids.update(beads[null].ru_ids)
        en_ids.update(beads[null].en_ids)
    out = []
    for k, bead in enumerate(beads):
        if k in into:
            continue
        if k in grown:
            r, e = (tuple(sorted(ids)) for ids in grown[k])
            bead = regrouped(bead, r, e, ru, en, features={**bead.features, "fold": 1.0})
        out.append(bead)
    return out
