"""The Ray engine on a local 2-CPU cluster gives byte-identical output to the local engine.

Skipped when ray is not installed (``pip install "ruen-aligner[distributed]"``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from aligner.batch import run_batch
from aligner.pipeline import PipelineConfig
from tests.fakes import cached_hash_encoder
from tests.test_batch import EN, EN2, MIXED, RU, RU2, make_tree, outputs

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def local_cluster():
    """A local Ray with 2 CPUs (one embedding actor plus alignment tasks), kept small."""
    ray.init(num_cpus=2, object_store_memory=200 * 1024 * 1024, include_dashboard=False,
             log_to_driver=False, logging_level="ERROR",
             runtime_env={"env_vars": {"PYTHONPATH": str(REPO)}})  # workers import tests.fakes
    yield
    ray.shutdown()


def test_ray_engine_matches_local_engine(tmp_path, local_cluster):
    corpus = make_tree(tmp_path / "in", {
        "one_ru.txt": RU, "one_en.txt": EN, "two/ru.txt": RU2, "two/en.txt": EN2, "dump.txt": MIXED,
        "broken.txt": "",
    })
    config = PipelineConfig()
    local = run_batch(corpus, tmp_path / "local", config=config, fmt="tsv", workers=1,
                      encoder_factory=functools.partial(cached_hash_encoder, str(tmp_path / "a.sqlite")))
    # its own cache, so the actor really embeds
    factory = functools.partial(cached_hash_encoder, str(tmp_path / "b.sqlite"))
    dist = run_batch(corpus, tmp_path / "ray", config=config, fmt="tsv", engine="ray", encoder_factory=factory)
    assert (dist.done, dist.failed, dist.engine) == (3, 1, "ray") and dist.embedded == local.embedded > 0
    assert [f["job"] for f in dist.failures] == ["broken"]
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local") and len(outputs(tmp_path / "ray")) == 3

    again = run_batch(corpus, tmp_path / "ray", config=config, fmt="tsv", engine="ray", encoder_factory=factory)
    assert (again.done, again.skipped, again.embedded) == (0, 3, 0)
