"""Property: every output gives the same figures, at any date.

Hypothesis writes ledgers with receipts and pledges in five currencies,
partial and full payments (in the pledge's currency or in CHF), cancellations,
reassignments, purposes, loan drawings and repayments, expenditures in five
currencies with support costs at a fund rate and a purpose's rate, budget
lines, and picks an as-of date. The report's JSON is then met by its CSV, the Excel workbook's stored
values, the HTML page, the beancount journal (beancount's own loader, no
errors; account balances), the hledger journal (where hledger is installed),
the sum of every donor's statement, `pledges` and `loan status`. The JSON's
received is also met by an independent sum of the generated receipts.

So is the booked CHF of the IATI file's transactions, and the SQLite
database's views.

CI runs 200 examples; more: WSIS_AGREEMENT_EXAMPLES=2000 pytest tests/test_agreement.py
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from datetime import date
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from click.testing import CliRunner
from generated_ledgers import DONORS, ONE, Spec, ledgers, write
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from wsis_ledger.commands.main import cli
from wsis_ledger.core import money
from wsis_ledger.render.iati import NAMESPACE as IATI_NS

EXAMPLES = int(os.environ.get("WSIS_AGREEMENT_EXAMPLES", "200"))
HLEDGER = shutil.which("hledger")


class _Summary(HTMLParser):
    """The rows of the HTML page's summary table: label → figure text."""

    def __init__(self, table: str = "summary") -> None:
        super().__init__()
        self.table = table
        self.inside, self.cells, self.rows = False, [], {}  # type: ignore[var-annotated]
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.inside = ("class", self.table) in attrs
        elif tag == "td" and self.inside:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.cells.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.inside and len(self.cells) == 2:
            self.rows[self.cells[0]] = self.cells[1]
            self.cells = []
        elif tag == "tr":
            self.cells = []

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def figure(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace("\u2212", "-"))


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def journal_balances_beancount(text: str) -> dict[str, Decimal]:
    from beancount import loader
    from beancount.core import realization

    entries, errors, _ = loader.load_string(text)
    assert errors == [], errors
    root = realization.realize(entries)
    balances = {}
    for account in ("Assets:Fund:Cash", "Assets:Pledges", "Expenses"):
        node = realization.get(root, account)
        total = realization.compute_balance(node) if node is not None else None
        balances[account] = (
            total.get_currency_units("CHF").number if total is not None else Decimal(0)
        )
    return balances


def cumulative_is_not_stated_anywhere(report: dict[str, Any], common: list[str]) -> None:
    """Before a cumulative statement's date (its undated entries' only date) every output
    says the totals those entries make are not stated: null, "not stated", never a 0."""
    unknown = report["cumulative"]["totals_not_stated"]
    assert unknown and all(report["totals"][key] is None for key in unknown)
    for key, section in (("received", "received"), ("pledged", "pledged")):
        if key in unknown:
            assert report[section]["total"] is None
    rows = list(csv.DictReader(io.StringIO(run("report", "--format", "csv", *common))))
    noted = {row["id"]: row for row in rows if row["section"] == "total"}
    for key in unknown:
        assert noted[key]["note"] == "not stated" and not noted[key]["chf"] + noted[key]["count"]
    said = report["ledger_notes"][0]
    assert said.startswith("The source gives only a cumulative position as of")
    for fmt in ("table", "markdown", "html"):
        text = run("report", "--format", fmt, *common)
        assert "not stated" in text and said.split(":")[0] in unescape(text), fmt
    for flavour in ("beancount", "ledger"):
        text = run("export", "--format", flavour, *common)
        assert f"; not stated (cumulative as of {report['cumulative']['as_of']}): " in text


def journal_memorandum(text: str) -> Decimal:
    """What the journal's header gives as announced pledges outstanding (a memorandum)."""
    line = next(x for x in text.splitlines() if x.startswith(";   announced pledges"))
    return Decimal(line.rsplit(":", 1)[1].replace("CHF", "").strip())


