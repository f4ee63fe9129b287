"""Budget against actual as rows: each phase's lines, the phase's lines together, and
what was spent outside the lines (for `wsis-ledger budget`)."""

from __future__ import annotations

from typing import Any

from wsis_ledger.compute.position import Position
from wsis_ledger.core import money
from wsis_ledger.core.json_schema import (
    AMOUNT,
    TEXT,
    Schema,
    array,
    document,
    null_or,
    obj,
    versioned,
)
from wsis_ledger.render.json_parts import line_properties, line_to_json
from wsis_ledger.render.labels import field_headings

COLUMNS = (
    "phase",
    "line",
    "purpose",
    "budget",
    "expenditure",
    "support_costs",
    "remaining",
    "percent_used",
)
#: The rows that are not a budget line (a table translates these words, not a line's id).
WORDS = ("total", "outside the lines")
#: The columns a table shows grouped by thousands.
AMOUNTS = ("budget", "expenditure", "support_costs", "remaining")


def headings(lang: str = "en") -> dict[str, str]:
    """Each column's heading in a table (CSV and JSON keep the field names)."""
    keys = {"line": "budget_line", "budget": "line_budget", "percent_used": "percent_used_pct"}
    return field_headings({c: keys.get(c, c) for c in COLUMNS}, lang)


def budget_rows(position: Position, phase: str | None = None) -> list[dict[str, Any]]:
    """Each line of each phase (or of `phase` only), then the phase's total; then outside."""
    spent = position.spending
    rows: list[dict[str, Any]] = []
    for total in spent.phases:
        if phase is not None and total.id != phase:
            continue
        for line in spent.lines:
            if line.phase == total.id:
                rows.append(_row(line_to_json(line), total.id, line.id))
        rows.append(_row(line_to_json(total), total.id, "total"))
    if phase is None and (
        spent.outside_expenditure or spent.outside_support or (spent.recorded and not rows)
    ):
        rows.append(
            {
                "phase": None,
                "line": "outside the lines",
                "expenditure": money.format_amount(spent.outside_expenditure),
                "support_costs": money.format_amount(spent.outside_support),
            }
        )
    return rows


def budget_document(position: Position, phase: str | None = None) -> dict[str, Any]:
    """The JSON document: the budget lines alone in `lines` (they add up to each phase's
    total), each phase's lines together in `phases`, and what was spent outside them."""
    spent = position.spending
    lines = [
        _row(line_to_json(line), line.phase, line.id)
        for line in spent.lines
        if phase is None or line.phase == phase
    ]
    phases = [
        _row(line_to_json(total), total.id, "total")
        for total in spent.phases
        if phase is None or total.id == phase
    ]
    outside = None
    if phase is None and spent.recorded:
        outside = {
            "expenditure": money.format_amount(spent.outside_expenditure),
            "support_costs": money.format_amount(spent.outside_support),
        }
    return versioned({"lines": lines, "phases": phases, "outside_lines": outside})


def budget_schema() -> Schema:
    """The schema of `budget_document` (`budget --format json`)."""
    line = obj({**line_properties(), "line": TEXT})
    outside = obj({"expenditure": AMOUNT, "support_costs": AMOUNT})
    return document(
        "wsis-ledger budget --format json",
        "Each budget line against what was spent on it; each phase's lines together.",
        {"lines": array(line), "phases": array(line), "outside_lines": null_or(outside)},
    )


def _row(data: dict[str, Any], phase: str, line: str) -> dict[str, Any]:
    return {**data, "phase": phase, "line": line}
