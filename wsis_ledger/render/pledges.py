"""The `pledges` listing: each pledge's standing as rows, from the position."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from wsis_ledger.compute.pledges import instalments_on
from wsis_ledger.compute.position import Position
from wsis_ledger.compute.revaluation import Revaluation
from wsis_ledger.core import money
from wsis_ledger.render.labels import label

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
    "age_band",
    "note",
)
#: Age bands of what remains of open pledges: (name, the most days it holds).
AGE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("up to 90 days", 90),
    ("91-180 days", 180),
    ("181-365 days", 365),
    ("over a year", None),
)
BAND_COLUMNS = ("age_band", "pledges", "outstanding_chf")
#: The band of a pledge whose age is only a lower bound (`age_at_least`) short of the
#: last band: the source gives no date, so which band it falls in is not stated.
AGE_NOT_STATED = "age not stated"
#: Added last to every pledge (after the revaluation's and agreement's columns): whether
#: `age_days` is a lower bound, the pledge dated only by its statement (the source gives
#: no date: it was made by then, perhaps long before).
LAST_COLUMNS = ("age_at_least",)


def age_band(days: int | None, at_least: bool = False) -> str | None:
    """The band an age in days falls in (None: no age); for an age that is only a lower
    bound, the last band where it reaches it, else `AGE_NOT_STATED`."""
    if days is None:
        return None
    last, most_before = AGE_BANDS[-1][0], AGE_BANDS[-2][1]
    if at_least:
        return last if most_before is not None and days > most_before else AGE_NOT_STATED
    for name, most in AGE_BANDS:
        if most is None or days <= most:
            return name
    return None  # not reached: the last band has no limit


def band_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open pledges by age band (count and outstanding CHF), then a total row."""
    names = [name for name, _ in AGE_BANDS]
    if any(row.get("age_band") == AGE_NOT_STATED for row in rows):
        names.append(AGE_NOT_STATED)
    counts = dict.fromkeys(names, 0)
    chf = dict.fromkeys(names, Decimal(0))
    for row in rows:
        band = row.get("age_band")
        if band is not None:
            counts[band] += 1
            chf[band] += Decimal(row["outstanding_chf"])
    out: list[dict[str, Any]] = [
        {
            "age_band": name,
            "pledges": counts[name],
            "outstanding_chf": money.format_amount(chf[name]),
        }
        for name in names
    ]
    out.append(
        {
            "age_band": "total",
            "pledges": sum(r["pledges"] for r in out),
            "outstanding_chf": money.format_amount(
                sum((Decimal(r["outstanding_chf"]) for r in out), Decimal(0))
            ),
        }
    )
    return out


REVALUATION_COLUMNS = ("reference_rate", "reference_date", "revalued_chf", "revaluation")
#: Shown where any pledge has a signed agreement or instalments (`signed:`, `instalments:`).
AGREEMENT_COLUMNS = ("signed", "fallen_due", "overdue", "next_due", "next_due_amount")
#: The columns a table shows grouped by thousands.
AMOUNTS: tuple[str, ...] = ("amount", "chf", "paid", "paid_chf", "remaining", "remaining_chf")
AMOUNTS += ("outstanding_chf", "exchange_difference", "revalued_chf", "revaluation")
AMOUNTS += ("fallen_due", "overdue", "next_due_amount")
#: Where a column's heading is not the label of the same name.
_LABEL_OF = {"exchange_difference": "exchange_difference_chf", "pledges": "pledge_count"}


def agreed(position: Position) -> bool:
    """Whether any pledge has a signed agreement or instalments (their columns are shown)."""
    return any(
        r.standing is not None and (r.standing.pledge.signed or r.standing.pledge.instalments)
        for r in position.all_pledges
    )


def headings(lang: str) -> dict[str, str]:
    """Each column's heading in a table, in `lang` (CSV and JSON keep the field names)."""
    names = (*COLUMNS, *REVALUATION_COLUMNS, *BAND_COLUMNS, *AGREEMENT_COLUMNS)
    return {c: label(_LABEL_OF.get(c, c), lang) for c in names}


def at_least(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """`rows` as a table shows them: an age that is only a lower bound as `at least N`."""
    from wsis_ledger.core.language import number

    word = label("age_at_least", lang)
    return [
        {**row, "age_days": word.format(days=number(row["age_days"], lang))}
        if row.get("age_at_least")
        else row
        for row in rows
    ]


def pledge_rows(
    position: Position,
    on: date | None,
    *,
    outstanding_only: bool = False,
    revaluations: dict[str, Revaluation] | None = None,
) -> list[dict[str, Any]]:
    """Every pledge (or only those still open), aged to `on` (the report's date, never
    today's: None leaves ages out)."""
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
            # A withdrawn pledge has nothing remaining: what was left is withdrawn.
            "remaining": money.format_amount(Decimal(0) if s.cancelled_on else s.remaining),
            "remaining_chf": money.format_amount(s.outstanding_chf),
            "outstanding_chf": money.format_amount(s.outstanding_chf),
            "status": s.status,
            "age_days": s.age_days(on) if open_ and on else None,
            "age_from": ("statement" if s.since_statement else "pledge")
            if open_ and s.since
            else None,
            "exchange_difference": money.format_amount(s.exchange_difference),
        }
        shown["age_at_least"] = s.since_statement if shown["age_days"] is not None else None
        shown["age_band"] = age_band(shown["age_days"], bool(shown["age_at_least"]))
        signed = s.pledge.signed
        # An agreement signed after the day shown is not signed yet on that day.
        shown["signed"] = signed.isoformat() if signed and (on is None or signed <= on) else None
        due = instalments_on(s, on) if on else None
        if due is not None:
            shown.update(
                fallen_due=money.format_amount(due.fallen_due),
                overdue=money.format_amount(due.overdue),
                next_due=due.next_due.isoformat() if due.next_due else None,
                next_due_amount=money.format_amount(due.next_amount)
                if due.next_amount is not None
                else None,
            )
        shown["note"] = row.note  # the source's note beside the pledge
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
