"""Screenshot an HTML review report with headless Chromium (for the README's docs/report.png).

Usage:
    aligner align corpora/lighthouse_ru.txt corpora/lighthouse_en.txt -o /tmp/l.tmx --report /tmp/report.html
    python scripts/report_screenshot.py /tmp/report.html docs/report.png [--width 1280 --height 1000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# A throw-away headless run: no sandbox (containers, root), no GPU, no network chatter or first-run UI.
HEADLESS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run")


def find_chromium() -> str | None:
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def chromium_command(browser: str, profile: str | Path, *args: str) -> list[str]:
    """The command line of one headless Chromium run with its own profile directory."""
    return [browser, *HEADLESS, f"--user-data-dir={profile}", *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    browser = find_chromium()
    if browser is None:
        print("chromium not found: apt-get install -y chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as profile:
        cmd = chromium_command(browser, profile, "--hide-scrollbars", f"--screenshot={args.png.resolve()}",
                               f"--window-size={args.width},{args.height}", args.report.resolve().as_uri())
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if not args.png.is_file():
        print(proc.stderr[-2000:], file=sys.stderr)
        return 1
    print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
