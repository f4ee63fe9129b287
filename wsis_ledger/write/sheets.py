"""Import files as spreadsheet programs write them: encodings, separators, numbers, workbooks.

A Swiss or French spreadsheet saves "CSV" as Windows-1252 or UTF-16 text,
with `;` between columns, and amounts as `1'000.50` or `1 000,50`; Excel
saves a workbook. This module turns each into what the import reads (text,
the separator, plain numbers, rows of text cells), and says what it found.
Nothing here guesses a number: a form that could mean two amounts is refused.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import zip_longest
from pathlib import Path

from wsis_ledger.core.problems import Problem, Where, code_point, excerpt

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


def decode(data: bytes, source: Path, encoding: str | None = None) -> Decoded | Problem:
    """The text of an import file: in `encoding` where given; else UTF-8 (with or
    without a byte-order mark), UTF-16 or UTF-32 (by their mark, or UTF-16 by its
    zero bytes), or else Windows-1252, which spreadsheet programs write in Western
    Europe, when the text it gives is plausible (no `Ž` inside a word, as a Mac
    Roman `é` reads, nor `¤`, as an ISO-8859-15 `€` reads): otherwise refused,
    asking for `--encoding`."""
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
            # rot13, base64, zlib...: codecs Python knows that do not decode text
            if not getattr(info, "_is_text_encoding", True):
                raise LookupError(encoding)
            codec = info.name
        except LookupError:
            message = (
                f"--encoding {excerpt(encoding)} is not an encoding Python knows"
                " (e.g. cp1252, mac-roman, iso-8859-15)"
            )
            return Problem(Where(source), "import-encoding", message)
        return _decode_as(data, codec, encoding, source)
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
    decoded = _decode_as(data, "cp1252", "Windows-1252 (it is not UTF-8)", source)
    if isinstance(decoded, Decoded):
        odd = implausible(decoded.text)
        if odd is not None:
            line = decoded.text.count("\n", 0, odd.start()) + 1
            message = (
                f"the file is not UTF-8, and read as Windows-1252 it has {odd.group()!r}, which"
                " is unlikely in that encoding: give its encoding with --encoding (e.g. mac-roman,"
                " iso-8859-15, cp1252), or save it as UTF-8"
            )
            return Problem(Where(source, line), "import-encoding", message)
    return decoded


#: Text as a single-byte file of another encoding reads in Windows-1252: `¤` (the
#: `€` of ISO-8859-15); a sign between two letters (`Z†rich`: Mac Roman's `ü`);
#: a capital Š Œ Ž Ÿ glued to a small letter (`CafŽ`, `ZŸrich`: Mac Roman's `é`, `ü`).
#: Apostrophes (’ ´ ‘) and the letters of Windows-1252 (š ž œ ø ß) are plausible.
_SIGNS_1252 = (
    "\u0080-\u00a9\u00ab-\u00b3\u00b6\u00b8\u00b9\u00bb-\u00bf"
    "\u02c6\u02dc\u2013\u2014\u201a-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_LETTER, _SMALL, _ODD_CAPITAL = (
    r"[^\W\d_]",
    r"[a-z\u00df-\u00ff\u0153\u0161\u017e]",
    "[\u0152\u0160\u0178\u017d]",
)
_IMPLAUSIBLE = re.compile(
    rf"\u00a4|{_LETTER}[{_SIGNS_1252}]+(?={_LETTER})|{_SMALL}{_ODD_CAPITAL}"
    rf"|{_LETTER}{_ODD_CAPITAL}(?={_SMALL})"
)


def implausible(text: str) -> re.Match[str] | None:
    """Where Windows-1252 text looks like another encoding's, or None."""
    return _IMPLAUSIBLE.search(text)


def _decode_as(data: bytes, codec: str, name: str | None, source: Path) -> Decoded | Problem:
    try:
        return Decoded(data.decode(codec), name)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        what = "UTF-8 nor Windows-1252" if codec == "cp1252" else (name or "UTF-8")
        if codec == "cp1252":
            message = (
                f"the file is neither {what} text (byte {data[error.start]:#04x}): give its"
                " encoding with --encoding (e.g. mac-roman, iso-8859-15), or save it as UTF-8"
            )
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


