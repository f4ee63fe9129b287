"""The ledger's records: immutable, validated, and knowing where they were written
(their base, `Record`, in `record_base`; a statement's printed totals in `stated`).

Every record refuses fields it does not know (`extra="forbid"`: a typo such as
`ammount` is an error, never ignored) and takes its numbers from their text
through `money` (never through a float). Rules that need more than one record
(a donor that must exist, a booked amount that must agree with its rate) are
checks (`checks.py`), not validators, so that a run reports all of them.
"""

# No `from __future__ import annotations` here, unlike the other modules: pydantic
# would evaluate each field's annotation from its text at start (bench/HISTORY.md);
# written as objects, they are taken as they are.
from decimal import Decimal
from typing import Literal

from pydantic import model_validator

from wsis_ledger.core.fields import (
    BOOKING_CURRENCY,
    Amount,
    Chf,
    Code,
    Count,
    Currency,
    Date,
    Day,
    DonorKind,
    Flag,
    Id,
    Number,
    Purpose,
    RateValue,
    SupportRate,
    Text,
    within_minor_unit,
)
from wsis_ledger.core.record_base import Identified as Identified
from wsis_ledger.core.record_base import Place as Place
from wsis_ledger.core.record_base import Record as Record
from wsis_ledger.core.record_base import Sha256, Timestamp
from wsis_ledger.core.stated import Stated as Stated
from wsis_ledger.core.stated import StatedAmount as StatedAmount
from wsis_ledger.core.stated import StatedBound as StatedBound


class Names(Record):
    """A name in English and, where the source or the user gives one, in the other official
    languages of the UN (`zh` where the source prints it); never machine-translated."""

    en: Text
    zh: Text | None = None
    fr: Text | None = None
    es: Text | None = None
    ru: Text | None = None
    ar: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_text_is_english(cls, value: object) -> object:
        return {"en": value} if isinstance(value, str) else value

    def get(self, lang: str) -> str:
        """The name in `lang`, falling back to English."""
        return self.given(lang) or self.en

    def given(self, lang: str) -> str | None:
        """The name in `lang` where it is given (English always is), else None."""
        value = getattr(self, lang, None) if lang in NAME_LANGUAGES else None
        return value if isinstance(value, str) and value else None

    def language(self, lang: str) -> str:
        """The language of the name `get(lang)` gives: `lang`, or `en` where it falls back."""
        return lang if self.given(lang) else "en"

    def texts(self) -> tuple[str, ...]:
        """The name in every language it is given in, English first."""
        return tuple(t for lang in NAME_LANGUAGES if (t := self.given(lang)))


#: The languages a name may be given in (the fields of `Names`), English first.
NAME_LANGUAGES = ("en", "zh", "fr", "es", "ru", "ar")


class Note(Names):
    """A note printed by the source; `under` names the section it stands under
    (`pledged`, `seconded`, ...), else it stands with the summary."""

    under: Id | None = None


class Phase(Identified):
    """A phase of the fund's work, with its budget estimate where one is stated."""

    name: Names
    budget: Chf | None = None
    budget_note: Names | None = None
    source: Text | None = None
    #: The period the budget is for, where the source gives it (IATI budgets need one).
    start: Date | None = None
    end: Date | None = None


class DirectSupport(Identified):
    """Money given for the fund's purpose outside the fund (not a contribution to it)."""

    donor: Id
    chf: Chf
    what: Names | None = None
    source: Text | None = None
    #: The statement it was published with (its file's, by default); `--as-of` uses its date.
    statement: Id | None = None


class Signatory(Record):
    """Who signs the fund's accounts: a name and a title (either may be left to the pen)."""

    name: Text | None = None
    title: Text | None = None


