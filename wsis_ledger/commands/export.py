"""`wsis-ledger export`: the ledger for Excel, beancount and hledger."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    as_of_option,
    data_option,
    lang_option,
    open_ledger,
    output_option,
    write_output,
)
from wsis_ledger.core.problems import Problem


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv", "beancount", "ledger"]),
    required=True,
    help="xlsx (Excel), csv, beancount, or ledger (hledger/ledger journal).",
)
@output_option
@lang_option
@as_of_option
@data_option
def export(fmt: str, output: Path | None, lang: str, as_of: date | None, data: Path | None) -> None:
    """Export the ledger: an Excel workbook (one sheet per section, CHF as
    numbers, totals as formulas with their values), CSV, or a beancount or
    hledger journal (every movement in CHF, the original amount kept with
    @@, donors as accounts; the receivable's balance is the report's
    pledged, the cash account's its received plus loans outstanding).

    \b
    Examples:
      wsis-ledger export --format xlsx -o annex.xlsx
      wsis-ledger export --format beancount -o wsis.beancount && bean-check wsis.beancount
      wsis-ledger export --format ledger | hledger -f - balance Income
    """
    from wsis_ledger.render.journal import journal
    from wsis_ledger.render.report import render
    from wsis_ledger.render.xlsx import xlsx

    if fmt == "xlsx" and output is None:
        raise click.UsageError("an Excel workbook is written to a file: give -o FILE")
    # As `report`: printed totals that differ from their rows do not stop the export;
    # they are said on standard error, and it exits 1.
    findings: list[Problem] = []
    opened = open_ledger(data, findings=findings)
    report = opened.position(as_of, lang)
    if fmt in ("beancount", "ledger"):
        _emit(journal(report, fmt).encode("utf-8"), output, opened.root)
    elif fmt == "csv":
        _emit(render(report, "csv").encode("utf-8"), output, opened.root)
    else:
        assert output is not None
        write_output(output, xlsx(report), opened.root)
    for problem in findings:
        click.echo(problem.render(), err=True)
    if findings:
        raise SystemExit(1)


def _emit(data: bytes, output: Path | None, root: Path) -> None:
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_output(output, data, root)
