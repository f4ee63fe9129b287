"""The position as a beancount or hledger/ledger journal.

Every posting is in CHF, so that the balances of the accounts are the figures
of `report` and `accounts` exactly, whatever the currency given. Each account
is one line of them (`tests/test_accounts.py` checks the balances hledger and
beancount compute against both, at several dates):

| account | `report` | `accounts` |
| --- | --- | --- |
| `Assets:Fund:Cash` | cash | closing balance; cash |
| `Assets:Pledges:Signed` | pledged with a signed agreement (`agreed`) | contributions receivable (modified accrual) |
| `Income:Received` (all below) | received | |
| `Income:Received:Contributions:<Donor>` | | contributions received, by donor |
| `Income:Received:Exchange-Gains` | exchange difference (with the next) | realised exchange gains |
| `Income:Received:Exchange-Losses` | | realised exchange losses |
| `Income:Agreed:<Donor>` | pledged with a signed agreement, by donor | contributions receivable |
| `Liabilities:Loans:<Facility>` | loans outstanding | loans payable |
| `Expenses:Purposes:<Purpose>`, `Expenses:General` | expenditure | expenditure by purpose |
| `Expenses:Support-Costs` | support costs | programme support costs |
| `Income:Other:Interest`, `Income:Other:Other` | other income | interest and other income |
| `Expenses:Refunds:<Donor>` | refunds | refunds to donors |
| `Expenses:Bank-Charges` | bank charges | bank charges |

Pledges are booked as UN trust funds book them (IPSAS 23): an announced
pledge is neither revenue nor a receivable until a binding agreement is
signed. So:

- an announced pledge (no agreement signed) is a memorandum, never a posting:
  comment lines (`; memorandum`) at its date give its id, donor and booked
  CHF, and the header gives what announced pledges have outstanding (the
  report's pledged less its agreed), the notes of `accounts`;
- a signed agreement is revenue and a receivable: on the day it is signed
  (or its pledge's own date, when signed by then) `Assets:Pledges:Signed`
  takes what was then outstanding, in CHF, from `Income:Agreed:<Donor>`
  (a payment of that very day comes before the signing);
- a receipt: cash takes its booked CHF from its donor's contributions, the
  original amount kept as a total price (`62691030 JPY @@ 796835 CHF`);
- a payment of a pledge: cash comes in at what it brought (at its own rate);
  the donor's contributions take the booked CHF it settled, and the
  difference is a realised exchange gain or loss; where the pledge's
  agreement was signed, the receivable goes down by the booked CHF settled
  (and `Income:Agreed:<Donor>` as much: that part is now received);
- a cancellation of a signed agreement takes what was outstanding off the
  receivable and `Income:Agreed:<Donor>`; of an announced pledge, a memorandum;
- loan drawings and repayments move cash and `Liabilities:Loans:<Facility>`;
- an expenditure: its purpose's expense account takes its CHF, and
  `Expenses:Support-Costs` its support cost, both paid from cash;
- other income comes into cash; a refund and a bank charge are paid from it.

So `Income` (at cost, in CHF) is the revenue of a modified accrual basis:
contributions received, signed agreements not yet paid, and other income.

Net assets are cash + signed pledges + the loans' (negative) balance (on a
`cash` basis `accounts` discloses signed agreements too: its net assets are
then without `Assets:Pledges:Signed`). An entry
with no date is dated by its statement and says so (`date-source: statement`).
Every donor, facility and purpose has an account of its own (`AccountNames`);
every account and currency is declared, so `hledger check -s` and `bean-check`
pass.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wsis_ledger.compute.pledges import Settlement
from wsis_ledger.compute.position import EntryRow, Position
from wsis_ledger.core import money
from wsis_ledger.render import escape, provenance
from wsis_ledger.render.json_out import not_stated_totals

JOURNALS = ("beancount", "ledger")
CASH = "Assets:Fund:Cash"
SIGNED = "Assets:Pledges:Signed"
AGREED = "Income:Agreed"
#: What the header says of balances the report does not state.
UNKNOWN_BALANCES = (
    "the accounts holding them (Assets:Fund:Cash with no expenditure recorded) add up only "
    "the entries recorded: no figure of the fund's"
)
#: Why an announced pledge is a memorandum, not a posting (IPSAS 23).
NOT_REVENUE = "not revenue nor a receivable until an agreement is signed"
GAINS = "Income:Received:Exchange-Gains"
LOSSES = "Income:Received:Exchange-Losses"
SUPPORT_COSTS, GENERAL = "Expenses:Support-Costs", "Expenses:General"
OTHER_INCOME, BANK_CHARGES = "Income:Other", "Expenses:Bank-Charges"
REFUNDS = "Expenses:Refunds"


@dataclass(frozen=True)
class Transaction:
    day: date
    payee: str
    narration: str
    postings: tuple[tuple[str, str], ...]  # (account, amount with its currency)
    meta: tuple[tuple[str, str], ...]
    #: A memorandum (an announced pledge, its cancellation): comment lines, no posting.
    memo: bool = False


class JournalError(Exception):
    """Two ids would become one account: the export stops rather than merge their balances."""


def account_part(text: str) -> str:
    """An id as an account name component: `ba-f-kommunikation` → `Ba-F-Kommunikation`.

    Readable, not one to one (`ab.c` and `ab-c` give the same): `AccountNames`
    adds a suffix where two ids would meet.
    """
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    name = "-".join(w[:1].upper() + w[1:] for w in words) or "Unknown"
    return name if name[0].isalpha() else "D" + name


def distinct_parts(ids: Iterable[str]) -> dict[str, str]:
    """Each id's account name component, no two the same.

    An id keeps its readable part (`account_part`) unless another id would meet
    it there (or in a case-insensitive comparison: some file systems and tools
    fold case); then each of them takes a suffix from a SHA-256 of the id itself
    (`Ab-C-X3f9a1c`), lengthened until every name is distinct. Should any two
    still meet, `JournalError`: never two balances in one account.
    """
    wanted = sorted(set(ids))
    names = {i: account_part(i) for i in wanted}
    for length in (6, 12, 24, 64):
        groups: dict[str, list[str]] = {}
        for i in wanted:
            groups.setdefault(names[i].casefold(), []).append(i)
        clashing = [i for group in groups.values() if len(group) > 1 for i in group]
        if not clashing:
            return names
        for i in clashing:
            names[i] = f"{account_part(i)}-X{_digest(i)[:length]}"
    groups = {}
    for i in wanted:
        groups.setdefault(names[i].casefold(), []).append(i)
    clash = next(group for group in groups.values() if len(group) > 1)
    raise JournalError(
        f"ids {', '.join(map(repr, clash))} would share the journal account {names[clash[0]]!r}"
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def distinct_purposes(purposes: Iterable[str]) -> dict[str, str]:
    """Each purpose path (and every level above it) as account components, no two the same.

    `core/fellowships` → `Core:Fellowships`; siblings that would meet
    (`a_b` and `a-b`) are told apart as `distinct_parts` does, level by level,
    so a parent's balance never holds another purpose's children.
    """
    levels: set[str] = set()
    for purpose in purposes:
        parts = purpose.split("/")
        levels.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    names: dict[str, str] = {}
    for depth in sorted({level.count("/") for level in levels}):
        siblings: dict[str, list[str]] = {}
        for level in levels:
            if level.count("/") == depth:
                parent = level.rsplit("/", 1)[0] if "/" in level else ""
                siblings.setdefault(parent, []).append(level)
        for parent, group in siblings.items():
            own_parts = distinct_parts(level.rsplit("/", 1)[-1] for level in group)
            for level in group:
                own = own_parts[level.rsplit("/", 1)[-1]]
                names[level] = f"{names[parent]}:{own}" if parent else own
    return names


@dataclass(frozen=True)
class AccountNames:
    """Every donor, facility and purpose of a position as its own journal account."""

    donors: dict[str, str]
    facilities: dict[str, str]
    purposes: dict[str, str]

    @classmethod
    def of(cls, position: Position) -> AccountNames:
        return cls(
            donors=distinct_parts(
                (
                    *(r.donor_id for r in (*position.receipts, *position.all_pledges)),
                    *(m.donor_id for m in position.movements.refunds if m.donor_id),
                )
            ),
            facilities=distinct_parts(loan.id for loan in position.loans),
            purposes=distinct_purposes(
                row.purpose for row in position.spending.expenditures if row.purpose
            ),
        )

    def expense(self, purpose: str | None) -> str:
        """`core/fellowships` → `Expenses:Purposes:Core:Fellowships`; none → `Expenses:General`."""
        return f"Expenses:Purposes:{self.purposes[purpose]}" if purpose else GENERAL


def journal(position: Position, flavour: str) -> str:
    """The position as a beancount (`flavour="beancount"`) or hledger/ledger journal."""
    names = AccountNames.of(position)
    transactions = sorted(transactions_of(position, names), key=lambda t: t.day)
    accounts = sorted({CASH, SIGNED} | {a for t in transactions for a, _ in t.postings})
    currencies = {
        word
        for t in transactions
        for _, amount in t.postings
        for word in amount.split()
        if word.isalpha()
    }
    # Accounts open on the earliest entry's day, never on the day of the export.
    opened = min((t.day for t in transactions), default=position.as_of)
    made = provenance.now()
    lines = [f"; {escape.one_line(position.fund)}: exported by wsis-ledger", f"; {made.line()}"]
    if position.as_of:
        lines.append(f"; as of {position.as_of.isoformat()}")
    lines += [f"; source: {escape.one_line(line)}" for line in provenance.source_lines(position)]
    lines += memorandum_lines(position)
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
    else:  # declared, so that `hledger check -s` (strict) passes
        lines += [f"account {account}" for account in accounts]
        lines += [f"commodity {currency}" for currency in sorted({"CHF", *currencies})]
        lines.append("")
    for transaction in transactions:
        lines += _lines(transaction, flavour == "beancount")
    return "\n".join(lines)


def memorandum_lines(position: Position) -> list[str]:
    """The header's memorandum: what pledges have outstanding, signed and announced; the
    ledger's notes, and the totals the position cannot state (before a cumulative
    statement's date: what its undated entries held is unknown, so are the balances
    below, which hold only the dated entries)."""
    totals = position.totals
    notes = [f"; note: {escape.one_line(note)}" for note in position.ledger_notes]
    if position.cumulative_on is not None:
        unknown = ", ".join(sorted(position.unstated))
        notes.append(
            f"; not stated (cumulative as of {position.cumulative_on.isoformat()}): {unknown}"
        )
    nulls = not_stated_totals(position)
    if nulls:  # the report's null totals: the balances below are no figure of them
        notes.append(f"; not stated by the report: {', '.join(nulls)}")
        notes.append(f";   {UNKNOWN_BALANCES}")
    if not position.stated("pledged"):
        return notes
    return [
        *notes,
        f"; pledged, outstanding: {_chf(totals.pledged)}",
        f";   signed agreements (Assets:Pledges:Signed, revenue): {_chf(totals.agreed)}",
        f";   announced pledges (memorandum, {NOT_REVENUE}): {_chf(totals.pledged - totals.agreed)}",
    ]


def transactions_of(position: Position, names: AccountNames) -> Iterable[Transaction]:
    """Every movement of the position, in the order the position lists them."""
    fallback = position.as_of or date.today()
    pledges = {row.id: row for row in position.all_pledges}
    days = {row.id: _day(row, fallback) for row in position.receipts}
    for row in position.receipts:
        yield _receipt(row, pledges, days, fallback, names)
    for row in position.all_pledges:
        yield _pledge(row, fallback, names)
        signing = _signing(row, days, fallback, names)
        if signing is not None:
            yield signing
        cancellation = _cancellation(row, names, fallback)
        if cancellation is not None:
            yield cancellation
    for loan in position.loans:
        account = f"Liabilities:Loans:{names.facilities[loan.id]}"
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
    yield from expenditure_transactions(position, names)
    yield from movement_transactions(position, names)


def movement_transactions(position: Position, names: AccountNames) -> Iterable[Transaction]:
    """Other income into cash; refunds and bank charges paid from it."""
    for row in position.movements.rows:
        if row.kind == "other_income":
            account = f"{OTHER_INCOME}:{'Interest' if row.income_kind == 'interest' else 'Other'}"
            sign, payee = -1, row.description or "interest"
        elif row.kind == "refunds":
            account = f"{REFUNDS}:{names.donors[row.donor_id or '']}"
            sign, payee = 1, row.donor or ""
        else:
            account, sign, payee = BANK_CHARGES, 1, row.description or "bank"
        if row.currency != "CHF":
            amount = money.format_amount(sign * row.amount)
            posting = f"{amount} {row.currency} @@ {money.format_amount(row.chf)} CHF"
        else:
            posting = _chf(sign * row.chf)
        meta = [("id", row.id)]
        if row.rate is not None and row.rate.basis != "same-currency":
            meta.append(("rate", f"{money.format_amount(row.rate.value)} ({row.rate.basis})"))
        if row.receipt:
            meta.append(("receipt", row.receipt))
        yield Transaction(
            row.date,
            payee,
            f"{row.id}: {row.kind.replace('_', ' ')}",
            ((account, posting), (CASH, _chf(-sign * row.chf))),
            tuple(meta),
        )


def expenditure_transactions(position: Position, names: AccountNames) -> Iterable[Transaction]:
    """Each expenditure and its support cost, paid from cash."""
    for row in position.spending.expenditures:
        postings = [(names.expense(row.purpose), _chf(row.chf))]
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


def _receipt(
    row: EntryRow,
    pledges: dict[str, EntryRow],
    days: dict[str, date],
    fallback: date,
    names: AccountNames,
) -> Transaction:
    contributions = f"Income:Received:Contributions:{names.donors[row.donor_id]}"
    postings = [(CASH, _chf(row.chf))]
    pledge = pledges.get(row.pledge) if row.pledge else None
    settlement = _settlement_of(row, pledge)
    day = _day(row, fallback)
    if pledge is None or settlement is None:
        postings.append((contributions, _original(row, -1, row.chf)))
        narration = f"{row.id}: received"
    else:
        settled, difference = settlement.settled_chf, settlement.exchange_difference
        postings.append((contributions, _original(row, -1, settled)))
        if difference > 0:
            postings.append((GAINS, _chf(-difference)))
        elif difference < 0:
            postings.append((LOSSES, _chf(-difference)))
        if _after_signing(pledge, day, fallback):  # the receivable is now received
            postings.append((SIGNED, _chf(-settled)))
            postings.append((f"{AGREED}:{names.donors[pledge.donor_id]}", _chf(settled)))
        narration = f"{row.id}: pays pledge {row.pledge}"
    return Transaction(day, row.donor, narration, tuple(postings), _meta(row, fallback))


def _settlement_of(row: EntryRow, pledge: EntryRow | None) -> Settlement | None:
    if pledge is None or pledge.standing is None:
        return None
    return next((s for s in pledge.standing.settlements if s.receipt.id == row.id), None)


def _after_signing(pledge: EntryRow, day: date, fallback: date) -> bool:
    """Whether a movement of the pledge on `day` comes after its agreement was signed.

    The one rule of the journal's signed side: a payment or cancellation on the
    very day of the signing comes before it (the signing moves what was then
    outstanding, that payment settled); a pledge signed by its own date stands
    signed from the start. A payment counted on both sides would take its CHF
    off `Assets:Pledges:Signed` twice (closing note of session 5, issue 21).
    """
    signed = pledge.signed_on
    return signed is not None and (signed < day or signed <= _day(pledge, fallback))


def _pledge(row: EntryRow, fallback: date, names: AccountNames) -> Transaction:
    """A pledge signed by its own date: revenue and a receivable; else a memorandum."""
    day = _day(row, fallback)
    meta = _meta(row, fallback)
    if row.amount is not None and row.currency and row.currency != "CHF":
        meta = (*meta, ("original", f"{money.format_amount(row.amount)} {row.currency}"))
    if not _after_signing(row, day, fallback):
        meta = (*meta, ("booked", _chf(row.chf)), ("status", f"announced: {NOT_REVENUE}"))
        return Transaction(day, row.donor, f"{row.id}: pledge announced", (), meta, memo=True)
    postings = (
        (SIGNED, _chf(row.chf)),
        (f"{AGREED}:{names.donors[row.donor_id]}", _chf(-row.chf)),
    )
    return Transaction(day, row.donor, f"{row.id}: pledge, agreement signed", postings, meta)


def _signing(
    row: EntryRow, days: dict[str, date], fallback: date, names: AccountNames
) -> Transaction | None:
    """A pledge signed after it was announced: what was outstanding that day becomes
    revenue and a receivable."""
    signed, standing = row.signed_on, row.standing
    if signed is None or standing is None or signed <= _day(row, fallback):
        return None
    if standing.cancelled_on is not None and standing.cancelled_on <= signed:
        return None
    # What the payments before the signing settled, each as the position settled it
    # (`Settlement.settled_chf`): the same figures, never a second conversion.
    before = (
        s.settled_chf
        for s in standing.settlements
        if not _after_signing(row, days.get(s.receipt.id, fallback), fallback)
    )
    outstanding = row.chf - money.total(before)
    if outstanding <= 0:
        return None
    return Transaction(
        signed,
        row.donor,
        f"{row.id}: agreement signed",
        (
            (SIGNED, _chf(outstanding)),
            (f"{AGREED}:{names.donors[row.donor_id]}", _chf(-outstanding)),
        ),
        (("id", f"{row.id}-signed"),),
    )


def _cancellation(row: EntryRow, names: AccountNames, fallback: date) -> Transaction | None:
    standing = row.standing
    if standing is None or standing.cancelled_on is None or not standing.withdrawn_chf:
        return None
    withdrawn = standing.withdrawn_chf
    meta: tuple[tuple[str, str], ...] = (("id", f"{row.id}-cancelled"),)
    if not _after_signing(row, standing.cancelled_on, fallback):
        meta = (*meta, ("withdrawn", _chf(withdrawn)), ("status", "announced, never revenue"))
        day = standing.cancelled_on
        return Transaction(day, row.donor, f"{row.id}: pledge cancelled", (), meta, memo=True)
    postings = (
        (SIGNED, _chf(-withdrawn)),
        (f"{AGREED}:{names.donors[row.donor_id]}", _chf(withdrawn)),
    )
    return Transaction(
        standing.cancelled_on, row.donor, f"{row.id}: pledge cancelled", postings, meta
    )


def _day(row: EntryRow, fallback: date) -> date:
    return row.dated_by or fallback


def _meta(row: EntryRow, fallback: date) -> tuple[tuple[str, str], ...]:
    meta = [("id", row.id)]
    if row.date is None:
        meta.append(("date-source", row.date_source))
    if row.reading:  # the donor's name shown is the ledger's reading, not the source's words
        meta.append(("donor-name", "the ledger's reading"))
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


def _original(row: EntryRow, sign: int, chf: Decimal) -> str:
    """`chf`, with the original amount as a total price where it was another currency."""
    if row.amount is not None and row.currency and row.currency != "CHF":
        amount = money.format_amount(sign * row.amount)
        return f"{amount} {row.currency} @@ {money.format_amount(chf)} CHF"
    return _chf(sign * chf)


def _lines(transaction: Transaction, beancount: bool) -> list[str]:
    day = transaction.day.isoformat()
    if transaction.memo:  # a comment in both journals: no account, no balance touched
        payee = escape.one_line(transaction.payee)
        lines = [f"; {day} memorandum: {payee} | {escape.one_line(transaction.narration)}"]
        lines += [f";     {key}: {escape.one_line(value)}" for key, value in transaction.meta]
        return [*lines, ""]
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
