#!/usr/bin/env python3
"""Text with no sentence punctuation on one side (a speech transcript, auto captions).

Each case of ../shared/eval/cases (``bench_quality.is_dev`` split by default) is rebuilt with
one side as an unpunctuated transcript: its gold sentence lines lower-cased, ``. ! ? ; :`` and
``…`` removed, and joined into one line per paragraph of its raw text (``--one-line``: the
whole document one line; ``--captions``: the whole document as a caption track, lines of
``CAPTION_WIDTH`` columns; ``--srt``: that track as an SRT file, a line a cue, through the
subtitle reader). The other side is its gold sentence lines as written, one
paragraph a line. Both texts go through the raw-text pipeline (``pipeline.sentences_from_text``
and ``align_text_sentences``, the partner and run-on splits included); each sentence and piece
is found in the text it came from (its line breaks read as spaces: the pipeline joins lines that
run on) and mapped to the gold lines it overlaps, and the beads are
scored by ../shared/eval/score.py's bundle F1 (a bead counts when it stays inside one gold
bundle; pieces of one gold sentence may stand in several beads). Only natural variants: they have
no deletions, so no null F1.

Printed per variant (``pipeline.RUNON_SPLITS`` on / off) and unpunctuated side: bundle P/R/F1,
and the share of gold links whose Russian lines no bead links (``lost``).

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_runon.py [--all] [--one-line | --captions | --srt]
        [--filter REGEX] [--sides en,ru] [--variants off,on]
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_quality as bq  # noqa: E402  (the cases, the dev split, score.py)

_DROP = re.compile(r"[.!?;:…]")
# ``--captions``: the unpunctuated side as a caption track, lines of at most this many characters
# (the 42 columns of broadcast subtitles).
CAPTION_WIDTH = 42
SCORE = None  # ../shared/eval/score.py, loaded by main()


def _paragraphs(case_id: str, side: str, lines: list[str]) -> list[list[int]]:
    """Gold line ids grouped by the raw text's paragraphs (one group when there is no raw text)."""
    from aligner.pipeline import paragraph_ids

    raw = bq.CASES / case_id / f"{side}.raw.txt"
    if not raw.exists():
        return [list(range(len(lines)))]
    ids = paragraph_ids(raw.read_text(encoding="utf-8"), _raw_lines(raw, lines), False)
    if ids is None:  # no paragraph signal in the raw text
        return [list(range(len(lines)))]
    groups: list[list[int]] = []
    for i, p in enumerate(ids):
        if not groups or ids[i - 1] != p:
            groups.append([])
        groups[-1].append(i)
    return groups


def _raw_lines(raw: Path, lines: list[str]) -> list[int]:
    """For each gold line, the raw text line it starts on (found in order; 0 when not found)."""
    text = raw.read_text(encoding="utf-8")
    out, at = [], 0
    for line in lines:
        probe = line.strip()[:30]
        k = text.find(probe, at) if probe else -1
        if k >= 0:
            at = k + len(probe)
        out.append(text.count("\n", 0, max(k, 0)) if k >= 0 else (out[-1] if out else 0))
    return out


def build(lines: list[str], groups: list[list[int]], strip: bool) -> tuple[str, list[int], list[int]]:
    """Text of the gold ``lines`` (one group a line) and, per gold line, its start and end offset."""
    starts, ends = [0] * len(lines), [0] * len(lines)
    parts: list[str] = []
    pos = 0
    for g, group in enumerate(groups):
        if g:
            parts.append("\n")
            pos += 1
        for n, i in enumerate(group):
            words = (_DROP.sub("", lines[i]).lower() if strip else lines[i]).split()
            text = " ".join(words)
            if n and text:
                parts.append(" ")
                pos += 1
            starts[i] = pos
            parts.append(text)
            pos += len(text)
            ends[i] = pos
    return "".join(parts), starts, ends


def wrap_captions(text: str, width: int) -> str:
    """``text`` with spaces turned into line breaks so that no line is longer than ``width`` (a
    caption track's lines); every offset stays where it was."""
    chars, line_start = list(text), 0
    for m in re.finditer(r"\S+", text):
        if text[line_start:m.start()].count("\n"):
            line_start = m.start()
        elif m.end() - line_start > width and m.start() > line_start:
            chars[m.start() - 1] = "\n"
            line_start = m.start()
    return "".join(chars)


def locate(sentences: list[str], text: str, starts: list[int], ends: list[int]) -> list[set[int]]:
    """Gold lines each sentence overlaps (sentences found in order in ``text``)."""
    order = sorted(range(len(starts)), key=lambda i: starts[i])
    s_sorted = [starts[i] for i in order]
    out, at = [], 0
    for s in sentences:
        k = text.find(s, at)
        if k < 0:
            k = text.find(s)
        if k < 0:
            out.append(set())
            continue
        at = k + len(s)
        lo = max(0, bisect.bisect_right(s_sorted, k) - 1)
        hit = set()
        for n in range(lo, len(order)):
            i = order[n]
            if starts[i] >= at:
                break
            if ends[i] > k and ends[i] > starts[i]:
                hit.add(i)
        out.append(hit)
    return out


