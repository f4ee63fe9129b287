"""Importing pledges and receipts from CSV, JSON or YAML: all or nothing, idempotent.

The CSV columns are a stable interface:

    type,donor,amount,currency,chf,rate,date,purpose,reference[,pledge]

`type` is `pledge` or `receipt`; `donor` is a donor id or any of its names or
aliases (case does not matter); `amount`, `chf` and `rate` are plain numbers;
`chf`, `rate`, `date`, `purpose`, `reference` and `pledge` may be empty. A
receipt's `pledge` names the pledge it pays, by id or by reference. JSON and
YAML take the same fields as a list of records.

A row's identity is its `reference` where given; otherwise its content and
its occurrence (the second of two identical rows is a second gift). The
entry id is made from that identity, so importing the same rows again finds
them in the ledger and adds nothing.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import (
    BOOKING_CURRENCY,
    Amount,
    Chf,
    Currency,
    Date,
    Purpose,
    RateValue,
    Record,
    Text,
    within_minor_unit,
)
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.source.yamlsource import parse_document

COLUMNS = ("type", "donor", "amount", "currency", "chf", "rate", "date", "purpose", "reference")
OPTIONAL_COLUMNS = ("pledge",)
REQUIRED_COLUMNS = ("type", "donor", "amount", "currency")
InputFormat = Literal["auto", "csv", "json", "yaml"]


class ImportRow(Record):
    """One row as given: checked for form, not yet for the ledger."""

    type: Literal["pledge", "receipt"]
    donor: Text
    currency: Currency
    amount: Amount
    chf: Chf | None = None
    rate: RateValue | None = None
    date: Date | None = None
    purpose: Purpose | None = None
    reference: Text | None = None
    pledge: Text | None = None

    _within_minor_unit = within_minor_unit


@dataclass(frozen=True)
class Planned:
    """A row and the entry it becomes, or the entry already in the ledger."""

    line: int
    section: Literal["pledged", "received"]
    record: dict[str, Any]
    new: bool


@dataclass
class ImportPlan:
    """What an import would do: entries to add, entries found, donors to add, problems."""

    rows: list[Planned] = field(default_factory=list)
    donors: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def new_rows(self) -> list[Planned]:
        return [row for row in self.rows if row.new]


def read_rows(
    text: str, source: Path, fmt: InputFormat = "auto"
) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """(line, raw row) pairs from CSV, JSON or YAML text; problems for what cannot be read."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if fmt == "auto":
        fmt = _guess_format(text, source)
    if fmt == "csv":
        return _csv_rows(text, source)
    document, problems = parse_document(source, text)
    if document is None:
        return [], problems
    data = document.data
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]  # a YAML mapping with a rows: list is fine too
    if not isinstance(data, list):
        message = f"an import holds a list of records, not {money.describe(data)}"
        return [], [Problem(document.locate(()), "import-shape", message)]
    rows = []
    for index, item in enumerate(data):
        line = document.locate((index,) if data is document.data else ("rows", index)).line
        if not isinstance(item, dict):
            message = f"a row is a mapping of fields, not {money.describe(item)}"
            problems.append(Problem(Where(source, line), "import-row", message))
        else:
            rows.append((line, item))
    return rows, problems


def _guess_format(text: str, source: Path) -> InputFormat:
    suffix = source.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    head = text.lstrip()[:1]
    if head in ("[", "{"):
        return "json"
    first_line = text.split("\n", 1)[0]
    return "csv" if first_line.strip().lower().startswith("type,") else "yaml"


