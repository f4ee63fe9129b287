"""`wsis-ledger receive`: a payment against a pledge."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from wsis_ledger.api import OpenLedger, records
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
from wsis_ledger.core.language import word


@click.command()
@click.argument("pledge_id", metavar="PLEDGE")
@click.option("--amount", type=AMOUNT, required=True, help="The amount received.")
@click.option("--currency", help="Its currency. Default: the pledge's.")
@click.option("--rate", type=RATE, help="CHF per unit of the currency.")
@click.option("--chf", type=AMOUNT, help="What the fund booked in CHF (the rate is derived).")
@click.option(
    "--date",
    "on",
    type=DATE,
    help="When it was received (YYYY-MM-DD; default: today, recorded as such).",
)
@click.option("--reference", help="The payment's own reference.")
@write_options()
@by_option
@data_option
def receive(
    pledge_id: str,
    amount: Decimal,
    currency: str | None,
    rate: Decimal | None,
    chf: Decimal | None,
    on: date | None,
    reference: str | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Record a payment against PLEDGE (its id). A pledge may be paid in
    parts, and in another currency than it was pledged in.

    \b
    Examples:
      wsis-ledger receive p01 --amount 100000 --rate 1.4255 --date 2003-02-14 --data my-ledger
      wsis-ledger receive p02 --amount 500000 --currency CHF --date 2003-03-01 --data my-ledger
    """
    if rate is not None and chf is not None:
        raise click.UsageError("give --rate or --chf, not both")
    root = writable_ledger(data, mode.lang)
    after: list[OpenLedger] = []
    made = record(
        root,
        lambda ledger: records.payment(
            ledger,
            pledge_id,
            amount,
            currency=currency,
            rate=rate,
            chf=chf,
            on=on,
            reference=reference,
        ),
        {"pledge": "PLEDGE", "amount": "--amount"},
        after,
        by=by,
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    pledge = next(p for p in after[0].position().all_pledges if p.id == pledge_id)
    assert pledge.standing is not None
    now = pledge.standing
    from wsis_ledger.render.labels import money_text, value_word

    message = Said(
        lambda lang: word(
            lang, "said_receive", "{id}: pledge {pledge} is {status}; {money} remains"
        ).format(
            id=made.id,
            pledge=pledge_id,
            status=value_word(now.status, lang),
            money=money_text(now.remaining, now.currency, lang),
        )
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)
