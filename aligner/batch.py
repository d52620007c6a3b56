"""Run the pipeline over many inputs: resumable, parallel, one failure never stops the rest.

``run_batch`` expands a directory or glob into jobs (a Russian file plus its
English translation, or one mixed dump), skips the jobs whose output is
already finished, runs the others on an engine (a local process pool, or Ray)
and writes ``OUTDIR/summary.json``.

Resuming: every job has a small status file under ``OUTDIR/.aligner-batch/``,
written atomically after its output (itself written atomically). It records
each input's size, mtime and SHA-256 and the settings that shape the output,
so a killed run redoes only unfinished jobs, and a changed input (or setting)
is redone.

Nothing finished is ever lost: options and the encoder are checked once
before any job starts (a bad one stops the batch with exit 2 and touches no
output), a finished output is only ever replaced by a newer successful one,
and a fault that would fail every job (a full or read-only disk, an unusable
embedding cache) stops the batch at once, with its summary where possible.
"""

from __future__ import annotations

import contextlib
import errno
import glob as globlib
import hashlib
import json
import os
import re
import stat
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from aligner.encoders.base import Encoder
from aligner.errors import AlignerError, InputError, OutputError
from aligner.dedup_global import save_beads
from aligner.pipeline import PipelineConfig, Progress
from aligner.writers.atomic import atomic_write_text

STATE_DIR = ".aligner-batch"
# Extensions picked up when a directory is scanned (a glob takes whatever it matches).
SCAN_EXTENSIONS = frozenset({".txt", ".text", ".md", ".markdown", ".json", ".html", ".htm", ".xhtml", ".docx",
                             ".odt", ".epub", ".pdf", ".srt", ".vtt"})

EncoderFactory = Callable[[], Encoder]

_LANG_SUFFIX = re.compile(r"^(?P<base>.*?)[._-](?P<lang>ru|en|rus|eng)$", re.IGNORECASE)
_LANGS = {"ru": "ru", "rus": "ru", "en": "en", "eng": "en"}
_EXPORT_PART = re.compile(r"^messages\d+\.html$")
# Errors writing an output that every later job would hit too: the batch stops rather than fail them all.
_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
_PROBE = ["Проверка кодировщика.", "An encoder check."]  # embedded once before any job starts


@dataclass(frozen=True)
class Job:
    """One unit of batch work: two files (``ru``, ``en``) or one mixed dump.

    ``name`` is the output path relative to OUTDIR without the extension; it
    is unique within a batch and names the job in the status and summary.
    """

    name: str
    inputs: tuple[str, ...]
    problem: str = ""  # why this job cannot run (an unpaired or unreadable file); it fails with this reason

    @property
    def kind(self) -> str:
        return "pair" if len(self.inputs) == 2 else "document"


@dataclass(frozen=True)
class Outcome:
    """What running one job gave: counts on success, the reason on failure."""

    ok: bool
    reason: str = ""
    block_pairs: int = 0
    sentences_ru: int = 0
    sentences_en: int = 0
    beads: int = 0
    beads_written: int = 0
    embedded: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()  # the pipeline's warnings (say, two files of very different sizes)
    fatal: bool = False  # every later job would fail the same way (disk full, cache unusable): stop the batch


@dataclass(frozen=True)
class BatchSummary:
    """The whole batch, also written to ``OUTDIR/summary.json``.

    Counts cover the whole batch: jobs finished by an earlier run (``skipped``)
    contribute their recorded beads, so a resumed batch reports the same totals.
    """

    inputs: int
    file_pairs: int
    documents: int
    done: int
    skipped: int
    failed: int
    block_pairs: int
    sentences_ru: int
    sentences_en: int
    beads_written: int
    embedded: int
    seconds: float
    failures: tuple[dict, ...] = ()
    warnings: tuple[dict, ...] = ()  # {"job", "warning"} for every job of the batch, done now or before
    ignored: int = 0  # scanned files left out for their extension (images, stickers, ...)
    engine: str = "local"
    workers: int = 1
    duplicates_removed: int = 0  # --dedup: copies of pairs written by an earlier job
    unpaired_documents: tuple[dict, ...] = ()  # --pair-by-content: {"file", "lang", "reason"} left out
    not_started: int = 0  # jobs left undone because the batch stopped early
    stopped: str = ""  # why the batch stopped early (disk full, ...); empty when it ran to the end

    def to_dict(self) -> dict:
        d = asdict(self)
        d["failures"] = list(self.failures)
        d["warnings"] = list(self.warnings)
        d["unpaired_documents"] = list(self.unpaired_documents)
        return d


