"""Expenditure, support costs, fund balance, earmarks and budget against actual."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ReportJson, Run, edit

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fund"


@pytest.fixture
def fund(tmp_path: Path) -> Path:
    """A writable copy of the invented example ledger."""
    target = tmp_path / "fund"
    shutil.copytree(EXAMPLE, target)
    return target


def small(tmp_path: Path, fund_extra: str, body: str) -> Path:
    """A ledger with one donor, the fund's lines in `fund_extra`, and `body` as a file."""
    root = tmp_path / "small"
    root.mkdir()
    (root / "ledger.yaml").write_text(
        "fund:\n  id: s\n  name: Small fund\n  phases:\n    - {id: ph, name: Phase}\n"
        + fund_extra
        + "donors:\n  - {id: d, name: Donor, kind: government}\n",
        encoding="utf-8",
    )
    (root / "book.yaml").write_text(body, encoding="utf-8")
    return root


def test_example_fund_balance_cash_and_support_costs(
    run: Run, fund: Path, report_json: ReportJson
) -> None:
    figures = report_json("--no-cache", "--data", fund)["totals"]
    # Receipts: 250 000 CHF, 100 000 USD at 0.88, 100 000 EUR at 0.96.
    received = Decimal(250000) + Decimal(88000) + Decimal(96000)
    # Expenditure: 120 000 EUR at 0.95, 80 000 CHF, 40 000 USD at 0.9, 95 000 CHF.
    spent = [Decimal(114000), Decimal(80000), Decimal(36000), Decimal(95000)]
    rates = [Decimal("0.13"), Decimal("0.13"), Decimal("0.07"), Decimal("0.13")]  # fellowships 7 %
    support = sum((s * r for s, r in zip(spent, rates, strict=True)), Decimal(0))
    assert Decimal(figures["received"] or "") == received
    assert Decimal(figures["expenditure"] or "") == sum(spent)
    assert Decimal(figures["support_costs"] or "") == support
    # Interest 1 250 CHF in; a refund of 5 000 USD at 0.9 and a bank charge of 35 CHF out.
    moved = Decimal(1250) - Decimal(4500) - Decimal(35)
    assert (figures["other_income"], figures["refunds"], figures["bank_charges"]) == (
        "1250",
        "4500",
        "35",
    )
    assert Decimal(figures["fund_balance"] or "") == received - sum(spent) - support + moved
    # The loan was drawn and repaid in full: cash is the fund balance.
    assert figures["cash"] == figures["fund_balance"]


def test_support_cost_rounds_half_up_each_expenditure_on_its_own(
    run: Run, tmp_path: Path, report_json: ReportJson
) -> None:
    root = small(
        tmp_path,
        "  support_cost_rate: 0.13\n",
        "received:\n  - {id: r, donor: d, amount: 1000, currency: CHF, date: 2024-01-01}\n"
        "expenditures:\n"
        "  - {id: a, date: 2024-01-02, amount: 50, description: one}\n"  # 6.5 → 7
        "  - {id: b, date: 2024-01-02, amount: 50, description: two}\n",  # 6.5 → 7
    )
    figures = report_json("--no-cache", "--data", root)["totals"]
    assert figures["support_costs"] == "14"  # not 13, as 100 × 0.13 would give
    assert figures["fund_balance"] == str(1000 - 100 - 14)


def test_the_most_specific_purpose_rate_wins(run: Run, tmp_path: Path) -> None:
    root = small(
        tmp_path,
        "  support_cost_rate: 0.13\n  support_cost_rates: {core: 0.1, core/fellowships: 0.05}\n",
        "received:\n  - {id: r, donor: d, amount: 10000, currency: CHF, date: 2024-01-01}\n"
        "expenditures:\n"
        "  - {id: a, date: 2024-01-02, amount: 100, description: x, purpose: core/fellowships/africa}\n"
        "  - {id: b, date: 2024-01-02, amount: 100, description: x, purpose: core/travel}\n"
        "  - {id: c, date: 2024-01-02, amount: 100, description: x, purpose: events}\n",
    )
    report = json.loads(run("report", "--format", "json", "--data", root).output)
    support = {e["id"]: e["support_costs"] for e in report["expenditure"]["entries"]}
    assert support == {"a": "5", "b": "10", "c": "13"}


