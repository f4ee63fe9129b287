"""Reading an import file: its format, encoding and separator, and its table of cells,
which `write.raw_rows` makes raw rows of (field name to text).

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
import io
import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO, Literal

from wsis_ledger.core import money
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.source.yamlsource import parse_document
from wsis_ledger.write import sheets
from wsis_ledger.write.raw_rows import (
    CELL_CODES,
    COLUMNS,
    LINE_BREAK,
    OPTIONAL_COLUMNS,
    Cells,
    find_header,
    header_problems,
    raw_row,
)

InputFormat = Literal["auto", "csv", "json", "yaml", "xlsx"]
#: An import file (or standard input) may hold at most this many bytes, as a ledger
#: file may: more is refused before it is held (`import /dev/zero` is one line).
MAX_IMPORT_BYTES = 64 * 1024 * 1024
#: An import file is read in pieces of this size, up to MAX_IMPORT_BYTES.
_READ_PIECE = 1024 * 1024


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
    #: The fields of a row (by its line) that could not be read, their problem given:
    #: the row is in `rows` without them, so that its other problems are found too.
    unreadable: dict[int, set[str]] = field(default_factory=dict)

    def repeats(self, problem: Problem) -> bool:
        """True for a problem of planning that only says again what reading said: on a
        field (missing, needed, or of the wrong type) whose cell could not be read."""
        fields = self.unreadable.get(problem.where.line, set())
        message = problem.message
        return any(
            message.startswith(f"{name}: ")
            or message in (f"the field '{name}' is missing", f"an expenditure needs a '{name}'")
            for name in fields
        )


@dataclass(frozen=True)
class ReadOptions:
    """How to read an import file: its format (`auto`: by its name or content), the
    separator (None: found from the header), the decimal sign, the workbook's sheet,
    the form of dates, the header row and the encoding."""

    fmt: InputFormat = "auto"
    separator: str | None = None
    decimal_comma: bool = False
    sheet: str | None = None
    #: How ambiguous dates are written (`%d/%m/%Y`); unambiguous forms are read without.
    date_format: str | None = None
    #: The row (1 is the first) that holds the column names; None: the first that does.
    header_row: int | None = None
    #: The text file's encoding; None: found from its bytes.
    encoding: str | None = None


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
        sheet = sheets.read_workbook(data, source, options.sheet)
        if isinstance(sheet, Problem):
            return ReadResult(problems=[sheet])
        result = _table_rows(iter(sheet.rows), source, options, progress, formulas=sheet.formulas)
        result.notes.insert(0, f"read sheet {sheet.name!r} of the workbook")
        return result
    decoded = sheets.decode(data, source, options.encoding)
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
        # The first of `splitlines()` (`LINE_BREAK` is what it splits on), or "".
        self.first = LINE_BREAK.split(text, maxsplit=1)[0]

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
    formulas: Mapping[int, list[tuple[int, str]]] | None = None,
) -> ReadResult:
    """Rows of cells (CSV or a sheet) under their header row, as raw rows.

    The header is the first row whose cells are column names (title rows above
    it, as office sheets have, are passed over and said), or `header_row`. No row
    under it that holds anything is skipped: only rows of empty cells are."""
    result = ReadResult()
    found = find_header(numbered, options.header_row, source)
    if isinstance(found, Problem):
        return ReadResult(problems=[found])
    header_line, header_cells, numbered = found
    result.notes.extend(_header_note(header_line, options))
    header = _names(header_cells)
    hint = sheets.separator_hint(lines[header_line - 1], separator, 0) if lines else ""
    result.problems = header_problems(header, Where(source, header_line), hint)
    if result.problems:
        return result
    for line, cells in numbered:
        if progress is not None:
            progress(1)
        while len(cells) > len(header) and not cells[-1]:
            cells.pop()
        in_formulas = formulas.get(line) if formulas else None
        if not in_formulas and not any(cells):
            continue  # every cell empty (None or ""): a cell of spaces is read, and judged
        where = Where(source, line)
        raw, problems = raw_row(header, cells, where, options)
        if in_formulas and raw is not None:
            problems += _formulas(in_formulas, header, where, result.unreadable)
        if lines and problems and "cells; the header has" in problems[0].message:
            problems[0] = _with_hint(problems[0], lines[line - 1], separator, len(header))
        result.problems.extend(problems)
        if raw is not None:
            _keep(result, line, raw, problems)
    return result


def _with_hint(problem: Problem, line: str, separator: str, cells: int) -> Problem:
    """A row's wrong count of cells, with the separator that would split it right."""
    cut = sheets.separator_hint(line, separator, cells)
    return Problem(problem.where, problem.code, problem.message + cut)


def _header_note(line: int, options: ReadOptions) -> list[str]:
    """Which row the header is, when not the first."""
    if line == 1:
        return []
    how = "--header-row" if options.header_row else "the first row of column names"
    return [f"the header is row {line} ({how})"]


def _names(cells: Cells) -> list[str]:
    """The column names of a header row, without a sheet's empty columns at the right."""
    header = [(cell or "").strip().lower() for cell in cells]
    while header and not header[-1]:
        header.pop()
    return header


def _keep(result: ReadResult, line: int, raw: dict[str, Any], problems: list[Problem]) -> None:
    """A row read, with the cells of it that could not be read noted."""
    refused = {p.message.partition(":")[0] for p in problems if p.code in CELL_CODES}
    if refused:
        result.unreadable.setdefault(line, set()).update(refused)
    result.rows.append((line, raw))


def _formulas(
    cells: list[tuple[int, str]], header: list[str], where: Where, unreadable: dict[int, set[str]]
) -> list[Problem]:
    """A problem for each formula cell with no saved value, its column noted unreadable."""
    problems = []
    for column, cell in cells:
        message = (
            f"{cell} is a formula with no saved value: open and save the workbook"
            " in Excel or LibreOffice"
        )
        problems.append(Problem(where, "import-formula", message))
        if column < len(header):
            unreadable.setdefault(where.line, set()).add(header[column])
    return problems


def read_input(stream: BinaryIO, name: str) -> bytes:
    """What `stream` holds, at most MAX_IMPORT_BYTES; `InputTooLarge` for more (a device
    that never ends, such as /dev/zero, is read no further than the limit)."""
    pieces: list[bytes] = []
    held = 0
    while held <= MAX_IMPORT_BYTES:
        piece = stream.read(min(_READ_PIECE, MAX_IMPORT_BYTES + 1 - held))
        if not piece:
            return b"".join(pieces)
        pieces.append(piece)
        held += len(piece)
    raise InputTooLarge(
        f"{name} holds more than the {MAX_IMPORT_BYTES:,} bytes an import may have; "
        "split it into smaller files"
    )


class InputTooLarge(ValueError):
    """An import input larger than MAX_IMPORT_BYTES (the message says so)."""
