"""``aligner batch --dedup``: a pair is written once across the whole batch, with every copy's provenance."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from aligner.batch import run_batch
from aligner.filters import dedup_groups
from aligner.model import Bead
from aligner.pipeline import PipelineConfig

RU = "Мама мыла раму. Папа читал газету.\nДети играли во дворе весь день.\n"
EN = "Mother washed the frame. Father read the newspaper.\nThe children played in the yard all day.\n"
RU2 = "Сегодня тепло и солнечно. Завтра обещают дождь.\n"
EN2 = "Today it is warm and sunny. Rain is forecast for tomorrow.\n"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    for name, text in {"a_ru.txt": RU, "a_en.txt": EN, "b_ru.txt": RU2 + RU, "b_en.txt": EN2 + EN,
                       "c_ru.txt": RU2, "c_en.txt": EN2}.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def run(corpus: Path, out: Path, encoder, dedup: bool):
    return run_batch(corpus, out, config=PipelineConfig(filters={"dedup": dedup}), fmt="tsv", workers=1,
                     encoder_factory=lambda: encoder)


def test_batch_dedup_keeps_the_first_copy_with_all_provenance(corpus, tmp_path, use_encoder):
    plain = run(corpus, tmp_path / "plain", use_encoder, dedup=False)
    s = run(corpus, tmp_path / "out", use_encoder, dedup=True)
    a, b, c = (rows(tmp_path / "out" / f"{n}.tsv") for n in "abc")
    a0, b0, c0 = (rows(tmp_path / "plain" / f"{n}.tsv") for n in "abc")
    assert [r["en"] for r in a] == [r["en"] for r in a0]  # the first job keeps everything
    assert c == []  # all of c was already in b
    pairs_a = {(r["ru"], r["en"]) for r in a}
    assert [r for r in b if (r["ru"], r["en"]) in pairs_a] == []
    assert len(b) == len(b0) - len(pairs_a)
    assert s.duplicates_removed == len(pairs_a) + len(c0)
    assert s.beads_written == plain.beads_written - s.duplicates_removed
    for r in a:  # each kept copy lists its own file and the later one
        copies = json.loads(r["copies"])
        assert [Path(cp["ru_file"]).name for cp in copies] == ["a_ru.txt", "b_ru.txt"]
        assert all(cp["ru_ids"] and cp["en_ids"] for cp in copies)
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["duplicates_removed"] == s.duplicates_removed


def test_batch_dedup_is_the_same_after_resume(corpus, tmp_path, use_encoder):
    out = tmp_path / "out"
    first = run(corpus, out, use_encoder, dedup=True)
    before = {p.name: p.read_bytes() for p in out.glob("*.tsv")}
    again = run(corpus, out, use_encoder, dedup=True)
    assert again.skipped == 3 and again.done == 0
    assert {p.name: p.read_bytes() for p in out.glob("*.tsv")} == before
    assert (again.duplicates_removed, again.beads_written) == (first.duplicates_removed, first.beads_written)


def test_dedup_groups_never_merges_null_beads():
    one = Bead((0,), (0,), "Да.", "Yes.", 0.9, provenance={"doc": "x"})
    null = Bead((1,), (), "Одна.", "", 0.0, provenance={"doc": "x"})
    kept, removed = dedup_groups([[one, null], [one, null]])
    assert kept[1] == [null] and removed == [one]
    assert json.loads(kept[0][0].provenance["copies"])[1]["doc"] == "x"


# --- a crossing bead (AlignConfig.crossing_pairs: en id out of order) through a batch -------------

SNOW_RU = ["Вчера в Москве прошёл сильный снегопад.", "Городские службы работали всю ночь, убирая улицы.",
           "Движение на некоторых дорогах было перекрыто.", "По словам мэра, к утру основные трассы расчистили.",
           "Синоптики обещают похолодание на следующей неделе.", "Жителей просят не оставлять машины на обочинах."]
# the translator moved "City services ..." down, after "Forecasters ..."
SNOW_EN = ["Heavy snow fell in Moscow yesterday.", "Traffic was closed on some roads.",
           "According to the mayor, the main highways were cleared by morning.", "Forecasters promise a cold snap next week.",
           "City services worked all night clearing the streets.", "Residents are asked not to leave their cars on the roadside."]


def check_moved(records: list[dict]) -> None:
    """Every sentence once; the moved one linked out of order, flagged, with its sentences."""
    assert sorted(i for r in records for i in r["ru_ids"]) == list(range(6))
    assert sorted(j for r in records for j in r["en_ids"]) == list(range(6))
    crossing = [r for r in records if r["features"].get("crossing") == 1.0]
    assert [(r["ru_ids"], r["en_ids"]) for r in crossing] == [([1], [4])]
    assert crossing[0]["ru"] == SNOW_RU[1] and crossing[0]["en"] == SNOW_EN[4]


@pytest.mark.parametrize("dedup", [False, True])
def test_batch_writes_a_crossing_bead(tmp_path, use_encoder, dedup):
    """Job a holds the moved sentence, job b the same text again: with --dedup job a's output is
    written a second time from the stored beads (its pairs gain ``copies``), and the crossing
    flag and the sentences of each side must survive that (the store kept neither)."""
    root = tmp_path / "in"
    root.mkdir()
    for name in ("a", "b"):
        (root / f"{name}_ru.txt").write_text("\n".join(SNOW_RU) + "\n", encoding="utf-8")
        (root / f"{name}_en.txt").write_text("\n".join(SNOW_EN) + "\n", encoding="utf-8")
    s = run_batch(root, tmp_path / "out", config=PipelineConfig(filters={"dedup": dedup}, keep_unaligned=True),
                  fmt="jsonl", workers=1, encoder_factory=lambda: use_encoder)
    assert s.done == 2
    a = [json.loads(line) for line in (tmp_path / "out" / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    check_moved(a)
    b = [json.loads(line) for line in (tmp_path / "out" / "b.jsonl").read_text(encoding="utf-8").splitlines()]
    if dedup:
        assert b == [] and all("copies" in r for r in a)
    else:
        check_moved(b)


def test_the_store_keeps_features_and_sentences(tmp_path):
    from aligner.dedup_global import load_beads, save_beads

    beads = [Bead((0, 1), (0,), "Да. Нет.", "Yes, no.", 0.8, {"sim": 0.7}, {"doc": "x"}, ru_parts=("Да.", "Нет."),
                  en_parts=("Yes, no.",)),
             Bead((2,), (5,), "Три.", "Three.", 0.9, {"crossing": 1.0}, {"doc": "x"}, ru_parts=("Три.",), en_parts=("Three.",))]
    save_beads(tmp_path, "job", beads)
    back = load_beads(tmp_path, "job")
    assert [(b.ru_ids, b.en_ids, b.ru, b.en, b.score, b.features, b.provenance, b.ru_parts, b.en_parts) for b in back] == \
           [(b.ru_ids, b.en_ids, b.ru, b.en, b.score, b.features, b.provenance, b.ru_parts, b.en_parts) for b in beads]
