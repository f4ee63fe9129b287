"""Every export keeps the marks of what the source does not say (trial of session 7,
finding 5): derived rates say "derived" in the workbook, the original amount's currency
is a cell of its own, the ledger's notes (rates far from the ECB's reference) reach the
workbook and the journals, and a donor's name that is the ledger's reading says so."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run
from openpyxl import load_workbook


def test_the_workbook_and_journals_keep_the_marks(run: Run, tmp_path: Path) -> None:
    report = json.loads(run("report", "--format", "json").stdout)
    derived = [
        e["id"]
        for section in ("received", "pledged")
        for e in report[section]["entries"]
        if e["rate_basis"] == "derived"
    ]
    assert len(derived) == 10
    (note,) = report["ledger_notes"]
    book_path = tmp_path / "annex.xlsx"
    assert run("export", "--format", "xlsx", "-o", book_path).exit_code == 0
    book = load_workbook(book_path)
    marked = 0
    for title in ("1.1 Received", "1.2 Pledged"):
        rows = list(book[title].iter_rows(values_only=True))
        header = rows[0]
        exact = header.index("Rate (CHF per unit) (exact)")
        currency = header.index("Original: Currency")
        for row in rows[1:]:
            if isinstance(row[exact], str) and row[exact].endswith(" (derived)"):
                marked += 1
                assert row[currency] in ("JPY", "USD", "EUR", "CAD")
    assert marked == len(derived)
    notes = [cell for row in book["Notes"].iter_rows(values_only=True) for cell in row]
    assert note in notes
    readings = [e for e in report["received"]["entries"] if e.get("reading")]
    assert readings
    for flavour in ("beancount", "ledger"):
        text = run("export", "--format", flavour).stdout
        assert f"; note: {note}" in text
        for entry in readings:
            block = text.split(f"{entry['id']}: received", 1)[1].split("\n\n", 1)[0]
            assert "donor-name" in block and "the ledger's reading" in block
