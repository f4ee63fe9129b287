"""Controls an auditor asks for: who recorded what and when (`write_log`).

Every write records, in the file it writes, who wrote it and when
(`recorded_by`, `recorded_at`: `Ledger.recordings`). The log lists each such
file's records in the order they were written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from wsis_ledger.core.fields import name_key
from wsis_ledger.core.language import msg, said
from wsis_ledger.core.ledger import Ledger, known_on
from wsis_ledger.core.models import SECTIONS, Closing, Record, Recording
from wsis_ledger.core.problems import Problem, display_path

#: The ledger's lists of records, by the name a log gives their kind.
KINDS = ("statements", *SECTIONS)


def kinds(ledger: Ledger) -> Iterator[tuple[str, Record]]:
    """Every record of the ledger with its kind (`fund`, `received`, ...), in file order
    within each kind."""
    yield "fund", ledger.fund
    for kind in KINDS:
        for record in getattr(ledger, kind, ()):
            yield kind, record


def person(name: str) -> str:
    """The key a person's name compares by: `Ana Díaz <ana@example.org>` and
    `ana díaz` are one person (the address, where given, is left out)."""
    return name_key(name.split("<", 1)[0])


@dataclass(frozen=True)
class Write:
    """One record a write added, with who wrote its file and when."""

    at: str
    by: str
    kind: str
    id: str | None
    amount: Decimal | None
    currency: str | None
    party: str | None
    path: Path
    line: int


def write_log(ledger: Ledger) -> list[Write]:
    """Every record of every file that records who wrote it, in the order written
    (by `recorded_at`, then file, then line); a file holding no record (a list left
    empty) is one row without a kind."""
    by_file: dict[Path, list[tuple[str, Record]]] = {}
    for kind, record in kinds(ledger):
        path = record.place.path
        if path in ledger.recording_of:
            by_file.setdefault(path, []).append((kind, record))
    rows: list[Write] = []
    for recording in ledger.recordings:
        path = recording.place.path
        held: list[tuple[str, Record | None]] = [*by_file.get(path, [])] or [("", None)]
        rows.extend(_row(recording, kind, record, path) for kind, record in held)
    rows.sort(key=lambda w: (w.at, str(w.path), w.line))
    return rows


def _row(recording: Recording, kind: str, record: Record | None, path: Path) -> Write:
    def text(name: str) -> str | None:
        value = getattr(record, name, None)
        return value if isinstance(value, str) else None

    amount = getattr(record, "amount", None)
    currency = text("currency") or ("CHF" if kind.startswith("loan_") else None)
    return Write(
        at=recording.at,
        by=recording.by,
        kind=kind,
        id=text("id"),
        amount=amount if isinstance(amount, Decimal) else None,
        currency=currency if amount is not None else None,
        party=text("donor") or text("payee") or text("facility"),
        path=path,
        line=record.place.line if record is not None else 0,
    )


# --- closed periods -------------------------------------------------------------

#: The totals a closing holds, from the position as of its last day.
CLOSING_TOTALS = (
    "received",
    "pledged",
    "expenditure",
    "support_costs",
    "loans_drawn",
    "loans_repaid",
)


def period_records(ledger: Ledger, through: date) -> dict[str, Record]:
    """The records dated on or before `through`, by their key (`kind/id`; a rate:
    `rates/CUR/day`): statements as of then; receipts and pledges dated then, or
    undated in such a statement; expenditures, loan drawings and repayments,
    cancellations, acknowledgements, and dated reassignments and rates; seconded
    staff, facilities, staff and direct support of such a statement. (What
    `known_on` keeps, less undated rates and reassignments.) A key given twice
    gets `#2`, `#3`."""
    known = known_on(ledger, through)
    found: dict[str, Record] = {}
    for kind in PERIOD_KINDS:
        record: Any
        for record in getattr(known, kind):
            if kind == "rates":
                day = record.date or record.start
                if day is None:
                    continue
                key = f"rates/{record.currency}/{day.isoformat()}"
            elif kind == "reassignments" and record.date is None:
                continue
            else:
                key = f"{kind}/{record.id}"
            unique, n = key, 1
            while unique in found:
                n += 1
                unique = f"{key}#{n}"
            found[unique] = record
    return found


#: The kinds of record that stand beside the periods, not in one: who gives, the
#: facilities and budgets, and the controls themselves.
STANDING_KINDS = frozenset(
    {"donors", "loan_facilities", "budget_lines", "closings", "reopenings", "approvals"}
)
#: The kinds of record a period holds (`period_records`): every other kind.
PERIOD_KINDS = tuple(kind for kind in KINDS if kind not in STANDING_KINDS)


def canonical(record: Record) -> str:
    """A record as the text its SHA-256 is taken of: its fields as JSON, keys sorted,
    no spaces, fields at their default left out, amounts as plain decimals without
    trailing zeros (`12.30` and `12.3` are one amount), days as YYYY-MM-DD."""
    return json.dumps(
        _plain(record.model_dump(exclude_defaults=True)),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def record_digest(record: Record) -> str:
    """The SHA-256 of a record's `canonical` text (UTF-8), in hexadecimal."""
    return hashlib.sha256(canonical(record).encode("utf-8")).hexdigest()


