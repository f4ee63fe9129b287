"""Checks that records name each other rightly: ids unique among their kind,
references unique, each donor listed once under one name, every id a record
names existing, and statements' headings known. Each returns a list of problems."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from wsis_ledger.core.fields import name_key
from wsis_ledger.core.language import Message, msg, said
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


#: A record's kind as a message names it.
KINDS: dict[str, Message] = {
    "donor": msg("record_kind", "donor"),
    "entry": msg("record_kind", "entry"),
    "statement": msg("record_kind", "statement"),
    "loan facility": msg("record_kind", "loan facility"),
    "in-kind": msg("record_kind", "in-kind"),
    "direct support": msg("record_kind", "direct support"),
    "phase": msg("record_kind", "phase"),
    "loan movement": msg("record_kind", "loan movement"),
    "cancellation": msg("record_kind", "cancellation"),
    "reassignment": msg("record_kind", "reassignment"),
    "acknowledgement": msg("record_kind", "acknowledgement"),
    "pledge": msg("record_kind", "pledge"),
    "receipt": msg("record_kind", "receipt"),
    "expenditure": msg("record_kind", "expenditure"),
    "budget line": msg("record_kind", "budget line"),
    "other income": msg("record_kind", "other income"),
    "refund": msg("record_kind", "refund"),
    "bank charge": msg("record_kind", "bank charge"),
}


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
                    said(
                        msg(
                            "duplicate_id", "the {kind} id '{id}' is used twice (first at {first})"
                        ),
                        kind=KINDS[kind],
                        id=record_id,
                        first=f"{first.path.name}:{first.line}",
                    ),
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
                    said(
                        msg(
                            "duplicate_reference",
                            "reference: {reference} is the reference of the {kind} '{id}' too "
                            "({first}); a reference names one {kind}",
                        ),
                        reference=excerpt(entry.reference),
                        kind=KINDS[kind],
                        id=first.id,
                        first=f"{there.path.name}:{there.line}",
                    ),
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
                        said(
                            msg(
                                "duplicate_donor",
                                "the donor '{id}' has the name or alias '{name}' of the donor "
                                "'{other}' (line {line}); list each donor once",
                            ),
                            id=donor.id,
                            name=name,
                            other=other.id,
                            line=other.place.line,
                        ),
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
                said(
                    msg("no_such_record", "{field}: there is no {kind} '{id}'"),
                    field=field,
                    kind=KINDS[what],
                    id=value,
                ),
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
            said(
                msg("unknown_heading", "headings: '{key}' is not a heading; known: {known}"),
                key=key,
                known=", ".join(sorted(HEADING_KEYS)),
            ),
        )
        for statement in ledger.statements
        for key in statement.headings
        if key not in HEADING_KEYS
    ]
