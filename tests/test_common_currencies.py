"""The currencies `money` knows without the ISO 4217 list (`COMMON_MINOR_UNITS`) are
judged as the list judges them: the same minor units, the same answers and messages
for every code, whether the common table is used or not."""

from __future__ import annotations

from typing import Any

import pytest

from wsis_ledger.core import money


def test_the_common_currencies_are_those_of_the_installed_iso_4217_list() -> None:
    for code, places in money.COMMON_MINOR_UNITS.items():
        assert money._currencies()[code] == places, code


def test_a_currency_is_judged_the_same_with_or_without_the_common_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import iso4217

    codes = [c.code for c in iso4217.Currency]
    codes += [*money.WITHDRAWN, *money.COMMON_MINOR_UNITS, "chf", "Usd", "XYZ", "", " CHF", 5]

    def answers() -> list[Any]:
        money.minor_unit.cache_clear()
        found: list[Any] = []
        for code in codes:
            for judge in (money.check_currency, money.minor_unit):
                try:
                    found.append(judge(code))
                except (money.MoneyError, TypeError) as error:
                    found.append((type(error), str(error)))
        return found

    with_table = answers()
    monkeypatch.setattr(money, "COMMON_MINOR_UNITS", {})
    assert answers() == with_table
    monkeypatch.undo()
    money.minor_unit.cache_clear()
