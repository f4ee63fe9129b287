"""A loaded ledger: the records of every file, and look-ups over them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .models import (
    DirectSupport,
    Donor,
    Entry,
    Facility,
    Fund,
    LoanFacility,
    Pledge,
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

    @cached_property
    def donor_by_id(self) -> dict[str, Donor]:
        """Donors by id (the first, where an id is given twice: `check` reports the second)."""
        table: dict[str, Donor] = {}
        for donor in self.donors:
            table.setdefault(donor.id, donor)
        return table

    @property
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

    def covered_by(self, statement: Statement) -> tuple[Entry, ...]:
        """The entries a statement covers: those that name it (their file's, by default)."""
        return tuple(entry for entry in self.entries if entry.statement == statement.id)
