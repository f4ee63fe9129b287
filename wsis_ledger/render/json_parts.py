"""The JSON of a report's parts (entries, statements, loans, spending, controls), each
beside the schema of what it makes (`render.json_schema`).

An interface for scripts (its changes are listed in CHANGELOG.md): keys are
stable, amounts are strings (`"2243419"`) so that no reader turns them into
floats, counts are numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wsis_ledger.compute.position import EntryRow, LoanRow, Position
from wsis_ledger.compute.spending import LineRow, SpendRow
from wsis_ledger.compute.statements import StatementInfo
from wsis_ledger.core import money
from wsis_ledger.core.json_schema import (
    AMOUNT,
    COUNT,
    DAY,
    FLAG,
    N_AMOUNT,
    N_COUNT,
    N_DAY,
    N_TEXT,
    TEXT,
    Schema,
    array,
    null_or,
    obj,
)


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


def differences_json(report: Position, acknowledged: bool = False) -> list[dict[str, Any]]:
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


def loan_json(r: LoanRow) -> dict[str, Any]:
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


def loan_totals(report: Position) -> dict[str, Any]:
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
    return [key for key in TOTALS if key not in printed]


#: The keys of a report's `totals`, in order (`computed` lists those no statement prints).
TOTALS = (
    *("received", "pledged", "received_and_pledged", "exchange_difference"),
    *("exchange_gains", "exchange_losses"),
    *("loan_ceiling", "loans_drawn", "loans_repaid", "loans_outstanding", "cash"),
    *("direct_support", "experts", "experts_part_time"),
    *("expenditure", "support_costs", "fund_balance"),
    *("other_income", "refunds", "bank_charges"),
)


# Added for expenditure (CHANGELOG.md): null where the ledger records no expenditure.
def spending_totals(report: Position) -> dict[str, Any]:
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


def loans_by_phase(report: Position) -> list[dict[str, Any]]:
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


# --- the schemas of the parts above, each as its function makes it ---------------------

#: What payments and a cancellation did to a pledge: the keys a pledge's entry adds.
STANDING = ("status", "paid_chf", "outstanding_chf", "exchange_difference")
STANDING_MORE = ("cancelled_on", "withdrawn_chf")


def entry_schema() -> Schema:
    """`entry_to_json` (and `json_text.entry_json_text`): a receipt, or a pledge with
    its standing."""
    return obj(
        {
            **{"id": TEXT, "donor_id": TEXT, "donor": TEXT, "amount": N_AMOUNT},
            **{"currency": N_TEXT, "rate": N_AMOUNT, "rate_basis": N_TEXT},
            **{"rate_source": N_TEXT, "chf": N_AMOUNT, "purpose": N_TEXT},
            **{"reassigned": FLAG, "pledge": N_TEXT, "date": N_DAY, "note": N_TEXT},
            **{"reading": FLAG, "phase": N_TEXT},
            **{"status": TEXT, "paid_chf": N_AMOUNT, "outstanding_chf": N_AMOUNT},
            **{"exchange_difference": N_AMOUNT, "cancelled_on": N_DAY, "withdrawn_chf": N_AMOUNT},
        },
        optional=(*STANDING, *STANDING_MORE),
    )


def statement_schema() -> Schema:
    """`statement_to_json`."""
    figure = obj(
        {
            **{"total": TEXT, "purpose": N_TEXT, "stated": N_AMOUNT, "bound": N_TEXT},
            **{"printed": N_TEXT, "computed": N_AMOUNT, "difference": N_AMOUNT},
            **{"entries": COUNT, "state": TEXT, "acknowledged_on": N_DAY},
            "acknowledged_note": N_TEXT,
        }
    )
    return obj(
        {
            **{"id": TEXT, "title": N_TEXT, "as_of": DAY, "source": N_TEXT},
            **{"phase": N_TEXT, "state": TEXT, "figures": array(figure)},
        }
    )


def differences_schema(acknowledged: bool = False) -> Schema:
    """`differences_json`."""
    keys = {"statement": TEXT, "total": TEXT, "purpose": N_TEXT, "stated": N_AMOUNT}
    keys |= {"computed": N_AMOUNT, "difference": N_AMOUNT}
    if acknowledged:
        keys |= {"acknowledged_on": N_DAY, "acknowledged_note": N_TEXT}
    return array(obj(keys))


def loans_schema() -> Schema:
    """`loan_json` and `loans_by_phase`, as the report's `loans` holds them."""
    moved = {"drawn": N_AMOUNT, "repaid": N_AMOUNT, "outstanding": N_AMOUNT}
    facility = {"id": TEXT, "lender_id": TEXT, "lender": TEXT, "ceiling": N_AMOUNT}
    return obj(
        {
            "heading": TEXT,
            "facilities": array(
                obj({**facility, "phase": N_TEXT, **moved, "drawings_recorded": FLAG})
            ),
            "by_phase": array(
                obj({"phase": N_TEXT, "ceiling": N_AMOUNT, **moved, "drawings_recorded": FLAG})
            ),
            "total_ceiling": N_AMOUNT,
        }
    )


