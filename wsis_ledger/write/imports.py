"""Importing pledges and receipts from CSV, JSON or YAML: all or nothing, idempotent.

The CSV columns are a stable interface:

    type,donor,amount,currency,chf,rate,date,purpose,reference[,pledge][,payee][,description]

`type` is `pledge`, `receipt` or `expenditure` (with an empty `donor`, a
`date` and a `description`; `payee` optional); `donor` is a donor id or any of its names or
aliases (case does not matter); `amount`, `chf` and `rate` are plain numbers;
`chf`, `rate`, `date`, `purpose`, `reference` and `pledge` may be empty. A
receipt's `pledge` names the pledge it pays, by id or by reference. JSON and
YAML take the same fields as a list of records.

A row's identity is its `reference` where given; otherwise its content and
its occurrence (the second of two identical rows is a second gift). Content
is compared as meant, not as typed: the donor by the id its name resolves to,
numbers by value (`50000` is `50000.00`), the pledge paid by its id. The entry
id is made from that identity, so importing the same rows again, however they
are spelled, finds them in the ledger and adds nothing. A row whose reference
is in the ledger already with other content is a conflict, never "already in
the ledger".
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, cast, get_args

from pydantic import BeforeValidator, ValidationError

from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import (
    BOOKING_CURRENCY,
    Amount,
    Chf,
    Currency,
    Date,
    Day,
    Entry,
    Purpose,
    RateRecord,
    RateValue,
    Record,
    Text,
    name_key,
    within_minor_unit,
)
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.source.yamlsource import parse_document
from wsis_ledger.write import sheets
from wsis_ledger.write.records import payment_purpose

COLUMNS = ("type", "donor", "amount", "currency", "chf", "rate", "date", "purpose", "reference")
OPTIONAL_COLUMNS = ("pledge", "payee", "description")
REQUIRED_COLUMNS = ("type", "donor", "amount", "currency")
InputFormat = Literal["auto", "csv", "json", "yaml", "xlsx"]
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _type_in_any_case(value: object) -> object:
    """`Receipt`, `PLEDGE`: a row's type in any case (as typed when it is none of them)."""
    if isinstance(value, str) and value.strip().lower() in ("pledge", "receipt", "expenditure"):
        return value.strip().lower()
    return value


class ImportRow(Record):
    """One row as given: checked for form, not yet for the ledger."""

    type: Annotated[Literal["pledge", "receipt", "expenditure"], BeforeValidator(_type_in_any_case)]
    donor: Text | None = None  # required of a pledge or a receipt (`_row_rules`)
    currency: Currency
    amount: Amount
    chf: Chf | None = None
    rate: RateValue | None = None
    date: Date | None = None
    purpose: Purpose | None = None
    reference: Text | None = None
    pledge: Text | None = None
    payee: Text | None = None
    description: Text | None = None

    _within_minor_unit = within_minor_unit


def _before(annotated: object) -> Callable[[Any], Any]:
    """The function a field type's `BeforeValidator` calls (`Text`: `models._text`)."""
    [validator] = [m for m in get_args(annotated)[1:] if isinstance(m, BeforeValidator)]
    return cast(Callable[[Any], Any], validator.func)


#: Each field of `ImportRow` and its type's validator, applied to a value that is not None.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "type": _type_in_any_case,  # its `Literal` is checked after it
    "donor": _before(Text),
    "currency": _before(Currency),
    "amount": _before(Amount),
    "chf": _before(Chf),
    "rate": _before(RateValue),
    "date": _before(Date),
    "purpose": _before(Purpose),
    **dict.fromkeys(("reference", "pledge", "payee", "description"), _before(Text)),
}
_ROW_TYPES = frozenset({"pledge", "receipt", "expenditure"})


def validate_row(raw: dict[str, Any]) -> Row | ValidationError:
    """A raw row's values as `ImportRow` validates them, or pydantic's errors."""
    quick = quick_row(raw)
    if quick is not None:
        return quick
    try:
        row = ImportRow.model_validate(raw)
    except ValidationError as error:
        return error
    return Row(*(getattr(row, name) for name in ROW_FIELDS))


