"""The ledger's records made into its `Position` (`compute.position` gives the
definitions): rows in one language, totals, purposes, loans, the budget's coverage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wsis_ledger.compute import conversion, loans, pledges, spending
from wsis_ledger.compute.cash_movements import build_cash_movements, recorded_kinds
from wsis_ledger.compute.controls import position_controls
from wsis_ledger.compute.position import (
    Budget,
    DirectRow,
    EntryRow,
    FacilityRow,
    HistoryPoint,
    Kind,
    LoanRow,
    Movement,
    Position,
    PurposeRow,
    StaffRow,
    Totals,
    chf_sum,
)
from wsis_ledger.compute.statements import statement_infos
from wsis_ledger.core import money
from wsis_ledger.core.language import Message, day, msg, translate
from wsis_ledger.core.ledger import Ledger, known_on
from wsis_ledger.core.ledger import as_of as as_of  # here too, where it was first
from wsis_ledger.core.models import Entry, LoanDrawing, Pledge, Receipt, Statement

#: Headings and labels where the statement gives none of its own.
DEFAULT_HEADINGS: dict[str, Message] = {
    "contributions": msg("heading_contributions", "1. Contributions to the fund"),
    "received": msg("heading_received", "1.1 Received"),
    "pledged": msg("heading_pledged", "1.2 Pledged"),
    "received_total": msg("heading_received_total", "Total received"),
    "pledged_total": msg("heading_pledged_total", "Total pledged"),
    "loans": msg("heading_loans", "2. Loans"),
    "seconded": msg("heading_seconded", "3. Seconded staff"),
    "facilities": msg("heading_facilities", "4. Facilities"),
    "staff": msg("heading_staff", "5. Staff"),
    "direct_support": msg("heading_direct_support", "Direct support outside the fund"),
    "summary": msg("heading_summary", "Summary"),
}
#: The title over figures the source never printed: the fund's name and their date.
TITLE_AS_OF = msg("title_as_of", "{fund} (as of {date})")
#: Coverage of the budget is shown in per cent to this many places, half-up.
COVERAGE_PLACES = Decimal("0.01")


def history(ledger: Ledger, lang: str = "en") -> tuple[HistoryPoint, ...]:
    """Received and pledged at each statement's date, computed by `build_position`."""
    points = []
    for statement in sorted(ledger.statements, key=lambda s: s.as_of):
        totals = build_position(ledger, lang, statement.as_of, with_history=False).totals
        points.append(HistoryPoint(statement.id, statement.as_of, totals.received, totals.pledged))
    return tuple(points)


#: The totals each kind of record makes (`not_yet_stated`).
TOTALS_OF = {
    "received": ("received", "received_and_pledged", "exchange_difference", "exchange_gains",
                 "exchange_losses", "cash", "fund_balance"),
    "pledged": ("pledged", "received_and_pledged", "exchange_difference", "exchange_gains",
                "exchange_losses"),
    "cancellations": ("pledged", "received_and_pledged"),
    "loan_facilities": ("loan_ceiling",),
    "loan_drawings": ("loans_drawn", "loans_outstanding", "cash", "fund_balance"),
    "loan_repayments": ("loans_repaid", "loans_outstanding", "cash", "fund_balance"),
    "direct_support": ("direct_support",),
    "seconded": ("experts", "experts_part_time"),
}  # fmt: skip


CUMULATIVE_NOTE = msg(
    "cumulative_note",
    "The source gives only a cumulative position as of {date}: what its undated entries "
    "held before that date is not stated (not 0), nor are the totals they make.",
)


def cumulative_note(on: date, lang: str) -> str:
    """What a position before a cumulative statement's date says of it (`not_yet_stated`)."""
    return translate(CUMULATIVE_NOTE, lang).format(date=day(on, lang))


def not_yet_stated(ledger: Ledger, on: date | None) -> tuple[frozenset[str], date | None]:
    """The totals a position on `on` cannot state, and the date that would state them.

    A record with no date of its own is dated by its statement (or the ledger's last
    day): the source gives it only as part of a cumulative position on that day, so
    before it, what the record held is unknown (not 0): every total it makes is not
    stated. The annex gives only such a position, as of 2002-12-20."""
    if on is None:
        return frozenset(), None
    unstated: set[str] = set()
    days: list[date] = []
    for kind, totals in TOTALS_OF.items():
        for record in getattr(ledger, kind):
            day, source = ledger.known(record)
            if source != "record" and day is not None and day > on:
                unstated.update(totals)
                days.append(day)
    return frozenset(unstated), min(days, default=None)