# --------------------------------------------------------------------------- discovery


def discover(spec: str | Path, *, exclude: str | Path | None = None) -> tuple[list[Job], list[str]]:
    """Expand a directory or glob into jobs.

    Pairing rules (within one folder): ``NAME_ru.EXT`` + ``NAME_en.EXT`` (also
    ``-ru``, ``.ru``, ``_rus``/``_eng``); ``ru.txt`` + ``en.txt`` (the job is
    named after the folder); ``ru/NAME`` + ``en/NAME``. Every other file is a
    mixed dump. A language-marked file without its counterpart is returned as
    a job with one input and a ``!`` name prefix, which fails with a reason.

    Args:
        spec: a directory (scanned recursively for the files of ``SCAN_EXTENSIONS``)
            or a glob pattern (``**`` allowed).
        exclude: a folder to leave out (the batch's OUTDIR when it is inside the input).
    Returns:
        ``(jobs, ignored)``: jobs sorted by name, and the scanned files skipped
        for their extension.
    Raises:
        InputError: nothing matched.
    """
    files, ignored, root, refused = scan_files(spec, exclude=exclude)
    return _unique(_pair(files, root) + refused), ignored


def scan_files(spec: str | Path, *, exclude: str | Path | None = None) -> tuple[list[Path], list[str], Path, list[Job]]:
    """The input files of a folder or glob (absolute, sorted), the files skipped for their extension, the root,
    and a failing job for each file named like an input that is not a regular file (a dangling link, a FIFO)."""
    path = Path(spec)
    ignored: list[str] = []
    refused: list[tuple[Path, str]] = []  # named like an input but not a regular file
    if path.is_dir():
        root = path
        files = []
        for f in sorted(path.rglob("*")):
            rel = f.relative_to(path)
            if any(part.startswith(".") for part in rel.parts) or f.is_dir():
                continue
            if exclude is not None and _inside(f, Path(exclude)):
                continue
            if f.suffix.lower() not in SCAN_EXTENSIONS:
                ignored.append(f)
            elif f.is_file():
                files.append(f)
            else:
                refused.append((f, not_regular(f)))
    else:
        matches = [Path(p) for p in sorted(globlib.glob(str(spec), recursive=True))]
        matches = [f for f in matches if not f.is_dir() and not (exclude is not None and _inside(f, Path(exclude)))]
        files = [f for f in matches if f.is_file()]
        refused = [(f, not_regular(f)) for f in matches if not f.is_file()]
        if not matches:
            raise InputError(f"no input files match {spec}; give a folder or a glob such as 'exports/*.json'")
        root = Path(os.path.commonpath([os.path.abspath(f.parent) for f in matches]))
    if not files and not refused:
        raise InputError(f"no text, JSON, HTML or document files ({', '.join(sorted(SCAN_EXTENSIONS))}) "
                         f"found in {spec}")
    # A Telegram HTML export's messages2.html, ... are read with its messages.html.
    files = [f for f in files if not (_EXPORT_PART.match(f.name) and (f.parent / "messages.html").exists())]
    root = Path(os.path.abspath(root))
    refused_jobs = [Job("!" + os.path.relpath(os.path.abspath(f), root), (str(os.path.abspath(f)),), why)
                    for f, why in refused]
    return sorted(Path(os.path.abspath(f)) for f in files), [str(f) for f in ignored], root, refused_jobs


def not_regular(path: Path) -> str:
    """Why a file named like an input is not read: a dangling link, a FIFO, a device (never a tuple)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        target = os.readlink(path) if path.is_symlink() else "?"
        return f"{path} is a broken symbolic link (to {target!r}); fix or remove the link"
    except OSError as exc:
        return f"{path} cannot be read ({exc.strerror}); fix or remove it"
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"{path} is {kind}; batch reads only regular files: copy its content into a file"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _lang_key(f: Path, root: Path) -> tuple[str, str] | None:
    """``(job name, lang)`` when the file's name or folder marks its language."""
    rel_parent = f.parent.relative_to(root) if f.parent != root else Path()
    if f.parent.name.lower() in _LANGS and f.parent != root:
        return str(rel_parent.parent / f.stem), _LANGS[f.parent.name.lower()]
    stem = f.stem
    if stem.lower() in _LANGS:  # cases/X/ru.txt + cases/X/en.txt -> job "X"
        name = str(rel_parent) if str(rel_parent) != "." else root.name
        return name, _LANGS[stem.lower()]
    m = _LANG_SUFFIX.match(stem)
    if m and m.group("base"):
        return str(rel_parent / m.group("base")), _LANGS[m.group("lang").lower()]
    return None


