"""The HTML review report: self-contained, escaped, ordered; rendered in headless Chromium."""

from __future__ import annotations

import colorsys
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lhtml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from report_screenshot import chromium_command, find_chromium  # noqa: E402  (shared with the README's screenshot)

from aligner.filters import FilterConfig, apply_filters  # noqa: E402
from aligner.model import AlignmentResult, Bead, Dropped, Source  # noqa: E402
from aligner.report import ordered_rows, render_report, score_color, write_report  # noqa: E402

RU = [
    "Привет & <мир>.",
    "Война закончилась в 1945 году.",
    "Это третья фраза.",
    "Одинокая фраза без пары.",
    "https://t.me/durov/1",
    "<script>alert('ru')</script> Пятая фраза про кошек.",
]
EN = [
    "Hello & <world>.",
    "The war ended in 1954.",
    "This is the third sentence.",
    "https://t.me/durov/1",
    "<script>alert('en')</script> The fifth sentence about cats.",
    "An orphan English line.",
]


def sample_result() -> AlignmentResult:
    beads = [
        Bead((0,), (0,), RU[0], EN[0], 0.95),
        Bead((1,), (1,), RU[1], EN[1], 0.71),
        Bead((2,), (2,), RU[2], EN[2], 0.55),
        Bead((3,), (), RU[3], "", 0.0),
        Bead((4,), (3,), RU[4], EN[3], 0.9),
        Bead((5,), (4,), RU[5], EN[4], 0.25),
        Bead((), (5,), "", EN[5], 0.0),
    ]
    kept, dropped = apply_filters(beads, FilterConfig(min_score=0.3))
    noise = Dropped("noise", "Подписывайтесь на канал! <b>", None, Source("dump.txt", line_start=12))
    result = AlignmentResult(beads=kept, dropped=dropped + [noise], ru_sentences=RU, en_sentences=EN)
    result.stats.inputs = 2
    result.stats.beads = len(beads)
    for d in result.dropped:
        result.stats.drop(d.reason)
    return result


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(sample_result())


def test_self_contained(page):
    doc = lhtml.fromstring(page)
    assert not doc.xpath("//*[@src] | //*[@href] | //link | //iframe | //object | //embed")
    assert "url(" not in page and "@import" not in page
    assert re.findall(r"https?://[^\s\"'<]+", page) == ["http://www.w3.org/2000/svg"] * 2 + ["https://t.me/durov/1"] * 2


def test_everything_is_escaped(page):
    doc = lhtml.fromstring(page)
    assert len(doc.xpath("//script")) == 1  # only ours
    texts = [t.text_content() for t in doc.xpath("//td[contains(@class,'ru')]//span[@class='t']")]
    assert RU[0] in texts and RU[5] in texts
    assert "Подписывайтесь на канал! <b>" in doc.get_element_by_id("removed").text_content()


def test_rows_in_document_order_with_reasons(page):
    doc = lhtml.fromstring(page)
    rows = doc.xpath("//tr[contains(@class,'bead')]")
    assert [r.get("data-reason") for r in rows] == ["", "numbers", "", "unaligned", "url_only", "score", "unaligned"]
    assert [r.xpath("string(td[1])") for r in rows] == [str(i) for i in range(1, 8)]
    assert "no counterpart" in rows[3].xpath("string(td[4])") and "no counterpart" in rows[6].xpath("string(td[3])")
    assert rows[0].get("style") == f"--c:{score_color(0.95)}"


def test_charts(page):
    doc = lhtml.fromstring(page)
    hist = doc.get_element_by_id("histogram")
    assert len(hist.xpath(".//rect")) == 20
    titles = [t.text for t in hist.xpath(".//rect/title")]
    assert "0.9-1.0: 1 kept" in titles and "0.9-1.0: 1 filtered" in titles and "0.2-0.3: 1 filtered" in titles
    reasons = doc.get_element_by_id("reasons")
    bars = {t.text.split(":")[0]: int(t.text.split(": ")[1]) for t in reasons.xpath(".//rect/title")}
    assert bars == {"unaligned": 2, "numbers": 1, "url_only": 1, "score": 1, "noise": 1}