def period_totals(ledger: Ledger, through: date) -> dict[str, Decimal]:
    """The period's totals (`CLOSING_TOTALS`), from the position as of `through`."""
    from wsis_ledger.compute.build_position import build_position

    totals = build_position(ledger, "en", through, with_history=False).totals
    return {name: getattr(totals, name) for name in CLOSING_TOTALS}


def closing_digest(through: date, records: Mapping[str, str], totals: Mapping[str, Decimal]) -> str:
    """The SHA-256 a closing holds: of the lines `through DAY`, then `KEY SHA256` for
    each record in the order of their keys, then `total NAME AMOUNT` for each total
    in the order of their names, each line ending in a line feed (UTF-8)."""
    lines = [f"through {through.isoformat()}"]
    lines += [f"{key} {records[key]}" for key in sorted(records)]
    lines += [f"total {name} {_plain(totals[name])}" for name in sorted(totals)]
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PeriodState:
    """What a closing would hold of the ledger as it stands."""

    through: date
    records: dict[str, str]
    totals: dict[str, Decimal]
    found: dict[str, Record]

    @property
    def digest(self) -> str:
        return closing_digest(self.through, self.records, self.totals)


def period_state(ledger: Ledger, through: date) -> PeriodState:
    """The records dated on or before `through`, each's SHA-256, and the totals."""
    found = period_records(ledger, through)
    records = {key: record_digest(record) for key, record in found.items()}
    return PeriodState(through, records, period_totals(ledger, through), found)


def standing_closings(ledger: Ledger) -> list[Closing]:
    """The closings not reopened, in the order they were written."""
    reopened = {r.closing for r in ledger.reopenings}
    return [c for c in ledger.closings if c.id not in reopened]


def closing_of(ledger: Ledger, on: date) -> Closing | None:
    """The standing closing that closes `on` (the one through the earliest day on or
    after it), or None when that day is open."""
    covering = [c for c in standing_closings(ledger) if on <= c.through]
    return min(covering, key=lambda c: c.through, default=None)


def recorder_of(ledger: Ledger, record: Record) -> str | None:
    """Who wrote the file `record` is in, where it says."""
    recording = ledger.recording_of.get(record.place.path)
    return recording.by if recording is not None else None


def _where(record: Record) -> str:
    at = record.place.at()
    return f"{display_path(at.path)}:{at.line}"


def validate_closings(ledger: Ledger) -> list[Problem]:
    """Each closing as written (its digest fits what it lists), closings that overlap,
    and every record of a closed period added, changed or removed since its close."""
    problems: list[Problem] = []
    for closing in ledger.closings:
        stored = {name: value for name, value in closing.totals.items()}
        if closing_digest(closing.through, closing.records, stored) != closing.digest:
            message = said(
                msg(
                    "closing_edited",
                    "the closing '{id}' (through {through}) was edited by hand: "
                    "its digest does not match the records and totals it lists",
                ),
                id=closing.id,
                through=closing.through,
            )
            problems.append(Problem(closing.place.at("digest"), "closing-edited", message))
    standing = standing_closings(ledger)
    latest: Closing | None = None
    for closing in standing:
        if latest is not None and closing.through <= latest.through:
            message = said(
                msg(
                    "overlapping_close",
                    "the closing '{id}' (through {through}) overlaps '{other}' (through "
                    "{other_through}, {where}): that period is closed already; reopen it "
                    "first, or remove this closing",
                ),
                id=closing.id,
                through=closing.through,
                other=latest.id,
                other_through=latest.through,
                where=_where(latest),
            )
            problems.append(Problem(closing.place.at("through"), "overlapping-close", message))
        elif latest is None or closing.through > latest.through:
            latest = closing
    if problems:
        return problems  # a closing that cannot be trusted compares nothing
    told: set[str] = set()
    for closing in sorted(standing, key=lambda c: c.through):
        problems.extend(_changes(ledger, closing, told))
    return problems


