"""The batch on a Ray cluster: embedding in actors (GPU or CPU), alignment in CPU tasks.

Only ``aligner.batch.run_batch`` calls this, with ``engine="ray"``; ``ray`` is
imported here and only here (``pip install "ruen-aligner[distributed]"``).

Shape of the work:
- ``EmbedActor``: a few long-lived actors, each holding one encoder (a model
  loaded once, with the embedding cache). With ``--device cuda`` each asks
  for one GPU. Every text the alignment needs goes through them.
- ``_align_task``: one Ray task per job (a file pair or a dump), on one CPU.
  It reads the input, runs the pipeline with an ``ActorEncoder`` that sends
  texts to an actor, and returns the beads to the driver, which writes the
  output and the status file exactly as the local engine does (so outputs
  are byte-identical).

Inputs must be readable at the same path on every node (a shared file
system); outputs and status are written by the driver only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from aligner.batch import (
    EncoderFactory,
    Job,
    Outcome,
    STATE_DIR,
    align_job,
    default_encoder_factory,
    failure,
    outcome_from,
    output_path,
    write_output,
)
from aligner.dedup_global import save_beads
from aligner.encoders.base import Encoder, ProgressFn
from aligner.errors import AlignerError, MissingExtraError
from aligner.pipeline import PipelineConfig


class EmbedActor:
    """Holds one encoder for its lifetime; ``encode`` also reports how many texts were really embedded."""

    def __init__(self, factory: EncoderFactory | None, config: PipelineConfig, threads: int) -> None:
        self.encoder = factory() if factory is not None else default_encoder_factory(config, threads)

    def info(self) -> tuple[str, int]:
        return self.encoder.name, self.encoder.dim

    def encode(self, texts: list[str]) -> tuple[np.ndarray, int]:
        before = getattr(self.encoder, "embedded", 0)
        vecs = self.encoder.encode(texts)
        return vecs, getattr(self.encoder, "embedded", 0) - before


class ActorEncoder(Encoder):
    """An Encoder whose work happens in ``EmbedActor``s; used inside alignment tasks.

    A long document's texts go out in chunks of ``CHUNK``, spread over all the
    actors, so one book is embedded by every GPU/CPU actor at once and no
    single object is large.
    """

    CHUNK = 8192

    def __init__(self, actors: list, name: str, dim: int, start: int = 0) -> None:
        self.actors = actors
        self.start = start
        self.name = name
        self.dim = dim
        self.embedded = 0

    def embed_batch(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - encode is overridden
        return self.encode(texts)

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        import ray

        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        refs = []
        for k, lo in enumerate(range(0, len(texts), self.CHUNK)):
            actor = self.actors[(self.start + k) % len(self.actors)]
            refs.append((lo, actor.encode.remote(texts[lo : lo + self.CHUNK])))
        for lo, ref in refs:
            vecs, embedded = ray.get(ref)
            out[lo : lo + len(vecs)] = vecs
            self.embedded += embedded
            if progress is not None:
                progress(len(vecs))
        return out


def _align_task(job: Job, config: PipelineConfig, actors: list, start: int, name: str, dim: int):
    """One job on a worker: returns ``(outcome, beads)``; beads is None on failure."""
    import time

    t0 = time.perf_counter()
    encoder = ActorEncoder(actors, name, dim, start)
    try:
        result = align_job(job, encoder, config)
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the batch
        return failure(exc, time.perf_counter() - t0), None
    return outcome_from(result, 0, encoder.embedded, time.perf_counter() - t0), result.beads


def _ray():
    try:
        import ray
    except ImportError as exc:
        raise MissingExtraError("--engine ray", "distributed") from exc
    return ray


def run_ray(jobs: list[Job], *, config: PipelineConfig, fmt: str, outdir: Path, meta: dict | None,
            workers: int | None = None, address: str | None = None, embedders: int | None = None,
            encoder_factory: EncoderFactory | None = None, info: dict | None = None) -> Iterator[tuple[Job, Outcome]]:
    """Yield ``(job, outcome)`` as jobs finish on Ray; the driver writes each output.

    Joins the cluster at ``address`` (``auto`` = the one ``ray start`` made on
    this machine) or, when ``address`` is None and Ray is not yet initialised,
    starts a local one. At most ``workers`` (default: the cluster's CPUs)
    alignment tasks are in flight, which bounds the driver's memory. ``info``
    (optional) receives ``workers`` and ``embedders`` as used.
    """
    if not jobs:
        return
    ray = _ray()
    started = False
    if not ray.is_initialized():
        try:
            ray.init(address=address, include_dashboard=False, logging_level="WARNING")
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise AlignerError(f"cannot join the Ray cluster at {address}: {exc}; "
                               "start one with `ray start --head` or check --address") from exc
        started = True
    try:
        yield from _run(ray, jobs, config, fmt, outdir, meta, workers, embedders, encoder_factory,
                        info if info is not None else {})
    finally:
        if started:
            ray.shutdown()


def _run(ray, jobs, config, fmt, outdir, meta, workers, embedders, encoder_factory, info):
    resources = ray.cluster_resources()
    cpus = max(1, int(resources.get("CPU", 1)))
    gpu = config.device.startswith("cuda")
    if gpu:
        gpus = int(resources.get("GPU", 0))
        if gpus < 1:
            raise AlignerError("--device cuda, but the Ray cluster has no GPU; use --device cpu")
        n_embed = embedders or gpus
        actor_opts = {"num_gpus": 1, "num_cpus": 1}
        threads = 1
    else:
        # Half the CPUs embed (the bulk of the work); alignment tasks take the rest,
        # and a task blocked on an actor call lends its CPU back to Ray meanwhile.
        n_embed = embedders or max(1, cpus // 2)
        actor_opts = {"num_cpus": 1 if cpus >= 2 else 0}
        threads = 1
    Actor = ray.remote(EmbedActor).options(**actor_opts)
    actors = [Actor.remote(encoder_factory, config, threads) for _ in range(n_embed)]
    name, dim = ray.get(actors[0].info.remote())
    task = ray.remote(_align_task).options(num_cpus=1, max_retries=1)
    cap = workers or cpus
    info.update(workers=cap, embedders=n_embed)

    pending = list(reversed(jobs))
    running: dict = {}
    n = 0
    try:
        while pending or running:
            while pending and len(running) < cap:
                job = pending.pop()
                running[task.remote(job, config, actors, n % len(actors), name, dim)] = job
                n += 1
            done, _ = ray.wait(list(running), num_returns=1)
            for ref in done:
                job = running.pop(ref)
                try:
                    outcome, beads = ray.get(ref)
                except Exception as exc:  # noqa: BLE001 - a worker died or the task raised
                    yield job, failure(exc)
                    continue
                if beads is not None:
                    try:
                        written = write_output(beads, output_path(outdir, job, fmt), fmt, meta)
                        if config.batch_dedup:
                            save_beads(outdir / STATE_DIR, job.name, beads)
                    except Exception as exc:  # noqa: BLE001
                        yield job, failure(exc, outcome.seconds)
                        continue
                    outcome = replace(outcome, beads_written=written)
                yield job, outcome
    finally:
        for ref in running:
            ray.cancel(ref)
        for actor in actors:
            ray.kill(actor)
