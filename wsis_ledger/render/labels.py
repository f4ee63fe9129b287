"""The words of every table: labels, the values a table translates, and which columns
hold CHF amounts (their labels say so).

Every word is a gettext message (`core.language.msg`): its key is the label's key, its
text the English; the six languages' words are in `wsis_ledger/locale/*/LC_MESSAGES`.
To add a label: a line `"key": msg("key", "English"),` at the end of its block, then the
translator's workflow of docs/development.md (`python scripts/catalogs.py`, then each
`.po`'s new `msgstr`); `tests/test_catalogs.py` says what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from wsis_ledger.core.language import Message, msg, number, translate

LABELS: dict[str, Message] = {
    "id": msg("id", "Id"),
    "donor": msg("donor", "Donor"),
    "original": msg("original", "Original"),
    "rate": msg("rate", "Rate (CHF per unit)"),
    "chf": msg("chf", "CHF"),
    "settled_chf": msg("settled_chf", "Settled (CHF at booking)"),
    "outstanding_chf": msg("outstanding_chf", "Outstanding (CHF)"),
    "status": msg("status", "Status"),
    "lender": msg("lender", "Lender"),
    "ceiling": msg("ceiling", "Up to (CHF)"),
    "seconded_by": msg("seconded_by", "Seconded by"),
    "experts": msg("experts", "Experts"),
    "part_time": msg("part_time", "part-time"),
    "salaries_paid_by": msg("salaries_paid_by", "salaries paid by"),
    "provided_by": msg("provided_by", "Provided by"),
    "items": msg("items", "What"),
    "full_time": msg("full_time", "Full-time"),
    "part_time_staff": msg("part_time_staff", "Part-time"),
    "units": msg("units", "Other"),
    "what": msg("what", "What"),
    "total": msg("total", "Total"),
    "as_of": msg("as_of", "as of"),
    "received": msg("received", "Received"),
    "pledged": msg("pledged", "Pledged"),
    "received_and_pledged": msg("received_and_pledged", "Received and pledged"),
    "exchange_difference": msg("exchange_difference", "Exchange difference on payments"),
    "budget": msg("budget", "Budget estimate"),
    "coverage": msg("coverage", "Coverage of the estimate"),
    "gap": msg("gap", "Still to find"),
    "surplus": msg("surplus", "Beyond the estimate"),
    "loan_ceiling": msg("loan_ceiling", "Loan ceiling (not money received)"),
    "loans_outstanding": msg("loans_outstanding", "Loans outstanding"),
    "cash": msg("cash", "Cash (received, plus loans outstanding)"),
    "experts_summary": msg("experts_summary", "Seconded experts: full-time / part-time"),
    "direct": msg("direct", "Direct support outside the fund"),
    "derived": msg("derived", "derived"),
    "cancelled": msg("cancelled", "Cancelled, not counted"),
    "phase": msg("phase", "Phase"),
    "drawn": msg("drawn", "Drawn"),
    "repaid": msg("repaid", "Repaid"),
    "outstanding": msg("outstanding", "Outstanding"),
    "purpose": msg("purpose", "Purpose"),
    "purposes": msg("purposes", "By purpose"),
    "no_purpose": msg("no_purpose", "(no purpose stated)"),
    "reassigned": msg("reassigned", "reassigned to the stated use with the donor's agreement"),
    # Expenditure and the fund balance (compute.spending).
    "expenditure_heading": msg("expenditure_heading", "Expenditure"),
    "expenditures": msg("expenditures", "Expenditures"),
    "earmarks": msg("earmarks", "By purpose: received, spent and left"),
    "budget_lines": msg("budget_lines", "Budget against actual"),
    "fund_balance": msg("fund_balance", "Fund balance"),
    "date": msg("date", "Date"),
    "description": msg("description", "Description"),
    "payee": msg("payee", "Payee"),
    "expenditure": msg("expenditure", "Expenditure"),
    "support_costs": msg("support_costs", "Programme support costs"),
    "balance": msg("balance", "Balance"),
    "budget_line": msg("budget_line", "Budget line"),
    "line_budget": msg("line_budget", "Budget"),
    "lines_total": msg("lines_total", "Budget lines"),
    "remaining": msg("remaining", "Remaining"),
    "percent_used": msg("percent_used", "Used"),
    "outside_lines": msg("outside_lines", "Outside the budget lines"),
    "cash_balance": msg("cash_balance", "Cash (fund balance, plus loans outstanding)"),
    "pledges_apart": msg("pledges_apart", "Pledges outstanding (promises, not cash)"),
    "no_expenditure": msg(
        "no_expenditure",
        "No expenditure is recorded in this ledger: what the fund spent cannot be stated from it.",
    ),
    "no_fund_balance": msg(
        "no_fund_balance",
        "No expenditure is recorded in this ledger, so no fund balance is stated.",
    ),
    "no_support_rate": msg(
        "no_support_rate", "The fund states no support cost rate: no support costs are charged."
    ),
    "note": msg("note", "Note"),
    "reading_mark": msg(
        "reading_mark",
        "† the ledger's reading of the name the source prints, not the source's own words",
    ),
    "not_attributed": msg("not_attributed", "no contributions are attributed to it"),
    "no_drawings": msg("no_drawings", "no drawings recorded"),
    "differences": msg("differences", "Printed totals that differ from their rows"),
    "acknowledged_differences": msg(
        "acknowledged_differences", "Printed totals that differ from their rows, acknowledged"
    ),
    "acknowledged": msg("acknowledged", "Acknowledged"),
    "signed": msg("signed", "Signed"),
    "fallen_due": msg("fallen_due", "Fallen due"),
    "overdue": msg("overdue", "Overdue"),
    "next_due": msg("next_due", "Next due"),
    "next_due_amount": msg("next_due_amount", "Next instalment"),
    "statement": msg("statement", "Statement"),
    "stated": msg("stated", "Printed"),
    "computed": msg("computed", "Rows add up to"),
    "difference": msg("difference", "Difference"),
    "state": msg("state", "State"),
    "sources": msg("sources", "Sources"),
    "source": msg("source", "Source"),
    "history": msg("history", "At each statement's date"),
    "item": msg("item", "Item"),
    "detail": msg("detail", "Detail"),
    "reading_short": msg("reading_short", "† the ledger's reading, not the source's words."),
    # The `donor` and `pledges` tables.
    "kind": msg("kind", "Kind"),
    "amount": msg("amount", "Amount"),
    "currency": msg("currency", "Currency"),
    "paid": msg("paid", "Paid"),
    "paid_chf": msg("paid_chf", "Paid (CHF)"),
    "remaining_chf": msg("remaining_chf", "Remaining (CHF)"),
    "age_days": msg("age_days", "Age (days)"),
    "age_from": msg("age_from", "Aged from"),
    "age_at_least": msg("age_at_least", "at least {days}"),
    "age_band": msg("age_band", "Age band"),
    "pledge_count": msg("pledge_count", "Pledges"),
    "exchange_difference_chf": msg("exchange_difference_chf", "Exchange difference (CHF)"),
    "reference_rate": msg("reference_rate", "Reference rate (CHF per unit)"),
    "reference_date": msg("reference_date", "Reference date"),
    "revalued_chf": msg("revalued_chf", "Revalued (CHF)"),
    "revaluation": msg("revaluation", "Revaluation (CHF)"),
    "percent_used_pct": msg("percent_used_pct", "Used (%)"),
    "used_by": msg("used_by", "Used by"),
    "basis": msg("basis", "Basis"),
    "which_total": msg("which_total", "Total"),
    "entry": msg("entry", "Entry"),
    "deviation_percent": msg("deviation_percent", "Deviation (%)"),
    "chf_at_reference": msg("chf_at_reference", "At the reference rate"),
    "within_before": msg("within_before", "Within tolerance before"),
    "within_after": msg("within_after", "Within tolerance after"),
    "figure": msg("figure", "Figure"),
    "none_recorded": msg("none_recorded", "None recorded."),
    "closed_all": msg(
        "closed_all",
        "This period is closed: the records dated on or before {through} were closed by "
        "{by} ({closing}, recorded {at}) and may not change.",
    ),
    "closed_part": msg(
        "closed_part",
        "Closed through {through} by {by} ({closing}, recorded {at}): the records dated "
        "on or before that day may not change.",
    ),
    "unapproved": msg(
        "unapproved",
        "Awaiting a second person's approval: {count} record(s), {chf} CHF ({ids}); "
        "counted in the figures above.",
    ),
    "unknown_person": msg("unknown_person", "someone not recorded"),
    # Other income, refunds to donors and bank charges (compute.cash_movements).
    "cash_movements": msg("cash_movements", "Other income, refunds to donors and bank charges"),
    "other_income": msg("other_income", "Interest and other income"),
    "refunds": msg("refunds", "Refunds to donors"),
    "bank_charges": msg("bank_charges", "Bank charges"),
    "interest": msg("interest", "interest"),
    "other": msg("other", "other"),
    # The exchange difference on payments, split (the report's summary).
    # Shown under the exchange difference, as its parts: never read as a second amount.
    "exchange_gains": msg("exchange_gains", "of which: realised exchange gains"),
    "exchange_losses": msg("exchange_losses", "of which: realised exchange losses"),
    # The columns of `log` (who recorded what, when, in which file).
    "recorded_at": msg("recorded_at", "Recorded at (UTC)"),
    "recorded_by": msg("recorded_by", "Recorded by"),
    "party": msg("party", "Donor or payee"),
    "file": msg("file", "File"),
    "line": msg("line", "Line"),
    "commit": msg("commit", "Commit"),
    "author": msg("author", "Author"),
    "warning": msg("warning", "Warning"),
    # The columns of `import`'s table and summary.
    "import_status": msg("import_status", "Status"),
    "row_type": msg("row_type", "Type"),
    "reference": msg("reference", "Reference"),
    "pledge": msg("pledge", "Pledge"),
    "rows_added": msg("rows_added", "Rows added"),
    "amount_added": msg("amount_added", "Amount added"),
    "rows_present": msg("rows_present", "Rows already in the ledger"),
    "amount_present": msg("amount_present", "Amount already in the ledger"),
}

#: Words a table shows as values (a status, a kind of row, an age band), translated.
#: CSV and JSON keep them in English: they are part of those stable interfaces.
VALUES: dict[str, Message] = {
    "received": msg("value", "received"),
    "pledged": msg("value", "pledged"),
    "seconded": msg("value", "seconded"),
    "facilities": msg("value", "facilities"),
    "staff": msg("value", "staff"),
    "direct support": msg("value", "direct support"),
    "open": msg("value", "open"),
    "partly paid": msg("value", "partly paid"),
    "paid": msg("value", "paid"),
    "cancelled": msg("value", "cancelled"),
    "statement": msg("value", "statement"),
    "pledge": msg("value", "pledge"),
    "experts": msg("value", "experts"),
    "up to 90 days": msg("value", "up to 90 days"),
    "91-180 days": msg("value", "91-180 days"),
    "181-365 days": msg("value", "181-365 days"),
    "over a year": msg("value", "over a year"),
    "age not stated": msg("value", "age not stated"),
    "total": msg("value", "total"),
    "part-time": msg("value", "part-time"),
    "loan facility": msg("value", "loan facility"),
    "loan drawing": msg("value", "loan drawing"),
    "loan repayment": msg("value", "loan repayment"),
    "salaries paid": msg("value", "salaries paid"),
    # Donor kinds (the ledger's classification), as a reader of each language would name them.
    "government": msg("value", "government"),
    "un-system": msg("value", "un-system"),
    "intergovernmental": msg("value", "intergovernmental"),
    "private-sector": msg("value", "private-sector"),
    "civil-society": msg("value", "civil-society"),
    "administrator": msg("value", "administrator"),
    "unspecified": msg("value", "unspecified"),
    # The rows of `budget` that are not a line.
    "outside the lines": msg("value", "outside the lines"),
    # A statement's state (`statements`).
    "agrees": msg("value", "agrees"),
    "acknowledged": msg("value", "acknowledged"),
    "differs": msg("value", "differs"),
    "no printed totals": msg("value", "no printed totals"),
    # The accounts' basis (`fund.basis`).
    "cash": msg("value", "cash"),
    "modified accrual": msg("value", "modified accrual"),
    # A row of a donor's statement: money refunded to it.
    "refund": msg("value", "refund"),
    # How a rate came to be (`rates list`), and the row of the rates table.
    "recorded": msg("value", "recorded"),
    "table": msg("value", "table"),
    "given": msg("value", "given"),
    "rates table": msg("value", "rates table"),
    # A row of `import`: whether it is new (the types are the ledger's own words).
    "added": msg("value", "added"),
    "would add": msg("value", "would add"),
    "already in the ledger": msg("value", "already in the ledger"),
    "receipt": msg("value", "receipt"),
    "expenditure": msg("value", "expenditure"),
    "derived": msg("value", "derived"),
}

#: Currencies by the source's own words for them in Chinese (the annex: "62 691 030日元",
#: "500美元", "170 000欧元", "1 000 000加元", "瑞士法郎"); the other languages keep the ISO code.
CURRENCIES: dict[str, Message] = {
    "JPY": msg("currency_code", "JPY"),
    "USD": msg("currency_code", "USD"),
    "EUR": msg("currency_code", "EUR"),
    "CAD": msg("currency_code", "CAD"),
    "CHF": msg("currency_code", "CHF"),
}
VALUES.update(CURRENCIES)

#: An amount and its currency: `62 691 030 JPY`, in Chinese as the source prints it, `62 691 030日元`.
MONEY = msg("money", "{amount} {currency}")
#: A count of experts: in Chinese as the source prints it (`3名专家`).
EXPERTS = msg("experts_count", "{count}")
#: The unit a CHF amount's column or summary label ends with.
CHF_UNIT = msg("chf_unit", " (CHF)")
#: Between the items of a list in a sentence (`、` in Chinese).
LIST_SEPARATOR = msg("list_separator", ", ")
#: Between the clauses of a detail (`；` in Chinese, `؛` in Arabic).
CLAUSE_SEPARATOR = msg("clause_separator", "; ")


def currency_name(code: str, lang: str) -> str:
    """A currency as an output in `lang` names it: the source's word in Chinese, else its code."""
    known = CURRENCIES.get(code)
    return translate(known, lang) if known else code


