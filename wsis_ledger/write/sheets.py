"""Import files as spreadsheet programs write them: encodings, separators, numbers, workbooks.

A Swiss or French spreadsheet saves "CSV" as Windows-1252 or UTF-16 text,
with `;` between columns, and amounts as `1'000.50` or `1 000,50`; Excel
saves a workbook. This module turns each into what the import reads (text,
the separator, plain numbers, rows of text cells), and says what it found.
Nothing here guesses a number: a form that could mean two amounts is refused.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from wsis_ledger.core.problems import Problem, Where, excerpt

#: The separators an import's columns may have, by their names in messages.
SEPARATORS = {",": "','", ";": "';'", "\t": "a tab"}
#: The columns that hold numbers, whose spreadsheet forms are read here.
NUMBER_COLUMNS = ("amount", "chf", "rate")
#: Characters that group thousands: apostrophe (also as typographic ’), space,
#: no-break space, narrow no-break space (French), thin space.
THOUSANDS = "'\u2019 \u00a0\u202f\u2009"


@dataclass(frozen=True)
class Decoded:
    """An import file's text, and how it was written (None: UTF-8)."""

    text: str
    encoding: str | None = None


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", None),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


def decode(data: bytes, source: Path) -> Decoded | Problem:
    """The text of an import file: UTF-8 (with or without a byte-order mark),
    UTF-16 or UTF-32 (by their mark, or UTF-16 by its zero bytes), or else
    Windows-1252, which spreadsheet programs write in Western Europe."""
    for mark, codec, name in _BOMS:
        if data.startswith(mark):
            return _decode_as(data, codec, name, source)
    if len(data) >= 2 and b"\x00" in data[:200]:
        zeros_first = data[0:200:2].count(0) > data[1:200:2].count(0)
        return _decode_as(data, "utf-16-be" if zeros_first else "utf-16-le", "UTF-16", source)
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _decode_as(data, "cp1252", "Windows-1252 (it is not UTF-8)", source)


def _decode_as(data: bytes, codec: str, name: str | None, source: Path) -> Decoded | Problem:
    try:
        return Decoded(data.decode(codec), name)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        what = "UTF-8 nor Windows-1252" if codec == "cp1252" else (name or "UTF-8")
        if codec == "cp1252":
            message = f"the file is neither {what} text (byte {data[error.start]:#04x})"
        else:
            message = f"the file is not valid {what} text (byte offset {error.start})"
        return Problem(Where(source, line), "import-encoding", message)


def sniff_separator(header_line: str, known: tuple[str, ...]) -> str:
    """The separator that splits the header line into the most known column names
    (`,` when none does better)."""
    scores = {sep: len(set(_cells(header_line, sep)) & set(known)) for sep in SEPARATORS}
    best = max(scores.values())
    return "," if scores[","] == best else max(scores, key=lambda sep: scores[sep])


def separator_hint(line: str, used: str, cells: int) -> str:
    """`; the separator looks like ';'` when another separator splits `line` into
    `cells` cells (0: into more than one), else nothing."""
    for sep, name in SEPARATORS.items():
        if sep != used and sep in line:
            count = len(_cells(line, sep))
            if count == cells or (cells == 0 and count > 1):
                return f"; the separator looks like {name}, not {SEPARATORS[used]}"
    return ""


def _cells(line: str, sep: str) -> list[str]:
    try:
        row = next(csv.reader([line], delimiter=sep), [])
    except csv.Error:
        return []
    return [cell.strip().lower() for cell in row]


# --- numbers -------------------------------------------------------------------

_GROUPED = re.compile(rf"(?P<head>[0-9]{{1,3}})(?P<groups>(?:[{THOUSANDS},][0-9]{{3}})+)")


#: The signs that make a number a spreadsheet's, not plain (`spreadsheet_signs` below).
_SIGNS = re.compile(f"[{THOUSANDS},]")
_SIGNS_WITH_POINT = re.compile(f"[{THOUSANDS},.]")


