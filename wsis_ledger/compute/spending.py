"""Expenditure, programme support costs, earmark balances and budget against actual.

The rules (the README's "Expenditure and the fund balance" gives them with an
example):

- An expenditure is valued in CHF as a receipt is (`compute.conversion`): an
  amount in CHF is its own value; otherwise the booked `chf`, or the amount
  times its rate (or the rates table's), rounded half-up to the booking unit.
- Its support cost is that CHF times the support cost rate of its purpose,
  rounded half-up to the booking unit, each expenditure on its own. The rate
  is the fund's `support_cost_rates` entry for the most specific purpose that
  is the expenditure's or holds it, else the fund's `support_cost_rate`;
  without either there are no support costs.
- The earmark balance of a purpose (at every level: `core` holds
  `core/fellowships`) is what was received for it, less what was spent on it
  and the support costs of that spending.
- An expenditure counts on the budget line of its phase whose purpose is the
  most specific one that is its purpose or holds it. One that names no phase
  counts on such a line where the lines for its purpose are all of one phase.
  Any other is outside the lines.

Cash going below zero on any date is a problem; spending beyond an earmark or a
budget line is a warning (`compute.spending_checks`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from wsis_ledger.compute import conversion
from wsis_ledger.compute.conversion import Rate
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import BudgetLine, Expenditure, Fund

#: Per cent used of a budget line, to this many places, half-up.
PERCENT_PLACES = Decimal("0.01")
ZERO = Decimal(0)


def holds(group: str, purpose: str | None) -> bool:
    """True when `purpose` is `group` or nested under it (`core/fellowships` in `core`)."""
    return purpose is not None and (purpose == group or purpose.startswith(group + "/"))


def support_rate(fund: Fund, purpose: str | None) -> Decimal | None:
    """The support cost rate for spending on `purpose` (None: no support costs)."""
    specific = [key for key in fund.support_cost_rates if holds(key, purpose)]
    if specific:
        return fund.support_cost_rates[max(specific, key=len)]
    return fund.support_cost_rate


def rate_stated(fund: Fund) -> bool:
    """True when the fund states any support cost rate."""
    return fund.support_cost_rate is not None or bool(fund.support_cost_rates)


# A NamedTuple, not a frozen dataclass, as every record type `check` defines on
# its way: a NamedTuple is much cheaper to define at start (bench/HISTORY.md).
class SpendRow(NamedTuple):
    """One expenditure as the position counts it: its CHF and its support cost."""

    id: str
    date: date
    description: str
    payee: str | None
    purpose: str | None
    phase: str | None
    amount: Decimal
    currency: str
    rate: Rate | None
    chf: Decimal
    support_rate: Decimal | None
    support: Decimal
    line: str | None
    reference: str | None

    @property
    def total(self) -> Decimal:
        """What it took from the fund: its CHF and its support cost."""
        return self.chf + self.support


class EarmarkRow(NamedTuple):
    """Received, spent and left for one purpose or group of purposes ("": no purpose)."""

    purpose: str
    depth: int
    received: Decimal
    expenditure: Decimal
    support_costs: Decimal

    @property
    def balance(self) -> Decimal:
        return self.received - self.expenditure - self.support_costs

    @property
    def name(self) -> str:
        return self.purpose.rsplit("/", 1)[-1]


class LineRow(NamedTuple):
    """A budget line (or a phase's lines together) against what was spent on it."""

    id: str
    phase: str
    purpose: str | None
    budget: Decimal
    expenditure: Decimal
    support_costs: Decimal
    #: For a phase: its own estimate (`budget:` of the phase), where one is given.
    estimate: Decimal | None = None

    @property
    def used(self) -> Decimal:
        return self.expenditure + self.support_costs

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.used

    @property
    def percent_used(self) -> Decimal | None:
        return money.percent(self.used, self.budget, PERCENT_PLACES) if self.budget else None


class Spending(NamedTuple):
    """What the fund spent, by expenditure, purpose, budget line and phase."""

    #: Whether the ledger records any expenditure at all (on any date).
    recorded: bool = False
    #: Whether the fund states a support cost rate.
    rate_stated: bool = False
    expenditures: tuple[SpendRow, ...] = ()
    earmarks: tuple[EarmarkRow, ...] = ()
    lines: tuple[LineRow, ...] = ()
    phases: tuple[LineRow, ...] = ()
    outside_expenditure: Decimal = ZERO
    outside_support: Decimal = ZERO

    @property
    def expenditure(self) -> Decimal:
        return money.total(row.chf for row in self.expenditures)

    @property
    def support_costs(self) -> Decimal:
        return money.total(row.support for row in self.expenditures)


def expenditure_chf(ledger: Ledger, expenditure: Expenditure) -> Decimal | None:
    """The expenditure's CHF (None where it cannot be valued: `check` says why)."""
    return conversion.chf_value(expenditure, ledger.fund.booking_unit, ledger)


def support_cost(ledger: Ledger, expenditure: Expenditure, chf: Decimal) -> Decimal:
    """CHF × the rate for its purpose, rounded half-up to the booking unit (0 without a rate)."""
    rate = support_rate(ledger.fund, expenditure.purpose)
    if rate is None:
        return ZERO
    return conversion.convert(chf, rate, ledger.fund.booking_unit)


def line_of(lines: Iterable[BudgetLine], expenditure: Expenditure) -> BudgetLine | None:
    """The budget line an expenditure counts on, or None (outside the lines)."""
    candidates = [
        line
        for line in lines
        if holds(line.purpose, expenditure.purpose)
        and (expenditure.phase is None or line.phase == expenditure.phase)
    ]
    if not candidates:
        return None
    if expenditure.phase is None and len({line.phase for line in candidates}) > 1:
        return None  # which phase's line it is cannot be said
    return max(candidates, key=lambda line: len(line.purpose))


def build_spending(
    ledger: Ledger, received: Iterable[tuple[str | None, Decimal]], *, recorded: bool, lang: str
) -> Spending:
    """The spending of `ledger` (already cut to a date), beside what was received by purpose.

    `received` is each receipt's purpose and CHF; `recorded` says whether the
    whole ledger (on any date) records expenditure.
    """
    rows = tuple(_row(ledger, x) for x in ledger.expenditures)
    lines = tuple(
        LineRow(
            line.id,
            line.phase,
            line.purpose,
            line.amount,
            money.total(r.chf for r in rows if r.line == line.id),
            money.total(r.support for r in rows if r.line == line.id),
        )
        for line in ledger.budget_lines
    )
    phases = tuple(
        LineRow(
            phase.id,
            phase.name.get(lang),
            None,
            money.total(r.budget for r in lines if r.phase == phase.id),
            money.total(r.expenditure for r in lines if r.phase == phase.id),
            money.total(r.support_costs for r in lines if r.phase == phase.id),
            phase.budget,
        )
        for phase in ledger.fund.phases
        if any(line.phase == phase.id for line in lines)
    )
    outside = [r for r in rows if r.line is None]
    return Spending(
        recorded=recorded,
        rate_stated=rate_stated(ledger.fund),
        expenditures=rows,
        earmarks=_earmarks(received, rows),
        lines=lines,
        phases=phases,
        outside_expenditure=money.total(r.chf for r in outside),
        outside_support=money.total(r.support for r in outside),
    )


def _row(ledger: Ledger, expenditure: Expenditure) -> SpendRow:
    chf = expenditure_chf(ledger, expenditure)
    assert chf is not None, "checks refuse expenditure that cannot be valued"
    line = line_of(ledger.budget_lines, expenditure)
    return SpendRow(
        id=expenditure.id,
        date=expenditure.date,
        description=expenditure.description,
        payee=expenditure.payee,
        purpose=expenditure.purpose,
        phase=expenditure.phase,
        amount=expenditure.amount,
        currency=expenditure.currency,
        rate=conversion.entry_rate(expenditure, ledger),
        chf=chf,
        support_rate=support_rate(ledger.fund, expenditure.purpose),
        support=support_cost(ledger, expenditure, chf),
        line=line.id if line else None,
        reference=expenditure.reference,
    )


def _earmarks(
    received: Iterable[tuple[str | None, Decimal]], rows: tuple[SpendRow, ...]
) -> tuple[EarmarkRow, ...]:
    """Received, spent and left at every level of the purposes, when any has a purpose."""
    if not rows:
        return ()  # nothing spent: no balances shown (and the receipts need not be added)
    sums: dict[str, list[Decimal]] = {}

    def add(purpose: str | None, index: int, amount: Decimal) -> None:
        for key in purpose_levels(purpose):
            sums.setdefault(key, [ZERO, ZERO, ZERO])[index] += amount

    # Receipts added up by purpose first, then each purpose at its levels: the same sums
    # (Decimal sums of amounts of at most 17 digits are exact in any order), with far
    # fewer paths split than one a receipt.
    by_purpose: dict[str | None, Decimal] = {}
    for purpose, chf in received:
        by_purpose[purpose] = by_purpose.get(purpose, ZERO) + chf
    for purpose, chf in by_purpose.items():
        add(purpose, 0, chf)
    for row in rows:
        add(row.purpose, 1, row.chf)
        add(row.purpose, 2, row.support)
    if not any(sums):
        return ()
    return tuple(
        EarmarkRow(key, key.count("/") if key else 0, *figures)
        for key, figures in sorted(sums.items(), key=lambda kv: (kv[0] == "", kv[0]))
    )


def purpose_levels(purpose: str | None) -> list[str]:
    """`core/fellowships` → `core`, `core/fellowships`; no purpose → ""."""
    parts = purpose.split("/") if purpose else [""]
    return ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
