"""A table's cells (from a CSV or a workbook) as raw rows: the header row found, each
row's cells checked and its numbers and date made plain (as spreadsheets write them),
and a sheet's totals row told apart from an entry.

The columns are a stable interface (see `write.reading`)."""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wsis_ledger.core import money
from wsis_ledger.core.problems import Problem, Where, excerpt
from wsis_ledger.write import sheets

if TYPE_CHECKING:
    from wsis_ledger.write.reading import ReadOptions

COLUMNS = ("type", "donor", "amount", "currency", "chf", "rate", "date", "purpose", "reference")
OPTIONAL_COLUMNS = ("pledge", "payee", "description")
REQUIRED_COLUMNS = ("type", "donor", "amount", "currency")
#: What ends a line: no cell of an import holds one.
LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
Cells = list[str | None]

#: Rows searched for the header, when it is not the first.
HEADER_SEARCH = 30
_KNOWN = frozenset((*COLUMNS, *OPTIONAL_COLUMNS))


def find_header(
    numbered: Iterator[tuple[int, Cells]], header_row: int | None, source: Path
) -> tuple[int, Cells, Iterator[tuple[int, Cells]]] | Problem:
    """The header row's number and cells, and the rows under it."""
    if header_row is not None:
        count = 0
        for line, cells in numbered:
            count = line
            if line >= header_row:
                return line, cells, numbered
        message = f"--header-row {header_row}: the file has {count} rows"
        return Problem(Where(source), "import-column", message)
    ahead: list[tuple[int, Cells]] = []
    for line, cells in numbered:
        ahead.append((line, cells))
        if _names_columns(cells):
            return line, cells, numbered
        if len(ahead) >= HEADER_SEARCH:
            break
    if not ahead:
        return 1, [], numbered
    # No row names the columns: the first is taken, for the messages on its names.
    first_line, first_cells = ahead[0]
    return first_line, first_cells, itertools.chain(ahead[1:], numbered)


def _names_columns(cells: Cells) -> bool:
    """A row of column names: two or more cells, most of them known column names."""
    names = [cell.strip().lower() for cell in cells if cell and cell.strip()]
    known = sum(name in _KNOWN for name in names)
    return known >= 2 and 2 * known >= len(names)


def header_problems(header: list[str], where: Where, hint: str) -> list[Problem]:
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


#: The problems of one cell, whose message starts with its column's name.
CELL_CODES = frozenset(("import-number", "import-date"))
#: The words a totals row starts with, in the languages donors' offices write.
_TOTAL = re.compile(
    r"(?:grand\s+)?(?:totals?|totaux|sous-total|subtotal|sum|summe|somme|gesamt\w*|insgesamt"
    r"|zwischensumme|totale)\b|合计|總計|总计|小计|合計",
    re.IGNORECASE,
)
_ROW_KINDS = frozenset(("pledge", "receipt", "expenditure"))


def raw_row(
    header: list[str], cells: Cells, where: Where, options: ReadOptions
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """One row's cells as a raw row (numbers and dates as spreadsheets write them made
    plain), and the problems of its cells: every one, each cell it names left empty.
    No raw row for a row that cannot be one (its length, a line break, a totals row)."""
    if len(cells) != len(header):
        message = f"the row has {len(cells)} cells; the header has {len(header)}"
        return None, [Problem(where, "import-row", message)]
    # One search of the row's text finds whether any cell holds a line break (joining
    # makes none: a break is one character); 0.23 → 0.13 CPU s at 100 000 rows.
    if LINE_BREAK.search("".join([cell or "" for cell in cells])):
        broken = [n for n, c in zip(header, cells, strict=True) if c and LINE_BREAK.search(c)]
        # No column of an import is more than one line: a line break in a
        # quoted cell is a quote misplaced, or text that would forge a line.
        message = f"{broken[0]}: a line break inside a cell (rows are one line each)"
        return None, [Problem(where, "import-row", message)]
    raw: dict[str, Any] = dict.fromkeys(header)
    for name, cell in zip(header, cells, strict=True):
        value = cell.strip() if cell else None
        if value and not value.isascii() and not visible(value):
            value = None  # only format characters and spaces: nothing a reader sees
        raw[name] = value or None
    kind = raw.get("type")
    if kind is None or kind.lower() not in _ROW_KINDS:
        total = _totals(raw)
        if total is not None:
            return None, [total_problem(where, total)]
    return raw, _made_plain(raw, where, options)


def _made_plain(raw: dict[str, Any], where: Where, options: ReadOptions) -> list[Problem]:
    """The row's numbers and date made plain, in place; a problem for each that cannot
    be (its cell then left empty)."""
    problems = []
    places = _places(raw.get("currency"))
    for name in sheets.NUMBER_COLUMNS:
        value = raw.get(name)
        if value:
            try:
                raw[name] = sheets.plain_number(
                    value,
                    decimal_comma=options.decimal_comma,
                    places=2 if name == "chf" else None if name == "rate" else places,
                )
            except ValueError as error:
                problems.append(Problem(where, "import-number", f"{name}: {error}"))
                raw[name] = None
    written = raw.get("date")
    if written:
        try:
            raw["date"] = sheets.plain_date(written, options.date_format)
        except ValueError as error:
            problems.append(Problem(where, "import-date", f"date: {error}"))
            raw["date"] = None
    return problems


def visible(text: str) -> str:
    """The text without the characters no reader sees (format characters: zero-width
    spaces and joiners, direction marks, the byte-order mark) and spaces at its ends."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf").strip()


def _totals(raw: Mapping[str, Any]) -> str | None:
    """What marks a row as a sheet's totals: a cell that says so (`Total`), or an amount
    with neither type nor donor; None for any other row."""
    for name, value in raw.items():
        if value and name not in sheets.NUMBER_COLUMNS and _TOTAL.match(value):
            return str(value)
    if not raw.get("type") and not raw.get("donor") and raw.get("amount"):
        return "an amount, without type or donor"
    return None


def total_problem(where: Where, marked: str) -> Problem:
    """The one problem of a totals row (not one on each of its cells)."""
    shown = marked if marked.startswith("an amount") else excerpt(marked)
    message = f"a totals row? remove it ({shown}); an import's rows are entries only"
    return Problem(where, "import-totals", message)


def _places(currency: object) -> int | None:
    """The decimals of a row's currency, where it is one (None: not known)."""
    if not isinstance(currency, str):
        return None
    try:
        return money.minor_unit(currency.strip().upper())
    except ValueError:
        return None
