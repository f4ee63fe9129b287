"""The position as an Excel workbook: one sheet per section of the layout.

Amounts are numbers with number formats (an original amount carries its
currency in its format: `#,##0 "JPY"`); a rate is a number, with its exact
digits beside it as text; a total row is a `SUM` formula that also stores its
value, so readers that do not calculate (pandas, openpyxl with
`data_only=True`) see the figures. XlsxWriter writes formulas with their
values (openpyxl cannot); text is always written as text, so a name that
starts with `=` is never run as a formula.

Excel keeps numbers as binary floating point: whole francs up to 15 digits are
exact there; every digit of every figure stays in the JSON and CSV outputs.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from wsis_ledger.compute.conversion import Rate
from wsis_ledger.compute.position import Position
from wsis_ledger.core import money
from wsis_ledger.core.language import day, is_right_to_left, word
from wsis_ledger.render import provenance
from wsis_ledger.render.cells import Cell, Money, Percent, Section, cell_text
from wsis_ledger.render.labels import label
from wsis_ledger.render.layout import layout

CHF_FORMAT = "#,##0"


def xlsx(position: Position) -> bytes:
    """The workbook, as bytes."""
    import xlsxwriter  # only `export --format xlsx` pays for it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    made = provenance.now()
    sources = provenance.source_lines(position)
    book.set_properties(
        {
            "title": position.title,
            "subject": position.fund,
            "author": f"{made.tool} {made.version}",
            "comments": "\n".join([*sources, made.line()]),
            "created": made.generated.replace(tzinfo=None),
        }
    )
    book.set_custom_property("Generated", made.stamp)
    book.set_custom_property("Tool version", f"{made.tool} {made.version}")
    writer = _Sheets(book, position.lang)
    _title_block(book, position, sources, made)
    sections = layout(position)
    for section in sections:
        if section.columns:
            writer.section(section)
    _notes_sheet(book, sections, position.lang)
    book.close()
    return out.getvalue()


def _title_block(
    book: Any, position: Position, sources: list[str], made: provenance.Provenance
) -> None:
    """The first sheet: what the workbook is, as of when, from which sources, made when."""
    sheet = _sheet(book, word(position.lang, "sheet_about", "About"), position.lang)
    bold = book.add_format({"bold": True, "font_size": 14})
    as_of = day(position.as_of, position.lang) if position.as_of else ""
    lines = [position.title, position.fund, f"{label('as_of', position.lang)} {as_of}", ""]
    lines += [f"{label('source', position.lang)}: {line}" for line in sources]
    lines += ["", made.line()]
    for r, line in enumerate(lines):
        sheet.write_string(r, 0, line, bold if r == 0 else None)
    sheet.set_column(0, 0, min(max((len(x) for x in lines), default=10) + 2, 120))


def _notes_sheet(book: Any, sections: tuple[Section, ...], lang: str) -> None:
    """The notes of every section (the source's own, the ledger's marks), on one sheet."""
    notes = [(s.heading, note) for s in sections for note in s.notes]
    if not notes:
        return
    sheet = _sheet(book, word(lang, "sheet_notes", "Notes"), lang)
    head = book.add_format({"bold": True})
    sheet.write_row(0, 0, [word(lang, "sheet_section", "Section"), label("note", lang)], head)
    for r, (heading, note) in enumerate(notes, start=1):
        sheet.write_string(r, 0, heading)
        sheet.write_string(r, 1, note)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 100)


class _Sheets:
    def __init__(self, book: Any, lang: str) -> None:
        self.book, self.lang = book, lang
        self.formats: dict[tuple[str, bool], Any] = {}
        self.titles: set[str] = set()

    def format(self, number: str, bold: bool = False) -> Any:
        key = (number, bold)
        if key not in self.formats:
            spec: dict[str, Any] = {"bold": bold}
            if number:
                spec["num_format"] = number
            self.formats[key] = self.book.add_format(spec)
        return self.formats[key]

    def section(self, section: Section) -> None:
        sheet = _sheet(self.book, self._title(section.heading), self.lang)
        rates = {i for i, row in _cells(section) if isinstance(row, Rate)}
        monies = {i for i, row in _cells(section) if isinstance(row, Money)}
        headers: list[str] = []
        for i, column in enumerate(section.columns):
            headers.append(column.label or column.key)
            if i in rates:
                headers.append(f"{column.label} (exact)")
        # Last (columns are only added at the end): each original amount's currency as
        # text, not only in the number's format.
        headers += [
            f"{section.columns[i].label}: {label('currency', self.lang)}" for i in sorted(monies)
        ]
        sheet.write_row(0, 0, headers, self.format("", bold=True))
        widths = [len(h) for h in headers]
        for r, row in enumerate(section.rows, start=1):
            bold = row.role != "item"
            c = 0
            for i, cell in enumerate(row.cells):
                formula = self._total_formula(section, r, i) if bold else None
                shown = self._write(
                    sheet, r, c, cell, bold, formula, indent=row.depth if i == 0 else 0
                )
                widths[c] = max(widths[c], len(shown))
                c += 1
                if i in rates:  # every digit, and the basis where derived: "(derived)"
                    exact = cell_text(cell, self.lang, exact=True) if isinstance(cell, Rate) else ""
                    sheet.write_string(r, c, exact)
                    widths[c] = max(widths[c], len(exact))
                    c += 1
            for i in sorted(monies):
                cell = row.cells[i]
                sheet.write_string(r, c, cell.currency if isinstance(cell, Money) else "")
                c += 1
        for c, width in enumerate(widths):
            sheet.set_column(c, c, min(max(width + 2, 8), 60))

    def _write(
        self, sheet: Any, r: int, c: int, cell: Cell, bold: bool, formula: str | None, indent: int
    ) -> str:
        shown = cell_text(cell, self.lang)
        if isinstance(cell, Decimal):
            if formula:
                sheet.write_formula(r, c, formula, self.format(CHF_FORMAT, bold), _number(cell))
            else:
                sheet.write_number(r, c, _number(cell), self.format(CHF_FORMAT, bold))
        elif isinstance(cell, Money):
            places = money.minor_unit(cell.currency)
            number = ("#,##0" if places == 0 else "#,##0." + "0" * places) + f' "{cell.currency}"'
            sheet.write_number(r, c, _number(cell.amount), self.format(number, bold))
        elif isinstance(cell, Rate):
            # A derived rate says so in its format too: `0.012711 (derived)` in the cell.
            derived = label("derived", self.lang).replace('"', "")
            rate_format = "0.000000" + (f' "({derived})"' if cell.basis == "derived" else "")
            sheet.write_number(r, c, _number(cell.value), self.format(rate_format, bold))
        elif isinstance(cell, Percent):
            sheet.write_number(r, c, _number(cell.value / 100), self.format("0.00%", bold))
        elif isinstance(cell, int):
            sheet.write_number(r, c, cell, self.format("0", bold))
        elif cell is not None:
            sheet.write_string(r, c, ("   " * indent) + shown, self.format("", bold))
        return shown

    def _total_formula(self, section: Section, r: int, i: int) -> str | None:
        """A total's formula: the sum of the rows above it (the top-level ones where nested)."""
        if not isinstance(section.rows[r - 1].cells[i], Decimal):
            return None
        column = _letter(_sheet_column(section, i))
        above = [
            n
            for n, row in enumerate(section.rows[: r - 1], start=2)
            if row.role == "item" and row.depth == 0
        ]
        if not above:
            return None
        if len(above) == above[-1] - above[0] + 1:
            return f"=SUM({column}{above[0]}:{column}{above[-1]})"
        return "=" + "+".join(f"{column}{n}" for n in above)

    def _title(self, heading: str) -> str:
        title = re.sub(r"[\[\]:*?/\\]", " ", heading).strip()[:31] or "Sheet"
        base, n = title, 2
        while title.lower() in self.titles:
            suffix = f" ({n})"
            title, n = base[: 31 - len(suffix)] + suffix, n + 1
        self.titles.add(title.lower())
        return title


def _cells(section: Section) -> list[tuple[int, Cell]]:
    return [(i, cell) for row in section.rows for i, cell in enumerate(row.cells)]


def _sheet_column(section: Section, i: int) -> int:
    """The sheet column of layout column `i` (rate columns take two)."""
    rates = {j for j, cell in _cells(section) if isinstance(cell, Rate)}
    return i + sum(1 for j in rates if j < i)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _number(value: Decimal) -> float:
    # Excel stores numbers as binary floating point; this is the one place a figure
    # becomes a float, on its way into a cell (see the module's note).
    return float(value)


def _sheet(book: Any, title: str, lang: str) -> Any:
    """A new sheet; in a right-to-left language it reads from the right (column A on the right),
    as Excel shows an Arabic workbook."""
    sheet = book.add_worksheet(title)
    if is_right_to_left(lang):
        sheet.right_to_left()
    return sheet
