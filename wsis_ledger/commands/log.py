"""`wsis-ledger log`: every write, who made it and when."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    DATE,
    NAME,
    data_option,
    format_option,
    lang_option,
    ledger_folder,
)
from wsis_ledger.core import money
from wsis_ledger.core.problems import LedgerError, display_path
from wsis_ledger.render.rows import render_rows

COLUMNS = (
    "recorded_at",
    "recorded_by",
    "kind",
    "id",
    "amount",
    "currency",
    "party",
    "file",
    "line",
    "commit",
    "author",
    "warning",
)


@click.command()
@click.option("--since", type=DATE, help="Writes recorded on or after this day (UTC).")
@click.option("--until", type=DATE, help="Writes recorded on or before this day (UTC).")
@click.option("--by", type=NAME, help="Writes recorded by this person.")
@format_option("table", "json", "csv")
@data_option
@lang_option
def log(
    since: date | None, until: date | None, by: str | None, fmt: str, data: Path | None, lang: str
) -> None:
    """Every write to the ledger, in the order it was recorded: when (UTC),
    by whom, what (the kind of record, its id, amount and donor or payee) and
    in which file. In a git work tree, also the commit that added each file
    and its author, and a warning where a file was changed after it was
    committed by someone other than its recorder. Files written by hand,
    without `recorded_by`, are not listed.

    \b
    Examples:
      wsis-ledger log --data my-fund
      wsis-ledger log --since 2024-01-01 --by "Ana Diaz" --data my-fund
      wsis-ledger log --format csv --data my-fund
      wsis-ledger log --lang ru --data my-fund
    """
    from wsis_ledger.api import write_log

    root = ledger_folder(data)
    try:
        entries = write_log(root, since=since, until=until, by=by)
    except LedgerError as error:
        for problem in error.problems:
            click.echo(problem.render(lang=lang), err=True)
        raise click.ClickException("the ledger cannot be read") from None
    rows: list[dict[str, object]] = [
        {
            "recorded_at": e.write.at,
            "recorded_by": e.write.by,
            "kind": e.write.kind or None,
            "id": e.write.id,
            "amount": money.format_amount(e.write.amount) if e.write.amount is not None else None,
            "currency": e.write.currency,
            "party": e.write.party,
            "file": display_path(e.write.path),
            "line": e.write.line or None,
            "commit": e.commit,
            "author": e.author,
            # A table tells the warning in `lang`; CSV and JSON keep its English, which
            # scripts read.
            "warning": (e.warning.in_language(lang) if fmt == "table" else str(e.warning))
            if e.warning
            else None,
        }
        for e in entries
    ]
    columns: tuple[str, ...] = COLUMNS
    if fmt == "table":  # a table shows the git columns only where there is git
        columns = tuple(c for c in COLUMNS if c not in ("commit", "author", "warning"))
        if any(row["commit"] for row in rows):
            columns += ("commit", "author")
            for row in rows:
                row["commit"] = str(row["commit"] or "")[:12] or None
        if any(row["warning"] for row in rows):
            columns += ("warning",)
    # A table's headings in `lang` (the kinds are the ledger's own section names; CSV and
    # JSON keep the field names).
    from wsis_ledger.core.language import word
    from wsis_ledger.core.visible import visible
    from wsis_ledger.render.labels import field_headings

    named = field_headings({c: c for c in columns}, lang) if fmt == "table" else None
    table = render_rows(
        rows, columns, fmt, key="writes", amounts=("amount",), headings=named, lang=lang
    )
    click.echo(table, nl=False)
    for entry in entries:
        if entry.warning:
            where = f"{display_path(entry.write.path)}: {entry.warning.in_language(lang)}"
            click.echo(
                word(lang, "warning_line", "warning: {warning}").format(warning=visible(where)),
                err=True,
            )


def log_schema() -> dict[str, object]:
    """The schema of `log --format json`."""
    from wsis_ledger.core.json_schema import N_COUNT
    from wsis_ledger.render.rows import rows_schema

    return rows_schema(
        "wsis-ledger log --format json", "writes", COLUMNS, ("amount",), {"line": N_COUNT}
    )
