"""Reading an import file: its format, encoding and separator, the header row, and
each row's cells as a raw row (field name to text).

The CSV columns are a stable interface:

    type,donor,amount,currency,chf,rate,date,purpose,reference[,pledge][,payee][,description]

`type` is `pledge`, `receipt` or `expenditure` (with an empty `donor`, a
`date` and a `description`; `payee` optional); `donor` is a donor id or any of its names or
aliases (case does not matter); `amount`, `chf` and `rate` are plain numbers;
`chf`, `rate`, `date`, `purpose`, `reference` and `pledge` may be empty. A
receipt's `pledge` names the pledge it pays, by id or by reference. JSON and
YAML take the same fields as a list of records.
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from wsis_ledger.core import money
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.source.yamlsource import parse_document
from wsis_ledger.write import sheets

COLUMNS = ("type", "donor", "amount", "currency", "chf", "rate", "date", "purpose", "reference")
OPTIONAL_COLUMNS = ("pledge", "payee", "description")
REQUIRED_COLUMNS = ("type", "donor", "amount", "currency")
InputFormat = Literal["auto", "csv", "json", "yaml", "xlsx"]
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


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
