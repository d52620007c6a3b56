"""Wires the stages for one input. No printing here: progress goes through a callback.

Entry points:
- ``align_files``: a Russian file and an English file (a book and its translation);
  ``align_texts``: the same for two texts given as strings.
- ``align_document``: one mixed dump (plain text, Telegram JSON or HTML), whose
  Russian and English blocks are separated and paired before alignment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from aligner.encoders.base import Encoder
from aligner.errors import InputError, show_path
from aligner.model import AlignmentResult, Bead, Dropped, Source

# (stage name, done, total) -> None; total may be 0 when unknown.
Progress = Callable[[str, int, int], None]


@dataclass
class PipelineConfig:
    """Every default of a run lives here once; the CLI reads these values."""

    encoder: str = "use"
    device: str = "cpu"
    threads: int = 0  # encoder CPU threads; 0: the free cores (aligner.encoders.threads.free_cores)
    cache: bool = True
    presplit: bool = False
    keep_unaligned: bool = False
    min_score: float = 0.0
    filters: dict = field(default_factory=dict)  # overrides for filters.FilterConfig fields
    # Batch only: dedup across the whole batch output (aligner.dedup_global), not per file.
    batch_dedup: bool = False


def _noop(stage: str, done: int, total: int) -> None:
    return None


def sentences_from_text(text: str, lang: str, presplit: bool, *, what: str = "the text") -> tuple[list[str], list[int]]:
    """Split ``text`` into sentences; also return each sentence's 0-based line number.

    With ``presplit`` every non-empty line is one sentence and keeps its line
    number as its id; otherwise the segmenter splits each line, or each run of lines that
    ``wrapping.line_runs`` reads as one (a paragraph of hard-wrapped text, e-mail or Project
    Gutenberg; lines broken inside a sentence), joined by spaces, and a sentence's line is the
    one it starts on. A line longer than ``limits.MAX_LINE_CHARS`` is first cut into pieces (see
    ``limits.wrap_long_line``), so one huge line costs linear time.

    Raises:
        InputError: more than ``limits.MAX_SENTENCES_PER_SIDE`` sentences
            (``what`` names the text in the message); checked as we go, so a
            huge input fails before it is all segmented.
    """
    from aligner import limits, wrapping

    raw_lines = text.split("\n")
    limits.check_sentence_count(sum(1 for line in raw_lines if line.strip()), what)  # >= 1 sentence per line
    if not presplit:
        return _split_runs(raw_lines, wrapping.line_runs(raw_lines), lang, what)
    sentences: list[str] = []
    lines: list[int] = []
    for lineno, line in enumerate(raw_lines):
        if not line.strip():
            continue
        for piece in limits.wrap_long_line(line.strip()):
            sentences.append(piece)
            lines.append(lineno)
        limits.check_sentence_count(len(sentences), what)
    return sentences, lines


def _joined_run(raw_lines: list[str], first: int, last: int) -> tuple[str, list[int]]:
    """Lines ``first`` to ``last`` stripped and joined by spaces, as a sentence is read from them,
    and where each line starts in the joined text."""
    parts = [line.strip() for line in raw_lines[first : last + 1]]
    starts = [0]
    for part in parts[:-1]:
        starts.append(starts[-1] + len(part) + 1)
    return " ".join(parts), starts


def _split_runs(raw_lines: list[str], line_runs: list[tuple[int, int]], lang: str,
                what: str) -> tuple[list[str], list[int]]:
    """``sentences_from_text`` of a text that is not pre-split: the lines of each of ``line_runs``
    (``wrapping.line_runs``: mostly one line each) joined by spaces, then split."""
    from bisect import bisect_right

    from aligner import limits
    from aligner.segment import split_sentences

    sentences: list[str] = []
    lines: list[int] = []
    for first, last in line_runs:
        joined, starts = _joined_run(raw_lines, first, last)
        cursor = 0
        for piece in limits.wrap_long_line(joined):
            # the text's first piece may open with a headline (segment.headline_cuts)
            for sentence in split_sentences(piece, lang, opens_document=not sentences):
                at = joined.find(sentence, cursor)
                if at >= 0:
                    cursor = at + len(sentence)
                else:  # not found as it is: it starts where the last one ended
                    at = cursor
                sentences.append(sentence)
                lines.append(first + bisect_right(starts, at) - 1)
        limits.check_sentence_count(len(sentences), what)
    return sentences, lines


def paragraph_ids(text: str, lines: list[int], presplit: bool) -> list[int] | None:
    """Paragraph id of each sentence, from the line numbers ``sentences_from_text`` returned.

    Blank lines separate paragraphs when the text has any (a line break inside a block, as in
    verse, is not a paragraph break). In a text without blank lines each line is a paragraph
    when the lines hold ``LINE_PARAGRAPHS`` sentences or more on average (a book saved one
    paragraph a line); otherwise None (no paragraph signal): its line breaks may be hard
    wrapping (subtitle cues, e-mail) or one sentence a line (``presplit``), neither of them
    paragraphs.
    """
    from aligner import wrapping

    raw = text.split("\n")
    blank = [not line.strip() for line in raw]
    filled = [i for i, b in enumerate(blank) if not b]
    has_blank = bool(filled) and any(blank[filled[0] : filled[-1]])  # a blank line between two filled ones
    if not has_blank:
        if presplit or not LINE_PARAGRAPHS or len(filled) < 2 or len(lines) < LINE_PARAGRAPHS * len(filled):
            return None
        if max(len(raw[i].strip()) for i in filled) <= wrapping.WRAP_WIDTH:
            return None  # every line fits a hard-wrap width: wrapped text, not a paragraph a line
        ids, prev = [], None
        for line in lines:
            ids.append(0 if prev is None else ids[-1] + (line != prev))
            prev = line
        return ids
    block, ids, prev = 0, [], None
    gaps = np.cumsum(blank)  # blank lines up to each line
    for line in lines:
        if prev is not None and line != prev and gaps[line] != gaps[prev]:
            block += 1
        ids.append(block)
        prev = line
    return ids


# A text without blank lines whose lines hold this many sentences on average (a book saved one
# paragraph a line) takes each line as a paragraph. 0: never. bench_quality --mode raw
# --paragraph-lines --dev, books bundle F1 natural / __pert: 0.994 / 0.993 without, 0.998 / 0.998
# at 1.2 (as with blank lines), 0.996 / 0.996 at 1.5, 0.995 / 0.994 at 3; dev news unchanged.
LINE_PARAGRAPHS = 1.2
# ... unless no line is longer than ``wrapping.WRAP_WIDTH``: hard-wrapped text (e-mail, Project
# Gutenberg at 70-80 columns) holds one or two sentence pieces a line too, and its line ends are
# no paragraphs.


# sentences at the start of each side whose pieces the partner and headline checks will likely
# ask for (Encoder.expect_cuts)
EXPECT_CUTS = 2


def align_text_sentences(ru_sents: list[str], en_sents: list[str], ru_lines: list[int], en_lines: list[int],
                         ru_text: str, en_text: str, *, encoder: Encoder, presplit: bool = False,
                         config=None, progress: Progress | None = None, partners: bool = True):
    """Align sentences split from ``ru_text`` / ``en_text`` (``sentences_from_text``), with paragraphs.

    Unless ``presplit``, a sentence linked to two on the other side is split where its two
    partners match its pieces (``partner.find_splits``: a headline run into the first
    sentence), and the texts are aligned again with the new sentences.

    Returns:
        ``(beads, ru_sents, en_sents, ru_lines, en_lines)``; bead ids index the returned lists.
    """
    from aligner.align import align_sentences

    def run(ru_s, en_s, ru_l, en_l):
        return align_sentences(ru_s, en_s, encoder=encoder, config=config, progress=progress,
                               ru_paragraphs=paragraph_ids(ru_text, ru_l, presplit),
                               en_paragraphs=paragraph_ids(en_text, en_l, presplit))

    if not presplit and partners and hasattr(encoder, "expect_cuts"):
        # the checks below cut sentences where a headline runs in: the first ones of a text
        encoder.expect_cuts(ru_sents[:EXPECT_CUTS] + en_sents[:EXPECT_CUTS])
    beads = run(ru_sents, en_sents, ru_lines, en_lines)
    if presplit:
        return beads, ru_sents, en_sents, ru_lines, en_lines
    if partners:
        cut = (len(ru_sents), len(en_sents))
        beads, ru_sents, en_sents, ru_lines, en_lines = _split_rounds(beads, ru_sents, en_sents, ru_lines, en_lines,
                                                                      encoder, run, progress)
        if len(ru_sents) != cut[0]:
            ru_lines = piece_lines(ru_text, ru_sents, ru_lines)
        if len(en_sents) != cut[1]:
            en_lines = piece_lines(en_text, en_sents, en_lines)
    return beads, ru_sents, en_sents, ru_lines, en_lines


def piece_lines(text: str, sentences: list[str], lines: list[int]) -> list[int]:
    """The line each sentence starts on, once splits have cut some.

    A piece keeps its sentence's line (``partner.apply_splits``), which is where the sentence
    started; but a sentence read from several lines (a caption track, a hard-wrapped paragraph:
    ``wrapping.line_runs``) has pieces that start on later ones, and the written pairs should say
    so (``ru_lines`` / ``en_lines``). See ``sentence_spans``.
    """
    return [first for first, _ in sentence_spans(text, sentences, lines)]


def sentence_spans(text: str, sentences: list[str], lines: list[int]) -> list[tuple[int, int]]:
    """The first and last line of each sentence of ``text`` (``sentences_from_text``'s, maybe cut
    since), ``lines`` holding the line each starts on or, for a piece, its sentence started on.

    Each sentence is looked for, in order, in its run of lines as ``sentences_from_text`` joined
    them (``wrapping.line_runs``); one not found there keeps its line, as first and last.
    """
    from bisect import bisect_right

    from aligner import wrapping

    raw = text.split("\n")
    run_of: dict[int, tuple[int, int]] = {}
    for first, last in wrapping.line_runs(raw):
        if last > first:
            run_of.update(dict.fromkeys(range(first, last + 1), (first, last)))
    joined: dict[tuple[int, int], tuple[str, list[int]]] = {}
    cursor: dict[tuple[int, int], int] = {}
    out = []
    for sentence, line in zip(sentences, lines):
        run = run_of.get(line)
        if run is None:  # a run of one line: the sentence is on it
            out.append((line, line))
            continue
        if run not in joined:
            joined[run] = _joined_run(raw, *run)
        whole, starts = joined[run]
        at = whole.find(sentence, cursor.get(run, 0))
        if at < 0:
            out.append((line, line))
            continue
        cursor[run] = at + len(sentence)
        last = at + max(len(sentence) - 1, 0)
        out.append((run[0] + bisect_right(starts, at) - 1, run[0] + bisect_right(starts, last) - 1))
    return out


def _split_rounds(beads, ru_sents, en_sents, ru_lines, en_lines, encoder, run, progress=None):
    """The partner and headline splits of ``align_text_sentences``, aligning again after each round."""
    from aligner.headline_split import find_joint_splits, find_opening_split
    from aligner.list_split import find_list_splits
    from aligner.partner import apply_splits, find_splits

    if RUNON_SPLITS:  # a sentence with no punctuation for hundreds of words: cut it first
        from aligner.runon_split import find_runon_splits

        runon = find_runon_splits(beads, ru_sents, en_sents, encoder, progress)
        if runon:
            ru_sents, ru_lines = apply_splits(ru_sents, ru_lines, runon, "ru")
            en_sents, en_lines = apply_splits(en_sents, en_lines, runon, "en")
            beads = run(ru_sents, en_sents, ru_lines, en_lines)
    listed = find_list_splits(beads, ru_sents, en_sents, encoder) if LIST_SPLITS else []
    splits = find_splits(beads, ru_sents, en_sents, encoder)
    splits += find_joint_splits(beads, ru_sents, en_sents, encoder, taken=splits)
    splits += find_opening_split(beads, ru_sents, en_sents, encoder, taken=splits)
    if listed:  # a list run's sentences are cut by its own cuts only
        cut = {(s.side, s.index) for s in listed}
        splits = listed + [s for s in splits if (s.side, s.index) not in cut]
    opening = any(s.index == 0 for s in splits)
    for round_ in range(SPLIT_ROUNDS):
        if not splits:
            break
        ru_sents, ru_lines = apply_splits(ru_sents, ru_lines, splits, "ru")
        en_sents, en_lines = apply_splits(en_sents, en_lines, splits, "en")
        beads = run(ru_sents, en_sents, ru_lines, en_lines)
        if round_ == SPLIT_ROUNDS - 1:
            break
        # The pieces just cut may hold one more headline each (three segments run together:
        # "…in a decent direction A cartoon about the joys of being evil This directorial
        # debut…"): joint splits once more, on beads with a new piece on either side (a piece
        # cut on one side only, "…is being posted| Twenty per cent…", may be linked to a sentence
        # that still runs two into one on the other).
        new = (_piece_ids(splits, "ru"), _piece_ids(splits, "en"))
        reopen = opening and beads and (beads[0].ru_ids, beads[0].en_ids) == ((0,), (0,))
        again = find_joint_splits(beads, ru_sents, en_sents, encoder, within=new,
                                  opening=(1, 1) if reopen and REOPEN_JOINT and 1 in new[0] and 1 in new[1] else None)
        if reopen:
            # A first sentence was cut, maybe inside the headline ("Red Tide| Update:
            # Concentrations decrease … Sarasota The newest report"), and its first pieces are
            # linked: what follows them opens the document's text once more.
            again += [s for s in find_opening_split(beads, ru_sents, en_sents, encoder, taken=again, opening=(1, 1))
                      if s.index == 1]
        opening = False
        splits = again
    return beads, ru_sents, en_sents, ru_lines, en_lines


# Cut a run of list items without punctuation (a masthead) where its pieces align
# (``list_split``): bench_quality --mode raw, wmt23 bundle F1 0.967 / 0.965 -> 0.974 / 0.970.
LIST_SPLITS = True
# When the first round cut both sides' first sentence and linked the first pieces, the bead after
# them is the document's opening once more (``headline_split.find_joint_splits`` with ``opening=(1,
# 1)``): a kicker was cut off and the headline still runs into the sentence ("Europe captain|
# Thomas Bjorn knows big lead can soon disappear| Thomas Bjorn, the European captain, knows…").
# There no name may run over a cut. On all raw cases in the five layouts it cuts one dev ntrex
# document and its __pert copy, at the gold boundary (ntrex natural bundle precision 0.990 -> 0.991).
REOPEN_JOINT = True
# Before the other splits, cut a sentence with no punctuation that no bead could pair (a speech
# transcript) where the other side's sentences divide it (``runon_split``): scripts/bench_runon.py.
RUNON_SPLITS = True
# Rounds of cutting sentences and aligning again (the first with every kind of cut, the later
# ones on the new pieces only).
SPLIT_ROUNDS = 3


def _piece_ids(splits, side: str) -> set[int]:
    """Ids, after ``partner.apply_splits``, of the pieces the splits of ``side`` made."""
    cut = sorted(index for index, _ in {(s.index, s.at) for s in splits if s.side == side})
    out = set()
    for shift, index in enumerate(cut):
        out |= {index + shift, index + shift + 1}
    return out


def as_written_beads(beads: list[Bead], ru_sents: list[str], en_sents: list[str],
                     ru_written: str | None, en_written: str | None) -> tuple[list[Bead], list[str], list[str]]:
    """Beads and sentences in the words of the files as written, not as normalised for the aligner.

    The reader normalises text (``encoding.normalise``: no-break spaces to spaces, zero-width
    characters and soft hyphens removed, NFC) so that splitting and embedding see one form;
    the outputs quote each sentence as its file writes it (``encoding.as_written``), so a
    translation memory holds the user's text and the text can be found in the file again.
    ``ru_written`` / ``en_written``: a side's text before normalisation (``Document.written``),
    or None to keep that side as it is. A bead's text is rebuilt only where it is its
    sentences joined by spaces, and its parts only where they are its sentences.
    """
    from aligner.readers.encoding import as_written

    def side(sents: list[str], written: str | None) -> list[str]:
        return sents if written is None else as_written(written, sents)

    ru_out, en_out = side(ru_sents, ru_written), side(en_sents, en_written)
    if ru_out == ru_sents and en_out == en_sents:
        return beads, ru_sents, en_sents

    def text(old: str, ids, sents: list[str], out: list[str]) -> str:
        return " ".join(out[i] for i in ids) if old == " ".join(sents[i] for i in ids) else old

    def parts(old: tuple[str, ...], ids, sents: list[str], out: list[str]) -> tuple[str, ...]:
        return tuple(out[i] for i in ids) if old == tuple(sents[i] for i in ids) else old

    beads = [replace(b, ru=text(b.ru, b.ru_ids, ru_sents, ru_out), en=text(b.en, b.en_ids, en_sents, en_out),
                     ru_parts=parts(b.ru_parts, b.ru_ids, ru_sents, ru_out),
                     en_parts=parts(b.en_parts, b.en_ids, en_sents, en_out))
             for b in beads]
    return beads, ru_out, en_out


def align_files(
    ru_path: str | Path,
    en_path: str | Path,
    *,
    encoder: Encoder,
    config: PipelineConfig | None = None,
    progress: Progress = _noop,
) -> AlignmentResult:
    """Align a Russian file with its English translation.

    The languages are checked, not assumed from the argument order: swapped
    inputs are swapped back, and a file with neither language is an error.
    Reads the two files (``readers.read_document``), then aligns them as ``align_texts`` does.
    """
    from aligner.readers import read_document

    t0 = time.perf_counter()
    ru_doc, en_doc = read_document(ru_path), read_document(en_path)
    result = _align_documents(ru_doc, en_doc, str(ru_path), str(en_path), encoder=encoder, config=config,
                              progress=progress, inputs="file")
    result.stats.seconds = time.perf_counter() - t0
    return result


def align_texts(
    ru_text: str,
    en_text: str,
    *,
    encoder: Encoder,
    config: PipelineConfig | None = None,
    progress: Progress = _noop,
    ru_name: str = "ru_text",
    en_name: str = "en_text",
) -> AlignmentResult:
    """Align a Russian text with its English translation, both given as strings.

    What ``align_files`` does with two plain-text files holding them, minus reading: the texts
    are normalised (``readers.text_document``), split into sentences, blank lines separate
    paragraphs, and the languages are checked (swapped texts are swapped back).
    ``ru_name`` / ``en_name`` stand for the file names: in messages and in the provenance
    (``doc``, ``ru_file``, ``en_file``; a name follows its text when the two are swapped).
    ``<side>_lines`` are 1-based lines of the strings.

    Raises:
        InputError: neither text is Russian, or neither English, or one has no sentences.
    """
    from aligner.readers import text_document

    t0 = time.perf_counter()
    result = _align_documents(text_document(ru_text, ru_name), text_document(en_text, en_name), ru_name, en_name,
                              encoder=encoder, config=config, progress=progress, inputs="text")
    result.stats.seconds = time.perf_counter() - t0
    return result


def _align_documents(ru_doc, en_doc, ru_name: str, en_name: str, *, encoder: Encoder,
                     config: PipelineConfig | None, progress: Progress, inputs: str) -> AlignmentResult:
    """``align_files`` and ``align_texts`` once the two sides are read (``readers.Document``).

    ``ru_name`` / ``en_name``: the file paths or the texts' names; ``inputs``: ``"file"`` or
    ``"text"``, what the messages call them.
    """
    from aligner.langid import detect
    from aligner.limits import mismatch_warning

    config = config or PipelineConfig()
    ru_text, en_text = ru_doc.text, en_doc.text
    ru_lang, en_lang = detect(ru_text), detect(en_text)
    if ru_lang == "en" and en_lang == "ru":
        ru_name, en_name, ru_text, en_text = en_name, ru_name, en_text, ru_text
        ru_doc, en_doc = en_doc, ru_doc
    elif "ru" not in (ru_lang, en_lang):
        raise InputError(f"no Russian text found in {show_path(ru_name)} or {show_path(en_name)}; give one Russian and one English {inputs}")
    elif "en" not in (ru_lang, en_lang):
        raise InputError(f"no English text found in {show_path(ru_name)} or {show_path(en_name)}; give one Russian and one English {inputs}")

    ru_sents, ru_lines = sentences_from_text(ru_text, "ru", config.presplit, what=show_path(ru_name))
    en_sents, en_lines = sentences_from_text(en_text, "en", config.presplit, what=show_path(en_name))
    if not ru_sents:
        raise InputError(f"{show_path(ru_name)} has no sentences to align; check that it is the right {inputs}")
    if not en_sents:
        raise InputError(f"{show_path(en_name)} has no sentences to align; check that it is the right {inputs}")

    beads, ru_sents, en_sents, ru_lines, en_lines = align_text_sentences(
        ru_sents, en_sents, ru_lines, en_lines, ru_text, en_text, encoder=encoder,
        presplit=config.presplit, progress=progress)
    # counted once the sentences are final: a transcript with no punctuation reads as a few
    # sentences until runon_split cuts it where its translation's sentences end
    short = (lambda name: Path(name).name) if inputs == "file" else (lambda name: name)
    warning = mismatch_warning(len(ru_sents), len(en_sents), short(ru_name), short(en_name), inputs=f"{inputs}s")
    ru_sents_read, en_sents_read = ru_sents, en_sents  # as segmented, before quoting them as written
    beads, ru_sents, en_sents = as_written_beads(beads, ru_sents, en_sents, ru_doc.written, en_doc.written)
    result = AlignmentResult(ru_sentences=ru_sents, en_sentences=en_sents)
    if warning:
        result.warnings.append(warning)
    result.stats.inputs = 2
    result.stats.sentences_ru, result.stats.sentences_en = len(ru_sents), len(en_sents)
    # a sentence read over several lines (wrapped text, a caption track) spans them all: its
    # first and last line's sources (file lines, cue times)
    if config.presplit:  # a line a sentence
        ru_spans, en_spans = [(n, n) for n in ru_lines], [(n, n) for n in en_lines]
    else:
        ru_spans = sentence_spans(ru_text, ru_sents_read, ru_lines)
        en_spans = sentence_spans(en_text, en_sents_read, en_lines)

    def sources(doc, spans, ids):
        return [doc.sources[n] for i in ids for n in spans[i]]

    beads = [replace(b, provenance={**b.provenance,
                                    **side_provenance("ru", sources(ru_doc, ru_spans, b.ru_ids)),
                                    **side_provenance("en", sources(en_doc, en_spans, b.en_ids))})
             for b in beads]
    if config.presplit:
        beads = [_renumber(b, ru_lines, en_lines) for b in beads]
    # The pair of inputs is one document (--split-by-doc keeps it whole).
    doc = {"doc": ru_name, "ru_file": ru_name, "en_file": en_name}
    beads = [replace(b, provenance={**doc, **b.provenance}) for b in beads]
    _finish(result, beads, config)
    return result


def side_provenance(side: str, sources: list[Source]) -> dict[str, str]:
    """Where one side of a bead came from: ``<side>_lines`` always (empty for an empty side), plus
    ``<side>_page`` (PDF), ``<side>_chapter`` (EPUB) and ``<side>_time`` (subtitles) when known.

    Spans are ``"first-last"`` (``"3"`` when they are equal); times are ``"start-end"``.
    """
    def span(values: list[int]) -> str:
        lo, hi = min(values), max(values)
        return str(lo) if lo == hi else f"{lo}-{hi}"

    known = [s for s in sources if s.line_start]
    prov = {f"{side}_lines": f"{min(s.line_start for s in known)}-{max(s.line_end or s.line_start for s in known)}"
            if known else ""}
    pages = [s.page for s in sources if s.page is not None]
    if pages:
        prov[f"{side}_page"] = span(pages)
    chapters = [s.chapter for s in sources if s.chapter is not None]
    if chapters:
        prov[f"{side}_chapter"] = span(chapters)
    starts = [s.time_start for s in sources if s.time_start]
    ends = [s.time_end for s in sources if s.time_end]
    if starts and ends:
        prov[f"{side}_time"] = f"{min(starts)}-{max(ends)}"  # HH:MM:SS.mmm sorts as text
    return prov


def _renumber(bead: Bead, ru_lines: list[int], en_lines: list[int]) -> Bead:
    """With --presplit, ids are input line numbers, so blank lines do not shift them."""
    return replace(bead, ru_ids=tuple(ru_lines[i] for i in bead.ru_ids),
                   en_ids=tuple(en_lines[i] for i in bead.en_ids))


def _finish(result: AlignmentResult, beads: list[Bead], config: PipelineConfig) -> None:
    """Filter the beads and fill the summary counters."""
    from aligner.filters import FilterConfig, apply_filters

    result.stats.beads = len(beads)
    result.all_beads = beads
    fconf = FilterConfig(min_score=config.min_score, keep_unaligned=config.keep_unaligned, **config.filters)
    kept, dropped = apply_filters(beads, fconf)
    result.beads = kept
    result.dropped.extend(dropped)
    for d in dropped:
        result.stats.drop(d.reason)
    result.stats.beads_written = len(kept)


def with_dropped(result: AlignmentResult) -> list[Bead]:
    """Every bead in document order: the kept ones as written, the dropped ones marked ``dropped: REASON``.

    This is what the JSONL output holds, so the review editor sees every
    sentence in its place (the unaligned ones too) and knows what the filters did.
    """
    reasons = {id(d.bead): d.reason for d in result.dropped if d.bead is not None}
    kept = iter(result.beads)
    out = []
    for bead in result.all_beads:
        reason = reasons.get(id(bead))
        if reason is None:
            out.append(next(kept))  # the kept copy (dedup may have added its ``copies``)
        else:
            out.append(replace(bead, provenance={**bead.provenance, "dropped": reason}))
    return out


def align_document(
    path: str | Path,
    *,
    encoder: Encoder,
    config: PipelineConfig | None = None,
    progress: Progress = _noop,
) -> AlignmentResult:
    """Align one mixed dump: read, clean, label languages, pair blocks, align each pair."""
    from aligner.clean import clean
    from aligner.langid import label_paragraphs
    from aligner.pairing import make_blocks, outside_blocks, pair_blocks
    from aligner.readers import read_paragraphs_as_written

    config = config or PipelineConfig()
    t0 = time.perf_counter()
    result = AlignmentResult()
    result.stats.inputs = 1
    paragraphs, written = read_paragraphs_as_written(path)
    result.stats.paragraphs = len(paragraphs)
    cleaned = clean(paragraphs)
    result.dropped.extend(cleaned.dropped)
    for d in cleaned.dropped:
        result.stats.drop(d.reason)
    labelled = label_paragraphs(cleaned.kept)
    blocks = make_blocks(labelled)
    for d in outside_blocks(labelled, blocks):
        result.dropped.append(d)
        result.stats.drop(d.reason)
    result.stats.blocks_ru = sum(b.lang == "ru" for b in blocks)
    result.stats.blocks_en = sum(b.lang == "en" for b in blocks)
    if not result.stats.blocks_ru:
        raise InputError(f"no Russian text found in {show_path(path)}; give a document with both Russian and English text")
    if not result.stats.blocks_en:
        raise InputError(f"no English text found in {show_path(path)}; give a document with both Russian and English text")
    pairs = pair_blocks(blocks, encoder=encoder)
    result.pairs = pairs
    result.stats.block_pairs = len(pairs)
    result.stats.unpaired_ru = result.stats.blocks_ru - len(pairs)
    result.stats.unpaired_en = result.stats.blocks_en - len(pairs)

    beads: list[Bead] = []
    for n, pair in enumerate(pairs):
        progress("align", n, len(pairs))
        ru_text, en_text = block_text(pair.ru), block_text(pair.en)
        ru_sents, ru_lines = sentences_from_text(ru_text, "ru", False, what=f"a Russian block of {show_path(path)}")
        en_sents, en_lines = sentences_from_text(en_text, "en", False, what=f"an English block of {show_path(path)}")
        pair_beads, ru_sents, en_sents, _, _ = align_text_sentences(ru_sents, en_sents, ru_lines, en_lines,
                                                                    ru_text, en_text, encoder=encoder)
        pair_beads, ru_sents, en_sents = as_written_beads(pair_beads, ru_sents, en_sents,
                                                          block_text(pair.ru, written), block_text(pair.en, written))
        result.stats.sentences_ru += len(ru_sents)
        result.stats.sentences_en += len(en_sents)
        prov = {**_pair_provenance(pair, str(path)), "pair": str(n)}
        beads.extend(replace(b, provenance={**prov, **b.provenance}) for b in pair_beads)
    progress("align", len(pairs), len(pairs))
    paired = {id(p.ru) for p in pairs} | {id(p.en) for p in pairs}
    unpaired = unpaired_beads([b for b in blocks if b.lang in ("ru", "en") and id(b) not in paired], str(path),
                              written)
    if config.keep_unaligned:
        beads.extend(unpaired)
    else:
        result.dropped.extend(Dropped("unpaired", f"{b.ru} ||| {b.en}", b) for b in unpaired)
        result.stats.drop("unpaired", len(unpaired))
    _finish(result, beads, config)
    result.stats.seconds = time.perf_counter() - t0
    return result


def block_text(block, lines: list[str] | None = None) -> str | None:
    """A dump block's paragraphs as one text, blank-line separated: the paragraph signal, and the
    headline splits and fold joins of a text and its translation given as two files.

    ``lines``: the dump's lines as its file writes them (``readers.read_paragraphs_as_written``), for
    the same text as written (None where a paragraph's line is not known); without, the
    paragraphs' normalised text.
    """
    if lines is None:
        return "\n\n".join(p.text for p in block.paragraphs)
    if not all(p.source.line_start and p.source.line_start <= len(lines) for p in block.paragraphs):
        return None
    return "\n\n".join(" ".join(line.strip() for line in lines[p.source.line_start - 1 : max(p.source.line_end, p.source.line_start)])
                       for p in block.paragraphs)


def unpaired_beads(blocks, path: str, written: list[str] | None = None) -> list[Bead]:
    """One 1-0 / 0-1 bead per sentence of each block that found no partner.

    Nothing is invisible: with --keep-unaligned these are written (empty other
    side, the post id, ``reason`` = ``unpaired``); without, the report lists them.
    ``written``: the dump's lines as written (``readers.read_paragraphs_as_written``), so the
    sentences are quoted as the file writes them, as paired ones are.
    """
    from aligner.readers.encoding import as_written

    out: list[Bead] = []
    for block in blocks:
        src = block.source
        text = block_text(block)
        sents, _ = sentences_from_text(text, block.lang, False, what=f"a block of {path}")
        original = block_text(block, written) if written is not None else None
        if original is not None:
            sents = as_written(original, sents)
        unit = src.post_id or src.unit or f"L{src.line_start}"
        prov = {"doc": f"{path}#{unit}", "reason": "unpaired", "date": src.date or "",
                f"{block.lang}_lines": f"{src.line_start}-{src.line_end}"}
        if src.post_id is not None:
            prov[f"{block.lang}_msg_id"] = src.post_id
        for k, sent in enumerate(sents):
            ru, en = (sent, "") if block.lang == "ru" else ("", sent)
            ids = ((k,), ()) if block.lang == "ru" else ((), (k,))
            out.append(Bead(ids[0], ids[1], ru, en, 0.0, provenance=dict(prov)))
    return out


def _pair_provenance(pair, path: str) -> dict[str, str]:
    ru, en = pair.ru.source, pair.en.source
    # A mixed dump holds many documents (posts); --split-by-doc must keep each one whole.
    unit = en.post_id or en.unit or ru.post_id or f"L{en.line_start}"
    prov = {"doc": f"{path}#{unit}", "pair_score": f"{pair.score:.4f}"}
    if ru.post_id is not None or en.post_id is not None:
        prov["ru_msg_id"] = ru.post_id or ""
        prov["en_msg_id"] = en.post_id or ""
    prov["date"] = en.date or ru.date or ""
    prov["ru_lines"] = f"{ru.line_start}-{ru.line_end}"
    prov["en_lines"] = f"{en.line_start}-{en.line_end}"
    for side, block in (("ru", pair.ru), ("en", pair.en)):  # page, chapter, cue times of document inputs
        extra = side_provenance(side, [p.source for p in block.paragraphs])
        prov.update({k: v for k, v in extra.items() if not k.endswith("_lines")})
    return prov
