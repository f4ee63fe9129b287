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

Cash going below zero on any date is a problem (`validate_cash`); spending
beyond an earmark or a budget line is a warning (`WARNINGS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from wsis_ledger.compute import conversion
from wsis_ledger.compute.conversion import Rate
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import (
    BOOKING_CURRENCY,
    BudgetLine,
    Expenditure,
    Fund,
    LoanRepayment,
    Record,
)
from wsis_ledger.core.problems import Problem

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
# its way: defining a dataclass generates its methods as source and compiles them,
# some 4 M instructions each, and a cold `check` defined dozens (bench/HISTORY.md).
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
        return sum((row.chf for row in self.expenditures), ZERO)

    @property
    def support_costs(self) -> Decimal:
        return sum((row.support for row in self.expenditures), ZERO)


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
            sum((r.chf for r in rows if r.line == line.id), ZERO),
            sum((r.support for r in rows if r.line == line.id), ZERO),
        )
        for line in ledger.budget_lines
    )
    phases = tuple(
        LineRow(
            phase.id,
            phase.name.get(lang),
            None,
            sum((r.budget for r in lines if r.phase == phase.id), ZERO),
            sum((r.expenditure for r in lines if r.phase == phase.id), ZERO),
            sum((r.support_costs for r in lines if r.phase == phase.id), ZERO),
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
        outside_expenditure=sum((r.chf for r in outside), ZERO),
        outside_support=sum((r.support for r in outside), ZERO),
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
        for key in _levels(purpose):
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


def _levels(purpose: str | None) -> list[str]:
    """`core/fellowships` → `core`, `core/fellowships`; no purpose → ""."""
    parts = purpose.split("/") if purpose else [""]
    return ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


# --- checks ------------------------------------------------------------------


def validate_expenditures(ledger: Ledger) -> list[Problem]:
    """Expenditures and budget lines: unique ids, known phases, figures that can be valued."""
    problems: list[Problem] = []
    phases = {p.id for p in ledger.fund.phases}
    for kind, records in (
        ("expenditure", ledger.expenditures),
        ("budget line", ledger.budget_lines),
    ):
        seen: dict[str, Record] = {}
        for record in records:
            record_id = getattr(record, "id", "")
            if record_id in seen:
                message = f"the {kind} id '{record_id}' is used twice (first at line {seen[record_id].place.line})"
                problems.append(Problem(record.place.at("id"), "duplicate-id", message))
            seen.setdefault(record_id, record)
            phase = getattr(record, "phase", None)
            if phase is not None and phase not in phases:
                message = f"phase: there is no phase '{phase}'"
                problems.append(Problem(record.place.at("phase"), "unknown-reference", message))
    lines: dict[tuple[str, str], BudgetLine] = {}
    for line in ledger.budget_lines:
        first = lines.setdefault((line.phase, line.purpose), line)
        if first is not line:
            message = (
                f"phase '{line.phase}' has a budget line for '{line.purpose}' already "
                f"('{first.id}', line {first.place.line}): one line a purpose"
            )
            problems.append(Problem(line.place.at("purpose"), "duplicate-budget-line", message))
    for expenditure in ledger.expenditures:
        problems.extend(_amount_problems(ledger, expenditure))
    return problems


def _amount_problems(ledger: Ledger, expenditure: Expenditure) -> list[Problem]:
    unit, at = ledger.fund.booking_unit, expenditure.place.at
    problems = []
    if expenditure.chf is not None and not money.is_multiple(expenditure.chf, unit):
        problems.append(
            Problem(
                at("chf"),
                "booking-unit",
                f"chf: the fund books multiples of {money.format_amount(unit)} CHF; "
                f"{money.format_amount(expenditure.chf)} is not one (round it half-up)",
            )
        )
    if expenditure.currency == BOOKING_CURRENCY:
        if expenditure.rate is not None and expenditure.rate != 1:
            problems.append(Problem(at("rate"), "rate", "rate: an amount in CHF has no rate but 1"))
        if expenditure.chf is not None and expenditure.chf != expenditure.amount:
            message = f"chf: {expenditure.chf} differs from the amount of {expenditure.amount} CHF"
            problems.append(Problem(at("chf"), "booked-amount", message))
        return problems
    if conversion.entry_rate(expenditure, ledger) is None:
        problems.append(
            Problem(
                at("amount"),
                "no-rate",
                f"an amount in {expenditure.currency} needs a 'rate' (CHF per "
                f"{expenditure.currency}) or the booked 'chf'; the rates table has none for it "
                f"on {expenditure.date}",
            )
        )
    gap = conversion.disagreement(expenditure, unit)
    if gap is not None:
        problems.append(
            Problem(
                at("chf"),
                "rate-disagrees",
                f"chf: the booked {expenditure.chf} CHF disagrees with {expenditure.amount} "
                f"{expenditure.currency} × {expenditure.rate} (a difference of "
                f"{money.format_amount(abs(gap))} CHF)",
            )
        )
    return problems


class _Out(NamedTuple):
    """Money out of the fund's cash on a day: a loan repayment, or an expenditure's
    CHF and its support costs."""

    day: date
    amount: Decimal  # positive: all that went out
    record: Expenditure | LoanRepayment
    purpose: str | None = None
    chf: Decimal = ZERO  # of an expenditure: its own CHF, and its support costs
    support: Decimal = ZERO

    def what(self) -> str:
        """The record in words, for a message."""
        if isinstance(self.record, LoanRepayment):
            return f"'{self.record.id}', repaying {money.format_amount(self.record.amount)} CHF"
        what = f"'{self.record.id}', spending {money.format_amount(self.chf)} CHF"
        if self.support:
            what += f" (and {money.format_amount(self.support)} CHF support costs)"
        return what


def _money_out(ledger: Ledger) -> list[_Out]:
    """Repayments, then expenditures that can be valued, in date order (stable)."""
    outs = [_Out(r.date, r.amount, r) for r in ledger.loan_repayments]
    for expenditure in ledger.expenditures:
        chf = expenditure_chf(ledger, expenditure)
        if chf is not None:
            support = support_cost(ledger, expenditure, chf)
            outs.append(
                _Out(
                    expenditure.date, chf + support, expenditure, expenditure.purpose, chf, support
                )
            )
    outs.sort(key=lambda out: out.day)
    return outs


def _money_in(ledger: Ledger) -> list[tuple[date, Decimal, str | None]]:
    """Every receipt that can be dated and valued, and every loan drawing: (day, CHF, purpose)."""
    statement_dates = {s.id: s.as_of for s in ledger.statements}
    unit = ledger.fund.booking_unit
    purpose_of = ledger.purpose_of
    ins: list[tuple[date, Decimal, str | None]] = []
    for receipt in ledger.received:
        on = receipt.date or statement_dates.get(receipt.statement or "")
        chf = conversion.chf_value(receipt, unit, ledger)
        if on is not None and chf is not None:
            ins.append((on, chf, purpose_of.get(receipt.id)))
    ins += [(d.date, d.amount, None) for d in ledger.loan_drawings]
    return ins


def _in_by_day(ins: Iterable[tuple[date, Decimal, str | None]]) -> list[tuple[date, Decimal]]:
    """Money in, added up by day, in date order."""
    by_day: dict[date, Decimal] = {}
    for on, chf, _ in ins:
        by_day[on] = by_day.get(on, ZERO) + chf
    return sorted(by_day.items())


# Cash moves in date order, money in before money out on a day. Only money out
# can take a balance below zero, so each check walks the money out in order and,
# before each, adds the money in up to its day (sums of Decimals are exact here:
# the order in which money in of one day is added changes nothing). A ledger
# with no money out has nothing to check, and its receipts are not valued.


def validate_cash(ledger: Ledger) -> list[Problem]:
    """Cash never goes below zero: the loan facility is how a fund bridges a gap."""
    outs = _money_out(ledger)
    if not outs:
        return []
    days = _in_by_day(_money_in(ledger))
    problems = []
    cash, next_in = ZERO, 0
    for out in outs:
        while next_in < len(days) and days[next_in][0] <= out.day:
            cash += days[next_in][1]
            next_in += 1
        before, cash = cash, cash - out.amount
        if cash < 0 <= before:
            message = (
                f"{out.what()} on {out.day} takes the fund's cash below zero, to "
                f"{money.format_amount(cash)} CHF ({money.format_amount(-cash)} CHF more than "
                "it held); draw on a loan facility first"
            )
            problems.append(Problem(out.record.place.at("amount"), "cash-negative", message))
    return problems


def warn_earmarks(ledger: Ledger) -> list[Problem]:
    """Spending on a purpose beyond the money that may pay for it, in date order.

    Money earmarked for a purpose pays for that purpose and its sub-purposes
    only (`core` pays for `core/fellowships`; `core/travel` does not); money
    with no purpose (and loan drawings) pays for any purpose. Each expenditure
    draws first on its own purpose's money, then on its enclosing purposes'
    (the nearest first), then on the unrestricted money; an expenditure with no
    purpose draws on the unrestricted money only. What none of them covers is
    a warning, once a purpose.
    """
    outs = _money_out(ledger)
    if not any(o.purpose is not None for o in outs):
        return []
    received: dict[date, dict[str, Decimal]] = {}
    for on, chf, purpose in _money_in(ledger):
        day = received.setdefault(on, {})
        day[purpose or ""] = day.get(purpose or "", ZERO) + chf
    days = sorted(received.items())
    pools: dict[str, Decimal] = {}  # money not yet spent, by the exact purpose it is for
    warned: set[str] = set()
    problems = []
    next_in = 0
    for out in outs:
        while next_in < len(days) and days[next_in][0] <= out.day:
            for key, chf in days[next_in][1].items():
                pools[key] = pools.get(key, ZERO) + chf
            next_in += 1
        # Its own purpose, then each enclosing one (nearest first), then unrestricted ("").
        sources = [*reversed(_levels(out.purpose)), ""] if out.purpose else [""]
        short = out.amount
        for key in dict.fromkeys(sources):
            taken = min(short, max(pools.get(key, ZERO), ZERO))
            pools[key] = pools.get(key, ZERO) - taken
            short -= taken
        if short > 0 and out.purpose is not None and out.purpose not in warned:
            warned.add(out.purpose)
            message = (
                f"{out.what()} on {out.day} spends {money.format_amount(short)} CHF more on "
                f"'{out.purpose}' than was received for it or given without a purpose"
            )
            problems.append(_warning(out.record, "earmark-overspent", message))
    return problems


def warn_budget_lines(ledger: Ledger) -> list[Problem]:
    """Spending on a budget line beyond its amount, naming the expenditure that passed it."""
    used: dict[str, Decimal] = {}
    lines = {line.id: line for line in ledger.budget_lines}
    problems = []
    for expenditure in sorted(ledger.expenditures, key=lambda x: x.date):
        line = line_of(ledger.budget_lines, expenditure)
        chf = expenditure_chf(ledger, expenditure)
        if line is None or chf is None:
            continue
        before = used.get(line.id, ZERO)
        used[line.id] = before + chf + support_cost(ledger, expenditure, chf)
        amount = lines[line.id].amount
        if used[line.id] > amount >= before:
            message = (
                f"'{expenditure.id}' on {expenditure.date} takes budget line '{line.id}' "
                f"({line.phase}, {line.purpose}) to {money.format_amount(used[line.id])} CHF "
                f"with support costs, {money.format_amount(used[line.id] - amount)} CHF beyond "
                f"its {money.format_amount(amount)} CHF"
            )
            problems.append(_warning(expenditure, "budget-line-overspent", message))
    return problems


def _warning(record: Record, code: str, message: str) -> Problem:
    return Problem(record.place.at("amount"), code, message, severity="warning")


#: Checks whose findings are problems (errors): `check` fails, and a write is refused.
CHECKS: tuple[Callable[[Ledger], list[Problem]], ...] = (validate_expenditures, validate_cash)
#: Checks whose findings are warnings: `check` lists them apart, and fails on them with --strict.
WARNINGS: tuple[Callable[[Ledger], list[Problem]], ...] = (warn_earmarks, warn_budget_lines)
