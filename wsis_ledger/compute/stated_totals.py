"""The totals a statement prints, each beside what its entries add up to, and the
acknowledgements of their differences.

A printed total that differs from its rows is a finding about the published
record (`FINDING_CODES`), not a fault of the records: writes go through, and
`report` shows it at its top.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from wsis_ledger.compute import conversion
from wsis_ledger.core import money
from wsis_ledger.core.language import Message, Phrase, Signed, msg, plural, said
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import (
    Acknowledgement,
    Entry,
    Pledge,
    Receipt,
    Statement,
)
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.core.stated import StatedBound, StatedFigures


@dataclass(frozen=True)
class StatedFigure:
    """A total a statement prints, beside what its entries add up to."""

    statement: Statement
    total: str  # received, pledged or total
    purpose: str | None
    stated: Decimal  # the figure printed (a bound's amount)
    computed: Decimal
    count: int
    where: Where
    #: The bound the figure is printed as ("more than ..."); None: an exact figure.
    bound: StatedBound | None = None

    @property
    def holds(self) -> bool:
        """True when the rows are what the statement prints: equal to an exact figure,
        or within its bound (as printed: more than, at least, about)."""
        if self.bound is not None:
            return self.bound.holds(self.computed)
        return self.stated == self.computed

    def printed(self) -> str:
        """The figure as printed: `2 243 419`, `more than 1 300 000`."""
        return self.bound.words() if self.bound else money.group_thousands(self.stated)

    @property
    def as_printed(self) -> Phrase | Decimal:
        """The figure as printed, for a message in any language: a bound's words, or the
        amount."""
        return self.bound.words() if self.bound else self.stated


def stated_figures(ledger: Ledger) -> list[StatedFigure]:
    """Every stated total of every statement, with the figure computed for it."""
    unit = ledger.fund.booking_unit
    figures = []
    for statement in ledger.statements:
        covered = ledger.covered_by(statement)
        groups: list[tuple[str | None, StatedFigures, Sequence[Entry]]] = [
            (None, statement.stated, covered)
        ]
        for group, printed in statement.stated.purposes.items():
            inside = [e for e in covered if in_purpose(ledger.purpose_of.get(e.id), group)]
            groups.append((group, printed, inside))
        for purpose, stated_group, entries in groups:
            for total, kinds in TOTALS:
                printed = getattr(stated_group, total)
                if printed is None:
                    continue
                bound = printed if isinstance(printed, StatedBound) else None
                stated = bound.amount if bound else printed
                counted = [entry for entry in entries if isinstance(entry, kinds)]
                computed = conversion.total_chf(counted, unit, ledger)
                where = stated_group.place.at(total)
                figures.append(
                    StatedFigure(
                        statement, total, purpose, stated, computed, len(counted), where, bound
                    )
                )
    return figures


#: Which entries each stated total adds up.
TOTALS: tuple[tuple[str, type[Entry] | tuple[type[Entry], ...]], ...] = (
    ("received", Receipt),
    ("pledged", Pledge),
    ("total", (Receipt, Pledge)),
)


def in_purpose(purpose: str | None, group: str) -> bool:
    """True when `purpose` is `group` or nested under it (`core/fellowships` in `core`)."""
    return purpose is not None and (purpose == group or purpose.startswith(group + "/"))


def validate_stated_totals(ledger: Ledger) -> list[Problem]:
    """Each statement's printed totals equal what its entries add up to, or differ by
    exactly the difference an acknowledgement records."""
    return [
        _stated_mismatch(f, ledger)
        for f in stated_figures(ledger)
        if not f.holds and acknowledgement_of(ledger, f) is None
    ]


#: Problem codes that are findings about the published record (a printed total that
#: differs from its rows), not faults of the records: writes go through, `report`
#: shows the report with the difference at its top (and exits 1).
FINDING_CODES = frozenset({"stated-total"})


def record_problems(problems: Iterable[Problem]) -> list[Problem]:
    """The problems in the records themselves: everything but stated-total differences."""
    return [p for p in problems if p.code not in FINDING_CODES]


def findings(problems: Iterable[Problem]) -> list[Problem]:
    """The stated-total differences among `problems`."""
    return [p for p in problems if p.code in FINDING_CODES]


def _matches(ack: Acknowledgement, figure: StatedFigure) -> bool:
    return (ack.statement, ack.total, ack.purpose) == (
        figure.statement.id,
        figure.total,
        figure.purpose,
    )


def acknowledgement_of(ledger: Ledger, figure: StatedFigure) -> Acknowledgement | None:
    """The acknowledgement that answers for the figure's difference as it stands, if any."""
    for ack in reversed(ledger.acknowledgements):
        if _matches(ack, figure) and (ack.stated, ack.computed) == (figure.stated, figure.computed):
            return ack
    return None


def _stated_mismatch(figure: StatedFigure, ledger: Ledger | None = None) -> Problem:
    difference = figure.computed - figure.stated
    of_purpose = (
        said(msg("for_purpose", " for purpose '{purpose}'"), purpose=figure.purpose)
        if figure.purpose
        else ""
    )
    earlier = [a for a in (ledger.acknowledgements if ledger else ()) if _matches(a, figure)]
    since: Phrase | str = ""
    if earlier:
        since = said(
            msg(
                "acknowledged_before",
                "; the difference acknowledged on {date} was {difference} CHF "
                "and is no longer the one that stands",
            ),
            date=earlier[-1].date,
            difference=Signed(earlier[-1].computed - earlier[-1].stated),
        )
    # English says "its 1 entries" as it always has: both its forms are the same.
    mismatch = plural(
        "stated_total",
        "stated total {total}{of_purpose} of '{statement}' is {stated} CHF{bound}, but its "
        "{count} entries add up to {computed} CHF (difference {difference} CHF){since}",
        "stated total {total}{of_purpose} of '{statement}' is {stated} CHF{bound}, but its "
        "{count} entries add up to {computed} CHF (difference {difference} CHF){since}",
    )
    bound = msg("held_as_printed", " (a bound, held as printed)")
    return Problem(
        figure.where,
        "stated-total",
        said(
            mismatch,
            total=Message("value", figure.total),
            of_purpose=of_purpose,
            statement=figure.statement.id,
            stated=figure.as_printed,
            bound=bound if figure.bound else "",
            count=figure.count,
            computed=figure.computed,
            difference=Signed(difference),
            since=since,
        ),
    )


def validate_acknowledgements(ledger: Ledger) -> list[Problem]:
    """An acknowledgement names a statement of the ledger."""
    statements = {s.id for s in ledger.statements}
    return [
        Problem(
            ack.place.at("statement"),
            "unknown-reference",
            said(
                msg("no_such_record", "{field}: there is no {kind} '{id}'"),
                field="statement",
                kind=msg("record_kind", "statement"),
                id=ack.statement,
            ),
        )
        for ack in ledger.acknowledgements
        if ack.statement not in statements
    ]


def unchecked_statements(ledger: Ledger, broken: set[Path]) -> list[Problem]:
    """The stated totals of the statements whose files were read whole; a statement
    with a file that was not is not compared with its rows (they would differ for that
    reason alone), and says nothing more: the problem in its file is the cause."""
    problems = []
    for statement in ledger.statements:
        files = {statement.place.path, *(e.place.path for e in ledger.covered_by(statement))}
        if not files & broken:
            problems.extend(validate_stated_totals(_only(ledger, statement)))
    return problems


def _only(ledger: Ledger, statement: Statement) -> Ledger:
    return replace(ledger, statements=(statement,))