def as_subtitles(text: str) -> str:
    """``text`` (a caption track: a line a cue) through an SRT file and ``readers.read_document``,
    cues of 2 s: the text the pipeline gets from a subtitle file."""
    import tempfile

    from aligner.readers import read_document

    cues = text.split("\n")
    srt = "".join(f"{n + 1}\n{_stamp(2 * n)} --> {_stamp(2 * n + 2)}\n{cue}\n\n" for n, cue in enumerate(cues))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "captions.srt"
        path.write_text(srt, encoding="utf-8")
        out = read_document(path).text
    if out.replace("\n", " ") != text.replace("\n", " "):
        raise SystemExit("the subtitle reader changed the caption text; the spans no longer hold")
    return out


def _stamp(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d},000"


def run_case(case_id: str, side: str, encoder, one_line: bool, captions: bool = False,
             srt: bool = False) -> tuple[list, list]:
    from aligner.pipeline import align_text_sentences, sentences_from_text

    ru, en, _meta = bq.read_case(case_id)
    src = {"ru": ru, "en": en}
    if srt:  # as the subtitle reader cleans cue text (zero-width spaces out), so the spans hold
        from aligner.readers.document import clean_text

        src[side] = [clean_text(line) for line in src[side]]
    texts, spans = {}, {}
    for lang in ("ru", "en"):
        groups = _paragraphs(case_id, lang, src[lang])
        if (one_line or captions or srt) and lang == side:
            groups = [[i for g in groups for i in g]]
        texts[lang], *spans[lang] = build(src[lang], groups, strip=lang == side)
        if (captions or srt) and lang == side:
            texts[lang] = wrap_captions(texts[lang], CAPTION_WIDTH)
            if srt:
                texts[lang] = as_subtitles(texts[lang])
    (rs, rl), (es, el) = (sentences_from_text(texts[lang], lang, False) for lang in ("ru", "en"))
    beads, rs, es, _, _ = align_text_sentences(rs, es, rl, el, texts["ru"], texts["en"], encoder=encoder)
    flat = {lang: texts[lang].replace("\n", " ") for lang in ("ru", "en")}  # a sentence joins wrapped lines
    r_at, e_at = locate(rs, flat["ru"], *spans["ru"]), locate(es, flat["en"], *spans["en"])
    test = []
    for b in beads:
        a = sorted(set().union(*(r_at[i] for i in b.ru_ids))) if b.ru_ids else []
        c = sorted(set().union(*(e_at[j] for j in b.en_ids))) if b.en_ids else []
        if a or c:
            test.append((a, c))
    gold = SCORE.read_alignments(bq.CASES / case_id / "gold.tsv")
    return gold, test


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--all", action="store_true", help="every case, not only the dev split")
    layout = ap.add_mutually_exclusive_group()
    layout.add_argument("--one-line", action="store_true", help="the unpunctuated side as one line")
    layout.add_argument("--captions", action="store_true",
                        help=f"the unpunctuated side as a caption track: one stream in lines of {CAPTION_WIDTH} characters")
    layout.add_argument("--srt", action="store_true",
                        help="the same caption track as an SRT file (a line a cue), read by readers/subtitles.py")
    ap.add_argument("--filter", default="^(wmt23|ntrex|flores)", help="case id regex")
    ap.add_argument("--sides", default="en,ru", help="which side is unpunctuated, comma-separated")
    ap.add_argument("--variants", default="off,on", help="pipeline.RUNON_SPLITS values to run, comma-separated")
    args = ap.parse_args()

    from aligner import pipeline
    from aligner.encoders import get_encoder

    global SCORE
    if not bq.CASES.is_dir():
        sys.exit(f"no evaluation cases at {bq.CASES}")
    SCORE = bq.load_score_module()
    encoder = get_encoder("use", cache=True)
    cases = [c for c in bq.case_ids(args.filter) if not c.endswith("__pert") and (args.all or bq.is_dev(c))]
    print(f"{len(cases)} cases, natural variant, {'all' if args.all else 'dev split'}"
          f"{', unpunctuated side one line' if args.one_line else ''}"
          f"{f', unpunctuated side as captions of {CAPTION_WIDTH} columns' if args.captions else ''}"
          f"{f', unpunctuated side as an SRT file of {CAPTION_WIDTH}-column cues' if args.srt else ''}")
    print("| run-on splits | unpunctuated | bundP | bundR | bundF1 |  lost | seconds |")
    print("|---------------|--------------|-------|-------|--------|-------|---------|")
    for variant in args.variants.split(","):
        flag = variant == "on"
        pipeline.RUNON_SPLITS = flag
        for side in args.sides.split(","):
            tot, lost, gold_links = [0, 0, 0, 0], 0, 0
            t0 = time.perf_counter()
            for c in cases:
                gold, test = run_case(c, side, encoder, args.one_line, args.captions, args.srt)
                for k, v in enumerate(SCORE.bundle_counts(gold, test)):
                    tot[k] += v
                linked = {i for a, b in test if a and b for i in a}
                for a, b in gold:
                    if a and b:
                        gold_links += 1
                        lost += not (set(a) & linked)
            p = tot[0] / tot[1] if tot[1] else 0.0
            r = tot[2] / tot[3] if tot[3] else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            print(f"| {variant:13} | {side:12} | {p:.3f} | {r:.3f} | {f:6.3f} "
                  f"| {lost / max(gold_links, 1):.3f} | {time.perf_counter() - t0:7.1f} |")
    pipeline.RUNON_SPLITS = True


if __name__ == "__main__":
    main()
