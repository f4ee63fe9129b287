"""`wsis-ledger import`: pledges and receipts from CSV, Excel, JSON or YAML, all or nothing."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import zip_longest
from pathlib import Path
from typing import NoReturn

import click

from wsis_ledger.api import (
    SECTION_TYPES,
    ImportPlan,
    ImportResult,
    ReadOptions,
    ReadResult,
    Rows,
    import_records,
    read_file,
    summarize,
)
from wsis_ledger.commands.options import (
    by_option,
    data_option,
    echo_wrapped,
    table_width,
    wide_option,
)
from wsis_ledger.commands.writes import (
    Done,
    Said,
    WriteMode,
    files_line,
    finish,
    show_stated_differences,
    told,
    writable_ledger,
    write_errors,
    write_options,
)
from wsis_ledger.core import money
from wsis_ledger.core.language import counted, number, word
from wsis_ledger.core.problems import LedgerError, Problem, display_path
from wsis_ledger.core.visible import visible
from wsis_ledger.render.rows import render_rows

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


#: More rows than this are summed up, not listed (unless --verbose).
SUMMARY_ABOVE = 50
SUMMARY_COLUMNS = (
    "type",
    "currency",
    "rows added",
    "amount added",
    "rows present",
    "amount present",
)
SEPARATOR_CHOICES = {"auto": None, ",": ",", ";": ";", "tab": "\t"}


@click.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option(
    "--add-donors",
    is_flag=True,
    help="Add unknown donors (name as given, kind 'unspecified') instead of refusing.",
)
@click.option(
    "--input-format",
    type=click.Choice(["auto", "csv", "xlsx", "json", "yaml"]),
    default="auto",
    show_default=True,
    help="How FILE is written (auto: by its name, or its first bytes).",
)
@click.option(
    "--separator",
    type=click.Choice(list(SEPARATOR_CHOICES)),
    default="auto",
    show_default=True,
    help="The CSV's column separator (auto: the one its header line is written with).",
)
@click.option(
    "--decimal-comma",
    is_flag=True,
    help="Amounts are written with a decimal comma (1 000,50), as French and German "
    "spreadsheets write them.",
)
@click.option(
    "--sheet",
    metavar="NAME",
    help="The workbook's sheet to read (default: the one it opens on, never a hidden one).",
)
@click.option(
    "--date-format",
    metavar="FORMAT",
    callback=lambda ctx, param, value: _date_format(value),
    help="How dates that could be read two ways are written: %d/%m/%Y (31/12/2004) or "
    "%m/%d/%Y (12/31/2004). 2004-12-31, 31.12.2004 and 2004/12/31 are read without it.",
)
@click.option(
    "--header-row",
    type=click.IntRange(min=1),
    metavar="N",
    help="The row that holds the column names (default: the first row that does).",
)
@click.option(
    "--encoding",
    metavar="NAME",
    help="The CSV's encoding (cp1252, mac-roman, iso-8859-15...), when it is not UTF-8 "
    "or UTF-16 and not plausibly Windows-1252.",
)
@click.option(
    "--verbose",
    is_flag=True,
    help=f"List every row, also when there are more than {SUMMARY_ABOVE} (then a summary is shown).",
)
@write_options("table", "markdown", "csv", "json", default="table")
@wide_option
@click.option(
    "--statement",
    metavar="ID",
    help="The statement the rows come from: its printed totals check them.",
)
@click.option(
    "--source",
    "source_name",
    metavar="NAME",
    help="The name the rows' source goes by (default: FILE's name): an import of a source "
    "imported before says which of its earlier rows are no longer in it, and stops.",
)
@click.option(
    "--allow-changes",
    is_flag=True,
    help="Import a file imported before even when some of its earlier rows are gone "
    "(those entries stay in the ledger).",
)
@by_option
@data_option
def import_(
    file: Path,
    add_donors: bool,
    input_format: str,
    separator: str,
    decimal_comma: bool,
    sheet: str | None,
    date_format: str | None,
    header_row: int | None,
    encoding: str | None,
    verbose: bool,
    mode: WriteMode,
    wide: bool,
    statement: str | None,
    source_name: str | None,
    allow_changes: bool,
    by: str | None,
    data: Path | None,
) -> None:
    """Add pledges, receipts and expenditures from FILE (CSV, an Excel workbook,
    JSON or YAML; - reads standard input). All or nothing: if any row is invalid, nothing
    is written and every bad row is listed with its line. Importing the same
    rows again adds nothing.

    \b
    CSV columns (a header line first; `type` in any case):
      type,donor,amount,currency,chf,rate,date,purpose,reference[,pledge][,payee][,description]
    (type expenditure: donor empty, date and description given)

    CSV as spreadsheet programs save it is read: UTF-8, UTF-16 or
    Windows-1252; columns separated by `,`, `;` or tabs (found from the header
    line, and said); amounts written 1'000.50 or 1 000.50 (--decimal-comma:
    1 000,50). A workbook's first sheet is read (or --sheet NAME). With more
    than 50 rows, a summary by type and currency is shown instead of every row.

    \b
    Examples:
      wsis-ledger import --data tunis contributions.csv --dry-run
      wsis-ledger import --data tunis contributions.xlsx --sheet 2005 --add-donors
      wsis-ledger import --data tunis dons.csv --decimal-comma
      cat rows.json | wsis-ledger import --data tunis - --dry-run --format json
      wsis-ledger import --data tunis release.csv --statement press-2005-03
    """
    root = writable_ledger(data, mode.lang)
    dry_run, fmt = mode.dry_run, mode.fmt
    source = Path("<stdin>") if str(file) == "-" else file
    raw = _read(file)
    options = ReadOptions(
        fmt=input_format,  # type: ignore[arg-type]
        separator=SEPARATOR_CHOICES[separator],
        decimal_comma=decimal_comma,
        sheet=sheet,
        date_format=date_format,
        header_row=header_row,
        encoding=encoding,
    )
    with _progress("reading", raw.count(b"\n")) as advance:
        read = read_file(raw, source, options, advance)
    if read.notes:
        notes = f"{display_path(source)}: {'; '.join(read.notes)}."
        click.echo(visible(notes), err=True)
    rows = read.rows
    if read.problems:
        _refuse(_with_planned(read, root, add_donors, source), mode.lang)
    del raw  # not held while the rows are planned and the ledger read back
    with write_errors(mode.lang), _progress("checking", len(rows)) as advance:
        try:
            lines = [line for line, _ in rows]
            outcome = import_records(
                root,
                _taken(rows),
                add_donors=add_donors,
                dry_run=dry_run,
                source=source,
                numbered=lines,
                progress=advance,
                statement=statement,
                source_name=source_name,
                allow_changes=allow_changes,
                by=by,
            )
        except LedgerError as error:  # bad rows, or a ledger the rows would break
            _refuse(error.problems, mode.lang)
    summary = len(outcome.plan.rows) > SUMMARY_ABOVE and not verbose
    _show(root, outcome, fmt, summary=summary, width=table_width(wide), lang=mode.lang)
    if outcome.files:
        show_stated_differences(root, outcome.findings, dry_run, mode.lang)


#: Problems of one row: the other rows can still be checked, to list every problem.
_ROW_CODES = frozenset(
    {"import-row", "import-number", "import-date", "import-formula", "import-totals"}
)


def _with_planned(read: ReadResult, root: Path, add_donors: bool, source: Path) -> list[Problem]:
    """The problems of reading, and when they are all problems of single rows, those
    of every row too (planned, nothing written; a cell that could not be read is
    not said again as missing), by line."""
    problems, rows = read.problems, read.rows
    if all(problem.code in _ROW_CODES for problem in problems):
        with write_errors():
            try:
                import_records(
                    root,
                    [row for _, row in rows],
                    add_donors=add_donors,
                    dry_run=True,
                    source=source,
                    numbered=[line for line, _ in rows],
                )
            except LedgerError as error:
                problems = [*problems, *(p for p in error.problems if not read.repeats(p))]
    return sorted(problems, key=lambda p: p.where.line)


def _date_format(value: str | None) -> str | None:
    """--date-format, checked before any row is read."""
    if value is None:
        return None
    from wsis_ledger.api import check_date_format

    try:
        return check_date_format(value)
    except ValueError as error:
        raise click.BadParameter(visible(str(error)), param_hint="--date-format") from None


def _taken(rows: Rows) -> Iterator[dict[str, object]]:
    """The rows' records, each let go of as the import takes it: none is held while
    the ledger with the new file is checked (bench/HISTORY.md)."""
    rows.reverse()
    while rows:
        yield rows.pop()[1]


#: The columns a table on a narrow terminal leaves out, the first first (--wide shows them).
NARROW_LEAVES_OUT = ("pledge", "reference", "purpose", "rate", "chf", "line", "date", "id")
#: The columns a table shows grouped by thousands (CSV and JSON keep plain digits).
AMOUNTS = ("amount", "chf")
#: The label of each column of a table (CSV and JSON keep the field names).
HEADINGS = {c: c for c in RESULT_COLUMNS} | {"status": "import_status", "type": "row_type"}
SUMMARY_HEADINGS = {
    "type": "row_type",
    "currency": "currency",
    "rows added": "rows_added",
    "amount added": "amount_added",
    "rows present": "rows_present",
    "amount present": "amount_present",
}


def _show(
    root: Path,
    outcome: ImportResult,
    fmt: str,
    *,
    summary: bool,
    width: int | None,
    lang: str = "en",
) -> None:
    result, dry_run = outcome.plan, outcome.dry_run
    new_status = "would add" if dry_run else "added"
    width = width if fmt == "table" else None
    message = Said(lambda lang: _added(result, dry_run, lang), None)
    out = [
        {
            "line": row.line,
            "status": new_status if row.new else "already in the ledger",
            "type": SECTION_TYPES[row.section],
            **{k: _text(v) for k, v in row.record.items()},
        }
        for row in result.rows
    ]
    if fmt == "json":  # the one shape of every write, with the rows
        ids = tuple(str(row.record["id"]) for row in result.new_rows if row.record.get("id"))
        done = Done(root, ids, outcome.files, dry_run)
        rows = [{c: row.get(c) for c in RESULT_COLUMNS} for row in out]
        finish(done, message, WriteMode(dry_run, fmt, lang), {"rows": rows})
        return
    from wsis_ledger.render.labels import field_headings, table_values

    if summary and fmt == "table":
        named = field_headings(SUMMARY_HEADINGS, lang)
        rows = table_values(_summary_rows(result, lang), ("type",), lang)
        table = render_rows(rows, SUMMARY_COLUMNS, fmt, width=width, headings=named, lang=lang)
    else:
        table = render_rows(
            table_values(out, ("status", "type"), lang),
            RESULT_COLUMNS,
            fmt,
            width=width,
            optional=NARROW_LEAVES_OUT,
            amounts=AMOUNTS,
            headings=field_headings(HEADINGS, lang),
            lang=lang,
        )
    done = Done(root, (), outcome.files, dry_run)
    with told(done, message.text("en", dry_run)):
        click.echo(table, nl=False)
        if fmt in ("table", "markdown"):
            line = word(lang, "import_said", "{message}; {wrote}.").format(
                message=message.text(lang, dry_run), wrote=files_line(done, lang)
            )
            echo_wrapped(visible(line), width)


def _added(plan: ImportPlan, dry_run: bool, lang: str) -> str:
    """How many rows an import added (would add), how many were in the ledger already,
    and how many donors it added, in `lang`."""
    new, present, donors = len(plan.new_rows), len(plan.rows) - len(plan.new_rows), len(plan.donors)
    if dry_run:
        said = counted(
            lang,
            "import_would_add",
            "{count} row would be added, {present} already in the ledger",
            "{count} rows would be added, {present} already in the ledger",
            new,
            present=present,
        )
        if donors:
            said += counted(
                lang,
                "import_donors_would_add",
                ", {count} donor would be added",
                ", {count} donors would be added",
                donors,
            )
        return said
    said = counted(
        lang,
        "import_added",
        "{count} row added, {present} already in the ledger",
        "{count} rows added, {present} already in the ledger",
        new,
        present=present,
    )
    if donors:
        said += counted(
            lang, "import_donors_added", ", {count} donor added", ", {count} donors added", donors
        )
    return said


def _summary_rows(plan: ImportPlan, lang: str) -> list[dict[str, object]]:
    """The summary table: a line a type and currency (amounts in that currency, as `lang`
    writes them)."""
    from wsis_ledger.render.labels import money_text

    return [
        {
            "type": group.type,
            "currency": group.currency,
            "rows added": group.added,
            "amount added": money_text(group.added_amount, group.currency, lang),
            "rows present": group.present,
            "amount present": money_text(group.present_amount, group.currency, lang),
        }
        for group in summarize(plan)
    ]


@contextmanager
def _progress(label: str, length: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error while it is a terminal (never on a pipe or a
    file); yields what to call with each step, or None."""
    stream = sys.stderr
    if length <= 0 or not stream.isatty():
        yield None
        return
    with click.progressbar(length=length, label=label, file=stream) as bar:
        yield bar.update