def test_without_a_rate_there_are_no_support_costs(
    run: Run, tmp_path: Path, report_json: ReportJson
) -> None:
    root = small(
        tmp_path,
        "",
        "received:\n  - {id: r, donor: d, amount: 1000, currency: CHF, date: 2024-01-01}\n"
        "expenditures:\n  - {id: a, date: 2024-01-02, amount: 100, description: x}\n",
    )
    assert report_json("--no-cache", "--data", root)["totals"]["support_costs"] == "0"
    table = run("report", "--data", root).output
    assert "states no support cost rate" in table


def test_an_expenditure_counts_from_its_date(run: Run, fund: Path, report_json: ReportJson) -> None:
    before = report_json("--no-cache", "--data", fund, "--as-of", "2024-02-19")["totals"]
    after = report_json("--no-cache", "--data", fund, "--as-of", "2024-02-20")["totals"]
    assert before["expenditure"] == "0"  # recorded in the ledger, but not yet spent
    assert after["expenditure"] == "114000"
    assert Decimal(before["cash"] or "") - Decimal(after["cash"] or "") == 114000 + 14820


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json", "csv"])
def test_the_annex_says_no_expenditure_is_recorded(run: Run, fmt: str) -> None:
    out = run("report", "--no-cache", "--format", fmt).output
    if fmt == "json":
        document = json.loads(out)
        assert document["expenditure"]["recorded"] is False
        assert document["totals"]["expenditure"] is None
        assert document["totals"]["fund_balance"] is None
        assert document["totals"]["cash"] is None  # no fund balance can be stated
    elif fmt == "csv":
        rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out)) if r["section"] == "total"}
        assert rows["expenditure"]["chf"] == "" and rows["fund_balance"]["chf"] == ""
    else:
        assert "No expenditure is recorded in this ledger" in out
        assert "Programme support costs" not in out


def test_the_annex_in_chinese_says_so_too(run: Run) -> None:
    assert "本账簿未记录任何支出" in run("report", "--lang", "zh").output


def test_report_sections_in_every_layout_format(run: Run, fund: Path) -> None:
    for fmt in ("table", "markdown", "html"):
        out = run("report", "--format", fmt, "--data", fund).output
        for text in ("Expenditures", "By purpose: received, spent and left", "Fund balance"):
            assert text in out, (fmt, text)
        assert "65 625" in out
    html = run("report", "--format", "html", "--data", fund).output
    assert 'class="budget-lines"' in html and "bl-meetings: 236 170 / 300 000 CHF" in html


def test_earmark_balances_at_every_level(run: Run, tmp_path: Path) -> None:
    root = small(
        tmp_path,
        "",
        "received:\n"
        "  - {id: r1, donor: d, amount: 1000, currency: CHF, date: 2024-01-01, purpose: core/a}\n"
        "  - {id: r2, donor: d, amount: 500, currency: CHF, date: 2024-01-01, purpose: core/b}\n"
        "expenditures:\n"
        "  - {id: x, date: 2024-01-02, amount: 300, description: x, purpose: core/a}\n"
        "  - {id: y, date: 2024-01-02, amount: 100, description: y, purpose: core}\n",
    )
    report = json.loads(run("report", "--format", "json", "--data", root).output)
    balance = {p["purpose"]: p["balance"] for p in report["expenditure"]["purposes"]}
    assert balance == {"core": "1100", "core/a": "700", "core/b": "500"}


def test_budget_against_actual(run: Run, fund: Path) -> None:
    out = run("budget", "--format", "json", "--data", fund)
    document = json.loads(out.output)
    lines = {row["line"]: row for row in document["lines"]}
    assert lines["bl-meetings"]["expenditure"] == "209000"
    assert lines["bl-meetings"]["support_costs"] == "27170"
    assert lines["bl-meetings"]["remaining"] == str(300000 - 209000 - 27170)
    assert lines["bl-meetings"]["percent_used"] == "78.72"
    assert "total" not in lines  # the lines alone: their sum is the phase's total
    (phase,) = document["phases"]
    assert phase["budget"] == "700000" == str(sum(int(r["budget"]) for r in lines.values()))
    assert phase["expenditure"] == "325000"
    assert phase["expenditure"] == str(sum(int(r["expenditure"]) for r in lines.values()))
    early = json.loads(
        run("budget", "--format", "json", "--as-of", "2024-03-01", "--data", fund).output
    )
    assert {r["line"]: r["expenditure"] for r in early["lines"]}["bl-meetings"] == "114000"
    assert run("budget", "--phase", "nope", "--data", fund).exit_code == 2


