"""Writers: TMX 1.4b, TSV, CSV, JSONL, XLSX and Moses (``OUT.ru`` + ``OUT.en``).

Every write is atomic (temporary file, fsync, rename) and refuses to
replace an existing file unless ``force``. Run metadata goes in the TMX
header, or in a ``.meta.json`` sidecar next to the other formats.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Iterable, Mapping, Sequence

from aligner.errors import AlignerError
from aligner.model import Bead
from aligner.writers.atomic import atomic_files, check_target
from aligner.writers.split import SPLITS, split_by_doc

FORMATS = ("tmx", "tsv", "csv", "jsonl", "xlsx", "moses")
EXTENSIONS = {".tmx": "tmx", ".tsv": "tsv", ".csv": "csv", ".jsonl": "jsonl", ".xlsx": "xlsx", ".ru": "moses",
              ".en": "moses"}

__all__ = [
    "check_output",
    "split_targets",
    "FORMATS",
    "EXTENSIONS",
    "write",
    "write_stream",
    "write_splits",
    "split_by_doc",
    "resolve_format",
    "output_paths",
]


def resolve_format(path: str | os.PathLike, fmt: str | None = None) -> str:
    """The output format: ``fmt`` if given, else from the extension of ``path``.

    Raises:
        AlignerError: unknown format or extension; the message lists the allowed ones.
    """
    allowed = ", ".join(FORMATS)
    if fmt is not None:
        name = fmt.strip().lower()
        if name not in FORMATS:
            raise AlignerError(f"unknown output format {fmt!r}; choose one of: {allowed}")
        return name
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        exts = " ".join(EXTENSIONS)
        raise AlignerError(
            f"cannot tell the output format from {str(path)!r}; use an extension ({exts}) or --format ({allowed})"
        )
    return EXTENSIONS[suffix]


def _moses_base(path: Path) -> Path:
    return path.with_suffix("") if path.suffix.lower() in (".ru", ".en") else path


def output_paths(path: str | os.PathLike, fmt: str, meta: bool = False) -> list[Path]:
    """Every file a write creates: the output (two for Moses), then the sidecar when ``meta``."""
    path = Path(path)
    if fmt == "moses":
        base = _moses_base(path)
        files = [Path(f"{base}.ru"), Path(f"{base}.en")]
        sidecar = Path(f"{base}.meta.json")
    else:
        files = [path]
        sidecar = Path(f"{path}.meta.json")
    if meta and fmt != "tmx":
        files.append(sidecar)
    return files


def check_output(
    path: str | os.PathLike, fmt: str | None = None, *, meta: bool = False, force: bool = False,
    split: bool = False,
) -> list[Path]:
    """Fail before a long run, not after it: the format is known and every target writable.

    ``split``: the targets are ``write_splits``' files (``--split-by-doc``), not ``path`` itself.

    Returns:
        The files ``write`` (or ``write_splits``) will create.

    Raises:
        AlignerError: unknown format. OutputError: see ``atomic.check_target``.
    """
    targets = split_targets(path, fmt, meta) if split else output_paths(path, resolve_format(path, fmt), meta)
    for target in targets:
        check_target(target, force=force)
    return targets


def _sidecar(meta: Mapping[str, object], fmt: str, rows: int, files: Sequence[Path]) -> str:
    record = dict(meta)
    record.update({"format": fmt, "rows": rows, "files": [p.name for p in files]})
    return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2, default=str) + "\n"


def write(
    beads: Iterable[Bead],
    path: str | os.PathLike,
    fmt: str | None = None,
    *,
    meta: Mapping[str, object] | None = None,
    force: bool = False,
) -> int:
    """Write beads to ``path`` in one of ``FORMATS``, all or nothing.

    Args:
        beads: the beads to write, in order (TMX, JSONL and Moses stream them).
        path: the output file; for Moses, ``OUT``, ``OUT.ru`` or ``OUT.en``
            all mean the pair ``OUT.ru`` + ``OUT.en``.
        fmt: one of ``FORMATS``; ``None`` picks it from the extension.
        meta: run metadata (version, encoder, thresholds): TMX header props,
            else a ``.meta.json`` sidecar. ``meta["creationdate"]`` pins the TMX
            date and the XLSX workbook dates.
        force: replace existing files.

    Returns:
        Rows written (TMX: translation units; beads with an empty side are not TUs).

    Raises:
        AlignerError: unknown format. OutputError: a target exists (without
            ``force``), its directory is missing or read-only, or writing failed.
    """
    name = resolve_format(path, fmt)
    targets = output_paths(path, name, meta is not None)
    with atomic_files(targets, force=force) as handles:
        rows = _write_format(name, beads, handles, meta)
        if meta is not None and name != "tmx":
            n_out = 2 if name == "moses" else 1
            handles[-1].write(_sidecar(meta, name, rows, targets[:n_out]))
    return rows


def write_stream(beads: Iterable[Bead], fh: IO[str], fmt: str, *, meta: Mapping[str, object] | None = None) -> int:
    """Write one text format (TMX, TSV, CSV, JSONL) to an open handle, e.g. stdout; no sidecar.

    Returns:
        Rows written, as ``write``.

    Raises:
        AlignerError: unknown format, or one that is not a single text stream (Moses, XLSX).
    """
    name = resolve_format("-", fmt)
    if name in ("moses", "xlsx"):
        raise AlignerError(f"{name} output needs a file; give a path")
    return _write_format(name, beads, [fh], meta)


def _write_format(name: str, beads: Iterable[Bead], handles: Sequence[IO[str]],
                  meta: Mapping[str, object] | None) -> int:
    """Dispatch to the format's writer; ``handles`` are text handles (Moses: the .ru then the .en one)."""
    from aligner.writers.jsonl import write_jsonl
    from aligner.writers.moses import write_moses
    from aligner.writers.tabular import write_csv, write_tsv
    from aligner.writers.tmx import write_tmx
    from aligner.writers.xlsx import write_xlsx

    if name == "tmx":
        return write_tmx(beads, handles[0], meta=meta)
    if name == "moses":
        return write_moses(beads, handles[0], handles[1])
    if name == "tsv":
        return write_tsv(beads, handles[0])
    if name == "csv":
        return write_csv(beads, handles[0])
    if name == "xlsx":
        # Binary: the bytes go to the text handle's own buffer, before any text is written to it.
        return write_xlsx(beads, handles[0].buffer, meta=meta)  # type: ignore[attr-defined]
    return write_jsonl(beads, handles[0])


