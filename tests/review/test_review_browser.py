"""End to end in Debian's Chromium: open the lighthouse alignment, edit it, reload, export the TMX."""

from __future__ import annotations

import pytest
from lxml import etree

try:
    from playwright.sync_api import expect
except ImportError:  # the module is skipped below
    expect = None

from aligner.cli import main
from tests.review.browser import browser_page, chromium_missing, review_server

pytestmark = pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or "")

XSS = "<img src=x onerror=alert(1)>"


def open_editor(page, url):
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=20000)


def counters(page) -> str:
    return page.locator("#counters").inner_text()


def select(page, n):
    """Walk to bead ``n`` with the keyboard (Home, then j), as a reviewer would."""
    page.locator("#list").focus()
    page.keyboard.press("Home")
    for _ in range(n):
        page.keyboard.press("j")
    page.wait_for_selector(f".row.sel[data-i='{n}']")


def press(page, key, expect_beads=None):
    page.keyboard.press(key)
    if expect_beads is not None:
        page.wait_for_function(f"() => document.getElementById('counters').textContent.startsWith('{expect_beads} beads')",
                               timeout=10000)


def kind(page, i):
    """The bead kind shown in row ``i``; rows are redrawn on the next animation frame, so callers wait with expect."""
    return page.locator(f".row[data-i='{i}'] .num .kind")


def test_review_in_the_browser_then_export(lighthouse, tmp_path):
    dialogs = []
    with review_server(lighthouse) as url, browser_page() as page:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        open_editor(page, url)
        assert counters(page).startswith("18 beads")
        expect(page.locator(".row[data-i='0'] .ru")).to_contain_text("Маяк на мысе Северном")
        assert 0 < page.locator(".row").count() <= 18  # only the rows in view (and a margin) are drawn

        # merge, then undo it
        select(page, 0)
        press(page, "m", 17)
        expect(kind(page, 0)).to_have_text("2-2")
        press(page, "u", 18)
        expect(kind(page, 0)).to_have_text("1-1")

        # split the 2-1 bead (ru 15,16 / en 15) at its default cuts: ru 1 | 1, en 0 | 1
        select(page, 15)
        expect(kind(page, 15)).to_have_text("2-1")
        press(page, "s", 19)
        expect(kind(page, 15)).to_have_text("1-0")
        expect(kind(page, 16)).to_have_text("1-1")
        expect(page.locator(".row[data-i='15'] .en")).to_contain_text("— unaligned —")

        # detach the first bead's ru sentence: a 0-1 and a 1-0
        select(page, 0)
        page.locator("button[data-action='detach-ru']").click()
        page.wait_for_function("() => document.getElementById('counters').textContent.startsWith('20 beads')")

        # edit a sentence's text, with markup that must stay text
        select(page, 3)
        press(page, "e")
        box = page.locator("#detail-en textarea").first
        box.fill("It was built in 1887 " + XSS + " by A. P. Vorontsov.")
        box.press("Control+Enter")
        page.wait_for_function("() => document.querySelector(\".row[data-i='3'] .en\").textContent.includes('onerror')")
        assert XSS in page.locator(".row[data-i='3'] .en").inner_text()
        assert page.locator("#rows img").count() == 0 and not dialogs

        # confirm a bead
        select(page, 5)
        press(page, "c")
        page.wait_for_selector(".row.confirmed[data-i='5']")
        before = counters(page)
        assert before == "20 beads · reviewed 6 · doubtful 0 · edited 5"  # split: 2, detach: 2, text: 1; +1 confirmed

        # reload: the state and the undo history are kept
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        assert counters(page) == before
        expect(page.locator(".row[data-i='3'] .en")).to_contain_text(XSS)
        assert page.locator("#undo").is_enabled()

        # the page's own TMX download
        with page.expect_download() as info:
            page.locator("#export").click()
        downloaded = tmp_path / "download.tmx"
        info.value.save_as(downloaded)
        assert all(r.startswith(url.split("/", 3)[0] + "//" + url.split("/")[2]) for r in requests)

    # the same through the CLI, with the server stopped
    out = tmp_path / "reviewed.tmx"
    assert main(["review", str(lighthouse), "--export", str(out)]) == 0
    for path in (out, downloaded):
        root = etree.parse(str(path)).getroot()
        tus = root.findall("body/tu")
        review = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in tus]
        segs = [[s.text for s in tu.findall("tuv/seg")] for tu in tus]
        assert len(tus) == 17  # 18 beads; the first detached (its halves are no TUs); the 2-1 split into 1-0 + 1-1
        edited = [r for r in review if r.get("x-review") == "edited"]
        assert len(edited) == 2 and all("x-score" not in r for r in edited)  # the split 1-1 and the corrected text
        assert any(XSS in s[1] for s in segs)
        assert sum(r.get("x-review") == "confirmed" for r in review) == 1
        assert all("x-score" in r for r in review if "x-review" not in r)
        assert "Маяк на мысе Северном" not in [s[0] for s in segs]


