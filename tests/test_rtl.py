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


#: Added to a copy of the accounts' page: it measures the statement of sources and uses as
#: Chromium laid it out (its heading row, an amount, and a line indented under its heading).
ACCOUNTS_PROBE = """<script>
const table = document.querySelector("table.sources_uses");
const cells = [...table.querySelector("thead tr").children].map(c => c.getBoundingClientRect());
const edges = table.getBoundingClientRect();
const amount = table.querySelector("td.n:not(:empty)");
const indented = getComputedStyle(table.querySelector("td.d1"));
document.body.setAttribute("data-probe", JSON.stringify({
  first: cells[0].left, last: cells[cells.length - 1].left,
  firstRight: cells[0].right, lastLeft: cells[cells.length - 1].left,
  tableLeft: edges.left, tableRight: edges.right,
  direction: getComputedStyle(document.documentElement).direction,
  amount: getComputedStyle(amount).direction, amountText: amount.textContent,
  indentLeft: parseFloat(indented.paddingLeft), indentRight: parseFloat(indented.paddingRight),
}));
</script>"""


def laid_out(page: Path, probe: str, tmp_path: Path) -> dict[str, object]:
    """What `probe` measured of `page` as headless Chromium laid it out."""
    assert CHROMIUM is not None
    copy = tmp_path / f"probe-{page.stem}.html"
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"))
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", copy.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, dom[:2000]
    seen: dict[str, object] = json.loads(found.group(1).replace("&quot;", '"'))
    return seen


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_chromium_lays_the_arabic_accounts_out_from_the_right(run: Run, tmp_path: Path) -> None:
    pages = {}
    for lang in ("ar", "en"):
        pages[lang] = tmp_path / f"accounts-{lang}.html"
        result = run("accounts", "--format", "html", "--lang", lang, "-o", pages[lang])
        assert result.exit_code == 0, result.output
    arabic = laid_out(pages["ar"], ACCOUNTS_PROBE, tmp_path)
    assert arabic["direction"] == "rtl"

    def at(seen: dict[str, object], key: str) -> float:
        return float(str(seen[key]))

    # the first column (the item) stands at the table's right edge, the last at its left
    assert at(arabic, "first") > at(arabic, "last")
    assert abs(at(arabic, "firstRight") - at(arabic, "tableRight")) < 1
    assert abs(at(arabic, "lastLeft") - at(arabic, "tableLeft")) < 1
    assert arabic["amount"] == "ltr" and arabic["amountText"]  # amounts left to right inside
    # a line under its heading is indented from where Arabic starts: the right
    assert float(str(arabic["indentRight"])) > float(str(arabic["indentLeft"]))
    english = laid_out(pages["en"], ACCOUNTS_PROBE, tmp_path)
    assert english["direction"] == "ltr" and float(str(english["first"])) < float(
        str(english["last"])
    )
    assert float(str(english["indentLeft"])) > float(str(english["indentRight"]))


def pdf_positions(pdf: Path, texts: tuple[str, ...]) -> dict[str, float]:
    """The left edge (x, in points) of each of `texts` as drawn on the PDF's first page."""
    from pypdf import PdfReader

    found: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        for wanted in texts:
            if wanted in text and wanted not in found:
                found[wanted] = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]

    PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_the_arabic_pdf_puts_each_name_right_of_its_amount(run: Run, tmp_path: Path) -> None:
    """In the printed accounts too: a donor's line reads from the right (its name) to its
    amount on the left, the amount's digits in their own order; English the other way."""
    name = "Government of Japan"  # the ledger gives it in English only
    for lang, amount in (("ar", "796,835"), ("en", "796 835")):
        pdf = tmp_path / f"accounts-{lang}.pdf"
        result = run("accounts", "--format", "pdf", "--lang", lang, "-o", pdf)
        assert result.exit_code == 0, result.output
        at = pdf_positions(pdf, (name, amount))
        assert set(at) == {name, amount}, at  # the amount's digits drawn in order, whole
        assert (at[name] > at[amount]) == (lang == "ar"), (lang, at)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_the_arabic_pdf_runs_its_header_from_the_right(run: Run, tmp_path: Path) -> None:
    """The running header's fund name stands at the top right of an Arabic page (where its
    reader starts), at the top left of an English one."""
    from pypdf import PdfReader

    fund = "ITU special trust fund"  # the ledger gives the fund's name in English
    for lang in ("ar", "en"):
        pdf = tmp_path / f"accounts-{lang}.pdf"
        assert run("accounts", "--format", "pdf", "--lang", lang, "-o", pdf).exit_code == 0
        page = PdfReader(pdf).pages[0]
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        seen: list[tuple[float, float]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
            if fund in text:
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                seen.append((x, y))  # noqa: B023 (each page's own list, read below)

        page.extract_text(visitor_text=visit)
        header = max(seen, key=lambda at: at[1])  # the highest: the running header
        assert header[1] > height * 0.9, seen
        assert (header[0] > width / 2) == (lang == "ar"), (lang, header, width)
