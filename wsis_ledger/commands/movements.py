"""`wsis-ledger income`, `refund` and `charge`: other income (interest), a refund to a
donor, a bank charge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from wsis_ledger.api import NewRecord, OpenLedger, records
from wsis_ledger.commands.options import AMOUNT, DATE, RATE, by_option, data_option
from wsis_ledger.commands.writes import (
    Said,
    WriteMode,
    done_of,
    finish,
    record,
    writable_ledger,
    write_options,
)
from wsis_ledger.core.language import number, word
from wsis_ledger.core.ledger import Ledger

HINTS = {"amount": "AMOUNT", "rate": "--rate", "donor": "DONOR"}


@click.command()
@click.argument("amount", type=AMOUNT)
@click.argument("currency", default="CHF")
@click.option("--date", "on", type=DATE, required=True, help="When it came in (YYYY-MM-DD).")
@click.option(
    "--kind",
    type=click.Choice(["interest", "other"]),
    default="interest",
    show_default=True,
    help="Interest on the fund's balance, or other income.",
)
@click.option("--description", help="What it is (the bank's statement, the source).")
@click.option("--rate", type=RATE, help="CHF per unit of the currency.")
@click.option("--chf", type=AMOUNT, help="What the fund booked in CHF (the rate is derived).")
@click.option("--reference", help="The bank's own reference.")
@write_options()
@by_option
@data_option
def income(
    amount: Decimal,
    currency: str,
    on: date,
    kind: str,
    description: str | None,
    rate: Decimal | None,
    chf: Decimal | None,
    reference: str | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Record other income of AMOUNT (in CURRENCY, CHF by default): interest on the
    fund's balance, or other income. It is a source of funds in `accounts`, not a
    contribution.

    \b
    Examples:
      wsis-ledger income 412.50 --date 2024-12-31 --description "Interest 2024" --data my-fund
      wsis-ledger income 300 EUR --rate 0.94 --kind other --date 2024-06-30 --data my-fund
    """
    _record(
        data,
        by,
        mode,
        "other_income",
        rate is not None and chf is not None,
        lambda ledger: records.cash_movement(
            ledger,
            "other_income",
            amount,
            on=on,
            currency=currency,
            rate=rate,
            chf=chf,
            kind=kind,
            description=description,
            reference=reference,
        ),
    )


@click.command()
@click.argument("donor")
@click.argument("amount", type=AMOUNT)
@click.argument("currency", default="CHF")
@click.option("--date", "on", type=DATE, required=True, help="When it was paid back.")
@click.option("--receipt", help="The receipt (its id) whose money goes back.")
@click.option("--rate", type=RATE, help="CHF per unit of the currency.")
@click.option("--chf", type=AMOUNT, help="What the fund booked in CHF (the rate is derived).")
@click.option("--reference", help="The payment's own reference.")
@write_options()
@by_option
@data_option
def refund(
    donor: str,
    amount: Decimal,
    currency: str,
    on: date,
    receipt: str | None,
    rate: Decimal | None,
    chf: Decimal | None,
    reference: str | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Record a refund of AMOUNT (in CURRENCY, CHF by default) to DONOR (its id): an
    unspent balance or an overpayment paid back. Refused (exit 1, nothing written)
    where the receipt is another donor's, where more would go back than it brought, or
    where it would take the fund's cash below zero.

    \b
    Examples:
      wsis-ledger refund gamma 5000 --date 2024-11-15 --receipt r2 --data my-fund
    """
    _record(
        data,
        by,
        mode,
        "refunds",
        rate is not None and chf is not None,
        lambda ledger: records.cash_movement(
            ledger,
            "refunds",
            amount,
            on=on,
            currency=currency,
            rate=rate,
            chf=chf,
            donor=donor,
            receipt=receipt,
            reference=reference,
        ),
    )


@click.command()
@click.argument("amount", type=AMOUNT)
@click.argument("currency", default="CHF")
@click.option("--date", "on", type=DATE, required=True, help="When the bank took it.")
@click.option("--description", help="What it is for (a transfer, the account's fee).")
@click.option("--rate", type=RATE, help="CHF per unit of the currency.")
@click.option("--chf", type=AMOUNT, help="What the fund booked in CHF (the rate is derived).")
@click.option("--reference", help="The bank's own reference.")
@write_options()
@by_option
@data_option
def charge(
    amount: Decimal,
    currency: str,
    on: date,
    description: str | None,
    rate: Decimal | None,
    chf: Decimal | None,
    reference: str | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Record a bank charge of AMOUNT (in CURRENCY, CHF by default), taken from the
    fund's cash. Refused (exit 1, nothing written) where it would take the cash below
    zero.

    \b
    Examples:
      wsis-ledger charge 35 --date 2024-03-01 --description "Transfer fee" --data my-fund
    """
    _record(
        data,
        by,
        mode,
        "bank_charges",
        rate is not None and chf is not None,
        lambda ledger: records.cash_movement(
            ledger,
            "bank_charges",
            amount,
            on=on,
            currency=currency,
            rate=rate,
            chf=chf,
            description=description,
            reference=reference,
        ),
    )


def _record(
    data: Path | None,
    by: str | None,
    mode: WriteMode,
    section: str,
    both_rates: bool,
    make: Callable[[Ledger], NewRecord],
) -> None:
    """Record what `make` builds, then say what it did to the fund balance and cash."""
    if both_rates:
        raise click.UsageError("give --rate or --chf, not both")
    root = writable_ledger(data, mode.lang)
    after: list[OpenLedger] = []
    made = record(root, make, HINTS, after, by=by, dry_run=mode.dry_run, lang=mode.lang)
    position = after[0].position()
    row = next(m for m in position.movements.rows if m.kind == section and m.id == made.id)
    totals = position.totals
    message = Said(
        lambda lang: word(
            lang, "said_movement", "{id}: {chf} CHF; fund balance {balance} CHF, cash {cash} CHF"
        ).format(
            id=made.id,
            chf=number(row.chf, lang),
            balance=number(totals.fund_balance, lang),
            cash=number(totals.cash, lang),
        )
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)