def build_position(
    ledger: Ledger, lang: str = "en", on: date | None = None, *, with_history: bool = True
) -> Position:
    """The position of the whole ledger, headed as its latest statement heads it.

    With `on`, the ledger as it stood on that date (`known_on`). With two
    statements or more, `history` holds the totals at each one's date.
    """
    recorded = bool(ledger.expenditures)  # on any date: "none as yet" is not "none recorded"
    whole = ledger
    if on is not None:
        ledger = known_on(ledger, on)
    unstated, cumulative_on = not_yet_stated(whole, on)
    statement = ledger.latest_statement
    rows = _EntryRows(ledger, lang, on)
    received = tuple(rows.row(e, "received") for e in ledger.received)
    every_pledge = tuple(rows.row(e, "pledged") for e in ledger.pledged)
    pledged = tuple(r for r in every_pledge if r.standing and not r.standing.cancelled_on)
    cancelled = tuple(r for r in every_pledge if r.standing and r.standing.cancelled_on)
    seconded = tuple(
        StaffRow(
            s.id,
            s.donor,
            rows.name(s.donor),
            0 if s.part_time else s.experts,
            s.experts if s.part_time else 0,
            rows.name(s.paid_by) if s.paid_by else None,
            paid_by_id=s.paid_by,
        )
        for s in ledger.seconded
    )
    loan_rows = tuple(_loan_row(ledger, f.id, rows.name(f.lender)) for f in ledger.loan_facilities)
    spent = spending.build_spending(
        ledger, ((r.purpose, r.chf) for r in received), recorded=recorded, lang=lang
    )
    differences = [
        s.exchange_difference for r in every_pledge if r.standing for s in r.standing.settlements
    ]
    movements = build_cash_movements(ledger, lang, recorded_kinds(whole))
    totals = Totals(
        received=chf_sum(r.counted for r in received),
        pledged=chf_sum(r.counted for r in pledged),
        received_and_pledged=chf_sum(r.counted for r in (*received, *pledged)),
        exchange_difference=chf_sum(
            r.standing.exchange_difference for r in every_pledge if r.standing
        ),
        loan_ceiling=chf_sum(f.ceiling for f in ledger.loan_facilities),
        loans_drawn=chf_sum(r.drawn for r in loan_rows),
        loans_repaid=chf_sum(r.repaid for r in loan_rows),
        experts_full_time=sum(row.full_time for row in seconded),
        experts_part_time=sum(row.part_time for row in seconded),
        direct_support=chf_sum(d.chf for d in ledger.direct_support),
        expenditure=spent.expenditure,
        support_costs=spent.support_costs,
        experts=sum(s.experts for s in ledger.seconded),
        agreed=chf_sum(r.counted for r in pledged if r.signed),
        exchange_gains=chf_sum(d for d in differences if d > 0),
        exchange_losses=-chf_sum(d for d in differences if d < 0),
        other_income=movements.total("other_income"),
        refunds=movements.total("refunds"),
        bank_charges=movements.total("bank_charges"),
    )
    return Position(
        lang=lang,
        fund_id=ledger.fund.id,
        fund=ledger.fund.name.get(lang),
        title=_title(ledger, statement, lang),
        as_of=on or as_of(ledger),
        headings=_headings(statement if _only_source(ledger, statement) else None, lang),
        notes=tuple(n.get(lang) for n in statement.notes if not n.under) if statement else (),
        receipts=received,
        pledges=pledged,
        loans=loan_rows,
        seconded=seconded,
        facilities=tuple(
            FacilityRow(f.id, f.donor, rows.name(f.donor), tuple(i.get(lang) for i in f.items))
            for f in ledger.facilities
        ),
        staff=tuple(
            StaffRow(
                s.id,
                s.donor,
                rows.name(s.donor),
                s.full_time,
                s.part_time,
                None,
                tuple(u.get(lang) for u in s.units),
            )
            for s in ledger.staff
        ),
        direct_support=tuple(
            DirectRow(
                d.id, d.donor, rows.name(d.donor), d.chf, d.what.get(lang) if d.what else None
            )
            for d in ledger.direct_support
        ),
        totals=totals,
        unstated=unstated,
        cumulative_on=cumulative_on,
        ledger_notes=(cumulative_note(cumulative_on, lang),) if cumulative_on else (),
        budget=_budget(ledger, statement, (*received, *pledged), lang),
        purposes=_purposes((*received, *pledged)),
        cancelled_pledges=cancelled,
        donor_kinds={d.id: d.kind for d in ledger.donors},
        spending=spent,
        statements=statement_infos(ledger, lang),
        section_notes=_section_notes(statement, lang),
        history=history(ledger, lang) if with_history and len(ledger.statements) > 1 else (),
        kind_readings=frozenset(d.id for d in ledger.donors if "kind" in d.readings),
        controls=position_controls(whole, ledger, on),
        movements=movements,
        name_languages=name_languages(ledger, lang),
    )


