"""Recorded rates against reference rates: which differ, by how much, and what it costs.

Which reference applies to an entry:

- an entry with a date: the reference rate of that date;
- a pledge with no date, in a statement: the statement date's rate (a
  receivable is carried at the closing rate);
- a receipt with no date, in a statement: the range of reference rates over
  the period the statement covers, flagged when the recorded rate lies
  outside it. The source prints no start for that period: the calendar year
  of the statement's date is taken, and said;
- any other entry with no date: the ledger's as-of date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wsis_ledger.compute import conversion
from wsis_ledger.compute.build_position import as_of
from wsis_ledger.compute.conversion import Rate
from wsis_ledger.core import money
from wsis_ledger.core.fields import BOOKING_CURRENCY
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Entry, Pledge, Receipt
from wsis_ledger.source.reference_rates import RateProvider

DEFAULT_TOLERANCE_PERCENT = Decimal(2)


@dataclass(frozen=True)
class Comparison:
    """One entry's recorded rate beside its reference."""

    entry: Entry
    kind: str  # received or pledged
    recorded: Rate
    basis: str  # what the reference is: "on 2003-02-14", "statement date 2002-12-20", ...
    reference: Decimal | None  # the reference compared with (a range's nearer bound)
    reference_day: date | None
    low: Decimal | None = None
    high: Decimal | None = None
    period: tuple[date, date] | None = None
    deviation_percent: Decimal | None = None
    flagged: bool = False
    chf: Decimal | None = None
    chf_at_reference: Decimal | None = None
    nearest: tuple[date | None, date | None] = (None, None)

    @property
    def difference(self) -> Decimal | None:
        """CHF at the reference rate less CHF as booked."""
        if self.chf is None or self.chf_at_reference is None:
            return None
        return self.chf_at_reference - self.chf


def compare(
    ledger: Ledger,
    provider: RateProvider,
    tolerance_percent: Decimal = DEFAULT_TOLERANCE_PERCENT,
    *,
    nearest: bool = True,
) -> list[Comparison]:
    """Every non-CHF entry's rate beside its reference rate."""
    tolerance = tolerance_percent / 100
    unit = ledger.fund.booking_unit
    statements = {s.id: s for s in ledger.statements}
    ledger_day = as_of(ledger) or date.today()
    found = []
    for entry in ledger.entries:
        rate = conversion.entry_rate(entry, ledger)
        if rate is None or entry.amount is None or rate.currency == BOOKING_CURRENCY:
            continue
        kind = "pledged" if isinstance(entry, Pledge) else "received"
        statement = statements.get(entry.statement or "")
        chf = conversion.chf_value(entry, unit, ledger)
        if entry.date is None and isinstance(entry, Receipt) and statement is not None:
            start = date(statement.as_of.year, 1, 1)
            found.append(
                _against_range(
                    entry,
                    kind,
                    rate,
                    chf,
                    provider,
                    start,
                    statement.as_of,
                    tolerance,
                    unit,
                    nearest,
                )
            )
            continue
        if entry.date is not None:
            on, basis = entry.date, f"on {entry.date}"
        elif statement is not None:
            on, basis = statement.as_of, f"statement date {statement.as_of}"
        else:
            on, basis = ledger_day, f"ledger date {ledger_day}"
        found.append(
            _against_day(entry, kind, rate, chf, provider, on, basis, tolerance, unit, nearest)
        )
    return found


def _against_day(
    entry: Entry,
    kind: str,
    rate: Rate,
    chf: Decimal | None,
    provider: RateProvider,
    on: date,
    basis: str,
    tolerance: Decimal,
    unit: Decimal,
    nearest: bool,
) -> Comparison:
    reference = provider.rate(rate.currency, on)
    if reference is None:
        return Comparison(entry, kind, rate, basis + " (no reference rate)", None, None)
    deviation, flagged, around = _judge(rate, reference.value, tolerance, provider, on, nearest)
    assert entry.amount is not None
    return Comparison(
        entry,
        kind,
        rate,
        basis,
        reference.value,
        reference.day,
        deviation_percent=deviation,
        flagged=flagged,
        chf=chf,
        chf_at_reference=conversion.convert(entry.amount, reference.value, unit),
        nearest=around,
    )


def _against_range(
    entry: Entry,
    kind: str,
    rate: Rate,
    chf: Decimal | None,
    provider: RateProvider,
    start: date,
    end: date,
    tolerance: Decimal,
    unit: Decimal,
    nearest: bool,
) -> Comparison:
    basis = f"range {start} to {end} (the statement's calendar year: the source gives no start)"
    series = getattr(provider, "series", None)
    values = [value for _, value in series(rate.currency, start, end)] if series else []
    if not values:
        return Comparison(entry, kind, rate, basis + " (no reference rates)", None, None)
    low, high = min(values), max(values)
    nearer = low if rate.value < low else high if rate.value > high else rate.value
    deviation, flagged, around = _judge(rate, nearer, tolerance, provider, end, nearest)
    assert entry.amount is not None
    return Comparison(
        entry,
        kind,
        rate,
        basis,
        nearer,
        None,
        low=low,
        high=high,
        period=(start, end),
        deviation_percent=deviation,
        flagged=flagged,
        chf=chf,
        chf_at_reference=conversion.convert(entry.amount, nearer, unit),
        nearest=around,
    )


def _judge(
    rate: Rate,
    reference: Decimal,
    tolerance: Decimal,
    provider: RateProvider,
    around: date,
    nearest: bool,
) -> tuple[Decimal, bool, tuple[date | None, date | None]]:
    """How far `rate` is from `reference` (per cent, to 0.01, half-up), whether that is
    beyond the tolerance, and then the days nearest `around` when it was within it."""
    deviation = (rate.value - reference) / reference
    flagged = abs(deviation) > tolerance
    days: tuple[date | None, date | None] = (None, None)
    if flagged and nearest and hasattr(provider, "nearest_within"):
        days = provider.nearest_within(rate.currency, rate.value, around, tolerance)
    return money.quantize(deviation * 100, Decimal("0.01")), flagged, days