def quick_row(raw: dict[str, Any]) -> Row | None:
    """`ImportRow`'s validation of a row of texts, through its fields' validators
    (the same functions), without a pydantic model made and set up for each row;
    None for any row it would not take as it is (a value not text, a field
    unknown or missing, a value refused), which `ImportRow` then judges, with
    its messages. Measured in bench/HISTORY.md."""
    values = dict(_NO_VALUES)
    try:
        for name, value in raw.items():
            check = _CHECKS.get(name)
            if check is None:
                return None  # a field `ImportRow` does not know, even when empty
            if value is None:
                continue
            if type(value) is not str:
                return None
            values[name] = check(value)
        kind, currency, amount = values["type"], values["currency"], values["amount"]
        if kind not in _ROW_TYPES or currency is None or amount is None:
            return None
        money.check_minor_unit(amount, currency)  # `ImportRow._within_minor_unit`
    except ValueError:
        return None
    return Row._make(values.values())


#: The rows `ImportRow` validates: its fields, in its order.
ROW_FIELDS = (
    *("type", "donor", "currency", "amount", "chf", "rate", "date", "purpose"),
    *("reference", "pledge", "payee", "description"),
)
_NO_VALUES = dict.fromkeys(ROW_FIELDS)


class Row(NamedTuple):
    """A row's values as `ImportRow` validates them, held as the planning reads them."""

    type: Literal["pledge", "receipt", "expenditure"]
    donor: str | None
    currency: str
    amount: Decimal
    chf: Decimal | None
    rate: Decimal | None
    date: Day | None
    purpose: str | None
    reference: str | None
    pledge: str | None
    payee: str | None
    description: str | None


Section = Literal["pledged", "received", "expenditures"]
#: The field names of planned records, one tuple for all records with the same names.
_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


