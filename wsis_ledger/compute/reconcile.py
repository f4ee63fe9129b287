"""Two published statements side by side: donor by donor, what each prints.

A statement's side is the entries it covers (`Ledger.covered_by`): each donor's
received and pledged, in CHF as booked, added up exactly as `check` and the
report add up the statement's rows (`conversion.total_chf`), so that each
side's totals are that statement's figures.

Donors are matched across the two sides by their ids and by their names and
aliases (`aliases:`, any script and language), compared by `match_key`:
accents, case, width and spacing do not matter. A donor of one side that
matches no donor of the other, or more than one, stands on its own ("only in
A" / "only in B"): nothing is merged by a guess. A close spelling that is the
only one near is listed as a suggestion, with the alias line that would make
the match certain.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from wsis_ledger.compute import conversion
from wsis_ledger.core.fields import match_key
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Donor, Entry, Pledge, Receipt, Statement

ZERO = Decimal(0)
#: How alike two names must be (difflib's ratio) to be suggested as one donor.
SUGGEST_RATIO = 0.8
#: How much closer than any other donor the one suggested must be.
SUGGEST_MARGIN = 0.1

Presence = Literal["both", "only in A", "only in B"]


@dataclass(frozen=True)
class Side:
    """One statement of one ledger: what its rows add up to, donor by donor."""

    ledger: Ledger
    statement: Statement
    received: dict[str, Decimal]  # by donor id, in order of appearance
    pledged: dict[str, Decimal]
    purposes: dict[str, tuple[Decimal, Decimal]]  # purpose: (received, pledged)
    any_purpose: bool

    @property
    def donors(self) -> list[str]:
        return list(dict.fromkeys([*self.received, *self.pledged]))

    @property
    def total_received(self) -> Decimal:
        return sum(self.received.values(), ZERO)

    @property
    def total_pledged(self) -> Decimal:
        return sum(self.pledged.values(), ZERO)

    def name(self, donor_id: str, lang: str) -> str:
        return self.ledger.donor_name(donor_id, lang)


def side(ledger: Ledger, statement: Statement) -> Side:
    """The statement's rows, added up by donor and by purpose."""
    unit = ledger.fund.booking_unit
    received: dict[str, Decimal] = {}
    pledged: dict[str, Decimal] = {}
    purposes: dict[str, tuple[Decimal, Decimal]] = {}
    any_purpose = False
    for entry in ledger.covered_by(statement):
        chf = conversion.total_chf((entry,), unit, ledger)
        if isinstance(entry, Receipt):
            received[entry.donor] = received.get(entry.donor, ZERO) + chf
            pledged.setdefault(entry.donor, ZERO)
        elif isinstance(entry, Pledge):
            pledged[entry.donor] = pledged.get(entry.donor, ZERO) + chf
            received.setdefault(entry.donor, ZERO)
        purpose = ledger.purpose_of.get(entry.id)
        any_purpose = any_purpose or purpose is not None
        was = purposes.get(purpose or "", (ZERO, ZERO))
        purposes[purpose or ""] = (
            (was[0] + chf, was[1]) if isinstance(entry, Receipt) else (was[0], was[1] + chf)
        )
    return Side(ledger, statement, received, pledged, purposes, any_purpose)


@dataclass(frozen=True)
class Row:
    """One donor, as each side prints it (None: the side does not list it)."""

    a_id: str | None
    b_id: str | None
    name: str
    a_received: Decimal | None
    a_pledged: Decimal | None
    b_received: Decimal | None
    b_pledged: Decimal | None
    #: How the two were matched: "id", "name" or "alias" (None: one side only).
    matched_by: str | None = None

    @property
    def presence(self) -> Presence:
        if self.a_id is not None and self.b_id is not None:
            return "both"
        return "only in A" if self.a_id is not None else "only in B"

    @property
    def received_difference(self) -> Decimal:
        """B's received less A's (a side that does not list the donor counts nothing)."""
        return (self.b_received or ZERO) - (self.a_received or ZERO)

    @property
    def pledged_difference(self) -> Decimal:
        return (self.b_pledged or ZERO) - (self.a_pledged or ZERO)


