"""The `pledges` listing: each pledge's standing as rows, from the position."""

from __future__ import annotations

from datetime import date
from typing import Any

from wsis_ledger.compute.position import Position
from wsis_ledger.compute.revaluation import Revaluation
from wsis_ledger.core import money

COLUMNS = (
    "id",
    "donor",
    "currency",
    "amount",
    "chf",
    "paid",
    "paid_chf",
    "remaining",
    "remaining_chf",
    "outstanding_chf",
    "status",
    "age_days",
    "age_from",
    "exchange_difference",
)
REVALUATION_COLUMNS = ("reference_rate", "reference_date", "revalued_chf", "revaluation")


def pledge_rows(
    position: Position,
    on: date,
    *,
    outstanding_only: bool = False,
    revaluations: dict[str, Revaluation] | None = None,
) -> list[dict[str, Any]]:
    """Every pledge (or only those still open), aged to `on`."""
    rows: list[dict[str, Any]] = []
    for row in position.all_pledges:
        s = row.standing
        assert s is not None, "a pledge row has its standing"
        open_ = s.status in ("open", "partly paid")
        if outstanding_only and not open_:
            continue
        shown: dict[str, Any] = {
            "id": row.id,
            "donor": row.donor,
            "currency": s.currency,
            "amount": money.format_amount(s.amount),
            "chf": money.format_amount(s.chf),
            "paid": money.format_amount(s.paid),
            "paid_chf": money.format_amount(s.paid_chf),
            "remaining": money.format_amount(s.remaining),
            "remaining_chf": money.format_amount(s.remaining_chf),
            "outstanding_chf": money.format_amount(s.outstanding_chf),
            "status": s.status,
            "age_days": s.age_days(on) if open_ else None,
            "age_from": ("statement" if s.since_statement else "pledge")
            if open_ and s.since
            else None,
            "exchange_difference": money.format_amount(s.exchange_difference),
        }
        revalued = (revaluations or {}).get(row.id)
        if revalued is not None:
            shown.update(
                reference_rate=money.format_amount(revalued.rate),
                reference_date=revalued.day.isoformat(),
                revalued_chf=money.format_amount(revalued.revalued_chf),
                revaluation=money.format_amount(revalued.difference),
            )
        rows.append(shown)
    return rows
