"""Checks that records name each other rightly: ids unique among their kind,
references unique, each donor listed once under one name, every id a record
names existing, and statements' headings known. Each returns a list of problems."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from wsis_ledger.core.fields import name_key
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Donor, Entry, Identified, Record
from wsis_ledger.core.problems import Problem, excerpt

#: Keys a statement's `headings` may give.
HEADING_KEYS = frozenset(
    {
        "contributions",
        "received",
        "pledged",
        "received_total",
        "pledged_total",
        "loans",
        "seconded",
        "facilities",
        "staff",
        "direct_support",
        "summary",
    }
)


def _ids(records: Sequence[Identified], kind: str) -> list[Problem]:
    # Most ledgers repeat no id: a set of them says so without a dict entry each.
    if len(set(map(attrgetter("id"), records))) == len(records):
        return []
    first_seen: dict[str, Identified] = {}
    problems = []
    for record in records:
        record_id = record.id
        if record_id in first_seen:
            first = first_seen[record_id].place
            problems.append(
                Problem(
                    record.place.at("id"),
                    "duplicate-id",
                    f"the {kind} id '{record_id}' is used twice "
                    f"(first at {first.path.name}:{first.line})",
                )
            )
        else:
            first_seen[record_id] = record
    return problems


def validate_unique_ids(ledger: Ledger) -> list[Problem]:
    """Ids are unique within their kind (receipts and pledges share one kind: entries)."""
    return [
        *_ids(ledger.donors, "donor"),
        *_ids(ledger.entries, "entry"),
        *_ids(ledger.statements, "statement"),
        *_ids(ledger.loan_facilities, "loan facility"),
        *_ids([*ledger.seconded, *ledger.facilities, *ledger.staff], "in-kind"),
        *_ids(ledger.direct_support, "direct support"),
        *_ids(ledger.fund.phases, "phase"),
        # A drawing copied into a second file would otherwise count twice.
        *_ids([*ledger.loan_drawings, *ledger.loan_repayments], "loan movement"),
        *_ids(ledger.cancellations, "cancellation"),
        *_ids(ledger.reassignments, "reassignment"),
        *_ids(ledger.acknowledgements, "acknowledgement"),
    ]


def validate_unique_references(ledger: Ledger) -> list[Problem]:
    """A reference names one pledge, or one receipt: `import` finds an entry by it, and
    refuses a file that gives one twice; the ledger holds to the same rule."""
    problems = []
    for entries, kind in ((ledger.pledged, "pledge"), (ledger.received, "receipt")):
        first_seen: dict[str, Entry] = {}
        for entry in entries:
            if entry.reference is None:
                continue
            first = first_seen.setdefault(entry.reference, entry)
            if first is entry:
                continue
            there = first.place.at("reference")
            problems.append(
                Problem(
                    entry.place.at("reference"),
                    "duplicate-reference",
                    f"reference: {excerpt(entry.reference)} is the reference of the {kind} "
                    f"'{first.id}' too ({there.path.name}:{there.line}); a reference names "
                    f"one {kind}",
                )
            )
    return problems


def validate_donors_listed_once(ledger: Ledger) -> list[Problem]:
    """A donor is listed once: two ids with the same name are one donor written twice.

    Names are compared as `name_key` compares them: `Genève` composed or
    decomposed, in another case or with other spaces, is the same name.
    """
    problems = []
    seen: dict[str, Donor] = {}
    for donor in ledger.donors:
        names = {name_key(n): n for n in (*donor.name.texts(), *donor.aliases) if n}
        for key, name in names.items():
            other = seen.get(key)
            if other is not None and other.id != donor.id:
                problems.append(
                    Problem(
                        donor.place.at("name"),
                        "duplicate-donor",
                        f"the donor '{donor.id}' has the name or alias '{name}' of the donor "
                        f"'{other.id}' (line {other.place.line}); list each donor once",
                    )
                )
            seen.setdefault(key, donor)
    return problems


def validate_references(ledger: Ledger) -> list[Problem]:
    """Every donor, pledge, entry, statement and phase named exists."""
    donors = set(ledger.donor_by_id)
    phases = {p.id for p in ledger.fund.phases}
    pledges = {p.id for p in ledger.pledged}
    givers: tuple[Record, ...] = (
        *ledger.seconded,
        *ledger.facilities,
        *ledger.staff,
        *ledger.direct_support,
    )
    #: (records, the field that names another record, what it names, the ids there are)
    links: tuple[tuple[Iterable[Record], str, str, set[str]], ...] = (
        (ledger.entries, "donor", "donor", donors),
        (ledger.entries, "statement", "statement", {s.id for s in ledger.statements}),
        (ledger.received, "pledge", "pledge", pledges),
        (ledger.cancellations, "pledge", "pledge", pledges),
        (ledger.reassignments, "entry", "entry", set(ledger.entry_by_id)),
        (givers, "donor", "donor", donors),
        (ledger.seconded, "paid_by", "donor", donors),
        (ledger.loan_facilities, "lender", "donor", donors),
        (ledger.loan_facilities, "phase", "phase", phases),
        (ledger.statements, "phase", "phase", phases),
        (givers, "statement", "statement", {s.id for s in ledger.statements}),
        (ledger.entries, "phase", "phase", phases),
    )
    problems = []
    for records, field, what, known in links:
        # The names each field gives, once each, first: where all are known (as they
        # mostly are), the records need not be gone through one by one.
        named = set(map(attrgetter(field), records))
        named.discard(None)
        if named <= known:
            continue
        problems += [
            Problem(
                record.place.at(field),
                "unknown-reference",
                f"{field}: there is no {what} '{value}'",
                subject=value,
            )
            for record in records
            if (value := getattr(record, field)) is not None and value not in known
        ]
    return problems + _unknown_headings(ledger)


def _unknown_headings(ledger: Ledger) -> list[Problem]:
    return [
        Problem(
            statement.place.at("headings"),
            "unknown-heading",
            f"headings: '{key}' is not a heading; known: {', '.join(sorted(HEADING_KEYS))}",
        )
        for statement in ledger.statements
        for key in statement.headings
        if key not in HEADING_KEYS
    ]