#: A character that is no part of a number as any spreadsheet writes one.
_NOT_NUMBER = re.compile(rf"[^0-9{THOUSANDS},.+\-eE]+")


def plain_number(text: str, *, decimal_comma: bool = False, places: int | None = None) -> str:
    """A number as a spreadsheet writes it (`1'000.50`, `1 000.50`, `1,000.50`; with
    `decimal_comma`, `1 000,50`) as plain digits with a point (`1000.50`).

    `places` is how many decimals the column's currency has (None: not known, or a
    rate): `581,950` in CHF (two decimals) can only be grouped thousands.

    Text that is plain already, or holds anything but digits, `.`, `,` and
    thousands separators, is returned as it is (the import's own rules then
    judge it), except a number with a sign or letter in it (`$10,000.00`,
    `CHF 500`), which is refused naming the character. A number grouped wrongly,
    or one that could be read two ways (`1,000` as a rate: a thousand, or one?),
    raises ValueError saying what is expected.
    """
    text = text.strip()
    foreign = _NOT_NUMBER.search(text)
    if foreign is not None and any(c in "0123456789" for c in text):
        sign = foreign.group().strip()
        shown = repr(sign) if sign.isprintable() else code_point(sign)
        raise ValueError(
            f"{excerpt(text)}: the {shown} is not part of a number; write the number alone"
            " (the currency has a column of its own)"
        )
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
        if (
            separators == {","}
            and not decimals
            and whole.count(",") == 1
            and (places is None or places >= 3)
        ):
            # Three digits after one comma, in a column whose currency has fewer
            # decimals, can only be grouping; elsewhere (a rate) it is ambiguous.
            grouped_reading = whole.replace(",", "")
            raise ValueError(
                f"{excerpt(text)} is ambiguous: the ',' could group thousands ({grouped_reading})"
                f" or be a decimal comma ({whole.replace(',', '.')}); write it without the comma,"
                " or import with --decimal-comma if ',' is the decimal sign"
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


# --- dates ---------------------------------------------------------------------

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Forms that can be read only one way: year first (2005/02/01, 2005.2.1, 2005-2-1),
#: and day first with dots (31.12.2004), as Swiss and German programs write it.
_YEAR_FIRST = re.compile(r"(?P<y>[0-9]{4})(?P<s>[/.-])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})")
_DAY_DOTS = re.compile(r"(?P<d>[0-9]{1,2})\.(?P<m>[0-9]{1,2})\.(?P<y>[0-9]{4})")
#: Day and month in either order (31/12/2004 in France, 12/31/2004 in the US).
_EITHER_WAY = re.compile(r"[0-9]{1,2}([/-])[0-9]{1,2}\1[0-9]{4}")
_EXAMPLE_DAY = date(2004, 12, 31)


#: What each directive a date format may use gives (`%%`: a percent sign).
_DIRECTIVES = {"d": "day", "m": "month", "b": "month", "B": "month", "Y": "year", "y": "year"}
_DIRECTIVE = re.compile(r"%(.?)", re.DOTALL)


def check_date_format(text: str) -> str:
    """`text` as `--date-format` takes it, or ValueError saying what is wrong: only the
    directives of a day, a month and a year (`%d`, `%m`, `%b`, `%B`, `%Y`, `%y`), each
    once, and every one of the three (`%Q` or `%H`, which strptime would take or
    misread, are refused before a row is read)."""
    given: list[str] = []
    for directive in _DIRECTIVE.findall(text):
        if directive == "%":
            continue
        if directive not in _DIRECTIVES:
            shown = f"%{directive}" if directive else "a '%' at the end"
            raise ValueError(
                f"{excerpt(shown) if directive else shown} is not part of a date format: use "
                "%d (day), %m (month: %b or %B by name), %Y (year: %y with two digits)"
            )
        if _DIRECTIVES[directive] in given:
            raise ValueError(f"{excerpt(text)} gives the {_DIRECTIVES[directive]} twice")
        given.append(_DIRECTIVES[directive])
    missing = [part for part in ("day", "month", "year") if part not in given]
    if missing:
        raise ValueError(
            f"{excerpt(text)} gives no {' and no '.join(missing)}: a date format names the "
            "day, the month and the year, such as %d/%m/%Y (31/12/2004)"
        )
    return text


def plain_date(text: str, date_format: str | None = None) -> str:
    """A date as a spreadsheet writes it, as YYYY-MM-DD.

    Forms that can be read one way only are read (`31.12.2004`, `2005/02/01`);
    one that could be day/month or month/day (`2/1/2005`) needs `date_format`
    (`%d/%m/%Y` or `%m/%d/%Y`), and is refused with a message saying so, as is
    text in no date form.
    """
    text = text.strip()
    if _ISO.fullmatch(text):
        return text
    if date_format is not None:
        try:
            return datetime.strptime(text, date_format).date().isoformat()
        except ValueError:
            example = _EXAMPLE_DAY.strftime(date_format)
            raise ValueError(
                f"{excerpt(text)} is not a date written as --date-format {date_format}"
                f" gives them (31 December 2004 is {example})"
            ) from None
    found = _YEAR_FIRST.fullmatch(text) or _DAY_DOTS.fullmatch(text)
    if found is not None:
        try:
            return date(int(found["y"]), int(found["m"]), int(found["d"])).isoformat()
        except ValueError:
            raise ValueError(f"{excerpt(text)} is not a real date") from None
    either = _EITHER_WAY.fullmatch(text)
    if either is not None:
        sep = either.group(1)
        first, second = (int(part) for part in text.split(sep)[:2])
        formats = (
            f"--date-format %d{sep}%m{sep}%Y (day first: 31{sep}12{sep}2004) or"
            f" --date-format %m{sep}%d{sep}%Y (month first: 12{sep}31{sep}2004)"
        )
        if max(first, second) <= 12:
            raise ValueError(
                f"{excerpt(text)} could be day{sep}month or month{sep}day: import with {formats}"
            )
        # One way only here, but not the file's other dates (2/1/2005): they are all read
        # one way, the way the file says, never each as it happens to fit.
        day_first = first > 12
        fits = f"%d{sep}%m{sep}%Y" if day_first else f"%m{sep}%d{sep}%Y"
        raise ValueError(
            f"{excerpt(text)} is {'day' if day_first else 'month'} first (no month is"
            f" {max(first, second)}), unlike 2{sep}1{sep}2005: so that a file's dates read one"
            f" way, import with --date-format {fits}"
        )
    raise ValueError(
        f"{excerpt(text)} is not a date form an import reads: 2004-12-31, 31.12.2004 or"
        " 2004/12/31 (another form with --date-format, e.g. %d/%m/%Y for 31/12/2004)"
    )


# --- Excel workbooks -----------------------------------------------------------


@dataclass
class Sheet:
    """A workbook sheet's rows, numbered as Excel numbers them, each cell as text; the
    sheet's name; and the cells (`E2`) that are formulas with no saved value, by row."""

    name: str
    rows: list[tuple[int, list[str | None]]]
    formulas: dict[int, list[tuple[int, str]]]


def read_workbook(data: bytes, source: Path, sheet: str | None) -> Sheet | Problem:
    """The sheet to import of a workbook: `sheet`, or the one the user sees on opening
    it (the active sheet, when it is not hidden; else the first visible one).

    Each cell as text: a number from its shortest form (`str(float)`, never
    through binary digits), a date as YYYY-MM-DD. A formula whose value was
    never saved (a workbook written by a program that does not calculate) reads
    as empty; it is listed, so that the import refuses it rather than skip it."""
    # Imported here: openpyxl is needed only when a workbook is imported.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    too_large = _unpacked_size_problem(data, source)
    if too_large is not None:
        return too_large
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        written = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        message = f"the file cannot be read as an Excel workbook ({excerpt(str(error), 80)})"
        return Problem(Where(source), "import-xlsx", message)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            names = ", ".join(repr(name) for name in workbook.sheetnames)
            message = f"the workbook has no sheet {sheet!r}; its sheets are {names}"
            return Problem(Where(source), "import-xlsx", message)
        name = sheet if sheet is not None else _shown_sheet(workbook)
        if name is None:
            message = "every sheet of the workbook is hidden: name the one to read with --sheet"
            return Problem(Where(source), "import-xlsx", message)
        rows: list[tuple[int, list[str | None]]] = []
        formulas: dict[int, list[tuple[int, str]]] = {}
        pairs = zip_longest(
            workbook[name].iter_rows(min_row=1, values_only=True),
            written[name].iter_rows(min_row=1, values_only=True),
            fillvalue=(),
        )
        cells = 0
        for number, (values, given) in enumerate(pairs, 1):
            cells += len(values)
            bound = _cell_bounds_problem(values, number, cells, source)
            if bound is not None:
                return bound
            rows.append((number, [cell_text(value) for value in values]))
            for column, (value, formula) in enumerate(zip_longest(values, given)):
                if value is None and _is_formula(formula):
                    cell = f"{_column_letters(column + 1)}{number}"
                    formulas.setdefault(number, []).append((column, cell))
    finally:
        workbook.close()
        written.close()
    return Sheet(name, rows, formulas)


#: A workbook's parts may unpack to at most this many bytes in all (it is read twice:
#: once for the values, once for the formulas); a 150 KB workbook holding one huge
#: string took 907 MB to read (bench/HISTORY.md).
MAX_WORKBOOK_BYTES = 32 * 1024 * 1024
#: At most this many cells are read from a sheet (empty cells within its rows count).
MAX_WORKBOOK_CELLS = 2_000_000
#: A cell's text may have at most this many characters (a name, a note, a reference).
MAX_CELL_CHARACTERS = 10_000


def _unpacked_size_problem(data: bytes, source: Path) -> Problem | None:
    """A problem when the workbook's parts unpack to more than MAX_WORKBOOK_BYTES (as
    its directory says; the unpacking stops at the size it gives)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None  # openpyxl says what is wrong with it
    if size <= MAX_WORKBOOK_BYTES:
        return None
    message = (
        f"the workbook unpacks to {size:,} bytes, more than the {MAX_WORKBOOK_BYTES:,} an "
        "import reads; save the sheet to import as CSV, or split it"
    )
    return Problem(Where(source), "import-too-large", message)


def _cell_bounds_problem(
    values: tuple[object, ...], number: int, cells: int, source: Path
) -> Problem | None:
    """A problem when a sheet has more than MAX_WORKBOOK_CELLS cells up to row `number`,
    or a cell of that row holds more than MAX_CELL_CHARACTERS characters."""
    if cells > MAX_WORKBOOK_CELLS:
        message = (
            f"the sheet has more than {MAX_WORKBOOK_CELLS:,} cells by row {number:,}; "
            "save the rows to import as CSV, or split them"
        )
        return Problem(Where(source), "import-too-large", message)
    for column, value in enumerate(values):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
            cell = f"{_column_letters(column + 1)}{number}"
            message = (
                f"the cell {cell} holds {len(value):,} characters, more than the "
                f"{MAX_CELL_CHARACTERS:,} a cell may have"
            )
            return Problem(Where(source, number), "import-too-large", message)
    return None


def _shown_sheet(workbook: object) -> str | None:
    """The sheet a workbook opens on: the active one, unless hidden; else the first visible."""
    active = getattr(workbook, "active", None)
    if active is not None and getattr(active, "sheet_state", "visible") == "visible":
        return str(active.title)
    for worksheet in getattr(workbook, "worksheets", []):
        if getattr(worksheet, "sheet_state", "visible") == "visible":
            return str(worksheet.title)
    return None


def _is_formula(value: object) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def _column_letters(number: int) -> str:
    """Excel's name of a column: 1 is A, 27 is AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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
    text = str(value)
    # A cell of spaces alone is kept as it is: a row holding it is read, not skipped.
    return text.strip() or text or None
