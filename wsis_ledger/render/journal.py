"""The position as a beancount or hledger/ledger journal.

Every posting is in CHF, so that the balances of the asset accounts are the
report's figures exactly, whatever the currency given:

- a receipt: `Assets:Fund:Cash` takes its booked CHF, from
  `Income:Received:<Donor>`, where the original amount is kept as a total
  price (`62691030 JPY @@ 796835 CHF`);
- a pledge: `Assets:Pledges:Receivable` takes its booked CHF, from
  `Income:Pledged:<Donor>` (the original amount kept the same way);
- a payment of a pledge: cash comes in at what it brought, the receivable goes
  down by the booked CHF it settled, the difference goes to
  `Income:Exchange-Differences`;
- a cancellation: the receivable goes down by what was outstanding on its
  date, reversing `Income:Pledged:<Donor>`;
- loan drawings and repayments move `Assets:Fund:Cash` and
  `Liabilities:Loans:<Facility>`.

- an expenditure: `Expenses:Purposes:<Purpose>` (`Expenses:General` with no
  purpose) takes its CHF, and `Expenses:Support-Costs` its support cost, both
  paid from `Assets:Fund:Cash`.

So at any `--as-of` the balance of `Assets:Pledges:Receivable` is the report's
pledged and that of `Assets:Fund:Cash` the report's cash: the fund balance
(received, less expenditure and support costs) plus loans drawn less
repaid. An entry with no date is dated by its statement and says so
(`date-source: statement`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wsis_ledger.compute.pledges import Settlement
from wsis_ledger.compute.position import EntryRow, Position
from wsis_ledger.core import money
from wsis_ledger.render import escape, provenance

JOURNALS = ("beancount", "ledger")
CASH, RECEIVABLE = "Assets:Fund:Cash", "Assets:Pledges:Receivable"
EXCHANGE = "Income:Exchange-Differences"
SUPPORT_COSTS, GENERAL = "Expenses:Support-Costs", "Expenses:General"


@dataclass(frozen=True)
class Transaction:
    day: date
    payee: str
    narration: str
    postings: tuple[tuple[str, str], ...]  # (account, amount with its currency)
    meta: tuple[tuple[str, str], ...]


def account_part(text: str) -> str:
    """A donor id as an account name component: `ba-f-kommunikation` → `Ba-F-Kommunikation`."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    name = "-".join(w[:1].upper() + w[1:] for w in words) or "Unknown"
    return name if name[0].isalpha() else "D" + name


def journal(position: Position, flavour: str) -> str:
    """The position as a beancount (`flavour="beancount"`) or hledger/ledger journal."""
    transactions = sorted(transactions_of(position), key=lambda t: t.day)
    accounts = sorted({CASH, RECEIVABLE} | {a for t in transactions for a, _ in t.postings})
    # Accounts open on the earliest entry's day, never on the day of the export.
    opened = min((t.day for t in transactions), default=position.as_of)
    made = provenance.now()
    lines = [f"; {escape.one_line(position.fund)}: exported by wsis-ledger", f"; {made.line()}"]
    if position.as_of:
        lines.append(f"; as of {position.as_of.isoformat()}")
    lines += [f"; source: {escape.one_line(line)}" for line in provenance.source_lines(position)]
    lines.append("")
    if flavour == "beancount":
        lines += [
            f'option "title" "{_quote(position.fund)}"',
            'option "operating_currency" "CHF"',
            # beancount turns a total price (@@) into a per-unit one and multiplies
            # back: a residue far below a centime, which this tolerates.
            'option "inferred_tolerance_default" "CHF:0.005"',
            "",
        ]
        if opened is not None:
            lines += [f"{opened.isoformat()} open {account}" for account in accounts]
            lines.append("")
    for transaction in transactions:
        lines += _lines(transaction, flavour == "beancount")
    return "\n".join(lines)


def transactions_of(position: Position) -> Iterable[Transaction]:
    """Every movement of the position, in the order the position lists them."""
    fallback = position.as_of or date.today()
    for row in position.receipts:
        yield _receipt(row, position, fallback)
    for row in position.all_pledges:
        yield _pledge(row, fallback)
        cancellation = _cancellation(row)
        if cancellation is not None:
            yield cancellation
    for loan in position.loans:
        account = f"Liabilities:Loans:{account_part(loan.id)}"
        for move in loan.movements:
            amount = move.amount if move.drawn else -move.amount
            what = f"drawn for {move.use}" if move.drawn else "repaid"
            yield Transaction(
                move.date,
                loan.lender,
                f"{move.id}: {what}",
                ((CASH, _chf(amount)), (account, _chf(-amount))),
                (("id", move.id),),
            )
    yield from expenditure_transactions(position)


def expense_account(purpose: str | None) -> str:
    """`core/fellowships` → `Expenses:Purposes:Core:Fellowships`; no purpose → `Expenses:General`."""
    if not purpose:
        return GENERAL
    return "Expenses:Purposes:" + ":".join(account_part(part) for part in purpose.split("/"))