def plain_number(text: str, *, decimal_comma: bool = False) -> str:
    """A number as a spreadsheet writes it (`1'000.50`, `1 000.50`, `1,000.50`; with
    `decimal_comma`, `1 000,50`) as plain digits with a point (`1000.50`).

    Text that is plain already, or holds anything but digits, `.`, `,` and
    thousands separators, is returned as it is (the import's own rules then
    judge it). A number grouped wrongly, or one that
    could be read two ways (`1,000`: a thousand, or one?), raises ValueError
    saying what is expected.
    """
    text = text.strip()
    signs = _SIGNS_WITH_POINT if decimal_comma else _SIGNS
    if not signs.search(text):
        # The first test below (no spreadsheet sign written), without two sets made
        # for every number: the 180 000 numbers of 100 000 rows, 0.29 → 0.07 CPU s.
        return text
    written = set(text) - set("0123456789")
    spreadsheet_signs = set(THOUSANDS) | {",", "."} if decimal_comma else set(THOUSANDS) | {","}
    if not written & spreadsheet_signs or not written <= set(THOUSANDS) | {",", "."}:
        return text  # plain, or not a number at all (-5, 1e6, CHF 5): the import's rules judge it
    point = "," if decimal_comma else "."
    whole, _, decimals = text.partition(point)
    if decimals and not decimals.isdigit():
        raise ValueError(_expected(text, decimal_comma))
    if decimal_comma and "." in whole:
        raise ValueError(
            f"{excerpt(text)} has a '.', but with --decimal-comma the decimal sign is ','"
            " (write thousands with a space or an apostrophe: 1 000,50)"
        )
    if whole.isdigit():
        digits = whole
    else:
        grouped = _GROUPED.fullmatch(whole)
        separators = set(re.sub(r"[0-9]", "", whole))
        if grouped is None or len(separators) != 1:
            raise ValueError(_expected(text, decimal_comma))
        if separators == {","} and not decimals and whole.count(",") == 1:
            raise ValueError(
                f"{excerpt(text)} could be a thousand or a number with a decimal comma:"
                " write it without the comma, or import with --decimal-comma if ',' is the"
                " decimal sign"
            )
        digits = re.sub(r"[^0-9]", "", whole)
    return f"{digits}.{decimals}" if decimals else digits


def _expected(text: str, decimal_comma: bool) -> str:
    if decimal_comma:
        return (
            f"{excerpt(text)} is not a number as written with --decimal-comma: digits, ',' "
            "before the decimals, thousands grouped in threes by a space or an apostrophe"
            " (1 000,50)"
        )
    hint = " (for 1 000,50 import with --decimal-comma)" if re.search(r",[0-9]{1,2}$", text) else ""
    return (
        f"{excerpt(text)} is not a number as written: digits, '.' before the decimals, "
        f"thousands grouped in threes by an apostrophe or a space (1'000.50, 1 000.50){hint}"
    )


# --- Excel workbooks -----------------------------------------------------------


def read_workbook(
    data: bytes, source: Path, sheet: str | None
) -> tuple[list[tuple[int, list[str | None]]], list[Problem]]:
    """The rows of a workbook's first sheet (or of `sheet`), numbered as Excel numbers
    them, each cell as text: a number from its shortest form (`str(float)`, never
    through binary digits), a date as YYYY-MM-DD."""
    # Imported here: openpyxl is needed only when a workbook is imported.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        message = f"the file cannot be read as an Excel workbook ({excerpt(str(error), 80)})"
        return [], [Problem(Where(source), "import-xlsx", message)]
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            names = ", ".join(repr(name) for name in workbook.sheetnames)
            message = f"the workbook has no sheet {sheet!r}; its sheets are {names}"
            return [], [Problem(Where(source), "import-xlsx", message)]
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        rows = [
            (number, [cell_text(value) for value in values])
            for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1)
        ]
    finally:
        workbook.close()
    return rows, []


def cell_text(value: object) -> str | None:
    """A workbook cell as the text an import reads."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        # The shortest text that reads back as the same float: what Excel showed.
        number = Decimal(str(value))
        if number.is_finite() and number == number.to_integral_value():
            return str(int(number))
        return format(number, "f") if number.is_finite() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None
