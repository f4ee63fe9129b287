"""A `Position` as CSV: every row of the report, flat, with a `section` column.

An interface for scripts (its changes are listed in CHANGELOG.md); the values
are those of the JSON (`render.json_out`), amounts as plain digits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from wsis_ledger.compute.position import Position
from wsis_ledger.render import escape, provenance
from wsis_ledger.render.cash_movements import movement_csv_rows
from wsis_ledger.render.json_out import report_to_json
from wsis_ledger.render.json_parts import (
    entry_to_json,
    line_to_json,
    optional_amount,
    spend_to_json,
)
from wsis_ledger.render.labels import label
from wsis_ledger.render.layout import seconded_detail

CSV_COLUMNS = (
    "section",
    "id",
    "donor_id",
    "donor",
    "amount",
    "currency",
    "rate",
    "rate_basis",
    "chf",
    "count",
    "detail",
    # Added in 0.2.0 (CHANGELOG.md): pledge standing, and purposes with their level.
    "purpose",
    "date",
    "status",
    "paid_chf",
    "outstanding_chf",
    "exchange_difference",
    "depth",
    "received_chf",
    "pledged_chf",
    # Added for expenditure (CHANGELOG.md): expenditures, earmarks and budget lines.
    "expenditure_chf",
    "support_costs_chf",
    "balance_chf",
    "budget_chf",
    "remaining_chf",
    "percent_used",
    # Added in [Unreleased] (CHANGELOG.md): the source's notes, readings, phases, printed
    # totals that differ from their rows, sources and provenance.
    "note",
    "reading",
    "phase",
    "stated_chf",
    "computed_chf",
    "difference",
)


def report_csv(report: Position, separator: str = ",") -> str:
    """The report's rows as CSV, the columns separated by `separator` (`;` for a
    spreadsheet set for French or Swiss conventions)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(report):
        writer.writerow([safe_cell(_csv_value(row.get(column))) for column in CSV_COLUMNS])
    return out.getvalue()


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_rows(report: Position) -> Iterable[dict[str, Any]]:
    """Every row of the report, flat, with a `section` column; totals, then the sources
    and the provenance, last. Printed totals that differ from their rows come first."""
    made = provenance.now()
    document = report_to_json(report, made)
    yield from _difference_rows(document)
    for section, rows in (("received", report.receipts), ("pledged", report.pledges)):
        yield from ({"section": section, **entry_to_json(row)} for row in rows)
        yield from _note_rows(report, section)
    for row in report.cancelled_pledges:
        cancelled = entry_to_json(row)
        yield {"section": "pledged_cancelled", **cancelled, "detail": cancelled["cancelled_on"]}
    yield from _purpose_rows(report)
    yield from spending_csv_rows(report)
    yield from movement_csv_rows(report)
    for loan in report.loans:
        yield {
            "section": "loans",
            "id": loan.id,
            "donor_id": loan.lender_id,
            "donor": loan.lender,
            "chf": optional_amount(loan.ceiling),
            "detail": "ceiling",
            "note": None if loan.recorded else label("no_drawings", report.lang),
        }
    for staff in report.seconded:
        yield {
            "section": "seconded",
            "id": staff.id,
            "donor_id": staff.donor_id,
            "donor": staff.donor,
            "count": staff.full_time + staff.part_time,
            "detail": seconded_detail(staff.part_time > 0, staff.paid_by, "en"),
        }
    for facility in report.facilities:
        yield {
            "section": "facilities",
            "id": facility.id,
            "donor_id": facility.donor_id,
            "donor": facility.donor,
            "detail": "; ".join(facility.items),
        }
    for staff in report.staff:
        yield {
            "section": "staff",
            "id": staff.id,
            "donor_id": staff.donor_id,
            "donor": staff.donor,
            # No count: full-time and part-time staff are not one number the source prints.
            "detail": f"full-time {staff.full_time}; part-time {staff.part_time}; "
            + "; ".join(staff.units),
        }
    for direct in report.direct_support:
        yield {
            "section": "direct_support",
            "id": direct.id,
            "donor_id": direct.donor_id,
            "donor": direct.donor,
            "chf": optional_amount(direct.chf),
            "detail": direct.what,
        }
    yield from _total_rows(report, document)
    yield from _closing_rows(report, document, made)


def _note_rows(report: Position, under: str) -> Iterable[dict[str, Any]]:
    """The source's notes printed under a section, as rows of section `note`."""
    for n, note in enumerate(report.section_notes.get(under, ()), 1):
        yield {"section": "note", "id": f"{under}-{n}", "detail": under, "note": note}


