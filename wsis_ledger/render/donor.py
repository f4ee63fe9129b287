"""One donor's statement, from the position: its rows and its part of the totals.

The statements of all donors add up to the report: a donor's `received` is
the sum of its receipts, its `pledged` what is outstanding of its pledges.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wsis_ledger.compute.position import EntryRow, Position
from wsis_ledger.core import money
from wsis_ledger.core.language import number, word
from wsis_ledger.render.labels import clauses, label, listed
from wsis_ledger.render.layout import seconded_detail

COLUMNS = (
    "kind",
    "id",
    "date",
    "amount",
    "currency",
    "chf",
    "status",
    "outstanding_chf",
    "detail",
    "experts",  # a count of people, never under amount and currency
)
#: The columns a table shows grouped by thousands.
AMOUNTS = ("amount", "chf", "outstanding_chf")


def headings(lang: str) -> dict[str, str]:
    """Each column's heading in a table, in `lang` (CSV and JSON keep the field names)."""
    return {c: label(c, lang) for c in COLUMNS}


def summary_lines(totals: dict[str, Any], spending: list[dict[str, Any]], lang: str) -> list[str]:
    """Under the table: the donor's totals and what was spent on its purposes, in `lang`."""
    grouped = {
        k: number(Decimal(v), lang) for k, v in totals.items() if k != "experts" and v is not None
    }
    lines = [
        word(
            lang,
            "donor_totals",
            "received {received} CHF; pledged and outstanding {pledged} CHF; "
            "{experts} seconded experts.",
        ).format(
            received=grouped["received"], pledged=grouped["pledged"], experts=totals["experts"]
        )
    ]
    for part in spending:
        figures = {
            k: number(Decimal(part[k]), lang) for k in ("expenditure", "support_costs", "received")
        }
        lines.append(
            word(
                lang,
                "donor_spent",
                "spent on {purpose} (from every donor's money): {spent} CHF and {support} CHF "
                "support costs, of {received} CHF received for it.",
            ).format(
                purpose=part["purpose"],
                spent=figures["expenditure"],
                support=figures["support_costs"],
                received=figures["received"],
            )
        )
    return lines


def donor_rows(position: Position, donor_id: str) -> list[dict[str, Any]]:
    """Everything the ledger holds for the donor, as rows: what it gave, pledged and paid,
    the loan facilities it lends (with their drawings and repayments), what was refunded
    to it (`detail`: the receipt it came from), the experts it
    seconded or whose salaries it pays, the facilities and staff it provides, and its
    direct support. Values are in English (CSV and JSON); `table_values` shows them in Chinese."""
    lang = position.lang
    entries = (*position.receipts, *position.all_pledges)
    rows = [_entry(entry, lang) for entry in entries if entry.donor_id == donor_id]
    rows += _loan_rows(position, donor_id)
    rows += [
        {
            "kind": "refund",
            "id": m.id,
            "date": m.date.isoformat(),
            "amount": money.format_amount(m.amount),
            "currency": m.currency,
            "chf": money.format_amount(m.chf),
            "detail": m.receipt,
        }
        for m in position.movements.refunds
        if m.donor_id == donor_id
    ]
    rows += _experts_rows(position, donor_id)
    for facility in position.facilities:
        if facility.donor_id == donor_id:
            rows.append(
                {"kind": "facilities", "id": facility.id, "detail": _join(facility.items, lang)}
            )
    for staff in position.staff:
        if staff.donor_id == donor_id:
            parts = [
                f"{label('full_time', lang)} {staff.full_time}",
                f"{label('part_time_staff', lang)} {staff.part_time}",
                *staff.units,
            ]
            rows.append({"kind": "staff", "id": staff.id, "detail": _join(parts, lang)})
    for support in position.direct_support:
        if support.donor_id == donor_id:
            rows.append(
                {
                    "kind": "direct support",
                    "id": support.id,
                    "chf": money.format_amount(support.chf),
                    "detail": support.what,
                }
            )
    return rows


def _loan_rows(position: Position, donor_id: str) -> list[dict[str, Any]]:
    """The facilities the donor lends, each followed by its drawings and repayments."""
    rows: list[dict[str, Any]] = []
    for loan in position.loans:
        if loan.lender_id != donor_id:
            continue
        ceiling = label("ceiling", position.lang)
        rows.append(
            {"kind": "loan facility", "id": loan.id, "chf": money.format_amount(loan.ceiling)}
            | {"detail": ceiling}
        )
        rows += [
            {
                "kind": "loan drawing" if move.drawn else "loan repayment",
                "id": move.id,
                "date": move.date.isoformat(),
                "chf": money.format_amount(move.amount),
                "detail": move.use,
            }
            for move in loan.movements
        ]
    return rows


