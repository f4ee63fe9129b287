"""`wsis-ledger receive`: a payment against a pledge."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from wsis_ledger.commands.options import AMOUNT, DATE, RATE, data_option
from wsis_ledger.commands.writes import apply, next_id, writable_ledger
from wsis_ledger.compute.pledges import standing
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Pledge
from wsis_ledger.write.files import sections_to_yaml


@click.command()
@click.argument("pledge_id", metavar="PLEDGE")
@click.option("--amount", type=AMOUNT, required=True, help="The amount received.")
@click.option("--currency", help="Its currency. Default: the pledge's.")
@click.option("--rate", type=RATE, help="CHF per unit of the currency.")
@click.option("--chf", type=AMOUNT, help="What the fund booked in CHF (the rate is derived).")
@click.option("--date", "on", type=DATE, help="When it was received (YYYY-MM-DD).")
@click.option("--reference", help="The payment's own reference.")
@data_option
def receive(
    pledge_id: str,
    amount: Decimal,
    currency: str | None,
    rate: Decimal | None,
    chf: Decimal | None,
    on: date | None,
    reference: str | None,
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
    root = writable_ledger(data)
    written: list[str] = []

    def plan(ledger: Ledger) -> Mapping[Path, str]:
        pledge = ledger.entry_by_id.get(pledge_id)
        if not isinstance(pledge, Pledge):
            raise click.BadParameter(f"there is no pledge '{pledge_id}'", param_hint="PLEDGE")
        paid_in = (currency or pledge.currency or "CHF").upper()
        try:
            money.check_minor_unit(amount, money.check_currency(paid_in))
        except money.MoneyError as error:
            raise click.BadParameter(str(error)) from None
        if paid_in != "CHF" and rate is None and chf is None:
            raise click.UsageError(f"a payment in {paid_in} needs --rate or --chf")
        receipt_id = next_id(f"{pledge.id}-pay", set(ledger.entry_by_id))
        record = {
            "id": receipt_id,
            "donor": pledge.donor,
            "pledge": pledge.id,
            "amount": amount,
            "currency": paid_in,
            "rate": rate,
            "chf": chf,
            "date": on,
            "reference": reference,
            "purpose": pledge.purpose,
        }
        written.append(receipt_id)
        name = f"{(on or date.today()).isoformat()}-{receipt_id}.yaml"
        header = f"A payment against pledge {pledge.id}, recorded by wsis-ledger receive."
        return {root / "journal" / name: sections_to_yaml({"received": [record]}, header)}

    apply(root, plan)
    _, ledger = _reload(root)
    pledge = ledger.entry_by_id[pledge_id]
    assert isinstance(pledge, Pledge)
    now = standing(ledger, pledge)
    click.echo(
        f"recorded {written[0]}: pledge {pledge_id} is {now.status}; "
        f"{money.format_amount(now.remaining)} {now.currency} remains"
    )


def _reload(root: Path) -> tuple[Path, Ledger]:
    from wsis_ledger.source.loading import load

    ledger, _ = load(root)
    assert ledger is not None
    return root, ledger
