"""The fund's position, computed once: every output renders from it.

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

from wsis_ledger.compute import conversion, loans, pledges, spending
from wsis_ledger.compute.conversion import Rate
from wsis_ledger.compute.pledges import PledgeStanding
from wsis_ledger.compute.spending import Spending
from wsis_ledger.compute.statements import StatementInfo, statement_infos
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger, as_of, known_on
from wsis_ledger.core.models import Entry, LoanDrawing, Names, Pledge, Receipt, Statement

#: Headings and labels where the statement gives none of its own.
DEFAULT_HEADINGS: dict[str, Names] = {
    "contributions": Names(en="1. Contributions to the fund", zh="1. 基金的捐款"),
    "received": Names(en="1.1 Received", zh="1.1 收到捐款"),
    "pledged": Names(en="1.2 Pledged", zh="1.2 承诺款额"),
    "received_total": Names(en="Total received", zh="已收到捐款合计"),
    "pledged_total": Names(en="Total pledged", zh="总承诺款项"),
    "loans": Names(en="2. Loans", zh="2. 借款"),
    "seconded": Names(en="3. Seconded staff", zh="3. 借调职员"),
    "facilities": Names(en="4. Facilities", zh="4. 设施"),
    "staff": Names(en="5. Staff", zh="5. 职员"),
    "direct_support": Names(en="Direct support outside the fund", zh="基金以外的直接支持"),
    "summary": Names(en="Summary", zh="摘要"),
}
#: Coverage of the budget is shown in per cent to this many places, half-up.
COVERAGE_PLACES = Decimal("0.01")

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

    @property
    def counted(self) -> Decimal:
        return self.standing.outstanding_chf if self.standing else self.chf

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

    @property
    def loans_outstanding(self) -> Decimal:
        return self.loans_drawn - self.loans_repaid

    @property
    def fund_balance(self) -> Decimal:
        """What is left of the money received: less expenditure and its support costs."""
        return self.received - self.expenditure - self.support_costs

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
    #: What the ledger's own checks note beside the figures (rates far from the ECB's
    #: reference): the ledger's words, never the source's.
    ledger_notes: tuple[str, ...] = ()

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

    def of_donor(self, donor_id: str) -> DonorTotals:
        """What one donor gave, promised and still owes, in CHF."""
        received = [r for r in self.receipts if r.donor_id == donor_id]
        pledged = [r for r in self.pledges if r.donor_id == donor_id]
        return DonorTotals(
            received=_sum(r.chf for r in received),
            pledged=_sum(r.counted for r in pledged),
            promised=_sum(r.chf for r in pledged),
            exchange_difference=_sum(
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


def history(ledger: Ledger, lang: str = "en") -> tuple[HistoryPoint, ...]:
    """Received and pledged at each statement's date, computed by `build_position`."""
    points = []
    for statement in sorted(ledger.statements, key=lambda s: s.as_of):
        totals = build_position(ledger, lang, statement.as_of, with_history=False).totals
        points.append(HistoryPoint(statement.id, statement.as_of, totals.received, totals.pledged))
    return tuple(points)


