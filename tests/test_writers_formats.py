"""The five output formats: names, columns, TMX header, determinism, streaming."""

from __future__ import annotations

import csv
import json
import tracemalloc
from pathlib import Path

import pytest
from lxml import etree

from aligner.errors import AlignerError
from aligner.model import Bead
from aligner.writers import FORMATS, output_paths, resolve_format, split_path, write
from aligner.writers.tmx import lang_tag, tmx_date, write_tmx

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PINNED = {"creationdate": "20240101T120000Z"}


def beads() -> list[Bead]:
    return [
        Bead(
            (0,),
            (0,),
            "Привет, мир!",
            "Hello, world!",
            0.93456,
            {"sim": 0.8, "margin": 0.1},
            {"doc": "news.txt", "ru_msg_id": "12", "en_msg_id": "13", "date": "2024-05-09", "zeta": "z"},
        ),
        Bead((1, 2), (1,), "Это первая. Это вторая.", "This is one.", 0.5, {}, {"doc": "news.txt"}),
        Bead((3,), (), "Одинокая фраза.", "", 0.0, {}, {"doc": "news.txt"}),
        Bead((), (2,), "", "An orphan line.", 0.0),
    ]


@pytest.mark.parametrize(
    "path,fmt,expected",
    [
        ("out.tmx", None, "tmx"),
        ("OUT.TMX", None, "tmx"),
        ("out.tsv", None, "tsv"),
        ("out.csv", None, "csv"),
        ("out.jsonl", None, "jsonl"),
        ("pairs.XLSX", None, "xlsx"),
        ("corpus.ru", None, "moses"),
        ("corpus.en", None, "moses"),
        ("corpus", "moses", "moses"),
        ("out.txt", "tsv", "tsv"),
        ("out.tmx", "JSONL", "jsonl"),
    ],
)
def test_resolve_format(path, fmt, expected):
    assert resolve_format(path, fmt) == expected


@pytest.mark.parametrize("path,fmt", [("out.txt", None), ("out", None), ("out.tmx", "docx"), ("out.json", None)])
def test_unknown_format_names_the_allowed_ones(path, fmt):
    with pytest.raises(AlignerError) as err:
        resolve_format(path, fmt)
    assert all(name in str(err.value) for name in FORMATS)


@pytest.mark.parametrize(
    "path,fmt,meta,expected",
    [
        ("c.ru", "moses", False, ["c.ru", "c.en"]),
        ("c.en", "moses", False, ["c.ru", "c.en"]),
        ("c", "moses", True, ["c.ru", "c.en", "c.meta.json"]),
        ("o.tsv", "tsv", True, ["o.tsv", "o.tsv.meta.json"]),
        ("o.tmx", "tmx", True, ["o.tmx"]),
    ],
)
def test_output_paths(path, fmt, meta, expected):
    assert [str(p) for p in output_paths(path, fmt, meta)] == expected


@pytest.mark.parametrize(
    "path,fmt,expected",
    [
        ("c.tsv", "tsv", "c.train.tsv"),
        ("c.ru", "moses", "c.train"),
        ("d/c.tmx", "tmx", "d/c.train.tmx"),
        ("c", "jsonl", "c.train"),
    ],
)
def test_split_path(path, fmt, expected):
    assert str(split_path(path, "train", fmt)) == expected


def test_tsv_header_and_columns(tmp_path):
    out = tmp_path / "o.tsv"
    assert write(beads(), out) == 4
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0].split("\t") == [
        "ru",
        "en",
        "score",
        "ru_ids",
        "en_ids",
        "ru_msg_id",
        "en_msg_id",
        "date",
        "doc",
        "zeta",
    ]
    assert lines[1].split("\t") == [
        "Привет, мир!",
        "Hello, world!",
        "0.9346",
        "0",
        "0",
        "12",
        "13",
        "2024-05-09",
        "news.txt",
        "z",
    ]
    assert lines[2].split("\t")[:5] == ["Это первая. Это вторая.", "This is one.", "0.5000", "1,2", "1"]
    assert lines[3].split("\t")[:5] == ["Одинокая фраза.", "", "0.0000", "3", ""]
    assert lines[-1] == "" and len(lines) == 6


def test_csv_reads_back_with_header(tmp_path):
    out = tmp_path / "o.csv"
    write(beads(), out)
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["ru"] == "Привет, мир!" and rows[0]["score"] == "0.9346" and rows[0]["ru_msg_id"] == "12"
    assert rows[1]["ru_ids"] == "1,2"
    assert out.read_bytes().count(b"\r\n") == 5