def _csv_rows(text: str, source: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        return [], [Problem(Where(source, 1), "import-empty", "the CSV file is empty")]
    except csv.Error as error:
        return [], [Problem(Where(source, 1), "import-csv", f"the CSV cannot be read: {error}")]
    known = (*COLUMNS, *OPTIONAL_COLUMNS)
    problems = []
    for name in header:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = (
                f"; did you mean '{close[0]}'?"
                if close
                else f"; the columns are {','.join(COLUMNS)}"
            )
            problems.append(
                Problem(Where(source, 1), "import-column", f"unknown column '{name}'{hint}")
            )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        message = f"the CSV lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        problems.append(Problem(Where(source, 1), "import-column", message))
    duplicated = [name for name, count in Counter(header).items() if count > 1]
    for name in duplicated:
        problems.append(
            Problem(Where(source, 1), "import-column", f"the column '{name}' is given twice")
        )
    if problems:
        return [], problems
    rows = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(cells) != len(header):
                    message = f"the row has {len(cells)} cells; the header has {len(header)}"
                    problems.append(Problem(Where(source, line), "import-row", message))
                else:
                    raw = {
                        name: cell.strip() or None for name, cell in zip(header, cells, strict=True)
                    }
                    rows.append((line, raw))
            line = reader.line_num + 1
    except csv.Error as error:
        problems.append(
            Problem(Where(source, line), "import-csv", f"the CSV cannot be read: {error}")
        )
    return rows, problems


def plan_import(
    ledger: Ledger, rows: list[tuple[int, dict[str, Any]]], source: Path, *, add_donors: bool
) -> ImportPlan:
    """Turn rows into entries: every problem, with its line, or the entries to add."""
    plan = ImportPlan()
    donors = DonorIndex(ledger)
    pledges_by_ref = {p.reference: p.id for p in ledger.pledged if p.reference}
    existing_refs = {
        (type(e).__name__, e.reference or ""): e.id for e in ledger.entries if e.reference
    }
    seen_references: dict[str, int] = {}
    occurrences: Counter[str] = Counter()
    unknown: dict[str, list[int]] = {}
    for line, raw in rows:
        try:
            row = ImportRow.model_validate(raw)
        except ValidationError as error:
            plan.problems.extend(_row_problems(error, source, line))
            continue
        table_rate = (
            ledger.table_rate(row.currency, row.date)
            if row.rate is None and row.chf is None and row.currency != BOOKING_CURRENCY
            else None
        )
        row_problems = _row_rules(row, source, line, has_table_rate=table_rate is not None)
        if row.reference is not None:
            if row.reference in seen_references:
                first = seen_references[row.reference]
                message = f"the reference '{row.reference}' is given twice (first on line {first})"
                row_problems.append(Problem(Where(source, line), "import-reference", message))
            seen_references[row.reference] = line
        donor_id = donors.find(row.donor)
        if donor_id is None:
            unknown.setdefault(row.donor, []).append(line)
            if add_donors:
                donor_id = donors.add(row.donor, plan)
        pledge_id = None
        if row.pledge is not None:
            pledge_id = (
                row.pledge
                if row.pledge in {p.id for p in ledger.pledged}
                else (pledges_by_ref.get(row.pledge))
            )
            if pledge_id is None:
                message = f"there is no pledge with the id or reference '{row.pledge}'"
                row_problems.append(Problem(Where(source, line), "import-pledge", message))
        if row_problems or donor_id is None:
            plan.problems.extend(row_problems)
            continue
        identity = _identity(row, occurrences)
        entry_id = "imp-" + hashlib.sha256(identity.encode()).hexdigest()[:12]
        kind = "Pledge" if row.type == "pledge" else "Receipt"
        found = ledger.entry_by_id.get(entry_id) or ledger.entry_by_id.get(
            existing_refs.get((kind, row.reference or ""), "")
        )
        record = {
            "id": found.id if found else entry_id,
            "donor": donor_id,
            "amount": row.amount,
            "currency": row.currency,
            "chf": row.chf,
            # A rate from the table is written into the entry: a later change to the
            # table must not change what was booked.
            "rate": row.rate if table_rate is None else table_rate.rate,
            "rate_source": None if table_rate is None else f"rates table: {table_rate.source}",
            "date": row.date,
            "purpose": row.purpose,
            "reference": row.reference,
            "pledge": pledge_id if row.type == "receipt" else None,
        }
        section: Literal["pledged", "received"] = "pledged" if row.type == "pledge" else "received"
        plan.rows.append(Planned(line, section, record, new=found is None))
    if unknown and not add_donors:
        for name, lines in unknown.items():
            suggestions = donors.suggest(name)
            hint = (
                f"; did you mean {' or '.join(repr(s) for s in suggestions)}?"
                if suggestions
                else ""
            )
            message = (
                f"unknown donor '{name}'{hint} (add it to the donors, or import with --add-donors)"
            )
            plan.problems.extend(
                Problem(Where(source, line), "unknown-donor", message) for line in lines
            )
    plan.problems.sort(key=lambda p: p.where.line)
    return plan


def _row_problems(error: ValidationError, source: Path, line: int) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        name = str(detail["loc"][0]) if detail["loc"] else ""
        if detail["type"] == "missing":
            message = f"the field '{name}' is missing"
        elif detail["type"] == "extra_forbidden":
            message = (
                f"unknown field '{name}'; the fields are {', '.join((*COLUMNS, *OPTIONAL_COLUMNS))}"
            )
        elif detail["type"] == "literal_error":
            message = f"{name}: {detail.get('input')!r} is not pledge or receipt"
        elif detail["type"] == "value_error":
            context = detail.get("ctx") or {}
            message = f"{name}: {context.get('error', detail['msg'])}"
        else:
            message = f"{name}: {detail['msg']}"
        problems.append(Problem(Where(source, line), "import-row", message))
    return problems


def _row_rules(row: ImportRow, source: Path, line: int, *, has_table_rate: bool) -> list[Problem]:
    """The rules `ImportRow`'s types leave: a rate for a foreign amount; who pays a pledge."""
    problems = []
    where = Where(source, line)
    if (
        row.currency != BOOKING_CURRENCY
        and row.rate is None
        and row.chf is None
        and not has_table_rate
    ):
        on = f" on {row.date}" if row.date else " (the row has no date)"
        message = f"an amount in {row.currency} needs a rate or the booked chf: the rates table has none{on}"
        problems.append(Problem(where, "no-rate", message))
    if row.type == "pledge" and row.pledge is not None:
        problems.append(Problem(where, "import-row", "pledge: only a receipt pays a pledge"))
    return problems


def _identity(row: ImportRow, occurrences: Counter[str]) -> str:
    if row.reference is not None:
        return f"{row.type}|reference|{row.reference}"
    fields = [
        row.type,
        row.donor.casefold(),
        row.amount,
        row.currency,
        row.chf,
        row.rate,
        row.date,
        row.purpose,
        row.pledge,
    ]
    content = "|".join(
        "" if v is None else money.format_amount(v) if isinstance(v, Decimal) else str(v)
        for v in fields
    )
    occurrences[content] += 1
    return f"{content}|#{occurrences[content]}"


class DonorIndex:
    """Donors by id, name and alias, matched without regard to case."""

    def __init__(self, ledger: Ledger) -> None:
        self.by_key: dict[str, str] = {}
        for donor in ledger.donors:
            for key in (donor.id, donor.name.en, donor.name.zh, *donor.aliases):
                if key:
                    self.by_key.setdefault(key.casefold(), donor.id)

    def find(self, name: str) -> str | None:
        return self.by_key.get(name.strip().casefold())

    def suggest(self, name: str) -> list[str]:
        return difflib.get_close_matches(name.casefold(), list(self.by_key), n=2, cutoff=0.6)

    def add(self, name: str, plan: ImportPlan) -> str:
        """A new donor with the name as given and kind `unspecified`."""
        base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "donor"
        donor_id, n = base, 1
        while donor_id.casefold() in self.by_key:
            n += 1
            donor_id = f"{base}-{n}"
        self.by_key[donor_id] = donor_id
        self.by_key[name.strip().casefold()] = donor_id
        plan.donors.append({"id": donor_id, "name": name.strip(), "kind": "unspecified"})
        return donor_id


def import_file_name(plan: ImportPlan, on: date) -> str:
    """A new file's name, from the date and the ids it adds."""
    digest = hashlib.sha256("|".join(r.record["id"] for r in plan.new_rows).encode()).hexdigest()
    return f"{on.isoformat()}-{digest[:10]}.yaml"
