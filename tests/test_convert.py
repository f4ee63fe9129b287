"""Conversion into CHF: exact Decimal arithmetic, half-up rounding, recorded rates."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import ANNEX, Run, edit

from wsis_ledger.compute import conversion
from wsis_ledger.core import money
from wsis_ledger.core.models import Receipt


def test_convert_with_a_given_rate(run: Run) -> None:
    result = run("convert", "255000", "USD", "--rate", "1.39")
    assert (result.exit_code, result.output) == (0, "354450 CHF\n")


def test_convert_with_an_entrys_recorded_rate(run: Run) -> None:
    result = run("convert", "100000", "EUR", "--entry", "r11")  # Spain, 1.452
    assert (result.exit_code, result.output) == (0, "145200 CHF\n")


def test_convert_json_keeps_the_rate_text(run: Run) -> None:
    result = run("convert", "62691030", "JPY", "--rate", "0.012710510578626639", "--format", "json")
    document = json.loads(result.output)
    assert document["rate"] == "0.012710510578626639"
    assert (document["chf"], document["rate_basis"]) == ("796835", "given")


def test_convert_at_an_entrys_derived_rate(run: Run) -> None:
    result = run("convert", "62691030", "JPY", "--entry", "r01", "--format", "json")
    document = json.loads(result.output)
    assert (document["chf"], document["rate_basis"]) == ("796835", "derived")
    assert document["rate"] == "0.01271051057862663925"  # 796835 / 62691030, 20 digits, half-up


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["10", "USD"], "give the rate"),
        (["10", "USD", "--rate", "1", "--entry", "r01"], "give the rate"),
        (["10", "XYZ", "--rate", "1"], "'XYZ' is not an ISO 4217 currency code"),
        (["10.5", "JPY", "--rate", "1"], "JPY amounts have no decimals"),
        (["1e6", "USD", "--rate", "1"], "without exponent notation"),
        (["10", "USD", "--rate", "0"], "the rate must be more than zero"),
        (["10", "USD", "--rate", "-1.2"], "is not a plain number"),
        (["10", "USD", "--entry", "r99"], "there is no entry 'r99'"),
        (["10", "USD", "--entry", "r01"], "is in JPY, not USD"),
        (["10", "USD", "--entry", "r03"], "has no rate"),
    ],
)
def test_convert_refuses_bad_input_with_usage_errors(
    run: Run, args: list[str], message: str
) -> None:
    result = run("convert", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_rounding_is_half_up_to_the_booking_unit() -> None:
    one = Decimal(1)
    assert conversion.convert(Decimal("1"), Decimal("2.5"), one) == Decimal("3")
    assert conversion.convert(Decimal("1"), Decimal("3.5"), one) == Decimal("4")  # not to even
    assert conversion.convert(Decimal("1"), Decimal("2.4999999999999999999"), one) == 2
    assert conversion.convert(Decimal("0.05"), Decimal("1"), Decimal("0.1")) == Decimal("0.1")


def test_products_are_exact_beyond_the_default_context() -> None:
    amount = Decimal("1234567890123.45")
    rate = Decimal("0.012710510578626639249666")
    exact = money.multiply(amount, rate)
    # The same product in integers: 2 + 24 decimal places.
    digits = 123456789012345 * 12710510578626639249666
    assert exact == Decimal(f"{digits}E-26")
    assert exact - amount * rate != 0  # the default 28-digit context would have lost digits


def test_awkward_decimals_keep_their_text() -> None:
    assert str(money.parse_amount("12.30", "CHF")) == "12.30"
    assert money.parse_amount("0.1", "CHF") + money.parse_amount("0.2", "CHF") == Decimal("0.3")
    assert str(money.parse_rate("0.012710510578626639")) == "0.012710510578626639"
    with pytest.raises(money.MoneyError, match="floating-point"):
        money.parse_amount(12.3, "CHF")
    with pytest.raises(money.MoneyError, match="at most 2 decimals"):
        money.parse_amount("796835.000000000001", "CHF")


def test_a_booked_amount_without_rate_gives_a_derived_rate() -> None:
    entry = Receipt.model_validate(
        {"id": "x", "donor": "d", "amount": "62691030", "currency": "JPY", "chf": "796835"}
    )
    rate = conversion.entry_rate(entry)
    assert rate is not None and rate.basis == "derived"
    assert rate.value == Decimal("0.01271051057862663925")
    assert conversion.chf_value(entry, Decimal(1)) == Decimal(796835)


def test_an_amount_with_rate_and_no_booking_is_converted() -> None:
    entry = Receipt.model_validate(
        {"id": "x", "donor": "d", "amount": "1000.50", "currency": "USD", "rate": "1.4255"}
    )
    # 1000.50 × 1.4255 = 1426.212750, half-up to whole francs
    assert conversion.chf_value(entry, Decimal(1)) == Decimal(1426)


def test_rate_and_booking_may_differ_by_half_a_unit_only(run: Run, ledger_dir: Path) -> None:
    annex = ledger_dir / ANNEX
    # 500 USD at a recorded 1.501 = 750.5: exactly half a franc from 750, which rounding allows.
    edit(
        annex,
        r"^    rate_source: derived from the annex's booked figures \(750",
        "    rate: 1.501\n    rate_source: a rate recorded by hand (750",
    )
    assert run("check", "--data", ledger_dir).exit_code == 0
    edit(annex, r"^    rate: 1.501$", "    rate: 1.5011")
    result = run("check", "--data", ledger_dir)
    assert result.exit_code == 1
    assert "disagrees with 500 USD × 1.5011 = 750.5500 CHF" in result.output


def test_a_missing_table_rate_names_a_remedy_that_works(run: Run) -> None:
    """`convert 1000 USD --date 2003-02-14` (the example of its help) on the shipped
    ledger: the message's commands, run as written, record the rate; then it converts."""
    import re
    import shlex

    refused = run("convert", "1000", "USD", "--date", "2003-02-14")
    assert refused.exit_code == 1
    message = refused.output.replace("\n", " ")
    steps = re.findall(r"'(wsis-ledger [^']+)'", message)
    assert len(steps) == 2 and "--data my-ledger" in message, message
    for step in steps:
        done = run(*shlex.split(step)[1:])
        assert done.exit_code == 0, (step, done.output)
    converted = run("convert", "1000", "USD", "--date", "2003-02-14", "--data", "my-ledger")
    assert converted.exit_code == 0, converted.output
    rate = run("rates", "list", "--format", "json", "--data", "my-ledger").stdout
    [usd] = [r for r in json.loads(rate)["rates"] if r["date"] == "2003-02-14"]
    chf = (Decimal(1000) * Decimal(usd["rate"])).quantize(Decimal(1), ROUND_HALF_UP)
    assert converted.output == f"{chf} CHF\n"
    # In a ledger of one's own the remedy names that folder.
    again = run("convert", "5", "EUR", "--date", "2003-02-14", "--data", "my-ledger")
    assert "--record --data my-ledger'" in again.output.replace("\n", " ")
