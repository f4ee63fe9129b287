"""A pledge the source lists without a date (trial of session 7, finding 10).

The annex gives no pledge dates: each pledge was made by 2002-12-20, perhaps long
before. Its age counted from the statement is a lower bound ("at least"), its band not
stated unless the bound already reaches the last one; whether an agreement was signed
the source does not say either ("not stated", never "no").
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import Run


def test_an_age_from_the_statement_is_a_lower_bound(run: Run) -> None:
    for on, days in (("2002-12-20", 0), ("2003-06-30", 192)):
        listed = json.loads(run("pledges", "--format", "json", "--as-of", on).stdout)
        for pledge in listed["pledges"]:
            assert pledge["age_from"] == "statement" and pledge["age_at_least"] is True
            assert pledge["age_days"] == days
            assert pledge["age_band"] == "age not stated"  # not "up to 90 days"
        bands = {b["age_band"]: b for b in listed["age_bands"]}
        assert bands["up to 90 days"]["pledges"] == 0
        assert bands["age not stated"]["outstanding_chf"] == "3030450"
        assert bands["total"]["outstanding_chf"] == "3030450"
        table = run("pledges", "--as-of", on).stdout
        assert f"at least {days}" in table and "age not stated" in table
        rows = csv.DictReader(io.StringIO(run("pledges", "--format", "csv", "--as-of", on).stdout))
        assert {row["age_at_least"] for row in rows} == {"yes"}
    # A lower bound past a year is certain of the last band.
    late = json.loads(run("pledges", "--format", "json", "--as-of", "2004-06-30").stdout)
    assert {p["age_band"] for p in late["pledges"]} == {"over a year"}


def test_a_pledge_with_its_own_date_has_its_exact_age(run: Run) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "fund"
    listed = json.loads(run("pledges", "--format", "json", "--data", example).stdout)
    (p1,) = listed["pledges"]
    assert p1["age_from"] == "pledge" and p1["age_at_least"] is False
    assert p1["age_band"] == "91-180 days"


def test_the_accounts_say_not_stated_where_the_source_is_silent_on_an_agreement(
    run: Run,
) -> None:
    document = json.loads(run("accounts", "--format", "json").stdout)
    note = next(n for n in document["notes"] if n["note"] == "pledges")
    assert [row[3] for row in note["rows"]] == ["not stated"] * 5
    assert "no" not in {row[3] for row in note["rows"]}
