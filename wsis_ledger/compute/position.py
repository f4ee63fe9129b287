"""The fund's position, computed once (`compute.build_position`): every output renders
from it. Its rows and totals are here.

Definitions (the README gives them with a worked example):

- `received` is every receipt, payments against pledges included, at its
  booked CHF.
- A pledge's outstanding amount is what it promised, less what its payments
  settled (at the pledge's booked rate), less what a cancellation withdrew
  from its date (`compute.pledges`). `pledged` is the sum of what is
  outstanding.
- `exchange_difference` is what payments brought in CHF less the booked CHF
  they settled.
- `fund_balance` is `received` less expenditure and support costs
  (`compute.spending`); `cash` is the fund balance plus loans drawn less
  loans repaid. Outstanding pledges are promises, not cash.

With `as_of`, the ledger is first cut to what was known on that date
(`core.ledger.known_on`): a payment or cancellation counts from its date.

Nothing here formats text: `render` lays a `Position` out as tables, CSV,
JSON, HTML, Excel or journals. A statement's printed totals are only compared
with the entries (`checks`), never used as totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from datetime import date as Day
from decimal import Decimal
from typing import Literal

from wsis_ledger.compute.cash_movements import CashMovements
from wsis_ledger.compute.controls import Controls
from wsis_ledger.compute.conversion import Rate
from wsis_ledger.compute.pledges import PledgeStanding
from wsis_ledger.compute.spending import Spending
from wsis_ledger.compute.statements import StatementInfo
from wsis_ledger.core import money
from wsis_ledger.core.ledger import DateSource

Kind = Literal["received", "pledged"]


# slots: one row per entry (100 000 of them), each some 500 bytes smaller without a `__dict__`.
@dataclass(frozen=True, slots=True)
class EntryRow:
    """One receipt or pledge as the position counts it.

    `chf` is what the entry was booked at. For a pledge, `standing` says what
    its payments settled and what is outstanding; `counted` is what the entry
    adds to its section's total (a receipt's CHF, a pledge's outstanding CHF).
    """

    id: str
    kind: Kind
    donor_id: str
    donor: str
    amount: Decimal | None
    currency: str | None
    rate: Rate | None
    chf: Decimal
    purpose: str | None
    date: Day | None
    #: The day the entry became known (`Ledger.known`): what `--as-of` and the journals use.
    dated_by: Day | None
    reassigned: bool = False
    pledge: str | None = None
    standing: PledgeStanding | None = None
    #: The note the source prints beside the entry, in the position's language.
    note: str | None = None
    #: True when the donor's name shown is the ledger's reading, not the source's.
    reading: bool = False
    #: The phase the entry is attributed to (its own, or its statement's).
    phase: str | None = None
    #: What gives `dated_by`: the entry's own date, its statement's, or the ledger's last day.
    date_source: DateSource = "record"
    #: A pledge: the date of its signed agreement, where signed by the position's date.
    signed_on: Day | None = None

    @property
    def counted(self) -> Decimal:
        return self.standing.outstanding_chf if self.standing else self.chf

    @property
    def signed(self) -> bool:
        """A pledge whose agreement is signed by the position's date (a receivable)."""
        return self.signed_on is not None

    @property
    def outstanding(self) -> Decimal | None:
        return self.standing.outstanding_chf if self.standing else None


@dataclass(frozen=True)
class Movement:
    """A loan drawing (positive) or repayment (negative) on a facility."""

    id: str
    facility: str
    date: date
    amount: Decimal
    drawn: bool
    use: str | None


@dataclass(frozen=True)
class LoanRow:
    id: str
    lender_id: str
    lender: str
    ceiling: Decimal
    phase: str | None
    drawn: Decimal = Decimal(0)
    repaid: Decimal = Decimal(0)
    movements: tuple[Movement, ...] = ()

    @property
    def outstanding(self) -> Decimal:
        return self.drawn - self.repaid

    @property
    def recorded(self) -> bool:
        """False when no drawing or repayment is recorded: drawn, repaid and outstanding
        are then not known (shown as "no drawings recorded"), not zero."""
        return bool(self.movements)