def _pair(files: list[Path], root: Path) -> list[Job]:
    by_key: dict[str, dict[str, list[Path]]] = {}
    docs: list[Path] = []
    for f in files:
        key = _lang_key(f, root)
        if key is None:
            docs.append(f)
        else:
            by_key.setdefault(key[0], {}).setdefault(key[1], []).append(f)
    jobs: list[Job] = []
    for name, langs in by_key.items():
        ru, en = langs.get("ru", []), langs.get("en", [])
        if len(ru) == 1 and len(en) == 1:
            jobs.append(Job(name, (str(ru[0]), str(en[0]))))
        else:  # unpaired or ambiguous: report each file as a failed job
            for f in ru + en:
                jobs.append(Job("!" + str(f.relative_to(root)), (str(f),),
                                f"{f} is marked as one language but its counterpart is missing or ambiguous"))
    for f in docs:
        rel = f.relative_to(root)
        jobs.append(Job(str(rel.with_suffix("")), (str(f),)))
    return _unique(jobs)


def _unique(jobs: list[Job]) -> list[Job]:
    """Two jobs may not share an output: fall back to the full file name, then a counter."""
    counts: dict[str, int] = {}
    for j in jobs:
        counts[j.name] = counts.get(j.name, 0) + 1
    seen: set[str] = set()
    out = []
    for j in sorted(jobs, key=lambda j: (j.name, j.inputs)):
        name = j.name
        if counts[name] > 1 and len(j.inputs) == 1 and not name.startswith("!"):
            name = str(Path(name).parent / Path(j.inputs[0]).name)
        base, n = name, 1
        while name in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name)
        out.append(Job(name, j.inputs, j.problem))
    return sorted(out, key=lambda j: j.name)


# --------------------------------------------------------------------------- status files


