from __future__ import annotations

import time
from pathlib import Path

import pytest

from aligner.langid import detect, label_paragraphs, may_join_block, strip_markup
from aligner.model import Paragraph, Source

DATA = Path(__file__).parent / "data" / "langid_lines.tsv"


def _rows() -> list[tuple[str, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        label, text = line.split("\t", 1)
        rows.append((label, text))
    return rows


def test_labelled_set_is_big_and_varied():
    rows = _rows()
    assert len(rows) >= 300
    labels = {lab for lab, _ in rows}
    assert labels == {"ru", "en", "other"}
    assert sum(len(t) < 20 for _, t in rows) >= 60  # many short lines


def test_accuracy_on_labelled_lines(capsys):
    rows = _rows()
    long_rows = [(lab, t) for lab, t in rows if len(t) >= 20]
    short_rows = [(lab, t) for lab, t in rows if len(t) < 20]
    long_wrong = [(lab, detect(t), t) for lab, t in long_rows if detect(t) != lab]
    short_ok = sum(detect(t) == lab for lab, t in short_rows)
    long_acc = 1 - len(long_wrong) / len(long_rows)
    with capsys.disabled():
        print(f"\nlangid: {long_acc:.2%} on {len(long_rows)} lines >= 20 chars; "
              f"{short_ok / len(short_rows):.2%} on {len(short_rows)} shorter lines")
    assert long_acc >= 0.995, long_wrong


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Read in full", "en"),
        ("Читать полностью", "ru"),
        ("19.06.2025", "other"),
        ("🔥1", "other"),
        ("#RussiaChina", "en"),
        ("#РоссияКитай", "ru"),
        ("Київ", "other"),
        ("Дзякуй за ўвагу!", "other"),
        ("Београд и Москва потписали су споразум о сарадњи.", "other"),
        ("Министерството на външните работи на България", "other"),
        ("Подъезд дома был закрыт.", "ru"),
        ("Details: https://mid.ru/ru/foreign_policy/news/ and more", "en"),
        ("Подробности: https://example.com/a/very/long/english/path/with/words", "ru"),
        ("@MFARussia 🇷🇺 Министр выступил на форуме", "ru"),
        ("Le président a rencontré le ministre des Affaires étrangères à Paris.", "other"),
        ("", "other"),
    ],
)
def test_detect(text, lang):
    assert detect(text) == lang


def test_detect_is_deterministic():
    text = "Ела судака"
    assert len({detect(text) for _ in range(20)}) == 1


def test_strip_markup_removes_urls_tags_and_emoji():
    assert strip_markup("🔥 see https://t.me/x @chan #tag now").split() == ["see", "now"]


def test_detect_whole_file_is_fast_and_sampled():
    text = ("Министр иностранных дел России выступил на пленарном заседании. " * 20 + "\n") * 8000
    assert len(text) > 10_000_000
    t0 = time.perf_counter()
    assert detect(text) == "ru"
    assert time.perf_counter() - t0 < 1.0


def test_label_paragraphs_splits_mixed_lines():
    src = Source(file="f", post_id="7", line_start=10, line_end=13)
    p = Paragraph("President Putin met the delegation.\nПрезидент Путин встретился с делегацией.\n2025\nЧитать полностью", source=src)
    out = label_paragraphs([p])
    assert [(q.lang, q.text.split("\n")[0][:9]) for q in out] == [("en", "President"), ("ru", "Президент")]
    assert (out[0].source.line_start, out[0].source.line_end) == (10, 10)
    assert (out[1].source.line_start, out[1].source.line_end) == (11, 13)
    assert out[1].source.post_id == "7"


def test_label_paragraphs_keeps_single_language_paragraph_whole():
    p = Paragraph("Первая строка поста.\nВторая строка поста, с датой 19.06.2025.")
    out = label_paragraphs([p])
    assert len(out) == 1 and out[0].lang == "ru" and out[0].text == p.text


@pytest.mark.parametrize(("text", "lang", "fits"), [
    ("Тут упала другая капля.", "ru", True),
    ("— Да, в «Adrienne Lecouvreur»", "ru", True),  # mostly Latin, but Russian words
    ("Це українська новина.", "ru", False),  # a Ukrainian letter
    ("Das ist ein deutscher Satz.", "ru", False),
    ("2. Conservative or Bourgeois Socialism", "en", True),
    ("Das ist ein deutscher Satz.", "en", True),
    ("Тут упала другая капля.", "en", False),
    ("2023", "en", False),
    ("Тут упала другая капля.", "other", False),
])
def test_may_join_block(text, lang, fits):
    """What an ``other`` line standing inside a block of ``lang`` may be (pairing.make_blocks)."""
    assert may_join_block(text, lang) is fits
