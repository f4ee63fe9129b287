"""The checks on expenditure: figures that can be valued, cash that never goes below
zero (`validate_cash`), and warnings for spending beyond an earmark or a budget line
(`WARNINGS`). The rules are `compute.spending`'s."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from wsis_ledger.compute import conversion
from wsis_ledger.compute.identity_checks import KINDS
from wsis_ledger.compute.spending import (
    ZERO,
    expenditure_chf,
    line_of,
    purpose_levels,
    support_cost,
)
from wsis_ledger.core import money
from wsis_ledger.core.fields import BOOKING_CURRENCY
from wsis_ledger.core.language import Phrase, msg, said
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import (
    BudgetLine,
    CashMovement,
    Expenditure,
    LoanRepayment,
    Record,
)
from wsis_ledger.core.problems import Problem


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
                message = said(
                    msg(
                        "duplicate_id_line",
                        "the {kind} id '{id}' is used twice (first at line {line})",
                    ),
                    kind=KINDS[kind],
                    id=record_id,
                    line=seen[record_id].place.line,
                )
                problems.append(Problem(record.place.at("id"), "duplicate-id", message))
            seen.setdefault(record_id, record)
            phase = getattr(record, "phase", None)
            if phase is not None and phase not in phases:
                message = said(
                    msg("no_such_record", "{field}: there is no {kind} '{id}'"),
                    field="phase",
                    kind=KINDS["phase"],
                    id=phase,
                )
                problems.append(Problem(record.place.at("phase"), "unknown-reference", message))
    lines: dict[tuple[str, str], BudgetLine] = {}
    for line in ledger.budget_lines:
        first = lines.setdefault((line.phase, line.purpose), line)
        if first is not line:
            message = said(
                msg(
                    "duplicate_budget_line",
                    "phase '{phase}' has a budget line for '{purpose}' already "
                    "('{id}', line {line}): one line a purpose",
                ),
                phase=line.phase,
                purpose=line.purpose,
                id=first.id,
                line=first.place.line,
            )
            problems.append(Problem(line.place.at("purpose"), "duplicate-budget-line", message))
    for expenditure in ledger.expenditures:
        problems.extend(_amount_problems(ledger, expenditure))
    return problems


def _amount_problems(ledger: Ledger, expenditure: Expenditure | CashMovement) -> list[Problem]:
    unit, at = ledger.fund.booking_unit, expenditure.place.at
    problems = []
    if expenditure.chf is not None and not money.is_multiple(expenditure.chf, unit):
        problems.append(
            Problem(
                at("chf"),
                "booking-unit",
                said(
                    msg(
                        "booking_unit",
                        "{field}: the fund books multiples of {unit} CHF; "
                        "{amount} is not one (round it half-up)",
                    ),
                    field="chf",
                    unit=unit,
                    amount=expenditure.chf,
                ),
            )
        )
    if expenditure.currency == BOOKING_CURRENCY:
        if expenditure.rate is not None and expenditure.rate != 1:
            message = said(msg("chf_rate", "rate: an amount in CHF has no rate but 1"))
            problems.append(Problem(at("rate"), "rate", message))
        if expenditure.chf is not None and expenditure.chf != expenditure.amount:
            message = said(
                msg("booked_amount", "chf: {chf} differs from the amount of {amount} CHF"),
                chf=expenditure.chf,
                amount=expenditure.amount,
            )
            problems.append(Problem(at("chf"), "booked-amount", message))
        return problems
    if conversion.entry_rate(expenditure, ledger) is None:
        problems.append(
            Problem(
                at("amount"),
                "no-rate",
                said(
                    msg(
                        "no_rate",
                        "an amount in {currency} needs a 'rate' (CHF per {currency}) "
                        "or the booked 'chf'; the rates table has none for it{on}",
                    ),
                    currency=expenditure.currency,
                    on=said(msg("on_date", " on {date}"), date=expenditure.date),
                ),
            )
        )
    converted = conversion.conversion_problem(expenditure, unit, ledger)
    if converted is not None:
        problems.append(Problem(at("amount"), "converted-amount", converted))
    gap = conversion.disagreement(expenditure, unit)
    if gap is not None:
        problems.append(
            Problem(
                at("chf"),
                "rate-disagrees",
                said(
                    msg(
                        "rate_disagrees_spent",
                        "chf: the booked {chf} CHF disagrees with {amount} {currency} × {rate} "
                        "(a difference of {difference} CHF)",
                    ),
                    chf=expenditure.chf or ZERO,
                    amount=expenditure.amount,
                    currency=expenditure.currency,
                    rate=str(expenditure.rate),
                    difference=abs(gap),
                ),
            )
        )
    return problems


def validate_cash_movements(ledger: Ledger) -> list[Problem]:
    """Other income, refunds and bank charges: unique ids, figures that can be valued; a
    refund to a known donor, of a receipt of that donor, never more than it brought."""
    problems: list[Problem] = []
    for kind, records in (
        ("other income", ledger.other_income),
        ("refund", ledger.refunds),
        ("bank charge", ledger.bank_charges),
    ):
        seen: dict[str, Record] = {}
        for record in records:
            if record.id in seen:
                message = said(
                    msg(
                        "duplicate_id_line",
                        "the {kind} id '{id}' is used twice (first at line {line})",
                    ),
                    kind=KINDS[kind],
                    id=record.id,
                    line=seen[record.id].place.line,
                )
                problems.append(Problem(record.place.at("id"), "duplicate-id", message))
            seen.setdefault(record.id, record)
            problems.extend(_amount_problems(ledger, record))
    return problems + _refund_problems(ledger)


def _refund_problems(ledger: Ledger) -> list[Problem]:
    problems: list[Problem] = []
    refunded: dict[str, Decimal] = {}
    receipts = {r.id: r for r in ledger.received} if ledger.refunds else {}
    for refund in ledger.refunds:
        at = refund.place.at
        if refund.donor not in ledger.donor_by_id:
            message = said(
                msg("no_such_record", "{field}: there is no {kind} '{id}'"),
                field="donor",
                kind=KINDS["donor"],
                id=refund.donor,
            )
            problems.append(Problem(at("donor"), "unknown-reference", message))
        if refund.receipt is None:
            continue
        receipt = receipts.get(refund.receipt)
        if receipt is None:
            message = said(
                msg("no_such_record", "{field}: there is no {kind} '{id}'"),
                field="receipt",
                kind=KINDS["receipt"],
                id=refund.receipt,
            )
            problems.append(Problem(at("receipt"), "unknown-reference", message))
            continue
        if receipt.donor != refund.donor:
            message = said(
                msg(
                    "refund_donor",
                    "receipt: '{receipt}' was given by '{donor}', not by '{refunded_to}': "
                    "a refund goes back to who gave",
                ),
                receipt=receipt.id,
                donor=receipt.donor,
                refunded_to=refund.donor,
            )
            problems.append(Problem(at("receipt"), "refund-donor", message))
        chf = conversion.chf_value(refund, ledger.fund.booking_unit, ledger)
        given = conversion.chf_value(receipt, ledger.fund.booking_unit, ledger)
        if chf is None or given is None:
            continue
        refunded[receipt.id] = refunded.get(receipt.id, ZERO) + chf
        if refunded[receipt.id] > given:
            message = said(
                msg(
                    "refund_exceeds",
                    "'{refund}' takes what is refunded of '{receipt}' to {refunded} CHF, "
                    "more than the {given} CHF it brought",
                ),
                refund=refund.id,
                receipt=receipt.id,
                refunded=refunded[receipt.id],
                given=given,
            )
            problems.append(Problem(at("amount"), "refund-exceeds-receipt", message))
    return problems


class _Out(NamedTuple):
    """Money out of the fund's cash on a day: a loan repayment, or an expenditure's
    CHF and its support costs."""

    day: date
    amount: Decimal  # positive: all that went out
    record: Expenditure | LoanRepayment | CashMovement
    purpose: str | None = None
    chf: Decimal = ZERO  # of an expenditure: its own CHF, and its support costs
    support: Decimal = ZERO

    def what(self) -> Phrase:
        """The record in words, for a message."""
        record_id = self.record.id
        if isinstance(self.record, LoanRepayment):
            repaying = msg("out_repaying", "'{id}', repaying {amount} CHF")
            return said(repaying, id=record_id, amount=self.record.amount)
        if isinstance(self.record, CashMovement):
            return said(
                msg("out_taking", "'{id}', taking {amount} CHF"), id=record_id, amount=self.amount
            )
        if self.support:
            spending = msg(
                "out_spending_support",
                "'{id}', spending {amount} CHF (and {support} CHF support costs)",
            )
            return said(spending, id=record_id, amount=self.chf, support=self.support)
        return said(
            msg("out_spending", "'{id}', spending {amount} CHF"), id=record_id, amount=self.chf
        )


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
    for movement in (*ledger.refunds, *ledger.bank_charges):
        chf = conversion.chf_value(movement, ledger.fund.booking_unit, ledger)
        if chf is not None:
            outs.append(_Out(movement.date, chf, movement))
    outs.sort(key=lambda out: out.day)
    return outs


def _money_in(ledger: Ledger) -> list[tuple[date, Decimal, str | None]]:
    """Every receipt that can be dated and valued, and every loan drawing: (day, CHF, purpose)."""
    unit = ledger.fund.booking_unit
    purpose_of = ledger.purpose_of
    ins: list[tuple[date, Decimal, str | None]] = []
    for receipt in ledger.received:
        on = ledger.known_from(receipt)
        chf = conversion.chf_value(receipt, unit, ledger)
        if on is not None and chf is not None:
            ins.append((on, chf, purpose_of.get(receipt.id)))
    ins += [(d.date, d.amount, None) for d in ledger.loan_drawings]
    for income in ledger.other_income:  # unrestricted: it pays for any purpose
        chf = conversion.chf_value(income, unit, ledger)
        if chf is not None:
            ins.append((income.date, chf, None))
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
            message = said(
                msg(
                    "cash_negative",
                    "{what} on {date} takes the fund's cash below zero, to {cash} CHF "
                    "({short} CHF more than it held); draw on a loan facility first",
                ),
                what=out.what(),
                date=out.day,
                cash=cash,
                short=-cash,
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
        sources = [*reversed(purpose_levels(out.purpose)), ""] if out.purpose else [""]
        short = out.amount
        for key in dict.fromkeys(sources):
            taken = min(short, max(pools.get(key, ZERO), ZERO))
            pools[key] = pools.get(key, ZERO) - taken
            short -= taken
        if short > 0 and out.purpose is not None and out.purpose not in warned:
            warned.add(out.purpose)
            message = said(
                msg(
                    "earmark_overspent",
                    "{what} on {date} spends {short} CHF more on '{purpose}' than was received "
                    "for it or given without a purpose",
                ),
                what=out.what(),
                date=out.day,
                short=short,
                purpose=out.purpose,
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
            message = said(
                msg(
                    "budget_line_overspent",
                    "'{id}' on {date} takes budget line '{line}' ({phase}, {purpose}) to "
                    "{used} CHF with support costs, {beyond} CHF beyond its {amount} CHF",
                ),
                id=expenditure.id,
                date=expenditure.date,
                line=line.id,
                phase=line.phase,
                purpose=line.purpose,
                used=used[line.id],
                beyond=used[line.id] - amount,
                amount=amount,
            )
            problems.append(_warning(expenditure, "budget-line-overspent", message))
    return problems


def _warning(record: Record, code: str, message: str) -> Problem:
    return Problem(record.place.at("amount"), code, message, severity="warning")


#: Checks whose findings are problems (errors): `check` fails, and a write is refused.
CHECKS: tuple[Callable[[Ledger], list[Problem]], ...] = (
    validate_expenditures,
    validate_cash,
    validate_cash_movements,
)
#: Checks whose findings are warnings: `check` lists them apart, and fails on them with --strict.
WARNINGS: tuple[Callable[[Ledger], list[Problem]], ...] = (warn_earmarks, warn_budget_lines)
