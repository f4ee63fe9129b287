"""Checks over a loaded ledger. Each returns a list of problems; none raises.

`CHECKS` lists them all; `run_checks` runs every one and reports every
problem, so that one run of `wsis-ledger check` shows all that is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from operator import attrgetter

from wsis_ledger.compute import controls, conversion, loans, pledges, spending_checks
from wsis_ledger.compute.identity_checks import (
    KINDS,
    validate_donors_listed_once,
    validate_references,
    validate_unique_ids,
    validate_unique_references,
)
from wsis_ledger.compute.stated_totals import (
    unchecked_statements,
    validate_acknowledgements,
    validate_stated_totals,
)
from wsis_ledger.core import money
from wsis_ledger.core.fields import BOOKING_CURRENCY
from wsis_ledger.core.language import Message, Ordinal, Phrase, msg, said
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import (
    Cancellation,
    Entry,
    LoanDrawing,
    LoanRepayment,
    Pledge,
    Record,
)
from wsis_ledger.core.problems import Problem


def validate_amounts(ledger: Ledger) -> list[Problem]:
    """Each entry can be valued in CHF, in the fund's booking unit, and its figures agree.

    An entry of one of the two common shapes is sound when: it is an amount in
    CHF alone, a multiple of the unit; or an amount in another currency with its
    rate and a booked `chf` (a multiple of the unit) that agree. Such an entry
    is passed by the same tests `_entry_amount_problems` makes, inline; any other
    goes through it (a hot path: bench/HISTORY.md).
    """
    problems = []
    unit = ledger.fund.booking_unit
    remainder, multiply = money.EXACT.remainder, money.EXACT.multiply
    for entry in ledger.entries:
        amount, currency, chf, rate = entry.amount, entry.currency, entry.chf, entry.rate
        if amount is None or currency is None:
            sound = False
        elif currency == BOOKING_CURRENCY:
            sound = chf is None and rate is None and not remainder(amount, unit)
        else:
            sound = (
                chf is not None
                and rate is not None
                and not remainder(chf, unit)
                and abs(multiply(amount, rate) - chf) * 2 <= unit
            )
        if not sound:
            problems.extend(_entry_amount_problems(entry, ledger))
    return problems


def _entry_amount_problems(entry: Entry, ledger: Ledger) -> list[Problem]:
    unit = ledger.fund.booking_unit
    amount, currency, chf, rate = entry.amount, entry.currency, entry.chf, entry.rate
    if (amount is None) != (currency is None):
        missing = "currency" if currency is None else "amount"
        return [
            Problem(
                entry.place.at(),
                "missing-field",
                said(
                    msg("missing_field", "an amount needs a currency: '{field}' is missing"),
                    field=missing,
                ),
            )
        ]
    if amount is None and chf is None:
        return [
            Problem(
                entry.place.at(),
                "missing-field",
                said(msg("no_amount", "an entry needs an 'amount' and 'currency', or 'chf'")),
            )
        ]
    problems = []
    # What the fund books must be a whole number of its unit, whether it is written
    # as `chf` or as an amount in CHF: neither is ever rounded silently.
    booked, field = (
        (amount, "amount") if chf is None and currency == BOOKING_CURRENCY else (chf, "chf")
    )
    if booked is not None and not money.is_multiple(booked, unit):
        problems.append(
            Problem(
                entry.place.at(field),
                "booking-unit",
                said(
                    msg(
                        "booking_unit",
                        "{field}: the fund books multiples of {unit} CHF; "
                        "{amount} is not one (round it half-up)",
                    ),
                    field=field,
                    unit=unit,
                    amount=booked,
                ),
            )
        )
    if currency == BOOKING_CURRENCY:
        if rate is not None and rate != 1:
            problems.append(
                Problem(
                    entry.place.at("rate"),
                    "rate",
                    said(msg("chf_rate", "rate: an amount in CHF has no rate but 1")),
                )
            )
        if chf is not None and amount != chf:
            problems.append(
                Problem(
                    entry.place.at("chf"),
                    "booked-amount",
                    said(
                        msg("booked_no_amount", "chf: {chf} differs from the amount of no CHF"),
                        chf=chf,
                    )
                    if amount is None
                    else said(
                        msg("booked_amount", "chf: {chf} differs from the amount of {amount} CHF"),
                        chf=chf,
                        amount=amount,
                    ),
                )
            )
        return problems
    # `has_rate`, not `entry_rate`: only whether there is one matters here.
    if amount is not None and not conversion.has_rate(entry, ledger):
        on = said(msg("on_date", " on {date}"), date=entry.date) if entry.date else ""
        problems.append(
            Problem(
                entry.place.at("amount"),
                "no-rate",
                said(
                    msg(
                        "no_rate",
                        "an amount in {currency} needs a 'rate' (CHF per {currency}) "
                        "or the booked 'chf'; the rates table has none for it{on}",
                    ),
                    currency=currency,
                    on=on,
                ),
            )
        )
    converted = conversion.conversion_problem(entry, unit, ledger)
    if converted is not None:
        problems.append(Problem(entry.place.at("amount"), "converted-amount", converted))
    gap = conversion.disagreement(entry, unit)
    if gap is not None:
        assert amount is not None and rate is not None and chf is not None
        computed = money.multiply(amount, rate)
        problems.append(
            Problem(
                entry.place.at("chf"),
                "rate-disagrees",
                said(
                    msg(
                        "rate_disagrees",
                        "chf: the booked {chf} CHF disagrees with {amount} {currency} × {rate} = "
                        "{computed} CHF (a difference of {difference} CHF; rounding explains "
                        "at most {most})",
                    ),
                    chf=chf,
                    amount=amount,
                    currency=currency,
                    rate=str(rate),
                    computed=computed,
                    difference=abs(gap),
                    most=unit / 2,
                ),
            )
        )
    return problems


def validate_rates(ledger: Ledger) -> list[Problem]:
    """A table rate has a date or a period, not both; one rate per currency and date."""
    problems = []
    seen: dict[tuple[str, object, object, object], int] = {}
    for record in ledger.rates:
        at = record.place.at
        if record.date is not None and (record.start or record.end):
            problems.append(
                Problem(
                    at("date"),
                    "rate-period",
                    said(msg("rate_period", "a rate has a date or a start and end, not both")),
                )
            )
        if record.start and record.end and record.start > record.end:
            problems.append(
                Problem(
                    at("end"),
                    "rate-period",
                    said(
                        msg("period_ends", "the period ends ({end}) before it starts"),
                        end=record.end,
                    ),
                )
            )
        key = (record.currency, record.date, record.start, record.end)
        if key in seen:
            problems.append(
                Problem(
                    at(),
                    "duplicate-rate",
                    said(
                        msg(
                            "duplicate_rate",
                            "a {currency} rate for this date is recorded already (line {line})",
                        ),
                        currency=record.currency,
                        line=seen[key],
                    ),
                )
            )
        seen.setdefault(key, record.place.line)
    return problems


def validate_loans(ledger: Ledger) -> list[Problem]:
    """Drawings and repayments name a facility, stay within its ceiling and its debt."""
    problems = []
    facilities = {f.id: f for f in ledger.loan_facilities}
    moves: tuple[loans.Movement, ...] = (*ledger.loan_drawings, *ledger.loan_repayments)
    for movement in moves:
        if movement.facility not in facilities:
            problems.append(
                Problem(
                    movement.place.at("facility"),
                    "unknown-reference",
                    said(
                        msg("no_such_record", "{field}: there is no {kind} '{id}'"),
                        field="facility",
                        kind=KINDS["loan facility"],
                        id=movement.facility,
                    ),
                )
            )
    for facility in facilities.values():
        outstanding = Decimal(0)
        for movement in loans.movements(ledger, facility.id):
            amount, on = movement.amount, movement.date
            if facility.date is not None and on < facility.date:
                early = (
                    msg(
                        "drawing_before_facility",
                        "drawing {amount} CHF on {date}, before '{facility}' was granted on "
                        "{granted}",
                    )
                    if isinstance(movement, LoanDrawing)
                    else msg(
                        "repaying_before_facility",
                        "repaying {amount} CHF on {date}, before '{facility}' was granted on "
                        "{granted}",
                    )
                )
                message = said(
                    early, amount=amount, date=on, facility=facility.id, granted=facility.date
                )
                problems.append(Problem(movement.place.at("date"), "loan-before-facility", message))
            if isinstance(movement, LoanRepayment) and movement.amount > outstanding:
                message = said(
                    msg(
                        "loan_overpaid",
                        "repaying {amount} CHF on {date} is more than the {outstanding} CHF "
                        "outstanding on '{facility}'",
                    ),
                    amount=amount,
                    date=on,
                    outstanding=outstanding,
                    facility=facility.id,
                )
                problems.append(Problem(movement.place.at("amount"), "loan-overpaid", message))
            sign = 1 if isinstance(movement, LoanDrawing) else -1
            outstanding += sign * movement.amount
            if sign > 0 and outstanding > facility.ceiling:
                message = said(
                    msg(
                        "loan_ceiling",
                        "drawing {amount} CHF on {date} takes '{facility}' to {outstanding} CHF "
                        "outstanding, past its ceiling of {ceiling} CHF",
                    ),
                    amount=amount,
                    date=on,
                    facility=facility.id,
                    outstanding=outstanding,
                    ceiling=facility.ceiling,
                )
                problems.append(Problem(movement.place.at("amount"), "loan-ceiling", message))
    return problems


def validate_pledges(ledger: Ledger) -> list[Problem]:
    """No pledge is paid more than it promised."""
    problems = []
    paid = set(map(attrgetter("pledge"), ledger.received))  # the pledges any receipt pays
    for pledge in ledger.pledged:
        if pledge.id not in paid or not ledger.payments_of(pledge.id):
            continue
        standing = pledges.standing(ledger, pledge)
        if standing.paid > standing.amount:
            last = ledger.payments_of(pledge.id)[-1]
            over = standing.paid - standing.amount
            message = said(
                msg(
                    "pledge_overpaid",
                    "the payments of pledge '{pledge}' settle {paid} {currency}, "
                    "{over} more than it promised",
                ),
                pledge=pledge.id,
                paid=standing.paid,
                currency=standing.currency,
                over=over,
            )
            problems.append(Problem(last.place.at("pledge"), "pledge-overpaid", message))
    return problems


def validate_dates(ledger: Ledger) -> list[Problem]:
    """Nothing is dated before what it refers to, nor after the statement it belongs to.

    A payment is not dated before its pledge, a cancellation not before the
    pledge it withdraws; an entry in a statement's file is not dated after that
    statement's `as_of`. (A reassignment may be agreed before the money
    arrives: it is not dated against its entry.)
    """
    problems = []

    def before(record: Record, on: date | None, what: Phrase, other: Entry) -> None:
        if on is not None and other.date is not None and on < other.date:
            problems.append(
                Problem(
                    record.place.at("date"),
                    "date-order",
                    said(
                        msg(
                            "dated_before",
                            "date: {what} is dated {date}, before the {kind} '{id}' "
                            "it refers to ({referred})",
                        ),
                        what=what,
                        date=on,
                        kind=_kind(other),
                        id=other.id,
                        referred=other.date,
                    ),
                )
            )

    for receipt in ledger.received:
        pledge = ledger.entry_by_id.get(receipt.pledge or "")
        if isinstance(pledge, Pledge):
            payment = said(msg("the_payment", "the payment '{id}'"), id=receipt.id)
            before(receipt, receipt.date, payment, pledge)
    for cancellation in ledger.cancellations:
        pledge = ledger.entry_by_id.get(cancellation.pledge)
        if isinstance(pledge, Pledge):
            withdrawn = said(msg("the_cancellation", "the cancellation '{id}'"), id=cancellation.id)
            before(cancellation, cancellation.date, withdrawn, pledge)
    for statement in ledger.statements:
        for entry in ledger.covered_by(statement):
            if entry.date is not None and entry.date > statement.as_of:
                problems.append(
                    Problem(
                        entry.place.at("date"),
                        "date-order",
                        said(
                            msg(
                                "dated_after_statement",
                                "date: the {kind} '{id}' is dated {date}, after the statement "
                                "'{statement}' it belongs to (as of {as_of})",
                            ),
                            kind=_kind(entry),
                            id=entry.id,
                            date=entry.date,
                            statement=statement.id,
                            as_of=statement.as_of,
                        ),
                    )
                )
    return problems


def _kind(entry: Entry) -> Message:
    return KINDS["pledge" if isinstance(entry, Pledge) else "receipt"]


def validate_agreements(ledger: Ledger) -> list[Problem]:
    """A pledge's instalments add up to no more than it promised (in its currency), and
    its agreement is not signed before the pledge was made."""
    problems = []
    for pledge in ledger.pledged:
        if pledge.signed is not None and pledge.date is not None and pledge.signed < pledge.date:
            problems.append(
                Problem(
                    pledge.place.at("signed"),
                    "signed-before-pledge",
                    said(
                        msg("signed_before", "signed: {signed} is before the pledge's date {date}"),
                        signed=pledge.signed,
                        date=pledge.date,
                    ),
                )
            )
        if not pledge.instalments:
            continue
        for n, instalment in enumerate(pledge.instalments):
            if pledge.date is not None and instalment.due < pledge.date:
                problems.append(
                    Problem(
                        pledge.place.at("instalments"),
                        "instalment-before-pledge",
                        said(
                            msg(
                                "instalment_before",
                                "instalments: the {ordinal} falls due on {due}, "
                                "before the pledge's date {date}",
                            ),
                            ordinal=Ordinal(n + 1),
                            due=instalment.due,
                            date=pledge.date,
                        ),
                    )
                )
        promised = pledge.amount if pledge.amount is not None else pledge.chf
        total = sum((i.amount for i in pledge.instalments), Decimal(0))
        if promised is not None and total > promised:
            problems.append(
                Problem(
                    pledge.place.at("instalments"),
                    "instalments-exceed-pledge",
                    said(
                        msg(
                            "instalments_exceed",
                            "instalments: they add up to {total}, more than the pledge's "
                            "{promised} {currency}",
                        ),
                        total=total,
                        promised=promised,
                        currency=pledge.currency or "CHF",
                    ),
                )
            )
    return problems


def validate_cancellations(ledger: Ledger) -> list[Problem]:
    """A cancelled pledge takes no later payment; a pledge paid in full, or cancelled
    already, is not cancelled (again)."""
    if not ledger.cancellations:
        return []
    problems = []
    for receipt in ledger.received:
        cancelled = ledger.cancellation_of.get(receipt.pledge or "")
        if cancelled is None:
            continue
        # Paid on or before the day the rest was withdrawn is a payment in its own
        # right; after it, or when nothing tells when, it pays a pledge that is gone.
        paid_on = ledger.known_from(receipt)
        if paid_on is None or paid_on > cancelled.date:
            when = (
                said(msg("paid_on", "on {date}"), date=paid_on)
                if paid_on
                else said(msg("paid_undated", "with no date"))
            )
            problems.append(
                Problem(
                    receipt.place.at("pledge"),
                    "pledge-cancelled",
                    said(
                        msg(
                            "pays_cancelled",
                            "pledge: the payment '{id}' ({when}) pays the pledge '{pledge}', "
                            "cancelled on {date} by '{cancellation}'",
                        ),
                        id=receipt.id,
                        when=when,
                        pledge=cancelled.pledge,
                        date=cancelled.date,
                        cancellation=cancelled.id,
                    ),
                )
            )
    seen: dict[str, Cancellation] = {}
    for cancellation in ledger.cancellations:
        pledge = ledger.entry_by_id.get(cancellation.pledge)
        if not isinstance(pledge, Pledge):
            continue  # validate_references names it
        first = seen.setdefault(cancellation.pledge, cancellation)
        if first is not cancellation:
            message = said(
                msg(
                    "cancelled_twice", "pledge: '{pledge}' is cancelled already by '{id}' ({first})"
                ),
                pledge=pledge.id,
                id=first.id,
                first=f"{first.place.path.name}:{first.place.line}",
            )
            problems.append(Problem(cancellation.place.at("pledge"), "pledge-cancelled", message))
        elif ledger.payments_of(pledge.id) and pledges.standing(ledger, pledge).remaining == 0:
            message = said(
                msg(
                    "cancelled_paid",
                    "pledge: '{pledge}' is paid in full by its payments; "
                    "a pledge paid in full cannot be cancelled",
                ),
                pledge=pledge.id,
            )
            problems.append(Problem(cancellation.place.at("pledge"), "pledge-cancelled", message))
    return problems


Check = Callable[[Ledger], list[Problem]]

#: Every check, in the order its problems are listed.
CHECKS: tuple[Check, ...] = (
    validate_unique_ids,
    validate_unique_references,
    validate_donors_listed_once,
    validate_references,
    validate_rates,
    validate_amounts,
    validate_loans,
    validate_pledges,
    validate_cancellations,
    validate_agreements,
    validate_dates,
    validate_acknowledgements,
    validate_stated_totals,
    *spending_checks.CHECKS,
    controls.validate_closings,
    controls.validate_reopenings,
    controls.validate_approvals,
)


def run_checks(ledger: Ledger, load_problems: list[Problem] | None = None) -> list[Problem]:
    """Every problem: those found loading, then each check's.

    A statement whose file could not be read whole is not checked against its
    totals (they would disagree for that reason alone); one line says so.
    """
    problems = list(load_problems or [])
    broken = {problem.where.path for problem in problems}
    # One problem per cause: a record that could not be read is reported once, where
    # it is written; what names it (an entry naming its statement, a payment its
    # pledge) is not reported again as naming a record that does not exist.
    unread = {p.subject for p in problems if p.subject and p.code != "unknown-reference"}
    for check in CHECKS:
        if check is validate_stated_totals and broken:
            problems.extend(unchecked_statements(ledger, broken))
            continue
        found = check(ledger)
        if unread:
            found = [
                p for p in found if not (p.code == "unknown-reference" and p.subject in unread)
            ]
        problems.extend(found)
    return problems


def run_warnings(ledger: Ledger) -> Iterator[Problem]:
    """Every warning (`severity` "warning"): a stray link that leads nowhere (found as the
    folder was read), spending beyond an earmark or a budget line, and rates far from the
    ECB's reference (`rate_check.warn_rates`).

    Run on a ledger without problems only: a warning over figures that are
    wrong would mislead. One at a time: a ledger's rates may all be far from the
    reference, and a caller keeps what it tells (`problems.capped_count`).
    """
    from wsis_ledger.compute.rate_check import warn_rates

    yield from ledger.warnings
    for check in spending_checks.WARNINGS:
        yield from check(ledger)
    yield from warn_rates(ledger)
    yield from controls.approval_warnings(ledger)
