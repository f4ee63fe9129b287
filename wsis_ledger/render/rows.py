"""Any list of rows (pledges, rates, loans, a donor's, a budget's) as a table,
Markdown, CSV or JSON, the same fields each way."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from wsis_ledger.core import money
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
) -> str:
    """Rows as a table, Markdown, CSV, or JSON (`{key: [...]}`), the same fields each way.

    Values are already text (amounts as plain digits), numbers, booleans or None.
    A table (and Markdown) heads each column with `headings` (the field's name where
    none is given) and shows the fields in `amounts` grouped by thousands, on the
    right, as `report` does; CSV and JSON keep the field names and plain digits.
    """
    if fmt == "json":
        document = {key: [{c: row.get(c) for c in columns} for row in rows]}
        return escape.json_document(document) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(_cell(row.get(c))) for c in columns])
        return out.getvalue()
    from tabulate import tabulate

    body = [[_shown(row.get(c), c in amounts) for c in columns] for row in rows]
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


def _align(rows: Sequence[dict[str, Any]], column: str, amounts: Collection[str]) -> str:
    """Amounts and counts on the right, text on the left."""
    values = [row.get(column) for row in rows if row.get(column) is not None]
    counts = values and all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    return "right" if column in amounts or counts else "left"


def _shown(value: object, amount: bool) -> object:
    """A cell of a table: an amount (plain digits) grouped by thousands."""
    if amount and isinstance(value, str) and value:
        try:
            return money.group_thousands(Decimal(value))
        except ArithmeticError:  # not a number after all: as it is
            return value
    return _cell(value)


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value