def split_path(path: str | os.PathLike, split: str, fmt: str) -> Path:
    """``corpus.tsv`` -> ``corpus.train.tsv``; for Moses ``corpus.ru`` -> ``corpus.train.ru``."""
    path = Path(path)
    if fmt == "moses":
        base = _moses_base(path)
        return Path(f"{base}.{split}")
    return path.with_name(f"{path.stem}.{split}{path.suffix}") if path.suffix else Path(f"{path}.{split}")


def split_targets(path: str | os.PathLike, fmt: str | None = None, meta: bool = False) -> list[Path]:
    """Every file ``write_splits`` creates: each split's output files (and sidecars with ``meta``)."""
    name = resolve_format(path, fmt)
    return [t for s in SPLITS for t in output_paths(split_path(path, s, name), name, meta)]


def write_splits(
    beads: Iterable[Bead],
    path: str | os.PathLike,
    fmt: str | None = None,
    *,
    ratios: Sequence[float] = (0.8, 0.1, 0.1),
    seed: int = 0,
    meta: Mapping[str, object] | None = None,
    force: bool = False,
) -> dict[str, int]:
    """``--split-by-doc``: write ``OUT.train``, ``OUT.dev`` and ``OUT.test`` variants of ``path``.

    Splits by the ``doc`` provenance (see ``split_by_doc``), never by line.
    All targets are checked before anything is written; each file is atomic.
    An empty split still gets its (empty) file, so downstream finds all three.

    Returns:
        Rows written per split.
    """
    name = resolve_format(path, fmt)
    parts = split_by_doc(beads, ratios, seed)
    paths = {s: split_path(path, s, name) for s in SPLITS}
    check_output(path, name, meta=meta is not None, force=force, split=True)
    counts = {}
    for s in SPLITS:
        split_meta = None if meta is None else {**meta, "split": s, "split_ratios": list(ratios), "split_seed": seed}
        counts[s] = write(parts[s], paths[s], name, meta=split_meta, force=force)
    return counts
