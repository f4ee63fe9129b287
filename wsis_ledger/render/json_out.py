"""A `Position` as JSON, and the JSON of its parts (entries, statements, spending).

An interface for scripts (its changes are listed in CHANGELOG.md): keys are
stable, amounts are strings (`"2243419"`) so that no reader turns them into
floats, counts are numbers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from wsis_ledger.compute.position import EntryRow, LoanRow, Position
from wsis_ledger.compute.spending import LineRow, SpendRow
from wsis_ledger.compute.statements import StatementInfo
from wsis_ledger.core import money
from wsis_ledger.render import escape, provenance
from wsis_ledger.render.cash_movements import movement_totals_json, movements_json
from wsis_ledger.render.labels import label

#: Above this many entries, `report --format json` is made a piece at a time as
#: it is written (`json_pieces`), never held whole (bench/HISTORY.md).
STREAMED_JSON_ENTRIES = 200_000
#: A streamed document's pieces are about this many characters each.
JSON_PIECE = 1 << 20
#: Every JSON document is indented by this many spaces, at every size.
JSON_INDENT = 2


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
    yield from _indented_parts(_document(report, None, _Entries))


def optional_amount(value: Decimal | None) -> str | None:
    return None if value is None else money.format_amount(value)


def entry_to_json(row: EntryRow) -> dict[str, Any]:
    """One receipt or pledge for scripts."""
    return {
        "id": row.id,
        "donor_id": row.donor_id,
        "donor": row.donor,
        "amount": optional_amount(row.amount),
        "currency": row.currency,
        "rate": optional_amount(row.rate.value) if row.rate else None,
        "rate_basis": row.rate.basis if row.rate else None,
        "rate_source": row.rate.source if row.rate else None,
        "chf": optional_amount(row.chf),
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


def entry_json_text(row: EntryRow, indent: int = 0) -> str:
    """`json.dumps(entry_to_json(row), ensure_ascii=False, indent=JSON_INDENT)` for an
    entry whose object starts `indent` spaces in, written directly.

    A shortcut (off under `WSIS_LEDGER_PLAIN=1`): making each entry's dict and then
    encoding it was most of the time of a large `report --format json`. The
    plain-versus-fast tests compare the two; a key added to `entry_to_json` must
    be added here too.
    """
    rate, standing = row.rate, row.standing
    pairs = [
        ("id", _quoted(row.id)),
        ("donor_id", _quoted(row.donor_id)),
        ("donor", _quoted(row.donor)),
        ("amount", _json_amount(row.amount)),
        ("currency", _json_text(row.currency)),
        ("rate", _json_amount(rate.value if rate else None)),
        ("rate_basis", _json_text(rate.basis if rate else None)),
        ("rate_source", _json_text(rate.source if rate else None)),
        ("chf", _json_amount(row.chf)),
        ("purpose", _json_text(row.purpose)),
        ("reassigned", "true" if row.reassigned else "false"),
        ("pledge", _json_text(row.pledge)),
        ("date", _json_day(row.date)),
        ("note", _json_text(row.note)),
        ("reading", "true" if row.reading else "false"),
        ("phase", _json_text(row.phase)),
    ]
    if standing is not None:
        pairs += [
            ("status", _quoted(standing.status)),
            ("paid_chf", _json_amount(standing.paid_chf)),
            ("outstanding_chf", _json_amount(standing.outstanding_chf)),
            ("exchange_difference", _json_amount(standing.exchange_difference)),
            ("cancelled_on", _json_day(standing.cancelled_on)),
            ("withdrawn_chf", _json_amount(standing.withdrawn_chf)),
        ]
    inner = ",\n" + " " * (indent + JSON_INDENT)
    body = inner.join(f'"{key}": {value}' for key, value in pairs)
    return f"{{{inner[1:]}{body}\n{' ' * indent}}}"


def _standing_json(row: EntryRow) -> dict[str, Any]:
    """What payments and a cancellation did to a pledge (nothing for a receipt)."""
    standing = row.standing
    if standing is None:
        return {}
    return {
        "status": standing.status,
        "paid_chf": optional_amount(standing.paid_chf),
        "outstanding_chf": optional_amount(standing.outstanding_chf),
        "exchange_difference": optional_amount(standing.exchange_difference),
        "cancelled_on": standing.cancelled_on.isoformat() if standing.cancelled_on else None,
        "withdrawn_chf": optional_amount(standing.withdrawn_chf),
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
                "stated": optional_amount(f.stated),
                # Added in [Unreleased]: a bound as printed (`more_than`, `at_least`,
                # `about`; null: an exact figure), in words, and whether the rows hold it.
                "bound": f.bound,
                "printed": f.printed,
                "computed": optional_amount(f.computed),
                "difference": optional_amount(f.difference),
                "entries": f.count,
                "state": f.state,
                "acknowledged_on": f.acknowledged_on.isoformat() if f.acknowledged_on else None,
                "acknowledged_note": f.acknowledged_note,
            }
            for f in statement.figures
        ],
    }


def _differences_json(report: Position, acknowledged: bool = False) -> list[dict[str, Any]]:
    """Printed totals that differ from their rows: not acknowledged, or acknowledged (then
    with the acknowledgement's date and note)."""
    return [
        {
            "statement": s.id,
            "total": f.total,
            "purpose": f.purpose,
            "stated": optional_amount(f.stated),
            "computed": optional_amount(f.computed),
            "difference": optional_amount(f.difference),
            **(
                {
                    "acknowledged_on": f.acknowledged_on.isoformat() if f.acknowledged_on else None,
                    "acknowledged_note": f.acknowledged_note,
                }
                if acknowledged
                else {}
            ),
        }
        for s in report.statements
        for f in s.figures
        if f.state == ("acknowledged" if acknowledged else "differs")
    ]


def _loan_json(r: LoanRow) -> dict[str, Any]:
    """A facility; with no movement recorded, drawn, repaid and outstanding are not known."""
    return {
        "id": r.id,
        "lender_id": r.lender_id,
        "lender": r.lender,
        "ceiling": optional_amount(r.ceiling),
        "phase": r.phase,
        "drawn": optional_amount(r.drawn) if r.recorded else None,
        "repaid": optional_amount(r.repaid) if r.recorded else None,
        "outstanding": optional_amount(r.outstanding) if r.recorded else None,
        "drawings_recorded": r.recorded,
    }


class _Entries:
    """Rows to be written as a JSON list of `entry_to_json` objects, one at a time."""

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[EntryRow]) -> None:
        self.rows = rows


