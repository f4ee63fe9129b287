"""The published statements: where each comes from, what it prints, what its rows add up to.

A statement's printed total that differs from its rows is a finding about the
published record: `check` lists it as a problem until an acknowledgement
records that very difference (`stated_totals.acknowledgement_of`). Every output shows
each statement's source, and `report` shows a standing difference at its top.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wsis_ledger.compute.stated_totals import acknowledgement_of, stated_figures
from wsis_ledger.core.ledger import Ledger


@dataclass(frozen=True)
class StatedRow:
    """One printed total beside what its rows add up to, and its acknowledgement if any."""

    total: str  # received, pledged or total
    purpose: str | None
    stated: Decimal
    computed: Decimal
    count: int
    acknowledged_on: date | None = None
    acknowledged_note: str | None = None
    #: The bound the figure is printed as (`more_than`, `at_least`, `about`), if any.
    bound: str | None = None
    #: True when the rows are what the statement prints (within a bound, as printed).
    holds: bool | None = None
    #: The figure as printed, in words: `more than 1 300 000`.
    printed: str | None = None

    @property
    def difference(self) -> Decimal:
        """What the rows add up to, less the printed figure."""
        return self.computed - self.stated

    @property
    def state(self) -> str:
        """`agrees` (a bound: holds), `acknowledged`, or `differs`."""
        if self.holds if self.holds is not None else not self.difference:
            return "agrees"
        return "acknowledged" if self.acknowledged_on else "differs"


@dataclass(frozen=True)
class StatementInfo:
    """A statement of the ledger: its title, date, source, and its printed totals checked."""

    id: str
    title: str
    as_of: date
    source: str | None
    phase: str | None
    figures: tuple[StatedRow, ...] = ()

    @property
    def state(self) -> str:
        """`agrees` (or nothing printed), `acknowledged`, or `differs`."""
        states = {f.state for f in self.figures}
        for state in ("differs", "acknowledged"):
            if state in states:
                return state
        return "agrees"

    @property
    def differences(self) -> tuple[StatedRow, ...]:
        """Printed totals that differ from their rows and are not acknowledged."""
        return tuple(f for f in self.figures if f.state == "differs")


def statement_infos(ledger: Ledger, lang: str = "en") -> tuple[StatementInfo, ...]:
    """Every statement, by date, with its printed totals beside what its rows add up to."""
    rows: dict[str, list[StatedRow]] = {s.id: [] for s in ledger.statements}
    for figure in stated_figures(ledger):
        ack = acknowledgement_of(ledger, figure) if not figure.holds else None
        rows[figure.statement.id].append(
            StatedRow(
                figure.total,
                figure.purpose,
                figure.stated,
                figure.computed,
                figure.count,
                ack.date if ack else None,
                ack.note if ack else None,
                figure.bound.kind if figure.bound else None,
                figure.holds,
                figure.printed(),
            )
        )
    return tuple(
        StatementInfo(
            s.id,
            s.title.get(lang),
            s.as_of,
            s.source.get(lang) if s.source else None,
            s.phase,
            tuple(rows[s.id]),
        )
        for s in sorted(ledger.statements, key=lambda s: s.as_of)
    )
