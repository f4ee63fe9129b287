"""Other income, refunds to donors and bank charges in the report: one section of the
layout (table, Markdown, HTML, Excel), their JSON and their CSV rows, from the
position's `movements` (`compute.cash_movements`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wsis_ledger.compute.cash_movements import MOVEMENT_KINDS, MovementRow
from wsis_ledger.compute.position import Position
from wsis_ledger.core import money
from wsis_ledger.core.json_schema import AMOUNT, DAY, N_AMOUNT, N_TEXT, TEXT, Schema, array, obj
from wsis_ledger.render.cells import Cell, Column, Money, Row, Section
from wsis_ledger.render.labels import amount_label, label

#: The columns of the section, in order.
KEYS = ("date", "kind", "donor", "description", "original", "rate", "chf")


def movements_section(position: Position) -> Section | None:
    """Each movement, by kind (other income, refunds, bank charges), with the total of each
    kind; None where the ledger records none."""
    movements, lang = position.movements, position.lang
    if not movements.recorded:
        return None
    rows: list[Row] = []
    for kind in MOVEMENT_KINDS:
        if kind not in movements.recorded:
            continue
        listed: tuple[MovementRow, ...] = getattr(movements, kind)
        for m in listed:
            rows.append(Row(_cells(m, lang)))
        total: list[Cell] = [None] * len(KEYS)
        total[1], total[6] = f"{label('total', lang)}: {label(kind, lang)}", movements.total(kind)
        rows.append(Row(tuple(total), "total"))
    columns = tuple(
        Column(
            key,
            amount_label(key, lang) if key == "chf" else label(key, lang),
            key in ("original", "rate", "chf"),
        )
        for key in KEYS
    )
    heading = label("cash_movements", lang)
    return Section("cash_movements", heading, 2, columns, tuple(rows))


def _cells(m: MovementRow, lang: str) -> tuple[Cell, ...]:
    kind = label(m.kind, lang)
    if m.income_kind is not None:
        kind = f"{kind} ({label('interest' if m.income_kind == 'interest' else 'other', lang)})"
    return (
        m.date.isoformat(),
        kind,
        m.donor,
        m.description or m.receipt,
        Money(m.amount, m.currency) if m.currency != "CHF" else None,
        m.rate if m.rate and m.rate.basis != "same-currency" else None,
        m.chf,
    )


def balance_rows(position: Position) -> list[Row]:
    """The fund balance's rows for the kinds the ledger records: other income added,
    refunds and bank charges taken off (shown negative, as expenditure is)."""
    movements, lang = position.movements, position.lang
    sign = {"other_income": 1, "refunds": -1, "bank_charges": -1}
    return [
        Row((label(kind, lang), sign[kind] * movements.total(kind)))
        for kind in MOVEMENT_KINDS
        if kind in movements.recorded
    ]


def movement_to_json(row: MovementRow) -> dict[str, Any]:
    """One movement for scripts (amounts as strings)."""
    return {
        "id": row.id,
        "date": row.date.isoformat(),
        "kind": row.income_kind,
        "donor_id": row.donor_id,
        "donor": row.donor,
        "receipt": row.receipt,
        "description": row.description,
        "amount": money.format_amount(row.amount),
        "currency": row.currency,
        "rate": money.format_amount(row.rate.value) if row.rate else None,
        "rate_basis": row.rate.basis if row.rate else None,
        "chf": money.format_amount(row.chf),
        "reference": row.reference,
    }


def movement_totals_json(position: Position) -> dict[str, str | None]:
    """`totals.other_income`, `refunds`, `bank_charges`: null for a kind never recorded."""
    movements = position.movements
    return {
        kind: money.format_amount(movements.total(kind)) if kind in movements.recorded else None
        for kind in MOVEMENT_KINDS
    }


def movements_json(position: Position) -> dict[str, list[dict[str, Any]]]:
    """The report's `cash_movements`: each kind's movements."""
    movements = position.movements
    return {
        "other_income": [movement_to_json(m) for m in movements.other_income],
        "refunds": [movement_to_json(m) for m in movements.refunds],
        "bank_charges": [movement_to_json(m) for m in movements.bank_charges],
    }


def movement_csv_rows(position: Position) -> Iterable[dict[str, Any]]:
    """Each movement as a CSV row, its section the kind's (`other_income`, ...)."""
    for row in position.movements.rows:
        data = movement_to_json(row)
        yield {
            "section": row.kind,
            **{k: data[k] for k in ("id", "date", "donor_id", "donor", "amount", "currency")},
            **{k: data[k] for k in ("rate", "rate_basis", "chf")},
            "detail": row.income_kind or row.description or row.receipt,
        }


def movements_schema() -> Schema:
    """The schema of `movements_json` (`movement_to_json`, each kind's list)."""
    movement = obj(
        {
            **{"id": TEXT, "date": DAY, "kind": N_TEXT, "donor_id": N_TEXT, "donor": N_TEXT},
            **{"receipt": N_TEXT, "description": N_TEXT, "amount": AMOUNT, "currency": TEXT},
            **{"rate": N_AMOUNT, "rate_basis": N_TEXT, "chf": AMOUNT, "reference": N_TEXT},
        }
    )
    return obj({kind: array(movement) for kind in ("other_income", "refunds", "bank_charges")})
