"""Where each pledge stands: paid, outstanding, status, age and exchange difference.

A payment settles its pledge in the pledge's own currency: the amount itself
where it was paid in that currency, else its CHF value converted back at the
pledge's booked rate. What remains is valued at the pledge's booked rate
(`remaining_chf`); the part of the booked CHF that is no longer outstanding is
what the payments settled (`settled_chf`), so that

    booked CHF = settled CHF + outstanding CHF (+ withdrawn CHF, when cancelled)

holds to the franc, and the exchange difference is what the payments brought
in CHF less what they settled: shown, never hidden. A cancellation withdraws
what was still outstanding on its date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

from wsis_ledger.compute import conversion
from wsis_ledger.core import money
from wsis_ledger.core.fields import BOOKING_CURRENCY
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Pledge, Receipt

Status = Literal["open", "partly paid", "paid", "cancelled"]


# A NamedTuple, not a frozen dataclass, as every record type `check` defines on
# its way: a NamedTuple is much cheaper to define at start (bench/HISTORY.md).
class Settlement(NamedTuple):
    """What one payment did to its pledge: the CHF it brought, and the booked CHF it settled."""

    receipt: Receipt
    chf: Decimal
    settled: Decimal  # in the pledge's currency
    settled_chf: Decimal  # at the pledge's booked rate

    @property
    def exchange_difference(self) -> Decimal:
        return self.chf - self.settled_chf


class PledgeStanding(NamedTuple):
    """One pledge, and what its payments and any cancellation have done to it."""

    pledge: Pledge
    currency: str
    amount: Decimal
    chf: Decimal
    rate: Decimal
    paid: Decimal
    paid_chf: Decimal
    remaining: Decimal
    remaining_chf: Decimal
    status: Status
    since: date | None
    since_statement: bool
    settlements: tuple[Settlement, ...] = ()
    cancelled_on: date | None = None

    @property
    def payments(self) -> int:
        return len(self.settlements)

    @property
    def outstanding_chf(self) -> Decimal:
        """What is still promised, in CHF at the booked rate: nothing once cancelled."""
        return Decimal(0) if self.cancelled_on else self.remaining_chf

    @property
    def withdrawn_chf(self) -> Decimal:
        """What a cancellation withdrew (what was outstanding on its date)."""
        return self.remaining_chf if self.cancelled_on else Decimal(0)

    @property
    def settled_chf(self) -> Decimal:
        """The booked CHF the payments settled."""
        return self.chf - self.remaining_chf

    @property
    def exchange_difference(self) -> Decimal:
        """CHF the payments brought, less the booked CHF they settled."""
        return self.paid_chf - self.settled_chf

    def age_days(self, on: date) -> int | None:
        """Days from the pledge (or its statement's date) to `on`."""
        return None if self.since is None else (on - self.since).days


Terms = tuple[str, Decimal, Decimal, Decimal]


def pledge_terms(ledger: Ledger, pledge: Pledge) -> Terms:
    """A pledge's currency, amount, booked CHF and rate (CHF-only pledges: CHF at 1)."""
    chf = conversion.chf_value(pledge, ledger.fund.booking_unit, ledger)
    return terms_of(pledge, chf, conversion.entry_rate(pledge, ledger))


def terms_of(pledge: Pledge, chf: Decimal | None, rate: conversion.Rate | None) -> Terms:
    """`pledge_terms` from the pledge's CHF value and rate where the caller has them."""
    chf = chf or Decimal(0)
    if pledge.currency is None or pledge.amount is None:
        return BOOKING_CURRENCY, chf, chf, Decimal(1)
    return pledge.currency, pledge.amount, chf, rate.value if rate else Decimal(1)


def standing(
    ledger: Ledger,
    pledge: Pledge,
    *,
    terms: Terms | None = None,
) -> PledgeStanding:
    """Where `pledge` stands, from the receipts that pay it (in ledger order).

    `terms` (`pledge_terms`) spares the work where a caller has them already.
    `since` is the day the pledge became known (`Ledger.known`)."""
    unit = ledger.fund.booking_unit
    currency, amount, chf, rate = terms or pledge_terms(ledger, pledge)
    paid = Decimal(0)
    remaining_chf = chf
    settlements = []
    for payment in ledger.payments_of(pledge.id):
        value = conversion.chf_value(payment, unit, ledger) or Decimal(0)
        settled = settled_by(payment.amount, payment.currency, value, currency, rate)
        paid += settled
        now_remaining = conversion.convert(max(amount - paid, Decimal(0)), rate, unit)
        settlements.append(Settlement(payment, value, settled, remaining_chf - now_remaining))
        remaining_chf = now_remaining
    remaining = max(amount - paid, Decimal(0))
    since, source = ledger.known(pledge)
    cancellation = ledger.cancellation_of.get(pledge.id)
    return PledgeStanding(
        pledge=pledge,
        currency=currency,
        amount=amount,
        chf=chf,
        rate=rate,
        paid=paid,
        paid_chf=money.total(s.chf for s in settlements),
        remaining=remaining,
        remaining_chf=remaining_chf if settlements else chf,
        status=_status(cancellation is not None, paid, remaining),
        since=since,
        since_statement=source == "statement",
        settlements=tuple(settlements),
        cancelled_on=cancellation.date if cancellation else None,
    )


class Instalments(NamedTuple):
    """A pledge's instalments on a date: what fell due by then, what of it is unpaid,
    and the next instalment (amounts in the pledge's currency)."""

    fallen_due: Decimal
    overdue: Decimal
    next_due: date | None
    next_amount: Decimal | None


def instalments_on(standing: PledgeStanding, on: date) -> Instalments | None:
    """Where the pledge's instalments stand on `on` (None: it has none, is cancelled, or
    its agreement is not signed by then: an announced pledge is owed nothing yet).

    An instalment falls due on its day, and is overdue from the day after. Payments
    count against the earliest instalments first: what was due before `on` less what
    was paid (in the pledge's currency) is overdue.
    """
    pledge = standing.pledge
    plan = sorted(pledge.instalments, key=lambda i: i.due)
    if not plan or standing.cancelled_on is not None:
        return None
    if pledge.signed is None or on < pledge.signed:
        return None
    fallen = money.total(i.amount for i in plan if i.due <= on)
    late = money.total(i.amount for i in plan if i.due < on)
    upcoming = next((i for i in plan if i.due > on), None)
    return Instalments(
        fallen_due=fallen,
        overdue=max(late - standing.paid, Decimal(0)),
        next_due=upcoming.due if upcoming else None,
        next_amount=upcoming.amount if upcoming else None,
    )


def settled_by(
    amount: Decimal | None,
    currency: str | None,
    chf: Decimal,
    pledge_currency: str,
    pledge_rate: Decimal,
) -> Decimal:
    """How much of a pledge (in its currency) a payment settles."""
    if amount is not None and currency == pledge_currency:
        return amount
    places = Decimal(1).scaleb(-money.minor_unit(pledge_currency))
    settled = money.quantize(money.divide(chf, pledge_rate, digits=40), places)
    whole = settled.to_integral_value()
    return whole if whole == settled else settled  # 155000, not 155000.00


def _status(cancelled: bool, paid: Decimal, remaining: Decimal) -> Status:
    if cancelled:
        return "cancelled"
    if remaining == 0:
        return "paid"
    return "partly paid" if paid > 0 else "open"


def standings(ledger: Ledger) -> list[PledgeStanding]:
    """Every pledge, in ledger order."""
    return [standing(ledger, pledge) for pledge in ledger.pledged]
