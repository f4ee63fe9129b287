"""A `Position` as a table, Markdown, CSV or JSON.

Tables and Markdown are written from the one layout (`render.layout`). JSON
and CSV are interfaces for scripts (their changes are listed in
CHANGELOG.md): keys are stable, amounts are strings (`"2243419"`) so that no
reader turns them into floats, counts are numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from wsis_ledger.compute.position import EntryRow, LoanRow, Position
from wsis_ledger.compute.spending import LineRow, SpendRow
from wsis_ledger.compute.statements import StatementInfo
from wsis_ledger.core import money
from wsis_ledger.render import escape, provenance
from wsis_ledger.render.layout import Section, cell_text, label, layout, seconded_detail

FORMATS = ("table", "markdown", "csv", "json")
#: Above this many entries, `report --format json` is written without
#: indentation: the C encoder, many times faster than the indenting one.
COMPACT_JSON_ENTRIES = 1000
#: Above this many entries, `report --format json` is made a piece at a time as
#: it is written (`json_pieces`), never held whole: at 1 000 000 entries the
#: text (367 MB) and its pieces were most of the report's peak (bench/HISTORY.md).
STREAMED_JSON_ENTRIES = 200_000
#: A streamed document's pieces are about this many characters each.
JSON_PIECE = 1 << 20


def streamed(report: Position) -> bool:
    """True when `report`'s JSON is written as it is made (`json_pieces`)."""
    return _entry_count(report) > STREAMED_JSON_ENTRIES


def json_pieces(report: Position) -> Iterator[str]:
    """`render(report, "json")`, a piece of about JSON_PIECE characters at a time."""
    held: list[str] = []
    size = 0
    for part in _compact_parts(_document(report, None, _Entries)):
        held.append(part)
        size += len(part)
        if size >= JSON_PIECE:
            yield "".join(held)
            held, size = [], 0
    yield "".join(held)


def _entry_count(report: Position) -> int:
    return len(report.receipts) + len(report.pledges)


