"""TSV and CSV with a header row: ``ru, en, score, ru_ids, en_ids``, then provenance.

Every cell passes through ``one_line``, so no cell holds a tab or a line
break: the TSV can be read by bicleaner and ``cut`` without quoting rules
(it is written without quotes), and the CSV by any RFC 4180 reader.
"""

from __future__ import annotations

import csv
from typing import IO, Iterable

from aligner.model import Bead
from aligner.writers.fields import CORE, format_ids, format_score, provenance_keys, provenance_value
from aligner.writers.text import one_line


def _rows(beads: list[Bead]) -> tuple[list[str], Iterable[list[str]]]:
    columns = provenance_keys(beads)
    header = list(CORE) + columns

    def rows() -> Iterable[list[str]]:
        for b in beads:
            cells = [b.ru, b.en, format_score(b.score), format_ids(b.ru_ids), format_ids(b.en_ids)]
            cells += [provenance_value(b, c) for c in columns]
            yield [one_line(c) for c in cells]

    return header, rows()


def write_tsv(beads: Iterable[Bead], fh: IO[str]) -> int:
    """Write tab-separated rows with a header; returns the number of data rows.

    Args:
        beads: the beads (held in memory once, to collect the provenance columns).
        fh: a UTF-8 text handle opened with ``newline="\\n"``.
    """
    beads = list(beads)
    header, rows = _rows(beads)
    fh.write("\t".join(header) + "\n")
    for row in rows:
        fh.write("\t".join(row) + "\n")
    return len(beads)


def write_csv(beads: Iterable[Bead], fh: IO[str]) -> int:
    """Write RFC 4180 CSV (CRLF rows, minimal quoting) with a header; returns data rows."""
    beads = list(beads)
    header, rows = _rows(beads)
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return len(beads)
