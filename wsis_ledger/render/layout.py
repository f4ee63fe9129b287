"""The position laid out once: sections of rows and columns that every tabular writer uses.

`layout(position)` decides which sections there are, which columns each has,
what each cell holds and which rows are totals; the writers (`tables` for the
terminal and Markdown, `html`, `xlsx`) only decide how a cell looks. A column
added here appears in every one of them. The cells are in `render.cells`, the
labels in `render.labels`, the sections on expenditure in `render.spending_layout`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from wsis_ledger.compute.controls import Controls
from wsis_ledger.compute.position import EntryRow, LoanRow, Position
from wsis_ledger.core import money
from wsis_ledger.core.language import translate, word
from wsis_ledger.render.cash_movements import movements_section
from wsis_ledger.render.cells import Cell, Column, Money, Percent, Row, Section
from wsis_ledger.render.labels import (
    CHF_AMOUNTS,
    READING_MARK,
    amount_label,
    clauses,
    experts_text,
    in_chf,
    label,
    listed,
    money_text,
)
from wsis_ledger.render.spending_layout import spending_sections


def layout(position: Position) -> tuple[Section, ...]:
    """Every section the report shows, in order."""
    lang, headings = position.lang, position.headings
    sections = []
    if any(s.differences for s in position.statements):
        sections.append(_differences(position))
    if any(f.state == "acknowledged" for s in position.statements for f in s.figures):
        sections.append(_differences(position, acknowledged=True))
    sections += [
        Section("contributions", headings["contributions"], 2),
        _entries(position, "received"),
        _entries(position, "pledged"),
    ]
    if position.purposes:
        sections.append(_purposes(position))
    sections += [
        _loans(position),
        _seconded(position),
        _simple(
            "facilities",
            headings["facilities"],
            ("provided_by", "items"),
            [(r.donor, _join(r.items, lang)) for r in position.facilities],
            lang,
        ),
        _staff(position),
    ]
    if position.direct_support:
        sections.append(
            _simple(
                "direct_support",
                headings["direct_support"],
                ("donor", "what", "chf"),
                [(r.donor, r.what, r.chf) for r in position.direct_support],
                lang,
            )
        )
    movements = movements_section(position)
    if movements is not None:
        sections.append(movements)
    sections += spending_sections(position)
    sections.append(
        Section(
            "summary",
            headings["summary"],
            2,
            (Column("item", label("item", lang)), Column("value", label("figure", lang), True)),
            tuple(Row(_with_unit(cells, lang)) for cells in summary_cells(position)),
            position.notes
            + control_lines(position)
            + position.section_notes.get("summary", ())
            + position.ledger_notes,
        )
    )
    if position.statements:
        sections.append(_sources(position))
    return tuple(_none_recorded(section, lang) for section in sections)


def _with_unit(cells: tuple[str, Cell], lang: str) -> tuple[str, Cell]:
    """A summary row whose label says the figure's unit where it is a CHF amount (a share
    shows `%` itself, a sentence needs none)."""
    name, figure = cells
    return (in_chf(name, lang) if isinstance(figure, Decimal) else name), figure


def _none_recorded(section: Section, lang: str) -> Section:
    """A section whose table would hold no entries says so instead (a total of nothing
    is not shown): every writer gets the same sentence."""
    if not section.columns or any(row.role == "item" for row in section.rows):
        return section
    notes = (label("none_recorded", lang), *section.notes)
    return Section(section.key, section.heading, section.level, notes=notes)


def _differences(position: Position, *, acknowledged: bool = False) -> Section:
    """The printed totals that differ from their rows: those not acknowledged (first in
    the report), or those acknowledged, each with its acknowledgement (never hidden)."""
    lang = position.lang
    keys: tuple[str, ...] = ("statement", "total", "stated", "computed", "difference")
    if acknowledged:
        keys = (*keys, "acknowledged")
    rows = [
        Row(
            (
                s.id,
                label(f.total if f.total != "total" else "received_and_pledged", lang)
                + (f" ({f.purpose})" if f.purpose else ""),
                f.stated,
                f.computed,
                f"{f.difference:+f}",
                *(
                    (f"{f.acknowledged_on}: {f.acknowledged_note or ''}".rstrip(": "),)
                    if acknowledged
                    else ()
                ),
            )
        )
        for s in position.statements
        for f in s.figures
        if f.state == ("acknowledged" if acknowledged else "differs")
    ]
    amounts = {"stated", "computed", "difference"}
    columns = tuple(
        Column(k, amount_label(k, lang) if k in amounts else label(k, lang), k in amounts)
        for k in keys
    )
    key = "acknowledged_differences" if acknowledged else "differences"
    return Section(key, label(key, lang), 2, columns, tuple(rows))


def _sources(position: Position) -> Section:
    """Each statement the figures come from: its date and its source."""
    lang = position.lang
    columns = (
        Column("statement", label("statement", lang)),
        Column("as_of", label("as_of", lang)),
        Column("source", label("source", lang)),
    )
    rows = tuple(
        Row((f"{s.title} ({s.id})", s.as_of.isoformat(), s.source)) for s in position.statements
    )
    return Section("sources", label("sources", lang), 2, columns, rows)


def _entries(position: Position, key: Literal["received", "pledged"]) -> Section:
    lang = position.lang
    rows = position.receipts if key == "received" else position.pledges
    paying = key == "pledged" and any(r.standing and r.standing.payments for r in position.pledges)
    keys = ["#", "donor", "original", "rate", "chf"]
    if paying:
        keys += ["settled_chf", "outstanding_chf"]
    if position.purposes:
        keys.append("purpose")
    if any(r.note for r in rows):
        keys.append("note")
    columns = tuple(_column(k, lang) for k in keys)

    def cells(n: int, row: EntryRow) -> dict[str, Cell]:
        original = Money(row.amount, row.currency) if row.amount and row.currency else None
        shown_rate = row.rate if row.rate and row.rate.basis != "same-currency" else None
        return {
            "#": n,
            "donor": f"{row.donor} {READING_MARK}" if row.reading else row.donor,
            "original": original,
            "rate": shown_rate,
            "chf": row.chf,
            "settled_chf": row.standing.settled_chf if row.standing else None,
            "outstanding_chf": row.outstanding,
            "purpose": purpose_text(row, lang),
            "note": row.note,
        }

    body = [Row(_pick(cells(n, row), keys)) for n, row in enumerate(rows, 1)]
    total = position.totals.received if key == "received" else position.totals.pledged
    total_cells: dict[str, Cell] = {"donor": position.headings[f"{key}_total"]}
    total_cells["outstanding_chf" if paying else "chf"] = total
    body.append(Row(_pick(total_cells, keys), "total"))
    notes = cancelled_lines(position) if key == "pledged" else ()
    if any(r.reading for r in rows):
        notes += (label("reading_mark", lang),)
    notes += position.section_notes.get(key, ())
    return Section(key, position.headings[key], 3, columns, tuple(body), notes)


def _purposes(position: Position) -> Section:
    lang, totals = position.lang, position.totals
    keys = ("purpose", "received", "pledged", "total")
    rows = [
        Row((p.name or label("no_purpose", lang), p.received, p.pledged, p.total), depth=p.depth)
        for p in position.purposes
    ]
    rows.append(
        Row(
            (label("total", lang), totals.received, totals.pledged, totals.received_and_pledged),
            "total",
        )
    )
    columns = (
        Column("purpose", label("purpose", lang)),
        *(Column(k, amount_label(k, lang), numeric=True) for k in keys[1:]),
    )
    return Section("purposes", label("purposes", lang), 3, columns, tuple(rows))


def _loans(position: Position) -> Section:
    lang = position.lang
    keys = ["lender", "ceiling"]
    if any(r.phase for r in position.loans):
        keys.append("phase")
    if any(r.recorded for r in position.loans):
        keys += ["drawn", "repaid", "outstanding"]

    def cells(r: LoanRow) -> dict[str, Cell]:
        # A facility with no movement recorded: nothing known, not zero.
        return {
            "lender": r.lender,
            "ceiling": r.ceiling,
            "phase": r.phase,
            "drawn": r.drawn if r.recorded else None,
            "repaid": r.repaid if r.recorded else None,
            "outstanding": r.outstanding if r.recorded else None,
        }

    rows = tuple(Row(_pick(cells(r), keys)) for r in position.loans)
    columns = tuple(_column(k, lang) for k in keys)
    notes = tuple(
        f"{r.lender}: {label('no_drawings', lang)}" for r in position.loans if not r.recorded
    )
    notes += position.section_notes.get("loans", ())
    return Section("loans", position.headings["loans"], 2, columns, rows, notes)


def _seconded(position: Position) -> Section:
    # The rows as the statement gives them, with no total: the source prints none
    # (and does not say that the others are full-time).
    lang = position.lang
    rows = [
        Row(
            (
                r.donor,
                experts_text(r.full_time + r.part_time, lang),
                seconded_detail(r.part_time > 0, r.paid_by, lang),
            )
        )
        for r in position.seconded
    ]
    columns = (
        Column("seconded_by", label("seconded_by", lang)),
        Column("experts", label("experts", lang), numeric=lang != "zh"),
        Column("detail", label("detail", lang)),
    )
    notes = position.section_notes.get("seconded", ())
    return Section("seconded", position.headings["seconded"], 2, columns, tuple(rows), notes)


def _staff(position: Position) -> Section:
    lang = position.lang
    columns = (
        Column("donor", label("provided_by", lang)),
        Column("full_time", label("full_time", lang), numeric=True),
        Column("part_time", label("part_time_staff", lang), numeric=True),
        Column("units", label("units", lang)),
    )
    rows = tuple(
        Row((r.donor, r.full_time, r.part_time, _join(r.units, lang))) for r in position.staff
    )
    return Section("staff", position.headings["staff"], 2, columns, rows)


def _simple(
    key: str, heading: str, keys: Sequence[str], rows: Sequence[Sequence[Cell]], lang: str
) -> Section:
    columns = tuple(_column(k, lang) for k in keys)
    return Section(key, heading, 2, columns, tuple(Row(tuple(r)) for r in rows))


NUMERIC = {"#", "original", "rate", "chf", "settled_chf", "outstanding_chf", "ceiling"}
NUMERIC |= {"drawn", "repaid", "outstanding", "received", "pledged", "total"}


def _column(key: str, lang: str) -> Column:
    if key == "#":
        return Column(key, "#", numeric=True)
    text = amount_label(key, lang) if key in CHF_AMOUNTS else label(key, lang)
    return Column(key, text, numeric=key in NUMERIC)


def _pick(cells: dict[str, Cell], keys: Sequence[str]) -> tuple[Cell, ...]:
    return tuple(cells.get(k) for k in keys)


def _join(items: Sequence[str], lang: str) -> str:
    return listed(items, lang)


def summary_cells(position: Position) -> list[tuple[str, Cell]]:
    """The summary: label and figure."""
    lang, totals, budget = position.lang, position.totals, position.budget
    from wsis_ledger.render.accounts_words import WORDS

    unknown = translate(WORDS["not_stated"], lang)

    def stated(key: str) -> Cell:
        """The total `key`, or "not stated" where the position cannot state it (its
        entries given only as a later cumulative position: `Position.unstated`)."""
        return getattr(totals, key) if position.stated(key) else unknown

    rows: list[tuple[str, Cell]] = [
        (label("received", lang), stated("received")),
        (label("pledged", lang), stated("pledged")),
        (label("received_and_pledged", lang), stated("received_and_pledged")),
    ]
    if any(r.standing and r.standing.payments for r in position.all_pledges):
        rows.append((label("exchange_difference", lang), stated("exchange_difference")))
        # The net above, split: realised gains and (as a positive figure) losses.
        rows.append((label("exchange_gains", lang), stated("exchange_gains")))
        rows.append((label("exchange_losses", lang), stated("exchange_losses")))
    if budget is not None:
        rows.append((f"{label('budget', lang)}: {budget.phase}", budget.estimate))
        if budget.coverage_percent is None or budget.gap is None:
            rows.append((label("coverage", lang), label("not_attributed", lang)))
        else:
            rows.append((label("coverage", lang), Percent(budget.coverage_percent)))
            gap_label = "gap" if budget.gap >= 0 else "surplus"
            rows.append((label(gap_label, lang), abs(budget.gap)))
    rows.append((label("loan_ceiling", lang), stated("loan_ceiling")))
    if totals.loans_drawn:
        rows.append((label("loans_outstanding", lang), stated("loans_outstanding")))
        cash_label = "cash_balance" if position.spending.recorded else "cash"
        rows.append((label(cash_label, lang), stated("cash")))
    if totals.direct_support or not position.stated("direct_support"):
        rows.append((label("direct", lang), stated("direct_support")))
    return rows


def control_lines(position: Position) -> tuple[str, ...]:
    """What the summary says of the controls: the period closed, and by whom; the
    records awaiting a second person's approval, counted apart."""
    return controls_text(position.controls, position.lang)


