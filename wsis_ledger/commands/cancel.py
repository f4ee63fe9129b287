"""`wsis-ledger cancel`: a pledge withdrawn."""

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
from wsis_ledger.core.language import day, word


@click.command()
@click.argument("pledge_id", metavar="PLEDGE")
@click.option("--date", "on", type=DATE, required=True, help="When it was withdrawn (YYYY-MM-DD).")
@click.option("--note", required=True, help="Why, and on whose word.")
@write_options()
@by_option
@data_option
def cancel(
    pledge_id: str, on: date, note: str, mode: WriteMode, by: str | None, data: Path | None
) -> None:
    """Record that PLEDGE was withdrawn. The cancellation is its own dated
    record beside the pledge, which is never edited; from that date the
    pledge shows as cancelled and no longer counts in the pledged total
    (statements made before it still do).

    \b
    Examples:
      wsis-ledger cancel p02 --date 2004-03-31 --note "Canada: letter of 31 March" --data my-ledger
    """
    root = writable_ledger(data, mode.lang)
    made = record(
        root,
        lambda ledger: records.cancellation(ledger, pledge_id, on, note),
        {"pledge": "PLEDGE"},
        by=by,
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    message = Said(
        lambda lang: word(lang, "said_cancel", "{id}: {pledge} is cancelled from {on}").format(
            id=made.id, pledge=pledge_id, on=day(on, lang)
        )
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)
