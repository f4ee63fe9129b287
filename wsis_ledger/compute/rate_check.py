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

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from wsis_ledger.compute import conversion
from wsis_ledger.compute.conversion import Rate
from wsis_ledger.core import money
from wsis_ledger.core.fields import BOOKING_CURRENCY
from wsis_ledger.core.ledger import Ledger, as_of
from wsis_ledger.core.models import Entry, Pledge, Receipt
from wsis_ledger.core.problems import Problem
from wsis_ledger.source.reference_rates import ECBReference, RateProvider

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
    return list(comparisons(ledger, provider, tolerance_percent, nearest=nearest))


def comparisons(
    ledger: Ledger,
    provider: RateProvider,
    tolerance_percent: Decimal = DEFAULT_TOLERANCE_PERCENT,
    *,
    nearest: bool = True,
    only_flagged: bool = False,
) -> Iterator[Comparison]:
    """`compare`'s comparisons, one at a time (`only_flagged`: of the entries whose rate
    is further from a day's reference than the tolerance, all that a warning needs; the
    others are passed over before their comparison is made, and so is an entry after
    the reference's last day, which cannot be judged)."""
    tolerance = tolerance_percent / 100
    unit = ledger.fund.booking_unit
    statements = {s.id: s for s in ledger.statements}
    ledger_day = as_of(ledger) or date.today()
    for entry in ledger.entries:
        rate = conversion.entry_rate(entry, ledger)
        if rate is None or entry.amount is None or rate.currency == BOOKING_CURRENCY:
            continue
        kind = "pledged" if isinstance(entry, Pledge) else "received"
        statement = statements.get(entry.statement or "")
        ranged = entry.date is None and isinstance(entry, Receipt) and statement is not None
        if entry.date is not None:
            on, basis = entry.date, f"on {entry.date}"
        elif statement is not None:
            on, basis = statement.as_of, f"statement date {statement.as_of}"
        else:
            on, basis = ledger_day, f"ledger date {ledger_day}"
        if only_flagged and not ranged and not _far_on(rate, provider, on, tolerance):
            continue  # near its reference, or after the reference's last day
        chf = conversion.chf_value(entry, unit, ledger)
        if ranged:
            assert statement is not None
            start = date(statement.as_of.year, 1, 1)
            yield (
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
        yield _against_day(entry, kind, rate, chf, provider, on, basis, tolerance, unit, nearest)


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
    flagged = _far(rate.value, reference, tolerance)
    days: tuple[date | None, date | None] = (None, None)
    if flagged and nearest and hasattr(provider, "nearest_within"):
        days = provider.nearest_within(rate.currency, rate.value, around, tolerance)
    return money.quantize(deviation * 100, Decimal("0.01")), flagged, days


def _far(value: Decimal, reference: Decimal, tolerance: Decimal) -> bool:
    """Whether `value` is further from `reference` than `tolerance` (a fraction of it)."""
    return abs(value - reference) > tolerance * abs(reference)


def _far_on(rate: Rate, provider: RateProvider, on: date, tolerance: Decimal) -> bool:
    """Whether `rate` is further from the reference of `on` than `tolerance` (True where
    there is no reference: the comparison then says so; False after the reference's
    last day: nothing can be said yet)."""
    from wsis_ledger.source.reference_rates import BeyondReference

    try:
        reference = provider.rate(rate.currency, on)
    except BeyondReference:
        return False
    return reference is None or _far(rate.value, reference.value, tolerance)


# --- findings for `check` and `report` -------------------------------------------------


@cache
def bundled_reference() -> ECBReference:
    """The ECB reference rates shipped with the tool (no network), read once a process."""
    return ECBReference()


def flagged(
    ledger: Ledger, tolerance_percent: Decimal = DEFAULT_TOLERANCE_PERCENT
) -> Iterator[Comparison]:
    """The entries whose rate is further from the shipped ECB reference than the tolerance,
    one at a time (none where the reference cannot be read: the rates are then not
    judged; nor an entry after the reference's last day)."""
    from wsis_ledger.source.reference_rates import ProviderUnavailable

    if all(e.currency in (None, BOOKING_CURRENCY) for e in ledger.entries):
        return  # nothing to compare: the reference rates are not read
    reference = bundled_reference()
    try:
        _ = reference.last_day  # the table read now: one that cannot be read judges nothing
        found = comparisons(ledger, reference, tolerance_percent, nearest=False, only_flagged=True)
        yield from (c for c in found if c.flagged)
    except ProviderUnavailable:
        return


def warn_rates(ledger: Ledger) -> Iterator[Problem]:
    """A warning for each rate far from its ECB reference, with the CHF at stake:
    `check` lists them (and fails on them with --strict). Made one at a time: `check`
    keeps the first of each file and counts the rest (`problems.capped_count`)."""
    for c in flagged(ledger):
        at_stake = (
            f"; {money.group_thousands(abs(c.difference))} CHF at stake"
            if c.difference is not None
            else ""
        )
        message = (
            f"the rate of '{c.entry.id}' ({money.format_amount(c.recorded.value)} CHF per "
            f"{c.recorded.currency}, {c.recorded.basis}) is {c.deviation_percent} % from the "
            f"ECB's reference ({c.basis}: {money.format_amount(c.reference or Decimal(0))})"
            f"{at_stake} (see 'wsis-ledger rates check')"
        )
        # At the entry (its rate may be derived, written nowhere).
        yield Problem(c.entry.place.at(), "rate-off-reference", message, severity="warning")


#: The report's note names at most this many entries whose rate is far from the reference.
NOTE_IDS = 10


def rate_note(ledger: Ledger, lang: str) -> str | None:
    """One line for the report: how many rates are far from the ECB's reference, and
    what the totals would be at the reference rates."""
    found = list(flagged(ledger))
    if not found:
        return None
    checked = sum(
        1
        for e in ledger.entries
        if e.currency not in (None, BOOKING_CURRENCY) and e.amount is not None
    )
    effect = sum((c.difference or Decimal(0) for c in found), Decimal(0))
    tolerance = money.format_amount(DEFAULT_TOLERANCE_PERCENT)
    named = [c.entry.id for c in found[:NOTE_IDS]]
    more = len(found) - len(named)
    ids = (
        "、".join(named) + (f"等，另有{more}个" if more else "")
        if lang == "zh"
        else ", ".join(named) + (f" and {more} more" if more else "")
    )
    if lang == "zh":
        return (
            f"汇率：{checked}个汇率中有{len(found)}个（{ids}）与欧洲中央银行参考汇率相差超过"
            f"{tolerance}%；按参考汇率计算，合计将变动{money.group_thousands(effect)}瑞士法郎。"
        )
    return (
        f"Rates: {len(found)} of {checked} rates ({ids}) differ from the ECB's reference by "
        f"more than {tolerance} %; at the reference rates the totals would change by "
        f"{money.group_thousands(effect)} CHF (wsis-ledger rates check)."
    )
