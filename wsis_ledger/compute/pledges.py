"""Where each pledge stands: paid, remaining, status, age and exchange difference.

A payment settles its pledge in the pledge's own currency: the amount itself
where it was paid in that currency, else its CHF value converted back at the
pledge's booked rate. The exchange difference is what the payments brought in
CHF less what the settled part was booked at: shown, never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from wsis_ledger.compute import conversion
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import BOOKING_CURRENCY, Pledge

Status = Literal["open", "partly paid", "paid", "cancelled"]


@dataclass(frozen=True)
class PledgeStanding:
    """One pledge, and what its payments have done to it."""

    pledge: Pledge
    currency: str
    amount: Decimal
    chf: Decimal
    rate: Decimal
    paid: Decimal
    paid_chf: Decimal
    remaining: Decimal
    remaining_chf: Decimal
    exchange_difference: Decimal
    status: Status
    since: date | None
    since_statement: bool
    payments: int

    def age_days(self, on: date) -> int | None:
        """Days from the pledge (or its statement's date) to `on`."""
        return None if self.since is None else (on - self.since).days


def pledge_terms(ledger: Ledger, pledge: Pledge) -> tuple[str, Decimal, Decimal, Decimal]:
    """A pledge's currency, amount, booked CHF and rate (CHF-only pledges: CHF at 1)."""
    chf = conversion.chf_value(pledge, ledger.fund.booking_unit, ledger) or Decimal(0)
    if pledge.currency is None or pledge.amount is None:
        return BOOKING_CURRENCY, chf, chf, Decimal(1)
    rate = conversion.entry_rate(pledge, ledger)
    return pledge.currency, pledge.amount, chf, rate.value if rate else Decimal(1)


def standing(ledger: Ledger, pledge: Pledge) -> PledgeStanding:
    """Where `pledge` stands, from the receipts that pay it."""
    unit = ledger.fund.booking_unit
    currency, amount, chf, rate = pledge_terms(ledger, pledge)
    paid = paid_chf = Decimal(0)
    payments = ledger.payments_of(pledge.id)
    for payment in payments:
        value = conversion.chf_value(payment, unit, ledger) or Decimal(0)
        paid_chf += value
        paid += settled_by(payment.amount, payment.currency, value, currency, rate)
    remaining = max(amount - paid, Decimal(0))
    booked_for_paid = conversion.convert(min(paid, amount), rate, unit)
    statement_dates = {s.id: s.as_of for s in ledger.statements}
    since = pledge.date or statement_dates.get(pledge.statement or "")
    return PledgeStanding(
        pledge=pledge,
        currency=currency,
        amount=amount,
        chf=chf,
        rate=rate,
        paid=paid,
        paid_chf=paid_chf,
        remaining=remaining,
        remaining_chf=conversion.convert(remaining, rate, unit),
        exchange_difference=paid_chf - booked_for_paid,
        status=_status(pledge.id in ledger.cancellation_of, paid, remaining),
        since=since,
        since_statement=pledge.date is None and since is not None,
        payments=len(payments),
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
