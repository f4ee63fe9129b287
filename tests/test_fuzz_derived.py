"""Property (issue 27, class 8): limits hold for what is derived, not only for inputs.

A seeded generator writes entries and expenditures in other currencies with
amounts of 1 to 15 digits and rates of any magnitude (leading zeros, long
fractions, large whole parts). For each:

- a rate outside its bounds is refused where it is written, naming the line;
- a converted amount is what a written `chf` could be: more than zero after
  rounding to the booking unit and at most 15 digits before the point, else
  `check` names the entry's file:line (`converted-amount`);
- where the ledger passes, each converted figure is `amount × rate` rounded
  half-up, and the report's totals are the exact sums of its rows.

Totals are added in a context that traps an inexact result: `money.total`
refuses a sum it cannot make exactly.

CI runs 300 ledgers; a longer run: WSIS_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_derived.py
"""

from __future__ import annotations

import json
import os
import random
from decimal import ROUND_HALF_UP, Context, Decimal
from pathlib import Path

import pytest

from wsis_ledger.api import read_ledger
from wsis_ledger.compute.build_position import build_position
from wsis_ledger.core import money

EXAMPLES = int(os.environ.get("WSIS_FUZZ_EXAMPLES", "300"))
LEDGER = """\
fund:
  id: t
  name: {en: A test fund}
donors:
  - {id: d1, name: Donor one, kind: government}
loan_facilities:
  - {id: lf, lender: d1, ceiling: 999999999999999}
"""
CURRENCIES = {"JPY": 0, "USD": 2, "EUR": 2}


def _rate_text(rng: random.Random) -> str:
    """A rate as someone might write it: ordinary, tiny, huge, long."""
    shape = rng.choice(["ordinary", "zeros", "whole", "long"])
    if shape == "ordinary":
        return f"{rng.randrange(1, 20000) / 10000:.4f}".rstrip("0").rstrip(".") or "1"
    if shape == "zeros":
        return "0." + "0" * rng.choice([0, 3, 8, 11, 12, 20, 5000]) + str(rng.randrange(1, 999))
    if shape == "whole":
        return str(rng.randrange(1, 10 ** rng.randrange(1, 21)))
    return "1." + "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 40)))


def _amount_text(rng: random.Random, currency: str) -> str:
    whole = str(rng.randrange(1, 10 ** rng.randrange(1, 16)))
    places = CURRENCIES[currency]
    if places and rng.random() < 0.5:
        return f"{whole}.{rng.randrange(1, 10**places):0{places}d}"
    return whole


def _converted(amount: Decimal, rate: Decimal) -> Decimal:
    product = Context(prec=200).multiply(amount, rate)
    return product.quantize(Decimal(1), rounding=ROUND_HALF_UP, context=Context(prec=200))


