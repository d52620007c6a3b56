"""Plain-text dumps of a channel or site: one paragraph per non-empty line, posts found by heuristics.

A scraped dump has no markup, so post boundaries are inferred from what
scrapers leave behind (ordered, named rules):

- ``after_footer``: a line after a footer or UI line ("Read in full",
  "VIEW IN TELEGRAM", "🔥1") starts a new post;
- ``after_blank``: a line after a blank line starts a new post when the
  dump uses blank lines only sparingly (then they separate posts, not lines);
- ``duplicate_run``: scrapers show a post twice; a line that repeats an
  earlier line starts the repeated copy, and the first new line after such
  a copy starts a new post. A lone repeated line counts only where a post
  could start anyway (after a footer or a separating blank) or where the
  line it repeats opened a post: a refrain in a story ("Swallow, Swallow,
  little Swallow," said the Prince) is no copy, and it had cut a book's text
  into posts that were paired on their own.

Each paragraph's ``source.unit`` is the post (``p1``, ``p2``, ...), and
``line_start``/``line_end`` its 1-based lines in the file.
"""

from __future__ import annotations

from pathlib import Path

from aligner.model import Paragraph, Source

# A repeated line must be this long (normalised) to mark a repeated copy; short
# lines such as "#UN" or "Key statements:" repeat across different posts.
MIN_REPEAT_KEY = 30


def read(path: str | Path, text: str) -> list[Paragraph]:
    """Split a dump into one paragraph per non-empty line, grouped into inferred posts; in a
    hard-wrapped dump (``wrapping.hard_wrapped``) one paragraph per run of non-empty lines, and
    elsewhere lines broken inside a sentence (``wrapping.soft_break``) joined.

    Args:
        path: file name kept in the sources.
        text: the decoded file.
    Returns:
        Paragraphs in file order; ``source.unit`` names the inferred post.
    """
    from aligner.clean import noise_rule, normalize_key
    from aligner.wrapping import line_runs

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # (first line, last line, text): a line, or the lines of a wrapped paragraph joined
    spans = [(a + 1, b + 1, " ".join(line.strip() for line in lines[a : b + 1])) for a, b in line_runs(lines)]
    non_empty = len(spans)
    blanks_separate_posts = non_empty and _blank_runs(lines) < 0.5 * non_empty
    rows = [(n, line) for n, _, line in spans]
    blank_before = [k == 0 or spans[k - 1][1] < n - 1 for k, (n, _) in enumerate(rows)]
    footers = [noise_rule(line) is not None for _, line in rows]
    keys = [normalize_key(line) for _, line in rows]
    seen_at = _earlier(keys)
    out: list[Paragraph] = []
    post = 0
    starts: set[int] = set()  # rows that opened a post
    prev_repeat = False
    for k, (lineno, line) in enumerate(rows):
        separated = k > 0 and ((footers[k - 1] and not footers[k]) or (blank_before[k] and blanks_separate_posts))
        repeat = seen_at[k] is not None and (
            prev_repeat or separated or seen_at[k] in starts
            or (k + 1 < len(rows) and seen_at[k + 1] is not None)
        )
        new_post = k == 0 or separated or (repeat != prev_repeat and not footers[k])
        if new_post:
            post += 1
            starts.add(k)
        if not footers[k]:
            prev_repeat = repeat
        out.append(
            Paragraph(
                text=line,
                source=Source(file=str(path), line_start=lineno, line_end=spans[k][1], unit=f"p{post}"),
            )
        )
    return out


def _earlier(keys: list[str]) -> list[int | None]:
    """For each line, the row of an earlier line with the same key (``MIN_REPEAT_KEY`` long), or None."""
    first: dict[str, int] = {}
    out: list[int | None] = []
    for k, key in enumerate(keys):
        long_enough = len(key) >= MIN_REPEAT_KEY
        out.append(first.get(key) if long_enough else None)
        if long_enough:
            first.setdefault(key, k)
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