def render(report: Position, fmt: str, width: int | None = None, wide: bool = False) -> str:
    """The report in `fmt` (one of FORMATS), ending with a newline.

    A table with a `width` (a terminal's) wraps long names and text to fit it;
    without one, every cell stays on one line. Derived rates show six significant
    digits in tables, every digit where `wide` (and always in JSON and CSV)."""
    if fmt == "json":
        if _entry_count(report) > COMPACT_JSON_ENTRIES:
            return compact_json(_document(report, None, _Entries))
        return json.dumps(report_to_json(report), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(report)
    return _text(report, markdown=fmt == "markdown", width=width, exact=wide)


# --- JSON -------------------------------------------------------------------


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else money.format_amount(value)


def entry_to_json(row: EntryRow) -> dict[str, Any]:
    """One receipt or pledge for scripts."""
    return {
        "id": row.id,
        "donor_id": row.donor_id,
        "donor": row.donor,
        "amount": _amount(row.amount),
        "currency": row.currency,
        "rate": _amount(row.rate.value) if row.rate else None,
        "rate_basis": row.rate.basis if row.rate else None,
        "rate_source": row.rate.source if row.rate else None,
        "chf": _amount(row.chf),
        "purpose": row.purpose,
        "reassigned": row.reassigned,
        "pledge": row.pledge,
        "date": row.date.isoformat() if row.date else None,
        # Added in [Unreleased]: the source's note, whether the donor's name shown is the
        # ledger's reading, and the phase the entry is attributed to.
        "note": row.note,
        "reading": row.reading,
        "phase": row.phase,
        **_standing_json(row),
    }


#: A JSON string literal of a text, as `json.dumps(..., ensure_ascii=False)` writes it.
_quoted: Callable[[str], str] = json.encoder.encode_basestring


def _json_text(value: str | None) -> str:
    return "null" if value is None else _quoted(value)


def _json_amount(value: Decimal | None) -> str:
    # `format_amount` gives digits, a point and a sign at most: nothing to escape.
    return "null" if value is None else f'"{money.format_amount(value)}"'


def _json_day(value: date | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def entry_json_text(row: EntryRow) -> str:
    """`json.dumps(entry_to_json(row), ensure_ascii=False)`, written directly.

    For large reports: making each entry's dict and then encoding it was most
    of the time of `report --format json` after the position was built (1.2 of
    1.5 s at 100 000 entries). A test compares the two for every entry of
    several ledgers; a key added to `entry_to_json` must be added here too.
    """
    rate = row.rate
    text = (
        f'{{"id": {_quoted(row.id)}, "donor_id": {_quoted(row.donor_id)}, '
        f'"donor": {_quoted(row.donor)}, "amount": {_json_amount(row.amount)}, '
        f'"currency": {_json_text(row.currency)}, '
        f'"rate": {_json_amount(rate.value if rate else None)}, '
        f'"rate_basis": {_json_text(rate.basis if rate else None)}, '
        f'"rate_source": {_json_text(rate.source if rate else None)}, '
        f'"chf": {_json_amount(row.chf)}, "purpose": {_json_text(row.purpose)}, '
        f'"reassigned": {"true" if row.reassigned else "false"}, '
        f'"pledge": {_json_text(row.pledge)}, "date": {_json_day(row.date)}, '
        f'"note": {_json_text(row.note)}, "reading": {"true" if row.reading else "false"}, '
        f'"phase": {_json_text(row.phase)}'
    )
    standing = row.standing
    if standing is None:
        return text + "}"
    return (
        f'{text}, "status": {_quoted(standing.status)}, '
        f'"paid_chf": {_json_amount(standing.paid_chf)}, '
        f'"outstanding_chf": {_json_amount(standing.outstanding_chf)}, '
        f'"exchange_difference": {_json_amount(standing.exchange_difference)}, '
        f'"cancelled_on": {_json_day(standing.cancelled_on)}, '
        f'"withdrawn_chf": {_json_amount(standing.withdrawn_chf)}}}'
    )


def _standing_json(row: EntryRow) -> dict[str, Any]:
    """What payments and a cancellation did to a pledge (nothing for a receipt)."""
    standing = row.standing
    if standing is None:
        return {}
    return {
        "status": standing.status,
        "paid_chf": _amount(standing.paid_chf),
        "outstanding_chf": _amount(standing.outstanding_chf),
        "exchange_difference": _amount(standing.exchange_difference),
        "cancelled_on": standing.cancelled_on.isoformat() if standing.cancelled_on else None,
        "withdrawn_chf": _amount(standing.withdrawn_chf),
    }


def statement_to_json(statement: StatementInfo) -> dict[str, Any]:
    """A statement: its source, state, and each printed total beside its rows."""
    return {
        "id": statement.id,
        "title": statement.title,
        "as_of": statement.as_of.isoformat(),
        "source": statement.source,
        "phase": statement.phase,
        "state": statement.state,
        "figures": [
            {
                "total": f.total,
                "purpose": f.purpose,
                "stated": _amount(f.stated),
                "computed": _amount(f.computed),
                "difference": _amount(f.difference),
                "entries": f.count,
                "state": f.state,
                "acknowledged_on": f.acknowledged_on.isoformat() if f.acknowledged_on else None,
                "acknowledged_note": f.acknowledged_note,
            }
            for f in statement.figures
        ],
    }


def _differences_json(report: Position) -> list[dict[str, Any]]:
    return [
        {
            "statement": s.id,
            "total": f.total,
            "purpose": f.purpose,
            "stated": _amount(f.stated),
            "computed": _amount(f.computed),
            "difference": _amount(f.difference),
        }
        for s in report.statements
        for f in s.differences
    ]


def _loan_json(r: LoanRow) -> dict[str, Any]:
    """A facility; with no movement recorded, drawn, repaid and outstanding are not known."""
    return {
        "id": r.id,
        "lender_id": r.lender_id,
        "lender": r.lender,
        "ceiling": _amount(r.ceiling),
        "phase": r.phase,
        "drawn": _amount(r.drawn) if r.recorded else None,
        "repaid": _amount(r.repaid) if r.recorded else None,
        "outstanding": _amount(r.outstanding) if r.recorded else None,
        "drawings_recorded": r.recorded,
    }


class _Entries:
    """Rows to be written as a JSON list of `entry_to_json` objects, one at a time."""

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[EntryRow]) -> None:
        self.rows = rows


def compact_json(document: Mapping[str, Any]) -> str:
    """`json.dumps(document, ensure_ascii=False)` with a newline, where the lists of
    entries are `_Entries`: each entry is written as text in turn (`entry_json_text`).

    The same bytes as the document with its lists made whole (a test compares
    them), without 100 000 dicts held at once, and the text put together once.
    """
    return "".join(_compact_parts(document))


def _compact_parts(document: Mapping[str, Any]) -> Iterator[str]:
    """`compact_json`'s text, in pieces, the closing newline last."""
    yield from _json_parts(document, json.JSONEncoder(ensure_ascii=False).encode)
    yield "\n"


def _json_parts(value: object, encode: Callable[[object], str]) -> Iterator[str]:
    """The pieces of `compact_json`'s text, in order. A generator, not a function
    nested in it that calls itself: such a function is a reference cycle, and
    held every piece (41 MB at 100 000 entries) until the cyclic collector ran."""
    if isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield f"{', ' if index else ''}{encode(key)}: "
            yield from _json_parts(item, encode)
        yield "}"
    elif isinstance(value, _Entries):
        yield "["
        for index, row in enumerate(value.rows):
            yield f"{', ' if index else ''}{entry_json_text(row)}"
        yield "]"
    else:
        yield encode(value)


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
        # Added in [Unreleased]: printed totals that differ from their rows (first, so
        # that a reader sees them), provenance, each statement, the history.
        "stated_differences": _differences_json(report),
        "generated": provenance.generated_json(made),
        "sources": provenance.sources_json(report),
        "statements": [statement_to_json(s) for s in report.statements],
        "history": [
            {
                "statement": h.statement,
                "as_of": h.as_of.isoformat(),
                "received": _amount(h.received),
                "pledged": _amount(h.pledged),
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
            "total": _amount(totals.received),
        },
        "pledged": {
            "heading": headings["pledged"],
            "entries": entries(report.pledges),
            "cancelled": entries(report.cancelled_pledges),
            "total": _amount(totals.pledged),
            "notes": list(report.section_notes.get("pledged", ())),
        },
        "loans": {
            "heading": headings["loans"],
            "facilities": [_loan_json(r) for r in report.loans],
            "by_phase": _loans_by_phase(report),
            "total_ceiling": _amount(totals.loan_ceiling),
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
                    "chf": _amount(r.chf),
                    "what": r.what,
                }
                for r in report.direct_support
            ],
            "total": _amount(totals.direct_support),
        },
        "budget": None
        if budget is None
        else {
            "phase_id": budget.phase_id,
            "phase": budget.phase,
            "estimate": _amount(budget.estimate),
            "coverage_percent": _amount(budget.coverage_percent),
            "gap": _amount(budget.gap),
            "attributed_entries": budget.attributed,
            "note": None if budget.attributed else label("not_attributed", report.lang),
        },
        "totals": {
            "received": _amount(totals.received),
            "pledged": _amount(totals.pledged),
            "received_and_pledged": _amount(totals.received_and_pledged),
            "exchange_difference": _amount(totals.exchange_difference),
            "loan_ceiling": _amount(totals.loan_ceiling),
            **_loan_totals(report),
            "direct_support": _amount(totals.direct_support),
            "experts": totals.experts,
            "experts_part_time": totals.experts_part_time,
            **_spending_totals(report),
            # The totals above that no statement prints: the ledger's sums, not the source's.
            "computed": computed_totals(report),
        },
        "purposes": [
            {
                "purpose": p.purpose or None,
                "depth": p.depth,
                "received": _amount(p.received),
                "pledged": _amount(p.pledged),
                "total": _amount(p.total),
            }
            for p in report.purposes
        ],
        "notes": list(report.notes),
        **spending_to_json(report),
    }