def money_text(amount: Decimal, code: str, lang: str) -> str:
    """`62 691 030 JPY`, or as the source prints it in Chinese, `62 691 030日元`."""
    text = translate(MONEY, lang)
    return text.format(amount=number(amount, lang), currency=currency_name(code, lang))


def experts_text(count: int, lang: str) -> str | int:
    """A count of experts: in Chinese as the source prints it (`3名专家`), else the number."""
    text = translate(EXPERTS, lang)
    return count if text == EXPERTS.text else text.format(count=count)


def listed(items: Sequence[str], lang: str) -> str:
    """Items of a list in a sentence, as `lang` separates them."""
    return translate(LIST_SEPARATOR, lang).join(items)


def clauses(parts: Sequence[str], lang: str) -> str:
    """The clauses of a detail, as `lang` separates them."""
    return translate(CLAUSE_SEPARATOR, lang).join(parts)


def value_word(value: str, lang: str) -> str:
    """A value a table shows (a status, a kind), in `lang`; a value not listed stays as it is."""
    known = VALUES.get(value)
    return translate(known, lang) if known else value


def table_values(
    rows: Sequence[dict[str, object]], columns: Sequence[str], lang: str
) -> list[dict[str, object]]:
    """`rows` with the words of `columns` as a table in `lang` shows them."""
    if lang == "en":
        return [dict(row) for row in rows]
    return [
        {
            k: value_word(v, lang) if k in columns and isinstance(v, str) else v
            for k, v in row.items()
        }
        for row in rows
    ]


