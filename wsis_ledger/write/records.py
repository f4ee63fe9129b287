"""New records a command or a script asks for: what each one is, its id, and its file.

Each function reads the ledger as it stands (under the write lock, through
`write.files.transact`) and returns the `NewRecord` to add, or raises
`RecordError` saying why it cannot be recorded. The record is written to a
new file of its own under `journal/`; the loaded ledger is then checked with
it before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from wsis_ledger.compute.stated_totals import acknowledgement_of, stated_figures
from wsis_ledger.core import money
from wsis_ledger.core.fields import Purpose
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import CashMovement, LoanFacility, Pledge, StatedBound
from wsis_ledger.write.files import journal_path
from wsis_ledger.write.yaml_text import sections_to_yaml

if TYPE_CHECKING:  # the reference rates load only where a rate is fetched
    from wsis_ledger.source.reference_rates import ReferenceRate


class RecordError(Exception):
    """A record that cannot be made as asked; `field` names what was wrong, where one was."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewRecord:
    """One record to add: its section, its fields, the day that names its file, a header."""

    section: str
    fields: Mapping[str, object]
    day: date
    header: str
    #: What names the file where the record has no id of its own (a rate).
    name: str | None = None
    folder: str = "journal"
    #: More records of the same section, written in the same file.
    more: tuple[Mapping[str, object], ...] = ()

    @property
    def id(self) -> str:
        return str(self.fields.get("id") or self.name)

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of every record it adds (its own, then those of `more`); a rate has none."""
        return tuple(str(m["id"]) for m in (self.fields, *self.more) if m.get("id"))

    def file(self, root: Path) -> dict[Path, str]:
        """The new file that holds it, as `transact` takes it."""
        path = journal_path(root, self.day, self.id, self.folder)  # an id never becomes a path
        if self.section == "statement":  # a single mapping, not a list
            return {path: single_to_yaml(self.section, self.fields, self.header)}
        records = [dict(self.fields), *(dict(m) for m in self.more)]
        return {path: sections_to_yaml({self.section: records}, self.header)}


def single_to_yaml(key: str, fields: Mapping[str, object], header: str) -> str:
    """A single mapping (`statement:`) as a ledger file; None fields left out."""
    text = sections_to_yaml({key: [fields]}, header)
    # `key:\n  - a: 1\n    b: 2` is a list of one; the same lines less the dash are the mapping.
    return text.replace(f"{key}:\n  - ", f"{key}:\n    ", 1).replace("\n    ", "\n  ")


def next_id(prefix: str, taken: set[str]) -> str:
    """`prefix-1`, `prefix-2`, ...: the first not taken."""
    n = 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


def _pledge(ledger: Ledger, pledge_id: str) -> Pledge:
    pledge = ledger.entry_by_id.get(pledge_id)
    if not isinstance(pledge, Pledge):
        raise RecordError(f"there is no pledge '{pledge_id}'", "pledge")
    return pledge


def payment(
    ledger: Ledger,
    pledge_id: str,
    amount: Decimal,
    *,
    currency: str | None = None,
    rate: Decimal | None = None,
    chf: Decimal | None = None,
    on: date | None = None,
    reference: str | None = None,
) -> NewRecord:
    """A receipt that pays (part of) a pledge: in the pledge's currency unless told
    otherwise; another currency than CHF needs a rate or the booked CHF."""
    if rate is not None and chf is not None:
        raise RecordError("give a rate or the booked CHF, not both")
    pledge = _pledge(ledger, pledge_id)
    paid_in = (currency or pledge.currency or "CHF").upper()
    try:
        money.check_minor_unit(amount, money.check_currency(paid_in))
    except money.MoneyError as error:
        raise RecordError(str(error), "amount") from None
    if paid_in != "CHF" and rate is None and chf is None:
        raise RecordError(f"a payment in {paid_in} needs a rate or the booked CHF")
    day = on or date.today()  # recorded as well as naming the file: one day, written once
    fields = {
        "id": next_id(f"{pledge.id}-pay", set(ledger.entry_by_id)),
        "donor": pledge.donor,
        "pledge": pledge.id,
        "amount": amount,
        "currency": paid_in,
        "rate": rate,
        "chf": chf,
        "date": day,
        "reference": reference,
        "purpose": payment_purpose(ledger, pledge.id),
    }
    header = f"A payment against pledge {pledge.id}, recorded by wsis-ledger receive."
    return NewRecord("received", fields, day, header)


def payment_purpose(ledger: Ledger, pledge_id: str, given: str | None = None) -> str | None:
    """The purpose a payment against a pledge is recorded with, by `receive` and `import`
    alike: the one given, else the pledge's (its latest reassignment's, if any), so that
    what a purpose received does not depend on the command that recorded the payment."""
    if given is not None:
        return given
    return ledger.purpose_of.get(pledge_id)


def cancellation(ledger: Ledger, pledge_id: str, on: date, note: str) -> NewRecord:
    """A pledge withdrawn from `on`."""
    _pledge(ledger, pledge_id)
    if pledge_id in ledger.cancellation_of:
        raise RecordError(f"the pledge '{pledge_id}' is cancelled already", "pledge")
    fields = {
        "id": next_id(f"{pledge_id}-cancelled", {c.id for c in ledger.cancellations}),
        "pledge": pledge_id,
        "date": on,
        "note": note,
    }
    return NewRecord(
        "cancellations", fields, on, "A pledge withdrawn, recorded by wsis-ledger cancel."
    )


def reassignment(
    ledger: Ledger, entry_id: str, purpose: str, note: str, on: date | None = None
) -> NewRecord:
    """An entry put to another purpose, dated `on` (the day it is recorded, by default)."""
    if entry_id not in ledger.entry_by_id:
        raise RecordError(f"there is no entry '{entry_id}'", "entry")
    day = on or date.today()
    fields = {
        "id": next_id(f"{entry_id}-reassigned", {r.id for r in ledger.reassignments}),
        "entry": entry_id,
        "purpose": purpose,
        "note": note,
        "date": day,
    }
    header = "A reassignment with the donor's agreement, recorded by wsis-ledger reassign."
    return NewRecord("reassignments", fields, day, header)


def loan_movement(
    ledger: Ledger,
    drawn: bool,
    amount: Decimal,
    on: date,
    facility_id: str | None = None,
    **extra: str | None,
) -> NewRecord:
    """A drawing on (or a repayment to) a loan facility: the one named, or the only one."""
    facility = choose_facility(ledger, facility_id)
    verb = "draw" if drawn else "repay"
    taken = {m.id for m in (*ledger.loan_drawings, *ledger.loan_repayments)}
    fields = {
        "id": next_id(f"{facility.id}-{verb}", taken),
        "facility": facility.id,
        "amount": amount,
        "date": on,
        **extra,
    }
    what = "drawing" if drawn else "repayment"
    header = f"A loan {what}, recorded by wsis-ledger loan {verb}."
    return NewRecord("loan_drawings" if drawn else "loan_repayments", fields, on, header)


def choose_facility(ledger: Ledger, facility_id: str | None) -> LoanFacility:
    """The facility named, or the ledger's only one."""
    facilities = {f.id: f for f in ledger.loan_facilities}
    if facility_id is not None:
        if facility_id not in facilities:
            raise RecordError(f"there is no loan facility '{facility_id}'", "facility")
        return facilities[facility_id]
    if not facilities:
        raise RecordError(
            "the ledger has no loan facility to draw on: add one with "
            "'wsis-ledger loan facility add ID --lender DONOR --ceiling AMOUNT'",
            "facility",
        )
    if len(facilities) != 1:
        names = ", ".join(facilities)
        raise RecordError(
            f"name the facility with --facility (the ledger has: {names})", "facility"
        )
    return next(iter(facilities.values()))


