"""CHF at the rate recorded for each entry: the only place amounts change currency.

The rules, in the order they apply to an entry:

1. an amount in CHF is its own value (rate 1);
2. a recorded `rate` (CHF per unit) is used as written, every digit kept;
3. with no rate, a booked `chf` and an original amount give a derived rate,
   `chf / amount`, shown as derived;
4. with neither, the ledger's rates table gives the rate for the currency on
   the entry's date, where one is recorded;
5. with only a booked `chf`, the original currency is unknown: no rate.

An entry's value in CHF is what the fund booked (`chf`) where it booked one;
an amount in CHF is its own value, never rounded (like a booked `chf`, it must
be a multiple of the booking unit: `checks` says so where it is not);
otherwise the amount times its rate, rounded half-up to the fund's booking
unit. Where an entry has both a rate and a booked figure they must agree to
within half the booking unit (`disagreement`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple, Protocol

from wsis_ledger.core import money
from wsis_ledger.core.fields import BOOKING_CURRENCY
from wsis_ledger.core.language import Message, Phrase, msg, said
from wsis_ledger.core.models import Entry, RateRecord

RateBasis = Literal["same-currency", "recorded", "derived", "table", "given"]


class Priced(Protocol):
    """What a rate can be found for: an entry, or an expenditure."""

    @property
    def currency(self) -> str | None: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def chf(self) -> Decimal | None: ...
    @property
    def rate(self) -> Decimal | None: ...
    @property
    def rate_source(self) -> str | None: ...
    @property
    def date(self) -> date | None: ...


class RateTable(Protocol):
    """Where rates for a currency and date are recorded (the ledger's `rates:`)."""

    def table_rate(self, currency: str, on: date | None) -> RateRecord | None: ...


# A NamedTuple, not a frozen dataclass, as every record type `check` defines on
# its way: a NamedTuple is much cheaper to define at start (bench/HISTORY.md).
class Rate(NamedTuple):
    """A rate in CHF per unit of `currency`, and where it came from."""

    currency: str
    value: Decimal
    basis: RateBasis
    source: str | None = None
    #: A derived rate as a table shows it: the fewest digits that give back the booked CHF
    #: (`money.shortest_rate`); the value itself keeps every digit.
    shown: Decimal | None = None


def entry_rate(entry: Priced, table: RateTable | None = None) -> Rate | None:
    """The rate an entry is valued at, or None where there is none (see the module's rules)."""
    if entry.currency is None:
        return None
    if entry.currency == BOOKING_CURRENCY:
        return Rate(entry.currency, Decimal(1), "same-currency")
    if entry.rate is not None:
        return Rate(entry.currency, entry.rate, "recorded", entry.rate_source)
    if entry.chf is not None and entry.amount is not None:
        derived = money.divide(entry.chf, entry.amount)
        shown = money.shortest_rate(entry.chf, entry.amount, derived)
        source = entry.rate_source or "booked CHF / amount"
        return Rate(entry.currency, derived, "derived", source, shown)
    recorded = table.table_rate(entry.currency, entry.date) if table else None
    if recorded is not None:
        return Rate(entry.currency, recorded.rate, "table", recorded.source)
    return None


def has_rate(entry: Priced, table: RateTable | None = None) -> bool:
    """Whether `entry_rate(entry, table)` is not None, without working the rate out
    (a derived rate is a division; the checks only ask whether there is one)."""
    if entry.currency is None:
        return False
    if entry.currency == BOOKING_CURRENCY or entry.rate is not None:
        return True
    if entry.chf is not None and entry.amount is not None:
        return True
    return table is not None and table.table_rate(entry.currency, entry.date) is not None


def convert(amount: Decimal, rate: Decimal, unit: Decimal) -> Decimal:
    """`amount × rate`, rounded half-up to a multiple of `unit` (the annex books whole francs)."""
    return money.quantize(money.multiply(amount, rate), unit)


def chf_value(entry: Priced, unit: Decimal, table: RateTable | None = None) -> Decimal | None:
    """What the entry counts for in CHF, or None where it cannot be valued."""
    if entry.chf is not None:
        return entry.chf
    if entry.currency == BOOKING_CURRENCY:
        # Not rounded: 100.50 CHF is refused by the checks as `chf: 100.50` is,
        # never booked silently as 101.
        return entry.amount
    rate = entry_rate(entry, table)
    if rate is None or entry.amount is None:
        return None
    return convert(entry.amount, rate.value, unit)


def conversion_problem(
    entry: Priced, unit: Decimal, table: RateTable | None = None
) -> Phrase | None:
    """Why the CHF an amount converts to could not stand as a written `chf` (zero after
    rounding, or more digits than an amount may have), or None. Only a converted
    figure is asked: a booked `chf` and an amount in CHF are checked as written."""
    if entry.chf is not None or entry.currency in (None, BOOKING_CURRENCY):
        return None
    rate = entry_rate(entry, table)
    if rate is None or entry.amount is None:
        return None
    value = convert(entry.amount, rate.value, unit)
    problem = money.converted_problem(value, unit)
    if problem is None:
        return None
    return said(
        msg(
            "converted_amount",
            "{amount} {currency} × {rate} ({basis} rate) {problem}; record the booked 'chf'",
        ),
        amount=entry.amount,
        currency=entry.currency,
        rate=money.format_amount(rate.value),
        basis=Message("value", rate.basis),
        problem=problem,
    )


def disagreement(entry: Priced, unit: Decimal) -> Decimal | None:
    """How far `amount × rate` lies from the booked `chf`, when that is more than half a unit."""
    if entry.chf is None or entry.amount is None or entry.rate is None:
        return None
    if entry.currency == BOOKING_CURRENCY:
        return None
    gap = money.multiply(entry.amount, entry.rate) - entry.chf
    return gap if abs(gap) * 2 > unit else None


def total_chf(entries: Iterable[Entry], unit: Decimal, table: RateTable | None = None) -> Decimal:
    """The sum of the entries' CHF values (entries that cannot be valued count nothing)."""
    return money.total(chf_value(entry, unit, table) or Decimal(0) for entry in entries)
