#!/usr/bin/env python3
"""Reader speed and fidelity: the lighthouse sample repeated into a book, written in every format.

For each format the book (``--copies`` times the Russian sample, one heading
and eleven paragraphs per copy) is written by the format's own library
(tests/docmaker.py), read back with ``read_paragraphs``, and compared with the
paragraphs that went in: ``exact`` is the share of source paragraphs found
verbatim among the paragraphs read (subtitles are cut into sentences and carry
no headings, so they are compared sentence-joined). Time excludes writing.

Usage:
    python scripts/bench_readers.py [--copies 100]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner.readers import read_paragraphs  # noqa: E402
from tests import docmaker  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=100)
    args = ap.parse_args()
    blocks = docmaker.lighthouse("ru") * args.copies
    pages = [blocks[i:i + 12] for i in range(0, len(blocks), 12)]
    makers = {
        "docx": lambda p: docmaker.make_docx(p, blocks),
        "odt": lambda p: docmaker.make_odt(p, blocks),
        "epub": lambda p: docmaker.make_epub(p, pages),
        "pdf": lambda p: docmaker.make_pdf(p, pages, header="Маяк на мысе Северном: путеводитель"),
        "html": lambda p: docmaker.make_html(p, blocks),
        "md": lambda p: docmaker.make_markdown(p, blocks),
        "srt": lambda p: docmaker.make_subtitles(p, [b for b in blocks if b[1] == "text"]),
    }
    print(f"{'format':<7} {'source paras':>12} {'read paras':>10} {'exact':>7} {'seconds':>8} {'paras/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, make in makers.items():
            path = make(Path(tmp) / f"book.{fmt}")
            t0 = time.perf_counter()
            paras = read_paragraphs(path)
            seconds = time.perf_counter() - t0
            wanted = [t for t, r in blocks if fmt != "srt" or r == "text"]
            if fmt == "srt":  # sentences, not paragraphs: compare the joined text
                got_text, want_text = " ".join(p.text for p in paras), " ".join(wanted)
                exact = float(got_text == want_text)
            else:
                got = {p.text for p in paras}
                exact = sum(t in got for t in wanted) / len(wanted)
            print(f"{fmt:<7} {len(wanted):>12} {len(paras):>10} {exact:>7.3f} {seconds:>8.2f} "
                  f"{len(paras) / seconds:>9.0f}")


if __name__ == "__main__":
    main()
