"""Screenshot the review editor with Debian's Chromium (for the README's docs/review.png).

Aligns the lighthouse sample, opens it in ``aligner review``, walks to the
2-1 bead, marks a cut and takes the picture. No edit is saved anywhere but
in a temporary folder.

Usage:
    python scripts/review_screenshot.py docs/review.png [--width 1400 --height 860]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.review.browser import browser_page, chromium_missing, review_server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args()
    why = chromium_missing()
    if why:
        print(why, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lighthouse.jsonl"
        corpora = REPO / "corpora"
        subprocess.run([sys.executable, "-m", "aligner", "align", str(corpora / "lighthouse_ru.txt"),
                        str(corpora / "lighthouse_en.txt"), "-o", str(path), "-q"], check=True, cwd=REPO)
        with review_server(path) as url, browser_page(args.width, args.height) as page:
            page.goto(url)
            page.wait_for_selector("body[data-ready='1']")
            page.locator("#list").focus()
            page.keyboard.press("c")  # the title pair: confirmed
            page.wait_for_selector(".row.confirmed[data-i='0']")
            page.locator("#threshold").fill("0.99")
            page.locator("#threshold").dispatch_event("input")
            page.keyboard.press("n")  # jump to the first doubtful bead
            page.keyboard.press("End")
            for _ in range(2):
                page.keyboard.press("k")  # the 2-1 bead, with its suggested cut
            page.wait_for_timeout(300)
            page.screenshot(path=str(args.png))
    print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
