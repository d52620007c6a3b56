"""Command line: argument parsing, progress bars, error messages. Nothing else.

Exit codes: 0 success, 2 user error (one line on stderr, no traceback),
1 internal error (short message; ``--debug`` shows the traceback), 130 on Ctrl-C.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from aligner import __version__
from aligner.errors import AlignerError
from aligner.pipeline import PipelineConfig

DEFAULTS = PipelineConfig()
FORMAT_CHOICES = ["tmx", "tsv", "csv", "jsonl", "moses"]


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


def _check_paths(inputs: tuple[str, ...], output: Path) -> None:
    out = output.resolve()
    for raw in inputs:
        p = Path(raw)
        if not p.exists():
            raise AlignerError(f"input file not found: {raw}")
        if p.resolve() == out or p.resolve() in {Path(str(out) + ext).resolve() for ext in (".ru", ".en")}:
            raise AlignerError(f"output path {output} is also an input; choose another output file")


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT [EN_FILE]")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file. Format from its extension unless --format is given.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default=None,
              help="Output format (default: from the output file's extension).")
@click.option("--presplit", is_flag=True, default=DEFAULTS.presplit,
              help="Inputs already hold one sentence per line; ids are then input line numbers.")
@click.option("--keep-unaligned", is_flag=True, default=DEFAULTS.keep_unaligned,
              help="Also write 1-0 / 0-1 beads (sentences with no translation), with an empty side.")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=DEFAULTS.min_score, show_default=True,
              help="Drop beads whose calibrated score (probability of being a correct pair) is lower.")
@click.option("--encoder", default=DEFAULTS.encoder, show_default=True,
              help="Sentence encoder: use, e5-small, st:NAME_OR_PATH, or an ensemble such as use+e5-small.")
@click.option("--device", default=DEFAULTS.device, show_default=True, help="cpu or cuda (sentence-transformers encoders).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the on-disk embedding cache.")
@click.option("--dedup", is_flag=True, help="Drop exact duplicate pairs (after normalisation), keeping every copy's provenance.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a self-contained HTML review report here.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--deterministic", is_flag=True,
              help="Pin the TMX creation date (also pinned by SOURCE_DATE_EPOCH) for byte-identical output.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary.")
def align(inputs, output, fmt, presplit, keep_unaligned, min_score, encoder, device, no_cache, dedup, report,
          force, deterministic, quiet) -> None:
    """Align one mixed document, or a Russian file with its English translation.

    \b
    INPUT alone: a mixed dump (plain text, Telegram Desktop JSON or HTML
    export, saved t.me/s page); its Russian and English blocks are separated,
    paired and aligned. Two files: a text and its translation, in either order
    (the languages are detected, not assumed).
    """
    from aligner.encoders import get_encoder
    from aligner.pipeline import align_document, align_files
    from aligner.writers import write

    if len(inputs) > 2:
        raise click.UsageError("give one mixed document or two files (Russian and English)")
    _check_paths(inputs, output)
    if report is not None:
        _check_paths(inputs, report)
    config = PipelineConfig(encoder=encoder, device=device, cache=not no_cache, presplit=presplit,
                            keep_unaligned=keep_unaligned, min_score=min_score,
                            filters={"dedup": dedup} if dedup else {})
    progress = Progress(_progress_enabled(quiet))
    t0 = time.perf_counter()
    enc = get_encoder(encoder, device=device, cache=config.cache)
    try:
        if len(inputs) == 2:
            result = align_files(inputs[0], inputs[1], encoder=enc, config=config, progress=progress)
        else:
            result = align_document(inputs[0], encoder=enc, config=config, progress=progress)
    finally:
        progress.close()
    meta = _meta(config, deterministic)
    written = write(result.beads, output, fmt, meta=meta, force=force)
    if report is not None:
        from aligner.report import render_report
        from aligner.writers.atomic import atomic_write_text

        atomic_write_text(report, render_report(result), force=force)
    result.stats.beads_written = written
    result.stats.seconds = time.perf_counter() - t0
    if not quiet:
        _summary(result.stats, output)


def _meta(config: PipelineConfig, deterministic: bool) -> dict:
    meta = {
        "creationtool": "aligner",
        "creationtoolversion": __version__,
        "encoder": config.encoder,
        "min_score": f"{config.min_score:g}",
        "keep_unaligned": str(config.keep_unaligned).lower(),
    }
    if deterministic and "SOURCE_DATE_EPOCH" not in os.environ:
        meta["creationdate"] = "19700101T000000Z"
    return meta


def _summary(stats, output: Path) -> None:
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
    click.echo(f"aligner: wrote {output} in {stats.seconds:.1f}s", err=True)


# --- batch command (owned by the scale work; add it above this line) ---


# --- models commands (owned by the encoders work; add them above this line) ---


def main(argv: list[str] | None = None) -> int:
    """Entry point: maps exceptions to exit codes and one-line messages."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="aligner", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        click.echo("aligner: interrupted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("aligner: interrupted; no output was written", err=True)
        return 130
    except AlignerError as exc:
        if debug:
            raise
        click.echo(f"aligner: error: {exc}", err=True)
        return 2
    except BrokenPipeError:
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        click.echo(f"aligner: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
                   err=True)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
