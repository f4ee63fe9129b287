"""Dates as a ledger writes them: `YYYY-MM-DD`, real, and within the years a ledger spans."""

from __future__ import annotations

import re
from datetime import date

from wsis_ledger.core.money import describe

#: Dates outside these years are typing mistakes, not ledger entries.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: object) -> date:
    """A date from `YYYY-MM-DD`, checked to be real and within the years a ledger spans."""
    if isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        text = value.strip()
    else:
        raise ValueError(f"{describe(value)} is not a date written as YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{text} is not a real date ({error})") from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise ValueError(f"{text} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    return parsed