def build_position(
    ledger: Ledger, lang: str = "en", on: date | None = None, *, with_history: bool = True
) -> Position:
    """The position of the whole ledger, headed as its latest statement heads it.

    With `on`, the ledger as it stood on that date (`known_on`). With two
    statements or more, `history` holds the totals at each one's date.
    """
    recorded = bool(ledger.expenditures)  # on any date: "none as yet" is not "none recorded"
    if on is not None:
        ledger = known_on(ledger, on)
    statement = ledger.latest_statement
    rows = _EntryRows(ledger, lang)
    received = tuple(rows.row(e, "received") for e in ledger.received)
    every_pledge = tuple(rows.row(e, "pledged") for e in ledger.pledged)
    pledged = tuple(r for r in every_pledge if r.standing and not r.standing.cancelled_on)
    cancelled = tuple(r for r in every_pledge if r.standing and r.standing.cancelled_on)
    seconded = tuple(
        StaffRow(
            s.id,
            s.donor,
            rows.name(s.donor),
            0 if s.part_time else s.experts,
            s.experts if s.part_time else 0,
            rows.name(s.paid_by) if s.paid_by else None,
            paid_by_id=s.paid_by,
        )
        for s in ledger.seconded
    )
    loan_rows = tuple(_loan_row(ledger, f.id, rows.name(f.lender)) for f in ledger.loan_facilities)
    spent = spending.build_spending(
        ledger, ((r.purpose, r.chf) for r in received), recorded=recorded, lang=lang
    )
    totals = Totals(
        received=_sum(r.counted for r in received),
        pledged=_sum(r.counted for r in pledged),
        received_and_pledged=_sum(r.counted for r in (*received, *pledged)),
        exchange_difference=_sum(
            r.standing.exchange_difference for r in every_pledge if r.standing
        ),
        loan_ceiling=_sum(f.ceiling for f in ledger.loan_facilities),
        loans_drawn=_sum(r.drawn for r in loan_rows),
        loans_repaid=_sum(r.repaid for r in loan_rows),
        experts_full_time=sum(row.full_time for row in seconded),
        experts_part_time=sum(row.part_time for row in seconded),
        direct_support=_sum(d.chf for d in ledger.direct_support),
        expenditure=spent.expenditure,
        support_costs=spent.support_costs,
        experts=sum(s.experts for s in ledger.seconded),
    )
    return Position(
        lang=lang,
        fund_id=ledger.fund.id,
        fund=ledger.fund.name.get(lang),
        title=statement.title.get(lang) if statement else ledger.fund.name.get(lang),
        as_of=on or as_of(ledger),
        headings=_headings(statement, lang),
        notes=tuple(n.get(lang) for n in statement.notes if not n.under) if statement else (),
        receipts=received,
        pledges=pledged,
        loans=loan_rows,
        seconded=seconded,
        facilities=tuple(
            FacilityRow(f.id, f.donor, rows.name(f.donor), tuple(i.get(lang) for i in f.items))
            for f in ledger.facilities
        ),
        staff=tuple(
            StaffRow(
                s.id,
                s.donor,
                rows.name(s.donor),
                s.full_time,
                s.part_time,
                None,
                tuple(u.get(lang) for u in s.units),
            )
            for s in ledger.staff
        ),
        direct_support=tuple(
            DirectRow(
                d.id, d.donor, rows.name(d.donor), d.chf, d.what.get(lang) if d.what else None
            )
            for d in ledger.direct_support
        ),
        totals=totals,
        budget=_budget(ledger, statement, (*received, *pledged), lang),
        purposes=_purposes((*received, *pledged)),
        cancelled_pledges=cancelled,
        donor_kinds={d.id: d.kind for d in ledger.donors},
        spending=spent,
        statements=statement_infos(ledger, lang),
        section_notes=_section_notes(statement, lang),
        history=history(ledger, lang) if with_history and len(ledger.statements) > 1 else (),
        kind_readings=frozenset(d.id for d in ledger.donors if "kind" in d.readings),
    )


def _section_notes(statement: Statement | None, lang: str) -> dict[str, tuple[str, ...]]:
    notes: dict[str, tuple[str, ...]] = {}
    for note in statement.notes if statement else ():
        if note.under:
            notes[note.under] = (*notes.get(note.under, ()), note.get(lang))
    return notes


class _EntryRows:
    """Turns receipts and pledges into rows, with names in one language."""

    def __init__(self, ledger: Ledger, lang: str) -> None:
        self.ledger, self.lang = ledger, lang
        self.statement_dates = {s.id: s.as_of for s in ledger.statements}
        self.statement_phases = {s.id: s.phase for s in ledger.statements}
        # Each donor's name and reading, worked out once per donor rather than once per
        # entry (100 000 entries name some 5 000 donors; see bench/HISTORY.md).
        self._names: dict[str, tuple[str, bool]] = {}

    def name(self, donor_id: str) -> str:
        return self._donor(donor_id)[0]

    def reading(self, donor_id: str) -> bool:
        """True when the name shown for the donor is the ledger's reading."""
        return self._donor(donor_id)[1]

    def _donor(self, donor_id: str) -> tuple[str, bool]:
        known = self._names.get(donor_id)
        if known is None:
            donor = self.ledger.donor_by_id.get(donor_id)
            reading = donor is not None and "name" in donor.readings
            shown = self.ledger.donor_name(donor_id, self.lang)
            known = (
                shown,
                reading and not (self.lang == "zh" and donor is not None and donor.name.zh),
            )
            self._names[donor_id] = known
        return known

    def row(self, entry: Entry, kind: Kind) -> EntryRow:
        ledger = self.ledger
        chf = conversion.chf_value(entry, ledger.fund.booking_unit, ledger)
        assert chf is not None, "checks refuse entries that cannot be valued"
        rate = conversion.entry_rate(entry, ledger)
        standing = None
        if isinstance(entry, Pledge):
            terms = pledges.terms_of(entry, chf, rate)
            standing = pledges.standing(
                ledger, entry, terms=terms, statement_dates=self.statement_dates
            )
        name, reading = self._donor(entry.donor)
        statement = entry.statement
        return EntryRow(
            id=entry.id,
            kind=kind,
            donor_id=entry.donor,
            donor=name,
            amount=entry.amount,
            currency=entry.currency,
            rate=rate,
            chf=chf,
            purpose=ledger.purpose_of.get(entry.id),
            date=entry.date,
            dated_by=entry.date or (self.statement_dates.get(statement) if statement else None),
            reassigned=entry.id in ledger.reassigned,
            # Not getattr(entry, "pledge", None): a pledge has no such field, and asking a
            # pydantic model for a missing attribute raises inside it (0.5 s a 40 000 pledges).
            pledge=entry.pledge if isinstance(entry, Receipt) else None,
            standing=standing,
            note=entry.source_note.get(self.lang) if entry.source_note else None,
            reading=reading,
            phase=entry.phase or (self.statement_phases.get(statement) if statement else None),
        )


