"""`wsis-ledger donor`: one donor's statement."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    as_of_option,
    data_option,
    format_option,
    lang_option,
    open_ledger,
)

COLUMNS = ("kind", "id", "date", "amount", "currency", "chf", "status", "remaining_chf", "detail")


@click.command()
@click.argument("name")
@data_option
@format_option("table", "markdown", "csv", "json")
@lang_option
@as_of_option
def donor(name: str, data: Path | None, fmt: str, lang: str, as_of: date | None) -> None:
    """One donor's statement: everything NAME (an id, a name or an alias)
    gave, pledged and paid, with what remains of each pledge, and the staff
    and facilities it provided; with totals.

    \b
    Examples:
      wsis-ledger donor sdc
      wsis-ledger donor "Government of Japan" --format json
      wsis-ledger donor 日本政府 --lang zh
    """
    from wsis_ledger.compute import conversion
    from wsis_ledger.compute.pledges import standing
    from wsis_ledger.core import money
    from wsis_ledger.core.ledger import known_on
    from wsis_ledger.core.models import Pledge
    from wsis_ledger.render.text import render_rows
    from wsis_ledger.write.imports import DonorIndex

    ledger = open_ledger(data)
    if as_of is not None:
        ledger = known_on(ledger, as_of)
    index = DonorIndex(ledger)
    donor_id = index.find(name)
    if donor_id is None:
        close = index.suggest(name)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise click.BadParameter(f"there is no donor '{name}'{hint}", param_hint="NAME")
    unit = ledger.fund.booking_unit
    rows: list[dict[str, object]] = []
    received = pledged = remaining = Decimal(0)
    for entry in ledger.entries:
        if entry.donor != donor_id:
            continue
        chf = conversion.chf_value(entry, unit, ledger) or Decimal(0)
        row: dict[str, object] = {
            "kind": "pledged" if isinstance(entry, Pledge) else "received",
            "id": entry.id,
            "date": entry.date.isoformat() if entry.date else None,
            "amount": money.format_amount(entry.amount) if entry.amount is not None else None,
            "currency": entry.currency,
            "chf": money.format_amount(chf),
            "detail": ledger.purpose_of.get(entry.id),
        }
        if isinstance(entry, Pledge):
            now = standing(ledger, entry)
            row.update(status=now.status, remaining_chf=money.format_amount(now.remaining_chf))
            pledged += chf
            remaining += now.remaining_chf if now.status != "cancelled" else 0
        else:
            received += chf
            if getattr(entry, "pledge", None):
                row["detail"] = f"pays {entry.pledge}"  # type: ignore[attr-defined]
        rows.append(row)
    experts = 0
    for secondment in ledger.seconded:
        if secondment.donor == donor_id:
            experts += secondment.experts
            detail = "part-time" if secondment.part_time else ""
            rows.append(
                {
                    "kind": "seconded",
                    "id": secondment.id,
                    "amount": str(secondment.experts),
                    "currency": "experts",
                    "detail": detail,
                }
            )
    for facility in ledger.facilities:
        if facility.donor == donor_id:
            rows.append(
                {
                    "kind": "facilities",
                    "id": facility.id,
                    "detail": ", ".join(i.get(lang) for i in facility.items),
                }
            )
    for staff in ledger.staff:
        if staff.donor == donor_id:
            rows.append(
                {
                    "kind": "staff",
                    "id": staff.id,
                    "detail": f"full-time {staff.full_time}, part-time {staff.part_time}",
                }
            )
    for support in ledger.direct_support:
        if support.donor == donor_id:
            rows.append(
                {
                    "kind": "direct support",
                    "id": support.id,
                    "chf": money.format_amount(support.chf),
                    "detail": support.what.get(lang) if support.what else None,
                }
            )
    totals = {
        "received": money.format_amount(received),
        "pledged": money.format_amount(pledged),
        "pledged_remaining": money.format_amount(remaining),
        "experts": experts,
    }
    who = {
        "id": donor_id,
        "name": ledger.donor_name(donor_id, lang),
        "kind": ledger.donor_by_id[donor_id].kind,
    }
    if fmt == "json":
        click.echo(
            json.dumps({"donor": who, "rows": rows, "totals": totals}, ensure_ascii=False, indent=2)
        )
        return
    if fmt != "csv":
        click.echo(f"{who['name']} ({who['id']}, {who['kind']})\n")
    click.echo(render_rows(rows, COLUMNS, fmt, key="rows"), nl=False)
    if fmt != "csv":
        click.echo(
            f"\nreceived {money.group_thousands(received)} CHF; pledged {money.group_thousands(pledged)} CHF, "
            f"of which {money.group_thousands(remaining)} CHF remains; {experts} seconded experts."
        )
