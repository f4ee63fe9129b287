"""Numbers, amounts and dates as each of the six languages writes them (Babel's CLDR data,
pinned): a Babel release that regroups a figure fails here, not in a donor's statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wsis_ledger.core import language
from wsis_ledger.render.labels import money_text

NNBSP, NBSP = "\u202f", "\u00a0"

#: 1 234 567 and 1 234 567.50 in each language, as its locale groups them. English and
#: Chinese keep the source's own spaces (the annex prints `62 691 030` in both).
EXPECTED = {
    "en": ("1 234 567", "1 234 567.50"),
    "zh": ("1 234 567", "1 234 567.50"),
    "fr": (f"1{NNBSP}234{NNBSP}567", f"1{NNBSP}234{NNBSP}567,50"),
    "es": ("1.234.567", "1.234.567,50"),
    "ru": (f"1{NBSP}234{NBSP}567", f"1{NBSP}234{NBSP}567,50"),
    "ar": ("1,234,567", "1,234,567.50"),
}


@pytest.mark.parametrize("lang", language.LANGUAGES)
def test_a_million_is_grouped_as_the_language_writes_it(lang: str) -> None:
    whole, cents = EXPECTED[lang]
    assert language.number(Decimal("1234567"), lang) == whole
    assert language.number(Decimal("1234567.50"), lang) == cents
    assert language.number(1234567, lang) == whole


@pytest.mark.parametrize("lang", language.LANGUAGES)
def test_a_number_keeps_exactly_its_own_decimals(lang: str) -> None:
    """Never rounded, never padded: the figure as the ledger holds it."""
    for text in ("0.001", "12.3", "-5", "1000000.125"):
        shown = language.number(Decimal(text), lang)
        digits = "".join(c for c in shown if c.isdigit())
        assert digits == text.replace("-", "").replace(".", "")
        assert shown.startswith("-") == text.startswith("-") or "\u200e-" in shown


def test_amounts_name_their_currency_as_the_language_does() -> None:
    amount = Decimal("62691030")
    assert money_text(amount, "JPY", "zh") == "62 691 030日元"
    assert money_text(amount, "JPY", "en") == "62 691 030 JPY"
    assert money_text(amount, "JPY", "fr") == f"62{NNBSP}691{NNBSP}030 JPY"
    assert money_text(amount, "XOF", "zh") == "62 691 030XOF"


def test_dates_in_sentences_follow_the_language() -> None:
    day = date(2003, 12, 31)
    assert language.day(day, "en") == language.day(day, "zh") == "2003-12-31"
    assert language.day(day, "fr") == "31 décembre 2003"
    assert language.day(day, "es") == "31 de diciembre de 2003"
    assert language.day(day, "ru") == f"31 декабря 2003{NNBSP}г."
    assert language.day(day, "ar") == "31 ديسمبر 2003"
