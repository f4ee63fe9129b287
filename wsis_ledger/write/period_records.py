"""Records of the controls over a period: a closing of every record dated on or before
a day, its reopening with the reason, and a record's approval (`compute.controls`
says what each means). Each is a `NewRecord`, written as `write.records` writes any."""

from __future__ import annotations

from datetime import date

from wsis_ledger.compute import controls
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.write.records import NewRecord, RecordError, next_id


def closing(ledger: Ledger, through: date, on: date, note: str | None = None) -> NewRecord:
    """A closing of every record dated on or before `through` (`compute.controls`):
    refused where that period, or a later one, is closed already, or where it would
    close part of a statement dated after it."""
    standing = controls.standing_closings(ledger)
    later = [c for c in standing if c.through >= through]
    if later:
        c = max(later, key=lambda c: c.through)
        raise RecordError(
            f"the period through {c.through} is closed already, by '{c.id}' "
            f"({controls.where_of(c)}): a close through {through} would overlap it",
            "through",
        )
    for statement in ledger.statements:
        if statement.as_of <= through:
            continue
        inside = [e for e in ledger.covered_by(statement) if e.date and e.date <= through]
        if inside:
            raise RecordError(
                f"the statement '{statement.id}' is as of {statement.as_of}, after {through}, "
                f"but holds entries dated on or before it ({inside[0].id}, {inside[0].date}): "
                f"a close through {through} would close part of it; close through "
                f"{statement.as_of} or later",
                "through",
            )
    if note is not None and not note.strip():
        raise RecordError("say something in the note, or leave it out", "note")
    state = controls.period_state(ledger, through)
    fields = {
        "id": next_id(f"close-{through.isoformat()}", {c.id for c in ledger.closings}),
        "through": through,
        "date": on,
        "digest": state.digest,
        "totals": state.totals,
        "records": {key: state.records[key] for key in sorted(state.records)},
        "note": note.strip() if note else None,
    }
    header = (
        f"The period through {through.isoformat()} closed, recorded by wsis-ledger close.\n"
        "Records dated in it may not change until it is reopened (wsis-ledger reopen);\n"
        "docs/format.md says how the digests are made."
    )
    return NewRecord("closings", fields, on, header)


def reopening(ledger: Ledger, through: date, reason: str, on: date) -> NewRecord:
    """The closing through `through` undone, with the reason: its records may change."""
    if not reason.strip():
        raise RecordError("say why the period is reopened", "reason")
    standing = controls.standing_closings(ledger)
    closing = next((c for c in reversed(standing) if c.through == through), None)
    if closing is None:
        closed = ", ".join(str(c.through) for c in standing) or "none"
        raise RecordError(
            f"no period through {through} is closed (closed through: {closed})", "through"
        )
    later = [c for c in standing if c.through > through]
    if later:
        raise RecordError(
            f"the period through {later[-1].through} is closed too ('{later[-1].id}'), and "
            f"holds {through}: reopen it first",
            "through",
        )
    fields = {
        "id": next_id(f"reopen-{through.isoformat()}", {r.id for r in ledger.reopenings}),
        "closing": closing.id,
        "through": through,
        "reason": reason.strip(),
        "date": on,
    }
    header = f"The period through {through.isoformat()} reopened, recorded by wsis-ledger reopen."
    return NewRecord("reopenings", fields, on, header)


def approval(
    ledger: Ledger, record_id: str, by: str, on: date, note: str | None = None
) -> NewRecord:
    """`by`'s approval of the record `record_id` (an expenditure, a loan drawing, an entry)."""
    rule = ledger.fund.approval
    if rule is None:
        raise RecordError(
            "this ledger asks for no approvals (its fund has no 'approval:' setting)", "record"
        )
    if controls.approvable(ledger).get(record_id) is None:
        raise RecordError(f"there is no record '{record_id}' to approve", "record")
    if rule.approvers and controls.person(by) not in {controls.person(a) for a in rule.approvers}:
        raise RecordError(
            f"'{by}' is not one of the ledger's approvers ({', '.join(rule.approvers)})", "by"
        )
    if note is not None and not note.strip():
        raise RecordError("say something in the note, or leave it out", "note")
    fields = {
        "id": next_id(f"{record_id}-approved", {a.id for a in ledger.approvals}),
        "record": record_id,
        "by": by,
        "date": on,
        "note": note.strip() if note else None,
    }
    return NewRecord("approvals", fields, on, "An approval, recorded by wsis-ledger approve.")
