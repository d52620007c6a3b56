"""The documented sanitising every writer applies to segment text.

Two levels, so a reader of any output knows exactly what changed:

- ``clean_text``: drops the characters XML 1.0 forbids or discourages (C0
  controls except tab/newline/CR, DEL and C1 controls, unpaired surrogates,
  U+FFFE/U+FFFF). Every writer applies it; TMX and JSONL apply only this.
- ``one_line``: ``clean_text`` plus every run of tabs and line breaks
  (``\\t \\n \\r U+2028 U+2029``) becomes one space, and surrounding
  whitespace is stripped. TSV, CSV and Moses apply it, so a segment is always
  one cell on one line.
"""

from __future__ import annotations

import re

# Complement of the XML 1.0 Char production, minus the "discouraged" DEL/C1 block.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")


def clean_text(text: str) -> str:
    """Drop control characters and lone surrogates that XML 1.0 (and UTF-8) cannot carry."""
    return _FORBIDDEN.sub("", text)


def one_line(text: str) -> str:
    """``clean_text``, then each run of tabs/line breaks becomes one space; stripped."""
    return _BREAKS.sub(" ", clean_text(text)).strip()