def _read(file: Path) -> bytes:
    from wsis_ledger.api import InputTooLarge, read_input

    try:
        if str(file) == "-":
            return read_input(sys.stdin.buffer, "standard input")
        with open(file, "rb") as stream:
            return read_input(stream, str(file))
    except InputTooLarge as error:
        raise click.BadParameter(str(error), param_hint="FILE") from None
    except OSError as error:
        raise click.BadParameter(
            f"cannot read {file}: {error.strerror}", param_hint="FILE"
        ) from None


def _refuse(problems: list[Problem], lang: str) -> NoReturn:
    for line in grouped(problems, lang):
        click.echo(line, err=True)
    raise click.ClickException(
        counted(
            lang,
            "import_refused",
            "{shown} problem; nothing was imported",
            "{shown} problems; nothing was imported",
            len(problems),
            shown=number(len(problems), lang),
        )
    )


#: More problems of one kind than this are one line: the first, their count, their first rows.
SAME_KIND_LISTED = 3
#: The rows a line of many problems of one kind names.
FIRST_ROWS = 5
#: What differs between problems of one kind: the values quoted, and numbers.
_VALUES = re.compile(r"'[^']*'|[0-9][0-9.,' ]*")


def grouped(problems: list[Problem], lang: str = "en") -> list[str]:
    """Each problem as a line in `lang`; the same problem on many rows (the same code and
    words, other values) as one line: the first of them, how many, which rows."""
    kinds: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        kinds.setdefault((problem.code, _VALUES.sub("…", problem.message)), []).append(problem)
    lines = []
    for problem in problems:
        same = kinds[(problem.code, _VALUES.sub("…", problem.message))]
        if len(same) <= SAME_KIND_LISTED:
            lines.append(problem.render(lang=lang))
        elif problem is same[0]:
            rows = word(lang, "list_separator", ", ").join(
                str(p.where.line) for p in same[:FIRST_ROWS]
            )
            if all(p.message == problem.message for p in same):
                again = word(lang, "same_on_rows", " (the same on {count} rows: lines {rows}, …)")
            else:  # never "the same" where the rows say other things ('Japon', then 'Suisse')
                again = word(
                    lang,
                    "kind_on_rows",
                    " (of this kind on {count} rows, with other values too: {values}; lines {rows}, …)",
                )
            others = _other_values(problem, same)
            values = ", ".join(others[:FIRST_ROWS]) + (", …" if len(others) > FIRST_ROWS else "")
            lines.append(
                problem.render(lang=lang)
                + again.format(count=number(len(same), lang), rows=rows, values=visible(values))
            )
    return lines


def _other_values(first: Problem, same: list[Problem]) -> list[str]:
    """What the other problems of `same` (one kind) say in the place of `first`'s values
    (quoted, or numbers): the first value each one gives otherwise, each once, in order."""
    base = [value.rstrip(" ,.") for value in _VALUES.findall(first.message)]
    found = []
    for problem in same[1:]:
        values = [value.rstrip(" ,.") for value in _VALUES.findall(problem.message)]
        differs = next((v for v, b in zip_longest(values, base) if v and v != b), None)
        if differs is not None:
            found.append(differs)
    return list(dict.fromkeys(found))


def _text(value: object) -> object:
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return money.format_amount(value)  # type: ignore[arg-type]


def import_schema() -> dict[str, object]:
    """The schema of `import --format json`: every write's shape, with a row of the file
    an object (`rows`)."""
    from wsis_ledger.commands.writes import write_schema
    from wsis_ledger.core.json_schema import COUNT, rows

    return write_schema("import", {"rows": rows(RESULT_COLUMNS, AMOUNTS, {"line": COUNT})})
