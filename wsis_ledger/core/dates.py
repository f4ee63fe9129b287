"""Dates as a ledger writes them: `YYYY-MM-DD`, real, and within the years a ledger spans."""

from __future__ import annotations

import re
from datetime import date

from wsis_ledger.core.language import msg, said
from wsis_ledger.core.money import describe

#: Dates outside these years are typing mistakes, not ledger entries.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


#: Each day read, once: a ledger of a million entries names a few thousand days,
#: and a `date` is 32 bytes a record (at most one a day of the years above).
_DAYS: dict[str, date] = {}
_ORDINALS: dict[int, date] = {}


def parse_date(value: object) -> date:
    """A date from `YYYY-MM-DD`, checked to be real and within the years a ledger spans."""
    if type(value) is str:
        known = _DAYS.get(value)
        if known is not None:
            return known
    parsed = _parse_date(value)
    if type(value) is str and value == parsed.isoformat():
        _DAYS[value] = parsed
    return parsed


def day(ordinal: int) -> date:
    """The date of proleptic Gregorian `ordinal` (`date.toordinal`), one object a day."""
    known = _ORDINALS.get(ordinal)
    if known is None:
        known = _ORDINALS[ordinal] = date.fromordinal(ordinal)
    return known


def _parse_date(value: object) -> date:
    if isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        text = value.strip()
    else:
        not_date = msg("not_a_date", "{found} is not a date written as YYYY-MM-DD")
        raise ValueError(said(not_date, found=describe(value)))
    try:
        parsed = date.fromisoformat(text)
    except ValueError as error:
        unreal = msg("not_a_real_date", "{text} is not a real date ({why})")
        raise ValueError(said(unreal, text=text, why=str(error))) from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        outside = msg("date_outside", "{text} is outside the years {earliest} to {latest}")
        raise ValueError(said(outside, text=text, earliest=EARLIEST_YEAR, latest=LATEST_YEAR))
    return parsed