#: Marks a name that is the ledger's reading, not the source's words.
READING_MARK = "†"


def label(key: str, lang: str) -> str:
    """A column or summary label in `lang`."""
    return translate(LABELS[key], lang)


def field_headings(fields: dict[str, str], lang: str) -> dict[str, str]:
    """The headings of a table of named fields (`field: its label's key`): each field's
    label, a CHF amount's with its currency, as the report heads the same columns."""
    return {
        field: amount_label(key, lang) if key in CHF_AMOUNTS else label(key, lang)
        for field, key in fields.items()
    }


def in_chf(text: str, lang: str) -> str:
    """A label that says its figures are CHF amounts."""
    return text + translate(CHF_UNIT, lang)


def amount_label(key: str, lang: str) -> str:
    """The label of a column of CHF amounts, with its currency (once: a label whose English
    names CHF already says so in every language)."""
    text = label(key, lang)
    return text if "CHF" in LABELS[key].text else in_chf(text, lang)


#: Columns of CHF amounts: their labels say so.
CHF_AMOUNTS = {"chf", "settled_chf", "outstanding_chf", "ceiling", "drawn", "repaid"}
CHF_AMOUNTS |= {"outstanding", "received", "pledged", "total", "expenditure", "support_costs"}
CHF_AMOUNTS |= {"balance", "line_budget", "remaining", "stated", "computed", "difference"}
CHF_AMOUNTS |= {"chf_at_reference"}
