"""What the source does not state is unknown in every output, never a 0 (trial of
session 7, finding 4).

The shipped annex records no expenditure: the report states no cash, fund balance or
expenditure, and no loans drawn (a facility with no drawing recorded). The Python API's
documented way to read the accounts, SQLite's views, the journals, JSON, CSV, XLSX and
the text all say so; the figures the annex does give stay exact.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

from conftest import Run
from openpyxl import load_workbook

from wsis_ledger.api import open_ledger

RECEIVED, PLEDGED = Decimal("2243419"), Decimal("3030450")


def test_every_output_shows_an_unknown_as_unknown(run: Run, tmp_path: Path) -> None:
    report = json.loads(run("report", "--format", "json").stdout)
    nulls = [key for key, value in report["totals"].items() if value is None]
    assert {"cash", "fund_balance", "expenditure", "loans_drawn"} <= set(nulls)
    assert Decimal(report["totals"]["received"]) == RECEIVED
    assert Decimal(report["totals"]["pledged"]) == PLEDGED

    # The Python API, read as docs/interfaces.md shows.
    accounts = open_ledger().accounts()
    for key in ("closing", "cash", "unrestricted", "total_net_assets", "expenditure"):
        assert accounts.figure(key) is None, key
    assert accounts.figure("contributions") == RECEIVED

    # SQLite: NULL where the report is null, the annex's figures exact.
    database = tmp_path / "wsis.sqlite"
    assert run("export", "--format", "sqlite", "-o", database).exit_code == 0
    with closing(sqlite3.connect(database)) as connection:
        connection.row_factory = sqlite3.Row
        (fund,) = connection.execute("SELECT not_stated FROM funds").fetchall()
        assert fund["not_stated"].split(",") == nulls
        view = connection.execute("SELECT * FROM report_totals").fetchone()
        for key in ("expenditure", "support_costs", "loans_drawn", "other_income"):
            assert view[f"{key}_minor"] is None, key
        assert view["received_minor"] == RECEIVED * 100
        assert view["pledged_minor"] == PLEDGED * 100
        years = connection.execute("SELECT * FROM sources_and_uses_by_year").fetchall()
        assert [row["change_in_cash_minor"] for row in years] == [None]
        assert years[0]["received_undated_minor"] == RECEIVED * 100

    # The journals: their header names the totals the report does not state.
    for flavour in ("beancount", "ledger"):
        text = run("export", "--format", flavour).stdout
        header = next(x for x in text.splitlines() if x.startswith("; not stated by the"))
        assert header.split(": ", 1)[1].split(", ") == nulls

    # CSV of the report: empty where null; the accounts' CSV and XLSX: "not stated".
    rows = csv.DictReader(io.StringIO(run("report", "--format", "csv").stdout))
    totals = {row["id"]: row["chf"] for row in rows if row["section"] == "total"}
    assert totals["cash"] == "" and totals["expenditure"] == ""
    rows = csv.DictReader(io.StringIO(run("accounts", "--format", "csv").stdout))
    closing_row = next(row for row in rows if row["line"] == "closing")
    assert closing_row["chf"] == ""
    book = tmp_path / "accounts.xlsx"
    assert run("accounts", "--format", "xlsx", "-o", book).exit_code == 0
    cells = [c.value for sheet in load_workbook(book) for row in sheet.iter_rows() for c in row]
    assert "not stated" in cells
    assert "not stated" in run("accounts").stdout
