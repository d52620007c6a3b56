"""``aligner models``: the encoder catalogue, its speed cache and the CLI commands."""

from __future__ import annotations

import json

import pytest

from aligner.cli import main
from aligner.encoders import catalog, e5


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    return tmp_path


class CountingMeasure:
    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, name: str) -> float:
        self.names.append(name)
        return {"use": 1000.0, "e5-small": 250.0}[name]


def run(args, capsys):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_bench_texts_are_distinct_and_bilingual():
    texts = catalog.bench_texts(100)
    assert len(set(texts)) == 100
    assert any("Президент" in t for t in texts) and any("president" in t for t in texts)


def test_speed_is_measured_once_then_read_from_the_cache(cache_dir):
    measure = CountingMeasure()
    rows = {r.name: r for r in catalog.list_encoders(measure=measure)}
    assert measure.names == ["use"]  # e5-small is not installed in this cache dir
    assert rows["use"].speed == 1000.0 and rows["e5-small"].speed is None and not rows["e5-small"].installed
    assert json.loads((cache_dir / catalog.SPEED_FILE).read_text())["use"]["sentences_per_s"] == 1000.0
    catalog.list_encoders(measure=measure)
    assert measure.names == ["use"]
    catalog.list_encoders(benchmark=True, measure=measure)
    assert measure.names == ["use", "use"]


def test_ensemble_row_combines_member_speeds(cache_dir, monkeypatch):
    monkeypatch.setattr(e5, "is_installed", lambda path=None: True)
    monkeypatch.setattr(catalog, "_dir_size", lambda path: 1000)
    rows = {r.name: r for r in catalog.list_encoders(measure=CountingMeasure())}
    ens = rows["use+e5-small"]
    assert ens.installed and ens.dim == 896 and ens.speed == pytest.approx(200.0)


@pytest.mark.parametrize("n, want", [(None, "-"), (512, "512 B"), (31 * 1024 * 1024, "31 MB"), (3 * 1024**3, "3.0 GB")])
def test_human_sizes(n, want):
    assert catalog._human(n) == want


def test_format_table_has_a_header_and_a_row_per_encoder(cache_dir):
    table = catalog.format_table(catalog.list_encoders(measure=CountingMeasure()))
    lines = table.splitlines()
    assert lines[0].split()[:5] == ["encoder", "dim", "size", "sent/s", "installed"]
    assert [ln.split()[0] for ln in lines[1:]] == ["use", "e5-small", "use+e5-small", "st:NAME_OR_PATH"]


@pytest.mark.parametrize("args", [["models", "--help"], ["models", "list", "--help"], ["models", "install", "--help"]])
def test_models_help(args, capsys):
    code, out, _ = run(args, capsys)
    assert code == 0 and "Usage:" in out


@pytest.mark.parametrize("args", [["models"], ["models", "list"]])
def test_models_list_prints_the_table(args, cache_dir, capsys, monkeypatch):
    monkeypatch.setattr(catalog, "measure_speed", CountingMeasure())
    code, out, _ = run(args, capsys)
    use_row = out.splitlines()[1].split()
    assert code == 0 and out.startswith("encoder")
    assert use_row[:2] == ["use", "512"] and use_row[3:6] == ["MB", "1000", "yes"]


@pytest.mark.parametrize("name, needle, code_want", [
    ("use", "ships with aligner", 0),
    ("labse", "nothing to install for 'labse'", 2),
])
def test_models_install_simple_cases(name, needle, code_want, cache_dir, capsys):
    code, _, err = run(["models", "install", name], capsys)
    assert code == code_want and needle in err and len(err.strip().splitlines()) == 1


def test_models_install_e5_small_then_already_installed(cache_dir, capsys, monkeypatch):
    def fake_install(dest=None, *, source=None, force=False):
        path = e5.model_dir()
        path.mkdir(parents=True, exist_ok=True)
        (path / "modules.json").write_text("[]")
        (path / "model.safetensors").write_bytes(b"")
        return path

    monkeypatch.setattr(e5, "install", fake_install)
    code, _, err = run(["models", "install", "e5-small"], capsys)
    assert code == 0 and "installed e5-small in" in err and str(cache_dir / "models" / "e5-small") in err
    code, _, err = run(["models", "install", "e5-small"], capsys)
    assert code == 0 and "already installed" in err
