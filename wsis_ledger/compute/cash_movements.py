"""Other income (interest), refunds to donors and bank charges: money in or out of
the fund's cash that is neither a contribution, a loan nor an expenditure.

Each is valued in CHF as an expenditure is (`compute.conversion`: CHF is its
own value; otherwise the booked `chf`, or the amount times its rate, rounded
half-up to the booking unit). None carries a purpose: interest is unrestricted
income, and a refund and a bank charge come out of the unrestricted balance.
The position's fund balance and cash count them (`Totals.fund_balance`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

from wsis_ledger.compute import conversion
from wsis_ledger.compute.conversion import Rate
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import BankCharge, OtherIncome, Refund

MovementKind = Literal["other_income", "refunds", "bank_charges"]
#: The three kinds, in the order every output lists them (their ledger sections).
MOVEMENT_KINDS: tuple[MovementKind, ...] = ("other_income", "refunds", "bank_charges")


class MovementRow(NamedTuple):
    """One movement as the position counts it: its CHF (always positive; `kind`
    says whether it came in or went out)."""

    id: str
    kind: MovementKind
    date: date
    amount: Decimal
    currency: str
    rate: Rate | None
    chf: Decimal
    #: Other income: `interest` or `other`; else None.
    income_kind: str | None
    #: A refund: the donor's id and name, and the receipt it returns part of.
    donor_id: str | None
    donor: str | None
    receipt: str | None
    description: str | None
    reference: str | None

    @property
    def inflow(self) -> bool:
        return self.kind == "other_income"


class CashMovements(NamedTuple):
    """Every movement of the three kinds, each kind in ledger order."""

    other_income: tuple[MovementRow, ...] = ()
    refunds: tuple[MovementRow, ...] = ()
    bank_charges: tuple[MovementRow, ...] = ()
    #: The kinds the whole ledger records on any date: a kind it never records is not
    #: known to be zero (its totals are null in JSON), as with expenditure.
    recorded: frozenset[MovementKind] = frozenset()

    @property
    def rows(self) -> tuple[MovementRow, ...]:
        return (*self.other_income, *self.refunds, *self.bank_charges)

    def total(self, kind: MovementKind) -> Decimal:
        """The CHF of one kind, added up exactly."""
        rows: tuple[MovementRow, ...] = getattr(self, kind)
        return money.total(row.chf for row in rows)

    @property
    def net(self) -> Decimal:
        """What they did to the cash: other income less refunds and bank charges."""
        return self.total("other_income") - self.total("refunds") - self.total("bank_charges")


def movement_chf(ledger: Ledger, record: OtherIncome | Refund | BankCharge) -> Decimal | None:
    """The movement's CHF (None where it cannot be valued: `check` says why)."""
    return conversion.chf_value(record, ledger.fund.booking_unit, ledger)


def recorded_kinds(ledger: Ledger) -> frozenset[MovementKind]:
    """The kinds of movement `ledger` records (ask the whole ledger, not a cut of it)."""
    found = {
        "other_income": bool(ledger.other_income),
        "refunds": bool(ledger.refunds),
        "bank_charges": bool(ledger.bank_charges),
    }
    return frozenset(kind for kind in MOVEMENT_KINDS if found[kind])


def build_cash_movements(
    ledger: Ledger, lang: str = "en", recorded: frozenset[MovementKind] = frozenset()
) -> CashMovements:
    """The movements of `ledger` (already cut to a date), names in `lang`; `recorded`
    (`recorded_kinds` of the whole ledger) says which kinds it records at all."""

    def row(record: OtherIncome | Refund | BankCharge, kind: MovementKind) -> MovementRow:
        chf = movement_chf(ledger, record)
        assert chf is not None, "checks refuse a movement that cannot be valued"
        refund = record if isinstance(record, Refund) else None
        return MovementRow(
            id=record.id,
            kind=kind,
            date=record.date,
            amount=record.amount,
            currency=record.currency,
            rate=conversion.entry_rate(record, ledger),
            chf=chf,
            income_kind=record.kind if isinstance(record, OtherIncome) else None,
            donor_id=refund.donor if refund else None,
            donor=ledger.donor_name(refund.donor, lang) if refund else None,
            receipt=refund.receipt if refund else None,
            description=record.description if not isinstance(record, Refund) else None,
            reference=record.reference,
        )

    return CashMovements(
        other_income=tuple(row(r, "other_income") for r in ledger.other_income),
        refunds=tuple(row(r, "refunds") for r in ledger.refunds),
        bank_charges=tuple(row(r, "bank_charges") for r in ledger.bank_charges),
        recorded=recorded,
    )
