"""The totals a statement prints: exact amounts, or bounds as the source words them
("more than CHF 1.3 million"). Checked against the entries, never used as totals."""

# No `from __future__ import annotations` (as in `models`): pydantic takes the
# annotations as objects.
import re
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BeforeValidator, model_validator

from wsis_ledger.core.fields import Chf, _chf
from wsis_ledger.core.language import Phrase, msg, said
from wsis_ledger.core.record_base import Record

#: How a printed total may be worded: exactly, or as a bound.
BOUND_WORDS: dict[str, str] = {"more than": "more_than", "at least": "at_least", "about": "about"}
_BOUND_TEXT = re.compile(
    r"\s*(more than|at least|about)\s+(?:CHF\s*)?([0-9][0-9 ,'.]*?)"
    r"(?:\s*\((?:rounded\s+)?to\s+([0-9][0-9 ,'.]*)\))?\s*",
    re.IGNORECASE,
)


class StatedBound(Record):
    """A printed total given as a bound, as the source words it: "more than CHF 1.3
    million" (`more_than: 1300000`), "at least" (`at_least`), or "about" (`about`,
    with `rounding`: what the printed figure is rounded to, 100000 for "1.3
    million"; by default, the figure's last non-zero digit's place)."""

    more_than: Chf | None = None
    at_least: Chf | None = None
    about: Chf | None = None
    rounding: Chf | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Self:
        given = [k for k in ("more_than", "at_least", "about") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a bound is one of more_than, at_least or about, with its amount")
        if self.rounding is not None and given[0] != "about":
            raise ValueError("rounding goes with about only")
        return self

    @property
    def kind(self) -> str:
        """`more_than`, `at_least` or `about`."""
        return next(k for k in ("more_than", "at_least", "about") if getattr(self, k) is not None)

    @property
    def amount(self) -> Decimal:
        """The figure printed."""
        value = getattr(self, self.kind)
        assert isinstance(value, Decimal)
        return value

    @property
    def step(self) -> Decimal:
        """What an `about` figure is rounded to (stated, or read from its digits)."""
        if self.rounding is not None:
            return self.rounding
        if not self.amount or self.amount != self.amount.to_integral_value():
            return Decimal(1)
        digits = str(int(self.amount))
        return Decimal(10) ** (len(digits) - len(digits.rstrip("0")))

    def holds(self, computed: Decimal) -> bool:
        """True when `computed` is what the printed bound says: above it, at least it,
        or within half its rounding of it."""
        if self.kind == "more_than":
            return computed > self.amount
        if self.kind == "at_least":
            return computed >= self.amount
        return abs(computed - self.amount) * 2 <= self.step

    def words(self) -> Phrase:
        """As printed: `more than 1 300 000`, `about 1 300 000 (rounded to 100 000)` (a
        `Phrase`: in any language)."""
        if self.kind == "more_than":
            return said(msg("bound_more_than", "more than {amount}"), amount=self.amount)
        if self.kind == "at_least":
            return said(msg("bound_at_least", "at least {amount}"), amount=self.amount)
        about = msg("bound_about", "about {amount} (rounded to {step})")
        return said(about, amount=self.amount, step=self.step)


def parse_bound_text(text: str) -> dict[str, str] | None:
    """`more than 1300000`, `at least 5 000`, `about 1300000 (to 100000)` as a bound's
    fields; None when the text is not worded as a bound."""
    found = _BOUND_TEXT.fullmatch(text)
    if found is None:
        return None
    kind = BOUND_WORDS[found.group(1).lower()]
    fields = {kind: _plain_digits(found.group(2))}
    if found.group(3):
        fields["rounding"] = _plain_digits(found.group(3))
    return fields


def _plain_digits(text: str) -> str:
    return re.sub(r"[ ,']", "", text.strip())


def _stated_amount(value: object) -> object:
    """A printed total: an amount, a bound's mapping, or a bound in words."""
    if isinstance(value, str):
        fields = parse_bound_text(value)
        if fields is not None:
            return StatedBound.model_validate(fields)
        if re.match(r"\s*[A-Za-z]", value):
            raise ValueError(
                f"{value!r} is not an amount nor a bound ('more than 1300000', 'at least "
                "5000', 'about 1300000')"
            )
    if isinstance(value, dict):
        return StatedBound.model_validate(value)
    return _chf(value)


#: A printed total: an exact amount in CHF, or a `StatedBound`.
StatedAmount = Annotated[Decimal | StatedBound, BeforeValidator(_stated_amount)]


class StatedFigures(Record):
    """Printed totals for one group of entries: received, pledged, and both together;
    each an exact amount, or a bound as printed (`StatedBound`)."""

    received: StatedAmount | None = None
    pledged: StatedAmount | None = None
    total: StatedAmount | None = None


class Stated(StatedFigures):
    """Totals a statement prints, in CHF. Checked against the entries, never used as totals.

    `purposes` holds the totals printed for a purpose or a group of purposes
    (`core` covers `core/fellowships` and `core/unrestricted`).
    """

    purposes: dict[str, StatedFigures] = {}