def file_fingerprint(path: str | Path, previous: dict | None = None) -> dict:
    """Size, mtime and SHA-256 of a file; the hash is reused when size and mtime are unchanged."""
    st = os.stat(path)
    fp = {"path": str(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    if previous and previous.get("size") == st.st_size and previous.get("mtime_ns") == st.st_mtime_ns:
        fp["sha256"] = previous.get("sha256", "")
        return fp
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    fp["sha256"] = h.hexdigest()
    return fp


def settings_key(config: PipelineConfig, fmt: str, meta: dict | None = None) -> str:
    """The settings that shape an output; a change in any of them redoes the job.

    From ``meta``, the languages (``--source``, locale tags) shape TMX and XLSX, so they count too.
    """
    d = asdict(config)
    for k in ("device", "cache"):  # same output either way
        d.pop(k, None)
    d["format"] = fmt
    d.update({k: (meta or {})[k] for k in ("srclang", "tgtlang") if k in (meta or {})})
    return json.dumps(d, sort_keys=True)


class StatusStore:
    """One small JSON file per job under ``OUTDIR/.aligner-batch/status/``, replaced atomically."""

    def __init__(self, outdir: Path) -> None:
        self.dir = outdir / STATE_DIR / "status"
        self.dir.mkdir(parents=True, exist_ok=True)

    def path(self, job: Job) -> Path:
        digest = hashlib.sha1(job.name.encode("utf-8")).hexdigest()[:16]
        safe = re.sub(r"[^\w.-]+", "_", job.name)[-60:]
        return self.dir / f"{safe}.{digest}.json"

    def get(self, job: Job) -> dict | None:
        try:
            return json.loads(self.path(job).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, job: Job, record: dict) -> None:
        atomic_write_text(self.path(job), json.dumps(record, ensure_ascii=False, indent=1), force=True)


@contextlib.contextmanager
def _outdir_lock(outdir: Path) -> Iterator[None]:
    """Refuse to run two batches into one OUTDIR at once (their status files would race)."""
    lock_path = outdir / STATE_DIR / "lock"
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(lock_path, "a")
    except OSError as exc:
        raise _outdir_error(outdir, exc) from exc
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        with fh:
            yield
        return
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise AlignerError(f"another batch is already writing into {outdir}; wait for it or pick another -o") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- one job


def _outdir_error(outdir: Path, exc: OSError) -> OutputError:
    fix = "free some space, or choose another -o folder" if exc.errno in (errno.ENOSPC, errno.EDQUOT) \
        else "choose another -o folder"
    return OutputError(f"cannot write into {outdir} ({exc.strerror or exc}); {fix}")


def _check_outdir(outdir: Path) -> None:
    """A folder we can create, write and fill: found out before any job, not by every job failing."""
    if outdir.is_symlink() and not outdir.exists():
        raise OutputError(f"-o {outdir} is a symbolic link to nothing (or a loop of links); "
                          "fix the link or choose another -o folder")
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir} is a file; -o must name a folder")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        probe = outdir / STATE_DIR / "probe"
        probe.parent.mkdir(exist_ok=True)
        with open(probe, "w", encoding="utf-8") as fh:  # a full disk refuses even these bytes
            fh.write("aligner batch checks that OUTDIR can be written\n")
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        raise _outdir_error(outdir, exc) from exc


def _name_problem(outdir: Path, outputs: list[Path]) -> str:
    """Why an output name cannot be written here (too long with its temporary-file affixes), else ''."""
    try:
        limit = os.pathconf(outdir, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    for path in outputs:
        size = len(os.fsencode(path.name)) + len(".") + len(".XXXXXXXX.part")  # see writers.atomic
        if size > limit:
            return (f"the output name {path.name[:40]}... is too long for this file system "
                    f"({size} bytes with its temporary affixes, at most {limit}); rename the input")
    return ""


def check_options(config: PipelineConfig) -> None:
    """Option values every job would reject: found once, before any job starts."""
    from aligner.filters import FilterConfig

    FilterConfig(min_score=config.min_score, keep_unaligned=config.keep_unaligned, **config.filters)


def check_encoder(config: PipelineConfig, encoder_factory: EncoderFactory | None) -> Encoder:
    """Build the encoder and embed a probe, so a missing model or broken cache stops the batch up front.

    Raises:
        AlignerError: the encoder cannot start (unknown, not installed, its model
            cannot be loaded, the embedding cache cannot be used).
    """
    try:
        encoder = encoder_factory() if encoder_factory is not None else default_encoder_factory(config)
        encoder.encode(_PROBE)
    except AlignerError:
        raise
    except Exception as exc:  # noqa: BLE001 - a model that will not load is the user's to fix
        raise AlignerError(f"encoder {config.encoder!r} could not start ({type(exc).__name__}: {exc}); "
                           "check its installation (aligner models) or choose another --encoder") from exc
    return encoder


def default_encoder_factory(config: PipelineConfig, threads: int | None = None) -> Encoder:
    """The run's encoder, with the on-disk cache (shared by all workers) unless disabled."""
    from aligner.encoders import get_encoder
    from aligner.encoders.threads import set_threads

    enc = get_encoder(config.encoder, device=config.device, cache=config.cache)
    set_threads(enc, threads)  # a pool of N processes should not each start one BLAS thread per core
    return enc


def align_job(job: Job, encoder: Encoder, config: PipelineConfig):
    """Run the pipeline for one job. Returns the ``AlignmentResult``."""
    from aligner.pipeline import align_document, align_files

    if job.problem:
        raise InputError(job.problem)
    if len(job.inputs) == 2:
        return align_files(job.inputs[0], job.inputs[1], encoder=encoder, config=config)
    return align_document(job.inputs[0], encoder=encoder, config=config)


def output_path(outdir: Path, job: Job, fmt: str) -> Path:
    """``OUTDIR/NAME.FMT``; for Moses ``OUTDIR/NAME`` (the writer adds ``.ru`` and ``.en``)."""
    return outdir / job.name if fmt == "moses" else outdir / f"{job.name}.{fmt}"


def output_files(outdir: Path, job: Job, fmt: str, meta: dict | None) -> list[Path]:
    """Every file the job's write creates (output, Moses pair, sidecar)."""
    from aligner.writers import output_paths

    return output_paths(output_path(outdir, job, fmt), fmt, meta is not None)


def write_output(beads, path: Path, fmt: str, meta: dict | None) -> int:
    from aligner.writers import write

    path.parent.mkdir(parents=True, exist_ok=True)
    return write(beads, path, fmt, meta=meta, force=True)


def outcome_from(result, written: int, embedded: int, seconds: float) -> Outcome:
    s = result.stats
    return Outcome(True, "", s.block_pairs, s.sentences_ru, s.sentences_en, s.beads, written, embedded, seconds,
                   tuple(result.warnings))


def failure(exc: BaseException, seconds: float = 0.0) -> Outcome:
    from aligner.encoders.cache import CacheError

    kind = "" if isinstance(exc, AlignerError) else f"{type(exc).__name__}: "
    cause = exc.__cause__ if isinstance(exc, OutputError) else exc
    fatal = isinstance(exc, CacheError) or getattr(cause, "errno", None) in _DISK_ERRNOS
    return Outcome(False, f"{kind}{exc}".strip() or type(exc).__name__, seconds=seconds, fatal=fatal)


def run_job(job: Job, encoder: Encoder, config: PipelineConfig, fmt: str, outdir: Path,
            meta: dict | None) -> Outcome:
    """Align one job and write its output; any exception becomes a failed ``Outcome``."""
    t0 = time.perf_counter()
    before = getattr(encoder, "embedded", 0)
    try:
        result = align_job(job, encoder, config)
        written = write_output(result.beads, output_path(outdir, job, fmt), fmt, meta)
        if config.batch_dedup:
            save_beads(outdir / STATE_DIR, job.name, result.beads)
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the batch
        return failure(exc, time.perf_counter() - t0)
    return outcome_from(result, written, getattr(encoder, "embedded", 0) - before, time.perf_counter() - t0)


# --------------------------------------------------------------------------- local engine

_WORKER: dict = {}


def _worker_init(factory: EncoderFactory | None, config: PipelineConfig, threads: int, parent: int) -> None:
    """Build the encoder once per worker process; a failure is reported with each job, not as a dead worker."""
    from aligner.process import become_worker

    become_worker(parent)
    try:
        _WORKER["encoder"] = factory() if factory is not None else default_encoder_factory(config, threads)
    except Exception as exc:  # noqa: BLE001 - reported by _worker_run
        _WORKER["error"] = exc


def _worker_run(job: Job, config: PipelineConfig, fmt: str, outdir: str, meta: dict | None) -> Outcome:
    if "error" in _WORKER:
        exc = _WORKER["error"]
        return Outcome(False, f"the worker process could not start its encoder: {failure(exc).reason}",
                       fatal=failure(exc).fatal)
    return run_job(job, _WORKER["encoder"], config, fmt, Path(outdir), meta)


def run_local(jobs: list[Job], *, config: PipelineConfig, fmt: str, outdir: Path, meta: dict | None,
              workers: int, encoder_factory: EncoderFactory | None = None,
              on_start: Callable[[Job], None] | None = None,
              encoder: Encoder | None = None) -> Iterator[tuple[Job, Outcome]]:
    """Yield ``(job, outcome)`` as jobs finish, on ``workers`` processes (1 = in this process).

    At most ``workers`` jobs are in flight, so when a worker process dies (out
    of memory, a crash in native code) the suspects are known: each is rerun
    alone on a fresh pool, and the one that kills its worker alone fails.
    Closing the generator early (an error, Ctrl-C, SIGTERM) stops the workers
    at once; they also die with this process if it is killed.

    Args:
        encoder: an encoder already built (by ``check_encoder``) for the one-process case.
    """
    on_start = on_start or (lambda job: None)
    workers = min(workers, len(jobs))
    if workers <= 1:
        if encoder is None:
            encoder = encoder_factory() if encoder_factory is not None else default_encoder_factory(config)
        for job in jobs:
            on_start(job)
            yield job, run_job(job, encoder, config, fmt, outdir, meta)
        return

    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # no inherited SQLite handles or threads
    threads = max(1, (os.cpu_count() or 1) // workers)
    queue = list(reversed(jobs))
    suspects: list[Job] = []
    while queue or suspects:
        pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init,
                                   initargs=(encoder_factory, config, threads, os.getpid()))
        running: dict = {}
        broken = False
        finished_cleanly = False
        try:
            while queue or suspects or running:
                if not broken and suspects and not running:
                    job = suspects.pop()
                    running[_submit(pool, job, config, fmt, outdir, meta)] = (job, True)
                while not broken and not suspects and queue and len(running) < workers:
                    job = queue.pop()
                    on_start(job)
                    running[_submit(pool, job, config, fmt, outdir, meta)] = (job, False)
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    job, alone = running.pop(fut)
                    try:
                        outcome = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        if alone:
                            yield job, Outcome(False, "the worker process died while aligning this input "
                                                      "(out of memory, or a crash in native code)")
                        else:
                            suspects.append(job)
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
                        outcome = failure(exc)
                    yield job, outcome
            finished_cleanly = True
        finally:
            if finished_cleanly:
                pool.shutdown(wait=True, cancel_futures=True)
            else:
                _stop_pool(pool)


def _submit(pool: ProcessPoolExecutor, job: Job, config: PipelineConfig, fmt: str, outdir: Path, meta: dict | None):
    """``pool.submit``; workers must start with Ctrl-C ignored. With the spawn method the pool starts
    them one per submit until it is full (not all at the first), so every submit is guarded."""
    from aligner.process import children_ignore_ctrl_c

    with children_ignore_ctrl_c():
        return pool.submit(_worker_run, job, config, fmt, str(outdir), meta)


def _stop_pool(pool: ProcessPoolExecutor, grace: float = 1.0) -> None:
    """Stop the workers now (SIGTERM: each removes its temporary files), SIGKILL any still there after ``grace``."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(1.0)


# --------------------------------------------------------------------------- the batch


def run_batch(
    inputs: str | Path,
    outdir: str | Path,
    *,
    config: PipelineConfig | None = None,
    fmt: str = "tsv",
    engine: str = "local",
    workers: int | None = None,
    progress: Progress | None = None,
    meta: dict | None = None,
    address: str | None = None,
    encoder_factory: EncoderFactory | None = None,
    pair_by_content: bool = False,
) -> BatchSummary:
    """Align every input under a folder or glob into OUTDIR, resuming an earlier run.

    Args:
        inputs: a folder (scanned recursively) or a glob such as ``'exports/*.json'``.
        outdir: output folder; one ``NAME.FMT`` per job, mirroring the input tree,
            plus ``summary.json`` and the ``.aligner-batch/`` status folder.
        config: pipeline settings (encoder, min score, ...).
        fmt: output format (``tsv``, ``csv``, ``jsonl``, ``tmx``, ``moses``).
        engine: ``local`` (process pool) or ``ray``.
        workers: parallel jobs; default all cores (local) or the cluster's CPUs (ray).
        progress: ``(stage, done, total)`` callback, called with stage ``"batch"``.
        meta: header fields for the writers (TMX props, sidecar).
        address: Ray cluster address (``auto``, ``ray://host:10001``); local Ray when None.
        encoder_factory: a picklable zero-argument callable building the encoder
            (tests use a fake); default ``get_encoder(config.encoder, cache=config.cache)``.
        pair_by_content: pair the Russian and English documents by what they say
            (``aligner.collection``), not by their names; the pairs and the
            documents left out go to ``OUTDIR/pairs.tsv`` and the summary.
    Returns:
        The ``BatchSummary``, also written to ``OUTDIR/summary.json``.
    Raises:
        InputError: nothing to align. AlignerError: bad engine or format, or OUTDIR busy.
    """
    t0 = time.perf_counter()
    config = config or PipelineConfig()
    progress = progress or (lambda stage, done, total: None)
    if engine not in ("local", "ray"):
        raise AlignerError(f"unknown engine {engine!r}; choose local or ray")
    if workers is not None and workers < 1:
        raise AlignerError("--workers must be at least 1")
    from aligner.writers import resolve_format
    from aligner.writers.atomic import sweep_stale_temps

    fmt = resolve_format(f"out.{fmt}", fmt)
    check_options(config)
    outdir = Path(outdir)
    _check_outdir(outdir)
    unpaired: list[dict] = []
    if pair_by_content:
        jobs, ignored, unpaired = content_jobs(inputs, outdir, config, encoder_factory, progress)
    else:
        jobs, ignored = discover(inputs, exclude=outdir)
    if config.filters.get("dedup"):  # across the batch: each job keeps its copies, the last pass removes them
        config = replace(config, filters={**config.filters, "dedup": False}, batch_dedup=True)

    with _outdir_lock(outdir):
        sweep_stale_temps(outdir, recursive=True)  # left by a run killed mid-write
        store = StatusStore(outdir)
        settings = settings_key(config, fmt, meta)
        todo, skipped_records, fingerprints, early = [], [], {}, []
        for job in jobs:
            if job.problem:
                early.append((job, failure(InputError(job.problem))))
                continue
            record = store.get(job)
            try:
                prev = {p["path"]: p for p in (record or {}).get("inputs", [])}
                fps = [file_fingerprint(p, prev.get(p)) for p in job.inputs]
            except OSError as exc:
                why = f"cannot read {exc.filename or job.inputs[0]} ({exc.strerror or exc}); check the file"
                early.append((job, failure(InputError(why))))
                continue
            fingerprints[job.name] = fps
            too_long = _name_problem(outdir, output_files(outdir, job, fmt, meta))
            if too_long:
                early.append((job, failure(OutputError(too_long))))
                continue
            if _is_done(record, fps, settings, output_files(outdir, job, fmt, meta)):
                skipped_records.append(record)
            else:
                todo.append(job)

        # One encoder check before any job: a missing model or unusable cache stops here, touching nothing.
        encoder = check_encoder(config, encoder_factory) if todo else None
        if engine == "ray":
            from aligner.batch_ray import run_ray

            encoder = None  # the actors build their own
            info: dict = {}
            for job in todo:
                _mark_running(store, job, fingerprints, settings)
            stream = run_ray(todo, config=config, fmt=fmt, outdir=outdir, meta=meta, workers=workers,
                             address=address, encoder_factory=encoder_factory, info=info)
        else:
            # One GPU model per process would be wasteful: on GPU, one process (or --engine ray,
            # which puts the model in one actor and aligns on the CPUs) unless asked otherwise.
            workers_used = workers or (1 if config.device.startswith("cuda") else os.cpu_count() or 1)
            if min(workers_used, len(todo)) > 1:
                encoder = None  # each worker builds its own; do not hold a model copy here
            stream = run_local(todo, config=config, fmt=fmt, outdir=outdir, meta=meta, workers=workers_used,
                               encoder_factory=encoder_factory, encoder=encoder,
                               on_start=lambda job: _mark_running(store, job, fingerprints, settings))

        outcomes: list[tuple[Job, Outcome]] = list(early)
        stopped = ""
        progress("batch", 0, len(todo))
        try:
            for n, (job, outcome) in enumerate(stream, 1):
                if not outcome.ok:
                    outcome = _keeping_earlier_output(outcome, output_files(outdir, job, fmt, meta), outdir)
                outcomes.append((job, outcome))
                store.put(job, _record(job, outcome, fingerprints.get(job.name, []), settings,
                                       output_files(outdir, job, fmt, meta), outdir))
                progress("batch", n, len(todo))
                if outcome.fatal:  # every later job would fail the same way
                    stopped = outcome.reason
                    break
        except OutputError as exc:  # a status file could not be written: the disk is full or gone
            stopped = str(exc)
        finally:
            stream.close()  # stops the workers now when we leave early (error, Ctrl-C, SIGTERM)

        if engine == "ray":
            workers_used = info.get("workers", workers or 0)
        summary = _summarise(jobs, outcomes, skipped_records, ignored, engine, workers_used,
                             time.perf_counter() - t0)
        if config.batch_dedup:
            summary = dedup_outputs(summary, jobs, outdir, fmt, meta, progress)
        if pair_by_content:
            summary = replace(summary, unpaired_documents=tuple(unpaired))
        summary = replace(summary, stopped=stopped, not_started=len(todo) - (len(outcomes) - len(early)))
        try:
            atomic_write_text(outdir / "summary.json", json.dumps(summary.to_dict(), ensure_ascii=False, indent=1),
                              force=True)
        except OutputError:
            if not stopped:
                raise
    return summary


def content_jobs(inputs: str | Path, outdir: Path, config: PipelineConfig, encoder_factory: EncoderFactory | None,
                 progress: Progress) -> tuple[list[Job], list[str], list[dict]]:
    """``--pair-by-content``: one job per document pair found by ``collection.pair_documents``.

    Also writes ``OUTDIR/pairs.tsv`` (ru_file, en_file, score, then the documents left out
    with their reason), so what was paired, and what was not, can be checked.
    """
    from aligner.collection import pair_documents

    files, ignored, root, refused = scan_files(inputs, exclude=outdir)
    progress("pairing", 0, 1)
    encoder = encoder_factory() if encoder_factory is not None else default_encoder_factory(config)
    found = pair_documents([str(f) for f in files], encoder=encoder)
    progress("pairing", 1, 1)
    rel = lambda p: Path(p).relative_to(root)  # noqa: E731
    jobs = _unique([Job(f"{rel(p.ru).with_suffix('')}__{Path(p.en).stem}", (p.ru, p.en)) for p in found.pairs]
                   + refused)
    rows = ["ru_file\ten_file\tscore\treason"]
    rows += [f"{rel(p.ru)}\t{rel(p.en)}\t{p.score:.4f}\t" for p in found.pairs]
    rows += [f"{rel(d['file']) if d['lang'] != 'en' else ''}\t{rel(d['file']) if d['lang'] == 'en' else ''}\t\t"
             f"{d['reason']}" for d in found.unpaired]
    atomic_write_text(outdir / "pairs.tsv", "\n".join(rows) + "\n", force=True)
    unpaired = [{**d, "file": str(rel(d["file"]))} for d in found.unpaired]
    return jobs, ignored, unpaired


def dedup_outputs(summary: BatchSummary, jobs: list[Job], outdir: Path, fmt: str, meta: dict | None,
                  progress: Progress) -> BatchSummary:
    """``--dedup`` in a batch: remove pairs already written by an earlier job (by name), rewrite those outputs."""
    from aligner.dedup_global import load_beads
    from aligner.filters import dedup_groups

    stored = [(job, load_beads(outdir / STATE_DIR, job.name)) for job in jobs if not job.name.startswith("!")]
    stored = [(job, beads) for job, beads in stored if beads is not None and
              all(p.is_file() for p in output_files(outdir, job, fmt, meta))]
    kept, copies = dedup_groups([beads for _, beads in stored])
    removed = len(copies)
    for n, ((job, before), after) in enumerate(zip(stored, kept), 1):
        if after != before or any("copies" in b.provenance for b in after):
            write_output(after, output_path(outdir, job, fmt), fmt, meta)
        progress("dedup", n, len(stored))
    return replace(summary, beads_written=summary.beads_written - removed, duplicates_removed=removed)


def _is_done(record: dict | None, fps: list[dict], settings: str, outputs: list[Path]) -> bool:
    """Finished by an earlier run, from the same input bytes and settings, and its files are all there."""
    if not record or record.get("state") != "done" or record.get("settings") != settings:
        return False
    same = [(p["path"], p["size"], p["sha256"]) for p in record.get("inputs", [])] == \
           [(p["path"], p["size"], p["sha256"]) for p in fps]
    return same and all(p.is_file() for p in outputs)


def _keeping_earlier_output(outcome: Outcome, outputs: list[Path], outdir: Path) -> Outcome:
    """A failed job never removes what an earlier run finished; its reason says the old output is kept."""
    kept = [str(p.relative_to(outdir)) for p in outputs if p.exists()]
    if not kept:
        return outcome
    return replace(outcome, reason=f"{outcome.reason} (the output of an earlier run is kept: {', '.join(kept)})")


def _mark_running(store: StatusStore, job: Job, fingerprints: dict, settings: str) -> None:
    store.put(job, {"job": job.name, "state": "running", "inputs": fingerprints.get(job.name, []),
                    "settings": settings, "started": time.time()})


def _record(job: Job, outcome: Outcome, fps: list[dict], settings: str, outputs: list[Path], outdir: Path) -> dict:
    rec = {"job": job.name, "state": "done" if outcome.ok else "failed", "inputs": fps, "settings": settings,
           "outputs": [str(p.relative_to(outdir)) for p in outputs] if outcome.ok else [],
           "finished": time.time()}
    rec.update(asdict(outcome))
    return rec


def _summarise(jobs: list[Job], outcomes: list[tuple[Job, Outcome]], skipped: list[dict], ignored: list[str],
               engine: str, workers: int, seconds: float) -> BatchSummary:
    ok = [o for _, o in outcomes if o.ok]
    counted: list = ok + [Outcome(**{k: r.get(k, 0) for k in ("block_pairs", "sentences_ru", "sentences_en",
                                                               "beads_written")}, ok=True) for r in skipped]
    failures = tuple({"job": j.name.lstrip("!"), "inputs": list(j.inputs), "reason": o.reason}
                     for j, o in sorted(outcomes, key=lambda jo: jo[0].name) if not o.ok)
    said = [(j.name, w) for j, o in outcomes if o.ok for w in o.warnings]
    said += [(r.get("job", ""), w) for r in skipped for w in r.get("warnings", [])]
    warnings = tuple({"job": name, "warning": w} for name, w in sorted(said))
    return BatchSummary(
        inputs=len(jobs),
        file_pairs=sum(j.kind == "pair" for j in jobs),
        documents=sum(j.kind == "document" and not j.name.startswith("!") for j in jobs),
        done=len(ok),
        skipped=len(skipped),
        failed=len(failures),
        block_pairs=sum(o.block_pairs for o in counted),
        sentences_ru=sum(o.sentences_ru for o in counted),
        sentences_en=sum(o.sentences_en for o in counted),
        beads_written=sum(o.beads_written for o in counted),
        embedded=sum(o.embedded for o in ok),
        seconds=round(seconds, 3),
        failures=failures,
        warnings=warnings,
        ignored=len(ignored),
        engine=engine,
        workers=workers,
    )

