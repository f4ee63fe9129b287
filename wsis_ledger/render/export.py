"""The ledger for other tools: beancount and hledger/ledger journals, and Excel.

Journals: every contribution and pledge is a transaction in CHF that keeps
the original amount and its booked CHF as a total price (`@@`); donors are
accounts (`Income:Received:Japan`, `Income:Pledged:Canada`). A receipt goes
to `Assets:Fund:Cash`, a pledge to `Assets:Pledges:Receivable`, so that the
balances of `Income:Received` and `Income:Pledged` are the report's received
and pledged totals. Loan drawings and repayments move `Liabilities:Loans`.
An entry with no date is dated by its statement (else the ledger's date), as
the report counts it.

Excel: one sheet per section, amounts as numbers with CHF number formats,
totals as `SUM` formulas over the rows above; text that a spreadsheet would
run as a formula is stored as text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from wsis_ledger.compute import conversion
from wsis_ledger.compute.report import Report, as_of
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Entry, LoanDrawing, LoanRepayment, Pledge

JOURNALS = ("beancount", "ledger")


def account_part(text: str) -> str:
    """A donor id as an account name component: `ba-f-kommunikation` → `Ba-F-Kommunikation`."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    name = "-".join(w[:1].upper() + w[1:] for w in words) or "Unknown"
    return name if name[0].isalpha() else "D" + name


def _entry_date(ledger: Ledger, entry: Entry, fallback: date) -> date:
    if entry.date is not None:
        return entry.date
    statements = {s.id: s.as_of for s in ledger.statements}
    return statements.get(entry.statement or "", fallback)


def journal(ledger: Ledger, flavour: str) -> str:
    """The ledger as a beancount (`flavour="beancount"`) or hledger/ledger journal."""
    unit = ledger.fund.booking_unit
    today = as_of(ledger) or date.today()
    beancount = flavour == "beancount"
    transactions: list[tuple[date, str, list[str], list[tuple[str, str]]]] = []
    accounts: set[str] = {"Assets:Fund:Cash", "Assets:Pledges:Receivable"}
    for entry in ledger.entries:
        pledge = isinstance(entry, Pledge)
        chf = conversion.chf_value(entry, unit, ledger)
        assert chf is not None, "checks refuse entries that cannot be valued"
        income = f"Income:{'Pledged' if pledge else 'Received'}:{account_part(entry.donor)}"
        asset = "Assets:Pledges:Receivable" if pledge else "Assets:Fund:Cash"
        accounts.update((income, asset))
        original = ""
        if entry.amount is not None and entry.currency and entry.currency != "CHF":
            original = f"{money.format_amount(entry.amount)} {entry.currency} @@ {money.format_amount(chf)} CHF"
        value = original or f"{money.format_amount(chf)} CHF"
        rate = conversion.entry_rate(entry, ledger)
        meta = [("id", entry.id)]
        if rate is not None and rate.basis != "same-currency":
            meta.append(("rate", f"{money.format_amount(rate.value)} ({rate.basis})"))
        if entry.purpose:
            meta.append(("purpose", ledger.purpose_of.get(entry.id) or entry.purpose))
        name = ledger.donor_name(entry.donor)
        what = f"{entry.id}: {'pledge' if pledge else 'received'}"
        transactions.append(
            (
                _entry_date(ledger, entry, today),
                _header(name, what, beancount),
                [f"{asset}  {value}", f"{income}  {money.format_amount(-chf)} CHF"],
                meta,
            )
        )
    movements: tuple[LoanDrawing | LoanRepayment, ...] = (
        *ledger.loan_drawings,
        *ledger.loan_repayments,
    )
    for movement in movements:
        account = f"Liabilities:Loans:{account_part(movement.facility)}"
        accounts.add(account)
        amount = money.format_amount(movement.amount)
        drawn = isinstance(movement, LoanDrawing)
        what = f"drawn for {movement.use}" if isinstance(movement, LoanDrawing) else "repaid"
        cash, loan = (amount, f"-{amount}") if drawn else (f"-{amount}", amount)
        lender = ledger.donor_name(_lender(ledger, movement.facility))
        transactions.append(
            (
                movement.date,
                _header(lender, f"{movement.id}: {what}", beancount),
                [f"Assets:Fund:Cash  {cash} CHF", f"{account}  {loan} CHF"],
                [("id", movement.id)],
            )
        )
    transactions.sort(key=lambda t: t[0])
    opened = min((t[0] for t in transactions), default=today)
    lines = [f"; {ledger.fund.name.en}: exported by wsis-ledger", ""]
    if beancount:
        lines += [
            f'option "title" "{_quote(ledger.fund.name.en)}"',
            'option "operating_currency" "CHF"',
            # beancount turns a total price (@@) into a per-unit one and multiplies
            # back: a residue far below a centime, which this tolerates.
            'option "inferred_tolerance_default" "CHF:0.005"',
            "",
        ]
        lines += [f"{opened.isoformat()} open {account}" for account in sorted(accounts)]
        lines.append("")
    for day, header, postings, meta in transactions:
        lines.append(f"{day.isoformat()} {header}")
        for key, value in meta:
            lines.append(f'  {key}: "{_quote(value)}"' if beancount else f"    ; {key}: {value}")
        lines += [f"  {posting}" if beancount else f"    {posting}" for posting in postings]
        lines.append("")
    return "\n".join(lines)


