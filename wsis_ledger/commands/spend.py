"""`wsis-ledger spend`: an expenditure."""

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
from wsis_ledger.core.language import number, word


@click.command()
@click.argument("amount", type=AMOUNT)
@click.argument("currency", default="CHF")
@click.option("--date", "on", type=DATE, required=True, help="When it was spent (YYYY-MM-DD).")
@click.option("--description", required=True, help="What it was spent on.")
@click.option("--purpose", help="The earmark it is spent from (such as core/fellowships).")
@click.option("--payee", help="Who was paid.")
@click.option("--rate", type=RATE, help="CHF per unit of the currency.")
@click.option("--chf", type=AMOUNT, help="What the fund booked in CHF (the rate is derived).")
@click.option("--phase", help="The phase (its id) the expenditure belongs to.")
@click.option("--reference", help="The payment's own reference.")
@write_options()
@by_option
@data_option
def spend(
    amount: Decimal,
    currency: str,
    on: date,
    description: str,
    purpose: str | None,
    payee: str | None,
    rate: Decimal | None,
    chf: Decimal | None,
    phase: str | None,
    reference: str | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Record an expenditure of AMOUNT (in CURRENCY, CHF by default), with
    the programme support costs the fund's rate charges on it. Refused
    (exit 1, nothing written) where it would take the fund's cash below
    zero on any date: draw on a loan facility first.

    \b
    Examples:
      wsis-ledger spend 12000 --date 2024-05-02 --description "Printing" --purpose meetings --data my-fund
      wsis-ledger spend 5000 USD --rate 0.9 --date 2024-05-03 --description "Fellow's travel" --data my-fund
    """
    if rate is not None and chf is not None:
        raise click.UsageError("give --rate or --chf, not both")
    root = writable_ledger(data, mode.lang)
    after: list[OpenLedger] = []
    made = record(
        root,
        lambda ledger: records.expenditure(
            ledger,
            amount,
            on=on,
            description=description,
            currency=currency,
            rate=rate,
            chf=chf,
            purpose=purpose,
            phase=phase,
            payee=payee,
            reference=reference,
        ),
        {"amount": "AMOUNT", "rate": "--rate", "phase": "--phase", "purpose": "--purpose"},
        after,
        by=by,
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    if purpose is not None:
        _warn_earmark(after[0], purpose, mode.lang)
    position = after[0].position()
    row = next(x for x in position.spending.expenditures if x.id == made.id)
    totals = position.totals
    message = Said(
        lambda lang: word(
            lang,
            "said_spend",
            "{id}: {chf} CHF and {support} CHF support costs; fund balance {balance} CHF, "
            "cash {cash} CHF",
        ).format(
            id=made.id,
            chf=number(row.chf, lang),
            support=number(row.support, lang),
            balance=number(totals.fund_balance, lang),
            cash=number(totals.cash, lang),
        )
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)


def _warn_earmark(opened: OpenLedger, purpose: str, lang: str) -> None:
    """The earmark (at any level of `purpose`) spent beyond what was received for it,
    said at once, as `check` would say it, in `lang` (the write goes through: it is a
    warning)."""
    from wsis_ledger.compute.spending import purpose_levels
    from wsis_ledger.compute.spending_checks import warn_earmarks

    levels = set(purpose_levels(purpose))
    for problem in warn_earmarks(opened.records):
        if any(f"on '{level}' than" in problem.message for level in levels):
            line = word(lang, "warning_line", "warning: {warning}")
            click.echo(line.format(warning=problem.render(opened.root, lang)), err=True)