@dataclass(frozen=True)
class PurposeRow:
    """Subtotals of one purpose or group of purposes (`core` holds `core/fellowships`).

    `pledged` is what is outstanding, as in the fund's totals.
    """

    purpose: str  # the full path; "" for entries with no purpose
    depth: int
    received: Decimal
    pledged: Decimal
    #: What is outstanding of its pledges with a signed agreement (part of `pledged`).
    agreed: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.received + self.pledged

    @property
    def name(self) -> str:
        """The last part of the path (`fellowships` for `core/fellowships`)."""
        return self.purpose.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class StaffRow:
    """Seconded experts, or an organization's own staff."""

    id: str
    donor_id: str
    donor: str
    full_time: int
    part_time: int
    paid_by: str | None
    units: tuple[str, ...] = ()
    #: The id of whoever pays the salaries (`paid_by` is its name).
    paid_by_id: str | None = None


@dataclass(frozen=True)
class FacilityRow:
    id: str
    donor_id: str
    donor: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class DirectRow:
    id: str
    donor_id: str
    donor: str
    chf: Decimal
    what: str | None


@dataclass(frozen=True)
class Budget:
    """The phase the statement is measured against, and how far the money covers it.

    Only entries attributed to the phase (by the entry, or by its statement)
    count; with none, coverage and gap are None: the estimate stands alone.
    """

    phase_id: str
    phase: str
    estimate: Decimal
    coverage_percent: Decimal | None
    gap: Decimal | None
    #: How many entries are attributed to the phase.
    attributed: int = 0


@dataclass(frozen=True)
class Totals:
    received: Decimal
    pledged: Decimal
    received_and_pledged: Decimal
    exchange_difference: Decimal
    loan_ceiling: Decimal
    loans_drawn: Decimal
    loans_repaid: Decimal
    experts_full_time: int
    experts_part_time: int
    direct_support: Decimal
    expenditure: Decimal = Decimal(0)
    support_costs: Decimal = Decimal(0)
    #: Seconded experts as the rows list them (part-time ones included).
    experts: int = 0
    #: What is outstanding of pledges with a signed agreement by the date (`signed:`).
    agreed: Decimal = Decimal(0)
    #: The exchange difference split: payments that brought more than they settled,
    #: and (as a positive figure) those that brought less.
    exchange_gains: Decimal = Decimal(0)
    exchange_losses: Decimal = Decimal(0)
    #: Other income (interest), refunds to donors and bank charges (`compute.cash_movements`).
    other_income: Decimal = Decimal(0)
    refunds: Decimal = Decimal(0)
    bank_charges: Decimal = Decimal(0)

    @property
    def announced(self) -> Decimal:
        """What is outstanding of pledges announced but not (yet) signed."""
        return self.pledged - self.agreed

    @property
    def loans_outstanding(self) -> Decimal:
        return self.loans_drawn - self.loans_repaid

    @property
    def fund_balance(self) -> Decimal:
        """What is left of the money received and other income: less expenditure, its
        support costs, refunds to donors and bank charges."""
        return (
            self.received
            + self.other_income
            - self.expenditure
            - self.support_costs
            - self.refunds
            - self.bank_charges
        )

    @property
    def cash(self) -> Decimal:
        """Money the fund holds: its balance, plus loans drawn, less repaid."""
        return self.fund_balance + self.loans_outstanding


@dataclass(frozen=True)
class DonorTotals:
    """One donor's part of the position; the parts of all donors add up to the totals."""

    received: Decimal
    pledged: Decimal  # outstanding
    promised: Decimal  # booked CHF of its pledges not cancelled
    exchange_difference: Decimal
    experts: int


