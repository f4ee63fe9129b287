"""Tables say what they are: every amount column its currency, every table its headings,
an empty section "none recorded" (in every writer), and `check` what it compared."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Run

import wsis_ledger
from wsis_ledger.render.cells import Section
from wsis_ledger.render.layout import layout

EXAMPLE = Path(__file__).parent.parent / "examples" / "fund"


def sections(root: Path | None, lang: str) -> tuple[Section, ...]:
    return layout(wsis_ledger.open_ledger(root).position(None, lang))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("where", ["shipped", "example"])
def test_every_column_of_chf_amounts_says_chf(lang: str, where: str) -> None:
    unit = "瑞士法郎" if lang == "zh" else "CHF"
    seen = 0
    for section in sections(EXAMPLE if where == "example" else None, lang):
        for i, column in enumerate(section.columns):
            assert column.label, f"{section.key}: column {column.key} has no heading"
            amounts = [r.cells[i] for r in section.rows if isinstance(r.cells[i], Decimal)]
            if not amounts:
                continue
            seen += 1
            if section.key == "summary":  # mixed figures: each row's label says its unit
                for row in section.rows:
                    if isinstance(row.cells[i], Decimal):
                        assert unit in str(row.cells[0]), (section.key, row.cells[0])
            else:
                assert unit in column.label, (section.key, column.key, column.label)
    assert seen >= 4  # the check looked at real amount columns


def test_the_summary_has_headings_and_units(run: Run) -> None:
    text = run("report", "--format", "markdown").output
    summary = text.split("## Summary")[1]
    header = next(line for line in summary.splitlines() if line.startswith("|"))
    assert [c.strip() for c in header.strip("|").split("|")] == ["Item", "Figure"]
    assert "| Received \\(CHF\\) " in summary  # Markdown's parentheses escaped
    zh = run("report", "--format", "markdown", "--lang", "zh").output
    assert "| 项目 " in zh and "收到捐款（瑞士法郎）" in zh


def test_loans_with_drawings_say_chf_in_every_amount_column(run: Run, ledger_dir: Path) -> None:
    draw = ("loan", "draw", "1000", "--date", "2003-01-15", "--use", "x", "--data", ledger_dir)
    assert run(*draw).exit_code == 0
    loans = run("report", "--data", ledger_dir).output.split("2. Loans")[1].split("3. ")[0]
    for heading in ("Up to (CHF)", "Drawn (CHF)", "Repaid (CHF)", "Outstanding (CHF)"):
        assert heading in loans


@pytest.fixture
def empty(run: Run, tmp_path: Path) -> Path:
    root = tmp_path / "new"
    assert run("init", root).exit_code == 0
    return root


@pytest.mark.parametrize(
    ("fmt", "lang", "said"),
    [
        ("table", "en", "None recorded."),
        ("markdown", "en", "None recorded."),
        ("html", "en", "None recorded."),
        ("table", "zh", "无记录。"),
    ],
)
def test_a_section_with_no_entries_says_none_recorded(
    run: Run, empty: Path, fmt: str, lang: str, said: str
) -> None:
    text = run("report", "--data", empty, "--format", fmt, "--lang", lang).output
    # received, pledged, loans, seconded, facilities, staff: none has an entry
    assert text.count(said) == 6
    assert "Total received" not in text and "Donor" not in text


def test_excel_lists_none_recorded_among_the_notes(run: Run, empty: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "new.xlsx"
    assert run("export", "--format", "xlsx", "-o", out, "--data", empty).exit_code == 0
    book = load_workbook(io.BytesIO(out.read_bytes()))
    notes = [row[1] for row in book["Notes"].iter_rows(min_row=2, values_only=True)]
    assert notes.count("None recorded.") == 6
    assert "1.1 Received" not in book.sheetnames


def test_a_section_with_entries_keeps_its_table(run: Run) -> None:
    text = run("report").output
    assert "None recorded." not in text
    assert "Total received" in text


def test_check_without_stated_totals_says_so(run: Run, empty: Path) -> None:
    result = run("check", "--data", empty)
    assert result.exit_code == 0
    assert "0 stated totals" not in result.output
    assert "no statement states a total to compare" in result.output


def test_check_with_stated_totals_counts_them(run: Run) -> None:
    result = run("check")
    assert result.exit_code == 0
    assert "2 stated totals match" in result.output