def expenditure_transactions(position: Position) -> Iterable[Transaction]:
    """Each expenditure and its support cost, paid from cash."""
    for row in position.spending.expenditures:
        postings = [(expense_account(row.purpose), _chf(row.chf))]
        if row.support:
            postings.append((SUPPORT_COSTS, _chf(row.support)))
        postings.append((CASH, _chf(-row.total)))
        meta = [("id", row.id)]
        if row.currency != "CHF":
            meta.append(("original", f"{money.format_amount(row.amount)} {row.currency}"))
        if row.support_rate is not None:
            meta.append(("support-cost-rate", money.format_amount(row.support_rate)))
        yield Transaction(
            row.date,
            row.payee or row.description,
            f"{row.id}: {row.description}",
            tuple(postings),
            tuple(meta),
        )


def _receipt(row: EntryRow, position: Position, fallback: date) -> Transaction:
    postings = [(CASH, _chf(row.chf))]
    settlement = _settlement_of(row, position)
    if settlement is None:
        postings.append((f"Income:Received:{account_part(row.donor_id)}", _original(row, -1)))
        narration = f"{row.id}: received"
    else:
        postings.append((RECEIVABLE, _chf(-settlement.settled_chf)))
        if settlement.exchange_difference:
            postings.append((EXCHANGE, _chf(-settlement.exchange_difference)))
        narration = f"{row.id}: pays pledge {row.pledge}"
    return Transaction(
        _day(row, fallback), row.donor, narration, tuple(postings), _meta(row, fallback)
    )


def _settlement_of(row: EntryRow, position: Position) -> Settlement | None:
    if row.pledge is None:
        return None
    for pledge in position.all_pledges:
        if pledge.id == row.pledge and pledge.standing is not None:
            for settlement in pledge.standing.settlements:
                if settlement.receipt.id == row.id:
                    return settlement
    return None


def _pledge(row: EntryRow, fallback: date) -> Transaction:
    postings = (
        (RECEIVABLE, _chf(row.chf)),
        (f"Income:Pledged:{account_part(row.donor_id)}", _original(row, -1)),
    )
    return Transaction(
        _day(row, fallback), row.donor, f"{row.id}: pledge", postings, _meta(row, fallback)
    )


def _cancellation(row: EntryRow) -> Transaction | None:
    standing = row.standing
    if standing is None or standing.cancelled_on is None or not standing.withdrawn_chf:
        return None
    withdrawn = standing.withdrawn_chf
    postings = (
        (RECEIVABLE, _chf(-withdrawn)),
        (f"Income:Pledged:{account_part(row.donor_id)}", _chf(withdrawn)),
    )
    return Transaction(
        standing.cancelled_on,
        row.donor,
        f"{row.id}: pledge cancelled",
        postings,
        (("id", f"{row.id}-cancelled"),),
    )


def _day(row: EntryRow, fallback: date) -> date:
    return row.dated_by or fallback


def _meta(row: EntryRow, fallback: date) -> tuple[tuple[str, str], ...]:
    meta = [("id", row.id)]
    if row.date is None:
        meta.append(("date-source", row.date_source))
    if row.rate is not None and row.rate.basis != "same-currency":
        meta.append(("rate", f"{money.format_amount(row.rate.value)} ({row.rate.basis})"))
    if row.purpose:
        meta.append(("purpose", row.purpose))
    if row.note:
        meta.append(("note", row.note))
    if row.pledge and row.amount is not None and row.currency:
        meta.append(("original", f"{money.format_amount(row.amount)} {row.currency}"))
    return tuple(meta)


def _chf(amount: Decimal) -> str:
    return f"{money.format_amount(amount)} CHF"


def _original(row: EntryRow, sign: int) -> str:
    """The booked CHF, with the original amount as a total price where it was another currency."""
    if row.amount is not None and row.currency and row.currency != "CHF":
        amount = money.format_amount(sign * row.amount)
        return f"{amount} {row.currency} @@ {money.format_amount(row.chf)} CHF"
    return _chf(sign * row.chf)


def _lines(transaction: Transaction, beancount: bool) -> list[str]:
    day = transaction.day.isoformat()
    if beancount:
        header = f'{day} * "{_quote(transaction.payee)}" "{_quote(transaction.narration)}"'
    else:
        payee, narration = escape.hledger_payee(transaction.payee), transaction.narration
        header = f"{day} * {payee} | {escape.hledger_text(narration)}"
    lines = [header]
    for key, value in transaction.meta:
        lines.append(
            f'  {key}: "{_quote(value)}"'
            if beancount
            else f"    ; {key}: {escape.hledger_text(value)}"
        )
    indent = "  " if beancount else "    "
    lines += [f"{indent}{account}  {amount}" for account, amount in transaction.postings]
    lines.append("")
    return lines


def _quote(text: str) -> str:
    return escape.beancount_string(text)
