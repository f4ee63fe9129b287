"""Arabic is written right to left: the HTML report says so, and headless Chromium lays it
out mirrored (the first column on the right), amounts still left to right inside."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Added to a copy of the page (the page itself runs no script): it measures the first
#: table as Chromium laid it out, and writes what it found into the document.
PROBE = """<script>
const row = document.querySelector("table thead tr");
const cells = [...row.children].map(c => c.getBoundingClientRect());
const amount = document.querySelector("table td.n bdi");
document.body.setAttribute("data-probe", JSON.stringify({
  first: cells[0].left, last: cells[cells.length - 1].left, width: window.innerWidth,
  direction: getComputedStyle(document.documentElement).direction,
  amount: amount ? getComputedStyle(amount).direction : null,
  amountText: amount ? amount.textContent : null,
}));
</script>"""


def test_the_arabic_page_is_right_to_left(run: Run, tmp_path: Path) -> None:
    page = tmp_path / "ar.html"
    assert run("report", "--format", "html", "--lang", "ar", "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "المجموع" in html or "مجموع" in html  # the catalog's words, not English ones
    # Amounts keep their own direction: `62,691,030 JPY`, not reordered by the Arabic around it.
    assert '<bdi dir="ltr">62,691,030 JPY</bdi>' in html
    # A donor with no Arabic name in the ledger is shown in English, marked as English.
    assert '<span lang="en" dir="auto">Government of Japan</span>' in html


def test_other_pages_keep_their_direction(run: Run, tmp_path: Path) -> None:
    for lang, tag in (("en", "en"), ("zh", "zh-Hans"), ("fr", "fr")):
        page = tmp_path / f"{lang}.html"
        run("report", "--format", "html", "--lang", lang, "-o", page)
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{tag}">' in html and "<bdi" not in html


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_chromium_lays_the_arabic_table_out_from_the_right(run: Run, tmp_path: Path) -> None:
    page = tmp_path / "ar.html"
    run("report", "--format", "html", "--lang", "ar", "-o", page)
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"))
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, dom[:2000]
    seen = json.loads(found.group(1).replace("&quot;", '"'))
    assert seen["direction"] == "rtl"
    assert seen["first"] > seen["last"]  # the first column (#) stands on the right
    assert seen["first"] > seen["width"] / 2
    assert seen["amount"] == "ltr" and seen["amountText"]
    # The same page in English: the first column on the left.
    page_en = tmp_path / "en.html"
    run("report", "--format", "html", "--lang", "en", "-o", page_en)
    probe.write_text(page_en.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"))
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found
    seen = json.loads(found.group(1).replace("&quot;", '"'))
    assert seen["direction"] == "ltr" and seen["first"] < seen["last"]
