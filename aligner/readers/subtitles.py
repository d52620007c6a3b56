"""Subtitles (SRT and WebVTT): cue text joined into sentences, cue times kept.

Cues are read in file order; tags (``<i>``, ``<c.x>``, ``<v Name>``, ``{\\an8}``)
are stripped. Consecutive cues are joined until the text ends a sentence
(not at an abbreviation such as "1887 г."), and the run is cut again at
sentence ends inside it, so each paragraph is about one sentence, however
the cues split it. A paragraph keeps the start of the first cue it touches
and the end of the last (``source.time_start``/``time_end``, as
``HH:MM:SS.mmm``) and the file lines of its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from aligner.model import Paragraph, Source
from aligner.readers.document import Piece, number, require_text

__all__ = ["looks_like", "read"]

_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_SRT_HEAD = re.compile(rf"^\s*\d+\s*\n\s*{_TIME}\s*-->\s*{_TIME}")
_TAG = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
_SENTENCE_END = re.compile(r"[.!?…][\"'»”)\]]*$")
# "1887 г.", "т. е.", "Mr." at a cue end: too likely an abbreviation to end the paragraph on it
# (a real sentence end there only makes the paragraph longer; the segmenter still splits it).
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:\w{1,2}|\d+)\.$")
# A sentence end inside a run of cues: end punctuation, then a space before a capital or a dash.
_INNER_END = re.compile(r"[.!?…][\"'»”)\]]*(?=\s+[-–—«\"]?[A-ZА-ЯЁ])")
# A run of cues without any sentence end (song lyrics, a list) is cut after this many cues.
MAX_CUES_PER_PARAGRAPH = 12
# ... unless this share of its cues after the first go on in lower case: auto-generated captions
# with no punctuation at all. Each cue is then a paragraph of its own (one line of the document),
# so the pipeline reads the lines as one stream (``wrapping.caption_track``), cuts it where the
# translation's sentences end (``runon_split``), and each pair keeps its own cues' times instead
# of a 12-cue group's. scripts/bench_runon.py --srt (dev, cues of 42 columns, bundle F1 with the
# English / the Russian side as the SRT file): 12-cue groups 0.630 / 0.578, a cue a paragraph
# 0.664 / 0.610 (the group edges fell inside sentences).
CAPTION_LOWER = 0.7


@dataclass
class _Cue:
    start: str
    end: str
    lines: list[tuple[int, str]]  # (1-based file line, text)


def looks_like(head: str) -> bool:
    """True for a WebVTT file (``WEBVTT`` header) or an SRT file (index line, then a timing line)."""
    start = head.lstrip("\ufeff \t\r\n")
    return start.startswith("WEBVTT") or bool(_SRT_HEAD.match(start.replace("\r\n", "\n")[:300]))


def read(path: str | Path, text: str) -> list[Paragraph]:
    """One paragraph per sentence (as near as a light rule can tell), with its cues' times and file lines.

    Raises:
        InputError: no cue with text.
    """
    pieces: list[Piece] = []
    group: list[_Cue] = []
    track = False  # a run of cues was read as auto captions (``_caption_cues``)
    for cue in _cues(text):
        group.append(cue)
        joined = " ".join(t for c in group for _, t in c.lines).strip()
        ends = _SENTENCE_END.search(joined) and not _ABBREVIATION.search(joined)
        if ends or len(group) >= MAX_CUES_PER_PARAGRAPH:
            cues = None if ends else _caption_cues(group)
            track = track or cues is not None
            pieces.extend(_sentences(group) if cues is None else cues)
            group = []
    if group:  # the end of a caption track is cut like the rest; a short file stays one paragraph
        cues = _caption_cues(group) if track else None
        pieces.extend(_sentences(group) if cues is None else cues)
    return require_text(number(path, pieces, keep_lines=True), path, "a subtitle file")


def _sentences(group: list[_Cue]) -> list[Piece]:
    """Split a run of cues at sentence ends inside it; each sentence keeps the span of the cues it touches."""
    spans: list[tuple[int, int, _Cue, int]] = []  # (start, end) of each cue line in the joined text
    parts: list[str] = []
    pos = 0
    for cue in group:
        for lineno, line in cue.lines:
            spans.append((pos, pos + len(line), cue, lineno))
            parts.append(line)
            pos += len(line) + 1
    joined = " ".join(parts)
    cuts = [m.end() for m in _INNER_END.finditer(joined) if not _ABBREVIATION.search(joined[: m.end()])]
    out = []
    for start, end in zip([0] + cuts, cuts + [len(joined)]):
        touched = [(cue, lineno) for a, b, cue, lineno in spans if a < end and b > start]
        if not touched or not joined[start:end].strip():
            continue
        out.append(Piece(joined[start:end], "text", Source(
            line_start=touched[0][1], line_end=touched[-1][1],
            time_start=touched[0][0].start, time_end=touched[-1][0].end)))
    return out


def _caption_cues(group: list[_Cue]) -> list[Piece] | None:
    """A run of cues that no sentence end closed, a cue a paragraph, where they go on in lower case
    (auto captions); None where they do not (lyrics, a list: lines that open with capitals)."""
    texts = [" ".join(t for _, t in cue.lines).strip() for cue in group]
    following = [t for t in texts[1:] if t]
    lower = sum(t[:1].islower() for t in following)
    joined = " ".join(texts)
    if len(group) < 2 or lower < CAPTION_LOWER * len(following) or _INNER_END.search(joined):
        return None
    return [Piece(text, "text", Source(line_start=cue.lines[0][0], line_end=cue.lines[-1][0],
                                       time_start=cue.start, time_end=cue.end))
            for cue, text in zip(group, texts) if text]


def _cues(text: str) -> list[_Cue]:
    cues: list[_Cue] = []
    cue: _Cue | None = None
    skipping = False  # inside a WebVTT NOTE, STYLE or REGION block
    for lineno, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            cue, skipping = None, False
            continue
        m = _TIMING.match(line)
        if m:
            cue = _Cue(_stamp(m.groups()[:4]), _stamp(m.groups()[4:]), [])
            cues.append(cue)
            skipping = False
        elif cue is None:
            skipping = skipping or line.split(" ")[0] in ("NOTE", "STYLE", "REGION", "WEBVTT")
            # else: an SRT index or a WebVTT cue id before the timing line
        elif not skipping:
            clean = _TAG.sub("", line).strip()
            if clean:
                cue.lines.append((lineno, clean))
    return [c for c in cues if c.lines]


def _stamp(groups) -> str:
    hours, minutes, seconds, millis = groups
    return f"{int(hours or 0):02d}:{int(minutes):02d}:{int(seconds):02d}.{int(millis.ljust(3, '0')):03d}"