def loan_facility(
    ledger: Ledger,
    facility_id: str,
    lender: str,
    ceiling: Decimal,
    on: date,
    *,
    phase: str | None = None,
    terms: str | None = None,
    source: str | None = None,
    granted: date | None = None,
) -> NewRecord:
    """A loan facility the fund may draw on, from `lender` (a donor's id), up to
    `ceiling` CHF, recorded on `on` (which names its file); `granted`, where known, is
    its `date` (it counts from then, and nothing is drawn on it before)."""
    if any(f.id == facility_id for f in ledger.loan_facilities):
        raise RecordError(f"there is a loan facility '{facility_id}' already", "id")
    if lender not in {d.id for d in ledger.donors}:
        ids = sorted(d.id for d in ledger.donors)
        known = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
        known = known or "none"
        raise RecordError(
            f"there is no donor '{lender}' to lend (the ledger has: {known}); "
            "add the lender to donors.yaml first",
            "lender",
        )
    fields = {
        "id": facility_id,
        "lender": lender,
        "ceiling": ceiling,
        "phase": phase,
        "terms": terms,
        "source": source,
        "date": granted,
    }
    header = "A loan facility, recorded by wsis-ledger loan facility add."
    return NewRecord("loan_facilities", fields, on, header)


def expenditure(
    ledger: Ledger,
    amount: Decimal,
    *,
    on: date,
    description: str,
    currency: str = "CHF",
    rate: Decimal | None = None,
    chf: Decimal | None = None,
    purpose: str | None = None,
    phase: str | None = None,
    payee: str | None = None,
    reference: str | None = None,
) -> NewRecord:
    """Money spent on `on`: in CHF unless told otherwise; another currency needs a rate
    or the booked CHF (or a rate in the rates table for that day). Whether the fund had
    the cash is checked with the whole ledger before anything is written."""
    if rate is not None and chf is not None:
        raise RecordError("give a rate or the booked CHF, not both")
    spent_in = currency.upper()
    try:
        money.check_minor_unit(amount, money.check_currency(spent_in))
    except money.MoneyError as error:
        raise RecordError(str(error), "amount") from None
    no_rate = rate is None and chf is None and ledger.table_rate(spent_in, on) is None
    if spent_in != "CHF" and no_rate:
        raise RecordError(f"an amount in {spent_in} needs a rate or the booked CHF", "rate")
    if phase is not None and phase not in {p.id for p in ledger.fund.phases}:
        raise RecordError(f"there is no phase '{phase}'", "phase")
    if purpose is not None:
        try:
            TypeAdapter(Purpose).validate_python(purpose)
        except ValidationError as error:
            raise RecordError(
                str(error.errors()[0]["msg"]).removeprefix("Value error, "), "purpose"
            ) from None
    fields = {
        "id": next_id("exp", {x.id for x in ledger.expenditures}),
        "date": on,
        "amount": amount,
        "currency": spent_in,
        "rate": rate,
        "chf": chf,
        "description": description,
        "purpose": purpose,
        "phase": phase,
        "payee": payee,
        "reference": reference,
    }
    return NewRecord("expenditures", fields, on, "An expenditure, recorded by wsis-ledger spend.")


