"""A loaded ledger: the records of every file, and look-ups over them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal, TypeVar

from wsis_ledger.core.models import (
    Acknowledgement,
    Approval,
    BankCharge,
    BudgetLine,
    Cancellation,
    Closing,
    DirectSupport,
    Donor,
    Entry,
    Expenditure,
    Facility,
    Fund,
    LoanDrawing,
    LoanFacility,
    LoanRepayment,
    OtherIncome,
    Pledge,
    RateRecord,
    Reassignment,
    Receipt,
    Recording,
    Refund,
    Reopening,
    Secondment,
    StaffSupport,
    Statement,
)
from wsis_ledger.core.problems import Problem

#: Where the day an entry became known comes from: its own `date`, the date of the
#: statement it came with, or (with neither) the ledger's last day: the ledger's reading.
DateSource = Literal["record", "statement", "ledger"]
_R = TypeVar("_R")


@dataclass(frozen=True)
class Ledger:
    """Everything a ledger folder holds, in file order."""

    root: Path
    fund: Fund
    files: tuple[Path, ...] = ()
    statements: tuple[Statement, ...] = ()
    donors: tuple[Donor, ...] = ()
    received: tuple[Receipt, ...] = ()
    pledged: tuple[Pledge, ...] = ()
    loan_facilities: tuple[LoanFacility, ...] = ()
    seconded: tuple[Secondment, ...] = ()
    facilities: tuple[Facility, ...] = ()
    staff: tuple[StaffSupport, ...] = ()
    direct_support: tuple[DirectSupport, ...] = ()
    loan_drawings: tuple[LoanDrawing, ...] = ()
    loan_repayments: tuple[LoanRepayment, ...] = ()
    reassignments: tuple[Reassignment, ...] = ()
    rates: tuple[RateRecord, ...] = ()
    cancellations: tuple[Cancellation, ...] = ()
    expenditures: tuple[Expenditure, ...] = ()
    budget_lines: tuple[BudgetLine, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    #: Who wrote each file that says so, and when (`recorded_by`, `recorded_at`).
    recordings: tuple[Recording, ...] = ()
    closings: tuple[Closing, ...] = ()
    reopenings: tuple[Reopening, ...] = ()
    approvals: tuple[Approval, ...] = ()
    other_income: tuple[OtherIncome, ...] = ()
    refunds: tuple[Refund, ...] = ()
    bank_charges: tuple[BankCharge, ...] = ()

    @cached_property
    def recording_of(self) -> dict[Path, Recording]:
        """Each file's recording (who wrote it, when), where it has one."""
        return {r.place.path: r for r in self.recordings}

    #: What the reading of its folder warns of (a stray link that leads nowhere):
    #: `check` shows them with the other warnings; they fail nothing but `--strict`.
    warnings: tuple[Problem, ...] = field(default=(), compare=False, repr=False)
    #: The whole ledger this one was cut from by `known_on` (None: it is whole). When
    #: a record became known is decided on the whole ledger, so a cut never moves it.
    whole: Ledger | None = field(default=None, compare=False, repr=False)

    @cached_property
    def statement_dates(self) -> dict[str, date]:
        """Each statement's `as_of`, by id (the whole ledger's: a cut keeps them)."""
        if self.whole is not None:
            return self.whole.statement_dates
        return {s.id: s.as_of for s in self.statements}

    @cached_property
    def last_day(self) -> date | None:
        """What the ledger is "as of": its latest statement date or dated record."""
        dates = [s.as_of for s in self.statements] + [e.date for e in self.entries if e.date]
        dates += [c.date for c in self.cancellations]
        dates += [d.date for d in self.loan_drawings] + [r.date for r in self.loan_repayments]
        dates += [x.date for x in self.expenditures]
        dates += [m.date for m in self.cash_movements]
        # What else the position shows from its day: a purpose changed, a facility granted.
        dates += [r.date for r in self.reassignments if r.date]
        dates += [f.date for f in self.loan_facilities if f.date]
        return max(dates, default=None)

    @cached_property
    def cash_movements(self) -> tuple[OtherIncome | Refund | BankCharge, ...]:
        """Other income, refunds to donors and bank charges together."""
        return (*self.other_income, *self.refunds, *self.bank_charges)

    def known(self, record: object) -> tuple[date | None, DateSource]:
        """The one rule for when a record became known, and what says so.

        Its own `date` (a rate for a period: its `start`); else the date of the
        statement it came with; else the whole ledger's last day (`last_day`), the
        ledger's reading: a record nothing dates is known by the time the ledger
        is. Every output, the journals and `--as-of` (`known_on`) use it. None only
        where the ledger holds no date at all, or for a rate without a start (in
        force from the beginning).
        """
        own = getattr(record, "date", None)
        if own is not None:
            return own, "record"
        if isinstance(record, RateRecord):
            return record.start, "record"
        statement = getattr(record, "statement", None)
        if statement is not None and (day := self.statement_dates.get(statement)) is not None:
            return day, "statement"
        return (self.whole or self).last_day, "ledger"

    def known_from(self, record: object) -> date | None:
        """The day `record` became known (`known`)."""
        return self.known(record)[0]

    @cached_property
    def donor_by_id(self) -> dict[str, Donor]:
        """Donors by id (the first, where an id is given twice: `check` reports the second)."""
        table: dict[str, Donor] = {}
        for donor in self.donors:
            table.setdefault(donor.id, donor)
        return table

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        """Receipts and pledges together."""
        return self.received + self.pledged

    @cached_property
    def entry_by_id(self) -> dict[str, Entry]:
        """Receipts and pledges by id."""
        table: dict[str, Entry] = {}
        for entry in self.entries:
            table.setdefault(entry.id, entry)
        return table

    @property
    def latest_statement(self) -> Statement | None:
        """The statement with the latest `as_of` date."""
        return max(self.statements, key=lambda s: s.as_of, default=None)

    def donor_name(self, donor_id: str, lang: str = "en") -> str:
        """The donor's name in `lang`, or its id where the donor is unknown."""
        donor = self.donor_by_id.get(donor_id)
        return donor.name.get(lang) if donor else donor_id

    @cached_property
    def purpose_of(self) -> dict[str, str | None]:
        """Each entry's purpose: its own, or that of its latest reassignment."""
        purposes = {entry.id: entry.purpose for entry in self.entries}
        ordered = sorted(
            enumerate(self.reassignments), key=lambda pair: (pair[1].date or date.min, pair[0])
        )
        for _, reassignment in ordered:
            if reassignment.entry in purposes:
                purposes[reassignment.entry] = reassignment.purpose
        return purposes

    @cached_property
    def reassigned(self) -> dict[str, Reassignment]:
        """The reassignment that gives each reassigned entry its purpose."""
        latest: dict[str, Reassignment] = {}
        for reassignment in self.reassignments:
            if self.purpose_of.get(reassignment.entry) == reassignment.purpose:
                latest[reassignment.entry] = reassignment
        return latest

    @cached_property
    def cancellation_of(self) -> dict[str, Cancellation]:
        """The (earliest) cancellation of each cancelled pledge."""
        table: dict[str, Cancellation] = {}
        for cancellation in sorted(self.cancellations, key=lambda c: c.date):
            table.setdefault(cancellation.pledge, cancellation)
        return table

    @property
    def standing_pledges(self) -> tuple[Pledge, ...]:
        """The pledges not cancelled."""
        return tuple(p for p in self.pledged if p.id not in self.cancellation_of)

    def payments_of(self, pledge_id: str) -> tuple[Receipt, ...]:
        """The receipts that pay a pledge."""
        return self._payments.get(pledge_id, ())

    @cached_property
    def _payments(self) -> dict[str, tuple[Receipt, ...]]:
        table: dict[str, list[Receipt]] = {}
        for receipt in self.received:
            if receipt.pledge is not None:
                table.setdefault(receipt.pledge, []).append(receipt)
        return {key: tuple(value) for key, value in table.items()}

    def table_rate(self, currency: str, on: date | None) -> RateRecord | None:
        """The rates table's rate for `currency` on `on`: a rate for that very date
        before one for a period; the latest written where several apply."""
        if on is None:
            return None
        found = [r for r in self.rates if r.currency == currency and r.covers(on)]
        exact = [r for r in found if r.date is not None]
        chosen = exact or found
        return chosen[-1] if chosen else None

    def covered_by(self, statement: Statement) -> tuple[Entry, ...]:
        """The entries a statement covers: those that name it (their file's, by default)."""
        return self._entries_by_statement.get(statement.id, ())

    @cached_property
    def _entries_by_statement(self) -> dict[str | None, tuple[Entry, ...]]:
        """The entries, in their order, by the statement they name: one pass for
        every statement's (the checks and the report ask for each)."""
        table: dict[str | None, list[Entry]] = {}
        for entry in self.entries:
            table.setdefault(entry.statement, []).append(entry)
        return {key: tuple(value) for key, value in table.items()}


