"""Reading the alignment back, and exporting it: untouched = what align wrote; edits marked in the TMX."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from aligner.cli import main
from aligner.review import export
from aligner.review.document import filter_config, read_alignment
from aligner.review.journal import Journal
from tests.conftest import CORPORA
from tests.crossing_texts import SNOW_EN, SNOW_RU, SWAP_EN

RU, EN = str(CORPORA / "lighthouse_ru.txt"), str(CORPORA / "lighthouse_en.txt")


@pytest.mark.parametrize("ext", ["tmx", "tsv", "csv", "jsonl", "xlsx", "moses"])
def test_with_no_edits_the_export_is_what_align_wrote(tmp_path, ext):
    """Byte for byte, with a strict --min-score so some beads are dropped and must stay dropped."""
    common = [RU, EN, "--deterministic", "--min-score", "0.99", "-q"]
    assert main(["align", *common, "-o", str(tmp_path / "a.jsonl")]) == 0
    name = "a" if ext == "moses" else f"a.{ext}"
    fmt = ["-f", "moses"] if ext == "moses" else []
    (tmp_path / "direct").mkdir(exist_ok=True)
    assert main(["align", *common, "-o", str(tmp_path / "direct" / name), *fmt]) == 0
    (tmp_path / "rev").mkdir()
    assert main(["review", str(tmp_path / "a.jsonl"), "--export", str(tmp_path / "rev" / name), *fmt]) == 0
    for produced in (tmp_path / "direct").iterdir():
        mine = tmp_path / "rev" / produced.name
        if produced.name.endswith(".meta.json"):
            assert json.loads(mine.read_text()) == json.loads(produced.read_text())
        else:
            assert mine.read_bytes() == produced.read_bytes(), produced.name
    assert "dropped" in (tmp_path / "a.jsonl").read_text(encoding="utf-8")


def test_the_jsonl_carries_every_sentence_and_the_split_of_merged_beads(lighthouse):
    records = [json.loads(x) for x in lighthouse.read_text(encoding="utf-8").splitlines()]
    assert sorted(i for r in records for i in r["ru_ids"]) == list(range(19))
    assert sorted(i for r in records for i in r["en_ids"]) == list(range(18))
    merged = [r for r in records if len(r["ru_ids"]) == 2]
    assert merged and len(merged[0]["ru_sents"]) == 2 and " ".join(merged[0]["ru_sents"]) == merged[0]["ru"]


def test_a_dump_carries_its_pair_and_post(tmp_path):
    out = tmp_path / "d.jsonl"
    assert main(["align", str(CORPORA / "mfa_channel_dump.txt"), "-o", str(out), "-q"]) == 0
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert records and all(r["pair"] == "0" and r["doc"].endswith("#p11") for r in records)


def _record(pair, ru_ids, en_ids):
    return {"ru": " ".join(f"р{i}." for i in ru_ids), "en": " ".join(f"e{i}." for i in en_ids), "score": 0.9,
            "ru_ids": ru_ids, "en_ids": en_ids, "doc": "dump.txt#p1", "pair": pair,
            "ru_sents": [f"р{i}." for i in ru_ids], "en_sents": [f"e{i}." for i in en_ids]}


def test_beads_of_different_block_pairs_are_different_groups(tmp_path):
    path = tmp_path / "d.jsonl"
    records = [_record("0", [0], [0]), _record("0", [1, 2], [1]), _record("1", [0], [0]), _record("1", [1], [])]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    doc = read_alignment(path)
    assert [len(g.ru) for g in doc.groups] == [3, 2] and [len(g.en) for g in doc.groups] == [2, 1]
    assert doc.groups[1].provenance == {"doc": "dump.txt#p1", "pair": "1"}
    from aligner.review.edits import EditError, merge

    with pytest.raises(EditError, match="another block pair"):
        merge(doc.initial, 1)
    assert [s.group for s in merge(doc.initial, 2).beads] == [0, 0, 1]


def test_edited_and_confirmed_units_are_marked_and_untouched_keep_their_score(lighthouse, tmp_path):
    doc = read_alignment(lighthouse)
    j = Journal.open(lighthouse, doc.initial)
    j.append({"op": "merge", "i": 0})
    j.append({"op": "confirm", "i": 1})
    j.append({"op": "edit_text", "i": 2, "side": "en", "k": 0, "text": "Built in 1887 <by> A. P. Vorontsov & co."})
    j.close()
    out = tmp_path / "r.tmx"
    assert export(lighthouse, out) == 17
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in tus]
    assert props[0]["x-review"] == "edited" and "x-score" not in props[0]
    assert props[0]["x-ru_ids"] == "0,1" and props[0]["x-en_ids"] == "0,1"
    assert props[1]["x-review"] == "confirmed" and props[1]["x-score"] == "0.9958"
    assert props[2]["x-review"] == "edited" and tus[2].findall("tuv/seg")[1].text == "Built in 1887 <by> A. P. Vorontsov & co."
    original = {json.loads(x)["ru_ids"][0]: json.loads(x)["score"] for x in lighthouse.read_text().splitlines()}
    for p in props[3:]:
        assert "x-review" not in p and float(p["x-score"]) == original[int(p["x-ru_ids"].split(",")[0])]


def test_a_confirmed_low_score_bead_is_kept_but_unaligned_stays_out(tmp_path):
    out = tmp_path / "a.jsonl"
    assert main(["align", RU, EN, "-o", str(out), "--min-score", "0.99", "-q"]) == 0
    doc = read_alignment(out)
    assert filter_config(doc.meta).min_score == 0.99
    low = next(i for i, s in enumerate(doc.initial.beads) if doc.dropped[s.origin] == "score")
    good = next(i for i, s in enumerate(doc.initial.beads) if doc.dropped[s.origin] is None)
    j = Journal.open(out, doc.initial)
    j.append({"op": "confirm", "i": low})
    j.append({"op": "detach", "i": good, "side": "ru"})  # -> a 0-1 and a 1-0 (indices after it shift)
    j.close()
    rows = export(out, tmp_path / "r.tsv")
    assert rows == sum(r is None for r in doc.dropped)  # +1 confirmed, -1 the detached bead
    text = (tmp_path / "r.tsv").read_text(encoding="utf-8")
    assert doc.beads[doc.initial.beads[low].origin].ru in text
    assert doc.beads[doc.initial.beads[good].origin].ru not in text


def test_an_older_jsonl_without_sentence_lists_still_opens(tmp_path, lighthouse):
    records = [json.loads(x) for x in lighthouse.read_text(encoding="utf-8").splitlines()]
    for r in records:
        r.pop("ru_sents", None)
        r.pop("en_sents", None)
    old = tmp_path / "old.jsonl"
    old.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    doc = read_alignment(old)
    merged = next(s for s in doc.groups[0].ru if len(s.ids) == 2)  # the 2-1 side stays one unit
    assert merged.ids == (15, 16)


@pytest.mark.parametrize("content", ["not json\n", "[1, 2]\n", '{"ru": "x"}\n', ""])
def test_a_file_that_is_not_an_alignment_is_a_user_error(tmp_path, capsys, content):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    assert main(["review", str(bad), "--export", str(tmp_path / "o.tmx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("aligner: error: ") and err.count("\n") == 1


def test_export_refuses_to_overwrite_its_input(lighthouse, capsys):
    assert main(["review", str(lighthouse), "--export", str(lighthouse)]) == 2
    assert "also an input" in capsys.readouterr().err


def test_review_of_a_missing_file_says_how_to_make_one(tmp_path, capsys):
    assert main(["review", str(tmp_path / "none.jsonl"), "--no-browser"]) == 2
    assert "aligner align" in capsys.readouterr().err


# --- beads out of order: a crossing pair (AlignConfig.crossing_pairs), a debris hole (debris_holes) ---

@pytest.fixture
def moved(tmp_path):
    ru, en = tmp_path / "ru.txt", tmp_path / "en.txt"
    ru.write_text("\n".join(SNOW_RU) + "\n", encoding="utf-8")
    en.write_text("\n".join(SNOW_EN) + "\n", encoding="utf-8")
    common = [str(ru), str(en), "--presplit", "--deterministic", "-q"]
    assert main(["align", *common, "-o", str(tmp_path / "a.jsonl")]) == 0
    return tmp_path / "a.jsonl", common


def _links(path):
    return [(r["ru_ids"], r["en_ids"], r.get("dropped")) for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())]


def test_a_crossing_pair_round_trips_through_the_editor(moved, tmp_path):
    path, common = moved
    assert _links(path) == [([0], [0], None), ([1], [5], None), ([2], [1], None), ([], [2], "unaligned"),
                            ([3], [3], None), ([4], [4], None), ([5], [6], None)]
    doc = read_alignment(path)
    # the ids go back after the crossing bead: a new group starts there, each group in reading order
    assert [[s.ids[0] for s in g.en] for g in doc.groups] == [[0, 5], [1, 2, 3, 4, 6]]
    assert [[s.ids[0] for s in g.ru] for g in doc.groups] == [[0, 1], [2, 3, 4, 5]]
    from aligner.review.server import ReviewApp

    journal = Journal.open(path, doc.initial)
    assert len(ReviewApp(doc, journal, path.name).document()["groups"]) == 2
    journal.close()
    for ext in ("jsonl", "tsv", "tmx"):  # no edits: what align wrote
        assert main(["align", *common, "-o", str(tmp_path / f"direct.{ext}")]) == 0
        assert main(["review", str(path), "--export", str(tmp_path / f"rev.{ext}")]) == 0
        assert (tmp_path / f"rev.{ext}").read_bytes() == (tmp_path / f"direct.{ext}").read_bytes(), ext

    from aligner.review.edits import EditError, merge

    with pytest.raises(EditError, match="sentence order breaks"):
        merge(doc.initial, 1)  # across the break
    j = Journal.open(path, doc.initial)
    j.append({"op": "detach", "i": 1, "side": "en"})  # undo the crossing pair: 1-0 and 0-1
    j.append({"op": "merge", "i": 3})  # ru 2 / en 1 with the unaligned en 2 after it
    j.close()
    out = tmp_path / "r.jsonl"
    assert export(path, out) == 5  # pairs; the JSONL also holds the two unaligned beads
    links = _links(out)
    assert sorted(i for r, _, _ in links for i in r) == list(range(6))
    assert sorted(j for _, e, _ in links for j in e) == list(range(7))
    assert links[1:5] == [([1], [], "unaligned"), ([], [5], "unaligned"), ([2], [1, 2], None), ([3], [3], None)]
    # each edited bead says where its own sentences are (not the lines of its group's first bead)
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["ru_lines"], r["en_lines"], r.get("review")) for r in records[:5]] == [
        ("1-1", "1-1", None), ("2-2", "", "edited"), ("", "6-6", "edited"), ("3-3", "2-3", "edited"), ("4-4", "4-4", None)]


def test_a_swapped_pair_round_trips_through_the_editor(tmp_path):
    """``swapped_pairs``: ru 1 / en 2 then ru 2 / en 1, both crossing beads; a new group where the en
    ids go back, and the export without edits is what align wrote."""
    ru, en = tmp_path / "ru.txt", tmp_path / "en.txt"
    ru.write_text("\n".join(SNOW_RU) + "\n", encoding="utf-8")
    en.write_text("\n".join(SWAP_EN) + "\n", encoding="utf-8")
    common = [str(ru), str(en), "--presplit", "--deterministic", "-q"]
    path = tmp_path / "a.jsonl"
    assert main(["align", *common, "-o", str(path)]) == 0
    assert _links(path) == [([0], [0], None), ([1], [2], None), ([2], [1], None), ([3], [3], None),
                            ([4], [4], None), ([5], [5], None)]
    records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert [r["features"].get("crossing") for r in records[1:3]] == [1.0, 1.0]
    doc = read_alignment(path)
    assert [[s.ids[0] for s in g.en] for g in doc.groups] == [[0, 2], [1, 3, 4, 5]]
    for ext in ("jsonl", "tsv", "tmx"):
        assert main(["align", *common, "-o", str(tmp_path / f"direct.{ext}")]) == 0
        assert main(["review", str(path), "--export", str(tmp_path / f"rev.{ext}")]) == 0
        assert (tmp_path / f"rev.{ext}").read_bytes() == (tmp_path / f"direct.{ext}").read_bytes(), ext


def test_a_debris_hole_stays_its_own_group(tmp_path):
    """``debris_holes``: ru 1 (debris) left out of the bead ru 0, 2 is a 1-0 bead after it. Putting it
    back (attach up) would give a bead whose sentences do not read in order, so it is refused."""
    path = tmp_path / "h.jsonl"
    records = [_record("0", [0, 2], [0]), _record("0", [1], []), _record("0", [3], [1])]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    doc = read_alignment(path)
    assert [[s.ids for s in g.ru] for g in doc.groups] == [[(0,), (2,)], [(1,), (3,)]]
    from aligner.review.edits import EditError, attach
    from aligner.review.document import reviewed_beads

    with pytest.raises(EditError, match="sentence order breaks"):
        attach(doc.initial, 1, "up")
    state = attach(doc.initial, 1, "down")  # with the bead after it: ru 1, 3 read in order
    assert [(b.ru_ids, b.en_ids) for b in reviewed_beads(doc, state)] == [((0, 2), (0,)), ((1, 3), (1,))]


def test_an_edited_bead_joins_the_sources_of_its_sentences(tmp_path):
    from aligner.review.document import reviewed_beads
    from aligner.review.edits import detach, merge

    two = {"doc": "a.pdf", "ru_file": "a.pdf", "en_file": "b.srt"}
    records = [{**_record(None, [0], [0]), **two, "ru_lines": "1-1", "en_lines": "3-4", "ru_page": "1",
                "en_time": "00:00:01.000-00:00:02.000"},
               {**_record(None, [1], [1]), **two, "ru_lines": "2-3", "en_lines": "5-5", "ru_page": "2",
                "en_time": "00:00:02.500-00:00:04.000"}]
    for r in records:
        del r["pair"]
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    doc = read_alignment(path)
    joined = reviewed_beads(doc, merge(doc.initial, 0))[0].provenance
    assert (joined["ru_lines"], joined["en_lines"], joined["ru_page"], joined["en_time"]) == (
        "1-3", "3-5", "1-2", "00:00:01.000-00:00:04.000")
    alone = reviewed_beads(doc, detach(doc.initial, 1, "ru"))[1].provenance  # en 1 left alone
    assert (alone["ru_lines"], alone["en_lines"], "ru_page" in alone, alone["en_time"]) == (
        "", "5-5", False, "00:00:02.500-00:00:04.000")
    # a dump: the lines are the block pair's, whatever the edit
    dump = [{**_record("0", [0], [0]), "ru_lines": "10-12", "en_lines": "14-15"},
            {**_record("0", [1], [1]), "ru_lines": "10-12", "en_lines": "14-15"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in dump), encoding="utf-8")
    doc = read_alignment(path)
    for bead in reviewed_beads(doc, detach(doc.initial, 1, "ru")):
        assert (bead.provenance["ru_lines"], bead.provenance["en_lines"]) == ("10-12", "14-15")
