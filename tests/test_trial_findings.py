"""Findings 6, 7 and 13 of the session 7 trial: what `report` and `accounts` say of the
same money, a refund of restricted money, and a derived rate a reader can multiply by."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from conftest import Run

from wsis_ledger.api import open_ledger
from wsis_ledger.core import money

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fund"


def test_the_accounts_reconcile_their_contributions_with_the_reports_received(run: Run) -> None:
    """Finding 6: received 434 000 in the report, contributions 433 000 and realised gains
    1 000 in the accounts: a note says they are the same money, and the report's summary
    shows the gains as part of the exchange difference, not beside it."""
    data = ["--data", EXAMPLE]
    report = json.loads(run("report", "--format", "json", "--as-of", "2024-12-31", *data).stdout)
    document = json.loads(run("accounts", "--format", "json", "--year", "2024", *data).stdout)
    lines = {
        line["key"]: line["values"][-1]
        for line in document["statements"][0]["lines"]
        if line["values"]  # a heading has none
    }
    received = Decimal(report["totals"]["received"])
    parts = Decimal(lines["contributions"]) + Decimal(lines["exchange_gains"])
    assert parts - Decimal(lines["exchange_losses"]) == received
    basis = next(n for n in document["notes"] if n["note"] == "basis")["text"]
    said = next(t for t in basis if t.startswith("The report's received"))
    assert money.format_amount(received) in said.replace(" ", "").replace("\u00a0", "")
    summary = run("report", "--as-of", "2024-12-31", *data).stdout
    assert "of which: realised exchange gains" in summary


def test_a_refund_of_restricted_money_lowers_its_purposes_balance(run: Run) -> None:
    """Finding 7: rf1 returns 5 000 USD (4 500 CHF) of r2, given for fellowships."""
    ledger = open_ledger(EXAMPLE)
    position = ledger.position()
    refund = next(r for r in position.movements.refunds if r.id == "rf1")
    assert refund.receipt == "r2" and refund.chf == Decimal(4500)
    accounts = ledger.accounts()
    restricted = dict(accounts.position.restricted)
    earmark = next(e for e in position.spending.earmarks if e.purpose == "fellowships")
    assert restricted["fellowships"] == earmark.balance - refund.chf
    assert accounts.position.assets == accounts.position.liabilities + accounts.position.net_assets
    assert ("fellowships", Decimal(4500)) in accounts.notes.refunded
    text = run("accounts", "--data", EXAMPLE).stdout
    assert "Refunds of contributions given for fellowships (4 500)" in text


def test_a_derived_rate_shown_gives_back_the_booked_chf(run: Run) -> None:
    """Finding 13: 62 691 030 JPY at the 0.0127105 shown gives 796 834, not the booked
    796 835; a table shows the fewest digits that give it back."""
    position = open_ledger().position()
    for row in (*position.receipts, *position.all_pledges):
        if row.rate is None or row.rate.basis != "derived" or row.amount is None:
            continue
        assert row.rate.shown is not None
        back = money.multiply(row.amount, row.rate.shown).quantize(Decimal(1), "ROUND_HALF_UP")
        assert back == row.chf, row.id
    assert "0.01271051 (derived)" in run("report").stdout
