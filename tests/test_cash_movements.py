"""Other income (interest), refunds to donors and bank charges: recorded by their
commands, refused where they cannot be, and the same figures in every output."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from conftest import Run

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fund"
KINDS = ("other_income", "refunds", "bank_charges")


def fund(tmp_path: Path) -> Path:
    root = tmp_path / "fund"
    shutil.copytree(EXAMPLE, root)
    return root


def test_the_commands_record_each_and_every_output_counts_it(run: Run, tmp_path: Path) -> None:
    root = fund(tmp_path)
    before = json.loads(run("report", "--format", "json", "--data", root).stdout)["totals"]
    for args in (
        ("income", "300", "EUR", "--rate", "0.95", "--kind", "other", "--date", "2024-07-01"),
        ("refund", "alpha", "1000", "--receipt", "r1", "--date", "2024-07-02"),
        ("charge", "12", "--description", "Account fee", "--date", "2024-07-03"),
    ):
        made = run(*args, "--data", root)
        assert made.exit_code == 0, made.output
        assert made.output.startswith("recorded ")
    document = json.loads(run("report", "--format", "json", "--data", root).stdout)
    after = document["totals"]
    added = {"other_income": Decimal(285), "refunds": Decimal(1000), "bank_charges": Decimal(12)}
    for kind in KINDS:
        assert Decimal(after[kind]) == Decimal(before[kind]) + added[kind]
        listed = document["cash_movements"][kind]
        assert sum(Decimal(m["chf"]) for m in listed) == Decimal(after[kind])
    net = added["other_income"] - added["refunds"] - added["bank_charges"]
    assert Decimal(after["fund_balance"]) == Decimal(before["fund_balance"]) + net
    assert Decimal(after["cash"]) == Decimal(before["cash"]) + net
    refund = document["cash_movements"]["refunds"][-1]
    assert (refund["donor_id"], refund["receipt"]) == ("alpha", "r1")
    # Each donor's statement lists what went back to it; the donors' parts add up.
    donors = ("alpha", "beta", "gamma")
    parts = [json.loads(run("donor", d, "--format", "json", "--data", root).stdout) for d in donors]
    assert sum(Decimal(p["totals"]["refunded"]) for p in parts) == Decimal(after["refunds"])
    assert any(r["kind"] == "refund" and r["id"] == refund["id"] for r in parts[0]["rows"])

    # CSV: the rows and the totals are the JSON's.
    rows = list(
        csv.DictReader(io.StringIO(run("report", "--format", "csv", "--data", root).stdout))
    )
    totals = {r["id"]: r["chf"] for r in rows if r["section"] == "total"}
    for kind in KINDS:
        assert totals[kind] == after[kind]
        assert sum(Decimal(r["chf"]) for r in rows if r["section"] == kind) == Decimal(after[kind])

    # accounts: a line each, its cumulative figure the report's.
    accounts = json.loads(run("accounts", "--format", "json", "--data", root).stdout)
    lines = {
        line["key"]: line["values"][-1]
        for line in accounts["statements"][0]["lines"]
        if line["values"]  # a heading has none
    }
    for kind in KINDS:
        assert Decimal(lines[kind]) == Decimal(after[kind]), kind
    assert Decimal(lines["closing"]) == Decimal(after["cash"])

    # The tables: the section and its totals, and the fund balance's rows.
    for fmt in ("table", "markdown", "html"):
        out = run("report", "--format", fmt, "--data", root).stdout
        assert "Other income, refunds to donors and bank charges" in out, fmt
        for kind, text in (
            ("other_income", "Interest and other income"),
            ("refunds", "Refunds to donors"),
            ("bank_charges", "Bank charges"),
        ):
            assert text in out, (fmt, kind)
            figure = f"{Decimal(after[kind]):,}".replace(",", " ")
            assert figure in out, (fmt, kind, figure)


def test_iati_has_them_as_incoming_funds_and_expenditure(run: Run) -> None:
    xml = run("export", "--format", "iati", "--as-of", "2024-12-31", "--data", EXAMPLE).stdout
    found = {}
    for transaction in ElementTree.fromstring(xml).iter("transaction"):
        found[transaction.get("ref")] = transaction
    codes = {
        ref: (t.find("transaction-type").get("code"), t.find("value").text)  # type: ignore[union-attr]
        for ref, t in found.items()
        if ref in ("i1", "rf1", "bc1")
    }
    # TransactionType 2.03: 1 Incoming Funds (5 is interest paid on a loan), 4 Expenditure.
    assert codes == {"i1": ("1", "1250"), "rf1": ("1", "-5000"), "bc1": ("4", "35")}
    provider = found["rf1"].find("provider-org")
    assert provider is not None and "Gamma" in "".join(provider.itertext())


def test_what_cannot_be_is_refused_naming_file_and_line(run: Run, tmp_path: Path) -> None:
    root = fund(tmp_path)
    (root / "more.yaml").write_text(
        "refunds:\n"
        "  - {id: x1, donor: beta, receipt: r1, amount: 10, date: 2024-07-01}\n"  # alpha's
        "  - {id: x2, donor: alpha, receipt: r1, amount: 250001, date: 2024-07-01}\n"
        "  - {id: x3, donor: nobody, amount: 10, date: 2024-07-01}\n"
        "bank_charges:\n"
        "  - {id: b9, amount: 5, currency: USD, date: 2024-07-01}\n",  # no rate
        encoding="utf-8",
    )
    checked = run("check", "--data", root)
    assert checked.exit_code == 1
    out = checked.output
    assert "more.yaml:2:" in out and "a refund goes back to who gave" in out
    assert "more.yaml:3:" in out and "more than the 250 000 CHF it brought" in out
    assert "more.yaml:4:" in out and "there is no donor 'nobody'" in out
    assert "more.yaml:6:" in out and "needs a 'rate'" in out
    assert "Traceback" not in out


def test_a_charge_that_would_take_cash_below_zero_is_not_written(run: Run, tmp_path: Path) -> None:
    root = fund(tmp_path)
    cash = Decimal(
        json.loads(
            run("report", "--format", "json", "--as-of", "2024-01-10", "--data", root).stdout
        )["totals"]["cash"]
    )
    files = sorted(p.name for p in root.rglob("*") if not p.name.startswith("."))
    refused = run("charge", str(cash + 1), "--date", "2024-01-10", "--data", root)
    assert refused.exit_code == 1
    assert "takes the fund's cash below zero, to -1 CHF" in refused.output
    assert sorted(p.name for p in root.rglob("*") if not p.name.startswith(".")) == files