def _loan_totals(report: Position) -> dict[str, Any]:
    """Drawn, repaid and outstanding: null where no drawing or repayment is recorded
    (not known, not zero); cash only where a fund balance can be stated."""
    totals, known = report.totals, any(loan.recorded for loan in report.loans)
    return {
        "loans_drawn": _amount(totals.loans_drawn) if known else None,
        "loans_repaid": _amount(totals.loans_repaid) if known else None,
        "loans_outstanding": _amount(totals.loans_outstanding) if known else None,
        "cash": _amount(totals.cash) if report.spending.recorded else None,
    }


def computed_totals(report: Position) -> list[str]:
    """The keys of `totals` whose figure no statement prints: every total but the
    received and pledged of a statement that prints them (and agrees with them)."""
    shown = {"received": report.totals.received, "pledged": report.totals.pledged}
    shown["total"] = report.totals.received_and_pledged
    printed = {
        "received_and_pledged" if figure.total == "total" else figure.total
        for statement in report.statements
        for figure in statement.figures
        if figure.purpose is None and shown.get(figure.total) == figure.stated
    }
    keys = (
        *("received", "pledged", "received_and_pledged"),
        "exchange_difference",
        "loan_ceiling",
        "loans_drawn",
        "loans_repaid",
        "loans_outstanding",
        "cash",
        "direct_support",
        "experts",
        "experts_part_time",
        "expenditure",
        "support_costs",
        "fund_balance",
    )
    return [key for key in keys if key not in printed]