def journal_balances_hledger(text: str) -> dict[str, Decimal]:
    assert HLEDGER is not None
    out = subprocess.run(
        [HLEDGER, "-f-", "balance", "^Assets|^Expenses", "-N", "--flat", "-O", "csv", "--cost"],
        input=text, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    found = {
        row[0]: Decimal(row[1].replace("CHF", "").strip() or "0")
        for row in csv.reader(io.StringIO(out))
        if row and row[0] != "account"
    }

    def below(prefix: str) -> Decimal:
        return sum((v for k, v in found.items() if k.startswith(prefix)), Decimal(0))

    return {
        "Assets:Fund:Cash": found.get("Assets:Fund:Cash", Decimal(0)),
        "Assets:Pledges": below("Assets:Pledges:"),
        "Expenses": below("Expenses:"),
    }


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=ledgers(), as_of=st.none() | st.dates(date(2002, 12, 1), date(2004, 3, 31)))
def test_every_output_gives_the_same_figures(spec: Spec, as_of: date | None) -> None:
    for section in ("cancellations", "reassignments", "loan_repayments"):
        event(f"has {section}: {section in spec.rows}")
    event(f"has payments: {any('pledge' in r for r in spec.rows.get('received', []))}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(spec, root)
        check = CliRunner().invoke(cli, ["check", "--no-cache", "--data", str(root)])
        assert check.exit_code == 0, check.output
        at = ["--as-of", as_of.isoformat()] if as_of else []
        common = ["--data", str(root), *at]
        report = json.loads(run("report", "--no-cache", "--format", "json", *common))
        if report["cumulative"]:
            cumulative_is_not_stated_anywhere(report, common)
            return
        recorded = bool(spec.spent)
        assert (report["totals"]["fund_balance"] is not None) == recorded
        # Null where a figure cannot be stated (cash without a fund balance; loans never
        # drawn): nothing to add, counted as 0 here. `computed` lists the ledger's sums.
        assert (report["totals"]["cash"] is None) == (not recorded)
        totals = {
            k: v if isinstance(v, int) else Decimal(v if v is not None else "0")
            for k, v in report["totals"].items()
            if k != "computed"
        }
        received, pledged = totals["received"], totals["pledged"]
        exchange = totals["exchange_difference"]
        gains, losses = totals["exchange_gains"], totals["exchange_losses"]
        assert gains - losses == exchange and gains >= 0 and losses >= 0
        # Money in, less money out as far as recorded: the journals' cash account.
        # Other income, refunds and bank charges: null where never recorded, 0 here.
        other, refunds = totals["other_income"], totals["refunds"]
        charges = totals["bank_charges"]
        moved = other - refunds - charges
        cash = received + moved - totals["expenditure"] - totals["support_costs"]
        cash += totals["loans_drawn"] - totals["loans_repaid"]
        spent, support = totals["expenditure"], totals["support_costs"]
        balance = totals["fund_balance"] if recorded else received + moved

        # The position itself: received is the generated receipts known on the date;
        # expenditure and support costs the generated expenditure made by then.
        known = [chf for chf, on in spec.receipts if as_of is None or on <= as_of]
        assert received == sum(known, Decimal(0))
        made = [(c, s) for c, s, on in spec.spent if as_of is None or on <= as_of]
        assert spent == sum((c for c, _ in made), Decimal(0))
        assert support == sum((s for _, s in made), Decimal(0))
        for kind, moved_chf in (
            ("other_income", other),
            ("refunds", refunds),
            ("bank_charges", charges),
        ):
            generated = [c for k, c, on in spec.movements if k == kind]
            assert (report["totals"][kind] is None) == (not generated)
            assert moved_chf == sum(
                (c for k, c, on in spec.movements if k == kind and (as_of is None or on <= as_of)),
                Decimal(0),
            )
        assert balance == received + moved - spent - support
        assert totals["received_and_pledged"] == received + pledged
        assert cash == balance + totals["loans_drawn"] - totals["loans_repaid"]
        assert not recorded or totals["cash"] == cash
        if recorded and report["expenditure"]["purposes"]:
            top = [p for p in report["expenditure"]["purposes"] if p["depth"] == 0]
            assert sum(Decimal(p["balance"]) for p in top) + moved == balance
        lines = report["budget_lines"]
        on_lines = sum(Decimal(line["expenditure"]) for line in lines["lines"])
        assert on_lines + Decimal(lines["outside_lines"]["expenditure"]) == spent

        # CSV
        rows = list(
            csv.DictReader(io.StringIO(run("report", "--no-cache", "--format", "csv", *common)))
        )
        csv_totals = {r["id"]: r["chf"] for r in rows if r["section"] == "total"}
        assert (Decimal(csv_totals["received"]), Decimal(csv_totals["pledged"])) == (
            received,
            pledged,
        )
        assert Decimal(csv_totals["exchange_difference"]) == exchange
        assert Decimal(csv_totals["exchange_gains"]) == gains
        assert Decimal(csv_totals["exchange_losses"]) == losses
        assert Decimal(csv_totals["cash"] or "0") == (cash if recorded else 0)
        if recorded:
            assert Decimal(csv_totals["fund_balance"]) == balance
            assert Decimal(csv_totals["support_costs"]) == support
            spent_rows = [r for r in rows if r["section"] == "expenditures"]
            assert sum(Decimal(r["support_costs_chf"]) for r in spent_rows) == support
        purpose_total = [r for r in rows if r["section"] == "purposes" and r["id"] == "total"]
        if report["purposes"]:
            top = [p for p in report["purposes"] if p["depth"] == 0]
            assert sum(Decimal(p["received"]) for p in top) == received
            assert sum(Decimal(p["pledged"]) for p in top) == pledged
            assert Decimal(purpose_total[0]["chf"]) == received + pledged

        # Excel: the values stored beside the formulas
        from openpyxl import load_workbook

        book_path = root.parent / f"{root.name}.xlsx"
        run("export", "--format", "xlsx", "-o", str(book_path), *common)
        try:
            book = load_workbook(book_path, data_only=True)
        finally:
            book_path.unlink()
        summary = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
        if "Exchange difference on payments (CHF)" in summary:  # where a pledge was paid
            split = (
                "of which: realised exchange gains (CHF)",
                "of which: realised exchange losses (CHF)",
            )
            assert tuple(Decimal(str(summary[k])) for k in split) == (gains, losses)
        assert (
            Decimal(str(summary["Received (CHF)"])),
            Decimal(str(summary["Pledged (CHF)"])),
        ) == (
            received,
            pledged,
        )
        if recorded:
            sheet = {
                r[0]: r[1] for r in book["Fund balance"].iter_rows(min_row=2, values_only=True)
            }
            assert Decimal(str(sheet["Fund balance"])) == balance
            assert Decimal(str(sheet["Cash (fund balance, plus loans outstanding)"])) == cash
        for name, total in (("1.1 Received", received), ("1.2 Pledged", pledged)):
            if name not in book.sheetnames:  # no entries: "None recorded." instead of a table
                assert total == 0
                continue
            last = list(book[name].iter_rows(values_only=True))[-1]
            assert (
                Decimal(str(max(v for v in last if isinstance(v, int | float)))) == total
                or total == 0
            )

        # IATI: the CHF booked beside each transaction adds up to the report's figures,
        # and each value converted at the ledger's rate is what was booked.
        iati = ElementTree.fromstring(run("export", "--format", "iati", *common))
        booked: dict[str, Decimal] = {}
        for transaction in iati.iter("transaction"):
            mark = transaction.find(f"{{{IATI_NS}}}booked")
            assert mark is not None
            chf = Decimal(mark.get("chf", ""))
            booked[mark.get("kind", "")] = booked.get(mark.get("kind", ""), Decimal(0)) + chf
            value = transaction.find("value")
            assert value is not None and value.text is not None
            rate = mark.get("rate")
            if rate is not None:
                converted = money.quantize(money.multiply(Decimal(value.text), Decimal(rate)), ONE)
                assert converted == chf, ElementTree.tostring(transaction)
            else:
                assert value.get("currency") == "CHF" and Decimal(value.text) == chf
        assert booked.get("receipt", Decimal(0)) == received
        assert booked.get("loan-drawing", Decimal(0)) == totals["loans_drawn"]
        assert booked.get("loan-repayment", Decimal(0)) == totals["loans_repaid"]
        assert booked.get("expenditure", Decimal(0)) == spent
        assert booked.get("support-cost", Decimal(0)) == support
        assert booked.get("other-income", Decimal(0)) == other
        assert booked.get("refund", Decimal(0)) == -refunds  # negative incoming funds
        assert booked.get("bank-charge", Decimal(0)) == charges

        # SQLite: the views give the report's totals; what the pledges promised (less
        # withdrawals) is what is outstanding plus what payments settled.
        database = root.parent / f"{root.name}.sqlite"
        run("export", "--format", "sqlite", "-o", str(database), *common)
        try:
            with closing(sqlite3.connect(database)) as connection:
                view = connection.execute("SELECT * FROM report_totals").fetchone()
                settled = connection.execute(
                    "SELECT COALESCE(SUM(settled_chf_minor), 0) FROM payments"
                ).fetchone()[0]
                by_year = connection.execute(
                    "SELECT SUM(change_in_cash_minor) FROM sources_and_uses_by_year"
                ).fetchone()[0]
                signed_chf = (
                    Decimal(
                        connection.execute(
                            "SELECT COALESCE(SUM(chf_minor), 0) FROM pledges WHERE signed_on IS NOT NULL"
                        ).fetchone()[0]
                    )
                    / 100
                )
                by_donor = {
                    donor: (Decimal(r) / 100, Decimal(p) / 100)
                    for donor, r, p in connection.execute(
                        "SELECT donor_id, received_minor, pledged_minor FROM totals_by_donor"
                    )
                }
        finally:
            database.unlink()
        # What the report does not state (null in its JSON) is NULL in the views, never 0
        # (the views gave 0 before schema 4: the defect of trial finding 4).
        in_chf = [None if minor is None else Decimal(minor) / 100 for minor in view[1:]]
        keys = ("received", "pledged", "exchange_difference", "loans_drawn", "loans_repaid")
        keys += ("expenditure", "support_costs", "other_income", "refunds", "bank_charges")
        stated = report["totals"]
        assert in_chf == [None if stated[k] is None else Decimal(stated[k]) for k in keys]
        assert booked.get("commitment", Decimal(0)) == signed_chf
        promised = booked.get("pledge", Decimal(0)) + booked.get("cancellation", Decimal(0))
        assert promised == pledged + Decimal(settled) / 100
        if stated["cash"] is None:
            assert by_year is None
        else:
            assert Decimal(by_year) / 100 == cash
        for donor, (donor_received, donor_pledged) in by_donor.items():
            assert donor_received == sum(
                (
                    Decimal(e["chf"])
                    for e in report["received"]["entries"]
                    if e["donor_id"] == donor
                ),
                Decimal(0),
            )
            assert donor_pledged == sum(
                (
                    Decimal(e["outstanding_chf"])
                    for e in report["pledged"]["entries"]
                    if e["donor_id"] == donor
                ),
                Decimal(0),
            )

        # HTML
        html = run("report", "--no-cache", "--format", "html", *common)
        page = _Summary()
        page.feed(html)
        assert (figure(page.rows["Received (CHF)"]), figure(page.rows["Pledged (CHF)"])) == (
            received,
            pledged,
        )
        if "Exchange difference on payments (CHF)" in page.rows:
            assert figure(page.rows["of which: realised exchange gains (CHF)"]) == gains
            assert figure(page.rows["of which: realised exchange losses (CHF)"]) == losses
            # Markdown and the terminal's table: the same two lines of the summary.
            for fmt in ("markdown", "table"):
                text = run("report", "--no-cache", "--format", fmt, *common)
                for name, value in (("gains", gains), ("losses", losses)):
                    line = next(x for x in text.splitlines() if f"exchange {name}" in x)
                    last = re.search(r"(-?[0-9][0-9 \u00a0]*)\s*\|?\s*$", line)
                    assert last is not None, line
                    assert Decimal(re.sub(r"[ \u00a0]", "", last.group(1))) == value
        if recorded:
            sheet_of_balance = _Summary("fund_balance")
            sheet_of_balance.feed(html)
            assert figure(sheet_of_balance.rows["Fund balance"]) == balance
            assert figure(sheet_of_balance.rows["Programme support costs"]) == -support

        # Journals: a pledge is a receivable only once its agreement is signed (IPSAS 23);
        # an announced one is a memorandum, its outstanding CHF in the header.
        listed = json.loads(run("pledges", "--format", "json", *common))["pledges"]
        agreed = sum((Decimal(p["outstanding_chf"]) for p in listed if p.get("signed")), Decimal(0))
        expected = {
            "Assets:Fund:Cash": cash,
            "Assets:Pledges": agreed,
            "Expenses": spent + support + refunds + charges,
        }
        beancount_text = run("export", "--format", "beancount", *common)
        assert journal_balances_beancount(beancount_text) == expected
        assert journal_memorandum(beancount_text) == pledged - agreed
        if HLEDGER:
            ledger_text = run("export", "--format", "ledger", *common)
            assert journal_balances_hledger(ledger_text) == expected
            assert journal_memorandum(ledger_text) == pledged - agreed

        # Donor statements, pledges, loan status
        parts = [json.loads(run("donor", d, "--format", "json", *common))["totals"] for d in DONORS]
        assert sum(Decimal(p["received"]) for p in parts) == received
        assert sum(Decimal(p["pledged"]) for p in parts) == pledged
        assert sum(Decimal(p["exchange_difference"]) for p in parts) == exchange
        assert sum(Decimal(p["refunded"] or 0) for p in parts) == refunds
        standing = json.loads(run("pledges", "--format", "json", *common))["pledges"]
        assert sum(Decimal(p["outstanding_chf"]) for p in standing) == pledged
        assert sum(Decimal(p["exchange_difference"]) for p in standing) == exchange
        facilities = json.loads(run("loan", "status", "--format", "json", *common))["facilities"]
        # A facility with nothing recorded shows no figures ("no drawings recorded").
        outstanding = [Decimal(f["outstanding"] or 0) for f in facilities]
        assert sum(outstanding) == totals["loans_outstanding"]
