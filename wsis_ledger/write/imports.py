"""Planning an import: judged rows (`write.rows`) become the entries to add, all or
nothing, idempotently; reading the file is `write.reading`.

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

import difflib
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from wsis_ledger.core import money
from wsis_ledger.core.fields import BOOKING_CURRENCY, match_key, name_key
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Entry, Expenditure, RateRecord
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.core.visible import visible
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


class DonorIndex:
    """Donors by id, name and alias, in any script and language.

    A name finds a donor when it is one of the donor's id, names or aliases as
    `name_key` compares them (case, Unicode composition and spaces do not
    matter), or else as `match_key` does (accents and punctuation do not matter
    either) when that finds one donor only. A name that finds none may be close
    to one (`suggestion`): that is only ever suggested, with the alias line that
    would make the match certain.
    """

    #: How alike two names must be (difflib's ratio) for one to be suggested for the other,
    #: and how much closer than any other donor the one suggested must be.
    CLOSE = 0.8
    MARGIN = 0.1

    def __init__(self, ledger: Ledger) -> None:
        self.by_key: dict[str, str] = {}
        #: Donors by `match_key` of each of their names (more than one: ambiguous).
        self.by_match: dict[str, set[str]] = {}
        self.names: dict[str, str] = {}  # each donor's name as a message shows it
        #: Each name's key, worked out once: an import names a donor row after row.
        self.keys: dict[str, str] = {}
        #: The ids this import made for new donors (matched by their names, not these).
        self.made: set[str] = set()
        for donor in ledger.donors:
            self.names.setdefault(donor.id, donor.name.en)
            for key in (donor.id, donor.name.en, donor.name.zh, *donor.aliases):
                if key:
                    self.by_key.setdefault(name_key(key), donor.id)
                    self.by_match.setdefault(match_key(key), set()).add(donor.id)

    def find(self, name: str) -> str | None:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        found = self.by_key.get(key)
        if found is None:
            matched = self.by_match.get(match_key(name), set())
            found = next(iter(matched)) if len(matched) == 1 else None
        return found

    def suggest(self, name: str) -> list[str]:
        return difflib.get_close_matches(name_key(name), list(self.by_key), n=2, cutoff=0.6)

    def close_donors(self, name: str) -> list[str]:
        """The donors one of whose names is close to `name` (difflib's ratio of their
        `match_key`s at least `CLOSE`) and about as close as the closest (within
        `MARGIN` of it), the closest first: one donor when the guess is clear."""
        wanted = match_key(name)
        scores: dict[str, float] = {}
        for key, donors in self.by_match.items():
            ratio = difflib.SequenceMatcher(None, wanted, key).ratio()
            if ratio >= self.CLOSE:
                for donor_id in donors:
                    scores[donor_id] = max(ratio, scores.get(donor_id, 0.0))
        best = max(scores.values(), default=0.0)
        near = [d for d in scores if scores[d] > best - self.MARGIN]
        return sorted(near, key=lambda d: (-scores[d], d))

    def hint(self, name: str) -> str:
        """What a message about the unknown `name` suggests: the one donor it is close to,
        with the alias line that would make the match certain; nothing when no donor or
        more than one is close (a guess between two is no suggestion)."""
        close = self.close_donors(name)
        if len(close) > 1:
            return f"; it is close to more than one donor ({', '.join(close)}): none is suggested"
        if not close:
            return ""
        donor_id = close[0]
        line = f"aliases: [{json.dumps(name, ensure_ascii=False)}]"
        return (
            f"; did you mean '{donor_id}' ({self.names[donor_id]})? To make it certain, add "
            f"{line} to donor '{donor_id}'"
        )

    def add(self, name: str, plan: ImportPlan) -> str:
        """A new donor with the name as given (composed, spaces collapsed), kind `unspecified`.

        Its id is made from the name, and is not another donor's: `ab.c` and `ab-c`
        both make `ab-c`, so the second is `ab-c-2`. A row names a new donor by its
        name only, never by the id made for it, so two names are never merged
        because their ids would meet (issue 27, class 9).
        """
        written = " ".join(unicodedata.normalize("NFC", name).split())
        base = id_from_name(written)
        donor_id, n = base, 1
        while name_key(donor_id) in self.by_key or donor_id in self.made:
            n += 1
            donor_id = f"{base}-{n}"
        self.made.add(donor_id)
        self.by_key[name_key(name)] = donor_id
        plan.donors.append({"id": donor_id, "name": written, "kind": "unspecified"})
        return donor_id


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


def id_from_name(name: str) -> str:
    """A readable ASCII id for a name: `Suède` → `suede`, `日本政府` → `ri-ben-zheng-fu`.

    anyascii transliterates every script. A character that is a syllable of its
    own (a Chinese character, a Hangul block: uncased, transliterated as a
    capitalized syllable, `Ri`) becomes a word of its own, so syllables stay
    apart (`ri-ben`, not `riben`). What is left of anything else is a hyphen.
    """
    from anyascii import anyascii

    words = []
    for character in unicodedata.normalize("NFKC", name):
        ascii_text = anyascii(character)
        syllable = (
            not character.isascii()
            and character.upper() == character.lower()
            and ascii_text[:1].isupper()
            and any(c.islower() for c in ascii_text)
        )
        words.append(f" {ascii_text} " if syllable else ascii_text)
    return re.sub(r"[^a-z0-9]+", "-", "".join(words).lower()).strip("-") or "donor"


def import_file_name(plan: ImportPlan, on: date) -> str:
    """A new file's name, from the date and the ids it adds."""
    digest = hashlib.sha256("|".join(r.value("id") for r in plan.new_rows).encode()).hexdigest()
    return f"{on.isoformat()}-{digest[:10]}.yaml"


