"""The fund's accounts as a terminal's table, Markdown, CSV and JSON: writers over the
one layout (`render.accounts`)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from wsis_ledger.compute.accounts import Accounts
from wsis_ledger.core import json_schema, money
from wsis_ledger.core.language import day
from wsis_ledger.core.language import number as figure
from wsis_ledger.render import escape, provenance
from wsis_ledger.render.accounts import figure_cells, notes, period_line, statements, words


def text_format(accounts: Accounts, fmt: str) -> str:
    """The accounts as `table`, `markdown`, `csv` or `json` text."""
    if fmt == "json":
        return escape.json_document(to_json(accounts)) + "\n"
    if fmt == "csv":
        return csv_text(accounts)
    return text(accounts, markdown=fmt == "markdown")


def _amount(value: Decimal | None) -> str | None:
    return money.format_amount(value) if value is not None else None


def to_json(accounts: Accounts) -> dict[str, Any]:
    """The accounts as JSON: amounts as strings of plain digits, keys stable."""
    made = provenance.now()
    documents = []
    for statement in statements(accounts):
        documents.append(
            {
                "statement": statement.key,
                "title": statement.title,
                "columns": list(statement.columns),
                "lines": [
                    {
                        "key": row.key,
                        "label": row.label,
                        "kind": row.style,
                        "depth": row.depth,
                        # null: a heading's (no figures), or a figure not stated.
                        "values": [_amount(v) for v in row.values] if row.values else None,
                    }
                    for row in statement.rows
                ],
            }
        )
    return {
        "schema_version": json_schema.SCHEMA_VERSION,  # first in every JSON output
        "fund": {"id": accounts.fund_id, "name": accounts.fund},
        "period": {"start": accounts.start.isoformat(), "end": accounts.end.isoformat()},
        "basis": accounts.notes.basis,
        "basis_stated": not accounts.notes.basis_default,
        # The lines whose figures cannot be stated (null), and why (`cash`, `loans`).
        "not_stated": {
            "lines": sorted(accounts.not_stated),
            "because": list(accounts.not_stated_because),
        },
        "statements": documents,
        "notes": [
            {
                "note": note.key,
                "title": note.title,
                "text": list(note.text),
                "headers": list(note.headers),
                "rows": [[_json_cell(c) for c in row] for row in note.rows],
            }
            for note in notes(accounts)
        ],
        "signatures": {
            "prepared_by": {"name": accounts.prepared_by[0], "title": accounts.prepared_by[1]},
            "certified_by": {"name": accounts.certified_by[0], "title": accounts.certified_by[1]},
        },
        "generated": provenance.generated_json(made),
        # Added in [Unreleased]: a period holding a cumulative position whose start the
        # source does not give (the columns from it, their opening null), or ending before it.
        "cumulative": _cumulative_json(accounts),
    }


def _cumulative_json(accounts: Accounts) -> dict[str, Any] | None:
    if accounts.cumulative_on is None:
        return None
    return {
        "as_of": accounts.cumulative_on.isoformat(),
        "from_unknown_start": [c.label for c in accounts.columns if c.unknown_start],
        "not_stated": [c.label for c in accounts.columns if not c.stated],
    }


def _json_cell(cell: str | Decimal | None) -> str | None:
    return _amount(cell) if isinstance(cell, Decimal) else cell


def csv_text(accounts: Accounts) -> str:
    """One row per figure: statement, line key, label, column, CHF (empty: not stated);
    then the notes' rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["statement", "line", "label", "column", "chf"])
    for statement in statements(accounts):
        for row in statement.rows:
            if row.values is None:  # a heading: its lines follow
                continue
            for column, value in zip(statement.columns, row.values, strict=True):
                writer.writerow(
                    [
                        statement.key,
                        row.key,
                        escape.csv_cell(escape.one_line(row.label)),
                        column,
                        _amount(value) or "",
                    ]
                )
    for note in notes(accounts):
        for text in note.text:
            writer.writerow(["notes", note.key, escape.csv_cell(escape.one_line(text)), "", ""])
        for cells in note.rows:
            described = " | ".join(
                escape.one_line(str(c)) for c in cells if not isinstance(c, Decimal) and c
            )
            figure = next((c for c in cells if isinstance(c, Decimal)), None)
            writer.writerow(
                [
                    "notes",
                    note.key,
                    escape.csv_cell(described),
                    "",
                    _amount(figure) or "",
                ]
            )
    return out.getvalue()


def text(accounts: Accounts, *, markdown: bool) -> str:
    """The accounts as a terminal's table, or Markdown."""
    from tabulate import tabulate

    w = words(accounts.lang)

    def line(text: str) -> str:
        return escape.markdown_cell(text) if markdown else escape.one_line(text)

    out = [
        ("# " if markdown else "") + line(f"{accounts.fund}: {w['title']}"),
        "",
        line(period_line(accounts)),
        line(w["as_of"].format(date=day(accounts.end, accounts.lang))),
        "",
    ]
    for statement in statements(accounts):
        out += [("## " if markdown else "") + line(statement.title), ""]
        body = [
            [
                line(("· " * row.depth) + row.label),
                *figure_cells(row.values, len(statement.columns), accounts.lang),
            ]
            for row in statement.rows
        ]
        headers = [w["line"], *statement.columns]
        out.append(
            tabulate(
                body,
                headers=[line(h) for h in headers],
                tablefmt="pipe" if markdown else "simple",
                colalign=["left", *["right"] * len(statement.columns)],
                disable_numparse=True,
            )
        )
        out.append("")
    out += [("## " if markdown else "") + line(w["notes"]), ""]
    for number, note in enumerate(notes(accounts), start=1):
        out += [("### " if markdown else "") + line(f"{number}. {note.title}"), ""]
        out += [line(text) for text in note.text]
        if note.headers:
            if note.rows:
                body = [
                    [
                        figure(c, accounts.lang) if isinstance(c, Decimal) else line(c or "")
                        for c in cells
                    ]
                    for cells in note.rows
                ]
                out.append(
                    tabulate(
                        body,
                        headers=[line(h) for h in note.headers],
                        tablefmt="pipe" if markdown else "simple",
                        disable_numparse=True,
                    )
                )
            else:
                out.append(line(w["none"]))
        out.append("")
    for role in ("prepared_by", "certified_by"):
        name, title = getattr(accounts, role)
        out.append(line(f"{w[role]}: {name or '________________'}, {title or '________________'}"))
    return "\n".join(out) + "\n"
