"""--split-by-doc: train/dev/test by document, deterministic, no document in two splits."""

from __future__ import annotations

import pytest

from aligner.errors import AlignerError, OutputError
from aligner.model import Bead
from aligner.writers import write_splits
from aligner.writers.split import doc_id, split_by_doc


def corpus(n_docs: int, per_doc: int = 3) -> list[Bead]:
    return [
        Bead(
            (i,),
            (i,),
            f"Фраза {i} из документа {d}.",
            f"Sentence {i} of document {d}.",
            0.9,
            provenance={"doc": f"doc-{d}.txt"},
        )
        for d in range(n_docs)
        for i in range(per_doc)
    ]


def test_no_document_crosses_splits():
    parts = split_by_doc(corpus(300))
    docs = {name: {b.provenance["doc"] for b in beads} for name, beads in parts.items()}
    assert not docs["train"] & docs["dev"] and not docs["train"] & docs["test"] and not docs["dev"] & docs["test"]
    assert sum(len(v) for v in parts.values()) == 900


def test_shares_follow_ratios_by_document():
    parts = split_by_doc(corpus(2000, 1), ratios=(0.8, 0.1, 0.1))
    shares = {k: len(v) / 2000 for k, v in parts.items()}
    assert 0.76 < shares["train"] < 0.84 and 0.07 < shares["dev"] < 0.13 and 0.07 < shares["test"] < 0.13


def test_deterministic_and_seeded():
    a = split_by_doc(corpus(50), seed=1)
    b = split_by_doc(corpus(50), seed=1)
    c = split_by_doc(corpus(50), seed=2)
    assert a == b
    assert a != c


def test_stable_when_documents_are_added():
    small = split_by_doc(corpus(40))
    large = split_by_doc(corpus(80))
    where = {b.provenance["doc"]: name for name, beads in large.items() for b in beads}
    assert all(where[b.provenance["doc"]] == name for name, beads in small.items() for b in beads)


def test_order_is_kept_inside_a_split():
    parts = split_by_doc(corpus(30))
    for beads in parts.values():
        order = [(int(b.provenance["doc"][4:-4]), b.ru_ids) for b in beads]
        assert order == sorted(order)


@pytest.mark.parametrize(
    "prov,expected",
    [({"doc": "a.txt"}, "a.txt"), ({"ru_file": "r.txt", "en_file": "e.txt"}, "r.txt\x1fe.txt"), ({}, "\x1f")],
)
def test_doc_id(prov, expected):
    assert doc_id(Bead((0,), (0,), "а", "a", 1.0, provenance=prov)) == expected


@pytest.mark.parametrize("ratios", [(0.5, 0.5), (1, -1, 1), (0, 0, 0)])
def test_bad_ratios(ratios):
    with pytest.raises(AlignerError, match="ratios"):
        split_by_doc(corpus(3), ratios=ratios)


@pytest.mark.parametrize(
    "name,fmt,files",
    [
        ("c.tsv", None, ["c.dev.tsv", "c.test.tsv", "c.train.tsv"]),
        ("c.ru", None, ["c.dev.en", "c.dev.ru", "c.test.en", "c.test.ru", "c.train.en", "c.train.ru"]),
    ],
)
def test_write_splits_files(tmp_path, name, fmt, files):
    counts = write_splits(corpus(40), tmp_path / name, fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == files
    assert sum(counts.values()) == 120 and set(counts) == {"train", "dev", "test"}


def test_write_splits_checks_every_target_first(tmp_path):
    (tmp_path / "c.test.tsv").write_text("keep me")
    with pytest.raises(OutputError, match="--force"):
        write_splits(corpus(10), tmp_path / "c.tsv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.test.tsv"]


def test_write_splits_sidecars_name_the_split(tmp_path):
    write_splits(corpus(10), tmp_path / "c.jsonl", meta={"encoder": "use"})
    assert (tmp_path / "c.train.jsonl.meta.json").read_text().count('"split": "train"') == 1
