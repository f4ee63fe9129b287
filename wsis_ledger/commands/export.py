"""`wsis-ledger export`: the ledger for Excel, beancount and hledger."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from wsis_ledger.commands.options import (
    as_of_option,
    data_option,
    format_from_output,
    lang_option,
    open_ledger,
    output_option,
    write_output,
)
from wsis_ledger.core.errors import EXIT_FINDINGS
from wsis_ledger.core.problems import Problem
from wsis_ledger.render import escape

if TYPE_CHECKING:
    from wsis_ledger.api import OpenLedger
    from wsis_ledger.compute.position import Position


#: `--separator` choices: what each writes between columns.
SEPARATORS = {",": ",", ";": ";", "tab": "\t"}
#: The UTF-8 byte order mark, by which Excel tells UTF-8 from its own code page.
BOM = "\ufeff".encode()


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv", "beancount", "ledger", "iati", "sqlite"]),
    callback=format_from_output,
    help="xlsx (Excel: the format for a spreadsheet, numbers as numbers in every "
    "language), csv, beancount, ledger (hledger/ledger journal), "
    "iati (IATI 2.03 activity file) or sqlite (a database for SQL tools). Default: by "
    "the extension of -o FILE (.xlsx, .csv, .beancount, .journal, .xml, .sqlite).",
)
@click.option(
    "--separator",
    type=click.Choice(list(SEPARATORS)),
    default=",",
    show_default=True,
    help="csv: the column separator; ';' for Excel set for French, German or Swiss "
    "conventions (amounts keep their decimal point: XLSX is the format for Excel).",
)
@click.option(
    "--bom",
    is_flag=True,
    help="csv: start with a UTF-8 byte order mark, by which Excel knows the file is "
    "UTF-8 (names with accents or in Chinese).",
)
@click.option(
    "--per",
    type=click.Choice(["fund", "phase"]),
    default="fund",
    show_default=True,
    help="iati: one activity for the fund, or one per phase (and one for what no phase holds).",
)
@click.option(
    "--fund-id",
    metavar="ID",
    help="sqlite: the fund's id in the database (default: the ledger's); a file that holds "
    "other funds is added to, one that holds this fund has its rows replaced.",
)
@output_option
@lang_option
@as_of_option
@data_option
def export(
    fmt: str | None,
    separator: str,
    bom: bool,
    per: str,
    fund_id: str | None,
    output: Path | None,
    lang: str,
    as_of: date | None,
    data: Path | None,
) -> None:
    """Export the ledger: an Excel workbook (one sheet per section, CHF as
    numbers, totals as formulas with their values), CSV, or a beancount or
    hledger journal (every movement in CHF, the original amount kept with
    @@, donors as accounts; the receivable's balance is the report's
    pledged, the cash account's its received plus loans outstanding).

    For Excel, XLSX is the format: its numbers are numbers whatever the
    language Excel is set to. A CSV for Excel set for French or Swiss
    conventions: --separator ';' --bom.

    \b
    Examples:
      wsis-ledger export --format xlsx -o annex.xlsx
      wsis-ledger export --format beancount -o wsis.beancount && bean-check wsis.beancount
      wsis-ledger export --format ledger | hledger -f - balance Income
      wsis-ledger export --format iati -o wsis-iati.xml
      wsis-ledger export --format sqlite -o funds.sqlite
      wsis-ledger export --format csv --separator=';' --bom -o annex.csv
    """
    from wsis_ledger.render.csv_out import report_csv
    from wsis_ledger.render.journal import JournalError, journal
    from wsis_ledger.render.xlsx import xlsx

    fmt = _usable_format(fmt, output, separator != "," or bom)
    # As `report`: printed totals that differ from their rows do not stop the export;
    # they are said on standard error, and it exits 3 (findings).
    findings: list[Problem] = []
    opened = open_ledger(data, findings=findings, lang=lang)
    # The position as `report` shows it: with the ledger's notes (rates far from the ECB's
    # reference), which every format carries (trial of session 7, finding 5).
    report = opened.report_position(as_of, lang)
    if fmt in ("beancount", "ledger"):
        try:
            text = journal(report, fmt)
        except JournalError as error:  # two ids would share an account: never merged
            raise click.ClickException(str(error)) from None
        _emit(text.encode("utf-8"), output, opened.root, lang)
    elif fmt == "csv":
        text = report_csv(report, SEPARATORS[separator])
        _emit((BOM if bom else b"") + text.encode("utf-8"), output, opened.root, lang)
    elif fmt == "iati":
        _emit(_iati(report, opened, per), output, opened.root, lang)
    elif fmt == "sqlite":
        assert output is not None
        write_output(output, _sqlite(report, opened, fund_id, output), opened.root, lang)
    else:
        assert output is not None
        write_output(output, xlsx(report), opened.root, lang)
    for problem in findings:
        click.echo(problem.render(lang=lang), err=True)
    if findings:
        raise SystemExit(EXIT_FINDINGS)


def _usable_format(fmt: str | None, output: Path | None, csv_options: bool) -> str:
    """The format, or a usage error: none given, a workbook or a database to standard
    output, a CSV's options for another format."""
    if fmt is None:
        raise click.UsageError(
            "give --format (xlsx, csv, beancount, ledger, iati or sqlite), or -o FILE with"
            " the format's extension"
        )
    if fmt != "csv" and csv_options:
        raise click.UsageError("--separator and --bom are for --format csv")
    if fmt in ("xlsx", "sqlite") and output is None:
        what = "an Excel workbook" if fmt == "xlsx" else "a SQLite database"
        raise click.UsageError(f"{what} is written to a file: give -o FILE")
    return fmt


def _iati(report: Position, opened: OpenLedger, per: str) -> bytes:
    from wsis_ledger.render.iati import IatiExportError, iati

    try:
        return iati(report, opened.records, per)
    except IatiExportError as error:
        raise click.ClickException(str(error)) from None


#: The largest database `--format sqlite` adds to (a bound on what it reads).
MAX_DATABASE_BYTES = 1 << 30


def _sqlite(report: Position, opened: OpenLedger, fund_id: str | None, output: Path) -> bytes:
    from wsis_ledger.render.sqlite import SchemaMismatch, sqlite

    existing = None
    if output.is_file():
        if output.stat().st_size > MAX_DATABASE_BYTES:
            raise click.ClickException(
                f"{escape.one_line(str(output))} is larger than 1 GiB: export into a new file"
            )
        existing = output.read_bytes() or None
    try:
        return sqlite(report, opened.records, fund_id, existing)
    except SchemaMismatch as error:
        raise click.ClickException(f"{escape.one_line(str(output))}: {error}") from None


def _emit(data: bytes, output: Path | None, root: Path, lang: str) -> None:
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_output(output, data, root, lang)