def _section_notes(statement: Statement | None, lang: str) -> dict[str, tuple[str, ...]]:
    notes: dict[str, tuple[str, ...]] = {}
    for note in statement.notes if statement else ():
        if note.under:
            notes[note.under] = (*notes.get(note.under, ()), note.get(lang))
    return notes


class _EntryRows:
    """Turns receipts and pledges into rows, with names in one language."""

    def __init__(self, ledger: Ledger, lang: str, on: date | None = None) -> None:
        self.ledger, self.lang, self.on = ledger, lang, on
        self.statement_phases = {s.id: s.phase for s in ledger.statements}
        # Each donor's name and reading, worked out once per donor rather than once per
        # entry (a hot path: bench/HISTORY.md).
        self._names: dict[str, tuple[str, bool]] = {}

    def name(self, donor_id: str) -> str:
        return self._donor(donor_id)[0]

    def reading(self, donor_id: str) -> bool:
        """True when the name shown for the donor is the ledger's reading."""
        return self._donor(donor_id)[1]

    def _donor(self, donor_id: str) -> tuple[str, bool]:
        known = self._names.get(donor_id)
        if known is None:
            donor = self.ledger.donor_by_id.get(donor_id)
            reading = donor is not None and "name" in donor.readings
            shown = self.ledger.donor_name(donor_id, self.lang)
            known = (
                shown,
                reading and not (self.lang == "zh" and donor is not None and donor.name.zh),
            )
            self._names[donor_id] = known
        return known

    def row(self, entry: Entry, kind: Kind) -> EntryRow:
        ledger = self.ledger
        chf = conversion.chf_value(entry, ledger.fund.booking_unit, ledger)
        assert chf is not None, "checks refuse entries that cannot be valued"
        rate = conversion.entry_rate(entry, ledger)
        standing = None
        if isinstance(entry, Pledge):
            terms = pledges.terms_of(entry, chf, rate)
            standing = pledges.standing(ledger, entry, terms=terms)
        name, reading = self._donor(entry.donor)
        statement = entry.statement
        dated_by, date_source = ledger.known(entry)
        return EntryRow(
            id=entry.id,
            kind=kind,
            donor_id=entry.donor,
            donor=name,
            amount=entry.amount,
            currency=entry.currency,
            rate=rate,
            chf=chf,
            purpose=ledger.purpose_of.get(entry.id),
            date=entry.date,
            dated_by=dated_by,
            reassigned=entry.id in ledger.reassigned,
            # Not getattr(entry, "pledge", None): a pledge has no such field, and asking a
            # pydantic model for a missing attribute raises inside it (slow: an exception each).
            pledge=entry.pledge if isinstance(entry, Receipt) else None,
            standing=standing,
            note=entry.source_note.get(self.lang) if entry.source_note else None,
            reading=reading,
            phase=entry.phase or (self.statement_phases.get(statement) if statement else None),
            date_source=date_source,
            signed_on=entry.signed
            if isinstance(entry, Pledge)
            and entry.signed is not None
            and (self.on is None or entry.signed <= self.on)
            else None,
        )


def _loan_row(ledger: Ledger, facility_id: str, lender: str) -> LoanRow:
    facility = next(f for f in ledger.loan_facilities if f.id == facility_id)
    moves = tuple(
        Movement(
            m.id,
            m.facility,
            m.date,
            m.amount,
            isinstance(m, LoanDrawing),
            m.use if isinstance(m, LoanDrawing) else None,
        )
        for m in loans.movements(ledger, facility_id)
    )
    return LoanRow(
        facility.id,
        facility.lender,
        lender,
        facility.ceiling,
        facility.phase,
        drawn=chf_sum(m.amount for m in moves if m.drawn),
        repaid=chf_sum(m.amount for m in moves if not m.drawn),
        movements=moves,
    )