@dataclass(frozen=True)
class PurposeRow:
    purpose: str  # "" for entries with no purpose
    a_received: Decimal
    a_pledged: Decimal
    b_received: Decimal
    b_pledged: Decimal

    @property
    def received_difference(self) -> Decimal:
        return self.b_received - self.a_received

    @property
    def pledged_difference(self) -> Decimal:
        return self.b_pledged - self.a_pledged


@dataclass(frozen=True)
class Suggestion:
    """A donor of B whose name is close to one donor of A, not merged: the alias line
    to add to A's donor (in A's ledger) would make the match certain."""

    a_id: str
    b_id: str
    a_name: str
    b_name: str
    ratio: Decimal

    @property
    def alias_line(self) -> str:
        return f"aliases: [{_yaml_text(self.b_name)}]"


@dataclass(frozen=True)
class Reconciliation:
    a: Side
    b: Side
    rows: tuple[Row, ...]
    purposes: tuple[PurposeRow, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    lang: str = "en"
    #: Donors of one side that match more than one donor of the other: not merged.
    ambiguous: tuple[tuple[str, str, tuple[str, ...]], ...] = field(default=())

    @property
    def a_received(self) -> Decimal:
        return self.a.total_received

    @property
    def a_pledged(self) -> Decimal:
        return self.a.total_pledged

    @property
    def b_received(self) -> Decimal:
        return self.b.total_received

    @property
    def b_pledged(self) -> Decimal:
        return self.b.total_pledged


def donor_keys(donor: Donor) -> dict[str, str]:
    """Every key a donor is known by (`match_key` of its id, names and aliases), with
    what it is: "id", "name" or "alias"."""
    keys: dict[str, str] = {}
    for text, what in (
        *((name, "name") for name in donor.name.texts()),
        *((alias, "alias") for alias in donor.aliases),
        (donor.id, "id"),
    ):
        if text:
            keys.setdefault(match_key(text), what)
    return keys


def reconcile(a: Side, b: Side, lang: str = "en") -> Reconciliation:
    """A's donors beside B's, matched by id, name and alias; then each side's rest."""
    pairs, ambiguous = _pairs(a, b)
    paired_b = {b_id for b_id, _ in pairs.values()}
    rows = []
    for a_id in a.donors:
        b_id, how = pairs.get(a_id, (None, None))
        rows.append(
            Row(
                a_id,
                b_id,
                a.name(a_id, lang),
                a.received[a_id],
                a.pledged[a_id],
                b.received[b_id] if b_id else None,
                b.pledged[b_id] if b_id else None,
                how,
            )
        )
    rows += [
        Row(None, b_id, b.name(b_id, lang), None, None, b.received[b_id], b.pledged[b_id])
        for b_id in b.donors
        if b_id not in paired_b
    ]
    return Reconciliation(
        a,
        b,
        tuple(rows),
        _purposes(a, b) if a.any_purpose and b.any_purpose else (),
        tuple(_suggestions(a, b, rows, lang)),
        lang,
        tuple(ambiguous),
    )


def _pairs(
    a: Side, b: Side
) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, tuple[str, ...]]]]:
    """Each donor of A matched to the one donor of B that shares a key with it, and
    shares none with another donor of A (a id: (b id, matched by)); and those that
    match more than one, not merged."""
    a_keys = {d: _keys(a.ledger, d) for d in a.donors}
    b_keys = {d: _keys(b.ledger, d) for d in b.donors}
    a_by_key, b_by_key = _by_key(a_keys), _by_key(b_keys)
    pairs: dict[str, tuple[str, str]] = {}
    ambiguous: list[tuple[str, str, tuple[str, ...]]] = []
    for a_id, keys in a_keys.items():
        found = sorted({b_id for key in keys for b_id in b_by_key.get(key, ())})
        if len(found) > 1:
            ambiguous.append(("A", a_id, tuple(found)))
        if len(found) != 1:
            continue
        b_id = found[0]
        back = {other for key in b_keys[b_id] for other in a_by_key.get(key, ())}
        if back != {a_id}:
            ambiguous.append(("B", b_id, tuple(sorted(back))))
            continue
        pairs[a_id] = (b_id, _matched_by(a_id, b_id, keys, b_keys[b_id]))
    return pairs, ambiguous


