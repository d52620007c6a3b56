"""Collections (issue 17): documents paired by content, one to one, the rest reported; then aligned."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from aligner import pairing
from aligner.batch import run_batch
from aligner.collection import pair_documents
from aligner.pipeline import PipelineConfig

DOCS = {
    "ru/101.txt": "Правительство утвердило новый бюджет на следующий год. Расходы на образование вырастут на 12 %.\n\n"
                  "Министр финансов заявил, что дефицит сократится вдвое. Парламент рассмотрит документ в марте.\n",
    "ru/102.txt": "В субботу в горах ожидается сильный снегопад. Спасатели просят туристов отложить походы.\n\n"
                  "Температура опустится до минус 15 градусов. Дороги могут закрыть на несколько дней.\n",
    "ru/103.txt": "Городская библиотека открыла новый читальный зал. Там можно работать до полуночи.\n",
    "en/budget-approved.txt": "The government approved the new budget for next year. Spending on education "
                              "will rise by 12%.\n\nThe finance minister said the deficit would be halved. "
                              "Parliament will consider the document in March.\n",
    "en/snow-warning.txt": "Heavy snowfall is expected in the mountains on Saturday. Rescuers are asking "
                           "tourists to postpone hikes.\n\nTemperatures will drop to minus 15 degrees. "
                           "Roads may be closed for several days.\n",
    "en/football.txt": "The local football club signed a new striker from Brazil. He will join the team next week.\n",
}


@pytest.fixture
def collection(tmp_path) -> Path:
    root = tmp_path / "crawl"
    for rel, text in DOCS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "ru" / "blank.txt").write_text("\n\n", encoding="utf-8")
    return root


def test_pair_documents_one_to_one_and_reports_the_rest(collection, use_encoder):
    paths = sorted(str(p) for p in collection.rglob("*.txt"))
    found = pair_documents(paths, encoder=use_encoder)
    got = {(Path(p.ru).name, Path(p.en).name) for p in found.pairs}
    assert got == {("101.txt", "budget-approved.txt"), ("102.txt", "snow-warning.txt")}
    left = {Path(d["file"]).name: d["reason"] for d in found.unpaired}
    assert left.pop("blank.txt").endswith("is empty")
    assert left == {"103.txt": "no partner", "football.txt": "no partner"}


def test_batch_pair_by_content_aligns_each_pair_with_its_files(collection, tmp_path, use_encoder):
    out = tmp_path / "out"
    s = run_batch(collection, out, config=PipelineConfig(), fmt="tsv", workers=1, encoder_factory=lambda: use_encoder,
                  pair_by_content=True)
    assert (s.inputs, s.file_pairs, s.done, s.failed) == (2, 2, 2, 0)
    assert {d["file"] for d in s.unpaired_documents} == {"ru/103.txt", "en/football.txt", "ru/blank.txt"}
    with (out / "ru" / "101__budget-approved.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == 4
    assert all(Path(r["ru_file"]).name == "101.txt" and Path(r["en_file"]).name == "budget-approved.txt" for r in rows)
    pairs = (out / "pairs.tsv").read_text(encoding="utf-8").splitlines()
    assert pairs[0] == "ru_file\ten_file\tscore\treason"
    assert "ru/102.txt\ten/snow-warning.txt\t" in "\n".join(pairs)
    assert "\ten/football.txt\t\tno partner" in "\n".join(pairs)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert len(summary["unpaired_documents"]) == 3
    again = run_batch(collection, out, config=PipelineConfig(), fmt="tsv", workers=1,
                      encoder_factory=lambda: use_encoder, pair_by_content=True)
    assert (again.skipped, again.done) == (2, 0)  # resumes like any batch


def test_large_collection_path_gives_the_same_pairs(collection, use_encoder, monkeypatch):
    paths = sorted(str(p) for p in collection.rglob("*.txt"))
    exact = pair_documents(paths, encoder=use_encoder)
    monkeypatch.setattr(pairing, "EXACT_PAIRS", 0)  # force the k-means tree candidates
    approx = pair_documents(paths, encoder=use_encoder)
    assert [(p.ru, p.en) for p in approx.pairs] == [(p.ru, p.en) for p in exact.pairs]
