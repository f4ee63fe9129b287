"""The ledger's records: immutable, validated, and knowing where they were written.

Every record refuses fields it does not know (`extra="forbid"`: a typo such as
`ammount` is an error, never ignored) and takes its numbers from their text
through `money` (never through a float). Rules that need more than one record
(a donor that must exist, a booked amount that must agree with its rate) are
checks (`checks.py`), not validators, so that a run reports all of them.
"""

# No `from __future__ import annotations` here, unlike the other modules: pydantic
# would evaluate each field's annotation from its text at start (bench/HISTORY.md);
# written as objects, they are taken as they are.
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    model_validator,
)

from wsis_ledger.core import money
from wsis_ledger.core.dates import parse_date
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
    _chf,
    within_minor_unit,
)
from wsis_ledger.core.problems import Where

#: When a write was recorded: UTC, to the second (`2026-12-07T20:40:11Z`).
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _timestamp(value: object) -> object:
    if isinstance(value, str):
        if not _TIMESTAMP.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a time in UTC to the second, such as 2026-12-07T20:40:11Z"
            )
        parse_date(value[:10])  # a real day
        if int(value[11:13]) > 23 or int(value[14:16]) > 59 or int(value[17:19]) > 60:
            raise ValueError(f"{value!r} is not a time of day")
    return value


Timestamp = Annotated[str, BeforeValidator(_timestamp)]
#: A 64-digit SHA-256, in lower-case hexadecimal.
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _sha256(value: object) -> object:
    if isinstance(value, str) and not _SHA256.fullmatch(value):
        raise ValueError(f"{value!r} is not a SHA-256 (64 digits 0-9 and a-f)")
    return value


Sha256 = Annotated[str, BeforeValidator(_sha256)]


class Locator(Protocol):
    """Finds where a value of a file was written, from its path in the data."""

    path: Path

    def locate(self, loc: tuple[int | str, ...], *, at_key: bool = False) -> Where: ...


class Place:
    """Where a record was written: its file and line, and (`at`) each of its fields.

    `loc` is the record's path in its file's data (`("received", 3)`); the
    line of a field is found through `source` when a problem asks for it.
    """

    __slots__ = ("column", "line", "loc", "source")

    def __init__(
        self, source: Locator | None, line: int, column: int, loc: tuple[int | str, ...] = ()
    ) -> None:
        self.source, self.line, self.column, self.loc = source, line, column, loc

    @property
    def path(self) -> Path:
        return self.source.path if self.source else Path("<memory>")

    def at(self, field: str | None = None) -> Where:
        """The place of `field`'s value, or of the record where the field is absent."""
        if field is None or self.source is None:
            return Where(self.path, self.line, self.column)
        where = self.source.locate((*self.loc, field))
        if (where.line, where.column) < (self.line, self.column):  # the field is absent
            return Where(self.path, self.line, self.column)
        return where


_NOWHERE = Place(None, 0, 0)


class Record(BaseModel):
    """Base of every record: frozen, strict about its fields, and placed in its file.

    A ledger holds a record for each entry (a million of them, at the sizes
    bench/ measures), so what each holds beside its fields counts: its place
    is a slot of its own (not a pydantic private attribute), and the loader
    gives records given the same fields one set of their names
    (`shared_fields_set`, through `model_construct`'s public `_fields_set`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    __slots__ = ("_where",)
    if TYPE_CHECKING:  # the slot, for type checkers only: pydantic would take a
        _where: Place  # class-level annotation for a private attribute of its own

    @property
    def place(self) -> Place:
        """Where the record was written (set once by the loader, with `set_place`)."""
        try:
            return self._where
        except AttributeError:  # a record made in memory, not read from a file
            return _NOWHERE

    def set_place(self, place: Place | None) -> None:
        """Say where the record was written: the loader's, once, as it reads it."""
        if place is not None:
            object.__setattr__(self, "_where", place)

    def __copy__(self) -> Self:
        # pydantic's copy (and so `model_copy`) knows only its own attributes.
        copied = super().__copy__()
        copied.set_place(getattr(self, "_where", None))
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        # As `__copy__`; the place itself is shared, not copied (nothing changes a Place).
        copied = super().__deepcopy__(memo)
        copied.set_place(getattr(self, "_where", None))
        return copied

    def __getstate__(self) -> dict[Any, Any]:
        # pydantic pickles its own attributes only: the place is added beside them.
        state = super().__getstate__()
        where = getattr(self, "_where", None)
        if where is not None:
            state["_where"] = where
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        state = dict(state)
        where = state.pop("_where", None)
        super().__setstate__(state)
        self.set_place(where)


#: One set of field names for all the records of a kind given the same fields
#: (pydantic reads it, as `model_fields_set`, and never changes a frozen record's).
_FIELDS_SETS: dict[tuple[type[Record], frozenset[str]], set[str]] = {}


def shared_fields_set(kind: type[Record], given: frozenset[str]) -> set[str]:
    """The one set of the names `given` that records of `kind` given those fields share."""
    key = (kind, given)
    shared = _FIELDS_SETS.get(key)
    if shared is None:
        shared = _FIELDS_SETS[key] = set(given)
    return shared


