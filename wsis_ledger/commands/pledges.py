"""`wsis-ledger pledges`: each pledge, what was paid, what remains."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    DATE,
    as_of_option,
    data_option,
    format_option,
    open_ledger,
)
from wsis_ledger.compute import conversion
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.render.text import render_rows

COLUMNS = (
    "id",
    "donor",
    "currency",
    "amount",
    "chf",
    "paid",
    "paid_chf",
    "remaining",
    "remaining_chf",
    "outstanding_chf",
    "status",
    "age_days",
    "age_from",
    "exchange_difference",
)


@click.command()
@click.option("--outstanding", is_flag=True, help="Only pledges not yet paid in full.")
@click.option("--on", "on", type=DATE, help="The date ages are counted to. Default: today.")
@as_of_option
@click.option(
    "--revalue",
    type=DATE,
    metavar="DATE",
    help="Show what remains of foreign-currency pledges at the ECB reference rate of DATE.",
)
@data_option
@format_option("table", "markdown", "csv", "json")
def pledges(
    outstanding: bool,
    on: date | None,
    as_of: date | None,
    revalue: date | None,
    data: Path | None,
    fmt: str,
) -> None:
    """List each pledge with what was paid and what remains, in its own
    currency and in CHF; its status (open, partly paid, paid, cancelled); for
    what remains, its age; and the exchange difference (CHF the payments
    brought, less the CHF the paid part was booked at).

    A pledge with no date of its own is aged from its statement's date
    (age_from: statement). outstanding_chf is what the report counts as
    pledged: nothing once a pledge is cancelled.

    \b
    Examples:
      wsis-ledger pledges
      wsis-ledger pledges --outstanding --format json
      wsis-ledger pledges --outstanding --revalue 2003-06-30   # exposure to exchange rates
    """
    opened = open_ledger(data)
    ledger = opened.records
    on = on or as_of or date.today()
    rows: list[dict[str, object]] = []
    for row in opened.position(as_of).all_pledges:
        s = row.standing
        assert s is not None
        if outstanding and s.status not in ("open", "partly paid"):
            continue
        keeps_age = s.status in ("open", "partly paid")
        rows.append(
            {
                "id": row.id,
                "donor": row.donor,
                "currency": s.currency,
                "amount": money.format_amount(s.amount),
                "chf": money.format_amount(s.chf),
                "paid": money.format_amount(s.paid),
                "paid_chf": money.format_amount(s.paid_chf),
                "remaining": money.format_amount(s.remaining),
                "remaining_chf": money.format_amount(s.remaining_chf),
                "outstanding_chf": money.format_amount(s.outstanding_chf),
                "status": s.status,
                "age_days": s.age_days(on) if keeps_age else None,
                "age_from": ("statement" if s.since_statement else "pledge")
                if keeps_age and s.since
                else None,
                "exchange_difference": money.format_amount(s.exchange_difference),
            }
        )
    columns: tuple[str, ...] = COLUMNS
    if revalue is not None:
        _revalue(ledger, rows, revalue)
        columns = (*COLUMNS, "reference_rate", "reference_date", "revalued_chf", "revaluation")
    click.echo(render_rows(rows, columns, fmt, key="pledges"), nl=False)


def _revalue(ledger: Ledger, rows: list[dict[str, object]], on: date) -> None:
    """Beside what remains of each foreign-currency pledge: its CHF at the reference rate."""
    from wsis_ledger.source.reference_rates import ECBReference, ProviderUnavailable

    reference = ECBReference()
    for row in rows:
        currency, remaining = str(row["currency"]), Decimal(str(row["remaining"]))
        if currency == "CHF" or not remaining or row["status"] == "cancelled":
            continue
        try:
            found = reference.rate(currency, on)
        except ProviderUnavailable as error:
            raise click.ClickException(str(error)) from None
        if found is None:
            continue
        revalued = conversion.convert(remaining, found.value, ledger.fund.booking_unit)
        row.update(
            {
                "reference_rate": money.format_amount(found.value),
                "reference_date": found.day.isoformat(),
                "revalued_chf": money.format_amount(revalued),
                "revaluation": money.format_amount(revalued - Decimal(str(row["remaining_chf"]))),
            }
        )