def _purposes(rows: tuple[EntryRow, ...]) -> tuple[PurposeRow, ...]:
    """Subtotals at every level of the purposes, when any entry has one."""
    if not any(row.purpose for row in rows):
        return ()
    # Added up by purpose first, then each purpose's sums into every level above it:
    # the same sums as adding each row at every level (Decimal sums of amounts of at
    # most 17 digits are exact, whatever their order), with the path split once a purpose.
    by_purpose: dict[tuple[str, int], Decimal] = {}
    for row in rows:
        key = (row.purpose or "", 0 if row.kind == "received" else 1)
        by_purpose[key] = by_purpose.get(key, Decimal(0)) + row.counted
        if row.signed:
            signed = (row.purpose or "", 2)
            by_purpose[signed] = by_purpose.get(signed, Decimal(0)) + row.counted
    sums: dict[str, list[Decimal]] = {}
    for (purpose, index), amount in by_purpose.items():
        parts = purpose.split("/")
        for depth in range(1, len(parts) + 1):
            level = "/".join(parts[:depth])
            sums.setdefault(level, [Decimal(0), Decimal(0), Decimal(0)])[index] += amount
    return tuple(
        PurposeRow(key, key.count("/") if key else 0, received_sum, pledged_sum, agreed_sum)
        for key, (received_sum, pledged_sum, agreed_sum) in sorted(
            sums.items(), key=lambda kv: (kv[0] == "", kv[0])
        )
    )


def _only_source(ledger: Ledger, statement: Statement | None) -> bool:
    """Whether the ledger holds only what its latest statement printed (nothing dated after)."""
    latest = as_of(ledger)
    return statement is not None and (latest is None or latest <= statement.as_of)


def _title(ledger: Ledger, statement: Statement | None, lang: str) -> str:
    """The statement's own title over its own figures; with records after it, the fund's
    name and the date the figures are as of (the source never printed those figures)."""
    if statement is not None and _only_source(ledger, statement):
        return statement.title.get(lang)
    fund, latest = ledger.fund.name.get(lang), as_of(ledger)
    if latest is None:
        return fund
    return translate(TITLE_AS_OF, lang).format(fund=fund, date=day(latest, lang))


def first_date(ledger: Ledger) -> date | None:
    """The ledger's earliest statement date or dated record: where its accounts begin."""
    dates = [s.as_of for s in ledger.statements] + [e.date for e in ledger.entries if e.date]
    dates += [d.date for d in ledger.loan_drawings] + [r.date for r in ledger.loan_repayments]
    dates += [x.date for x in ledger.expenditures]
    dates += [m.date for m in ledger.cash_movements]
    return min(dates, default=None)


def _headings(statement: Statement | None, lang: str) -> dict[str, str]:
    """Each section's heading: the statement's own where it prints one (in `lang`, or in
    English or Chinese as the source has them), else the catalog's in `lang`."""
    own = statement.headings if statement else {}
    headings = {}
    for key, default in DEFAULT_HEADINGS.items():
        printed = own.get(key)
        if printed is not None and (printed.given(lang) or lang in ("en", "zh")):
            headings[key] = printed.get(lang)
        else:
            headings[key] = translate(default, lang)
    return headings


def name_languages(ledger: Ledger, lang: str) -> dict[str, str]:
    """The names an output in `lang` shows in another language (English where the ledger
    gives none in `lang`), each with that language: a page marks them with their own."""
    named = [ledger.fund.name, *(d.name for d in ledger.donors)]
    return {n.get(lang): n.language(lang) for n in named if n.language(lang) != lang}


def _budget(
    ledger: Ledger, statement: Statement | None, rows: tuple[EntryRow, ...], lang: str
) -> Budget | None:
    """Coverage of the statement's phase budget, or of the fund's first phase with a budget,
    by the entries attributed to that phase (none attributed: no coverage is shown)."""
    phases = [p for p in ledger.fund.phases if p.budget is not None]
    if statement is not None and statement.phase is not None:
        phases = [p for p in phases if p.id == statement.phase]
    if not phases:
        return None
    phase = phases[0]
    assert phase.budget is not None
    attributed = [r for r in rows if r.phase == phase.id]
    money_in = chf_sum(r.counted for r in attributed)
    return Budget(
        phase_id=phase.id,
        phase=phase.name.get(lang),
        estimate=phase.budget,
        coverage_percent=money.percent(money_in, phase.budget, COVERAGE_PLACES)
        if attributed
        else None,
        gap=phase.budget - money_in if attributed else None,
        attributed=len(attributed),
    )
