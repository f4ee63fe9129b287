"""`wsis-ledger convert`: an amount in CHF at a given or recorded rate."""

from __future__ import annotations

import shlex
from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    DATE,
    data_option,
    document_output,
    format_option,
    open_ledger,
)
from wsis_ledger.compute import conversion
from wsis_ledger.compute.conversion import Rate
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger


@click.command()
@click.argument("amount")
@click.argument("currency")
@click.option("--rate", "rate_text", metavar="R", help="CHF per unit of CURRENCY.")
@click.option("--entry", "entry_id", metavar="ID", help="Use the rate recorded for this entry.")
@click.option("--date", "on", type=DATE, help="Use the ledger's rates table for this date.")
@data_option
@format_option("table", "text", "json", default="table")
@document_output
def convert(
    amount: str,
    currency: str,
    rate_text: str | None,
    entry_id: str | None,
    on: date | None,
    data: Path | None,
    fmt: str,
) -> None:
    """Convert AMOUNT of CURRENCY into CHF, rounded half-up to the fund's
    booking unit (whole francs for the shipped ledger). `--format table`
    prints the amount (`text` is the same); `json` the amount, rate and its
    source.

    \b
    Examples:
      wsis-ledger convert 255000 USD --rate 1.39        # 354450 CHF
      wsis-ledger convert 100000 EUR --entry r11        # Spain's recorded rate
      wsis-ledger convert 500 USD --rate 1.5 --format json
      wsis-ledger rates fetch USD --date 2003-02-14 --source ecb-offline --record --data my-ledger
      wsis-ledger convert 1000 USD --date 2003-02-14 --data my-ledger   # the table's rate
    """
    if sum(given is not None for given in (rate_text, entry_id, on)) != 1:
        raise click.UsageError("give the rate: one of --rate R, --entry ID or --date D")
    try:
        currency = money.check_currency(currency.upper())
    except money.MoneyError as error:
        raise click.BadParameter(str(error), param_hint="CURRENCY") from None
    try:
        value = money.parse_amount(amount, currency)
    except money.MoneyError as error:
        raise click.BadParameter(str(error), param_hint="AMOUNT") from None
    opened = open_ledger(data)
    ledger = opened.records
    if rate_text is not None:
        rate = _given_rate(currency, rate_text)
    elif on is not None:
        rate = _table_rate(ledger, currency, on, opened.root)
    else:
        rate = _entry_rate(ledger, entry_id, currency)
    chf = conversion.convert(value, rate.value, ledger.fund.booking_unit)
    problem = money.converted_problem(chf, ledger.fund.booking_unit)
    if problem is not None:  # the rule every converted figure of the ledger obeys
        raise click.ClickException(
            f"{money.group_thousands(value)} {currency} × {money.format_amount(rate.value)} {problem}"
        )
    if fmt == "json":
        from wsis_ledger.core.json_schema import SCHEMA_VERSION
        from wsis_ledger.render.escape import json_document

        click.echo(
            json_document(
                {
                    "schema_version": SCHEMA_VERSION,
                    "amount": money.format_amount(value),
                    "currency": currency,
                    "rate": money.format_amount(rate.value),
                    "rate_basis": rate.basis,
                    "rate_source": rate.source,
                    "chf": money.format_amount(chf),
                },
                indent=None,
            )
        )
    else:
        click.echo(f"{money.format_amount(chf)} CHF")


def _given_rate(currency: str, text: str) -> Rate:
    try:
        return Rate(currency, money.parse_rate(text), "given", "--rate")
    except money.MoneyError as error:
        raise click.BadParameter(str(error), param_hint="--rate") from None


def _table_rate(ledger: Ledger, currency: str, on: date, root: Path) -> Rate:
    if currency == "CHF":
        return Rate(currency, Decimal(1), "same-currency")
    record = ledger.table_rate(currency, on)
    if record is None:
        raise click.ClickException(
            f"the rates table has no {currency} rate for {on}; {_remedy(currency, on, root)}"
        )
    return Rate(currency, record.rate, "table", record.source)


def _entry_rate(ledger: Ledger, entry_id: str | None, currency: str) -> Rate:
    entry = ledger.entry_by_id.get(entry_id or "")
    if entry is None:
        raise click.BadParameter(f"there is no entry '{entry_id}'", param_hint="--entry")
    rate = conversion.entry_rate(entry, ledger)
    if rate is None:
        raise click.BadParameter(f"the entry '{entry_id}' has no rate", param_hint="--entry")
    if rate.currency != currency:
        raise click.BadParameter(
            f"the entry '{entry_id}' is in {rate.currency}, not {currency}", param_hint="--entry"
        )
    return Rate(currency, rate.value, rate.basis, f"entry {entry_id}: {rate.source or rate.basis}")


def convert_schema() -> dict[str, object]:
    """The schema of `convert --format json`."""
    from wsis_ledger.core.json_schema import AMOUNT, N_TEXT, TEXT, document

    return document(
        "wsis-ledger convert --format json",
        "An amount converted into CHF, with the rate and where it comes from.",
        {
            **{"amount": AMOUNT, "currency": TEXT, "rate": AMOUNT, "rate_basis": TEXT},
            **{"rate_source": N_TEXT, "chf": AMOUNT},
        },
    )


def _remedy(currency: str, on: date, root: Path) -> str:
    """How to record the rate, as commands that work: the ECB's reference (offline, so
    no network is needed) recorded in a ledger that can be written (the shipped one
    cannot: a copy of it first)."""
    from wsis_ledger.api import packaged_ledger, shipped_ledger

    fetch = f"wsis-ledger rates fetch {currency} --date {on} --source ecb-offline --record"
    if root.resolve() in (packaged_ledger().resolve(), shipped_ledger().resolve()):
        return (
            "the shipped ledger is not yours to write: record it in a copy "
            f"('wsis-ledger init my-ledger --copy-of shipped', then '{fetch} --data my-ledger') "
            "and convert with --data my-ledger, or give --rate R"
        )
    folder = shlex.quote(str(root))
    return f"record one ('{fetch} --data {folder}') or give --rate R"
