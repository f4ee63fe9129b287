"""The statement as rows and totals, computed from the entries, in one language.

Nothing here formats text for a terminal: `render` turns a `Report` into a
table, Markdown, CSV or JSON. Totals are always computed from the entries; a
statement's printed totals are only compared with them (`checks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wsis_ledger.compute import conversion, loans
from wsis_ledger.compute.conversion import Rate
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger, known_on
from wsis_ledger.core.models import Entry, LoanFacility, Names, Statement

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


@dataclass(frozen=True)
class EntryRow:
    """One receipt or pledge as the statement shows it."""

    id: str
    donor_id: str
    donor: str
    amount: Decimal | None
    currency: str | None
    rate: Rate | None
    chf: Decimal
    purpose: str | None
    date: date | None
    reassigned: bool = False
    pledge: str | None = None


@dataclass(frozen=True)
class LoanRow:
    id: str
    lender_id: str
    lender: str
    ceiling: Decimal
    phase: str | None
    drawn: Decimal = Decimal(0)
    repaid: Decimal = Decimal(0)

    @property
    def outstanding(self) -> Decimal:
        return self.drawn - self.repaid


@dataclass(frozen=True)
class PurposeRow:
    """Subtotals of one purpose or group of purposes (`core` holds `core/fellowships`)."""

    purpose: str  # "" for entries with no purpose
    depth: int
    received: Decimal
    pledged: Decimal

    @property
    def total(self) -> Decimal:
        return self.received + self.pledged


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
    """The phase the statement is measured against, and how far the money covers it."""

    phase_id: str
    phase: str
    estimate: Decimal
    coverage_percent: Decimal
    gap: Decimal


@dataclass(frozen=True)
class Totals:
    received: Decimal
    pledged: Decimal
    received_and_pledged: Decimal
    loan_ceiling: Decimal
    experts_full_time: int
    experts_part_time: int
    direct_support: Decimal


@dataclass(frozen=True)
class Report:
    """Everything `wsis-ledger report` shows, computed and in one language."""

    lang: str
    fund_id: str
    fund: str
    title: str
    as_of: date | None
    headings: dict[str, str]
    notes: tuple[str, ...]
    received: tuple[EntryRow, ...]
    pledged: tuple[EntryRow, ...]
    loans: tuple[LoanRow, ...]
    seconded: tuple[StaffRow, ...]
    facilities: tuple[FacilityRow, ...]
    staff: tuple[StaffRow, ...]
    direct_support: tuple[DirectRow, ...]
    totals: Totals
    budget: Budget | None
    purposes: tuple[PurposeRow, ...] = ()
    #: Pledges withdrawn, with the date: shown, not counted.
    cancelled: tuple[tuple[EntryRow, date], ...] = ()


def build_report(ledger: Ledger, lang: str = "en", on: date | None = None) -> Report:
    """The report of the whole ledger, headed as its latest statement heads it.

    With `on`, the ledger as it stood on that date (`ledger.known_on`).
    """
    if on is not None:
        ledger = known_on(ledger, on)
    statement = ledger.latest_statement
    unit = ledger.fund.booking_unit

    def name(donor_id: str) -> str:
        return ledger.donor_name(donor_id, lang)

    def entry_row(entry: Entry) -> EntryRow:
        chf = conversion.chf_value(entry, unit, ledger)
        assert chf is not None, "checks refuse entries that cannot be valued"
        return EntryRow(
            entry.id,
            entry.donor,
            name(entry.donor),
            entry.amount,
            entry.currency,
            conversion.entry_rate(entry, ledger),
            chf,
            ledger.purpose_of.get(entry.id),
            entry.date,
            entry.id in ledger.reassigned,
            getattr(entry, "pledge", None),
        )

    received = tuple(entry_row(e) for e in ledger.received)
    pledged = tuple(entry_row(e) for e in ledger.standing_pledges)
    cancelled = tuple(
        (entry_row(e), ledger.cancellation_of[e.id].date)
        for e in ledger.pledged
        if e.id in ledger.cancellation_of
    )
    seconded = tuple(
        StaffRow(
            s.id,
            s.donor,
            name(s.donor),
            0 if s.part_time else s.experts,
            s.experts if s.part_time else 0,
            name(s.paid_by) if s.paid_by else None,
        )
        for s in ledger.seconded
    )
    totals = Totals(
        received=_sum(r.chf for r in received),
        pledged=_sum(r.chf for r in pledged),
        received_and_pledged=_sum(r.chf for r in (*received, *pledged)),
        loan_ceiling=_sum(f.ceiling for f in ledger.loan_facilities),
        experts_full_time=sum(row.full_time for row in seconded),
        experts_part_time=sum(row.part_time for row in seconded),
        direct_support=_sum(d.chf for d in ledger.direct_support),
    )
    return Report(
        lang=lang,
        fund_id=ledger.fund.id,
        fund=ledger.fund.name.get(lang),
        title=statement.title.get(lang) if statement else ledger.fund.name.get(lang),
        as_of=on or as_of(ledger),
        headings=_headings(statement, lang),
        notes=tuple(n.get(lang) for n in statement.notes) if statement else (),
        received=received,
        pledged=pledged,
        loans=tuple(_loan_row(ledger, f, name(f.lender)) for f in ledger.loan_facilities),
        seconded=seconded,
        facilities=tuple(
            FacilityRow(f.id, f.donor, name(f.donor), tuple(i.get(lang) for i in f.items))
            for f in ledger.facilities
        ),
        staff=tuple(
            StaffRow(
                s.id,
                s.donor,
                name(s.donor),
                s.full_time,
                s.part_time,
                None,
                tuple(u.get(lang) for u in s.units),
            )
            for s in ledger.staff
        ),
        direct_support=tuple(
            DirectRow(d.id, d.donor, name(d.donor), d.chf, d.what.get(lang) if d.what else None)
            for d in ledger.direct_support
        ),
        totals=totals,
        budget=_budget(ledger, statement, totals.received_and_pledged, lang),
        purposes=_purposes(received, pledged),
        cancelled=cancelled,
    )


def _loan_row(ledger: Ledger, facility: LoanFacility, lender: str) -> LoanRow:
    now = loans.facility_standing(ledger, facility)
    return LoanRow(
        facility.id,
        facility.lender,
        lender,
        facility.ceiling,
        facility.phase,
        now.drawn,
        now.repaid,
    )


def _purposes(
    received: tuple[EntryRow, ...], pledged: tuple[EntryRow, ...]
) -> tuple[PurposeRow, ...]:
    """Subtotals at every level of the purposes, when any entry has one."""
    if not any(row.purpose for row in (*received, *pledged)):
        return ()
    sums: dict[str, list[Decimal]] = {}
    for index, rows in enumerate((received, pledged)):
        for row in rows:
            parts = row.purpose.split("/") if row.purpose else [""]
            for depth in range(1, len(parts) + 1):
                key = "/".join(parts[:depth])
                sums.setdefault(key, [Decimal(0), Decimal(0)])[index] += row.chf
    return tuple(
        PurposeRow(key, key.count("/") if key else 0, received_sum, pledged_sum)
        for key, (received_sum, pledged_sum) in sorted(
            sums.items(), key=lambda kv: (kv[0] == "", kv[0])
        )
    )


def as_of(ledger: Ledger) -> date | None:
    """What the ledger is "as of": its latest statement date or entry date."""
    dates = [s.as_of for s in ledger.statements] + [e.date for e in ledger.entries if e.date]
    return max(dates, default=None)


def _headings(statement: Statement | None, lang: str) -> dict[str, str]:
    own = statement.headings if statement else {}
    return {key: own.get(key, default).get(lang) for key, default in DEFAULT_HEADINGS.items()}


def _budget(
    ledger: Ledger, statement: Statement | None, money_in: Decimal, lang: str
) -> Budget | None:
    """Coverage of the statement's phase budget, or of the fund's first phase with a budget."""
    phases = [p for p in ledger.fund.phases if p.budget is not None]
    if statement is not None and statement.phase is not None:
        phases = [p for p in phases if p.id == statement.phase]
    if not phases:
        return None
    phase = phases[0]
    assert phase.budget is not None
    return Budget(
        phase_id=phase.id,
        phase=phase.name.get(lang),
        estimate=phase.budget,
        coverage_percent=money.percent(money_in, phase.budget, COVERAGE_PLACES),
        gap=phase.budget - money_in,
    )


def _sum(values: object) -> Decimal:
    return sum(values, Decimal(0))  # type: ignore[call-overload,no-any-return]
