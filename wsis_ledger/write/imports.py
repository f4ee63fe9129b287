"""Planning an import: judged rows (`write.rows`) become the entries to add, all or
nothing, idempotently; reading the file is `write.reading`, finding its donors
`write.donors`, and the file it writes `write.import_files`.

A row's identity is its `reference` where given; otherwise its content and
its occurrence (the second of two identical rows is a second gift). Content
is compared as meant, not as typed: the donor by the id its name resolves to,
numbers by value (`50000` is `50000.00`), the pledge paid by its id. The entry
id is made from that identity, so importing the same rows again, however they
are spelled, finds them in the ledger and adds nothing. A row whose reference
is in the ledger already with other content is a conflict, never "already in
the ledger".
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from wsis_ledger.core import money
from wsis_ledger.core.fields import BOOKING_CURRENCY, name_key
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Entry, RateRecord
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.write.donors import DonorIndex
from wsis_ledger.write.reading import Progress
from wsis_ledger.write.records import payment_purpose
from wsis_ledger.write.rows import Row, pledge_paid, row_rules, validate_row, validation_problems

Section = Literal["pledged", "received", "expenditures"]
#: The field names of planned records, one tuple for all records with the same names.
_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


class Planned:
    """A row and the entry it becomes, or the entry already in the ledger.

    The record's names and values are held as two tuples, the names shared by
    every record that has them: a dict per record cost some 35 MB more at
    100 000 rows, held while the ledger with the new file is read back.
    """

    __slots__ = ("_keys", "_values", "line", "new", "section")

    def __init__(self, line: int, section: Section, record: Mapping[str, Any], new: bool) -> None:
        keys = tuple(record)
        self._keys = _KEYS.setdefault(keys, keys)
        self._values = tuple(record.values())
        self.line, self.section, self.new = line, section, new

    @property
    def record(self) -> dict[str, Any]:
        """The entry's fields (a new dict at each call)."""
        return dict(zip(self._keys, self._values, strict=True))

    def value(self, name: str) -> Any:
        """One field of the record (None when it has no such field)."""
        keys = self._keys
        return self._values[keys.index(name)] if name in keys else None

    def items(self) -> Iterator[tuple[str, Any]]:
        """The record's fields, without making a dict of them."""
        return zip(self._keys, self._values, strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Planned):
            return NotImplemented
        return (self.line, self.section, self.record, self.new) == (
            other.line,
            other.section,
            other.record,
            other.new,
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, and mutable fields held

    def __repr__(self) -> str:
        return (
            f"Planned(line={self.line!r}, section={self.section!r}, "
            f"record={self.record!r}, new={self.new!r})"
        )


@dataclass
class ImportPlan:
    """What an import would do: entries to add, entries found, donors to add, problems."""

    rows: list[Planned] = field(default_factory=list)
    donors: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def new_rows(self) -> list[Planned]:
        return [row for row in self.rows if row.new]


def plan_import(
    ledger: Ledger,
    rows: Iterable[tuple[int, dict[str, Any]]],
    source: Path,
    *,
    add_donors: bool,
    progress: Progress | None = None,
    shortcuts: bool = True,
) -> ImportPlan:
    """Turn rows into entries: every problem, with its line, or the entries to add
    (`shortcuts`: see `rows.validate_row`)."""
    plan = ImportPlan()
    donors = DonorIndex(ledger)
    identities = Identities(ledger)
    seen_references: dict[str, int] = {}
    unknown: dict[str, tuple[str, list[int]]] = {}
    for line, raw in _counted(rows, progress):
        row = validate_row(raw, shortcuts)
        if isinstance(row, ValidationError):
            plan.problems.extend(validation_problems(row, source, line))
            continue
        where = Where(source, line)
        table_rate = _table_rate(ledger, row)
        row_problems = row_rules(row, where, ledger, has_table_rate=table_rate is not None)
        row_problems += _reference_given_twice(row, where, seen_references)
        if row.type == "expenditure" or row.donor is None:  # no donor: `row_rules` says so
            plan.problems.extend(row_problems)
            if not row_problems:
                occurrences = identities.occurrences
                plan.rows.append(_expenditure(ledger, row, line, table_rate, occurrences))
            continue
        donor_id = donors.find(row.donor)
        if donor_id is None:
            unknown.setdefault(name_key(row.donor), (row.donor, []))[1].append(line)
            donor_id = donors.add(row.donor, plan) if add_donors else None
        pledge_id = None
        if row.pledge is not None and row.type == "receipt":
            pledge_id = pledge_paid(ledger, row, donor_id, where, row_problems)
        if row_problems or donor_id is None:
            plan.problems.extend(row_problems)
            continue
        record = _gift(row, donor_id, table_rate, pledge_id)
        if pledge_id is not None:
            record["purpose"] = payment_purpose(ledger, pledge_id, row.purpose)
        _add_gift(plan, identities, row, record, where)
    if unknown and not add_donors:
        plan.problems.extend(_unknown_donors(unknown, donors, source))
    plan.problems.sort(key=lambda p: p.where.line)
    return plan


def _add_gift(
    plan: ImportPlan, identities: Identities, row: Row, record: dict[str, Any], where: Where
) -> None:
    """The row as a new entry, as one already in the ledger, or (its reference there with
    other content) a conflict."""
    entry_id, found = identities.find(row, record)
    if found is not None and row.reference is not None:
        conflict = _conflict(row, record, found, where)
        if conflict is not None:
            plan.problems.append(conflict)
            return
    record["id"] = found.id if found else entry_id
    section: Literal["pledged", "received"] = "pledged" if row.type == "pledge" else "received"
    plan.rows.append(Planned(where.line, section, record, new=found is None))


def _table_rate(ledger: Ledger, row: Row) -> RateRecord | None:
    """The rates table's rate for a foreign row that gives neither rate nor CHF."""
    if row.rate is not None or row.chf is not None or row.currency == BOOKING_CURRENCY:
        return None
    return ledger.table_rate(row.currency, row.date)


def _reference_given_twice(row: Row, where: Where, seen: dict[str, int]) -> list[Problem]:
    """A reference already given on an earlier line of the same file is a problem."""
    if row.reference is None:
        return []
    first = seen.setdefault(row.reference, where.line)
    if first == where.line:
        return []
    message = f"the reference '{row.reference}' is given twice (first on line {first})"
    return [Problem(where, "import-reference", message)]


def _money(row: Row, table_rate: RateRecord | None) -> dict[str, Any]:
    """A row's amount, currency, booked CHF and rate, as an entry records them."""
    return {
        "amount": row.amount,
        "currency": row.currency,
        "chf": row.chf,
        # A rate from the table is written into the entry: a later change to the
        # table must not change what was booked.
        "rate": row.rate if table_rate is None else table_rate.rate,
        "rate_source": None if table_rate is None else f"rates table: {table_rate.source}",
    }


def _gift(
    row: Row, donor_id: str, table_rate: RateRecord | None, pledge_id: str | None
) -> dict[str, Any]:
    """A receipt's or a pledge's fields, its id still to be given."""
    return {
        "id": "",
        "donor": donor_id,
        **_money(row, table_rate),
        "date": row.date,
        "purpose": row.purpose,
        "reference": row.reference,
        "pledge": pledge_id,
    }


def _counted(
    rows: Iterable[tuple[int, dict[str, Any]]], progress: Progress | None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows, calling `progress` as each is taken."""
    for row in rows:
        if progress is not None:
            progress(1)
        yield row


def _unknown_donors(
    unknown: dict[str, tuple[str, list[int]]], donors: DonorIndex, source: Path
) -> list[Problem]:
    problems: list[Problem] = []
    for name, lines in unknown.values():
        message = (
            f"unknown donor '{name}'{donors.hint(name)} (or add it to the donors, or import "
            "with --add-donors)"
        )
        problems.extend(Problem(Where(source, line), "unknown-donor", message) for line in lines)
    return problems


#: The fields of an entry that a row gives, in the order a conflict lists them.
_CONTENT = ("donor", "amount", "currency", "chf", "rate", "date", "purpose", "pledge")


def _conflict(row: Row, record: dict[str, Any], found: Entry, where: Where) -> Problem | None:
    """A problem when the entry found by the row's reference holds other content."""
    differences = []
    for name in _CONTENT:
        mine, theirs = record[name], getattr(found, name, None)
        if (
            name == "rate"
            and row.rate is None
            and (found.rate_source or "").startswith("rates table")
        ):
            continue  # the rate the table gave when it was imported
        if mine != theirs:  # Decimals compare by value: 50000 is 50000.00
            differences.append(f"{name} {_shown(theirs)} there, {_shown(mine)} here")
    if not differences:
        return None
    place = found.place
    message = (
        f"the reference '{row.reference}' is in the ledger already, as '{found.id}' "
        f"({place.path.name}:{place.line}), with other content: {'; '.join(differences)}"
    )
    return Problem(where, "import-conflict", message)


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, Decimal):
        return money.format_amount(value)
    return f"'{value}'"


#: The type of row each section's entries come from.
SECTION_TYPES = {"pledged": "pledge", "received": "receipt", "expenditures": "expenditure"}


class Identities:
    """Finds the entry a row already is: by the id its identity gives, or by its reference.

    The identity of a row without a reference is its content as meant (donor
    id, numbers by value, pledge id) and its occurrence among identical rows.
    Entries imported by earlier versions, whose ids came from the rows' text as
    typed, are found by that id too (`legacy`), so that a re-import adds nothing.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.by_reference = {
            (type(e).__name__, e.reference): e for e in ledger.entries if e.reference
        }
        self.occurrences: Counter[str] = Counter()
        self.legacy_occurrences: Counter[str] = Counter()

    def find(self, row: Row, record: dict[str, Any]) -> tuple[str, Entry | None]:
        """The id a new entry for the row gets, and the entry it is already, if any."""
        kind = "Pledge" if row.type == "pledge" else "Receipt"
        if row.reference is not None:
            identity = f"{row.type}|reference|{row.reference}"
            entry_id = _entry_id(identity)
            found = self.ledger.entry_by_id.get(entry_id)
            return entry_id, found or self.by_reference.get((kind, row.reference))
        fields = [row.type, *(record[name] for name in _CONTENT)]
        fields[_CONTENT.index("rate") + 1] = row.rate  # the row's own rate, not the table's
        entry_id = _entry_id(self._counted(self.occurrences, _joined(fields)))
        legacy = self._counted(self.legacy_occurrences, _legacy_content(row))
        found = self.ledger.entry_by_id.get(entry_id) or self.ledger.entry_by_id.get(
            _entry_id(legacy)
        )
        return entry_id, found

    @staticmethod
    def _counted(occurrences: Counter[str], content: str) -> str:
        occurrences[content] += 1
        return f"{content}|#{occurrences[content]}"


def _entry_id(identity: str) -> str:
    return "imp-" + hashlib.sha256(identity.encode()).hexdigest()[:12]


def _joined(fields: list[object]) -> str:
    """Fields as one text; a number by its value (`50000.00` as `50000`)."""
    return "|".join(
        ""
        if v is None
        else money.format_amount(v.normalize())
        if isinstance(v, Decimal)
        else str(v)
        for v in fields
    )


def _legacy_content(row: Row) -> str:
    """A row's content as earlier versions made identities: the text as typed."""
    fields = [
        row.type,
        (row.donor or "").casefold(),
        row.amount,
        row.currency,
        row.chf,
        row.rate,
        row.date,
        row.purpose,
        row.pledge,
    ]
    return "|".join(
        "" if v is None else money.format_amount(v) if isinstance(v, Decimal) else str(v)
        for v in fields
    )


def _expenditure(
    ledger: Ledger, row: Row, line: int, table_rate: Any, occurrences: Counter[str]
) -> Planned:
    """An expenditure row as the record it becomes (or the one already in the ledger);
    its identity is its reference, or its content and its occurrence among identical rows."""
    if row.reference is not None:
        identity = f"expenditure|reference|{row.reference}"
    else:
        content = _joined(
            [
                *(row.type, row.amount, row.currency, row.chf, row.rate, row.date),
                *(row.purpose, row.payee, row.description),
            ]
        )
        occurrences[content] += 1
        identity = f"{content}|#{occurrences[content]}"
    entry_id = _entry_id(identity)
    found = next(
        (
            x
            for x in ledger.expenditures
            if x.id == entry_id or (row.reference is not None and x.reference == row.reference)
        ),
        None,
    )
    record = {
        "id": found.id if found else entry_id,
        "date": row.date,
        **_money(row, table_rate),
        "description": row.description,
        "purpose": row.purpose,
        "payee": row.payee,
        "reference": row.reference,
    }
    return Planned(line, "expenditures", record, new=found is None)


@dataclass
class Group:
    """Rows of one type and currency: how many, and what they add up to."""

    type: str
    currency: str
    added: int = 0
    added_amount: Decimal = Decimal(0)
    present: int = 0
    present_amount: Decimal = Decimal(0)


def summarize(plan: ImportPlan) -> list[Group]:
    """The plan's rows by type and currency (pledges first, currencies in order):
    new rows and rows in the ledger already, each with its count and amount."""
    groups: dict[tuple[str, str], Group] = {}
    for row in plan.rows:
        kind = SECTION_TYPES[row.section]
        currency, amount = str(row.value("currency")), row.value("amount")
        group = groups.setdefault((kind, currency), Group(kind, currency))
        if row.new:
            group.added += 1
            group.added_amount += amount
        else:
            group.present += 1
            group.present_amount += amount
    return [groups[key] for key in sorted(groups)]