def test_stats_table(page):
    cells = [c.text_content() for c in lhtml.fromstring(page).get_element_by_id("stats").xpath(".//td")]
    stats = dict(zip(cells[::2], cells[1::2]))
    assert stats["beads"] == "7" and stats["beads kept"] == "2" and stats["dropped (all reasons)"] == "6"
    assert stats["sentences ru / en"] == "6 / 6"


def test_empty_result_renders():
    doc = lhtml.fromstring(render_report(AlignmentResult()))
    assert doc.xpath("//tr[contains(@class,'bead')]") == []
    assert "nothing was dropped" in doc.get_element_by_id("reasons").text_content()


def test_order_across_pairs_and_null_beads():
    p1 = {"doc": "d", "ru_lines": "10-12", "en_lines": "13-14"}
    p0 = {"doc": "d", "ru_lines": "1-2", "en_lines": "3-4"}
    a = Bead((0,), (0,), "а", "a", 0.9, provenance=p1)
    b = Bead((), (1,), "", "b", 0.0, provenance=p1)
    c = Bead((1,), (2,), "в", "c", 0.9, provenance=p1)
    d = Bead((0,), (0,), "г", "d", 0.9, provenance=p0)
    result = AlignmentResult(beads=[a, c, d], dropped=[Dropped("unaligned", bead=b)])
    assert [bead for bead, _ in ordered_rows(result)] == [d, a, b, c]


