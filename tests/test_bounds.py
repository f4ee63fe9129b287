"""Stated totals with bounds: `more than`, `at least`, `about` (with the printed
rounding), recorded from the command line and per purpose; `check` holds a bound as
printed and says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.core.models import Stated


@pytest.mark.parametrize(
    ("printed", "rows", "holds"),
    [
        ("more than 1300000", "1300001", True),
        ("more than 1300000", "1300000", False),
        ("at least 1300000", "1300000", True),
        ("at least 1300000", "1299999", False),
        ("about 1300000", "1349999", True),  # 1.3 million: rounded to 100 000
        ("about 1300000", "1350001", False),
        ("about 1300000 (to 1000000)", "1700000", True),
        ("about 882000", "881950", True),  # rounded to 1 000: within 500
    ],
)
def test_a_bound_holds_as_printed(printed: str, rows: str, holds: bool) -> None:
    from decimal import Decimal

    bound = Stated.model_validate({"received": printed}).received
    assert not isinstance(bound, Decimal)
    assert bound.holds(Decimal(rows)) is holds


def test_bounds_from_the_command_line_checked_as_printed(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "fund"
    assert run("init", root, "--name", "A fund", "--as-of", "2004-01-01").exit_code == 0
    added = run(
        "statement", "add", "pr-2004", "--as-of", "2004-11-30", "--source", "Press release",
        "--stated-received", "more than 1300000", "--stated", "core=about 1000000",
        "--stated", "core:pledged=at least 100", "--data", root,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    sheet = tmp_path / "rows.csv"
    sheet.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
        "receipt,Sweden,1340000,CHF,,,2004-06-01,core,S-1\n"
        "pledge,Sweden,100,CHF,,,2004-06-01,core,S-2\n",
        encoding="utf-8",
    )
    done = run("import", sheet, "--statement", "pr-2004", "--add-donors", "--data", root)
    assert done.exit_code == 0, done.output
    checked = run("check", "--no-cache", "--data", root)
    assert checked.exit_code == 0, checked.output
    assert "held against more than 1 300 000 CHF as printed" in checked.output
    figures = json.loads(run("statements", "--format", "json", "--data", root).stdout)
    [statement] = [s for s in figures["statements"] if s["id"] == "pr-2004"]
    bounds = {(f["total"], f["purpose"]): (f["bound"], f["state"]) for f in statement["figures"]}
    assert bounds == {
        ("received", None): ("more_than", "agrees"),
        ("received", "core"): ("about", "agrees"),
        ("pledged", "core"): ("at_least", "agrees"),
    }


def test_a_bound_not_held_is_a_finding_that_says_it_is_a_bound(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "fund"
    run("init", root, "--name", "A fund", "--as-of", "2004-01-01")
    run(
        "statement", "add", "pr", "--as-of", "2004-11-30", "--source", "Press release",
        "--stated-received", "more than 1300000", "--data", root,
    )  # fmt: skip
    checked = run("check", "--no-cache", "--data", root)
    assert checked.exit_code == 3  # valid, a finding
    assert "is more than 1 300 000 CHF (a bound, held as printed)" in checked.output


def test_a_bound_that_is_no_bound_is_refused(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "fund"
    run("init", root, "--name", "A fund", "--as-of", "2004-01-01")
    refused = run(
        "statement", "add", "pr", "--as-of", "2004-11-30", "--source", "P",
        "--stated-received", "lots", "--data", root,
    )  # fmt: skip
    assert refused.exit_code == 2 and "is not an amount nor a bound" in refused.output
    assert run("statement", "add", "pr", "--as-of", "2004-11-30", "--source", "P",
               "--stated", "core", "--data", root).exit_code == 2  # fmt: skip