def test_expenditure_outside_the_lines_and_the_most_specific_line(run: Run, tmp_path: Path) -> None:
    root = small(
        tmp_path,
        "",
        "received:\n  - {id: r, donor: d, amount: 10000, currency: CHF, date: 2024-01-01}\n"
        "budget_lines:\n"
        "  - {id: l-core, phase: ph, purpose: core, amount: 1000}\n"
        "  - {id: l-fel, phase: ph, purpose: core/fellowships, amount: 500}\n"
        "expenditures:\n"
        "  - {id: a, date: 2024-01-02, amount: 100, description: x, purpose: core/fellowships/africa}\n"
        "  - {id: b, date: 2024-01-02, amount: 200, description: x, purpose: core/travel}\n"
        "  - {id: c, date: 2024-01-02, amount: 300, description: x, purpose: events}\n",
    )
    document = json.loads(run("budget", "--format", "json", "--data", root).output)
    by_line = {r["line"]: r["expenditure"] for r in document["lines"]}
    assert by_line == {"l-core": "200", "l-fel": "100"}
    assert document["phases"][0]["expenditure"] == "300"
    assert document["outside_lines"]["expenditure"] == "300"


def test_budget_without_lines_shows_what_was_spent_outside(run: Run, tmp_path: Path) -> None:
    root = small(
        tmp_path,
        "",
        "received:\n  - {id: r, donor: d, amount: 10000, currency: CHF, date: 2024-01-01}\n"
        "expenditures:\n"
        "  - {id: a, date: 2024-01-02, amount: 120, description: x, purpose: events}\n",
    )
    shown = run("budget", "--data", root)
    assert shown.exit_code == 0, shown.output
    assert "outside the lines" in shown.output and "120" in shown.output
    document = json.loads(run("budget", "--format", "json", "--data", root).output)
    assert document["lines"] == [] and document["outside_lines"]["expenditure"] == "120"
    annex = run("budget")
    assert annex.exit_code == 0 and "No expenditure is recorded" in annex.output


def test_unrestricted_money_covers_any_purpose_earmarked_only_its_own(
    run: Run, tmp_path: Path
) -> None:
    root = small(
        tmp_path,
        "",
        "received:\n"
        "  - {id: r1, donor: d, amount: 1000, currency: CHF, date: 2024-01-01}\n"
        "  - {id: r2, donor: d, amount: 300, currency: CHF, date: 2024-01-01, purpose: travel}\n"
        "  - {id: r3, donor: d, amount: 400, currency: CHF, date: 2024-01-01, purpose: events}\n"
        "expenditures:\n"
        "  - {id: a, date: 2024-01-02, amount: 100, description: x, purpose: events}\n"
        "  - {id: b, date: 2024-01-03, amount: 1300, description: x, purpose: travel}\n",
    )
    clean = run("check", "--strict", "--no-cache", "--data", root)
    assert clean.exit_code == 0, clean.output  # travel: its 300, and the 1000 unrestricted
    edit(root / "book.yaml", "amount: 1300,", "amount: 1400,")
    over = run("check", "--strict", "--no-cache", "--data", root)
    # 100 short: the 300 left of the events money may not pay for travel.
    assert over.exit_code == 3 and "spends 100 CHF more on 'travel'" in over.output