#: Each kind of cash movement: its section, the prefix of its ids, and the command that
#: records it.
MOVEMENTS = {
    "other_income": ("inc", "income"),
    "refunds": ("ref", "refund"),
    "bank_charges": ("bank", "charge"),
}


def cash_movement(
    ledger: Ledger,
    section: str,
    amount: Decimal,
    *,
    on: date,
    currency: str = "CHF",
    rate: Decimal | None = None,
    chf: Decimal | None = None,
    donor: str | None = None,
    receipt: str | None = None,
    kind: str | None = None,
    description: str | None = None,
    reference: str | None = None,
) -> NewRecord:
    """Other income (`section="other_income"`), a refund to a donor (`refunds`) or a
    bank charge (`bank_charges`) on `on`: in CHF unless told otherwise, another currency
    needing a rate or the booked CHF (or the rates table's for that day). That a refund
    goes to the donor of its receipt, no more than it brought, and that the cash holds
    what goes out, are checked with the whole ledger before anything is written."""
    prefix, command = MOVEMENTS[section]
    if rate is not None and chf is not None:
        raise RecordError("give a rate or the booked CHF, not both")
    moved_in = currency.upper()
    try:
        money.check_minor_unit(amount, money.check_currency(moved_in))
    except money.MoneyError as error:
        raise RecordError(str(error), "amount") from None
    no_rate = rate is None and chf is None and ledger.table_rate(moved_in, on) is None
    if moved_in != "CHF" and no_rate:
        raise RecordError(f"an amount in {moved_in} needs a rate or the booked CHF", "rate")
    if section == "refunds" and (donor is None or donor not in ledger.donor_by_id):
        raise RecordError(f"there is no donor '{donor}'", "donor")
    taken: tuple[CashMovement, ...] = {
        "other_income": ledger.other_income,
        "refunds": ledger.refunds,
        "bank_charges": ledger.bank_charges,
    }[section]
    fields: dict[str, object] = {
        "id": next_id(prefix, {r.id for r in taken}),
        "date": on,
        "amount": amount,
        "currency": moved_in,
        "rate": rate,
        "chf": chf,
    }
    if section == "other_income":
        fields.update(kind=kind or "interest", description=description)
    elif section == "refunds":
        fields.update(donor=donor, receipt=receipt)
    else:
        fields.update(description=description)
    fields["reference"] = reference
    words = {"other_income": "Other income", "refunds": "A refund to a donor"}
    header = f"{words.get(section, 'A bank charge')}, recorded by wsis-ledger {command}."
    return NewRecord(section, fields, on, header)


