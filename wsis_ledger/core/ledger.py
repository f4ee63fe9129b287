"""A loaded ledger: the records of every file, and look-ups over them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from wsis_ledger.core.models import (
    Acknowledgement,
    BudgetLine,
    Cancellation,
    DirectSupport,
    Donor,
    Entry,
    Expenditure,
    Facility,
    Fund,
    LoanDrawing,
    LoanFacility,
    LoanRepayment,
    Pledge,
    RateRecord,
    Reassignment,
    Receipt,
    Secondment,
    StaffSupport,
    Statement,
)


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

    Every record counts from its own date where it has one, else from the date
    of the statement it came with (its file's, by default), and, with neither,
    is left out: when it became known cannot be said (`known_from`, the one
    rule every section goes by). Records that state when they apply rather than
    when they became known (rates, budget lines) are kept as they are.
    """
    statements = tuple(s for s in ledger.statements if s.as_of <= on)
    dates = {s.id: s.as_of for s in ledger.statements}

    def known(record: object) -> bool:
        day = known_from(record, dates)
        return day is not None and day <= on

    return replace(
        ledger,
        statements=statements,
        received=tuple(e for e in ledger.received if known(e)),
        pledged=tuple(e for e in ledger.pledged if known(e)),
        loan_facilities=tuple(f for f in ledger.loan_facilities if known(f)),
        loan_drawings=tuple(d for d in ledger.loan_drawings if known(d)),
        loan_repayments=tuple(r for r in ledger.loan_repayments if known(r)),
        reassignments=tuple(r for r in ledger.reassignments if known(r)),
        rates=tuple(r for r in ledger.rates if (r.date or r.start or on) <= on),
        cancellations=tuple(c for c in ledger.cancellations if known(c)),
        expenditures=tuple(x for x in ledger.expenditures if known(x)),
        seconded=tuple(r for r in ledger.seconded if known(r)),
        facilities=tuple(r for r in ledger.facilities if known(r)),
        staff=tuple(r for r in ledger.staff if known(r)),
        direct_support=tuple(r for r in ledger.direct_support if known(r)),
        acknowledgements=tuple(a for a in ledger.acknowledgements if known(a)),
    )


def known_from(record: object, statement_dates: Mapping[str, date]) -> date | None:
    """The day a record became known: its own `date`, else its statement's `as_of`
    (None when it has neither, or names a statement the ledger does not hold)."""
    day = getattr(record, "date", None)
    if isinstance(day, date):
        return day
    statement = getattr(record, "statement", None)
    return statement_dates.get(statement) if isinstance(statement, str) else None


def as_of(ledger: Ledger) -> date | None:
    """What the ledger is "as of": its latest statement date or dated record."""
    dates = [s.as_of for s in ledger.statements] + [e.date for e in ledger.entries if e.date]
    dates += [c.date for c in ledger.cancellations]
    dates += [d.date for d in ledger.loan_drawings] + [r.date for r in ledger.loan_repayments]
    dates += [x.date for x in ledger.expenditures]
    return max(dates, default=None)