class Identified(Record):
    """A record with an id, unique among its kind."""

    id: Id


class Names(Record):
    """A name in English and, where the source gives one, in Chinese."""

    en: Text
    zh: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_text_is_english(cls, value: object) -> object:
        return {"en": value} if isinstance(value, str) else value

    def get(self, lang: str) -> str:
        """The name in `lang`, falling back to English."""
        return (self.zh if lang == "zh" else None) or self.en


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


#: How a printed total may be worded: exactly, or as a bound.
BOUND_WORDS: dict[str, str] = {"more than": "more_than", "at least": "at_least", "about": "about"}
_BOUND_TEXT = re.compile(
    r"\s*(more than|at least|about)\s+(?:CHF\s*)?([0-9][0-9 ,'.]*?)"
    r"(?:\s*\((?:rounded\s+)?to\s+([0-9][0-9 ,'.]*)\))?\s*",
    re.IGNORECASE,
)


class StatedBound(Record):
    """A printed total given as a bound, as the source words it: "more than CHF 1.3
    million" (`more_than: 1300000`), "at least" (`at_least`), or "about" (`about`,
    with `rounding`: what the printed figure is rounded to, 100000 for "1.3
    million"; by default, the figure's last non-zero digit's place)."""

    more_than: Chf | None = None
    at_least: Chf | None = None
    about: Chf | None = None
    rounding: Chf | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Self:
        given = [k for k in ("more_than", "at_least", "about") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a bound is one of more_than, at_least or about, with its amount")
        if self.rounding is not None and given[0] != "about":
            raise ValueError("rounding goes with about only")
        return self

    @property
    def kind(self) -> str:
        """`more_than`, `at_least` or `about`."""
        return next(k for k in ("more_than", "at_least", "about") if getattr(self, k) is not None)

    @property
    def amount(self) -> Decimal:
        """The figure printed."""
        value = getattr(self, self.kind)
        assert isinstance(value, Decimal)
        return value

    @property
    def step(self) -> Decimal:
        """What an `about` figure is rounded to (stated, or read from its digits)."""
        if self.rounding is not None:
            return self.rounding
        if not self.amount or self.amount != self.amount.to_integral_value():
            return Decimal(1)
        digits = str(int(self.amount))
        return Decimal(10) ** (len(digits) - len(digits.rstrip("0")))

    def holds(self, computed: Decimal) -> bool:
        """True when `computed` is what the printed bound says: above it, at least it,
        or within half its rounding of it."""
        if self.kind == "more_than":
            return computed > self.amount
        if self.kind == "at_least":
            return computed >= self.amount
        return abs(computed - self.amount) * 2 <= self.step

    def words(self) -> str:
        """As printed: `more than 1 300 000`, `about 1 300 000 (rounded to 100 000)`."""
        text = f"{self.kind.replace('_', ' ')} {money.group_thousands(self.amount)}"
        if self.kind == "about":
            text += f" (rounded to {money.group_thousands(self.step)})"
        return text


def parse_bound_text(text: str) -> dict[str, str] | None:
    """`more than 1300000`, `at least 5 000`, `about 1300000 (to 100000)` as a bound's
    fields; None when the text is not worded as a bound."""
    found = _BOUND_TEXT.fullmatch(text)
    if found is None:
        return None
    kind = BOUND_WORDS[found.group(1).lower()]
    fields = {kind: _plain_digits(found.group(2))}
    if found.group(3):
        fields["rounding"] = _plain_digits(found.group(3))
    return fields


def _plain_digits(text: str) -> str:
    return re.sub(r"[ ,']", "", text.strip())


def _stated_amount(value: object) -> object:
    """A printed total: an amount, a bound's mapping, or a bound in words."""
    if isinstance(value, str):
        fields = parse_bound_text(value)
        if fields is not None:
            return StatedBound.model_validate(fields)
        if re.match(r"\s*[A-Za-z]", value):
            raise ValueError(
                f"{value!r} is not an amount nor a bound ('more than 1300000', 'at least "
                "5000', 'about 1300000')"
            )
    if isinstance(value, dict):
        return StatedBound.model_validate(value)
    return _chf(value)


#: A printed total: an exact amount in CHF, or a `StatedBound`.
StatedAmount = Annotated[Decimal | StatedBound, BeforeValidator(_stated_amount)]


class StatedFigures(Record):
    """Printed totals for one group of entries: received, pledged, and both together;
    each an exact amount, or a bound as printed (`StatedBound`)."""

    received: StatedAmount | None = None
    pledged: StatedAmount | None = None
    total: StatedAmount | None = None


class Stated(StatedFigures):
    """Totals a statement prints, in CHF. Checked against the entries, never used as totals.

    `purposes` holds the totals printed for a purpose or a group of purposes
    (`core` covers `core/fellowships` and `core/unrestricted`).
    """

    purposes: dict[str, StatedFigures] = {}


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