def _loan_row(ledger: Ledger, facility_id: str, lender: str) -> LoanRow:
    facility = next(f for f in ledger.loan_facilities if f.id == facility_id)
    moves = tuple(
        Movement(
            m.id,
            m.facility,
            m.date,
            m.amount,
            isinstance(m, LoanDrawing),
            m.use if isinstance(m, LoanDrawing) else None,
        )
        for m in loans.movements(ledger, facility_id)
    )
    return LoanRow(
        facility.id,
        facility.lender,
        lender,
        facility.ceiling,
        facility.phase,
        drawn=_sum(m.amount for m in moves if m.drawn),
        repaid=_sum(m.amount for m in moves if not m.drawn),
        movements=moves,
    )


def _purposes(rows: tuple[EntryRow, ...]) -> tuple[PurposeRow, ...]:
    """Subtotals at every level of the purposes, when any entry has one."""
    if not any(row.purpose for row in rows):
        return ()
    # Added up by purpose first, then each purpose's sums into every level above it:
    # the same sums as adding each row at every level (Decimal sums of amounts of at
    # most 17 digits are exact, whatever their order), with the path split once a purpose.
    by_purpose: dict[tuple[str, int], Decimal] = {}
    for row in rows:
        key = (row.purpose or "", 0 if row.kind == "received" else 1)
        by_purpose[key] = by_purpose.get(key, Decimal(0)) + row.counted
    sums: dict[str, list[Decimal]] = {}
    for (purpose, index), amount in by_purpose.items():
        parts = purpose.split("/")
        for depth in range(1, len(parts) + 1):
            level = "/".join(parts[:depth])
            sums.setdefault(level, [Decimal(0), Decimal(0)])[index] += amount
    return tuple(
        PurposeRow(key, key.count("/") if key else 0, received_sum, pledged_sum)
        for key, (received_sum, pledged_sum) in sorted(
            sums.items(), key=lambda kv: (kv[0] == "", kv[0])
        )
    )


def _headings(statement: Statement | None, lang: str) -> dict[str, str]:
    own = statement.headings if statement else {}
    return {key: own.get(key, default).get(lang) for key, default in DEFAULT_HEADINGS.items()}


def _budget(
    ledger: Ledger, statement: Statement | None, rows: tuple[EntryRow, ...], lang: str
) -> Budget | None:
    """Coverage of the statement's phase budget, or of the fund's first phase with a budget,
    by the entries attributed to that phase (none attributed: no coverage is shown)."""
    phases = [p for p in ledger.fund.phases if p.budget is not None]
    if statement is not None and statement.phase is not None:
        phases = [p for p in phases if p.id == statement.phase]
    if not phases:
        return None
    phase = phases[0]
    assert phase.budget is not None
    attributed = [r for r in rows if r.phase == phase.id]
    money_in = _sum(r.counted for r in attributed)
    return Budget(
        phase_id=phase.id,
        phase=phase.name.get(lang),
        estimate=phase.budget,
        coverage_percent=money.percent(money_in, phase.budget, COVERAGE_PLACES)
        if attributed
        else None,
        gap=phase.budget - money_in if attributed else None,
        attributed=len(attributed),
    )


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))