class Planned:
    """A row and the entry it becomes, or the entry already in the ledger.

    The record's names and values are held as two tuples, the names shared by
    every record that has them: a dict per record cost some 35 MB more at
    100 000 rows, held while the ledger with the new file is read back.
    """

    __slots__ = ("_keys", "_values", "line", "new", "section")

    def __init__(self, line: int, section: Section, record: Mapping[str, Any], new: bool) -> None:
        keys = tuple(record)
        self._keys = _KEYS.setdefault(keys, keys)
        self._values = tuple(record.values())
        self.line, self.section, self.new = line, section, new

    @property
    def record(self) -> dict[str, Any]:
        """The entry's fields (a new dict at each call)."""
        return dict(zip(self._keys, self._values, strict=True))

    def value(self, name: str) -> Any:
        """One field of the record (None when it has no such field)."""
        keys = self._keys
        return self._values[keys.index(name)] if name in keys else None

    def items(self) -> Iterator[tuple[str, Any]]:
        """The record's fields, without making a dict of them."""
        return zip(self._keys, self._values, strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Planned):
            return NotImplemented
        return (self.line, self.section, self.record, self.new) == (
            other.line,
            other.section,
            other.record,
            other.new,
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, and mutable fields held

    def __repr__(self) -> str:
        return (
            f"Planned(line={self.line!r}, section={self.section!r}, "
            f"record={self.record!r}, new={self.new!r})"
        )


@dataclass
class ImportPlan:
    """What an import would do: entries to add, entries found, donors to add, problems."""

    rows: list[Planned] = field(default_factory=list)
    donors: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def new_rows(self) -> list[Planned]:
        return [row for row in self.rows if row.new]


Rows = list[tuple[int, dict[str, Any]]]
#: Called with how many lines or rows were read or checked since it was last called.
Progress = Callable[[int], None]


@dataclass
class ReadResult:
    """The rows of an import file, the problems that stop it, and what was found
    about how it is written (`columns separated by ';'`), to say so."""

    rows: Rows = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadOptions:
    """How to read an import file: its format (`auto`: by its name or content), the
    separator (None: found from the header), the decimal sign, the workbook's sheet."""

    fmt: InputFormat = "auto"
    separator: str | None = None
    decimal_comma: bool = False
    sheet: str | None = None


def read_file(
    data: bytes, source: Path, options: ReadOptions | None = None, progress: Progress | None = None
) -> ReadResult:
    """The rows of an import file as it comes: CSV in UTF-8, UTF-16 or Windows-1252
    with `,` `;` or tabs, an Excel workbook, JSON or YAML."""
    options = options or ReadOptions()
    if options.fmt == "xlsx" or (
        options.fmt == "auto"
        and (source.suffix.lower() in (".xlsx", ".xlsm") or data.startswith(b"PK\x03\x04"))
    ):
        cells, problems = sheets.read_workbook(data, source, options.sheet)
        if problems:
            return ReadResult(problems=problems)
        sheet = f"sheet {options.sheet!r}" if options.sheet else "the first sheet"
        result = _table_rows(iter(cells), source, options, progress)
        result.notes.insert(0, f"read {sheet} of the workbook")
        return result
    decoded = sheets.decode(data, source)
    if isinstance(decoded, Problem):
        return ReadResult(problems=[decoded])
    result = read_rows(decoded.text, source, options, progress)
    if decoded.encoding:
        result.notes.insert(0, f"read as {decoded.encoding}")
    return result


def read_rows(
    text: str,
    source: Path,
    options: ReadOptions | InputFormat | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """(line, raw row) pairs from CSV, JSON or YAML text; problems for what cannot be read."""
    if not isinstance(options, ReadOptions):
        options = ReadOptions(fmt=options or "auto")
    if text.startswith("\ufeff"):
        text = text[1:]
    fmt = options.fmt
    if fmt == "auto":
        fmt = _guess_format(text, source)
    if fmt == "csv":
        return _csv_rows(text, source, options, progress)
    if fmt == "xlsx":
        message = "an Excel workbook is read from its file, not from text"
        return ReadResult(problems=[Problem(Where(source), "import-xlsx", message)])
    return _document_rows(text, source)


def _document_rows(text: str, source: Path) -> ReadResult:
    """The rows of a JSON or YAML import: a list of mappings (or a mapping with `rows:`)."""
    document, problems = parse_document(source, text)
    if document is None:
        return ReadResult(problems=problems)
    data = document.data
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]  # a YAML mapping with a rows: list is fine too
    if not isinstance(data, list):
        message = f"an import holds a list of records, not {money.describe(data)}"
        return ReadResult(problems=[Problem(document.locate(()), "import-shape", message)])
    rows = []
    for index, item in enumerate(data):
        line = document.locate((index,) if data is document.data else ("rows", index)).line
        if not isinstance(item, dict):
            message = f"a row is a mapping of fields, not {money.describe(item)}"
            problems.append(Problem(Where(source, line), "import-row", message))
        else:
            rows.append((line, item))
    return ReadResult(rows, problems)


def _guess_format(text: str, source: Path) -> InputFormat:
    suffix = source.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    head = text.lstrip()[:1]
    if head in ("[", "{"):
        return "json"
    first_line = text.split("\n", 1)[0]
    header = [cell.strip().lower() for cell in re.split("[,;\t]", first_line)]
    return "csv" if header[0] == "type" and len(header) > 1 else "yaml"


#: What the csv module's errors mean, in the words of the file.
_CSV_ERRORS = {
    "unexpected end of data": "a quote opened in this row is never closed",
    "expected after": 'a closing quote is followed by more text (write "" for a quote)',
}


def _csv_error(error: csv.Error) -> str:
    text = str(error)
    # "',' expected after '\"'", with the file's separator
    key = "expected after" if text.endswith("expected after '\"'") else text
    return f"the CSV cannot be read: {_CSV_ERRORS.get(key, text)}"


Cells = list[str | None]


def _csv_rows(
    text: str, source: Path, options: ReadOptions, progress: Progress | None
) -> ReadResult:
    lines = _Lines(text)
    known = (*COLUMNS, *OPTIONAL_COLUMNS)
    separator = options.separator or sheets.sniff_separator(lines.first, known)
    # Strict: an unclosed quote is an error, not a field that swallows the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    problems: list[Problem] = []
    # The rows are taken from the reader one at a time, as they are made raw rows:
    # the cells of every row are never all held at once.
    numbered = _numbered_cells(reader, source, problems)
    first = next(numbered, None)
    if first is None and not problems:
        return ReadResult(
            problems=[Problem(Where(source, 1), "import-empty", "the CSV file is empty")]
        )
    cells = itertools.chain([first] if first is not None else [], numbered)
    result = _table_rows(cells, source, options, progress, lines, separator)
    for _ in cells:
        pass  # the rows under a header refused: read only for an error of the CSV's own
    result.problems.extend(problems)
    if separator != "," and not options.separator:
        result.notes.append(f"columns separated by {sheets.SEPARATORS[separator]}")
    return result


def _numbered_cells(
    reader: Iterator[list[str]], source: Path, problems: list[Problem]
) -> Iterator[tuple[int, Cells]]:
    """Each row of the CSV reader with the line it starts on; a CSV error ends the rows
    and is added to `problems`."""
    line = 1
    try:
        for cells in reader:
            yield line, cells  # type: ignore[misc]  # list[str] is a list of str | None
            line = reader.line_num + 1  # type: ignore[attr-defined]
    except csv.Error as error:
        problems.append(Problem(Where(source, line), "import-csv", _csv_error(error)))


class _Lines:
    """`text.splitlines()`, split only when a line past the first is asked for (for a
    hint about the separator, on a row of the wrong length): the list of every
    line was 11 MB at 100 000 rows, held while they were read."""

    def __init__(self, text: str) -> None:
        self.text = text
        # The first of `splitlines()` (`_LINE_BREAK` is what it splits on), or "".
        self.first = _LINE_BREAK.split(text, maxsplit=1)[0]

    def __getitem__(self, index: int) -> str:
        return self.first if index == 0 and self.text else self._split[index]

    @cached_property
    def _split(self) -> list[str]:
        return self.text.splitlines()


def _table_rows(
    numbered: Iterator[tuple[int, Cells]],
    source: Path,
    options: ReadOptions,
    progress: Progress | None,
    lines: _Lines | None = None,
    separator: str = ",",
) -> ReadResult:
    """Rows of cells (CSV or a sheet) under their header line, as raw rows."""
    result = ReadResult()
    header_line, header_cells = next(numbered, (1, []))
    header = [(cell or "").strip().lower() for cell in header_cells]
    while header and not header[-1]:
        header.pop()  # a sheet's empty columns at the right
    hint = sheets.separator_hint(lines[header_line - 1], separator, 0) if lines else ""
    result.problems = _header_problems(header, Where(source, header_line), hint)
    if result.problems:
        return result
    for line, cells in numbered:
        if progress is not None:
            progress(1)
        while len(cells) > len(header) and not cells[-1]:
            cells.pop()
        if not any(cell and cell.strip() for cell in cells):
            continue
        raw_or_problem = _row(header, cells, Where(source, line), options)
        if isinstance(raw_or_problem, Problem):
            if lines and "cells; the header has" in raw_or_problem.message:
                cut = sheets.separator_hint(lines[line - 1], separator, len(header))
                raw_or_problem = Problem(
                    raw_or_problem.where, raw_or_problem.code, raw_or_problem.message + cut
                )
            result.problems.append(raw_or_problem)
        else:
            result.rows.append((line, raw_or_problem))
    return result


def _header_problems(header: list[str], where: Where, hint: str) -> list[Problem]:
    known = (*COLUMNS, *OPTIONAL_COLUMNS)
    problems = []
    for name in header:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            more = hint or (
                f"; did you mean '{close[0]}'?"
                if close
                else f"; the columns are {','.join(COLUMNS)}"
            )
            problems.append(Problem(where, "import-column", f"unknown column '{name}'{more}"))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing and not problems:
        message = f"the CSV lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        problems.append(Problem(where, "import-column", message))
    duplicated = [name for name, count in Counter(header).items() if count > 1]
    for name in duplicated:
        problems.append(Problem(where, "import-column", f"the column '{name}' is given twice"))
    return problems


def _row(
    header: list[str], cells: Cells, where: Where, options: ReadOptions
) -> dict[str, Any] | Problem:
    """One row's cells as a raw row: numbers written as spreadsheets write them made plain."""
    if len(cells) != len(header):
        return Problem(
            where, "import-row", f"the row has {len(cells)} cells; the header has {len(header)}"
        )
    # One search of the row's text finds whether any cell holds a line break (joining
    # makes none: a break is one character); 0.23 → 0.13 CPU s at 100 000 rows.
    if _LINE_BREAK.search("".join([cell or "" for cell in cells])):
        broken = [n for n, c in zip(header, cells, strict=True) if c and _LINE_BREAK.search(c)]
        # No column of an import is more than one line: a line break in a
        # quoted cell is a quote misplaced, or text that would forge a line.
        message = f"{broken[0]}: a line break inside a cell (rows are one line each)"
        return Problem(where, "import-row", message)
    raw: dict[str, Any] = {}
    for name, cell in zip(header, cells, strict=True):
        value = cell.strip() if cell else None
        if value and name in sheets.NUMBER_COLUMNS:
            try:
                value = sheets.plain_number(value, decimal_comma=options.decimal_comma)
            except ValueError as error:
                return Problem(where, "import-number", f"{name}: {error}")
        raw[name] = value or None
    return raw


def plan_import(
    ledger: Ledger,
    rows: Iterable[tuple[int, dict[str, Any]]],
    source: Path,
    *,
    add_donors: bool,
    progress: Progress | None = None,
) -> ImportPlan:
    """Turn rows into entries: every problem, with its line, or the entries to add."""
    plan = ImportPlan()
    donors = DonorIndex(ledger)
    identities = Identities(ledger)
    seen_references: dict[str, int] = {}
    unknown: dict[str, tuple[str, list[int]]] = {}
    for line, raw in _counted(rows, progress):
        row = validate_row(raw)
        if isinstance(row, ValidationError):
            plan.problems.extend(_row_problems(row, source, line))
            continue
        where = Where(source, line)
        table_rate = _table_rate(ledger, row)
        row_problems = _row_rules(row, where, ledger, has_table_rate=table_rate is not None)
        row_problems += _reference_given_twice(row, where, seen_references)
        if row.type == "expenditure" or row.donor is None:  # no donor: `_row_rules` says so
            plan.problems.extend(row_problems)
            if not row_problems:
                occurrences = identities.occurrences
                plan.rows.append(_expenditure(ledger, row, line, table_rate, occurrences))
            continue
        donor_id = donors.find(row.donor)
        if donor_id is None:
            unknown.setdefault(name_key(row.donor), (row.donor, []))[1].append(line)
            donor_id = donors.add(row.donor, plan) if add_donors else None
        pledge_id = None
        if row.pledge is not None and row.type == "receipt":
            pledge_id = _pledge_paid(ledger, row, donor_id, where, row_problems)
        if row_problems or donor_id is None:
            plan.problems.extend(row_problems)
            continue
        record = _gift(row, donor_id, table_rate, pledge_id)
        if pledge_id is not None:
            record["purpose"] = payment_purpose(ledger, pledge_id, row.purpose)
        _add_gift(plan, identities, row, record, where)
    if unknown and not add_donors:
        plan.problems.extend(_unknown_donors(unknown, donors, source))
    plan.problems.sort(key=lambda p: p.where.line)
    return plan


def _add_gift(
    plan: ImportPlan, identities: Identities, row: Row, record: dict[str, Any], where: Where
) -> None:
    """The row as a new entry, as one already in the ledger, or (its reference there with
    other content) a conflict."""
    entry_id, found = identities.find(row, record)
    if found is not None and row.reference is not None:
        conflict = _conflict(row, record, found, where)
        if conflict is not None:
            plan.problems.append(conflict)
            return
    record["id"] = found.id if found else entry_id
    section: Literal["pledged", "received"] = "pledged" if row.type == "pledge" else "received"
    plan.rows.append(Planned(where.line, section, record, new=found is None))


def _table_rate(ledger: Ledger, row: Row) -> RateRecord | None:
    """The rates table's rate for a foreign row that gives neither rate nor CHF."""
    if row.rate is not None or row.chf is not None or row.currency == BOOKING_CURRENCY:
        return None
    return ledger.table_rate(row.currency, row.date)


def _reference_given_twice(row: Row, where: Where, seen: dict[str, int]) -> list[Problem]:
    """A reference already given on an earlier line of the same file is a problem."""
    if row.reference is None:
        return []
    first = seen.setdefault(row.reference, where.line)
    if first == where.line:
        return []
    message = f"the reference '{row.reference}' is given twice (first on line {first})"
    return [Problem(where, "import-reference", message)]


def _money(row: Row, table_rate: RateRecord | None) -> dict[str, Any]:
    """A row's amount, currency, booked CHF and rate, as an entry records them."""
    return {
        "amount": row.amount,
        "currency": row.currency,
        "chf": row.chf,
        # A rate from the table is written into the entry: a later change to the
        # table must not change what was booked.
        "rate": row.rate if table_rate is None else table_rate.rate,
        "rate_source": None if table_rate is None else f"rates table: {table_rate.source}",
    }


def _gift(
    row: Row, donor_id: str, table_rate: RateRecord | None, pledge_id: str | None
) -> dict[str, Any]:
    """A receipt's or a pledge's fields, its id still to be given."""
    return {
        "id": "",
        "donor": donor_id,
        **_money(row, table_rate),
        "date": row.date,
        "purpose": row.purpose,
        "reference": row.reference,
        "pledge": pledge_id,
    }


def _counted(
    rows: Iterable[tuple[int, dict[str, Any]]], progress: Progress | None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows, calling `progress` as each is taken."""
    for row in rows:
        if progress is not None:
            progress(1)
        yield row


def _unknown_donors(
    unknown: dict[str, tuple[str, list[int]]], donors: DonorIndex, source: Path
) -> list[Problem]:
    problems: list[Problem] = []
    for name, lines in unknown.values():
        suggestions = donors.suggest(name)
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        message = (
            f"unknown donor '{name}'{hint} (add it to the donors, or import with --add-donors)"
        )
        problems.extend(Problem(Where(source, line), "unknown-donor", message) for line in lines)
    return problems


def _pledge_paid(
    ledger: Ledger, row: Row, donor_id: str | None, where: Where, problems: list[Problem]
) -> str | None:
    """The id of the one pledge a receipt's `pledge` names, by id or by reference.

    Several pledges named (a reference shared by two donors' pledges) is
    ambiguous; a pledge of another donor, or a cancelled one, is not paid.
    """
    named = row.pledge or ""
    matches = {p.id: p for p in ledger.pledged if named in (p.id, p.reference)}
    if not matches:
        message = f"pledge: there is no pledge with the id or reference '{named}'"
        problems.append(Problem(where, "import-pledge", message))
        return None
    if len(matches) > 1:
        listed = ", ".join(f"'{p.id}' of '{p.donor}'" for p in matches.values())
        message = f"pledge: '{named}' names {len(matches)} pledges ({listed}); name one by its id"
        problems.append(Problem(where, "import-pledge", message))
        return None
    [pledge] = matches.values()
    if donor_id is not None and pledge.donor != donor_id:
        message = (
            f"pledge: '{named}' is a pledge of '{pledge.donor}', not of '{donor_id}': "
            "a payment pays its own donor's pledge"
        )
        problems.append(Problem(where, "import-pledge", message))
    cancelled = ledger.cancellation_of.get(pledge.id)
    if cancelled is not None and (row.date is None or row.date > cancelled.date):
        message = f"pledge: '{pledge.id}' was cancelled on {cancelled.date} ('{cancelled.id}')"
        problems.append(Problem(where, "import-pledge", message))
    if row.date is not None and pledge.date is not None and row.date < pledge.date:
        message = f"date: the payment is dated {row.date}, before the pledge '{pledge.id}' ({pledge.date})"
        problems.append(Problem(where, "import-pledge", message))
    return pledge.id


#: The fields of an entry that a row gives, in the order a conflict lists them.
_CONTENT = ("donor", "amount", "currency", "chf", "rate", "date", "purpose", "pledge")


def _conflict(row: Row, record: dict[str, Any], found: Entry, where: Where) -> Problem | None:
    """A problem when the entry found by the row's reference holds other content."""
    differences = []
    for name in _CONTENT:
        mine, theirs = record[name], getattr(found, name, None)
        if (
            name == "rate"
            and row.rate is None
            and (found.rate_source or "").startswith("rates table")
        ):
            continue  # the rate the table gave when it was imported
        if mine != theirs:  # Decimals compare by value: 50000 is 50000.00
            differences.append(f"{name} {_shown(theirs)} there, {_shown(mine)} here")
    if not differences:
        return None
    place = found.place
    message = (
        f"the reference '{row.reference}' is in the ledger already, as '{found.id}' "
        f"({place.path.name}:{place.line}), with other content: {'; '.join(differences)}"
    )
    return Problem(where, "import-conflict", message)


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, Decimal):
        return money.format_amount(value)
    return f"'{value}'"


def _row_problems(error: ValidationError, source: Path, line: int) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        name = str(detail["loc"][0]) if detail["loc"] else ""
        if detail["type"] == "missing":
            message = f"the field '{name}' is missing"
        elif detail["type"] == "extra_forbidden":
            message = (
                f"unknown field '{name}'; the fields are {', '.join((*COLUMNS, *OPTIONAL_COLUMNS))}"
            )
        elif detail["type"] == "literal_error":
            message = f"{name}: {detail.get('input')!r} is not pledge, receipt or expenditure"
        elif detail["type"] == "value_error":
            context = detail.get("ctx") or {}
            message = f"{name}: {context.get('error', detail['msg'])}"
        else:
            message = f"{name}: {detail['msg']}"
        problems.append(Problem(Where(source, line), "import-row", message))
    return problems


def _row_rules(row: Row, where: Where, ledger: Ledger, *, has_table_rate: bool) -> list[Problem]:
    """The rules `ImportRow`'s types leave: a rate for a foreign amount, whole booking
    units in CHF, and who pays a pledge."""
    problems = []
    if (
        row.currency != BOOKING_CURRENCY
        and row.rate is None
        and row.chf is None
        and not has_table_rate
    ):
        on = f" on {row.date}" if row.date else " (the row has no date)"
        message = f"an amount in {row.currency} needs a rate or the booked chf: the rates table has none{on}"
        problems.append(Problem(where, "no-rate", message))
    unit = ledger.fund.booking_unit
    booked = row.chf if row.chf is not None or row.currency != BOOKING_CURRENCY else row.amount
    if booked is not None and not money.is_multiple(booked, unit):
        field = "chf" if row.chf is not None else "amount"
        message = (
            f"{field}: the fund books multiples of {money.format_amount(unit)} CHF; "
            f"{money.format_amount(booked)} is not one (round it half-up)"
        )
        problems.append(Problem(where, "booking-unit", message))
    if row.type == "pledge" and row.pledge is not None:
        problems.append(Problem(where, "import-row", "pledge: only a receipt pays a pledge"))
    problems.extend(_expenditure_rules(row, where))
    return problems


#: The type of row each section's entries come from.
SECTION_TYPES = {"pledged": "pledge", "received": "receipt", "expenditures": "expenditure"}


class Identities:
    """Finds the entry a row already is: by the id its identity gives, or by its reference.

    The identity of a row without a reference is its content as meant (donor
    id, numbers by value, pledge id) and its occurrence among identical rows.
    Entries imported by earlier versions, whose ids came from the rows' text as
    typed, are found by that id too (`legacy`), so that a re-import adds nothing.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.by_reference = {
            (type(e).__name__, e.reference): e for e in ledger.entries if e.reference
        }
        self.occurrences: Counter[str] = Counter()
        self.legacy_occurrences: Counter[str] = Counter()

    def find(self, row: Row, record: dict[str, Any]) -> tuple[str, Entry | None]:
        """The id a new entry for the row gets, and the entry it is already, if any."""
        kind = "Pledge" if row.type == "pledge" else "Receipt"
        if row.reference is not None:
            identity = f"{row.type}|reference|{row.reference}"
            entry_id = _entry_id(identity)
            found = self.ledger.entry_by_id.get(entry_id)
            return entry_id, found or self.by_reference.get((kind, row.reference))
        fields = [row.type, *(record[name] for name in _CONTENT)]
        fields[_CONTENT.index("rate") + 1] = row.rate  # the row's own rate, not the table's
        entry_id = _entry_id(self._counted(self.occurrences, _joined(fields)))
        legacy = self._counted(self.legacy_occurrences, _legacy_content(row))
        found = self.ledger.entry_by_id.get(entry_id) or self.ledger.entry_by_id.get(
            _entry_id(legacy)
        )
        return entry_id, found

    @staticmethod
    def _counted(occurrences: Counter[str], content: str) -> str:
        occurrences[content] += 1
        return f"{content}|#{occurrences[content]}"


def _entry_id(identity: str) -> str:
    return "imp-" + hashlib.sha256(identity.encode()).hexdigest()[:12]


def _joined(fields: list[object]) -> str:
    """Fields as one text; a number by its value (`50000.00` as `50000`)."""
    return "|".join(
        ""
        if v is None
        else money.format_amount(v.normalize())
        if isinstance(v, Decimal)
        else str(v)
        for v in fields
    )


def _legacy_content(row: Row) -> str:
    """A row's content as earlier versions made identities: the text as typed."""
    fields = [
        row.type,
        (row.donor or "").casefold(),
        row.amount,
        row.currency,
        row.chf,
        row.rate,
        row.date,
        row.purpose,
        row.pledge,
    ]
    return "|".join(
        "" if v is None else money.format_amount(v) if isinstance(v, Decimal) else str(v)
        for v in fields
    )


def _expenditure_rules(row: Row, where: Where) -> list[Problem]:
    """Who a row names: a pledge or a receipt its donor; an expenditure no donor, but a
    date and a description."""
    if row.type != "expenditure":
        missing = row.donor is None
        return [Problem(where, "import-row", "the field 'donor' is missing")] if missing else []
    problems = []
    if row.donor is not None:
        message = (
            "donor: an expenditure has no donor (leave the cell empty; payee says who was paid)"
        )
        problems.append(Problem(where, "import-row", message))
    if row.pledge is not None:
        problems.append(Problem(where, "import-row", "pledge: only a receipt pays a pledge"))
    for name in ("date", "description"):
        if getattr(row, name) is None:
            problems.append(Problem(where, "import-row", f"an expenditure needs a '{name}'"))
    return problems


def _expenditure(
    ledger: Ledger, row: Row, line: int, table_rate: Any, occurrences: Counter[str]
) -> Planned:
    """An expenditure row as the record it becomes (or the one already in the ledger);
    its identity is its reference, or its content and its occurrence among identical rows."""
    if row.reference is not None:
        identity = f"expenditure|reference|{row.reference}"
    else:
        content = _joined(
            [
                *(row.type, row.amount, row.currency, row.chf, row.rate, row.date),
                *(row.purpose, row.payee, row.description),
            ]
        )
        occurrences[content] += 1
        identity = f"{content}|#{occurrences[content]}"
    entry_id = _entry_id(identity)
    found = next(
        (
            x
            for x in ledger.expenditures
            if x.id == entry_id or (row.reference is not None and x.reference == row.reference)
        ),
        None,
    )
    record = {
        "id": found.id if found else entry_id,
        "date": row.date,
        **_money(row, table_rate),
        "description": row.description,
        "purpose": row.purpose,
        "payee": row.payee,
        "reference": row.reference,
    }
    return Planned(line, "expenditures", record, new=found is None)


class DonorIndex:
    """Donors by id, name and alias, matched as `name_key` compares names (case,
    Unicode composition and spaces do not matter)."""

    def __init__(self, ledger: Ledger) -> None:
        self.by_key: dict[str, str] = {}
        #: Each name's key, worked out once: an import names a donor row after row.
        self.keys: dict[str, str] = {}
        for donor in ledger.donors:
            for key in (donor.id, donor.name.en, donor.name.zh, *donor.aliases):
                if key:
                    self.by_key.setdefault(name_key(key), donor.id)

    def find(self, name: str) -> str | None:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        return self.by_key.get(key)

    def suggest(self, name: str) -> list[str]:
        return difflib.get_close_matches(name_key(name), list(self.by_key), n=2, cutoff=0.6)

    def add(self, name: str, plan: ImportPlan) -> str:
        """A new donor with the name as given (composed, spaces collapsed), kind `unspecified`."""
        written = " ".join(unicodedata.normalize("NFC", name).split())
        base = id_from_name(written)
        donor_id, n = base, 1
        while name_key(donor_id) in self.by_key:
            n += 1
            donor_id = f"{base}-{n}"
        self.by_key[name_key(donor_id)] = donor_id
        self.by_key[name_key(name)] = donor_id
        plan.donors.append({"id": donor_id, "name": written, "kind": "unspecified"})
        return donor_id


@dataclass
class Group:
    """Rows of one type and currency: how many, and what they add up to."""

    type: str
    currency: str
    added: int = 0
    added_amount: Decimal = Decimal(0)
    present: int = 0
    present_amount: Decimal = Decimal(0)


def summarize(plan: ImportPlan) -> list[Group]:
    """The plan's rows by type and currency (pledges first, currencies in order):
    new rows and rows in the ledger already, each with its count and amount."""
    groups: dict[tuple[str, str], Group] = {}
    for row in plan.rows:
        kind = SECTION_TYPES[row.section]
        currency, amount = str(row.value("currency")), row.value("amount")
        group = groups.setdefault((kind, currency), Group(kind, currency))
        if row.new:
            group.added += 1
            group.added_amount += amount
        else:
            group.present += 1
            group.present_amount += amount
    return [groups[key] for key in sorted(groups)]


def id_from_name(name: str) -> str:
    """A readable ASCII id for a name: `Suède` → `suede`, `日本政府` → `ri-ben-zheng-fu`.

    anyascii transliterates every script. A character that is a syllable of its
    own (a Chinese character, a Hangul block: uncased, transliterated as a
    capitalized syllable, `Ri`) becomes a word of its own, so syllables stay
    apart (`ri-ben`, not `riben`). What is left of anything else is a hyphen.
    """
    from anyascii import anyascii

    words = []
    for character in unicodedata.normalize("NFKC", name):
        ascii_text = anyascii(character)
        syllable = (
            not character.isascii()
            and character.upper() == character.lower()
            and ascii_text[:1].isupper()
            and any(c.islower() for c in ascii_text)
        )
        words.append(f" {ascii_text} " if syllable else ascii_text)
    return re.sub(r"[^a-z0-9]+", "-", "".join(words).lower()).strip("-") or "donor"


def import_file_name(plan: ImportPlan, on: date) -> str:
    """A new file's name, from the date and the ids it adds."""
    digest = hashlib.sha256("|".join(r.value("id") for r in plan.new_rows).encode()).hexdigest()
    return f"{on.isoformat()}-{digest[:10]}.yaml"
