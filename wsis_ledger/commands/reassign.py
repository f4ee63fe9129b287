"""`wsis-ledger reassign`: an entry put to another purpose, with the donor's agreement."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from wsis_ledger.api import records
from wsis_ledger.commands.options import DATE, by_option, data_option
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
@click.argument("entry_id", metavar="ENTRY")
@click.option("--purpose", required=True, help="The new purpose, such as core/fellowships.")
@click.option("--note", required=True, help="Why, and the donor's agreement.")
@click.option("--date", "on", type=DATE, help="When it was agreed (YYYY-MM-DD). Default: today.")
@write_options()
@by_option
@data_option
def reassign(
    entry_id: str,
    purpose: str,
    note: str,
    on: date | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Put ENTRY (a contribution or pledge) to another purpose. The change is
    its own dated record beside the entry, which is never edited; reports
    show the entry under its new purpose, marked as reassigned.

    \b
    Examples:
      wsis-ledger reassign r12 --purpose core/fellowships --date 2003-03-03 \\
        --note "Sweden agreed, letter of 3 March" --data my-ledger
    """
    root = writable_ledger(data, mode.lang)
    made = record(
        root,
        lambda ledger: records.reassignment(ledger, entry_id, purpose, note, on),
        {"entry": "ENTRY"},
        by=by,
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    message = Said(
        lambda lang: word(lang, "said_reassign", "{id}: {entry} is now for {purpose}").format(
            id=made.id, entry=entry_id, purpose=purpose
        )
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)