def _indented_parts(document: Mapping[str, Any]) -> Iterator[str]:
    """`json.dumps(document, ensure_ascii=False, indent=JSON_INDENT)` and a newline, in
    pieces, where the lists of entries are `_Entries`: the rest of the document is
    encoded by `json` with a mark in each such list's place, and each entry is
    written as text in turn (`entry_json_text`) where its mark stands."""
    lists: dict[str, _Entries] = {}
    skeleton = json.dumps(_marked(document, lists), ensure_ascii=False, indent=JSON_INDENT)
    for name, entries in lists.items():
        quoted = json.dumps(name)
        before, _, skeleton = skeleton.partition(quoted)
        yield before
        line_start = before.rfind("\n") + 1
        indent = len(before[line_start:]) - len(before[line_start:].lstrip(" "))
        yield from _entries_parts(entries, indent)
    yield skeleton
    yield "\n"


def _marked(value: object, lists: dict[str, _Entries]) -> object:
    """`value` with each list of entries replaced by a mark (noted in `lists`). A
    function of its own, not one nested in its caller that calls itself: such a
    function is a reference cycle, and would hold the document until the cyclic
    collector ran."""
    if isinstance(value, _Entries):
        name = f"\0entries-{len(lists)}\0"  # NUL: never in a ledger's text
        lists[name] = value
        return name
    if isinstance(value, dict):
        return {key: _marked(item, lists) for key, item in value.items()}
    return value


def _entries_parts(entries: _Entries, indent: int) -> Iterator[str]:
    """A list of entries whose key's line starts `indent` spaces in, as `json` indents it."""
    if not entries.rows:
        yield "[]"
        return
    inner = indent + JSON_INDENT
    separator = ",\n" + " " * inner
    yield "[\n" + " " * inner
    for index, row in enumerate(entries.rows):
        yield f"{separator if index else ''}{entry_json_text(row, inner)}"
    yield "\n" + " " * indent + "]"


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
        "acknowledged_differences": _differences_json(report, acknowledged=True),
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
            "total": optional_amount(totals.received),
        },
        "pledged": {
            "heading": headings["pledged"],
            "entries": entries(report.pledges),
            "cancelled": entries(report.cancelled_pledges),
            "total": optional_amount(totals.pledged),
            "notes": list(report.section_notes.get("pledged", ())),
        },
        "loans": {
            "heading": headings["loans"],
            "facilities": [_loan_json(r) for r in report.loans],
            "by_phase": _loans_by_phase(report),
            "total_ceiling": optional_amount(totals.loan_ceiling),
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
            "total": optional_amount(totals.direct_support),
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
        "totals": {
            "received": optional_amount(totals.received),
            "pledged": optional_amount(totals.pledged),
            "received_and_pledged": optional_amount(totals.received_and_pledged),
            "exchange_difference": optional_amount(totals.exchange_difference),
            "exchange_gains": optional_amount(totals.exchange_gains),
            "exchange_losses": optional_amount(totals.exchange_losses),
            "loan_ceiling": optional_amount(totals.loan_ceiling),
            **_loan_totals(report),
            "direct_support": optional_amount(totals.direct_support),
            "experts": totals.experts,
            "experts_part_time": totals.experts_part_time,
            **_spending_totals(report),
            **movement_totals_json(report),
            # The totals above that no statement prints: the ledger's sums, not the source's.
            "computed": computed_totals(report),
        },
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
    }


