"""What remains of foreign-currency pledges, valued at a reference rate of a date.

The booked figures never change: a revaluation is shown beside them, as the
CHF the remaining amount would bring at the reference rate, and its
difference from the CHF it is booked at (the fund's exposure to exchange rates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wsis_ledger.compute import conversion
from wsis_ledger.compute.pledges import PledgeStanding
from wsis_ledger.core.fields import BOOKING_CURRENCY
from wsis_ledger.source.reference_rates import RateProvider


@dataclass(frozen=True)
class Revaluation:
    rate: Decimal
    day: date  # the day the reference rate is of (the last business day on or before)
    revalued_chf: Decimal
    difference: Decimal  # revalued less booked


def revalue(
    standings: Iterable[PledgeStanding], on: date, unit: Decimal, reference: RateProvider
) -> dict[str, Revaluation]:
    """Each standing foreign-currency pledge with something remaining, by its id.

    Raises `ProviderUnavailable` when the reference cannot be read."""
    found: dict[str, Revaluation] = {}
    for standing in standings:
        if standing.currency == BOOKING_CURRENCY or not standing.outstanding_chf:
            continue
        rate = reference.rate(standing.currency, on)
        if rate is None:
            continue
        revalued = conversion.convert(standing.remaining, rate.value, unit)
        found[standing.pledge.id] = Revaluation(
            rate.value, rate.day, revalued, revalued - standing.remaining_chf
        )
    return found
