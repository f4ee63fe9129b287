"""`wsis-ledger close`, `reopen` and `approve`: closed periods and a second person."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from wsis_ledger import api
from wsis_ledger.commands.options import DATE, NAME, by_option, data_option
from wsis_ledger.commands.writes import (
    Said,
    WriteMode,
    done_of,
    finish,
    run_write,
    writable_ledger,
    write_options,
)
from wsis_ledger.core.language import counted, day, word


@click.command()
@click.option(
    "--through", type=DATE, required=True, help="The last day of the period (YYYY-MM-DD)."
)
@click.option("--note", help="A note on the close (the audit, the report it goes with).")
@write_options()
@by_option
@data_option
def close(
    through: date, note: str | None, mode: WriteMode, by: str | None, data: Path | None
) -> None:
    """Close the period through a day: a closing record holding the SHA-256
    of every record dated on or before it, and the period's totals. After
    it, a write dated in the period is refused, and `check` names any
    record of it added, changed or removed by hand. Refused where the
    period is closed already, or where it would close part of a statement
    dated after it.

    \b
    Examples:
      wsis-ledger close --through 2024-06-30 --note "Audited, report of 31 July 2024" --data my-fund
    """
    root = writable_ledger(data, mode.lang)
    made = run_write(
        root,
        lambda found: api.close_period(root, through, by=by, note=note, dry_run=mode.dry_run),
        {"through": "--through", "note": "--note"},
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    count = len(made.fields.get("records") or {})  # type: ignore[arg-type]
    message = Said(
        lambda lang: counted(
            lang,
            "said_close",
            "{id}: the period through {through} is closed ({count} record)",
            "{id}: the period through {through} is closed ({count} records)",
            count,
            id=made.id,
            through=day(through, lang),
        )
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)


@click.command()
@click.option("--through", type=DATE, required=True, help="The last day of the closed period.")
@click.option("--reason", required=True, help="Why the period is reopened.")
@write_options()
@by_option
@data_option
def reopen(through: date, reason: str, mode: WriteMode, by: str | None, data: Path | None) -> None:
    """Reopen the period closed through a day, saying why: its records may
    change again. The reopening is a recorded write (`wsis-ledger log`
    lists it); close the period again when the change is made.

    \b
    Examples:
      wsis-ledger reopen --through 2023-12-31 --reason "Auditor's adjustment" --data my-fund
    """
    root = writable_ledger(data, mode.lang)
    made = run_write(
        root,
        lambda found: api.reopen_period(root, through, reason, by=by, dry_run=mode.dry_run),
        {"through": "--through", "reason": "--reason"},
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    message = Said(
        lambda lang: word(
            lang, "said_reopen", "{id}: the period through {through} is open again"
        ).format(id=made.id, through=day(through, lang))
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)


@click.command()
@click.argument("record_id", metavar="ID")
@click.option("--by", type=NAME, required=True, help="Who approves (a second person).")
@click.option("--note", help="A note on the approval.")
@write_options()
@data_option
def approve(record_id: str, by: str, note: str | None, mode: WriteMode, data: Path | None) -> None:
    """Approve the record ID (an expenditure, a loan drawing) as a second
    person. The ledger's `approval:` setting (in its fund) says which
    records need one; `check` warns of each without one, or approved only
    by its recorder.

    \b
    Examples:
      wsis-ledger loan draw 200000 --date 2024-06-01 --use "Conference hall" --data my-fund
      wsis-ledger spend 150000 --date 2024-06-03 --description "Hall" --data my-fund   # exp-1
      wsis-ledger approve exp-1 --by "Bea Keller" --data my-fund
    """
    root = writable_ledger(data, mode.lang)
    made = run_write(
        root,
        lambda found: api.approve(root, record_id, by=by, note=note, dry_run=mode.dry_run),
        {"record": "ID", "by": "--by", "note": "--note"},
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    message = Said(
        lambda lang: word(lang, "said_approve", "{id}: {record} approved by {by}").format(
            id=made.id, record=record_id, by=by
        )
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)
