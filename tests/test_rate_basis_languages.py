"""What `rates check` compares a rate with (`Comparison.basis`) is told in each language
from its structure (a message and its dates), not by reading its English: every kind of
basis, with and without a reference, in every language; its English is what it always was."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Run

from wsis_ledger.compute.rate_check import (
    BASIS_DAY,
    BASIS_RANGE,
    NO_REFERENCE_RATE,
    NO_REFERENCE_RATES,
)
from wsis_ledger.core.language import LANGUAGES, Phrase, day, said, word
from wsis_ledger.render.rates import basis_words, comparison_note

ON, START = date(2003, 2, 14), date(2002, 1, 1)
#: Each basis, the days it names and its English as CSV and JSON have always printed it.
BASES: list[tuple[Phrase, tuple[date, ...], str]] = [
    *[(said(m, day=ON), (ON,), f"{kind} 2003-02-14") for kind, m in BASIS_DAY.items()],
    (
        said(BASIS_RANGE, start=START, end=ON),
        (START, ON),
        "range 2002-01-01 to 2003-02-14 (the statement's calendar year: the source gives no start)",
    ),
]
WITHOUT = [
    *[(said(NO_REFERENCE_RATE, basis=b), d, e + " (no reference rate)") for b, d, e in BASES[:3]],
    (
        said(NO_REFERENCE_RATES, basis=BASES[3][0]),
        BASES[3][1],
        BASES[3][2] + " (no reference rates)",
    ),
]
#: English words of a basis: none is left in another language.
ENGLISH = ("on ", "statement", "ledger", "range", "calendar", "gives", "reference")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("basis", "days", "english"), BASES + WITHOUT)
def test_every_basis_is_told_in_every_language(
    basis: Phrase, days: tuple[date, ...], english: str, lang: str
) -> None:
    assert basis == english  # the English CSV and JSON print, unchanged
    told = basis_words(basis, lang)
    assert all(day(d, lang) in told for d in days), told
    if lang == "en":
        assert told == english
    else:
        assert [w for w in ENGLISH if w in told] == [], told
        assert "2003-02-14" not in told or lang == "zh"  # a date as the language writes it


@pytest.mark.parametrize("lang", ["fr", "ar", "zh"])
def test_rates_check_names_the_shipped_ledgers_bases_in_the_language(run: Run, lang: str) -> None:
    english = run("rates", "check", "--all", "--wide").stdout
    assert "r01: compared with the reference rate range 2002-01-01 to 2002-12-20" in english
    told = run("rates", "check", "--all", "--wide", "--lang", lang).stdout
    start = word(lang, "compared_with", "{entry}: compared with the reference rate {basis}")
    assert start.split("{basis}")[0].format(entry="r01") in told
    assert "range 2002" not in told and "statement date" not in told
    assert day(date(2002, 12, 20), lang) in told
    assert "as written" in comparison_note("r1", "as written", lang)  # not a Phrase: as it is
