"""`wsis-ledger import`: pledges and receipts from CSV, JSON or YAML, all or nothing."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from wsis_ledger.api import import_records
from wsis_ledger.commands.options import data_option, plural
from wsis_ledger.commands.writes import writable_ledger, write_errors
from wsis_ledger.core import money
from wsis_ledger.core.problems import LedgerError, Problem
from wsis_ledger.render.text import render_rows
from wsis_ledger.write.imports import read_rows

RESULT_COLUMNS = (
    "line",
    "status",
    "type",
    "id",
    "donor",
    "amount",
    "currency",
    "chf",
    "rate",
    "date",
    "purpose",
    "reference",
    "pledge",
)


@click.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@click.option(
    "--add-donors",
    is_flag=True,
    help="Add unknown donors (name as given, kind 'unspecified') instead of refusing.",
)
@click.option(
    "--input-format",
    type=click.Choice(["auto", "csv", "json", "yaml"]),
    default="auto",
    show_default=True,
    help="How FILE is written (auto: by its name, or its first line).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@data_option
def import_(
    file: Path, dry_run: bool, add_donors: bool, input_format: str, fmt: str, data: Path | None
) -> None:
    """Add pledges, receipts and expenditures from FILE (CSV, JSON or YAML; - reads
    standard input). All or nothing: if any row is invalid, nothing is
    written and every bad row is listed with its line. Importing the same
    rows again adds nothing.

    \b
    CSV columns (a header line first):
      type,donor,amount,currency,chf,rate,date,purpose,reference[,pledge][,payee][,description]
    (type expenditure: donor empty, date and description given)

    \b
    Examples:
      wsis-ledger import --data tunis contributions.csv --dry-run
      wsis-ledger import --data tunis contributions.csv --add-donors
      cat rows.json | wsis-ledger import --data tunis - --format json
    """
    root = writable_ledger(data)
    source = Path("<stdin>") if str(file) == "-" else file
    text = _read(file)
    rows, problems = read_rows(text, source, input_format)  # type: ignore[arg-type]
    if problems:
        _refuse(problems)
    lines = [line for line, _ in rows]
    with write_errors():
        try:
            outcome = import_records(
                root,
                [row for _, row in rows],
                add_donors=add_donors,
                dry_run=dry_run,
                source=source,
                numbered=lines,
            )
        except LedgerError as error:  # bad rows, or a ledger the rows would break
            _refuse(error.problems)
    result, written = outcome.plan, outcome.written
    new_status = "would add" if dry_run else "added"
    out = [
        {
            "line": row.line,
            "status": new_status if row.new else "already in the ledger",
            "type": {"pledged": "pledge", "expenditures": "expenditure"}.get(
                row.section, "receipt"
            ),
            **{k: _text(v) for k, v in row.record.items()},
        }
        for row in result.rows
    ]
    click.echo(render_rows(out, RESULT_COLUMNS, fmt), nl=False)
    if fmt == "table":
        files = ", ".join(str(p) for p in written) if written and not dry_run else "no file"
        click.echo(
            f"{plural(len(result.new_rows), 'row')} {new_status}, "
            f"{len(result.rows) - len(result.new_rows)} already in the ledger"
            + (f", {plural(len(result.donors), 'donor')} added" if result.donors else "")
            + f"; wrote {files}."
        )


def _read(file: Path) -> str:
    try:
        raw = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as error:
        raise click.BadParameter(
            f"cannot read {file}: {error.strerror}", param_hint="FILE"
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.BadParameter(
            f"{file} is not UTF-8 text (byte offset {error.start})", param_hint="FILE"
        ) from None


def _refuse(problems: list[Problem]) -> NoReturn:
    for problem in problems:
        click.echo(problem.render(), err=True)
    raise click.ClickException(f"{plural(len(problems), 'problem')}; nothing was imported")


def _text(value: object) -> object:
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return money.format_amount(value)  # type: ignore[arg-type]