def controls_text(controls: Controls, lang: str) -> tuple[str, ...]:
    """The controls' lines in `lang`: the period closed and by whom, the records
    awaiting a second person's approval (the report's summary, the accounts' notes)."""
    lines = []
    closed = controls.closed
    if closed is not None:
        key = "closed_all" if controls.all_closed else "closed_part"
        lines.append(
            label(key, lang).format(
                through=closed.through.isoformat(),
                by=closed.by or label("unknown_person", lang),
                closing=closed.closing,
                at=closed.at or "?",
            )
        )
    if controls.unapproved:
        lines.append(
            label("unapproved", lang).format(
                count=len(controls.unapproved),
                chf=money.group_thousands(controls.unapproved_chf),
                ids=", ".join(record_id for _, record_id, _ in controls.unapproved),
            )
        )
    return tuple(lines)


def cancelled_lines(position: Position) -> tuple[str, ...]:
    """One line for each withdrawn pledge: shown beside the pledges, not counted in them."""
    lines = []
    for row in position.cancelled_pledges:
        assert row.standing is not None and row.standing.cancelled_on is not None
        on = row.standing.cancelled_on.isoformat()
        withdrawn = money_text(row.standing.withdrawn_chf, "CHF", position.lang)
        lines.append(
            f"{label('cancelled', position.lang)}: {row.donor} {withdrawn} ({row.id}, {on})"
        )
    return tuple(lines)


def purpose_text(row: EntryRow, lang: str) -> str:
    if not row.purpose:
        return ""
    return row.purpose + (f" ({label('reassigned', lang)})" if row.reassigned else "")


def seconded_detail(part_time: bool, paid_by: str | None, lang: str) -> str:
    parts = [label("part_time", lang)] if part_time else []
    if paid_by:  # in Chinese as the source prints it: （工资由日内瓦州负担）
        parts.append(
            word(lang, "salaries_paid_by_name", "salaries paid by {payer}").format(payer=paid_by)
        )
    return clauses(parts, lang)