def controls_schema() -> Schema:
    """`controls_to_json`."""
    closed = obj(
        {"closing": TEXT, "through": DAY, "by": N_TEXT, "recorded_at": N_TEXT, "whole_period": FLAG}
    )
    record = obj({"kind": TEXT, "id": TEXT, "chf": AMOUNT})
    unapproved = obj({"count": COUNT, "chf": AMOUNT, "records": array(record)})
    return obj({"closed": null_or(closed), "unapproved": null_or(unapproved)})


def totals_schema() -> Schema:
    """The report's `totals` (`TOTALS`, `loan_totals`, `spending_totals`, `computed_totals`)."""
    counts = {"experts", "experts_part_time"}
    return obj(
        {
            # The counts are null too where not stated (`cumulative`): since [Unreleased].
            **{key: N_COUNT if key in counts else N_AMOUNT for key in TOTALS},
            "computed": array({"enum": list(TOTALS)}),
        }
    )


def spend_schema() -> Schema:
    """`spend_to_json`."""
    return obj(
        {
            **{"id": TEXT, "date": DAY, "description": TEXT, "payee": N_TEXT},
            **{"purpose": N_TEXT, "phase": N_TEXT, "amount": N_AMOUNT, "currency": N_TEXT},
            **{"rate": N_AMOUNT, "rate_basis": N_TEXT, "chf": N_AMOUNT},
            **{"support_cost_rate": N_AMOUNT, "support_costs": N_AMOUNT},
            **{"budget_line": N_TEXT, "reference": N_TEXT},
        }
    )


LINE_AMOUNTS = ("budget", "expenditure", "support_costs", "remaining", "percent_used")


def line_properties() -> dict[str, Schema]:
    """`line_to_json`'s keys."""
    return {
        **{"id": N_TEXT, "phase": N_TEXT, "purpose": N_TEXT},
        **{key: N_AMOUNT for key in LINE_AMOUNTS},
    }


def spending_schema() -> dict[str, Schema]:
    """`spending_to_json`: the report's `expenditure` and `budget_lines`."""
    earmark = {"purpose": N_TEXT, "depth": COUNT, "received": N_AMOUNT}
    earmark |= {"expenditure": N_AMOUNT, "support_costs": N_AMOUNT, "balance": N_AMOUNT}
    return {
        "expenditure": obj(
            {
                **{"recorded": FLAG, "support_cost_rate_stated": FLAG},
                **{"entries": array(spend_schema()), "purposes": array(obj(earmark))},
                **{"total": N_AMOUNT, "support_costs": N_AMOUNT},
            }
        ),
        "budget_lines": obj(
            {
                "lines": array(obj(line_properties())),
                "phases": array(obj({**line_properties(), "estimate": N_AMOUNT})),
                "outside_lines": obj({"expenditure": N_AMOUNT, "support_costs": N_AMOUNT}),
            }
        ),
    }