# Added for expenditure (CHANGELOG.md): null where the ledger records no expenditure.
def _spending_totals(report: Position) -> dict[str, Any]:
    totals, recorded = report.totals, report.spending.recorded
    return {
        "expenditure": _amount(totals.expenditure) if recorded else None,
        "support_costs": _amount(totals.support_costs) if recorded else None,
        "fund_balance": _amount(totals.fund_balance) if recorded else None,
    }


def spend_to_json(row: SpendRow) -> dict[str, Any]:
    """One expenditure for scripts."""
    return {
        "id": row.id,
        "date": row.date.isoformat(),
        "description": row.description,
        "payee": row.payee,
        "purpose": row.purpose,
        "phase": row.phase,
        "amount": _amount(row.amount),
        "currency": row.currency,
        "rate": _amount(row.rate.value) if row.rate else None,
        "rate_basis": row.rate.basis if row.rate else None,
        "chf": _amount(row.chf),
        "support_cost_rate": _amount(row.support_rate),
        "support_costs": _amount(row.support),
        "budget_line": row.line,
        "reference": row.reference,
    }


def line_to_json(row: LineRow) -> dict[str, Any]:
    """A budget line (or a phase's lines together) against what was spent on it."""
    return {
        "id": row.id,
        "phase": row.phase,
        "purpose": row.purpose,
        "budget": _amount(row.budget),
        "expenditure": _amount(row.expenditure),
        "support_costs": _amount(row.support_costs),
        "remaining": _amount(row.remaining),
        "percent_used": _amount(row.percent_used),
    }


def spending_to_json(report: Position) -> dict[str, Any]:
    """The report's `expenditure` and `budget_lines` keys."""
    spent = report.spending
    return {
        "expenditure": {
            "recorded": spent.recorded,
            "support_cost_rate_stated": spent.rate_stated,
            "entries": [spend_to_json(row) for row in spent.expenditures],
            "purposes": [
                {
                    "purpose": e.purpose or None,
                    "depth": e.depth,
                    "received": _amount(e.received),
                    "expenditure": _amount(e.expenditure),
                    "support_costs": _amount(e.support_costs),
                    "balance": _amount(e.balance),
                }
                for e in spent.earmarks
            ],
            "total": _amount(spent.expenditure) if spent.recorded else None,
            "support_costs": _amount(spent.support_costs) if spent.recorded else None,
        },
        "budget_lines": {
            "lines": [line_to_json(line) for line in spent.lines],
            "phases": [
                {
                    **line_to_json(phase),
                    "id": phase.id,
                    "phase": phase.phase,
                    "estimate": _amount(phase.estimate),
                }
                for phase in spent.phases
            ],
            "outside_lines": {
                "expenditure": _amount(spent.outside_expenditure),
                "support_costs": _amount(spent.outside_support),
            },
        },
    }