def _changes(ledger: Ledger, closing: Closing, told: set[str]) -> list[Problem]:
    state = period_state(ledger, closing.through)
    problems: list[Problem] = []
    period = said(
        msg("closed_period", "the period closed through {through} by '{id}' ({where})"),
        through=closing.through,
        id=closing.id,
        where=_where(closing),
    )
    for key, digest in state.records.items():
        if key in told or closing.records.get(key) == digest:
            continue
        told.add(key)
        record = state.found[key]
        what = (
            msg("added_since_close", "added since the close")
            if key not in closing.records
            else msg("changed_since_close", "changed since the close")
        )
        message = said(
            msg(
                "closed_period_changed",
                "{key} lies in {period}: {what}; undo it, reopen (wsis-ledger reopen), "
                "then redo it",
            ),
            key=key,
            period=period,
            what=what,
        )
        problems.append(Problem(record.place.at(), "closed-period-changed", message))
    for key in closing.records:
        if key not in state.records and key not in told:
            told.add(key)
            message = said(
                msg(
                    "closed_period_removed",
                    "{key}, in {period}, was removed since the close (or moved out of it)",
                ),
                key=key,
                period=period,
            )
            problems.append(Problem(closing.place.at("records"), "closed-period-changed", message))
    if not problems and state.totals != dict(closing.totals):
        changed = tuple(
            said(
                msg("then_now", "{total} {then} then, {now} now"),
                total=n,
                then=str(_plain(closing.totals.get(n))),
                now=str(_plain(state.totals[n])),
            )
            for n in CLOSING_TOTALS
            if closing.totals.get(n) != state.totals[n]
        )
        message = said(
            msg(
                "closed_totals_changed",
                "the totals of {period} changed since the close ({changed}): a setting "
                "or a record outside the period changed them",
            ),
            period=period,
            changed=changed,
        )
        problems.append(Problem(closing.place.at("totals"), "closed-period-changed", message))
    return problems


def validate_reopenings(ledger: Ledger) -> list[Problem]:
    """Each reopening names a closing of the ledger, through the day it says."""
    closings = {c.id: c for c in ledger.closings}
    problems = []
    for reopening in ledger.reopenings:
        closing = closings.get(reopening.closing)
        if closing is None:
            message = said(
                msg("no_closing", "there is no closing '{id}' to reopen"), id=reopening.closing
            )
            problems.append(Problem(reopening.place.at("closing"), "unknown-reference", message))
        elif closing.through != reopening.through:
            message = said(
                msg("reopen_through", "the closing '{id}' is through {through}, not {reopening}"),
                id=closing.id,
                through=closing.through,
                reopening=reopening.through,
            )
            problems.append(Problem(reopening.place.at("through"), "invalid-value", message))
    return problems


def where_of(record: Record) -> str:
    """`path:line` of a record, as messages name it."""
    return _where(record)


# --- a second person ------------------------------------------------------------


def approvable(ledger: Ledger) -> dict[str, Record]:
    """The records an approval may name, by id: expenditures, loan drawings, entries."""
    table: dict[str, Record] = {}
    for record in (*ledger.expenditures, *ledger.loan_drawings, *ledger.entries):
        table.setdefault(record.id, record)
    return table


@dataclass(frozen=True)
class Needing:
    """A record that needs a second person's approval, and its amount in CHF."""

    kind: str
    record: Record
    chf: Decimal


def needing_approval(ledger: Ledger) -> list[Needing]:
    """The records the ledger's approval setting says need an approval."""
    from wsis_ledger.compute.spending import expenditure_chf

    rule = ledger.fund.approval
    if rule is None:
        return []
    found: list[Needing] = []
    if rule.expenditure_over is not None:
        for expenditure in ledger.expenditures:
            chf = expenditure_chf(ledger, expenditure)
            if chf is not None and chf > rule.expenditure_over:
                found.append(Needing("expenditures", expenditure, chf))
    if rule.loan_drawings:
        found.extend(Needing("loan_drawings", d, d.amount) for d in ledger.loan_drawings)
    return found


def unapproved(ledger: Ledger) -> list[Needing]:
    """The records that need an approval and have none by someone other than their
    recorder (an approval by the recorder is no second person's)."""
    return [n for n in needing_approval(ledger) if not _approved(ledger, n.record)]


