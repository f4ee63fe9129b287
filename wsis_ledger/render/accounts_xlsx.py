"""The fund's accounts as an Excel workbook: one sheet per statement (each heading and
total a formula over the lines it adds up, with its value stored), and the notes."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from wsis_ledger.compute.accounts import Accounts
from wsis_ledger.core.language import is_right_to_left
from wsis_ledger.render import provenance
from wsis_ledger.render.accounts import Row, Statement, notes, period_line, statements, words
from wsis_ledger.render.labels import value_word


def xlsx(accounts: Accounts) -> bytes:
    """A workbook: one sheet per statement (totals as formulas with their values), notes."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    made = provenance.now()
    w = words(accounts.lang)
    book.set_properties(
        {
            "title": f"{accounts.fund}: {w['title']}",
            "subject": period_line(accounts),
            "author": f"{made.tool} {made.version}",
            "created": made.generated.replace(tzinfo=None),
        }
    )
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": "#,##0"})
    total = book.add_format({"num_format": "#,##0", "bold": True, "top": 1})
    for statement in statements(accounts):
        sheet = _sheet(book, statement.title, accounts.lang)
        sheet.write_string(0, 0, accounts.fund, bold)
        sheet.write_string(1, 0, period_line(accounts))
        basis = value_word(accounts.notes.basis, accounts.lang)
        sheet.write_string(2, 0, f"{w['basis_note']}: {basis}")
        sheet.write_string(4, 0, w["line"], bold)
        for j, column in enumerate(statement.columns, start=1):
            sheet.write_string(4, j, column, bold)
        _rows_with_formulas(sheet, statement, 5, (number, total, bold), w["not_stated"])
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, len(statement.columns), 14)
    sheet = _sheet(book, w["notes"], accounts.lang)
    r = 0
    for index, note in enumerate(notes(accounts), start=1):
        sheet.write_string(r, 0, f"{index}. {note.title}", bold)
        r += 1
        for text in note.text:
            sheet.write_string(r, 0, text)
            r += 1
        if note.headers:
            for j, h in enumerate(note.headers):
                sheet.write_string(r, j, h, bold)
            r += 1
            for cells in note.rows:
                for j, c in enumerate(cells):
                    if isinstance(c, Decimal):
                        sheet.write_number(r, j, c, number)
                    else:
                        sheet.write_string(r, j, c or "")
                r += 1
        r += 1
    sheet.set_column(0, 5, 22)
    book.close()
    return out.getvalue()


def _rows_with_formulas(
    sheet: Any,
    statement: Statement,
    first: int,
    formats: tuple[Any, Any, Any],
    unknown: str,
) -> None:
    """Lines as numbers; each heading and total as a formula over the lines it adds up,
    with its value stored beside it."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    number, total, bold = formats
    where: dict[str, int] = {}
    for i, row in enumerate(statement.rows):
        where[row.key] = first + i
    for i, row in enumerate(statement.rows):
        r = first + i
        sheet.write_string(r, 0, ("    " * row.depth) + row.label, bold if row.depth == 0 else None)
        if row.values is None:
            continue
        for j, value in enumerate(row.values, start=1):
            if value is None:  # not stated: said so, never a zero a formula would add
                sheet.write_string(r, j, unknown)
                continue
            formula = _formula(statement, row, j, where, xl_rowcol_to_cell)
            if formula is None:
                sheet.write_number(r, j, value, number)
            else:
                sheet.write_formula(r, j, formula, total, value)


def _formula(
    statement: Statement, row: Row, column: int, where: dict[str, int], cell: Any
) -> str | None:
    keys = [r.key for r in statement.rows]

    def at(key: str) -> str:
        return str(cell(where[key], column))

    def children(key: str) -> list[str]:
        return [k for k in keys if k.startswith(key + ":")]

    def section(start: str, end: str) -> list[str]:
        inside = keys[keys.index(start) + 1 : keys.index(end)]
        rows = {r.key: r for r in statement.rows}
        return [k for k in inside if rows[k].depth == 0 and rows[k].values is not None]

    if row.key == "change":
        return f"={at('total_sources')}-{at('total_uses')}"
    if row.key == "closing":
        return f"={at('opening')}+{at('change')}"
    added: dict[str, Callable[[], list[str]]] = {
        "contributions": lambda: children("contributions"),
        "expenditure": lambda: children("expenditure"),
        "total_sources": lambda: section("sources", "total_sources"),
        "total_uses": lambda: section("uses", "total_uses"),
        "total_assets": lambda: ["cash", "receivable"],
        "total_liabilities": lambda: ["loans_payable"],
        "total_net_assets": lambda: [
            k for k in keys if k.startswith("restricted:") or k == "unrestricted"
        ],
        "liabilities_net_assets": lambda: ["total_liabilities", "total_net_assets"],
    }
    terms = [at(k) for k in added[row.key]()] if row.key in added else []
    if not terms:
        return None
    return "=" + "+".join(terms)


def _sheet_name(title: str) -> str:
    """An Excel sheet name: at most 31 characters, none of `[]:*?/\\`."""
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31]


def _sheet(book: Any, title: str, lang: str) -> Any:
    """A new sheet; in a right-to-left language column A is on the right, as Excel shows
    an Arabic workbook."""
    sheet = book.add_worksheet(_sheet_name(title))
    if is_right_to_left(lang):
        sheet.right_to_left()
    return sheet