def test_spend_records_and_refuses_cash_below_zero(
    run: Run, fund: Path, report_json: ReportJson
) -> None:
    before = sorted(p.name for p in fund.rglob("*"))
    refused = run(
        "spend", "100000", "--date", "2024-05-02", "--description", "Too much", "--data", fund
    )
    assert refused.exit_code == 1
    # 68 910 after the expenditure of 2024-04-10, less the bank charge of 2024-03-01.
    assert "takes the fund's cash below zero, to -44 125 CHF" in refused.output
    assert sorted(p.name for p in fund.rglob("*") if not p.name.startswith(".")) == [
        n for n in before if not n.startswith(".")
    ]
    done = run(
        "spend", "10000", "EUR", "--rate", "0.94", "--date", "2024-05-02",
        "--description", "Printing", "--purpose", "meetings", "--data", fund,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "recorded exp-1: 9 400 CHF and 1 222 CHF support costs" in done.output
    assert report_json("--no-cache", "--data", fund)["totals"]["fund_balance"] == str(
        65625 - 9400 - 1222
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["5", "USD"], "needs a rate or the booked CHF"),
        (["5", "--phase", "nope"], "there is no phase 'nope'"),
        (["5", "--purpose", "Not OK"], "is not a valid purpose"),
        (["5.555"], "CHF amounts have at most 2 decimals"),
    ],
)
def test_spend_refuses_bad_options(run: Run, fund: Path, args: list[str], message: str) -> None:
    result = run("spend", *args, "--date", "2024-05-02", "--description", "x", "--data", fund)
    assert result.exit_code == 2 and message in result.output
    assert not (fund / "journal").exists()


def test_a_repayment_that_empties_the_cash_is_a_problem(run: Run, tmp_path: Path) -> None:
    root = small(
        tmp_path,
        "",
        "loan_facilities:\n  - {id: lf, lender: d, ceiling: 1000}\n"
        "loan_drawings:\n  - {id: ld, facility: lf, amount: 1000, date: 2024-01-01, use: x}\n"
        "expenditures:\n  - {id: x, date: 2024-01-02, amount: 800, description: x}\n"
        "loan_repayments:\n  - {id: lr, facility: lf, amount: 1000, date: 2024-01-03}\n",
    )
    result = run("check", "--no-cache", "--data", root)
    assert result.exit_code == 1
    assert (
        "'lr', repaying 1 000 CHF on 2024-01-03 takes the fund's cash below zero, to -800 CHF"
        in result.output
    )


def test_overspending_is_a_warning_and_strict_fails_on_it(run: Run, tmp_path: Path) -> None:
    root = small(
        tmp_path,
        "",
        "received:\n"
        "  - {id: r, donor: d, amount: 1000, currency: CHF, date: 2024-01-01, purpose: a}\n"
        # Earmarked for c: it may not pay for a (money with no purpose would).
        "  - {id: s, donor: d, amount: 5000, currency: CHF, date: 2024-01-01, purpose: c}\n"
        "budget_lines:\n  - {id: l, phase: ph, purpose: b, amount: 100}\n"
        "expenditures:\n"
        "  - {id: x, date: 2024-01-02, amount: 1200, description: x, purpose: a}\n"
        "  - {id: y, date: 2024-01-03, amount: 150, description: y, purpose: b}\n",
    )
    plain = run("check", "--no-cache", "--data", root)
    assert plain.exit_code == 0, plain.output
    assert "warning: " in plain.output and "200 CHF more on 'a'" in plain.output
    assert "'y' on 2024-01-03 takes budget line 'l'" in plain.output
    assert run("check", "--no-cache", "--strict", "--data", root).exit_code == 3
    document = json.loads(run("check", "--no-cache", "--format", "json", "--data", root).output)
    assert document["problems"] == []
    codes = {(w["code"], w["severity"]) for w in document["warnings"]}
    # 'b' had nothing received for it: its earmark is overspent too.
    assert codes == {
        ("earmark-overspent", "warning"),
        ("budget-line-overspent", "warning"),
    }
    assert len(document["warnings"]) == 3