@dataclass(frozen=True)
class Position:
    """The fund as of a date: every figure any output shows, in one language."""

    lang: str
    fund_id: str
    fund: str
    title: str
    as_of: date | None
    headings: dict[str, str]
    notes: tuple[str, ...]
    receipts: tuple[EntryRow, ...]
    #: Pledges not cancelled (paid in full ones too, with nothing outstanding).
    pledges: tuple[EntryRow, ...]
    loans: tuple[LoanRow, ...]
    seconded: tuple[StaffRow, ...]
    facilities: tuple[FacilityRow, ...]
    staff: tuple[StaffRow, ...]
    direct_support: tuple[DirectRow, ...]
    totals: Totals
    budget: Budget | None
    purposes: tuple[PurposeRow, ...] = ()
    #: Pledges withdrawn, with their standing (`cancelled_on`): shown, not counted.
    cancelled_pledges: tuple[EntryRow, ...] = ()
    donor_kinds: dict[str, str] = field(default_factory=dict)
    #: Expenditure, support costs, earmark balances, budget against actual.
    spending: Spending = field(default_factory=Spending)
    #: Each statement: source, printed totals and what its rows add up to.
    statements: tuple[StatementInfo, ...] = ()
    #: Notes the source prints under a section (`pledged`, `seconded`, ...), by section.
    section_notes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Received and pledged at each statement's date (with two statements or more).
    history: tuple[HistoryPoint, ...] = ()
    #: Donors whose kind is the ledger's reading, not the source's.
    kind_readings: frozenset[str] = frozenset()
    #: The period closed, and the records awaiting a second person's approval.
    controls: Controls = field(default_factory=Controls)
    #: What the ledger's own checks note beside the figures (rates far from the ECB's
    #: reference): the ledger's words, never the source's.
    ledger_notes: tuple[str, ...] = ()
    #: Other income, refunds to donors and bank charges, each one.
    movements: CashMovements = field(default_factory=CashMovements)
    #: Names shown in another language than `lang` (no name given in it), with their
    #: language: an HTML page marks each with its own `lang`.
    name_languages: dict[str, str] = field(default_factory=dict)
    #: The totals the position cannot state (`not_yet_stated`): the source gives the
    #: entries that make them only as a cumulative position on a later date
    #: (`cumulative_on`), so what they held by `as_of` is unknown, not 0.
    unstated: frozenset[str] = frozenset()
    #: That later date: the earliest on which undated entries left out are dated.
    cumulative_on: date | None = None

    def stated(self, total: str) -> bool:
        """Whether the total `total` (a key of the report's `totals`) can be stated."""
        return total not in self.unstated

    @property
    def received(self) -> Decimal:
        """Every receipt, payments of pledges included, in CHF."""
        return self.totals.received

    @property
    def pledged(self) -> Decimal:
        """What is outstanding of the pledges, in CHF."""
        return self.totals.pledged

    @property
    def received_and_pledged(self) -> Decimal:
        return self.totals.received_and_pledged

    @property
    def exchange_difference(self) -> Decimal:
        """CHF the payments of pledges brought, less the booked CHF they settled."""
        return self.totals.exchange_difference

    @property
    def all_pledges(self) -> tuple[EntryRow, ...]:
        """Pledges standing and cancelled, in that order."""
        return self.pledges + self.cancelled_pledges

    def donor_ids(self) -> list[str]:
        """Every donor that appears anywhere in the position, in order of appearance."""
        seen: dict[str, None] = {}
        rows: Iterable[EntryRow | StaffRow | FacilityRow | DirectRow] = (
            *self.receipts,
            *self.all_pledges,
            *self.seconded,
            *self.facilities,
            *self.staff,
            *self.direct_support,
        )
        for row in rows:
            seen.setdefault(row.donor_id, None)
        for loan in self.loans:
            seen.setdefault(loan.lender_id, None)
        for staff in self.seconded:
            if staff.paid_by_id:
                seen.setdefault(staff.paid_by_id, None)
        return list(seen)

    def contributions_by_donor(self) -> dict[str, Decimal]:
        """Each donor's contributions received, at the CHF their pledges were booked at:
        what it gave (`of_donor(d).received`) less the exchange difference its payments
        realised, for every donor in one pass (the accounts ask for all of them)."""
        given: dict[str, list[Decimal]] = {}
        for row in self.receipts:
            given.setdefault(row.donor_id, []).append(row.chf)
        for row in self.all_pledges:
            if row.standing is not None and row.standing.settlements:
                given.setdefault(row.donor_id, []).append(-row.standing.exchange_difference)
        return {donor: chf_sum(amounts) for donor, amounts in given.items()}

    def of_donor(self, donor_id: str) -> DonorTotals:
        """What one donor gave, promised and still owes, in CHF."""
        received = [r for r in self.receipts if r.donor_id == donor_id]
        pledged = [r for r in self.pledges if r.donor_id == donor_id]
        return DonorTotals(
            received=chf_sum(r.chf for r in received),
            pledged=chf_sum(r.counted for r in pledged),
            promised=chf_sum(r.chf for r in pledged),
            exchange_difference=chf_sum(
                r.standing.exchange_difference
                for r in (*pledged, *self.cancelled_pledges)
                if r.standing and r.donor_id == donor_id
            ),
            experts=sum(s.full_time + s.part_time for s in self.seconded if s.donor_id == donor_id),
        )


@dataclass(frozen=True)
class HistoryPoint:
    """The fund's received and pledged as they stood on a statement's date."""

    statement: str
    as_of: date
    received: Decimal
    pledged: Decimal


def chf_sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum (`money.total`): an inexact one is an error, never a figure."""
    return money.total(values)