def rate_record(ledger: Ledger, found: ReferenceRate, on: date | None = None) -> NewRecord:
    """A reference rate, for the ledger's rates table, with its source and the day fetched.

    Recorded for `on`, the day it was asked for (default: the reference's own day):
    on a weekend or holiday the reference is the last business day's, and the
    source says so. Dated by the reference's day instead, the rate would not
    cover the day asked, and the advice to fetch it would go round in a loop."""
    day = on or found.day
    of_day = (
        ""
        if found.day == day
        else f" (its rate of {found.day.isoformat()}, the last business day before)"
    )
    fields = {
        "currency": found.currency,
        "date": day,
        "rate": found.value,
        "source": f"{found.source}{of_day}, fetched {date.today().isoformat()}",
    }
    header = f"A rate fetched by wsis-ledger rates fetch from {found.source}."
    name = f"{found.currency.lower()}"
    return NewRecord("rates", fields, day, header, name=name, folder="rates")


def statement(
    ledger: Ledger,
    statement_id: str,
    as_of: date,
    source: str,
    *,
    title: str | None = None,
    stated_received: object = None,
    stated_pledged: object = None,
    stated_purposes: Sequence[tuple[str, str, object]] = (),
) -> NewRecord:
    """A new published statement, in a file of its own under `statements/`; entries
    imported with `--statement` belong to it and its printed totals check them."""
    if any(s.id == statement_id for s in ledger.statements):
        raise RecordError(f"there is a statement '{statement_id}' already", "id")
    if not source.strip():
        raise RecordError("say where the statement was published", "source")
    stated: dict[str, object] = {
        "received": _printed(stated_received),
        "pledged": _printed(stated_pledged),
    }
    purposes: dict[str, dict[str, object]] = {}
    for purpose, which, figure in stated_purposes:
        purposes.setdefault(purpose, {})[which] = _printed(figure)
    if purposes:
        stated["purposes"] = purposes
    fields = {
        "id": statement_id,
        "title": {"en": (title or source).strip()},
        "as_of": as_of,
        "source": source.strip(),
        "stated": stated if any(v is not None for v in stated.values()) else None,
    }
    header = "A published statement, recorded by wsis-ledger statement add."
    return NewRecord("statement", fields, as_of, header, folder="statements")


def _printed(figure: object) -> object:
    """A printed total as the file writes it: an amount, or a bound in words."""
    if isinstance(figure, StatedBound):  # as printed, in words the file reads back
        words = f"{figure.kind.replace('_', ' ')} {money.format_amount(figure.amount)}"
        if figure.rounding is not None:
            words += f" (to {money.format_amount(figure.rounding)})"
        return words
    return figure


def acknowledgement(ledger: Ledger, statement_id: str, note: str, on: date) -> NewRecord:
    """The differences between a statement's printed totals and its rows, as they stand,
    recorded with a note: `check` then lists them instead of failing on them."""
    if not any(s.id == statement_id for s in ledger.statements):
        raise RecordError(f"there is no statement '{statement_id}'", "statement")
    if not note.strip():
        raise RecordError("say what is known of the difference", "note")
    differing = [
        f
        for f in stated_figures(ledger)
        if f.statement.id == statement_id and not f.holds and acknowledgement_of(ledger, f) is None
    ]
    if not differing:
        raise RecordError(
            f"the printed totals of '{statement_id}' agree with its rows (or their "
            "differences are acknowledged already): there is nothing to acknowledge",
            "statement",
        )
    taken = {a.id for a in ledger.acknowledgements}
    records = []
    for figure in differing:
        record_id = next_id(f"{statement_id}-acknowledged", taken)
        taken.add(record_id)
        records.append(
            {
                "id": record_id,
                "statement": statement_id,
                "total": figure.total,
                "purpose": figure.purpose,
                "stated": figure.stated,
                "computed": figure.computed,
                "note": note.strip(),
                "date": on,
            }
        )
    header = "Known differences between printed totals and their rows, recorded by wsis-ledger statement acknowledge."
    return NewRecord("acknowledgements", records[0], on, header, more=tuple(records[1:]))
