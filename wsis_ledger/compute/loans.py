"""Loan facilities over time: drawn, repaid and outstanding, per facility and phase."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import LoanDrawing, LoanFacility, LoanRepayment

Movement = LoanDrawing | LoanRepayment


# A NamedTuple, not a frozen dataclass, as every record type `check` defines on
# its way: a NamedTuple is much cheaper to define at start (bench/HISTORY.md).
class FacilityStanding(NamedTuple):
    facility: LoanFacility
    drawn: Decimal
    repaid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.drawn - self.repaid


def movements(ledger: Ledger, facility_id: str) -> list[Movement]:
    """A facility's drawings and repayments in date order (drawings first on a day)."""
    found: list[Movement] = [d for d in ledger.loan_drawings if d.facility == facility_id]
    found += [r for r in ledger.loan_repayments if r.facility == facility_id]
    return sorted(found, key=lambda m: (m.date, isinstance(m, LoanRepayment)))


def facility_standing(ledger: Ledger, facility: LoanFacility) -> FacilityStanding:
    """What has been drawn and repaid on a facility."""
    moves = movements(ledger, facility.id)
    drawn = money.total(m.amount for m in moves if isinstance(m, LoanDrawing))
    repaid = money.total(m.amount for m in moves if isinstance(m, LoanRepayment))
    return FacilityStanding(facility, drawn, repaid)
