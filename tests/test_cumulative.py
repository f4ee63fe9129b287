"""The annex gives only a cumulative position as of 2002-12-20 (trial of session 7, finding 1).

Its entries carry no date: before that day, what they held is not stated, never 0, in
`report --as-of`, in `accounts` (a period holding the day runs from a start the source
does not give; one ending before it states nothing), and in every format. The annex's
totals stay exact: received CHF 2 243 419, pledged CHF 3 030 450.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import Run

from wsis_ledger.api import open_ledger

RECEIVED, PLEDGED = Decimal("2243419"), Decimal("3030450")


def test_before_the_annex_the_report_states_no_total(run: Run) -> None:
    before = ["--as-of", "2002-06-30"]
    document = json.loads(run("report", "--format", "json", *before).stdout)
    unknown = document["cumulative"]["totals_not_stated"]
    assert document["cumulative"]["as_of"] == "2002-12-20"
    assert {"received", "pledged", "received_and_pledged", "loan_ceiling"} <= set(unknown)
    assert all(document["totals"][key] is None for key in unknown)
    assert document["received"]["total"] is None and document["pledged"]["total"] is None
    assert document["loans"]["total_ceiling"] is None
    assert any("cumulative position as of 2002-12-20" in n for n in document["ledger_notes"])
    table = run("report", *before).stdout
    received = next(line for line in table.splitlines() if line.startswith("Received "))
    assert received.split()[-2:] == ["not", "stated"]
    assert "Loan ceiling" in table and " 0\n" not in table
    rows = csv.DictReader(io.StringIO(run("report", "--format", "csv", *before).stdout))
    totals = {row["id"]: row for row in rows if row["section"] == "total"}
    assert totals["received"]["chf"] == "" and totals["received"]["note"] == "not stated"
    # On the day, and without --as-of: the annex's own totals, exact.
    for args in ([], ["--as-of", "2002-12-20"]):
        on = json.loads(run("report", "--format", "json", *args).stdout)
        assert on["cumulative"] is None
        assert Decimal(on["totals"]["received"]) == RECEIVED
        assert Decimal(on["totals"]["pledged"]) == PLEDGED


def test_the_accounts_run_from_a_start_the_source_does_not_give(run: Run) -> None:
    text = run("accounts").stdout
    assert "cumulative to 2002-12-20, from a start the source does not give" in text
    assert "for the period 2002-12-20 to 2002-12-20" not in text
    opening = next(line for line in text.splitlines() if line.startswith("Opening balance"))
    assert opening.endswith("not stated")
    document = json.loads(run("accounts", "--format", "json").stdout)
    assert document["cumulative"] == {
        "as_of": "2002-12-20",
        "from_unknown_start": ["2002"],
        "not_stated": [],
    }
    lines = {line["key"]: line for line in document["statements"][0]["lines"]}
    assert lines["opening"]["values"] == [None]
    assert Decimal(lines["contributions"]["values"][0]) == RECEIVED
    notes = {note["note"]: note for note in document["notes"]}
    assert any("from a start it does not give" in t for t in notes["not_stated"]["text"])
    # A year ending before the annex's date: nothing in it is stated.
    before = json.loads(run("accounts", "--year", "2001", "--format", "json").stdout)
    assert before["cumulative"]["not_stated"] == ["2001"]
    for statement in before["statements"]:
        for line in statement["lines"]:
            assert line["values"] is None or line["values"] == [None], line
    rows = csv.DictReader(io.StringIO(run("accounts", "--year", "2001", "--format", "csv").stdout))
    figures = [row for row in rows if row["statement"] == "sources_uses"]
    assert figures and all(row["chf"] == "" for row in figures)


def test_the_api_gives_none_where_the_accounts_state_nothing(ledger_dir: Path) -> None:
    ledger = open_ledger(ledger_dir)
    accounts = ledger.accounts(date(2001, 1, 1), date(2001, 12, 31))
    assert accounts.figure("contributions") is None and accounts.figure("closing") is None
    whole = ledger.accounts()
    assert whole.figure("opening") is None
    assert whole.figure("contributions") == RECEIVED
