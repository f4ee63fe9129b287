"""`wsis-ledger convert`: an amount in CHF at a given or recorded rate."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import conversion, money
from ..conversion import Rate
from ..ledger import Ledger
from .options import data_option, format_option, open_ledger


@click.command()
@click.argument("amount")
@click.argument("currency")
@click.option("--rate", "rate_text", metavar="R", help="CHF per unit of CURRENCY.")
@click.option("--entry", "entry_id", metavar="ID", help="Use the rate recorded for this entry.")
@data_option
@format_option("text", "json", default="text")
def convert(
    amount: str,
    currency: str,
    rate_text: str | None,
    entry_id: str | None,
    data: Path | None,
    fmt: str,
) -> None:
    """Convert AMOUNT of CURRENCY into CHF, rounded half-up to the fund's
    booking unit (whole francs for the shipped ledger).

    \b
    Examples:
      wsis-ledger convert 255000 USD --rate 1.39        # 354450 CHF
      wsis-ledger convert 100000 EUR --entry r11        # Spain's recorded rate
      wsis-ledger convert 500 USD --rate 1.5 --format json
    """
    if (rate_text is None) == (entry_id is None):
        raise click.UsageError("give the rate: either --rate R or --entry ID")
    try:
        currency = money.check_currency(currency.upper())
        value = money.parse_amount(amount, currency)
    except money.MoneyError as error:
        raise click.BadParameter(str(error)) from None
    ledger = open_ledger(data)
    rate = (
        _given_rate(currency, rate_text) if rate_text else _entry_rate(ledger, entry_id, currency)
    )
    chf = conversion.convert(value, rate.value, ledger.fund.booking_unit)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "amount": money.format_amount(value),
                    "currency": currency,
                    "rate": money.format_amount(rate.value),
                    "rate_basis": rate.basis,
                    "rate_source": rate.source,
                    "chf": money.format_amount(chf),
                },
                ensure_ascii=False,
            )
        )
    else:
        click.echo(f"{money.format_amount(chf)} CHF")


def _given_rate(currency: str, text: str) -> Rate:
    try:
        return Rate(currency, money.parse_rate(text), "given", "--rate")
    except money.MoneyError as error:
        raise click.BadParameter(str(error), param_hint="--rate") from None


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
