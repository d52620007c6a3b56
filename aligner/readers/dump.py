"""Plain-text dumps of a channel or site: one paragraph per non-empty line, posts found by heuristics.

A scraped dump has no markup, so post boundaries are inferred from what
scrapers leave behind (ordered, named rules):

- ``after_footer``: a line after a footer or UI line ("Read in full",
  "VIEW IN TELEGRAM", "🔥1") starts a new post;
- ``after_blank``: a line after a blank line starts a new post when the
  dump uses blank lines only sparingly (then they separate posts, not lines);
- ``duplicate_run``: scrapers show a post twice; a line that repeats an
  earlier line starts the repeated copy, and the first new line after such
  a copy starts a new post.

Each paragraph's ``source.unit`` is the post (``p1``, ``p2``, ...), and
``line_start``/``line_end`` its 1-based line in the file.
"""

from __future__ import annotations

from pathlib import Path

from aligner.model import Paragraph, Source

# A repeated line must be this long (normalised) to mark a repeated copy; short
# lines such as "#UN" or "Key statements:" repeat across different posts.
MIN_REPEAT_KEY = 30


def read(path: str | Path, text: str) -> list[Paragraph]:
    """Split a dump into one paragraph per non-empty line, grouped into inferred posts.

    Args:
        path: file name kept in the sources.
        text: the decoded file.
    Returns:
        Paragraphs in file order; ``source.unit`` names the inferred post.
    """
    from aligner.clean import noise_rule, normalize_key

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    non_empty = sum(bool(line.strip()) for line in lines)
    blanks_separate_posts = non_empty and _blank_runs(lines) < 0.5 * non_empty
    out: list[Paragraph] = []
    post = 0
    seen: set[str] = set()
    prev_footer = prev_blank = prev_repeat = False
    started = False
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            prev_blank = True
            continue
        footer = noise_rule(line) is not None
        key = normalize_key(line)
        repeat = len(key) >= MIN_REPEAT_KEY and key in seen
        new_post = not started or (
            (prev_footer and not footer)
            or (prev_blank and blanks_separate_posts)
            or (repeat != prev_repeat and not footer)
        )
        if new_post:
            post += 1
            started = True
        if not footer:
            prev_repeat = repeat
        if len(key) >= MIN_REPEAT_KEY:
            seen.add(key)
        prev_footer, prev_blank = footer, False
        out.append(
            Paragraph(
                text=line,
                source=Source(file=str(path), line_start=lineno, line_end=lineno, unit=f"p{post}"),
            )
        )
    return out


def _blank_runs(lines: list[str]) -> int:
    """Number of runs of blank lines between non-empty lines."""
    runs = 0
    in_text = False
    pending = False
    for line in lines:
        if line.strip():
            if pending and in_text:
                runs += 1
            in_text, pending = True, False
        else:
            pending = True
    return runs