def _approved(ledger: Ledger, record: Record) -> bool:
    recorder = recorder_of(ledger, record)
    return any(
        a.record == getattr(record, "id", None)
        and (recorder is None or person(a.by) != person(recorder))
        for a in ledger.approvals
    )


def validate_approvals(ledger: Ledger) -> list[Problem]:
    """Each approval names a record of the ledger, and one of its approvers (where it
    names them)."""
    known = approvable(ledger)
    rule = ledger.fund.approval
    approvers = {person(a) for a in rule.approvers} if rule is not None else set()
    problems = []
    for approval in ledger.approvals:
        if approval.record not in known:
            message = said(
                msg(
                    "approval_no_record",
                    "the approval '{id}' names no record of the ledger ('{record}')",
                ),
                id=approval.id,
                record=approval.record,
            )
            problems.append(Problem(approval.place.at("record"), "unknown-reference", message))
        if approvers and person(approval.by) not in approvers:
            message = said(
                msg(
                    "unknown_approver",
                    "'{by}' is not one of the ledger's approvers "
                    "(fund: approval: approvers: {approvers})",
                ),
                by=approval.by,
                approvers=", ".join(rule.approvers if rule else ()),
            )
            problems.append(Problem(approval.place.at("by"), "unknown-approver", message))
    return problems


def approval_warnings(ledger: Ledger) -> list[Problem]:
    """Each record that needs an approval and has none, or only its recorder's."""
    warnings = []
    for needing in needing_approval(ledger):
        record = needing.record
        record_id = getattr(record, "id", "")
        if _approved(ledger, record):
            continue
        recorder = recorder_of(ledger, record)
        own = any(a.record == record_id for a in ledger.approvals)
        if own:
            message = said(
                msg(
                    "approved_by_recorder",
                    "{kind}/{id} ({amount} CHF) is approved only by its recorder, {recorder}: "
                    "a second person approves (wsis-ledger approve {id} --by NAME)",
                ),
                kind=needing.kind,
                id=record_id,
                amount=needing.chf,
                recorder=str(recorder),
            )
            code = "approved-by-recorder"
        else:
            message = said(
                msg(
                    "unapproved",
                    "{kind}/{id} ({amount} CHF) needs an approval and has none "
                    "(wsis-ledger approve {id} --by NAME)",
                ),
                kind=needing.kind,
                id=record_id,
                amount=needing.chf,
            )
            code = "unapproved"
        warnings.append(Problem(record.place.at(), code, message, "warning"))
    return warnings


# --- what a report says of them ---------------------------------------------------


@dataclass(frozen=True)
class ClosedPeriod:
    """A standing closing, as a report names it."""

    closing: str
    through: date
    by: str | None
    at: str | None


@dataclass(frozen=True)
class Controls:
    """What a report says of the controls: the period closed (the latest standing
    closing through the report's day or before), whether the whole period reported is
    closed, and the records awaiting a second person's approval (kind, id, CHF)."""

    closed: ClosedPeriod | None = None
    #: True when the report's day is in the closed period (every figure is closed).
    all_closed: bool = False
    unapproved: tuple[tuple[str, str, Decimal], ...] = ()
    #: Whether the ledger asks for approvals at all.
    approval_asked: bool = False

    @property
    def unapproved_chf(self) -> Decimal:
        return sum((chf for _, _, chf in self.unapproved), Decimal(0))


def position_controls(ledger: Ledger, known: Ledger, on: date | None) -> Controls:
    """The controls of a report of `ledger` as of `on` (`known`: the ledger as it
    stood then, whose records awaiting approval are counted)."""
    standing = standing_closings(ledger)
    closed = None
    all_closed = False
    if standing:
        covering = closing_of(ledger, on) if on is not None else None
        chosen = covering or max(
            (c for c in standing if on is None or c.through <= on),
            key=lambda c: c.through,
            default=None,
        )
        if chosen is not None:
            recording = ledger.recording_of.get(chosen.place.path)
            closed = ClosedPeriod(
                chosen.id,
                chosen.through,
                recording.by if recording else None,
                recording.at if recording else None,
            )
            all_closed = covering is not None
    waiting = tuple((n.kind, str(getattr(n.record, "id", "")), n.chf) for n in unapproved(known))
    return Controls(closed, all_closed, waiting, known.fund.approval is not None)
