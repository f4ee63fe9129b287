"""A `Position` as the JSON document of `report --format json`, whole or in pieces, and
its schema.

An interface for scripts (its changes are listed in CHANGELOG.md): keys are
stable, amounts are strings (`"2243419"`) so that no reader turns them into
floats, counts are numbers. The parts are made in `json_parts`; the shortcut
that writes entries as text is `json_text`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from wsis_ledger.compute.position import EntryRow, Position
from wsis_ledger.core.json_schema import (
    COUNT,
    DAY,
    FLAG,
    N_AMOUNT,
    N_COUNT,
    N_DAY,
    N_TEXT,
    SCHEMA_VERSION,
    TEXT,
    Schema,
    array,
    document,
    null_or,
    obj,
)
from wsis_ledger.render import escape, provenance
from wsis_ledger.render.cash_movements import (
    movement_totals_json,
    movements_json,
    movements_schema,
)
from wsis_ledger.render.json_parts import (
    TOTALS,
    computed_totals,
    controls_schema,
    controls_to_json,
    differences_json,
    differences_schema,
    entry_schema,
    entry_to_json,
    loan_json,
    loan_totals,
    loans_by_phase,
    loans_schema,
    optional_amount,
    spending_schema,
    spending_to_json,
    spending_totals,
    statement_schema,
    statement_to_json,
    totals_schema,
)
from wsis_ledger.render.json_text import JSON_INDENT, Entries, indented_parts
from wsis_ledger.render.labels import label

#: Above this many entries, `report --format json` is made a piece at a time as
#: it is written (`json_pieces`), never held whole (bench/HISTORY.md).
STREAMED_JSON_ENTRIES = 200_000
#: A streamed document's pieces are about this many characters each.
JSON_PIECE = 1 << 20


def streamed(report: Position) -> bool:
    """True when `report`'s JSON is written as it is made (`json_pieces`)."""
    return _entry_count(report) > STREAMED_JSON_ENTRIES


def json_pieces(report: Position, shortcuts: bool = True) -> Iterator[str]:
    """`report_json(report)`, a piece of about JSON_PIECE characters at a time."""
    held: list[str] = []
    size = 0
    for part in _json_document_parts(report, shortcuts):
        held.append(part)
        size += len(part)
        if size >= JSON_PIECE:
            yield escape.json_safe("".join(held))
            held, size = [], 0
    yield escape.json_safe("".join(held))


def _entry_count(report: Position) -> int:
    return len(report.receipts) + len(report.pledges)


def report_json(report: Position, shortcuts: bool = True) -> str:
    """The report as JSON text (`report_to_json`, indented by JSON_INDENT at every
    size), ending with a newline. With `shortcuts` its entries are written as text
    directly (`entry_json_text`), the same bytes as the plain encoder's."""
    return escape.json_safe("".join(_json_document_parts(report, shortcuts)))


def _json_document_parts(report: Position, shortcuts: bool) -> Iterator[str]:
    """`report_json`'s text, in pieces."""
    if not shortcuts:
        encoder = json.JSONEncoder(ensure_ascii=False, indent=JSON_INDENT)
        yield from encoder.iterencode(report_to_json(report))
        yield "\n"
        return
    yield from indented_parts(_document(report, None, Entries))


def report_to_json(report: Position, made: provenance.Provenance | None = None) -> dict[str, Any]:
    """The report as the JSON document the README documents."""
    return _document(report, made, lambda rows: [entry_to_json(row) for row in rows])