@pytest.mark.parametrize("chunk", range(10))
def test_converted_figures_obey_the_rules_of_written_ones(chunk: int, tmp_path: Path) -> None:
    for case in range(chunk, EXAMPLES, 10):
        rng = random.Random(case)
        root = tmp_path / f"l{case}"
        root.mkdir()
        rows, expected = [], {}
        for n in range(rng.randrange(1, 5)):
            currency = rng.choice(sorted(CURRENCIES))
            amount, rate = _amount_text(rng, currency), _rate_text(rng)
            rows.append(
                {"id": f"r{n}", "donor": "d1", "amount": amount, "currency": currency, "rate": rate}
            )
            expected[f"r{n}"] = (Decimal(amount), Decimal(rate))
        spending = {
            "loan_drawings": [
                {"id": "ld", "facility": "lf", "amount": "999999999999999",
                 "date": "2003-01-01", "use": "x"}
            ],
            "expenditures": [
                {"id": "x1", "date": "2003-02-01", "amount": _amount_text(rng, "JPY"),
                 "currency": "JPY", "rate": _rate_text(rng), "description": "spent"}
            ],
        }  # fmt: skip
        (root / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
        (root / "rows.yaml").write_text(json.dumps({"received": rows}), encoding="utf-8")
        (root / "spent.yaml").write_text(json.dumps(spending), encoding="utf-8")
        _, ledger, problems = read_ledger(root)
        out_of_bounds = {
            r["id"]
            for r in rows
            if not money.SMALLEST_RATE <= Decimal(str(r["rate"])) < money.LARGEST_RATE
            or len(Decimal(str(r["rate"])).as_tuple().digits) > money.MAX_RATE_DIGITS
        }
        bad_values = {
            entry_id
            for entry_id, (amount, rate) in expected.items()
            if entry_id not in out_of_bounds
            and not 0 < _converted(amount, rate) < 10**money.MAX_AMOUNT_DIGITS
        }
        lines = {p.where.line for p in problems if p.where.path.name == "rows.yaml"}
        for problem in problems:
            assert problem.where.line > 0, (case, problem)
        if out_of_bounds or bad_values:
            assert problems, case
            assert len(lines) >= 1, case
            for problem in problems:
                if problem.code == "converted-amount":
                    assert "record the booked 'chf'" in problem.message
            continue
        spent = json.loads((root / "spent.yaml").read_text())["expenditures"][0]
        spent_rate = Decimal(str(spent["rate"]))
        spent_value = _converted(Decimal(str(spent["amount"])), spent_rate)
        spent_bad = not money.SMALLEST_RATE <= spent_rate < money.LARGEST_RATE or not (
            0 < spent_value < 10**money.MAX_AMOUNT_DIGITS
        )
        if spent_bad:
            assert any(p.where.path.name == "spent.yaml" for p in problems), case
            continue
        if problems:  # a cash or other rule this generator does not aim at
            assert all(p.code not in {"converted-amount", "inexact-total"} for p in problems)
            continue
        assert ledger is not None
        position = build_position(ledger)
        by_id = {row.id: row.chf for row in position.receipts}
        for entry_id, (written, at) in expected.items():
            assert by_id[entry_id] == _converted(written, at), (case, entry_id)
        assert position.totals.received == sum(
            (_converted(a, r) for a, r in expected.values()), Decimal(0)
        )


def test_a_total_that_cannot_be_exact_is_refused() -> None:
    rng = random.Random(27)
    for _ in range(500):
        values = [
            Decimal(rng.randrange(1, 10**15)).scaleb(rng.randrange(-40, 40))
            for _ in range(rng.randrange(1, 6))
        ]
        exact = Context(prec=400).create_decimal(0)
        for value in values:
            exact = Context(prec=400).add(exact, value)
        if len(exact.normalize(Context(prec=400)).as_tuple().digits) <= money.PRECISION:
            assert money.total(values) == exact
        else:
            with pytest.raises(money.InexactTotal):
                money.total(values)


def test_forty_yen_at_a_centime_rate_is_not_booked_at_zero(run: object, tmp_path: Path) -> None:
    root = tmp_path / "l"
    root.mkdir()
    (root / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    rows = [{"id": "r1", "donor": "d1", "amount": "40", "currency": "JPY", "rate": "0.0112"}]
    (root / "rows.yaml").write_text(json.dumps({"received": rows}), encoding="utf-8")
    result = run("check", "--data", root)  # type: ignore[operator]
    assert result.exit_code == 1
    assert "rows.yaml:1:" in result.output
    assert "40 JPY × 0.0112 (recorded rate) comes to 0 CHF" in result.output


def test_convert_refuses_what_the_ledger_would_refuse(run: object) -> None:
    result = run("convert", "40", "JPY", "--rate", "0.0112")  # type: ignore[operator]
    assert result.exit_code == 1
    assert "comes to 0 CHF after rounding" in result.output
    result = run("convert", "1", "USD", "--rate", "0." + "0" * 5000 + "1")  # type: ignore[operator]
    assert result.exit_code != 0 and "out of bounds" in result.output
