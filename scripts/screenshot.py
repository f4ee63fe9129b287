"""Write docs/report.png: the HTML report of the shipped ledger, as headless Chromium shows it.

python scripts/screenshot.py [--chromium PATH] [--lang ar|zh|en|fr|ru|es] [--size 1100,1500]

It runs `wsis-ledger report --format html` (the installed tool, on the ledger shipped
with it), then Chromium with `--headless --screenshot`. SOURCE_DATE_EPOCH is set (to
its value, else the last commit's time) so the page's "generated" line does not
change the picture between two runs on the same tree.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "report.png"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def source_date_epoch() -> str:
    """SOURCE_DATE_EPOCH as set, else the last commit's time, else 0."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    ran = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
        capture_output=True,
        text=True,
        check=False,
    )
    return ran.stdout.strip() or "0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--lang", default="en", choices=["ar", "zh", "en", "fr", "ru", "es"])
    parser.add_argument("--size", default="1100,1500", help="window WIDTH,HEIGHT in pixels")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("WSIS_LEDGER")
    }
    environment["SOURCE_DATE_EPOCH"] = source_date_epoch()
    tool = Path(sys.executable).parent / "wsis-ledger"
    with tempfile.TemporaryDirectory() as scratch:
        page = Path(scratch) / "annex.html"
        subprocess.run(
            [str(tool), "report", "--format", "html", "--lang", args.lang, "-o", str(page)],
            cwd=scratch,  # no ./data here: the shipped ledger
            env=environment,
            check=True,
        )
        shot = Path(scratch) / "report.png"
        subprocess.run(
            [
                args.chromium,
                *FLAGS,
                f"--user-data-dir={Path(scratch) / 'profile'}",
                f"--window-size={args.size}",
                f"--screenshot={shot}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
        if shot.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            print(f"{args.chromium} wrote no PNG", file=sys.stderr)
            return 1
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