def import_header(name: str, on: date, count: int) -> str:
    """The first line of an import's file: where its rows came from (read again by
    `earlier_rows_gone` when the same file is imported again)."""
    rows = f"{count} row{'' if count == 1 else 's'}"
    return f"Imported by wsis-ledger from {visible(name)} on {on.isoformat()}: {rows}."


#: The header line of an import that went through with rows of its file gone.
_LEFT = "Earlier entries no longer in it, left in the ledger: "


def rows_gone(ledger: Ledger, plan: ImportPlan, name: str) -> list[Entry | Expenditure]:
    """The entries an earlier import of the same file (by its name) added that are no
    longer among its rows: a row edited without a reference (50 000 made 60 000) would
    otherwise be added beside the old one, the old one kept. Entries an import
    with `--allow-changes` left (named in its header) are not gone again."""
    prefix = f"# Imported by wsis-ledger from {visible(name)} on "
    found = {row.value("id") for row in plan.rows if not row.new}
    headers: dict[Path, list[str]] = {}
    earlier: list[Entry | Expenditure] = []
    for entry in (*ledger.entries, *ledger.expenditures):
        path = entry.place.path
        if path.parent.name != "imports":
            continue
        if path not in headers:
            headers[path] = _header_lines(path)
        if headers[path][:1] and headers[path][0].startswith(prefix) and entry.id not in found:
            earlier.append(entry)  # type: ignore[arg-type]  # an entry or an expenditure
    left = {
        entry_id
        for lines in headers.values()
        if lines and lines[0].startswith(prefix)
        for line in lines
        if line.startswith(f"# {_LEFT}")
        for entry_id in line[len(_LEFT) + 2 :].rstrip(".").split(", ")
    }
    return [entry for entry in earlier if entry.id not in left]


def gone_problem(entry: Entry | Expenditure, name: str, source: Path) -> Problem:
    """An earlier import's entry no longer among the rows of its file."""
    amount = money.group_thousands(entry.amount) if entry.amount is not None else "?"
    who = f" of {entry.donor}" if isinstance(entry, Entry) else ""
    message = (
        f"{amount} {entry.currency}{who} dated {entry.date or '(none)'} ('{entry.id}'), imported"
        f" from {name} before, is no longer in it: import with --allow-changes to add its new"
        " rows (that entry stays), or --source NAME for another file"
    )
    return Problem(Where(source), "import-changed", message)


def gone_note(gone: list[Entry | Expenditure]) -> str:
    """The line of an import's header that names the entries it let go."""
    return _LEFT + ", ".join(entry.id for entry in gone) + "."


def _header_lines(path: Path) -> list[str]:
    """The comment lines a file starts with (an import's header)."""
    lines = []
    try:
        with path.open(encoding="utf-8") as file:
            for line in file:
                if not line.startswith("#"):
                    break
                lines.append(line.rstrip("\n"))
    except (OSError, UnicodeDecodeError):
        return []
    return lines