def _loans_by_phase(report: Position) -> list[dict[str, Any]]:
    """Ceiling, drawn, repaid and outstanding, summed per phase (null: no phase named)."""
    phases: dict[str | None, list[Decimal]] = {}
    recorded: set[str | None] = set()
    for row in report.loans:
        sums = phases.setdefault(row.phase, [Decimal(0)] * 3)
        for i, value in enumerate((row.ceiling, row.drawn, row.repaid)):
            sums[i] += value
        if row.recorded:
            recorded.add(row.phase)
    return [
        {
            "phase": phase,
            "ceiling": _amount(ceiling),
            "drawn": _amount(drawn) if phase in recorded else None,
            "repaid": _amount(repaid) if phase in recorded else None,
            "outstanding": _amount(drawn - repaid) if phase in recorded else None,
            "drawings_recorded": phase in recorded,
        }
        for phase, (ceiling, drawn, repaid) in phases.items()
    ]


# --- CSV --------------------------------------------------------------------

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


def _csv(report: Position) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
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
    for loan in report.loans:
        yield {
            "section": "loans",
            "id": loan.id,
            "donor_id": loan.lender_id,
            "donor": loan.lender,
            "chf": _amount(loan.ceiling),
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
            "chf": _amount(direct.chf),
            "detail": direct.what,
        }
    computed = set(document["totals"]["computed"])
    for key, value in document["totals"].items():
        if key == "computed":
            continue
        column = "count" if isinstance(value, int) else "chf"
        yield {
            "section": "total",
            "id": key,
            column: value,
            "note": "computed" if key in computed and value is not None else None,
        }
    yield from _closing_rows(report, document, made)


def _note_rows(report: Position, under: str) -> Iterable[dict[str, Any]]:
    """The source's notes printed under a section, as rows of section `note`."""
    for n, note in enumerate(report.section_notes.get(under, ()), 1):
        yield {"section": "note", "id": f"{under}-{n}", "detail": under, "note": note}