def test_jsonl_has_every_field(tmp_path):
    out = tmp_path / "o.jsonl"
    write(beads(), out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[0] == {
        "ru": "Привет, мир!",
        "en": "Hello, world!",
        "score": 0.9346,
        "ru_ids": [0],
        "en_ids": [0],
        "kind": "1-1",
        "ru_msg_id": "12",
        "en_msg_id": "13",
        "date": "2024-05-09",
        "doc": "news.txt",
        "zeta": "z",
        "features": {"margin": 0.1, "sim": 0.8},
    }
    assert records[1]["ru_ids"] == [1, 2] and records[1]["kind"] == "2-1"
    assert records[3]["ru_ids"] == [] and records[3]["ru"] == ""


def test_moses_files_have_identical_line_counts(tmp_path):
    write(beads(), tmp_path / "c", "moses")
    ru = (tmp_path / "c.ru").read_text(encoding="utf-8").split("\n")
    en = (tmp_path / "c.en").read_text(encoding="utf-8").split("\n")
    assert len(ru) == len(en) == 5
    assert ru[2] == "Одинокая фраза." and en[2] == ""


def test_tmx_header_and_units(tmp_path):
    out = tmp_path / "o.tmx"
    n = write(beads(), out, meta={**PINNED, "encoder": "use", "thresholds": {"min_score": 0.5}})
    assert n == 2  # beads with an empty side are not translation units
    root = etree.parse(str(out)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert {
        k: header.get(k)
        for k in ("creationtool", "segtype", "o-tmf", "adminlang", "srclang", "datatype", "creationdate")
    } == {
        "creationtool": "aligner",
        "segtype": "sentence",
        "o-tmf": "aligner",
        "adminlang": "en",
        "srclang": "ru",
        "datatype": "plaintext",
        "creationdate": "20240101T120000Z",
    }
    assert header.get("creationtoolversion")
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props == {"x-encoder": "use", "x-thresholds": '{"min_score": 0.5}'}
    tus = root.find("body").findall("tu")
    assert [[tuv.get(XML_LANG) for tuv in tu.findall("tuv")] for tu in tus] == [["ru", "en"], ["ru", "en"]]
    first = {p.get("type"): p.text for p in tus[0].findall("prop")}
    assert first["x-score"] == "0.9346" and first["x-ru_msg_id"] == "12" and first["x-doc"] == "news.txt"
    assert tus[1].findall("tuv")[0].findtext("seg") == "Это первая. Это вторая."


def test_tmx_srclang_en_puts_english_first(tmp_path):
    out = tmp_path / "o.tmx"
    write(beads()[:1], out, meta={**PINNED, "srclang": "en"})
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == "en"
    tuvs = root.find("body/tu").findall("tuv")
    assert [(t.get(XML_LANG), t.findtext("seg")) for t in tuvs] == [("en", "Hello, world!"), ("ru", "Привет, мир!")]


def test_tmx_history_attributes(tmp_path):
    """tuid, creationid and changedate where TMX 1.4b defines them, all from the one pinned date."""
    out = tmp_path / "o.tmx"
    write(beads(), out, meta={**PINNED, "srclang": "en-US", "tgtlang": "ru-RU"})
    root = etree.parse(str(out)).getroot()
    header = root.find("header")
    assert (header.get("creationid"), header.get("changedate")) == ("aligner", "20240101T120000Z")
    tus = root.find("body").findall("tu")
    assert [tu.get("tuid") for tu in tus] == ["1", "2"]
    for tu in tus:
        assert tu.get("creationdate") == tu.get("changedate") == "20240101T120000Z"
        assert tu.get("creationid") == "aligner"
        assert [t.get(XML_LANG) for t in tu.findall("tuv")] == ["en-US", "ru-RU"]
    assert tus[0].findall("tuv")[0].findtext("seg") == "Hello, world!"


@pytest.mark.parametrize("value,lang", [("ru-RU", "ru"), ("en", "en"), ("en-GB", "en"), ("ru", "ru")])
def test_lang_tag_accepts_tags_of_its_language(value, lang):
    assert lang_tag(value, lang) == value


@pytest.mark.parametrize("value,lang", [("fr-FR", "en"), ("en-US", "ru"), ("ru_RU", "ru"), ("", "en"),
                                        ('en"><x', "en")])
def test_lang_tag_rejects_other_languages_and_junk(value, lang):
    with pytest.raises(AlignerError, match="language tag"):
        lang_tag(value, lang)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("19700101T000000Z", "19700101T000000Z"),
        (0, "19700101T000000Z"),
        ("1700000000", "20231114T221320Z"),
        ("2024-05-09T12:30:00+03:00", "20240509T093000Z"),
        ("2024-05-09", "20240509T000000Z"),
    ],
)
def test_tmx_date(value, expected):
    assert tmx_date(value) == expected


def test_tmx_date_rejects_garbage():
    with pytest.raises(AlignerError, match="creation date"):
        tmx_date("yesterday")


