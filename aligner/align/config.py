"""Every knob of the sentence aligner, with its default and where the default comes from.

Nothing here is fitted on the benchmark cases: the values are either taken
from the papers credited below, or they are scale-free choices that the
document itself turns into numbers (percentiles, robust spreads, ratios).

References:
- Gale & Church (1993), "A program for aligning sentences in bilingual corpora":
  character-length ratio modelled as a Gaussian; bead priors favour 1-1.
- Artetxe & Schwenk (2019), "Margin-based parallel corpus mining with multilingual
  sentence embeddings": similarity relative to the k nearest neighbours (k = 4).
- Thompson & Koehn (2019), Vecalign: embeddings of concatenated sentences, a
  coarse-to-fine band, and a skip cost taken as a percentile of the document's
  own costs instead of a constant.
- Liu & Zhu (2022), Bertalign: a first 1-1 pass at coarse level, then many-to-many
  alignment in a window around it; beads up to 5 sentences in total.
- Steingrímsson, Loftsson & Way (2023), SentAlign: checking a merged bead against
  its 1-1 splits, to undo the bias of concatenation similarity towards merging.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Bead types (ru count, en count). Beads up to 5 sentences in total, as in Bertalign's
# max_align=5; 1-0 and 0-1 are always allowed. 3-3 (6 sentences) is left out.
DEFAULT_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 0),
    (0, 1),
    (2, 1),
    (1, 2),
    (2, 2),
    (3, 1),
    (1, 3),
    (3, 2),
    (2, 3),
    (4, 1),
    (1, 4),
)


@dataclass(frozen=True)
class AlignConfig:
    """Settings of ``align_sentences`` / ``align_vectors``.

    Attributes:
        types: allowed bead types (ru count, en count); must contain (1,1), (1,0), (0,1).
        max_window: longest concatenation embedded on one side (the largest count in ``types``).
        margin: subtract the neighbourhood average from the cosine (Artetxe & Schwenk's
            margin in its difference form, the same idea as CSLS). Off only for ablation.
        margin_k: neighbours in that average. 4 is Artetxe & Schwenk's default.
        hub_radius: the neighbours are searched among the other side's sentences within
            this many positions of the expected diagonal position (a local neighbourhood, as
            Bertalign and Vecalign compare against nearby and random sentences; on short
            documents it covers the whole document).
        length: add the Gale–Church length term. Off only for ablation.
        length_weight: weight of the length term relative to the similarity margin. The
            length term is a log-likelihood ratio in nats; the similarity margin lives in
            cosine units where the gap between true and false pairs is about 0.3, so
            0.03 makes a 2-sigma length mismatch (2 nats) cost as much as 0.06 of cosine.
        length_sigma_floor: smallest spread of the log length ratio (Gale & Church measured
            a variance of 6.8 chars per char, i.e. about 0.2 in log ratio for 100-char
            sentences; we floor the document's own estimate there).
        skip_percentile: the 1-1 margin above which two sentences should rather be paired
            than both left unaligned is this percentile of the document's best-per-row
            margins of *non-matching* pairs, i.e. the second-best candidate per sentence.
            Vecalign sets its skip cost as a percentile of the document's own costs too.
        merge_penalty: a bead of n sentences (n > 2) must beat its pieces by this much per
            extra sentence; it is the "penalise concatenations by the number of sentences"
            idea of Vecalign, in cosine units.
        merge_check: after the DP, split merged beads whose 1-1 part scores as well as the
            whole (SentAlign's check against the merging bias). Off only for ablation.
        merge_check_tolerance: how much better (in cosine) the merged bead must be than its
            1-1 core to stay merged.
        anchors: find confident 1-1 anchors and search only between them. Off only for
            ablation (then the band comes from the coarse path alone).
        anchor_min_margin: an anchor must be a mutual best match whose margin over the
            second best candidate on both sides is at least this (cosine units).
        band_radius: half-width of the fine band around the anchor path, in sentences.
        full_matrix_cells: below this many (n+1)*(m+1) cells the whole matrix is searched;
            above it, the coarse-to-fine band is used (memory stays linear).
        coarse_blocks: target number of blocks per side in the coarse pass of long inputs.
    """

    types: tuple[tuple[int, int], ...] = DEFAULT_TYPES
    max_window: int = 4
    margin: bool = True
    margin_k: int = 4
    hub_radius: int = 30
    length: bool = True
    length_weight: float = 0.03
    length_sigma_floor: float = 0.2
    bead_bonus: float = 0.3
    null_cost: float = 0.3
    many_to_many_cost: float = 0.5
    merge_check: bool = True
    merge_check_tolerance: float = 0.02
    anchors: bool = True
    anchor_min_margin: float = 0.05
    band_radius: int = 8
    full_matrix_cells: int = 400_000
    coarse_blocks: int = 2000
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def with_(self, **changes) -> "AlignConfig":
        """A copy with some fields changed (used by the benchmark's ablations)."""
        return replace(self, **changes)
