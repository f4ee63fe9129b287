"""Nothing shown that the source does not say: what the source gives is shown as fact,
what the ledger adds is marked as its reading, or not shown."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ANNEX, Run, edit

ITU_NOTE = {"en": "2004–2007 financial plan", "zh": "2004-2007财政计划"}
SWISS = {"en": "host country of the first phase", "zh": "东道国为峰会第一阶段"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_itus_pledge_note_in_every_format(run: Run, lang: str, tmp_path: Path) -> None:
    note = ITU_NOTE[lang]
    for fmt in ("table", "markdown", "csv", "html"):
        out = run("report", "--format", fmt, "--lang", lang).stdout
        assert note in out, fmt
    document = json.loads(run("report", "--format", "json", "--lang", lang).stdout)
    itu = next(e for e in document["pledged"]["entries"] if e["id"] == "p03")
    assert itu["note"] == note
    assert (
        json.loads(run("donor", "itu", "--format", "json", "--lang", lang).stdout)["rows"][0][
            "detail"
        ]
        == note
    )
    for fmt in ("beancount", "ledger"):
        assert note in run("export", "--format", fmt, "--lang", lang).stdout
    pledges = json.loads(run("pledges", "--format", "json").stdout)["pledges"]
    assert next(p for p in pledges if p["id"] == "p03")["note"] == ITU_NOTE["en"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_swiss_note_stands_under_the_pledges(run: Run, lang: str, tmp_path: Path) -> None:
    out = run("report", "--lang", lang).stdout
    pledged = out.split("1.2")[1].split("2.")[0]
    assert SWISS[lang] in pledged
    rows = list(
        csv.DictReader(io.StringIO(run("report", "--format", "csv", "--lang", lang).stdout))
    )
    notes = [r for r in rows if r["section"] == "note" and r["detail"] == "pledged"]
    assert len(notes) == 1 and SWISS[lang] in notes[0]["note"]
    from openpyxl import load_workbook

    book_path = tmp_path / "annex.xlsx"
    assert run("export", "--format", "xlsx", "--lang", lang, "-o", book_path).exit_code == 0
    book = load_workbook(book_path)
    sheet = book["Notes" if lang == "en" else "注"]
    assert any(SWISS[lang] in str(row[1]) for row in sheet.iter_rows(values_only=True))


def test_budget_coverage_only_over_entries_of_the_phase(run: Run, ledger_dir: Path) -> None:
    document = json.loads(run("report", "--format", "json").stdout)
    assert (document["budget"]["coverage_percent"], document["budget"]["gap"]) == (None, None)
    assert "no contributions are attributed to it" in run("report", "--format", "html").stdout
    # A pledge attributed to the phase by the entry itself: coverage over it alone.
    edit(ledger_dir / ANNEX, r"^    donor: canada$", "    donor: canada\n    phase: geneva-2003")
    budget = json.loads(run("report", "--data", ledger_dir, "--format", "json").stdout)["budget"]
    assert budget["attributed_entries"] == 1
    assert budget["gap"] == str(5900000 - 1000000)
    assert budget["coverage_percent"] == "16.95"
    # By its statement: every entry of the annex.
    edit(ledger_dir / ANNEX, r"^  as_of: 2002-12-20$", "  as_of: 2002-12-20\n  phase: geneva-2003")
    budget = json.loads(run("report", "--data", ledger_dir, "--format", "json").stdout)["budget"]
    assert budget["attributed_entries"] == 19
    assert budget["gap"] == str(5900000 - 2243419 - 3030450)
    # A phase that does not exist is refused.
    edit(ledger_dir / ANNEX, r"phase: geneva-2003\n    amount", "phase: nowhere\n    amount")
    assert "there is no phase 'nowhere'" in run("check", "--data", ledger_dir).output


def test_a_facility_with_no_drawing_says_so(run: Run) -> None:
    assert "ITU TELECOM capital fund: no drawings recorded" in run("report").stdout
    facility = json.loads(run("report", "--format", "json").stdout)["loans"]["facilities"][0]
    assert (facility["drawn"], facility["repaid"], facility["outstanding"]) == (None, None, None)
    assert facility["drawings_recorded"] is False
    status = json.loads(run("loan", "status", "--format", "json").stdout)["facilities"][0]
    assert (status["drawn"], status["note"]) == (None, "no drawings recorded")


def test_journals_are_dated_by_the_statement_never_by_today(run: Run) -> None:
    beancount = run("export", "--format", "beancount").stdout
    opens = [line for line in beancount.splitlines() if " open " in line]
    assert opens and all(line.startswith("2002-12-20 open ") for line in opens)
    assert 'date-source: "statement"' in beancount
    ledger = run("export", "--format", "ledger").stdout
    assert "; date-source: statement" in ledger


@pytest.mark.parametrize(
    ("on", "seconded", "direct"), [("2002-12-19", 0, 0), ("2002-12-20", 10, 1)]
)
def test_as_of_filters_the_in_kind_sections(run: Run, on: str, seconded: int, direct: int) -> None:
    document = json.loads(run("report", "--format", "json", "--as-of", on).stdout)
    assert len(document["seconded"]["rows"]) == seconded
    assert len(document["direct_support"]["rows"]) == direct
    assert len(document["facilities"]["rows"]) == (2 if seconded else 0)
    assert len(document["staff"]["rows"]) == (1 if seconded else 0)


def test_readings_are_marked(run: Run) -> None:
    document = json.loads(run("report", "--format", "json").stdout)
    readings = {e["id"]: e["reading"] for e in document["received"]["entries"]}
    assert readings["r13"] is True and readings["r01"] is False
    # In Chinese the name shown is the one the source prints: not a reading.
    zh = json.loads(run("report", "--format", "json", "--lang", "zh").stdout)
    assert not any(e["reading"] for e in zh["received"]["entries"])
    assert "United Nations Federal Credit Union †" in run("report").stdout
    donor = json.loads(run("donor", "unfcu", "--format", "json").stdout)["donor"]
    assert (donor["reading"], donor["kind_reading"]) == (True, True)
    bakom = json.loads(run("donor", "BAKOM", "--format", "json").stdout)["donor"]
    assert (bakom["reading"], bakom["kind_reading"]) == (False, True)


def test_secondments_as_the_annex_lists_them(run: Run) -> None:
    out = run("report").stdout
    seconded = out.split("3. Staff of the Executive Secretariat")[1].split("4. Facilities")[0]
    assert "16 + 1" not in seconded and "Total" not in seconded
    assert "about 16 experts" in seconded  # §19, kept as a note
    assert "full-time / part-time" not in out
    document = json.loads(run("report", "--format", "json").stdout)
    rows = document["seconded"]["rows"]
    assert sum(r["experts"] for r in rows) == document["seconded"]["experts"] == 17
    assert [r["donor_id"] for r in rows if r["part_time"]] == ["kddi"]


def test_pledge_ages_to_the_reports_date_in_bands(run: Run, ledger_dir: Path) -> None:
    document = json.loads(run("pledges", "--format", "json").stdout)
    assert document["aged_to"] == "2002-12-20"
    assert {p["age_days"] for p in document["pledges"]} == {0}  # never counted to today
    aged = json.loads(run("pledges", "--format", "json", "--as-of", "2003-12-31").stdout)
    assert {p["age_days"] for p in aged["pledges"]} == {376}
    bands = {b["age_band"]: b for b in aged["age_bands"]}
    assert bands["over a year"]["pledges"] == 5
    assert bands["total"]["outstanding_chf"] == "3030450"
    mid = json.loads(run("pledges", "--format", "json", "--as-of", "2003-05-01").stdout)
    assert {b["age_band"]: b["pledges"] for b in mid["age_bands"]}["181-365 days"] == 0
    # 132 days from the statement is a lower bound: the band is not stated (trial
    # finding 10; it was "91-180 days").
    assert {b["age_band"]: b["pledges"] for b in mid["age_bands"]}["age not stated"] == 5
    table = run("pledges").stdout
    assert "up to 90 days" in table and "total" in table


def test_a_record_with_no_date_counts_from_its_statements_date_in_every_section(
    run: Run,
) -> None:
    before = json.loads(run("report", "--format", "json", "--as-of", "2002-06-30").stdout)
    # Not yet known, and what the undated records held then is not stated ("0" before
    # trial finding 1).
    assert before["loans"]["facilities"] == [] and before["totals"]["loan_ceiling"] is None
    for key in ("seconded", "facilities", "staff", "direct_support"):
        assert before[key]["rows"] == [], key
    on = json.loads(run("report", "--format", "json", "--as-of", "2002-12-20").stdout)
    assert [f["id"] for f in on["loans"]["facilities"]] == ["itu-telecom-capital-fund"]


def test_every_donor_statement_lists_all_the_ledger_holds_for_it(run: Run) -> None:
    def rows(donor: str) -> list[tuple[str, str]]:
        document = json.loads(run("donor", donor, "--format", "json").stdout)
        return [(r["kind"], r["id"]) for r in document["rows"]]

    assert rows("itu-telecom") == [("loan facility", "itu-telecom-capital-fund")]
    assert rows("canton-geneva") == [("salaries paid", "s09")]
    assert ("facilities", "f01") in rows("switzerland")
    assert ("facilities", "f02") in rows("itu") and ("staff", "itu-staff") in rows("itu")


def test_figures_that_cannot_be_stated_are_null_and_computed_totals_marked(run: Run) -> None:
    totals = json.loads(run("report", "--format", "json").stdout)["totals"]
    # No expenditure recorded: no fund balance, so no cash; no drawing recorded: not "0".
    assert totals["cash"] is None and totals["fund_balance"] is None
    assert totals["loans_drawn"] is None and totals["loans_outstanding"] is None
    # Printed by the annex: received and pledged; anything else is the ledger's sum.
    assert "received" not in totals["computed"] and "pledged" not in totals["computed"]
    assert {"experts", "experts_part_time", "received_and_pledged"} <= set(totals["computed"])
    rows = list(csv.DictReader(io.StringIO(run("report", "--format", "csv").stdout)))
    marked = {r["id"]: r["note"] for r in rows if r["section"] == "total"}
    assert marked["experts"] == "computed" and marked["received"] == ""
    staff = next(r for r in rows if r["section"] == "staff")
    assert staff["count"] == ""  # 4 full-time and 5 part-time are not "9" in the source


def test_the_chart_draws_no_estimate_nothing_is_attributed_to(run: Run) -> None:
    page = run("report", "--format", "html").stdout
    chart = page.split("<figure>")[1].split("</figure>")[0]
    assert 'class="budget"' not in chart and "no contributions are attributed" in chart