def _document(
    report: Position,
    made: provenance.Provenance | None,
    entries: Callable[[Sequence[EntryRow]], object],
) -> dict[str, Any]:
    """`report_to_json`, each list of entries made by `entries`."""
    totals, budget, headings = report.totals, report.budget, report.headings
    made = made or provenance.now()
    return {
        "schema_version": SCHEMA_VERSION,  # added in 0.3.0: first, in every JSON output
        # Added in [Unreleased]: printed totals that differ from their rows (first, so
        # that a reader sees them), provenance, each statement, the history.
        "stated_differences": differences_json(report),
        "acknowledged_differences": differences_json(report, acknowledged=True),
        "generated": provenance.generated_json(made),
        "sources": provenance.sources_json(report),
        "statements": [statement_to_json(s) for s in report.statements],
        "history": [
            {
                "statement": h.statement,
                "as_of": h.as_of.isoformat(),
                "received": optional_amount(h.received),
                "pledged": optional_amount(h.pledged),
            }
            for h in report.history
        ],
        "fund": {"id": report.fund_id, "name": report.fund},
        "title": report.title,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "currency": "CHF",
        "lang": report.lang,
        "received": {
            "heading": headings["received"],
            "entries": entries(report.receipts),
            "total": optional_amount(totals.received) if report.stated("received") else None,
        },
        "pledged": {
            "heading": headings["pledged"],
            "entries": entries(report.pledges),
            "cancelled": entries(report.cancelled_pledges),
            "total": optional_amount(totals.pledged) if report.stated("pledged") else None,
            "notes": list(report.section_notes.get("pledged", ())),
        },
        "loans": {
            "heading": headings["loans"],
            "facilities": [loan_json(r) for r in report.loans],
            "by_phase": loans_by_phase(report),
            "total_ceiling": (
                optional_amount(totals.loan_ceiling) if report.stated("loan_ceiling") else None
            ),
        },
        "seconded": {
            "heading": headings["seconded"],
            "rows": [
                {
                    "id": r.id,
                    "donor_id": r.donor_id,
                    "donor": r.donor,
                    "experts": r.full_time + r.part_time,
                    "part_time": r.part_time > 0,
                    "salaries_paid_by": r.paid_by,
                }
                for r in report.seconded
            ],
            # As the rows list them; the source gives no total and does not say that
            # the others are full-time (so there is no `full_time`).
            "experts": totals.experts,
            "part_time": totals.experts_part_time,
            "computed": ["experts", "part_time"],  # the source prints no total of them
            "notes": list(report.section_notes.get("seconded", ())),
        },
        "facilities": {
            "heading": headings["facilities"],
            "rows": [
                {"id": r.id, "donor_id": r.donor_id, "donor": r.donor, "items": list(r.items)}
                for r in report.facilities
            ],
        },
        "staff": {
            "heading": headings["staff"],
            "rows": [
                {
                    "id": r.id,
                    "donor_id": r.donor_id,
                    "donor": r.donor,
                    "full_time": r.full_time,
                    "part_time": r.part_time,
                    "units": list(r.units),
                }
                for r in report.staff
            ],
        },
        "direct_support": {
            "heading": headings["direct_support"],
            "rows": [
                {
                    "id": r.id,
                    "donor_id": r.donor_id,
                    "donor": r.donor,
                    "chf": optional_amount(r.chf),
                    "what": r.what,
                }
                for r in report.direct_support
            ],
            "total": optional_amount(totals.direct_support)
            if report.stated("direct_support")
            else None,
        },
        "budget": None
        if budget is None
        else {
            "phase_id": budget.phase_id,
            "phase": budget.phase,
            "estimate": optional_amount(budget.estimate),
            "coverage_percent": optional_amount(budget.coverage_percent),
            "gap": optional_amount(budget.gap),
            "attributed_entries": budget.attributed,
            "note": None if budget.attributed else label("not_attributed", report.lang),
        },
        "totals": totals_json(report),
        "purposes": [
            {
                "purpose": p.purpose or None,
                "depth": p.depth,
                "received": optional_amount(p.received),
                "pledged": optional_amount(p.pledged),
                "total": optional_amount(p.total),
            }
            for p in report.purposes
        ],
        "notes": list(report.notes),
        # Added in [Unreleased]: what the ledger's checks note (rates far from the reference).
        "ledger_notes": list(report.ledger_notes),
        **spending_to_json(report),
        "controls": controls_to_json(report),
        "cash_movements": movements_json(report),
        # Added in [Unreleased]: the totals not stated before a cumulative position's date.
        "cumulative": cumulative_json(report),
    }


def totals_json(report: Position) -> dict[str, Any]:
    """The report's `totals`: null where a total cannot be stated (no expenditure, no
    drawing, no movement of a kind recorded; before a cumulative position's date)."""
    totals = report.totals
    return _stated(
        report,
        {
            "received": optional_amount(totals.received),
            "pledged": optional_amount(totals.pledged),
            "received_and_pledged": optional_amount(totals.received_and_pledged),
            "exchange_difference": optional_amount(totals.exchange_difference),
            "exchange_gains": optional_amount(totals.exchange_gains),
            "exchange_losses": optional_amount(totals.exchange_losses),
            "loan_ceiling": optional_amount(totals.loan_ceiling),
            **loan_totals(report),
            "direct_support": optional_amount(totals.direct_support),
            "experts": totals.experts,
            "experts_part_time": totals.experts_part_time,
            **spending_totals(report),
            **movement_totals_json(report),
            # The totals above that no statement prints: the ledger's sums, not the source's.
            "computed": computed_totals(report),
        },
    )


