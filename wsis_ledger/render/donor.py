"""One donor's statement, from the position: its rows and its part of the totals.

The statements of all donors add up to the report: a donor's `received` is
the sum of its receipts, its `pledged` what is outstanding of its pledges.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wsis_ledger.compute.position import EntryRow, Position
from wsis_ledger.core import money
from wsis_ledger.render.labels import label

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
)
#: The columns a table shows grouped by thousands.
AMOUNTS = ("amount", "chf", "outstanding_chf")


def headings(lang: str) -> dict[str, str]:
    """Each column's heading in a table, in `lang` (CSV and JSON keep the field names)."""
    return {c: label(c, lang) for c in COLUMNS}


def summary_lines(totals: dict[str, Any], spending: list[dict[str, Any]], lang: str) -> list[str]:
    """Under the table: the donor's totals and what was spent on its purposes, in `lang`."""
    grouped = {k: money.group_thousands(Decimal(v)) for k, v in totals.items() if k != "experts"}
    if lang == "zh":
        lines = [
            f"收到捐款 {grouped['received']} 瑞士法郎；未付承诺款额 {grouped['pledged']} 瑞士法郎；"
            f"借调专家 {totals['experts']} 名。"
        ]
    else:
        lines = [
            f"received {grouped['received']} CHF; pledged and outstanding {grouped['pledged']} "
            f"CHF; {totals['experts']} seconded experts."
        ]
    for part in spending:
        purpose = part["purpose"]
        spent, support, received = (
            money.group_thousands(Decimal(part[k]))
            for k in ("expenditure", "support_costs", "received")
        )
        if lang == "zh":
            lines.append(
                f"用于 {purpose} 的支出（来自所有捐款方）：{spent} 瑞士法郎，"
                f"项目支助费用 {support} 瑞士法郎；该用途共收到 {received} 瑞士法郎。"
            )
        else:
            lines.append(
                f"spent on {purpose} (from every donor's money): {spent} CHF and {support} CHF "
                f"support costs, of {received} CHF received for it."
            )
    return lines


def donor_rows(position: Position, donor_id: str) -> list[dict[str, Any]]:
    """Everything the donor gave, pledged, paid and provided, as rows."""
    entries = (*position.receipts, *position.all_pledges)
    rows = [_entry(entry) for entry in entries if entry.donor_id == donor_id]
    for secondment in position.seconded:
        if secondment.donor_id == donor_id:
            experts = secondment.full_time + secondment.part_time
            # A count of people, not money: said in the detail, never under Amount.
            detail = f"{experts} expert{'' if experts == 1 else 's'}"
            if secondment.part_time:
                detail += f" ({secondment.part_time} part-time)"
            rows.append({"kind": "seconded", "id": secondment.id, "detail": detail})
    for facility in position.facilities:
        if facility.donor_id == donor_id:
            rows.append(
                {"kind": "facilities", "id": facility.id, "detail": ", ".join(facility.items)}
            )
    for staff in position.staff:
        if staff.donor_id == donor_id:
            detail = f"full-time {staff.full_time}, part-time {staff.part_time}"
            rows.append({"kind": "staff", "id": staff.id, "detail": detail})
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


def _entry(row: EntryRow) -> dict[str, Any]:
    standing = row.standing
    detail = row.purpose
    if row.pledge:
        detail = f"pays {row.pledge}"
    if standing is not None and standing.cancelled_on is not None:
        detail = f"cancelled {standing.cancelled_on.isoformat()}"
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