def test_source_date_epoch_pins_tmx_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write(beads(), tmp_path / "o.tmx")
    assert 'creationdate="20231114T221320Z"' in (tmp_path / "o.tmx").read_text(encoding="utf-8")


def test_tmx_date_defaults_to_now_in_utc(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    stamp = tmx_date()
    assert len(stamp) == 16 and stamp[8] == "T" and stamp.endswith("Z") and stamp >= "20240101T000000Z"


@pytest.mark.parametrize("fmt", FORMATS)
def test_byte_identical_output(tmp_path, fmt, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    meta = {**PINNED, "encoder": "use", "min_score": "0.5"}
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        write(beads(), tmp_path / run / "out", fmt, meta=meta)
    files_a = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files_a == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in files_a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_sidecar_records_meta_and_rows(tmp_path):
    write(beads(), tmp_path / "o.jsonl", meta={"encoder": "use", "version": "0.1.0"})
    side = json.loads((tmp_path / "o.jsonl.meta.json").read_text(encoding="utf-8"))
    assert side == {"encoder": "use", "version": "0.1.0", "format": "jsonl", "rows": 4, "files": ["o.jsonl"]}


def test_no_sidecar_without_meta(tmp_path):
    write(beads(), tmp_path / "o.tsv")
    assert [p.name for p in tmp_path.iterdir()] == ["o.tsv"]


QUOTED = Bead((0,), (0,), '"Да", - сказал он.', '"Yes," he said. She said "no', 0.9, provenance={"doc": '"a.txt'})


def test_tsv_is_unquoted_so_read_it_with_quote_none(tmp_path):
    """The README's recipe: csv with quoting=csv.QUOTE_NONE gives back a field that starts with '"'."""
    write([QUOTED, *beads()[:2]], tmp_path / "o.tsv")
    with open(tmp_path / "o.tsv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == 3
    assert (rows[0]["ru"], rows[0]["en"], rows[0]["doc"]) == (QUOTED.ru, QUOTED.en, QUOTED.provenance["doc"])
    assert rows[1]["ru"] == "Привет, мир!"
    # Why the README says so: csv's default quoting takes the leading '"' for a quoted field and eats the rest.
    with open(tmp_path / "o.tsv", newline="", encoding="utf-8") as fh:
        naive = list(csv.DictReader(fh, delimiter="\t"))
    assert len(naive) != 3 or naive[0]["ru"] != QUOTED.ru


def test_tsv_with_pandas_quoting_3(tmp_path):
    pd = pytest.importorskip("pandas")
    write([QUOTED, *beads()[:2]], tmp_path / "o.tsv")
    frame = pd.read_csv(tmp_path / "o.tsv", sep="\t", quoting=3, dtype=str, keep_default_na=False)
    assert list(frame["ru"]) == [QUOTED.ru, "Привет, мир!", "Это первая. Это вторая."]
    assert frame["en"][0] == QUOTED.en


def test_provenance_key_clashing_with_a_core_column(tmp_path):
    b = Bead((0,), (0,), "Да.", "Yes.", 0.9, provenance={"score": "from-source"})
    write([b], tmp_path / "o.tsv")
    header, row = (tmp_path / "o.tsv").read_text(encoding="utf-8").splitlines()
    assert header.split("\t")[-1] == "prov_score" and row.split("\t")[-1] == "from-source"


class _Sink:
    """A write-only handle that keeps nothing, so only the writer's own memory is measured."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, s: str) -> int:
        self.chars += len(s)
        return len(s)


def _many(n: int):
    for i in range(n):
        yield Bead(
            (i,),
            (i,),
            f"Предложение номер {i} о погоде.",
            f"Sentence number {i} about the weather.",
            0.9,
            {"sim": 0.8},
            {"doc": "big.txt", "ru_msg_id": str(i)},
        )


def test_tmx_writer_streams_in_flat_memory():
    peaks = []
    for n in (500, 10_000):
        sink = _Sink()
        tracemalloc.start()
        written = write_tmx(_many(n), sink, meta=PINNED)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert written == n and sink.chars > n * 100
    # 20x more pairs, same peak (a few KiB of per-bead temporaries), far below one bead list.
    assert peaks[1] < 2 * peaks[0] + 64 * 1024, peaks
    assert peaks[1] < 1024 * 1024, peaks


def test_write_accepts_a_generator(tmp_path):
    assert write(_many(10), tmp_path / "o.jsonl") == 10
    assert write(_many(10), tmp_path / "o.tsv") == 10
    assert write(_many(10), tmp_path / "o.ru") == 10


def test_path_objects_and_strings(tmp_path):
    assert write(beads(), str(tmp_path / "s.tsv")) == write(beads(), Path(tmp_path / "p.tsv"))