def not_stated_totals(report: Position) -> list[str]:
    """The keys of `totals_json` the report gives as null: what it cannot state. Every
    output that holds such a figure marks it (the journals, SQLite)."""
    return [key for key, value in totals_json(report).items() if value is None]


def _stated(report: Position, totals: dict[str, Any]) -> dict[str, Any]:
    """`totals`, null where the position cannot state a total (`Position.unstated`)."""
    return {key: None if key in report.unstated else value for key, value in totals.items()}


def cumulative_json(report: Position) -> dict[str, Any] | None:
    """Where the position is dated before a cumulative statement's date: that date, and
    the totals it cannot state (null in `totals`); else null."""
    if report.cumulative_on is None:
        return None
    return {
        "as_of": report.cumulative_on.isoformat(),
        "totals_not_stated": [key for key in TOTALS if not report.stated(key)],
    }


def report_schema() -> Schema:
    """The schema of `report_to_json`'s document (`report --format json`)."""
    entries = array(entry_schema())
    donor = {"id": TEXT, "donor_id": TEXT, "donor": TEXT}
    notes = array(TEXT)
    seconded = {**donor, "experts": COUNT, "part_time": FLAG, "salaries_paid_by": N_TEXT}
    staff = {**donor, "full_time": COUNT, "part_time": COUNT, "units": array(TEXT)}
    budget = {"phase_id": TEXT, "phase": N_TEXT, "estimate": N_AMOUNT}
    budget |= {"coverage_percent": N_AMOUNT, "gap": N_AMOUNT}
    budget |= {"attributed_entries": N_COUNT, "note": N_TEXT}
    purpose = {"purpose": N_TEXT, "depth": COUNT, "received": N_AMOUNT}
    purpose |= {"pledged": N_AMOUNT, "total": N_AMOUNT}
    history = {"statement": TEXT, "as_of": DAY, "received": N_AMOUNT, "pledged": N_AMOUNT}
    return document(
        "wsis-ledger report --format json",
        "The fund's statement: every section's rows and totals (amounts as strings of digits).",
        {
            "stated_differences": differences_schema(),
            "acknowledged_differences": differences_schema(acknowledged=True),
            "generated": provenance.generated_schema(),
            "sources": provenance.sources_schema(),
            "statements": array(statement_schema()),
            "history": array(obj(history)),
            "fund": obj({"id": TEXT, "name": TEXT}),
            **{"title": N_TEXT, "as_of": N_DAY, "currency": {"const": "CHF"}, "lang": TEXT},
            "received": obj({"heading": TEXT, "entries": entries, "total": N_AMOUNT}),
            "pledged": obj(
                {"heading": TEXT, "entries": entries, "cancelled": entries}
                | {"total": N_AMOUNT, "notes": notes}
            ),
            "loans": loans_schema(),
            "seconded": obj(
                {"heading": TEXT, "rows": array(obj(seconded)), "experts": COUNT}
                | {"part_time": COUNT, "computed": array(TEXT), "notes": notes}
            ),
            "facilities": obj(
                {"heading": TEXT, "rows": array(obj({**donor, "items": array(TEXT)}))}
            ),
            "staff": obj({"heading": TEXT, "rows": array(obj(staff))}),
            "direct_support": obj(
                {
                    "heading": TEXT,
                    "rows": array(obj({**donor, "chf": N_AMOUNT, "what": N_TEXT})),
                    "total": N_AMOUNT,
                }
            ),
            "budget": null_or(obj(budget)),
            "totals": totals_schema(),
            "purposes": array(obj(purpose)),
            "notes": notes,
            "ledger_notes": notes,
            **spending_schema(),
            "controls": controls_schema(),
            "cash_movements": movements_schema(),
            "cumulative": null_or(
                obj({"as_of": DAY, "totals_not_stated": array({"enum": list(TOTALS)})})
            ),
        },
    )