def _experts_rows(position: Position, donor_id: str) -> list[dict[str, Any]]:
    """Experts the donor seconded, and experts others seconded whose salaries it pays."""
    lang, rows = position.lang, []
    for secondment in position.seconded:
        experts = secondment.full_time + secondment.part_time
        if secondment.donor_id == donor_id:
            detail = seconded_detail(secondment.part_time > 0, secondment.paid_by, lang)
            rows.append(_experts_row("seconded", secondment.id, experts, detail))
        if secondment.paid_by_id == donor_id and secondment.donor_id != donor_id:
            detail = secondment.donor
            if secondment.part_time:
                detail = clauses([seconded_detail(True, None, lang), detail], lang)
            rows.append(_experts_row("salaries paid", secondment.id, experts, detail))
    return rows


def _experts_row(kind: str, row_id: str, experts: int, detail: str) -> dict[str, Any]:
    return {"kind": kind, "id": row_id, "detail": detail or None, "experts": experts}


def table_columns(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    """The columns a table of `rows` shows: `experts` only where a row has some."""
    if any(row.get("experts") is not None for row in rows):
        return COLUMNS
    return tuple(c for c in COLUMNS if c != "experts")


def _join(items: tuple[str, ...] | list[str], lang: str) -> str:
    return listed(items, lang)


def _entry(row: EntryRow, lang: str = "en") -> dict[str, Any]:
    standing = row.standing
    detail = row.purpose
    if row.pledge:
        detail = word(lang, "pays_pledge", "pays {pledge}").format(pledge=row.pledge)
    if standing is not None and standing.cancelled_on is not None:
        day = standing.cancelled_on.isoformat()
        detail = word(lang, "cancelled_on", "cancelled {date}").format(date=day)
    if row.note:  # the source's own note beside the entry
        detail = f"{detail}; {row.note}" if detail else row.note
    return {
        "kind": row.kind,
        "id": row.id,
        "date": row.date.isoformat() if row.date else None,
        "amount": money.format_amount(row.amount) if row.amount is not None else None,
        "currency": row.currency,
        "chf": money.format_amount(row.chf),
        "status": standing.status if standing else None,
        "outstanding_chf": money.format_amount(standing.outstanding_chf) if standing else None,
        "detail": detail,
    }


def donor_totals(position: Position, donor_id: str) -> dict[str, Any]:
    """The donor's part of the report's totals (amounts as strings)."""
    part = position.of_donor(donor_id)
    return {
        "received": money.format_amount(part.received),
        "pledged": money.format_amount(part.pledged),
        "pledged_at_booking": money.format_amount(part.promised),
        "exchange_difference": money.format_amount(part.exchange_difference),
        "experts": part.experts,
        # What was refunded to it (the report's `refunds`, the donor's part): null
        # where the ledger records no refund at all, as the report's total is.
        "refunded": money.format_amount(
            money.total(m.chf for m in position.movements.refunds if m.donor_id == donor_id)
        )
        if "refunds" in position.movements.recorded
        else None,
    }


def donor_spending(position: Position, donor_id: str) -> list[dict[str, Any]]:
    """For each purpose the donor gave or pledged to: what was received for it from every
    donor, spent on it (sub-purposes included) and left. Spending is not attributed to
    single donors. Empty where the ledger records no expenditure."""
    spent = position.spending
    if not spent.recorded:
        return []
    given = (*position.receipts, *position.pledges)
    purposes = dict.fromkeys(r.purpose for r in given if r.donor_id == donor_id and r.purpose)
    earmarks = {e.purpose: e for e in spent.earmarks}
    rows = []
    for purpose in purposes:
        assert purpose is not None
        inside = [x for x in spent.expenditures if x.purpose and _holds(purpose, x.purpose)]
        earmark = earmarks.get(purpose)
        rows.append(
            {
                "purpose": purpose,
                "received": money.format_amount(
                    earmark.received if earmark else _received(position, purpose)
                ),
                "expenditure": money.format_amount(sum((x.chf for x in inside), Decimal(0))),
                "support_costs": money.format_amount(sum((x.support for x in inside), Decimal(0))),
                "balance": money.format_amount(earmark.balance) if earmark else None,
            }
        )
    return rows


def _holds(group: str, purpose: str) -> bool:
    return purpose == group or purpose.startswith(group + "/")


def _received(position: Position, purpose: str) -> Decimal:
    return sum(
        (r.chf for r in position.receipts if r.purpose and _holds(purpose, r.purpose)), Decimal(0)
    )