def test_problems_in_json_carry_an_error_severity(run: Run, tmp_path: Path) -> None:
    root = small(
        tmp_path,
        "",
        "expenditures:\n  - {id: x, date: 2024-01-02, amount: 10, description: x, phase: nope}\n",
    )
    document = json.loads(run("check", "--no-cache", "--format", "json", "--data", root).output)
    assert {(p["code"], p["severity"]) for p in document["problems"]} == {
        ("unknown-reference", "error"),
        ("cash-negative", "error"),
    }


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("{id: x, date: 2024-01-02, amount: 10, currency: USD, description: x}", "needs a 'rate'"),
        ("{id: x, date: 2024-01-02, amount: 10, rate: 2, description: x}", "no rate but 1"),
        ("{id: x, amount: 10, description: x}", "date"),
        ("{id: x, date: 2024-01-02, amount: 10}", "description"),
        (
            "{id: x, date: 2024-01-02, amount: 10, chf: 10.5, currency: EUR, description: x}",
            "books multiples",
        ),
    ],
)
def test_bad_expenditures_are_problems(run: Run, tmp_path: Path, record: str, message: str) -> None:
    root = small(
        tmp_path,
        "",
        "received:\n  - {id: r, donor: d, amount: 1000, currency: CHF, date: 2024-01-01}\n"
        f"expenditures:\n  - {record}\n",
    )
    result = run("check", "--no-cache", "--data", root)
    assert result.exit_code == 1 and message in result.output
    assert "book.yaml:" in result.output


def test_a_support_cost_rate_above_one_is_refused(run: Run, tmp_path: Path) -> None:
    root = small(tmp_path, "  support_cost_rate: 13\n", "received: []\n")
    result = run("check", "--no-cache", "--data", root)
    assert (
        result.exit_code == 1 and "a support cost rate is a fraction such as 0.13" in result.output
    )


def test_import_expenditure_rows(
    run: Run, fund: Path, tmp_path: Path, report_json: ReportJson
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference,pledge,payee,description\n"
        "expenditure,,5000,CHF,,,2024-05-01,meetings,INV-7,,Printer Ltd,Programme printing\n"
        "expenditure,,2000,USD,,0.9,2024-05-02,,,,,Postage\n",
        encoding="utf-8",
    )
    first = run("import", "--data", fund, rows)
    assert first.exit_code == 0, first.output
    assert report_json("--no-cache", "--data", fund)["totals"]["expenditure"] == str(
        325000 + 5000 + 1800
    )
    again = run("import", "--data", fund, rows)
    assert "0 rows added, 2 already in the ledger" in again.output


def test_import_refuses_bad_expenditure_rows_and_cash_below_zero(
    run: Run, fund: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "type,donor,amount,currency,date,description\nexpenditure,alpha,5000,CHF,,\n",
        encoding="utf-8",
    )
    result = run("import", "--data", fund, bad)
    assert result.exit_code == 1
    assert "an expenditure has no donor" in result.output
    assert "an expenditure needs a 'date'" in result.output
    assert "an expenditure needs a 'description'" in result.output
    huge = tmp_path / "huge.csv"
    huge.write_text(
        "type,donor,amount,currency,date,description\nexpenditure,,900000,CHF,2024-06-01,Huge\n",
        encoding="utf-8",
    )
    result = run("import", "--data", fund, huge)
    assert result.exit_code == 1 and "takes the fund's cash below zero" in result.output
    assert not (fund / "imports").exists()


def test_a_receipt_row_without_a_donor_is_still_refused(
    run: Run, fund: Path, tmp_path: Path
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("type,donor,amount,currency\nreceipt,,5000,CHF\n", encoding="utf-8")
    result = run("import", "--data", fund, rows)
    assert result.exit_code == 1 and "the field 'donor' is missing" in result.output


def test_journals_expense_accounts_and_cash(run: Run, fund: Path) -> None:
    text = run("export", "--format", "ledger", "--data", fund).output
    assert "Expenses:Purposes:Meetings  114000 CHF" in text
    assert "Expenses:Support-Costs  14820 CHF" in text
    assert "Assets:Fund:Cash  -128820 CHF" in text


def test_donor_sees_spending_on_the_purposes_it_gave_to(run: Run, fund: Path) -> None:
    document = json.loads(run("donor", "beta", "--format", "json", "--data", fund).output)
    assert document["spending"] == [
        {
            "purpose": "secretariat",
            "received": "96000",
            "expenditure": "80000",
            "support_costs": "10400",
            "balance": "5600",
        }
    ]
    assert json.loads(run("donor", "itu", "--format", "json").output)["spending"] == []