class IatiSettings(Record):
    """What an IATI activity file needs that the records do not say (`export --format iati`).

    Each value is the ledger's own reading unless `reading` says where it comes
    from: the source report names no IATI identifier, sector or region.
    """

    #: The reporting organisation's IATI identifier (`XM-DAC-41303`: ITU's DAC channel code).
    reporting_org: Code
    #: Its IATI OrganisationType code (`40`: multilateral).
    reporting_org_type: Code
    #: The activity's IATI identifier; it begins with `reporting_org`.
    activity_id: Code
    #: The DAC 5-digit sector code of the fund's purpose (`22040`: ICT).
    sector: Code
    #: An IATI Region code (`998`: developing countries, unspecified) or a country (`country`).
    region: Code | None = None
    country: Code | None = None
    #: IATI ActivityStatus code at the export's date (`2`: implementation).
    status: Code = "2"
    #: The activity's actual start; without it, the earliest date the ledger holds (said so).
    start: Date | None = None
    #: Where these values come from.
    reading: Text | None = None


class ApprovalRule(Record):
    """Which records need a second person's approval (`wsis-ledger approve`)."""

    #: Expenditures of more than this (in CHF, as booked) need one.
    expenditure_over: Chf | None = None
    #: Every loan drawing needs one.
    loan_drawings: Flag = False
    #: Who may approve (compared as names are: case and spacing aside); anyone, where empty.
    approvers: tuple[Text, ...] = ()


class Fund(Identified):
    """The fund the ledger is for: its name, booking rules and phases."""

    name: Names
    currency: Literal["CHF"] = "CHF"
    #: The fund books multiples of this (1: whole francs).
    booking_unit: Chf = Decimal(1)
    phases: tuple[Phase, ...] = ()
    source: Text | None = None
    note: Text | None = None
    #: Programme support costs charged on expenditure (0.13: 13 %); none where not stated.
    support_cost_rate: SupportRate | None = None
    #: Rates for some purposes (the most specific purpose wins over the fund's rate).
    support_cost_rates: dict[Purpose, SupportRate] = {}
    #: The accounts' basis of preparation: `cash` (signed agreements disclosed, not
    #: counted), or `modified accrual` (signed agreements not yet paid are receivable).
    basis: Literal["cash", "modified accrual"] | None = None
    #: Who prepares and who certifies the accounts (blank lines where not given).
    prepared_by: Signatory | None = None
    certified_by: Signatory | None = None
    #: Which records need a second person's approval; none, where not given.
    approval: ApprovalRule | None = None
    #: What `export --format iati` needs beyond the records (none: that export stops and says so).
    iati: IatiSettings | None = None


class Donor(Identified):
    """Whoever gives: once each, with its names in both languages and its kind."""

    name: Names
    kind: DonorKind
    aliases: tuple[Text, ...] = ()
    note: Text | None = None
    #: What of this donor is the ledger's own reading, not printed by the source:
    #: `name` (its English name), `kind`, `aliases`.
    readings: tuple[Literal["name", "kind", "aliases", "iati_id"], ...] = ()
    #: The donor's IATI organisation identifier, where it has one (`XM-DAC-41303`).
    iati_id: Code | None = None


class Statement(Identified):
    """A published statement of the fund as of a date; entries in its file belong to it."""

    title: Names
    as_of: Date
    phase: Id | None = None
    #: Where it was published: plain text (English), or `en` and `zh`.
    source: Names | None = None
    #: `Stated()` without validating (nothing to validate): calling `Stated()` built
    #: pydantic's validator for it as this module was imported (bench/HISTORY.md).
    stated: Stated = Stated.model_construct()
    headings: dict[str, Names] = {}
    notes: tuple[Note, ...] = ()


class Entry(Identified):
    """Money given (a receipt) or promised (a pledge).

    `amount` and `currency` are what the donor gave where the source says;
    `chf` is what the fund booked. A non-CHF amount needs a `rate` (CHF per
    unit) or a booked `chf` (from which the rate is derived), and where it
    has both they must agree (checked in `checks`).
    """

    donor: Id
    currency: Currency | None = None
    amount: Amount | None = None
    chf: Chf | None = None
    rate: RateValue | None = None
    rate_source: Text | None = None
    date: Date | None = None
    purpose: Purpose | None = None
    reference: Text | None = None
    statement: Id | None = None
    note: Text | None = None
    #: A note the source prints beside the entry (ITU's "2004-2007 financial plan").
    source_note: Names | None = None
    #: The phase the entry is given for, where the source says.
    phase: Id | None = None

    _within_minor_unit = within_minor_unit