def _difference_rows(document: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Printed totals that differ from their rows: the first rows of the CSV."""
    for section, key in (
        ("stated_difference", "stated_differences"),
        ("acknowledged_difference", "acknowledged_differences"),
    ):
        for difference in document[key]:
            row = {
                "section": section,
                "id": difference["statement"],
                "detail": difference["total"],
                "purpose": difference["purpose"],
                "stated_chf": difference["stated"],
                "computed_chf": difference["computed"],
                "difference": difference["difference"],
            }
            if "acknowledged_on" in difference:
                row["note"] = (
                    f"acknowledged on {difference['acknowledged_on']}: "
                    f"{difference['acknowledged_note'] or ''}".rstrip(": ")
                )
            yield row


def _closing_rows(
    report: Position, document: dict[str, Any], made: provenance.Provenance
) -> Iterable[dict[str, Any]]:
    """The source's notes not under the entries, each statement's source, the provenance."""
    for under in report.section_notes:
        if under not in ("received", "pledged"):
            yield from _note_rows(report, under)
    for n, note in enumerate(report.notes, 1):
        yield {"section": "note", "id": f"summary-{n}", "detail": "summary", "note": note}
    for n, note in enumerate(report.ledger_notes, 1):
        yield {"section": "ledger_note", "id": f"ledger-{n}", "note": note}
    for source in document["sources"]:
        yield {
            "section": "source",
            "id": source["statement"],
            "date": source["as_of"],
            "detail": source["source"],
        }
    yield {"section": "generated", "id": made.tool, "date": made.stamp, "detail": made.version}


def _total_rows(report: Position, document: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Each of the report's totals: a figure, or (`note`) computed or not stated."""
    computed = set(document["totals"]["computed"])

    def note(key: str, value: object) -> str | None:
        return _total_note(report, key, computed, value)

    for key, value in document["totals"].items():
        if key == "computed":
            continue
        column = "count" if key in ("experts", "experts_part_time") else "chf"
        yield {"section": "total", "id": key, column: value, "note": note(key, value)}


def _total_note(report: Position, key: str, computed: set[str], value: object) -> str | None:
    """`computed` for a total no statement prints; `not stated` for one the position
    cannot state (before a cumulative position's date: unknown, not 0)."""
    if not report.stated(key):
        return "not stated"
    return "computed" if key in computed and value is not None else None


def _purpose_rows(report: Position) -> Iterable[dict[str, Any]]:
    """Each purpose at each level (`id` its path, `depth` its level), then their total."""
    if not report.purposes:
        return
    for p in report.purposes:
        yield {
            "section": "purposes",
            "id": p.purpose,
            "purpose": p.purpose,
            "depth": p.depth,
            "received_chf": optional_amount(p.received),
            "pledged_chf": optional_amount(p.pledged),
            "chf": optional_amount(p.total),
        }
    totals = report.totals
    yield {
        "section": "purposes",
        "id": "total",
        "received_chf": optional_amount(totals.received) if report.stated("received") else None,
        "pledged_chf": optional_amount(totals.pledged) if report.stated("pledged") else None,
        "chf": (
            optional_amount(totals.received_and_pledged)
            if report.stated("received_and_pledged")
            else None
        ),
    }


def spending_csv_rows(report: Position) -> Iterable[dict[str, Any]]:
    """Each expenditure, each purpose's earmark balance, each budget line (then outside them)."""
    for row in report.spending.expenditures:
        data = spend_to_json(row)
        yield {
            "section": "expenditures",
            **{k: data[k] for k in ("id", "date", "amount", "currency", "rate", "rate_basis")},
            **{k: data[k] for k in ("chf", "purpose")},
            "detail": row.description,
            "expenditure_chf": data["chf"],
            "support_costs_chf": data["support_costs"],
        }
    for e in report.spending.earmarks:
        yield {
            "section": "earmarks",
            "id": e.purpose,
            "purpose": e.purpose,
            "depth": e.depth,
            "received_chf": optional_amount(e.received),
            "expenditure_chf": optional_amount(e.expenditure),
            "support_costs_chf": optional_amount(e.support_costs),
            "balance_chf": optional_amount(e.balance),
        }
    spent = report.spending
    for line in spent.lines:
        data = line_to_json(line)
        yield {
            "section": "budget_lines",
            "id": line.id,
            "purpose": line.purpose,
            "detail": line.phase,
            "budget_chf": data["budget"],
            "expenditure_chf": data["expenditure"],
            "support_costs_chf": data["support_costs"],
            "remaining_chf": data["remaining"],
            "percent_used": data["percent_used"],
        }
    if spent.lines:
        yield {
            "section": "budget_lines",
            "id": "outside",
            "expenditure_chf": optional_amount(spent.outside_expenditure),
            "support_costs_chf": optional_amount(spent.outside_support),
        }


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula, whatever separator it splits
    on (see `escape.csv_cell`). Numbers are left as they are."""
    return escape.csv_cell(value)
