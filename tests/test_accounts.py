"""The fund's accounts for a period: they hold together, and meet the report.

Properties on the ledgers `generated_ledgers` makes (receipts and pledges in
five currencies, payments at other rates, cancellations, loans, expenditure
with support costs), for a random period: sources − uses = change in balance;
each year's closing balance is the next year's opening; the years add up to
the cumulative column; the closing balance is the report's cash at the
period's end (and the opening its cash the day before it starts); assets =
liabilities + net assets.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Run
from generated_ledgers import Spec, ledgers, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wsis_ledger.api import open_ledger
from wsis_ledger.commands.main import cli
from wsis_ledger.compute.accounts import Accounts
from wsis_ledger.render.accounts import statements

EXAMPLES = int(os.environ.get("WSIS_ACCOUNTS_EXAMPLES", "60"))


def _signed(pledge: dict[str, object], data: st.DataObject) -> str:
    """A signing date for a generated pledge: on or after its own date, where it has one."""
    made = date.fromisoformat(str(pledge["date"])) if "date" in pledge else date(2002, 6, 1)
    return (made + timedelta(days=data.draw(st.integers(0, 500)))).isoformat()


def report_cash(root: Path, on: date) -> Decimal | None:
    """The report's cash on `on`; None where it cannot state it, the ledger's undated
    entries coming with a later cumulative statement."""
    result = CliRunner().invoke(
        cli,
        ["report", "--no-cache", "--format", "json", "--data", str(root), "--as-of", str(on)],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    totals = document["totals"]
    if document["cumulative"] and "cash" in document["cumulative"]["totals_not_stated"]:
        return None
    if totals["cash"] is not None:
        return Decimal(totals["cash"])
    # No expenditure recorded: the report states no cash (issue 22); money in, less
    # money out, is what the accounts' cash is then.
    money_in = ("received", "loans_drawn", "other_income")
    money_out = ("loans_repaid", "refunds", "bank_charges")
    return sum((Decimal(totals[k] or "0") for k in money_in), Decimal(0)) - sum(
        (Decimal(totals[k] or "0") for k in money_out), Decimal(0)
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    spec=ledgers(),
    start=st.dates(date(2002, 6, 1), date(2003, 12, 31)),
    days=st.integers(0, 800),
    basis=st.sampled_from(["cash", "modified accrual", None]),
    data=st.data(),
)
def test_the_accounts_hold_together_and_meet_the_report(
    spec: Spec, start: date, days: int, basis: str | None, data: st.DataObject
) -> None:
    end = start + timedelta(days=days)
    for rows in (spec.rows, spec.statement_rows):
        for pledge in rows.get("pledged", []):  # some agreements signed, on some date
            if data.draw(st.booleans()):
                pledge["signed"] = _signed(pledge, data)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(spec, root)
        if basis is not None:
            ledger_yaml = root / "ledger.yaml"
            text = ledger_yaml.read_text(encoding="utf-8")
            ledger_yaml.write_text(
                text.replace("  booking_unit: 1\n", f"  booking_unit: 1\n  basis: {basis}\n"),
                encoding="utf-8",
            )
        accounts = open_ledger(root).accounts(start, end)
        width = len(accounts.columns)
        years = [c for c in accounts.columns if not c.cumulative]
        assert accounts.columns[-1].cumulative
        assert [c.label for c in years] == (
            [str(y) for y in range(start.year, end.year + 1)] if len(years) > 1 else []
        )
        sources, uses = accounts.total_sources, accounts.total_uses
        for i in range(width):
            assert sources[i] - uses[i] == accounts.change[i]
            assert accounts.opening[i] + accounts.change[i] == accounts.closing[i]
        for this, following in itertools.pairwise(years):
            i = accounts.columns.index(this)
            # A year ending before a cumulative statement's date states nothing, and the
            # year holding it starts where the source does not say (opening not stated).
            if this.stated and not following.unknown_start:
                assert accounts.closing[i] == accounts.opening[i + 1]
            assert following.start == this.end + timedelta(days=1)
            assert not (this.unknown_start and not following.stated)
        if years:
            for line in (*accounts.sources, *accounts.uses):
                assert sum(line.values[:-1], Decimal(0)) == line.values[-1], line
            assert accounts.opening[-1] == accounts.opening[0]
            assert accounts.closing[-1] == accounts.closing[-2]
        for heading in ("contributions", "expenditure"):
            lines = [*accounts.sources, *accounts.uses]
            top = next(line for line in lines if line.key == heading)
            under = [line for line in lines if line.key.startswith(heading + ":")]
            for i in range(width):
                assert top.values[i] == sum((line.values[i] for line in under), Decimal(0))
        unknown_columns(accounts)
        # A column the report cannot state at its end (or start) states nothing (no
        # opening): its undated entries come with a later cumulative statement.
        if accounts.columns[-1].stated:
            assert accounts.closing[-1] == report_cash(root, end)
        else:
            assert not_stated_on(root, end)
        if accounts.columns[-1].unknown_start:
            assert not_stated_on(root, start - timedelta(days=1))
        elif accounts.columns[-1].stated:
            assert accounts.opening[-1] == report_cash(root, start - timedelta(days=1))
        position = accounts.position
        assert position.cash == accounts.closing[-1]
        assert position.assets == position.liabilities + position.net_assets
        report = open_ledger(root).position(end)
        if accounts.notes.basis == "cash":
            assert position.receivable == 0
            assert position.net_assets == report.totals.fund_balance
        else:
            assert position.receivable == report.totals.agreed
        # Announced pledges are disclosed, never revenue nor a receivable.
        disclosed = sum((p.outstanding for p in accounts.notes.pledges), Decimal(0))
        assert disclosed + position.receivable == report.totals.pledged


def not_stated_on(root: Path, on: date) -> list[str]:
    """The totals the report on `on` does not state for want of a later cumulative one."""
    result = CliRunner().invoke(
        cli,
        ["report", "--no-cache", "--format", "json", "--data", str(root), "--as-of", str(on)],
    )
    cumulative = json.loads(result.stdout)["cumulative"]
    return list(cumulative["totals_not_stated"]) if cumulative else []


def unknown_columns(accounts: Accounts) -> None:
    """What a cumulative position leaves unknown is None, never a figure, in the API's
    `figure` and in every line of the layout every format writes."""
    flows, _ = statements(accounts)
    for i, column in enumerate(accounts.columns):
        for row in flows.rows:
            if row.values is None:
                continue
            shown = row.values[i]
            assert shown == accounts.figure(row.key, i), (row.key, column)
            if not column.stated or (column.unknown_start and row.key == "opening"):
                assert shown is None, (row.key, column)


# --- the command, in every format -------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fund"


def test_every_format_shows_the_same_accounts(run: Run, tmp_path: Path) -> None:
    data = ["--data", EXAMPLE]
    document = json.loads(run("accounts", "--format", "json", *data).stdout)
    flows = {line["key"]: line for line in document["statements"][0]["lines"]}
    closing = flows["closing"]["values"][-1]
    expected_cash = json.loads(run("report", "--format", "json", *data).stdout)["totals"]["cash"]
    assert closing == expected_cash
    rows = list(csv.DictReader(io.StringIO(run("accounts", "--format", "csv", *data).stdout)))
    figures = {(r["statement"], r["line"], r["column"]): r["chf"] for r in rows}
    for key, line in flows.items():
        columns = document["statements"][0]["columns"]
        for column, value in zip(columns, line["values"] or [None] * len(columns), strict=True):
            if value is None:
                continue
            assert figures[("sources_uses", key, column)] == value
    grouped = f"{Decimal(closing):,}".replace(",", " ")
    for fmt in ("table", "markdown", "html"):
        text = run("accounts", "--format", fmt, *data).stdout
        assert grouped in text and "Closing balance" in text
    book_path = tmp_path / "accounts.xlsx"
    assert run("accounts", "--format", "xlsx", "-o", book_path, *data).exit_code == 0
    from openpyxl import load_workbook

    values = load_workbook(book_path, data_only=True)
    formulas = load_workbook(book_path)
    assert len(values.sheetnames) == 3  # one sheet a statement, and the notes
    sheet = values.worksheets[0]
    stored = {row[0]: row[1:] for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert Decimal(str(stored["Closing balance"][-1])) == Decimal(closing)
    assert str(formulas.worksheets[0]["B25"].value or "").startswith("=") or any(
        isinstance(c.value, str) and c.value.startswith("=")
        for row in formulas.worksheets[0].iter_rows()
        for c in row
    )


def test_the_period_options(run: Run) -> None:
    data = ["--data", EXAMPLE]
    year = json.loads(run("accounts", "--year", "2024", "--format", "json", *data).stdout)
    assert year["period"] == {"start": "2024-01-01", "end": "2024-12-31"}
    both = run("accounts", "--year", "2024", "--from", "2024-01-01", *data)
    assert both.exit_code == 2
    backwards = run("accounts", "--from", "2024-02-01", "--to", "2024-01-01", *data)
    assert backwards.exit_code == 2 and "before it starts" in backwards.output
    cut = json.loads(
        run("accounts", "--year", "2024", "--as-of", "2024-02-15", "--format", "json", *data).stdout
    )
    assert cut["period"]["end"] == "2024-02-15"
    assert run("accounts", "--format", "pdf", *data).exit_code == 2  # a PDF goes to a file
    endless = run("accounts", "--from", "1900-01-01", "--to", "2090-01-01", *data)
    assert endless.exit_code == 2 and "at most 50 years" in endless.output


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pdf_is_a_document_to_sign(run: Run, tmp_path: Path, lang: str) -> None:
    from pypdf import PdfReader

    data = ["--data", EXAMPLE]
    document = json.loads(run("accounts", "--format", "json", "--lang", lang, *data).stdout)
    closing = document["statements"][0]["lines"][-1]["values"][-1]
    pdf = tmp_path / "accounts.pdf"
    made = run("accounts", "--format", "pdf", "--lang", lang, "-o", pdf, *data)
    assert made.exit_code == 0, made.output
    reader = PdfReader(pdf)
    pages = [page.extract_text() for page in reader.pages]
    count = len(pages)
    assert count >= 2
    for number, text in enumerate(pages, start=1):
        squeezed = " ".join(text.split())
        if lang == "en":
            assert f"page {number} of {count}" in squeezed
            assert "Example trust fund" in squeezed  # the running header: the fund
        else:  # Chinese text reads back only where a CJK font is installed
            assert document["period"]["end"] in squeezed  # the running header: the period
    whole = " ".join(" ".join(pages).split())
    assert f"{Decimal(closing):,}".replace(",", " ") in whole
    assert str(tmp_path) not in whole and "/tmp" not in whole and "file:" not in whole
    first = " ".join(pages[0].split())
    assert document["period"]["end"] in first
    if lang == "en":
        assert "modified accrual" in first and "Certified by" in whole


# --- one set of accounts under every output ----------------------------------------------


def _beancount(text: str) -> dict[str, Decimal]:
    """Every account's balance in CHF at cost (each posting's weight: `@@` prices included),
    parents holding their children's (beancount's loader)."""
    from beancount import loader
    from beancount.core import convert, data

    entries, errors, _ = loader.load_string(text)
    assert errors == [], errors
    balances: dict[str, Decimal] = {}
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                weight = convert.get_weight(posting)
                assert weight.currency == "CHF"
                parts = posting.account.split(":")
                for depth in range(1, len(parts) + 1):
                    account = ":".join(parts[:depth])
                    balances[account] = balances.get(account, Decimal(0)) + weight.number
    # beancount turns a total price into a per-unit one and multiplies back: a residue
    # far below a centime (the journal's tolerance), which rounding to centimes takes off.
    return {k: v.quantize(Decimal("0.01")).normalize() + 0 for k, v in balances.items()}


def _hledger(text: str) -> dict[str, Decimal]:
    """Every account's balance in CHF at cost, parents holding their children's (hledger)."""
    assert HLEDGER is not None
    checked = subprocess.run(
        [HLEDGER, "-f-", "check", "-s"], input=text, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    out = subprocess.run(
        [HLEDGER, "-f-", "balance", "--tree", "--cost", "-N", "-E", "-O", "csv", "--no-elide"],
        input=text, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    flat = {
        row[0]: Decimal(row[1].replace("CHF", "").strip() or "0")
        for row in csv.reader(io.StringIO(out))
        if row and row[0] != "account"
    }
    return flat


def _balance(balances: dict[str, Decimal], account: str) -> Decimal:
    """An account with everything below it (a flat listing added up where need be)."""
    if account in balances:
        return balances[account]
    return sum((v for k, v in balances.items() if k.startswith(account + ":")), Decimal(0))


HLEDGER = shutil.which("hledger")


# Derandomized, so that CI runs the same ten ledgers every time;
# WSIS_JOURNAL_RANDOM=1 WSIS_JOURNAL_EXAMPLES=200 pytest tests/test_accounts.py runs more,
# at random (that is how the case of the fixed example below was found).
@settings(
    max_examples=int(os.environ.get("WSIS_JOURNAL_EXAMPLES", "10")),
    deadline=None,
    derandomize=os.environ.get("WSIS_JOURNAL_RANDOM") is None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    spec=ledgers(),
    dates=st.lists(st.dates(date(2002, 12, 1), date(2004, 3, 31)), min_size=3, max_size=3),
    data=st.data(),
)
def test_the_journals_balances_are_the_accounts_and_the_report(
    spec: Spec, dates: list[date], data: st.DataObject
) -> None:
    for rows in (spec.rows, spec.statement_rows):
        for pledge in rows.get("pledged", []):
            if data.draw(st.booleans()):
                pledge["signed"] = _signed(pledge, data)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(spec, root)
        journals_meet_the_accounts(root, dates)


def test_a_payment_on_the_day_of_the_signing_is_taken_off_the_pledge_once(tmp_path: Path) -> None:
    """The case a random run found (session 5): 9 CAD pledged at 0.92 (booked 8 CHF),
    2 CHF paid, then 1 CAD on the day its agreement is signed. The journal took that
    1 CHF off `Assets:Pledges:Signed` twice (4 against the position's 5): the day's
    payment stood both before the signing and after it."""
    spec = Spec()
    spec.add(
        "pledged",
        {"id": "p1", "donor": "d1", "amount": "9", "currency": "CAD", "rate": "0.92",
         "date": "2003-02-01", "signed": "2003-04-10"},
    )  # fmt: skip
    spec.add(
        "received",
        {"id": "pay1", "donor": "d1", "pledge": "p1", "date": "2003-02-10",
         "amount": "2", "currency": "CHF"},
    )  # fmt: skip
    spec.add(
        "received",
        {"id": "pay2", "donor": "d1", "pledge": "p1", "date": "2003-04-10",
         "amount": "1", "currency": "CAD", "rate": "0.92"},
    )  # fmt: skip
    # and a pledge cancelled on the day its agreement is signed: never signed
    spec.add("pledged", {"id": "p2", "donor": "d2", "amount": "10", "currency": "CHF",
                         "date": "2003-02-01", "signed": "2003-05-01"})  # fmt: skip
    spec.add("cancellations", {"id": "c2", "pledge": "p2", "date": "2003-05-01", "note": "no"})
    write(spec, tmp_path)
    on = date(2004, 1, 1)
    assert open_ledger(tmp_path).position(on).totals.agreed == 5  # 5.83 CAD at 0.92
    journals_meet_the_accounts(tmp_path, [date(2003, 4, 10), date(2003, 5, 1), on])


def journals_meet_the_accounts(root: Path, dates: list[date]) -> None:
    """At each date, hledger's and beancount's balances of the exported journals are the
    figures of `report` and `accounts`."""
    for on in dates:
        common = ["--data", str(root), "--as-of", on.isoformat()]
        report = json.loads(
            CliRunner().invoke(cli, ["report", "--no-cache", "--format", "json", *common]).stdout
        )
        if report["cumulative"]:
            # Before a cumulative statement's date the report states no totals its undated
            # entries make: the journals say so, and their balances (of the dated entries
            # alone) are no figure of the report's.
            said = f"; not stated (cumulative as of {report['cumulative']['as_of']}): "
            for flavour in ("beancount", "ledger"):
                text = run_text("export", "--format", flavour, *common)
                line = next(x for x in text.splitlines() if x.startswith(said))
                assert line.removeprefix(said).split(", ") == sorted(
                    report["cumulative"]["totals_not_stated"]
                )
            continue
        totals = {
            k: Decimal(v or 0)
            for k, v in report["totals"].items()
            if k not in ("experts", "computed")  # `computed`: names of the ledger's sums
        }
        if report["totals"]["cash"] is None:  # no expenditure recorded: none stated
            totals["cash"] = report_cash(root, on)
        ledger = open_ledger(root)
        agreed = ledger.position(on).totals.agreed
        accounts = ledger.accounts(None, on)
        flows = {line.key: line.values[-1] for line in (*accounts.sources, *accounts.uses)}
        position = accounts.position
        expected = {
            "Assets:Fund:Cash": totals["cash"],
            # Only signed agreements are receivables and revenue (IPSAS 23); the old
            # journal booked every announced pledge here and in `Income:Pledged`.
            "Assets:Pledges": agreed,
            "Assets:Pledges:Signed": agreed,
            "Income:Received": -totals["received"],
            "Income:Received:Contributions": -flows["contributions"],
            "Income:Received:Exchange-Gains": -flows["exchange_gains"],
            "Income:Received:Exchange-Losses": flows["exchange_losses"],
            "Income:Agreed": -agreed,
            "Income": -(totals["received"] + agreed + flows["other_income"]),
            "Liabilities:Loans": -position.loans_payable,
            "Expenses:Support-Costs": flows["support_costs"],
            "Income:Other": -flows["other_income"],
            "Expenses:Refunds": flows["refunds"],
            "Expenses:Bank-Charges": flows["bank_charges"],
        }
        for kind in ("other_income", "refunds", "bank_charges"):
            assert flows[kind] == totals[kind], kind
        assert flows["exchange_gains"] - flows["exchange_losses"] == totals["exchange_difference"]
        assert accounts.closing[-1] == totals["cash"]
        for name, text in (
            ("beancount", run_text("export", "--format", "beancount", *common)),
            ("hledger", run_text("export", "--format", "ledger", *common) if HLEDGER else None),
        ):
            if text is None:
                continue
            balances = _beancount(text) if name == "beancount" else _hledger(text)
            for account, figure in expected.items():
                assert _balance(balances, account) == figure, (name, account, on)
            # Announced pledges: a memorandum, the notes' disclosed pledges on a modified
            # accrual basis (on a cash basis the notes disclose the signed ones too).
            disclosed = sum((p.outstanding for p in accounts.notes.pledges), Decimal(0))
            if accounts.notes.basis == "modified accrual":
                assert journal_memorandum(text) == disclosed, (name, on)
            spent = _balance(balances, "Expenses") - sum(
                _balance(balances, f"Expenses:{account}")
                for account in ("Support-Costs", "Refunds", "Bank-Charges")
            )
            assert spent == flows["expenditure"], (name, on)
            net = (
                _balance(balances, "Assets:Fund:Cash")
                + (_balance(balances, "Assets:Pledges:Signed")
                   if accounts.notes.basis == "modified accrual" else Decimal(0))
                + _balance(balances, "Liabilities:Loans")
            )  # fmt: skip
            assert net == position.net_assets, (name, on)


def journal_memorandum(text: str) -> Decimal:
    """What the journal's header gives as announced pledges outstanding (a memorandum)."""
    line = next(x for x in text.splitlines() if x.startswith(";   announced pledges"))
    return Decimal(line.rsplit(":", 1)[1].replace("CHF", "").strip())


def run_text(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


# --- signed agreements and their instalments ---------------------------------------------


def test_pledges_shows_instalments_due_and_overdue_at_any_date(run: Run) -> None:
    """The example's p1: 200 000 EUR signed 2024-02-01, due 100 000 on 2024-03-31 and
    100 000 on 2024-06-30; 100 000 EUR paid."""
    data = ["--data", EXAMPLE]

    def p1(on: str) -> dict[str, object]:
        listed = json.loads(run("pledges", "--format", "json", "--as-of", on, *data).stdout)
        return next(p for p in listed["pledges"] if p["id"] == "p1")

    paid = Decimal(str(p1("2024-12-31")["paid"]))
    early = p1("2024-02-15")
    assert early["signed"] == "2024-02-01" and early["fallen_due"] == "0"
    assert (early["next_due"], early["next_due_amount"]) == ("2024-03-31", "100000")
    late = p1("2024-07-15")
    assert Decimal(str(late["fallen_due"])) == 200000
    assert Decimal(str(late["overdue"])) == 200000 - paid
    assert late["next_due"] is None
    table = run("pledges", "--as-of", "2024-07-15", "--format", "markdown", *data).stdout
    assert "Overdue" in table and "Fallen due" in table


def test_instalments_fall_due_on_their_day_and_only_under_a_signed_agreement(
    run: Run, tmp_path: Path
) -> None:
    """Before its agreement is signed a pledge is announced: no signed date shown, nothing
    due or overdue. An instalment falls due on its day and is overdue from the next."""
    root = tmp_path / "fund"
    shutil.copytree(EXAMPLE, root)

    def p1(on: str) -> dict[str, object]:
        listed = json.loads(
            run("pledges", "--format", "json", "--as-of", on, "--data", root).stdout
        )
        return next(p for p in listed["pledges"] if p["id"] == "p1")

    announced = p1("2024-01-25")  # announced 20 January, signed 1 February
    assert announced["signed"] is None and announced.get("overdue") in (None, "0")
    assert announced.get("fallen_due") in (None, "0")
    on_the_day = p1("2024-06-30")  # the second 100 000 falls due that day
    paid = Decimal(str(on_the_day["paid"]))
    assert Decimal(str(on_the_day["fallen_due"])) == 200000 and paid < 200000
    assert Decimal(str(on_the_day["overdue"])) == max(100000 - paid, 0)  # the first only
    day_after = p1("2024-07-01")
    assert Decimal(str(day_after["overdue"])) == 200000 - paid > Decimal(str(on_the_day["overdue"]))


def test_an_instalment_before_its_pledge_is_refused(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "fund"
    shutil.copytree(EXAMPLE, root)
    year = root / "2024.yaml"
    text = year.read_text(encoding="utf-8")
    year.write_text(text.replace("{due: 2024-03-31,", "{due: 2024-01-01,"), encoding="utf-8")
    checked = run("check", "--data", root)
    assert checked.exit_code == 1
    assert "the 1st falls due on 2024-01-01, before the pledge's date 2024-01-20" in checked.output


def test_an_agreement_that_cannot_be_is_refused(run: Run, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "fund")
    year = tmp_path / "fund" / "2024.yaml"
    text = year.read_text(encoding="utf-8")
    year.write_text(
        text.replace(
            "{due: 2024-06-30, amount: 100000}", "{due: 2024-06-30, amount: 100001}"
        ).replace("signed: 2024-02-01", "signed: 2024-01-02"),
        encoding="utf-8",
    )
    checked = run("check", "--data", tmp_path / "fund")
    assert checked.exit_code == 1
    assert "instalments-exceed-pledge" in checked.output or "more than" in checked.output
    assert "before the pledge's date" in checked.output
    assert "2024.yaml:" in checked.output


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_report_pdf_has_page_numbers_a_running_header_and_the_totals(
    run: Run, tmp_path: Path
) -> None:
    """`report --format pdf`: the report's HTML printed through the same Chromium path as
    `accounts --format pdf`, read back with pypdf."""
    from pypdf import PdfReader

    totals = json.loads(run("report", "--format", "json").stdout)["totals"]
    pdf = tmp_path / "report.pdf"
    made = run("report", "--format", "pdf", "-o", pdf)
    assert made.exit_code == 0, made.output
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
        assert "ITU special trust fund" in text and "2002-12-20" in text
    whole = " ".join(pages)
    for key in ("received", "pledged", "received_and_pledged"):
        assert f"{Decimal(totals[key]):,}".replace(",", " ") in whole, key
    assert str(tmp_path) not in whole and "file:" not in whole
    refused = run("report", "--format", "pdf")  # bytes: never to a terminal
    assert refused.exit_code == 2 and "give -o FILE" in refused.output


# --- what the source does not give: not stated, in every format ---------------------------


def test_the_annex_accounts_state_no_cash_where_the_report_states_none(
    run: Run, tmp_path: Path
) -> None:
    """The annex records no expenditure: its report states no cash (issue 22), so its
    accounts state no balance, no cash and no net assets either, and say why."""
    from openpyxl import load_workbook

    assert json.loads(run("report", "--format", "json").stdout)["totals"]["cash"] is None
    document = json.loads(run("accounts", "--format", "json").stdout)
    assert document["not_stated"]["because"] == ["cash", "loans"]
    lines = {
        line["key"]: line["values"]
        for statement in document["statements"]
        for line in statement["lines"]
    }
    for key in ("opening", "closing", "change", "cash", "total_net_assets", "loans_payable"):
        assert lines[key] == [None], key
    assert lines["contributions"] == [document_total(run)]  # what the source gives stays
    rows = list(csv.DictReader(io.StringIO(run("accounts", "--format", "csv").stdout)))
    closing = next(r for r in rows if r["line"] == "closing")
    assert closing["chf"] == ""
    assert any(r["line"] == "not_stated" for r in rows)  # the note says why
    for fmt, word in (("table", "not stated"), ("markdown", "not stated"), ("html", "not stated")):
        out = run("accounts", "--format", fmt).stdout
        closing_line = next(x for x in out.splitlines() if "Closing balance" in x)
        assert word in closing_line, (fmt, closing_line)
        assert "unknown, not zero" in out
    assert "未说明" in run("accounts", "--format", "table", "--lang", "zh").stdout
    book_path = tmp_path / "annex.xlsx"
    assert run("accounts", "--format", "xlsx", "-o", book_path).exit_code == 0
    sheet = load_workbook(book_path).worksheets[0]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert values["Closing balance"] == "not stated"
    # A ledger that records expenditure states them all.
    example = json.loads(run("accounts", "--format", "json", "--data", EXAMPLE).stdout)
    assert example["not_stated"] == {"lines": [], "because": []}


def document_total(run: Run) -> str:
    """The annex's received total, as the report's JSON gives it."""
    return str(json.loads(run("report", "--format", "json").stdout)["totals"]["received"])


def test_no_accounts_module_is_much_over_five_hundred_lines() -> None:
    """render/accounts.py was 830 lines: one layout, and a module a writer."""
    folder = Path(__file__).resolve().parent.parent / "wsis_ledger" / "render"
    for path in folder.glob("accounts*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 520, path.name
