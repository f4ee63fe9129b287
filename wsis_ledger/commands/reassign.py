"""`wsis-ledger reassign`: an entry put to another purpose, with the donor's agreement."""

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
@click.argument("entry_id", metavar="ENTRY")
@click.option("--purpose", required=True, help="The new purpose, such as core/fellowships.")
@click.option("--note", required=True, help="Why, and the donor's agreement.")
@click.option("--date", "on", type=DATE, help="When it was agreed (YYYY-MM-DD).")
@data_option
def reassign(entry_id: str, purpose: str, note: str, on: date | None, data: Path | None) -> None:
    """Put ENTRY (a contribution or pledge) to another purpose. The change is
    its own dated record beside the entry, which is never edited; reports
    show the entry under its new purpose, marked as reassigned.

    \b
    Examples:
      wsis-ledger reassign r12 --purpose core/fellowships --date 2003-03-03 \
        --note "Sweden agreed, letter of 3 March" --data my-ledger
    """
    root = writable_ledger(data)
    done: list[str] = []

    def plan(ledger: Ledger) -> Mapping[Path, str]:
        if entry_id not in ledger.entry_by_id:
            raise click.BadParameter(f"there is no entry '{entry_id}'", param_hint="ENTRY")
        record_id = next_id(f"{entry_id}-reassigned", {r.id for r in ledger.reassignments})
        record = {"id": record_id, "entry": entry_id, "purpose": purpose, "note": note, "date": on}
        done.append(record_id)
        stamp = on.isoformat() if on else date.today().isoformat()
        header = "A reassignment with the donor's agreement, recorded by wsis-ledger reassign."
        return {
            root / "journal" / f"{stamp}-{record_id}.yaml": sections_to_yaml(
                {"reassignments": [record]}, header
            )
        }

    apply(root, plan)
    click.echo(f"recorded {done[0]}: {entry_id} is now for {purpose}")