def known_on(ledger: Ledger, on: date) -> Ledger:
    """The ledger as it stood on `on`: only what was known by then.

    Every record counts from the day `Ledger.known` gives it (its date, its
    statement's, or the ledger's last day); a statement from its `as_of`. A
    record known from no day (a ledger without dates, a rate without a start)
    counts on any day. Expenditures count from their date.
    """
    whole = ledger.whole or ledger

    def kept(records: tuple[_R, ...]) -> tuple[_R, ...]:
        kept = []
        for record in records:
            day = whole.known_from(record)
            if day is None or day <= on:
                kept.append(record)
        return tuple(kept)

    return replace(
        ledger,
        whole=whole,
        statements=tuple(s for s in ledger.statements if s.as_of <= on),
        received=kept(ledger.received),
        pledged=kept(ledger.pledged),
        loan_facilities=kept(ledger.loan_facilities),
        loan_drawings=kept(ledger.loan_drawings),
        loan_repayments=kept(ledger.loan_repayments),
        reassignments=kept(ledger.reassignments),
        rates=kept(ledger.rates),
        cancellations=kept(ledger.cancellations),
        expenditures=kept(ledger.expenditures),
        other_income=kept(ledger.other_income),
        refunds=kept(ledger.refunds),
        bank_charges=kept(ledger.bank_charges),
        seconded=kept(ledger.seconded),
        facilities=kept(ledger.facilities),
        staff=kept(ledger.staff),
        direct_support=kept(ledger.direct_support),
        acknowledgements=kept(ledger.acknowledgements),
    )


def as_of(ledger: Ledger) -> date | None:
    """What the ledger is "as of": its latest statement date or dated record."""
    return ledger.last_day