def test_write_report_is_atomic_and_refuses_overwrite(tmp_path):
    out = tmp_path / "r.html"
    write_report(sample_result(), out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    from aligner.errors import OutputError

    with pytest.raises(OutputError, match="--force"):
        write_report(sample_result(), out)


# --- headless Chromium ---------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    pytest.importorskip("PIL", reason="Pillow is needed to read the screenshot (pip install pillow)")
    return path


def run_chromium(browser: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = chromium_command(browser, tmp / "profile", "--disable-dev-shm-usage", *args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp)


def hsl_rgb(css: str) -> tuple[int, int, int]:
    h, s, light = (float(x) for x in re.findall(r"[\d.]+", css))
    r, g, b = colorsys.hls_to_rgb(h / 360, light / 100, s / 100)
    return round(r * 255), round(g * 255), round(b * 255)


def has_colour(pixels: dict, rgb: tuple[int, int, int], tol: int = 3, min_count: int = 200) -> bool:
    return sum(n for c, n in pixels.items() if all(abs(a - b) <= tol for a, b in zip(c, rgb))) >= min_count


def test_report_renders_in_chromium(browser, tmp_path):
    from PIL import Image

    page = tmp_path / "report.html"
    write_report(sample_result(), page)
    shot = tmp_path / "report.png"
    proc = run_chromium(browser, tmp_path, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri())
    assert shot.is_file(), proc.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 900)
    pixels = {rgb: n for n, rgb in image.getcolors(maxcolors=1 << 20)}
    assert len(pixels) > 50, "blank page"
    white = pixels.get((255, 255, 255), 0)
    assert white < 0.9 * 1280 * 900, "almost blank page"
    # The kept beads' score colours (row backgrounds) and the filter-reason badge are on screen.
    assert has_colour(pixels, hsl_rgb(score_color(0.95))), "green row for score 0.95 missing"
    assert has_colour(pixels, hsl_rgb(score_color(0.55))), "yellow row for score 0.55 missing"
    assert has_colour(pixels, (0xC0, 0x50, 0x4D), min_count=100), "reason badges missing"


def test_report_dom_after_scripts(browser, tmp_path):
    page = tmp_path / "report.html"
    write_report(sample_result(), page)
    proc = run_chromium(browser, tmp_path, "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = lhtml.fromstring(proc.stdout)
    assert doc.xpath("//body")[0].get("data-ready") == "1"  # the inline script ran to the end
    assert doc.get_element_by_id("shown").text_content() == "7"  # filled in by the script
    assert doc.get_element_by_id("min-score-value").text_content() == "0.00"
    assert len(doc.xpath("//tr[contains(@class,'bead') and not(contains(@class,'hidden'))]")) == 7


@pytest.mark.parametrize(
    "fragment,shown,reasons",
    [
        ("#min=0.6", 3, ["", "numbers", "url_only"]),
        ("#kept=0&reason=unaligned", 2, ["unaligned", "unaligned"]),
        ("#dropped=0", 2, ["", ""]),
    ],
)
def test_report_filters_run_in_chromium(browser, tmp_path, fragment, shown, reasons):
    page = tmp_path / "report.html"
    write_report(sample_result(), page)
    proc = run_chromium(browser, tmp_path, "--dump-dom", page.as_uri() + fragment)
    doc = lhtml.fromstring(proc.stdout)
    assert doc.get_element_by_id("shown").text_content() == str(shown), proc.stderr[-1000:]
    visible = doc.xpath("//tr[contains(@class,'bead') and not(contains(@class,'hidden'))]")
    assert [r.get("data-reason") for r in visible] == reasons


@pytest.mark.parametrize("n,is_open", [(3, True), (51, False)])
def test_removed_list_folds_when_long(n, is_open):
    drops = [Dropped("noise", f"строка {i}", None) for i in range(n)]
    doc = lhtml.fromstring(render_report(AlignmentResult(dropped=drops)))
    details = doc.xpath("//details")[0]
    assert (details.get("open") is not None) == is_open
    assert len(doc.get_element_by_id("removed").xpath("li")) == n


RU_WORDS = [f"Предложение {w}." for w in ("ноль", "один", "два", "три", "четыре", "пять")]
EN_WORDS = [f"Sentence {w}." for w in ("zero", "one", "two", "three", "four", "five", "six")]


def crossing_result(all_beads: bool) -> tuple[AlignmentResult, list[Bead]]:
    """Two files: ru 1 linked to en 4, which the translation moved down (a crossing pair), and
    en 2 unaligned after the beads in order around it; provenance as align_files gives it."""
    doc = {"doc": "ru.txt", "ru_file": "ru.txt", "en_file": "en.txt"}

    def bead(r, e, score=0.9, **features):
        prov = {**doc, "ru_lines": f"{r[0] + 1}-{r[0] + 1}" if r else "", "en_lines": f"{e[0] + 1}-{e[0] + 1}" if e else ""}
        return Bead(r, e, " ".join(RU_WORDS[i] for i in r), " ".join(EN_WORDS[j] for j in e), score, features, prov)

    order = [bead((0,), (0,)), bead((1,), (5,), crossing=1.0), bead((2,), (1,)), bead((), (2,), 0.0),
             bead((3,), (3,)), bead((4,), (4,), 0.1), bead((5,), (6,))]
    kept, dropped = apply_filters(order, FilterConfig(min_score=0.3))
    result = AlignmentResult(beads=kept, dropped=dropped, all_beads=order if all_beads else [])
    return result, order


def test_order_with_a_crossing_pair_follows_the_aligner():
    result, order = crossing_result(all_beads=True)
    rows = ordered_rows(result)
    assert [b for b, _ in rows] == order  # the unaligned en 2 after ru 2, not last (its ru_lines are empty)
    assert [d.reason if d else None for _, d in rows] == [None, None, None, "unaligned", None, "score", None]


def test_order_with_a_crossing_pair_from_the_ids_alone():
    result, order = crossing_result(all_beads=False)  # a result built by hand: ids only
    # the crossing bead's en 5 does not pull the unaligned en 2 in front of it
    assert [b for b, _ in ordered_rows(result)] == order


def test_report_of_a_crossing_pair_shows_every_sentence_once():
    result, order = crossing_result(all_beads=True)
    doc = lhtml.fromstring(render_report(result))
    rows = doc.xpath("//tr[contains(@class,'bead')]")
    ru = [s.text_content() for r in rows for s in r.xpath("td[contains(@class,'ru')]//span[@class='t']")]
    en = [s.text_content() for r in rows for s in r.xpath("td[contains(@class,'en')]//span[@class='t']")]
    assert ru == RU_WORDS
    assert sorted(en) == sorted(EN_WORDS) and en[1] == EN_WORDS[5]