def _matched_by(a_id: str, b_id: str, a_keys: dict[str, str], b_keys: dict[str, str]) -> str:
    """How two matched donors were matched: "id" where their ids are the same (whatever
    else they share, as a ledger's donor shares everything with itself), else "alias"
    where an alias is among the keys they share, else "name"."""
    if match_key(a_id) == match_key(b_id):
        return "id"
    shared = [key for key in a_keys if key in b_keys]
    kinds = {a_keys[key] for key in shared} | {b_keys[key] for key in shared}
    return "alias" if "alias" in kinds else "name"


def _by_key(keys: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for donor_id, donor_keys_ in keys.items():
        for key in donor_keys_:
            table.setdefault(key, set()).add(donor_id)
    return table


def _keys(ledger: Ledger, donor_id: str) -> dict[str, str]:
    donor = ledger.donor_by_id.get(donor_id)
    return donor_keys(donor) if donor else {match_key(donor_id): "id"}


def _names(ledger: Ledger, donor_id: str) -> list[str]:
    donor = ledger.donor_by_id.get(donor_id)
    if donor is None:
        return [donor_id]
    return [n for n in (*donor.name.texts(), *donor.aliases) if n]


def _suggestions(a: Side, b: Side, rows: Sequence[Row], lang: str) -> list[Suggestion]:
    """For each donor only in B, the one donor only in A whose names come close to its
    own (and no other does): never merged, only suggested."""
    only_a = [r.a_id for r in rows if r.a_id is not None and r.b_id is None]
    only_b = [r.b_id for r in rows if r.b_id is not None and r.a_id is None]
    found = []
    for b_id in only_b:
        assert b_id is not None
        scores: list[tuple[float, str]] = []
        for a_id in only_a:
            assert a_id is not None
            best = max(
                (
                    difflib.SequenceMatcher(None, match_key(x), match_key(y)).ratio()
                    for x in _names(a.ledger, a_id)
                    for y in _names(b.ledger, b_id)
                ),
                default=0.0,
            )
            if best >= SUGGEST_RATIO:
                scores.append((best, a_id))
        best = max((ratio for ratio, _ in scores), default=0.0)
        near = [(ratio, a_id) for ratio, a_id in scores if ratio > best - SUGGEST_MARGIN]
        if len(near) == 1:  # unambiguous: one donor of A is clearly the closest
            ratio, a_id = near[0]
            b_name = b.ledger.donor_name(b_id, "en")
            found.append(
                Suggestion(
                    a_id,
                    b_id,
                    a.name(a_id, lang),
                    b_name,
                    Decimal(str(round(ratio, 2))),
                )
            )
    return found


def _purposes(a: Side, b: Side) -> tuple[PurposeRow, ...]:
    keys = sorted({*a.purposes, *b.purposes}, key=lambda k: (k == "", k))
    return tuple(
        PurposeRow(
            key,
            a.purposes.get(key, (ZERO, ZERO))[0],
            a.purposes.get(key, (ZERO, ZERO))[1],
            b.purposes.get(key, (ZERO, ZERO))[0],
            b.purposes.get(key, (ZERO, ZERO))[1],
        )
        for key in keys
    )


def _yaml_text(text: str) -> str:
    """`text` as a YAML flow scalar: quoted (JSON's quoting is valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def entries(side: Side) -> Iterable[Entry]:
    return side.ledger.covered_by(side.statement)