# Added for audit controls (CHANGELOG.md): the period closed, records awaiting approval.
def controls_to_json(report: Position) -> dict[str, Any]:
    controls = report.controls
    closed = controls.closed
    return {
        "closed": None
        if closed is None
        else {
            "closing": closed.closing,
            "through": closed.through.isoformat(),
            "by": closed.by,
            "recorded_at": closed.at,
            "whole_period": controls.all_closed,
        },
        "unapproved": None
        if not controls.approval_asked
        else {
            "count": len(controls.unapproved),
            "chf": money.format_amount(controls.unapproved_chf),
            "records": [
                {"kind": kind, "id": record_id, "chf": money.format_amount(chf)}
                for kind, record_id, chf in controls.unapproved
            ],
        },
    }


def _loan_totals(report: Position) -> dict[str, Any]:
    """Drawn, repaid and outstanding: null where no drawing or repayment is recorded
    (not known, not zero); cash only where a fund balance can be stated."""
    totals, known = report.totals, any(loan.recorded for loan in report.loans)
    return {
        "loans_drawn": optional_amount(totals.loans_drawn) if known else None,
        "loans_repaid": optional_amount(totals.loans_repaid) if known else None,
        "loans_outstanding": optional_amount(totals.loans_outstanding) if known else None,
        "cash": optional_amount(totals.cash) if report.spending.recorded else None,
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
        if figure.purpose is None
        and figure.bound is None
        and shown.get(figure.total) == figure.stated
    }
    keys = (
        *("received", "pledged", "received_and_pledged", "exchange_difference"),
        *("exchange_gains", "exchange_losses"),
        *("loan_ceiling", "loans_drawn", "loans_repaid", "loans_outstanding", "cash"),
        *("direct_support", "experts", "experts_part_time"),
        *("expenditure", "support_costs", "fund_balance"),
        *("other_income", "refunds", "bank_charges"),
    )
    return [key for key in keys if key not in printed]


# Added for expenditure (CHANGELOG.md): null where the ledger records no expenditure.
def _spending_totals(report: Position) -> dict[str, Any]:
    totals, recorded = report.totals, report.spending.recorded
    return {
        "expenditure": optional_amount(totals.expenditure) if recorded else None,
        "support_costs": optional_amount(totals.support_costs) if recorded else None,
        "fund_balance": optional_amount(totals.fund_balance) if recorded else None,
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
        "amount": optional_amount(row.amount),
        "currency": row.currency,
        "rate": optional_amount(row.rate.value) if row.rate else None,
        "rate_basis": row.rate.basis if row.rate else None,
        "chf": optional_amount(row.chf),
        "support_cost_rate": optional_amount(row.support_rate),
        "support_costs": optional_amount(row.support),
        "budget_line": row.line,
        "reference": row.reference,
    }


def line_to_json(row: LineRow) -> dict[str, Any]:
    """A budget line (or a phase's lines together) against what was spent on it."""
    return {
        "id": row.id,
        "phase": row.phase,
        "purpose": row.purpose,
        "budget": optional_amount(row.budget),
        "expenditure": optional_amount(row.expenditure),
        "support_costs": optional_amount(row.support_costs),
        "remaining": optional_amount(row.remaining),
        "percent_used": optional_amount(row.percent_used),
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
                    "received": optional_amount(e.received),
                    "expenditure": optional_amount(e.expenditure),
                    "support_costs": optional_amount(e.support_costs),
                    "balance": optional_amount(e.balance),
                }
                for e in spent.earmarks
            ],
            "total": optional_amount(spent.expenditure) if spent.recorded else None,
            "support_costs": optional_amount(spent.support_costs) if spent.recorded else None,
        },
        "budget_lines": {
            "lines": [line_to_json(line) for line in spent.lines],
            "phases": [
                {
                    **line_to_json(phase),
                    "id": phase.id,
                    "phase": phase.phase,
                    "estimate": optional_amount(phase.estimate),
                }
                for phase in spent.phases
            ],
            "outside_lines": {
                "expenditure": optional_amount(spent.outside_expenditure),
                "support_costs": optional_amount(spent.outside_support),
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
            "ceiling": optional_amount(ceiling),
            "drawn": optional_amount(drawn) if phase in recorded else None,
            "repaid": optional_amount(repaid) if phase in recorded else None,
            "outstanding": optional_amount(drawn - repaid) if phase in recorded else None,
            "drawings_recorded": phase in recorded,
        }
        for phase, (ceiling, drawn, repaid) in phases.items()
    ]
