"""`money`'s exact operations, made with one context built once, give exactly what
the plain path gives (`localcontext` entered for each operation), whatever
context the thread has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsis_ledger.compute import conversion
from wsis_ledger.core import money
from wsis_ledger.core.models import RateRecord


def plain_is_multiple(amount: Decimal, unit: Decimal) -> bool:
    with localcontext(prec=money.PRECISION):
        return amount % unit == 0


def plain_multiply(amount: Decimal, rate: Decimal) -> Decimal:
    with localcontext(prec=money.PRECISION):
        return amount * rate


def plain_quantize(amount: Decimal, unit: Decimal) -> Decimal:
    with localcontext(prec=money.PRECISION):
        steps = (amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return steps * unit


def plain_divide(booked: Decimal, amount: Decimal, digits: int = 20) -> Decimal:
    with localcontext(prec=digits, rounding=ROUND_HALF_UP):
        return (booked / amount).normalize()


def numbers(max_before: int, max_after: int) -> st.SearchStrategy[Decimal]:
    """Plain numbers as a ledger holds them: digits, optionally a point and more."""
    return st.builds(
        lambda whole, frac, places: money.parse_number(
            f"{whole}.{str(frac).zfill(places)}" if places else str(whole)
        ),
        st.integers(0, 10**max_before - 1),
        st.integers(0, 10**max_after - 1),
        st.integers(0, max_after),
    ).filter(lambda d: d > 0)


AMOUNTS = numbers(money.MAX_AMOUNT_DIGITS, 3)
RATES = numbers(6, 24)
UNITS = st.sampled_from([Decimal(u) for u in ("1", "0.01", "0.05", "5", "100", "0.001")])


def same(a: Decimal, b: Decimal) -> bool:
    """Equal, and written the same way (the same digits and exponent)."""
    return a == b and a.as_tuple() == b.as_tuple()


@given(AMOUNTS, RATES, UNITS)
def test_exact_operations_agree_with_the_plain_path(
    amount: Decimal, rate: Decimal, unit: Decimal
) -> None:
    assert money.is_multiple(amount, unit) == plain_is_multiple(amount, unit)
    assert same(money.multiply(amount, rate), plain_multiply(amount, rate))
    assert same(money.quantize(amount, unit), plain_quantize(amount, unit))
    product = money.multiply(amount, rate)
    assert same(money.quantize(product, unit), plain_quantize(product, unit))
    assert same(money.divide(amount, rate), plain_divide(amount, rate))
    assert same(money.divide(amount, rate, 8), plain_divide(amount, rate, 8))


@pytest.mark.parametrize(
    ("amount", "unit", "multiple"),
    [("100", "1", True), ("100.50", "1", False), ("0.05", "0.05", True), ("12.34", "0.05", False)],
)
def test_a_thread_context_of_few_digits_changes_nothing(
    amount: str, unit: str, multiple: bool
) -> None:
    """A caller's context (3 digits, rounding down) is not the one the figures use."""
    rate = Decimal("0.012710510578626639")
    with localcontext(prec=3, rounding=ROUND_DOWN):
        got = (
            money.is_multiple(Decimal(amount), Decimal(unit)),
            money.multiply(Decimal(amount), rate),
            money.quantize(Decimal(amount), Decimal(unit)),
            money.divide(Decimal(amount), rate),
        )
    assert got[0] is multiple
    assert got[1] == plain_multiply(Decimal(amount), rate)
    assert got[1] == Decimal(amount) * rate  # exact: every digit kept
    assert got[2] == plain_quantize(Decimal(amount), Decimal(unit))
    assert got[3] == plain_divide(Decimal(amount), rate)


@dataclass(frozen=True)
class Priced:
    currency: str | None
    amount: Decimal | None
    chf: Decimal | None
    rate: Decimal | None
    rate_source: str | None
    date: date | None


@dataclass(frozen=True)
class Table:
    """A rates table that has a rate for USD from 2024 on, and none for anything else."""

    def table_rate(self, currency: str, on: date | None) -> RateRecord | None:
        if currency != "USD" or on is None or on.year < 2024:
            return None
        return RateRecord.model_validate(
            {"currency": "USD", "rate": "1.2", "date": on, "source": "x"}
        )


@given(
    st.sampled_from([None, "CHF", "USD", "EUR"]),
    st.none() | AMOUNTS,
    st.none() | AMOUNTS,
    st.none() | RATES,
    st.none() | st.dates(date(2023, 6, 1), date(2024, 6, 1)),
    st.sampled_from([None, Table()]),
)
def test_has_rate_says_whether_entry_rate_finds_one(
    currency: str | None,
    amount: Decimal | None,
    chf: Decimal | None,
    rate: Decimal | None,
    on: date | None,
    table: Table | None,
) -> None:
    entry = Priced(currency, amount, chf, rate, None, on)
    assert conversion.has_rate(entry, table) == (conversion.entry_rate(entry, table) is not None)
