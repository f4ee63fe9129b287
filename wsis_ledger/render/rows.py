"""Any list of rows (pledges, rates, loans, a donor's, a budget's) as a table,
Markdown, CSV or JSON, the same fields each way."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from wsis_ledger.core import json_schema
from wsis_ledger.core.json_schema import SCHEMA_VERSION, Schema, document
from wsis_ledger.core.language import number, word
from wsis_ledger.render import escape
from wsis_ledger.render.csv_out import safe_cell


def render_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    key: str = "rows",
    *,
    headings: Mapping[str, str] | None = None,
    amounts: Collection[str] = (),
    width: int | None = None,
    optional: Sequence[str] = (),
    lang: str = "en",
) -> str:
    """Rows as a table, Markdown, CSV, or JSON (`{key: [...]}`), the same fields each way.

    Values are already text (amounts as plain digits), numbers, booleans or None.
    A table (and Markdown) heads each column with `headings` (the field's name where
    none is given) and shows the fields in `amounts` grouped by thousands, on the
    right, as `report` does, as `lang` writes numbers; CSV and JSON keep the field
    names and plain digits.

    A table on a terminal `width` columns wide (None: a pipe, a file, or --wide)
    is fitted to it as `report` fits its tables: text columns wrapped, and while
    it is too wide or a text column is wrapped to its narrowest, the `optional`
    columns left out, the first named first; a line under it names them.
    """
    if fmt == "json":
        rows_list = [{c: row.get(c) for c in columns} for row in rows]
        document = {"schema_version": SCHEMA_VERSION, key: rows_list}
        return escape.json_document(document) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(_cell(row.get(c))) for c in columns])
        return out.getvalue()
    if fmt == "table" and width is not None:
        return _fitted(rows, columns, width, headings or {}, amounts, optional, lang)
    from tabulate import tabulate

    body = [[_shown(row.get(c), c in amounts, lang) for c in columns] for row in rows]
    headers = [(headings or {}).get(c, c) for c in columns]
    if fmt == "markdown":
        body = [[escape.markdown_cell(str(cell)) for cell in line] for line in body]
        headers = [escape.markdown_cell(h) for h in headers]
    else:
        body = [[escape.visible(c) if isinstance(c, str) else c for c in line] for line in body]
        headers = [escape.visible(h) for h in headers]
    table = tabulate(
        body,
        headers=headers,
        tablefmt="pipe" if fmt == "markdown" else "simple",
        colalign=[_align(rows, c, amounts) for c in columns] if rows else None,
        disable_numparse=True,
    )
    return table + "\n"


def _fitted(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    width: int,
    headings: Mapping[str, str],
    amounts: Collection[str],
    optional: Sequence[str],
    lang: str,
) -> str:
    """A table fitted to `width`: wrapped, then without optional columns while too wide."""
    from wsis_ledger.render.tables import fit, widest_line, wrap

    shown, left_out = list(columns), []
    droppable = [c for c in optional if c in columns]
    while True:
        body = [[str(_shown(row.get(c), c in amounts, lang)) for c in shown] for row in rows]
        headers = [headings.get(c, c) for c in shown]
        numeric = [bool(rows) and _align(rows, c, amounts) == "right" for c in shown]
        text, squeezed = fit(body, headers, numeric, width)
        if (widest_line(text) <= width and not squeezed) or not droppable:
            break
        column = droppable.pop(0)
        shown.remove(column)
        left_out.append(headings.get(column, column))
    if left_out:
        note = word(
            lang, "not_shown", "(not shown, to fit {width} columns: {columns}; --wide shows them)"
        ).format(width=width, columns=word(lang, "list_separator", ", ").join(left_out))
        text += "\n" + "\n".join(wrap(note, width))
    return text + "\n"


def _align(rows: Sequence[dict[str, Any]], column: str, amounts: Collection[str]) -> str:
    """Amounts and counts on the right, text on the left."""
    values = [row.get(column) for row in rows if row.get(column) is not None]
    counts = values and all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    return "right" if column in amounts or counts else "left"


def _shown(value: object, amount: bool, lang: str) -> object:
    """A cell of a table: an amount (plain digits) grouped by thousands, as `lang` groups them."""
    if amount and isinstance(value, str) and value:
        try:
            return number(Decimal(value), lang)
        except ArithmeticError:  # not a number after all: as it is
            return value
    return _cell(value)


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def rows_schema(
    title: str,
    key: str,
    columns: Sequence[str],
    amounts: Collection[str] = (),
    types: Mapping[str, Schema] | None = None,
) -> Schema:
    """The schema of `render_rows(rows, columns, "json", key)`: `{schema_version, key: [...]}`,
    each row with exactly `columns` (amounts as digits or null, the others as `types`
    says, else text or null)."""
    listed = json_schema.rows(columns, amounts, types)
    return document(title, f"{{{key}: [...]}}, a row an object", {key: listed})