def _header(payee: str, narration: str, beancount: bool) -> str:
    if beancount:
        return f'* "{_quote(payee)}" "{_quote(narration)}"'
    return f"* {payee.replace('|', '/')} | {narration}"


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _lender(ledger: Ledger, facility_id: str) -> str:
    facility = next((f for f in ledger.loan_facilities if f.id == facility_id), None)
    return facility.lender if facility else facility_id


# --- Excel ---------------------------------------------------------------------

CHF_FORMAT = "#,##0"
AMOUNT_FORMATS = {0: "#,##0", 2: "#,##0.00"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xlsx(report: Report) -> bytes:
    """The report as an Excel workbook: one sheet per section."""
    import io

    from openpyxl import Workbook  # only `export --format xlsx` pays for openpyxl
    from openpyxl.styles import Font

    from wsis_ledger.render.text import label

    lang = report.lang
    book = Workbook()
    for default in list(book.worksheets):
        book.remove(default)
    bold = Font(bold=True)
    for key, rows in (("received", report.received), ("pledged", report.pledged)):
        sheet = book.create_sheet(_sheet_title(report.headings[key]))
        headers = [
            "id",
            label("donor", lang),
            "donor id",
            label("original", lang),
            "currency",
            label("rate", lang),
            "rate (exact text)",
            "rate basis",
            label("chf", lang),
            "purpose",
            "date",
        ]
        _append(sheet, headers)
        for row in rows:
            _append(
                sheet,
                [
                    row.id,
                    row.donor,
                    row.donor_id,
                    row.amount,
                    row.currency,
                    row.rate.value if row.rate else None,
                    money.format_amount(row.rate.value) if row.rate else None,
                    row.rate.basis if row.rate else None,
                    row.chf,
                    row.purpose,
                    row.date,
                ],
            )
            places = money.minor_unit(row.currency) if row.currency else 2
            sheet.cell(sheet.max_row, 4).number_format = AMOUNT_FORMATS.get(places, "#,##0.00")
            sheet.cell(sheet.max_row, 9).number_format = CHF_FORMAT
            if row.date:
                sheet.cell(sheet.max_row, 11).number_format = "yyyy-mm-dd"
        last = sheet.max_row
        _append(sheet, [None, report.headings[f"{key}_total"]])
        sheet.cell(sheet.max_row, 9).value = f"=SUM(I2:I{last})" if last >= 2 else 0
        sheet.cell(sheet.max_row, 9).number_format = CHF_FORMAT
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    loans = book.create_sheet(_sheet_title(report.headings["loans"]))
    _append(
        loans,
        [
            "id",
            label("lender", lang),
            label("phase", lang),
            label("ceiling", lang),
            label("drawn", lang),
            label("repaid", lang),
            label("outstanding", lang),
        ],
    )
    for loan in report.loans:
        _append(
            loans,
            [
                loan.id,
                loan.lender,
                loan.phase,
                loan.ceiling,
                loan.drawn,
                loan.repaid,
                loan.outstanding,
            ],
        )
        for column in range(4, 8):
            loans.cell(loans.max_row, column).number_format = CHF_FORMAT
    seconded = book.create_sheet(_sheet_title(report.headings["seconded"]))
    _append(
        seconded,
        [
            label("seconded_by", lang),
            label("experts", lang),
            label("part_time", lang),
            label("salaries_paid_by", lang),
        ],
    )
    for staff in report.seconded:
        _append(
            seconded,
            [staff.donor, staff.full_time + staff.part_time, staff.part_time > 0, staff.paid_by],
        )
    facilities = book.create_sheet(_sheet_title(report.headings["facilities"]))
    _append(facilities, [label("provided_by", lang), label("items", lang)])
    for facility in report.facilities:
        _append(facilities, [facility.donor, "; ".join(facility.items)])
    staff_sheet = book.create_sheet(_sheet_title(report.headings["staff"]))
    _append(
        staff_sheet,
        ["", label("full_time", lang), label("part_time_staff", lang), label("units", lang)],
    )
    for staff in report.staff:
        _append(
            staff_sheet, [staff.donor, staff.full_time, staff.part_time, "; ".join(staff.units)]
        )
    summary = book.create_sheet(_sheet_title(report.headings["summary"]))
    _append(summary, ["", label("chf", lang)])
    for name, value in (
        ("received", report.totals.received),
        ("pledged", report.totals.pledged),
        ("received_and_pledged", report.totals.received_and_pledged),
        ("loan_ceiling", report.totals.loan_ceiling),
    ):
        _append(summary, [label(name, lang), value])
        summary.cell(summary.max_row, 2).number_format = CHF_FORMAT
    for sheet in book.worksheets:
        for cells in sheet.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in cells)
            letter = cells[0].column_letter  # type: ignore[union-attr]
            sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        for cell in sheet[1]:
            cell.font = bold
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet: Any, values: list[Any]) -> None:
    """Append a row; text that looks like a formula stays text (openpyxl would make it one)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"
            cell.quotePrefix = True


def _sheet_title(heading: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", heading).strip()
    return title[:31] or "Sheet"
