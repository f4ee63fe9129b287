"""`wsis-ledger cancel`: a pledge withdrawn."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import click

from wsis_ledger.commands.options import DATE, data_option
from wsis_ledger.commands.writes import apply, next_id, writable_ledger
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.write.files import sections_to_yaml


@click.command()
@click.argument("pledge_id", metavar="PLEDGE")
@click.option("--date", "on", type=DATE, required=True, help="When it was withdrawn (YYYY-MM-DD).")
@click.option("--note", required=True, help="Why, and on whose word.")
@data_option
def cancel(pledge_id: str, on: date, note: str, data: Path | None) -> None:
    """Record that PLEDGE was withdrawn. The cancellation is its own dated
    record beside the pledge, which is never edited; from that date the
    pledge shows as cancelled and no longer counts in the pledged total
    (statements made before it still do).

    \b
    Examples:
      wsis-ledger cancel p02 --date 2004-03-31 --note "Canada: letter of 31 March" --data my-ledger
    """
    from wsis_ledger.core.models import Pledge

    root = writable_ledger(data)
    done: list[str] = []

    def plan(ledger: Ledger) -> Mapping[Path, str]:
        if not isinstance(ledger.entry_by_id.get(pledge_id), Pledge):
            raise click.BadParameter(f"there is no pledge '{pledge_id}'", param_hint="PLEDGE")
        if pledge_id in ledger.cancellation_of:
            raise click.BadParameter(
                f"the pledge '{pledge_id}' is cancelled already", param_hint="PLEDGE"
            )
        record_id = next_id(f"{pledge_id}-cancelled", {c.id for c in ledger.cancellations})
        record = {"id": record_id, "pledge": pledge_id, "date": on, "note": note}
        done.append(record_id)
        header = "A pledge withdrawn, recorded by wsis-ledger cancel."
        path = root / "journal" / f"{on.isoformat()}-{record_id}.yaml"
        return {path: sections_to_yaml({"cancellations": [record]}, header)}

    apply(root, plan)
    click.echo(f"recorded {done[0]}: {pledge_id} is cancelled from {on}")
