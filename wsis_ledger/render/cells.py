"""The cells of a laid-out table (`render.layout`), and how a cell reads as text.

Cells keep their kind: a CHF amount is a `Decimal`, an original amount a
`Money`, a rate a `Rate`, a share a `Percent`, a count an `int`. Text writers
print them with `cell_text`; Excel writes numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from wsis_ledger.compute.conversion import Rate
from wsis_ledger.core import money
from wsis_ledger.core.language import SOURCE_GROUPING, number
from wsis_ledger.render.labels import label, money_text


@dataclass(frozen=True)
class Money:
    """An amount in its own currency (an entry's original amount)."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Percent:
    value: Decimal


Cell = str | int | Decimal | Money | Rate | Percent | None
Role = Literal["item", "subtotal", "total"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    role: Role = "item"
    #: The level of a nested row (a purpose inside another): writers indent by it.
    depth: int = 0


@dataclass(frozen=True)
class Section:
    """A heading, and (unless it only heads the sections below it) a table and notes."""

    key: str
    heading: str
    level: int
    columns: tuple[Column, ...] = ()
    rows: tuple[Row, ...] = ()
    notes: tuple[str, ...] = ()

    def column(self, key: str) -> int:
        """The index of the column `key`."""
        return next(i for i, c in enumerate(self.columns) if c.key == key)


#: A derived rate (booked CHF / amount) has as many digits as the division gives:
#: a table shows this many significant ones; JSON, CSV and Excel keep them all.
RATE_DIGITS = 6


def cell_text(cell: Cell, lang: str, *, exact: bool = False) -> str:
    """A cell as a person reads it: amounts grouped by thousands, rates with their basis
    (a derived rate to `RATE_DIGITS` significant digits, unless `exact`)."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return number(cell, lang)
    if isinstance(cell, Money):
        return money_text(cell.amount, cell.currency, lang)
    if isinstance(cell, Rate):
        if cell.basis != "derived":
            return _plain_number(cell.value, lang)
        value = cell.value if exact else shown_rate(cell)
        return f"{_plain_number(value, lang)} ({label('derived', lang)})"
    if isinstance(cell, Percent):
        return f"{_plain_number(cell.value, lang)} %"
    return str(cell)


def shown_rate(rate: Rate) -> Decimal:
    """A derived rate as a table shows it: the fewest digits (`RATE_DIGITS` at the least)
    that give back its booked CHF, where known; else `RATE_DIGITS` significant ones."""
    if rate.shown is not None:
        return rate.shown
    return money.significant(rate.value, RATE_DIGITS)


def _plain_number(value: Decimal, lang: str) -> str:
    """A rate or a share: its digits as written (no grouping in English and Chinese, as the
    source prints rates), with the decimal sign of `lang`."""
    if lang in SOURCE_GROUPING:
        return money.format_amount(value)
    return number(value, lang)