class Receipt(Entry):
    """Money received; `pledge` names the pledge it pays, if any."""

    pledge: Id | None = None


class Instalment(Record):
    """One instalment of a signed agreement: when it falls due, and how much (in the
    pledge's currency)."""

    due: Date
    amount: Amount


class Pledge(Entry):
    """Money promised; paid by receipts that name it, or withdrawn by a `Cancellation`.

    Announced until `signed` (the date of its signed agreement): only a signed
    agreement is a receivable of the accounts; an announced pledge is disclosed.
    `instalments` say when what is agreed falls due (`pledges` shows what is overdue).
    """

    signed: Date | None = None
    instalments: tuple[Instalment, ...] = ()


class Cancellation(Identified):
    """A pledge withdrawn, recorded beside it (never by editing it)."""

    pledge: Id
    date: Date
    note: Text


class LoanDrawing(Identified):
    """Money drawn on a loan facility, for a stated use."""

    facility: Id
    amount: Chf
    date: Date
    use: Text
    note: Text | None = None
    #: The document stating the amount and its use: a path in the ledger folder, or a
    #: reference (a symbol, a letter's date) where it is not kept there.
    document: Text | None = None
    #: The SHA-256 of the document's file when it was recorded (a path only).
    document_sha256: Sha256 | None = None


class LoanRepayment(Identified):
    """Money repaid to a loan facility."""

    facility: Id
    amount: Chf
    date: Date
    note: Text | None = None


class Reassignment(Identified):
    """A contribution or pledge put to another use, with the donor's agreement.

    Recorded beside the entry, never by editing it; the latest (by date,
    then by order) gives the entry's purpose.
    """

    entry: Id
    purpose: Purpose
    note: Text
    date: Date | None = None
    #: The statement it came with (its file's, by default): undated, it counts from its date.
    statement: Id | None = None


class Expenditure(Identified):
    """Money the fund spent, on a date, for a stated use (and purpose, where earmarked).

    Valued in CHF as receipts are: CHF is its own value; another currency needs
    a `rate` (CHF per unit) or the booked `chf`, or a rate in the rates table.
    """

    date: Date
    currency: Currency = BOOKING_CURRENCY
    amount: Amount
    rate: RateValue | None = None
    chf: Chf | None = None
    rate_source: Text | None = None
    description: Text
    purpose: Purpose | None = None
    phase: Id | None = None
    payee: Text | None = None
    reference: Text | None = None
    note: Text | None = None

    _within_minor_unit = within_minor_unit


class CashMovement(Identified):
    """Money in or out of the fund's cash that is neither a contribution, a loan nor an
    expenditure: valued in CHF as an expenditure is (CHF is its own value; another
    currency needs a `rate`, the booked `chf`, or a rate in the rates table)."""

    date: Date
    currency: Currency = BOOKING_CURRENCY
    amount: Amount
    rate: RateValue | None = None
    chf: Chf | None = None
    rate_source: Text | None = None
    reference: Text | None = None
    note: Text | None = None

    _within_minor_unit = within_minor_unit


class OtherIncome(CashMovement):
    """Income of the fund beside contributions: interest on its balance, or other income."""

    kind: Literal["interest", "other"] = "interest"
    description: Text | None = None


class Refund(CashMovement):
    """Money returned to a donor (an unspent balance, an overpayment); `receipt` names
    the contribution it returns part of, where it is one."""

    donor: Id
    receipt: Id | None = None


class BankCharge(CashMovement):
    """A charge of the fund's bank, taken from its cash."""

    description: Text | None = None


class BudgetLine(Identified):
    """A line of a phase's budget: what may be spent (in CHF) on a purpose and its sub-purposes."""

    phase: Id
    purpose: Purpose
    amount: Chf
    note: Text | None = None