def _difference_rows(document: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Printed totals that differ from their rows: the first rows of the CSV."""
    for difference in document["stated_differences"]:
        yield {
            "section": "stated_difference",
            "id": difference["statement"],
            "detail": difference["total"],
            "purpose": difference["purpose"],
            "stated_chf": difference["stated"],
            "computed_chf": difference["computed"],
            "difference": difference["difference"],
        }


def _closing_rows(
    report: Position, document: dict[str, Any], made: provenance.Provenance
) -> Iterable[dict[str, Any]]:
    """The source's notes not under the entries, each statement's source, the provenance."""
    for under in report.section_notes:
        if under not in ("received", "pledged"):
            yield from _note_rows(report, under)
    for n, note in enumerate(report.notes, 1):
        yield {"section": "note", "id": f"summary-{n}", "detail": "summary", "note": note}
    for source in document["sources"]:
        yield {
            "section": "source",
            "id": source["statement"],
            "date": source["as_of"],
            "detail": source["source"],
        }
    yield {"section": "generated", "id": made.tool, "date": made.stamp, "detail": made.version}


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
            "received_chf": _amount(p.received),
            "pledged_chf": _amount(p.pledged),
            "chf": _amount(p.total),
        }
    totals = report.totals
    yield {
        "section": "purposes",
        "id": "total",
        "received_chf": _amount(totals.received),
        "pledged_chf": _amount(totals.pledged),
        "chf": _amount(totals.received_and_pledged),
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
            "received_chf": _amount(e.received),
            "expenditure_chf": _amount(e.expenditure),
            "support_costs_chf": _amount(e.support_costs),
            "balance_chf": _amount(e.balance),
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
            "expenditure_chf": _amount(spent.outside_expenditure),
            "support_costs_chf": _amount(spent.outside_support),
        }


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula, whatever separator it splits
    on (see `escape.csv_cell`). Numbers are left as they are."""
    return escape.csv_cell(value)


def _text(report: Position, markdown: bool, width: int | None = None, exact: bool = False) -> str:
    """The report as a terminal table or Markdown, section by section from the layout."""
    out: list[str] = []
    lang = report.lang
    _heading(out, report.title, 1, markdown, width)
    as_of = f" ({label('as_of', lang)} {report.as_of.isoformat()})" if report.as_of else ""
    out.extend([*wrap(_line(report.fund + as_of, markdown), width), ""])
    for section in layout(report):
        _heading(out, section.heading, section.level, markdown, width)
        if section.columns:
            out.extend([_table(section, lang, markdown, width, exact), ""])
        for note in section.notes:
            out.extend([*wrap(_line(note, markdown), width), ""])
    out.append(provenance.now().line(report.lang))
    return "\n".join(out).rstrip("\n") + "\n"


def _heading(out: list[str], text: str, level: int, markdown: bool, width: int | None) -> None:
    if markdown:
        out.extend(["#" * level + " " + escape.markdown_cell(text), ""])
        return
    lines = wrap(text, width)
    out.extend(lines)
    out.extend([("=" if level == 1 else "-") * max(_width(line) for line in lines), ""])


def _table(
    section: Section, lang: str, markdown: bool, width: int | None = None, exact: bool = False
) -> str:
    # tabulate costs ~30 ms to import: only the commands that print tables pay it.
    from tabulate import tabulate

    body = []
    for row in section.rows:
        cells = [cell_text(cell, lang, exact=exact) for cell in row.cells]
        if row.depth and cells:
            cells[0] = ("\u00a0\u00a0" if markdown else "  ") * row.depth + cells[0]
        body.append([_line(cell, markdown) for cell in cells])
    headers = [_line(c.label, markdown) for c in section.columns]
    limits: list[int | None] = [None] * len(headers)

    def draw() -> str:
        return str(
            tabulate(
                body,
                headers=headers,
                tablefmt="pipe" if markdown else "simple",
                colalign=["right" if c.numeric else "left" for c in section.columns],
                disable_numparse=True,
                maxcolwidths=limits if any(limits) else None,
            )
        )

    text = draw()
    if markdown or width is None or _widest_line(text) <= width:
        return text
    # Too wide for the terminal: share the room the figures leave among the text
    # columns (names, notes), the narrow ones keeping their width, the wide ones
    # an equal share; then narrow the widest again while a line is still too long.
    natural = _column_widths(body, headers)
    # A limit counts characters; CJK ones take two columns.
    wide_chars = [any(_width(row[i]) > len(row[i]) for row in body) for i in range(len(headers))]
    floors = [MIN_WRAP // 2 if wide else MIN_WRAP for wide in wide_chars]
    text_columns = sorted(
        (i for i, c in enumerate(section.columns) if not c.numeric), key=natural.__getitem__
    )
    room = width - 2 * (len(headers) - 1)
    room -= sum(natural[i] for i in range(len(headers)) if i not in text_columns)
    for k, i in enumerate(text_columns):
        share = max(room // (len(text_columns) - k), floors[i])
        if natural[i] > share:
            limits[i] = share // 2 if wide_chars[i] else share
        room -= min(natural[i], share)
    text = draw()
    for _ in range(4 * len(headers)):
        over = _widest_line(text) - width
        candidates = [i for i in text_columns if (limits[i] or natural[i]) > floors[i]]
        if over <= 0 or not candidates:
            break
        widest = max(candidates, key=lambda i: limits[i] or natural[i])
        limits[widest] = max((limits[widest] or natural[widest]) - over, floors[widest])
        text = draw()
    return text


def _widest_line(text: str) -> int:
    return max((_width(line) for line in text.splitlines()), default=0)


#: A text column is never wrapped narrower than this.
MIN_WRAP = 12


def _column_widths(body: list[list[str]], headers: list[str]) -> list[int]:
    return [
        max([_width(h)] + [_width(line) for row in body for line in row[i].splitlines()])
        for i, h in enumerate(headers)
    ]


def wrap(text: str, width: int | None) -> list[str]:
    """`text` in lines of at most `width` display columns (CJK counts two), broken at
    spaces where there are any; one line when `width` is None."""
    if width is None or _width(text) <= width:
        return [text]
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if _width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a word wider than the line (CJK text has no spaces)
            if _width(line + char) > width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def _line(text: str, markdown: bool) -> str:
    return escape.markdown_cell(text) if markdown else text


def grouped(amount: Decimal) -> str:
    return money.group_thousands(amount)


def _width(text: str) -> int:
    from wcwidth import wcswidth

    return max(wcswidth(text), len(text))


# --- any list of rows ----------------------------------------------------------


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
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
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