def test_a_segment_with_markup_is_shown_as_text(tmp_path):
    ru = tmp_path / "ru.txt"
    en = tmp_path / "en.txt"
    ru.write_text("Маяк стоит на мысе.\nСмотритель <img src=x onerror=alert(1)> живёт там.\n", encoding="utf-8")
    en.write_text("The lighthouse stands on the cape.\nThe keeper <img src=x onerror=alert(1)> lives there.\n",
                  encoding="utf-8")
    path = tmp_path / "x.jsonl"
    assert main(["align", str(ru), str(en), "-o", str(path), "--presplit", "-q"]) == 0
    dialogs = []
    with review_server(path) as url, browser_page() as page:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        open_editor(page, url)
        expect(page.locator(".row[data-i='1'] .ru")).to_contain_text(XSS)
        select(page, 1)
        assert XSS in page.locator("#detail-ru").inner_text()
        page.wait_for_timeout(300)
        assert page.locator("img").count() == 0 and dialogs == []


def test_the_page_without_the_token_is_refused(lighthouse):
    with review_server(lighthouse) as url, browser_page() as page:
        origin = url.rsplit("/", 2)[0]
        response = page.goto(origin + "/")
        assert response.status == 403
        response = page.goto(url.replace("/api", "") + "../")
        assert response.status == 403


def test_search_and_next_doubtful_find_their_beads(lighthouse):
    with review_server(lighthouse) as url, browser_page() as page:
        open_editor(page, url)
        page.locator("#search-side").select_option("en")
        page.locator("#search").fill("museum")
        page.locator("#search").press("Enter")
        page.wait_for_selector(".row.sel[data-i='15']")  # the 2-1 bead: "...open a small museum..."
        assert page.locator("#search-count").inner_text() == "1 of 2"
        page.locator("#search").press("Enter")
        page.wait_for_selector(".row.sel[data-i='16']")  # "...hopes the museum will open..."
        page.locator("#search-side").select_option("ru")
        page.locator("#search").fill("museum")
        page.locator("#search").press("Enter")
        assert page.locator("#search-count").inner_text() == "no match"

        # every score is above 0.5: nothing doubtful; at 0.99 the beads under it, in order
        page.locator("#list").focus()
        page.keyboard.press("Home")
        page.keyboard.press("n")
        assert "no doubtful bead" in page.locator("#message").inner_text()
        page.locator("#threshold").fill("0.99")
        scores = page.evaluate("state.beads.map(b => b[5])")
        under = [i for i, s in enumerate(scores) if s < 0.99]
        assert under and f"doubtful {len(under)}" in counters(page)
        page.locator("#list").focus()
        seen = []
        for _ in under:
            page.keyboard.press("n")
            seen.append(page.evaluate("sel"))
        assert sorted(seen) == under