class LoanFacility(Identified):
    """A loan the fund may draw on: a ceiling, not money received."""

    lender: Id
    currency: Literal["CHF"] = "CHF"
    ceiling: Chf
    phase: Id | None = None
    terms: Text | None = None
    source: Text | None = None
    #: The statement that made it known (its file's, by default): it counts from its date.
    statement: Id | None = None
    #: When it was granted, where known: it counts from then (else from its statement's
    #: date), and nothing is drawn on it before.
    date: Date | None = None


class Secondment(Identified):
    """Staff lent to the fund's secretariat, their salaries paid by whoever sent them."""

    donor: Id
    experts: Count
    part_time: Flag = False
    paid_by: Id | None = None
    note: Text | None = None
    statement: Id | None = None


class Facility(Identified):
    """Things provided in kind: offices, furniture, computers."""

    donor: Id
    items: tuple[Names, ...]
    statement: Id | None = None


class StaffSupport(Identified):
    """Staff of an organization working for the fund's purpose beside their own duties."""

    donor: Id
    full_time: Count = 0
    part_time: Count = 0
    units: tuple[Names, ...] = ()
    statement: Id | None = None


class RateRecord(Record):
    """A rate in the ledger's rates table: CHF per unit of `currency`, on a date
    or over a period (`start` to `end`, both included), with its source."""

    currency: Currency
    rate: RateValue
    date: Date | None = None
    start: Date | None = None
    end: Date | None = None
    source: Text

    def covers(self, on: Day) -> bool:
        """True when the rate applies on `on`."""
        if self.date is not None:
            return self.date == on
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


StatedTotal = Literal["received", "pledged", "total"]


class Acknowledgement(Identified):
    """A known difference between a statement's printed total and what its entries add
    up to, recorded as it stood (`stated` and `computed`) with a note saying why.

    It answers for that difference only: once the entries or the printed figure
    change, the difference is a problem again.
    """

    statement: Id
    total: StatedTotal
    purpose: Purpose | None = None
    stated: Chf
    computed: Number
    note: Text
    date: Date


class Recording(Record):
    """Who wrote a file and when: its top-level `recorded_by` and `recorded_at`,
    which every write puts in the file it writes (a file written by hand may have
    none). `by` is a name (`--by`, the git user, or the login name)."""

    by: Text
    at: Timestamp


class Closing(Identified):
    """A period closed: every record dated on or before `through`, as it stood, held as a
    SHA-256 of each (`records`, by kind and id) and of them all with the period's totals
    (`digest`; docs/format.md says how both are made). Records dated in a closed period
    may not be added, changed or removed (`check`), until it is reopened."""

    through: Date
    #: The day the period was closed.
    date: Date
    digest: Sha256
    totals: dict[Id, Number]
    records: dict[Text, Sha256] = {}
    note: Text | None = None


class Reopening(Identified):
    """A closed period opened again, with the reason: the closing no longer holds."""

    closing: Id
    through: Date
    reason: Text
    date: Date


class Approval(Identified):
    """A second person's approval of a record (an expenditure, a loan drawing)."""

    record: Id
    by: Text
    date: Date
    note: Text | None = None


#: The top-level keys of a file that hold its `Recording`, and the field each gives.
RECORDING_KEYS = {"recorded_by": "by", "recorded_at": "at"}


#: The lists a ledger file may hold, by their key in YAML.
SECTIONS: dict[str, type[Record]] = {
    "donors": Donor,
    "received": Receipt,
    "pledged": Pledge,
    "loan_facilities": LoanFacility,
    "seconded": Secondment,
    "facilities": Facility,
    "staff": StaffSupport,
    "direct_support": DirectSupport,
    "loan_drawings": LoanDrawing,
    "loan_repayments": LoanRepayment,
    "reassignments": Reassignment,
    "rates": RateRecord,
    "cancellations": Cancellation,
    "expenditures": Expenditure,
    "budget_lines": BudgetLine,
    "acknowledgements": Acknowledgement,
    "closings": Closing,
    "reopenings": Reopening,
    "approvals": Approval,
    "other_income": OtherIncome,
    "refunds": Refund,
    "bank_charges": BankCharge,
}
#: The single mappings a ledger file may hold.
SINGLES: dict[str, type[Record]] = {"fund": Fund, "statement": Statement}
