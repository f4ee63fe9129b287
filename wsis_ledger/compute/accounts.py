"""The fund's accounts for a period: sources and uses, position at its end, and notes.

Nothing is added up here a second way: every figure is a figure of
`build_position` on a date (the report's own), and a year's flows are what
a cumulative figure became between the day before the year opened and the
day it closed. So, to the booking unit and by construction of the position:

- sources − uses = change in balance (cash = received + other income −
  expenditure − support costs − refunds − bank charges + loans drawn − loans
  repaid, and received = contributions at their booked CHF + exchange gains −
  exchange losses);
- a year's closing balance is the next year's opening balance, and the years
  add up to the cumulative column (the same positions on the same dates);
- the closing balance is the report's cash at the period's end;
- assets = liabilities + net assets, the net assets taken by purpose from the
  position's earmarks (what each purpose received, less what was spent on it).

Contributions are counted at the CHF their pledges were booked at (a payment
with no pledge: its own booked CHF); what a payment brought beyond that, or
short of it, is a realised exchange gain or loss on its own line. Announced
pledges are never revenue nor a receivable: the notes disclose them. On a
`modified accrual` basis (the default) a signed agreement not yet paid is a
contribution receivable; on a `cash` basis it too is disclosed only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from wsis_ledger.compute.controls import Controls
from wsis_ledger.compute.position import Position
from wsis_ledger.core.language import Message, msg, translate

ZERO = Decimal(0)
Basis = Literal["cash", "modified accrual"]
DEFAULT_BASIS: Basis = "modified accrual"
#: The most years one statement shows (a column each, and two positions a column).
MOST_YEARS = 50
#: `(date, lang) → Position`: the report's own computation, as of a date.
PositionOn = Callable[[date, str], Position]


@dataclass(frozen=True)
class Column:
    """A year of the period (or part of it), or the whole period (`cumulative`)."""

    label: str
    start: date
    end: date
    cumulative: bool = False
    #: It holds a cumulative position whose start the source does not give (undated
    #: entries dated by a statement within it: `Position.cumulative_on`): its flows run
    #: from the fund's unknown start, and its opening balance is not stated.
    unknown_start: bool = False
    #: It ends before such a statement's date: none of its figures can be stated.
    stated: bool = True


@dataclass(frozen=True)
class Line:
    """One line of a statement: a figure per column.

    `key` is stable (`contributions:japan`, `expenditure:core`): JSON and CSV
    carry it, and the journals' accounts map to it.
    """

    key: str
    label: str
    values: tuple[Decimal, ...]
    depth: int = 0


@dataclass(frozen=True)
class FinancialPosition:
    """Assets, liabilities and net assets at the period's end."""

    cash: Decimal
    receivable: Decimal
    loans_payable: Decimal
    #: Net assets restricted to a purpose: (purpose, CHF), by top-level purpose.
    restricted: tuple[tuple[str, Decimal], ...]
    unrestricted: Decimal

    @property
    def assets(self) -> Decimal:
        return self.cash + self.receivable

    @property
    def liabilities(self) -> Decimal:
        return self.loans_payable

    @property
    def net_assets(self) -> Decimal:
        return sum((amount for _, amount in self.restricted), ZERO) + self.unrestricted


@dataclass(frozen=True)
class PledgeNote:
    id: str
    donor: str
    outstanding: Decimal
    signed: bool
    #: False where the source says nothing of an agreement: a pledge it lists with no date
    #: (dated by its statement), no `signed:` recorded. "Not stated", not "no".
    signed_stated: bool = True


@dataclass(frozen=True)
class InKindNote:
    """A contribution in kind: what it is, and its value only where the source gives one."""

    kind: str  # seconded, facilities, staff, direct_support
    donor: str
    what: str
    value: Decimal | None


@dataclass(frozen=True)
class DifferenceNote:
    """A printed total that differs from its rows, with its acknowledgement (if any)."""

    statement: str
    total: str
    purpose: str | None
    printed: Decimal
    computed: Decimal
    acknowledged_on: date | None
    note: str | None

    @property
    def difference(self) -> Decimal:
        return self.computed - self.printed


@dataclass(frozen=True)
class RateNote:
    currency: str
    rate: Decimal
    basis: str
    source: str | None


@dataclass(frozen=True)
class DrawingNote:
    id: str
    facility: str
    lender: str
    date: date
    amount: Decimal
    use: str | None


@dataclass(frozen=True)
class Notes:
    basis: Basis
    #: True when the ledger does not state its basis (`fund.basis`): the default is used.
    basis_default: bool
    #: Pledges outstanding at the period's end that are not receivable: announced ones,
    #: and on a cash basis signed ones too.
    pledges: tuple[PledgeNote, ...]
    in_kind: tuple[InKindNote, ...]
    differences: tuple[DifferenceNote, ...]
    rates: tuple[RateNote, ...]
    drawings: tuple[DrawingNote, ...]
    #: What the report counts as received over the period (a receipt at the CHF it
    #: brought), which the contributions (at their pledges' booked CHF) and the realised
    #: exchange gains less losses make up: (received, contributions, gains, losses).
    received: tuple[Decimal, Decimal, Decimal, Decimal] = (ZERO, ZERO, ZERO, ZERO)
    #: Refunds of receipts given for a purpose, by top-level purpose (CHF, cumulative at
    #: the period's end): taken off that purpose's restricted net assets.
    refunded: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class Accounts:
    """The fund's accounts for `start`..`end`: what every output of `accounts` shows."""

    lang: str
    fund_id: str
    fund: str
    start: date
    end: date
    columns: tuple[Column, ...]
    opening: tuple[Decimal, ...]
    sources: tuple[Line, ...]
    uses: tuple[Line, ...]
    closing: tuple[Decimal, ...]
    position: FinancialPosition
    notes: Notes
    #: The report's cash at the period's end (what the closing balance must be).
    report_cash: Decimal
    prepared_by: tuple[str | None, str | None] = (None, None)
    certified_by: tuple[str | None, str | None] = (None, None)
    #: The period closed as of its end, and the records awaiting an approval.
    controls: Controls = field(default_factory=Controls)
    #: The lines whose figures cannot be stated (`not_stated_lines`): unknown, not zero.
    not_stated: frozenset[str] = frozenset()
    #: Why: `cash` (no expenditure recorded), `loans` (no drawing on a facility recorded).
    not_stated_because: tuple[str, ...] = ()
    #: The names shown in another language than `lang` (the fund's, donors'), each with its
    #: language (`build_position.name_languages`): a page marks them with their own.
    name_languages: dict[str, str] = field(default_factory=dict)

    #: The date of the cumulative position the period's undated entries are dated by
    #: (`Position.cumulative_on` of the day before it starts), if any.
    cumulative_on: date | None = None

    def stated(self, key: str) -> bool:
        """Whether the line `key` has a figure that can be stated (`not_stated_lines`)."""
        return key not in self.not_stated and key.split(":", 1)[0] + ":*" not in self.not_stated

    def figure_stated(self, key: str, column: int = -1) -> bool:
        """Whether the line `key` has a figure in `column` (an index of `columns`; the
        position's lines have one): its line can be stated, its column too, and an
        opening balance not at a start the source does not give."""
        if not self.stated(key):
            return False
        if _of_position(key):
            return self.columns[-1].stated
        chosen = self.columns[column]
        return chosen.stated and not (key == "opening" and chosen.unknown_start)

    def figure(self, key: str, column: int = -1) -> Decimal | None:
        """The figure of line `key` in `column` (the last: the whole period), None where it
        cannot be stated (`figure_stated`): what a script should read, never a 0 for an
        unknown. Keys as in `accounts --format json`."""
        if not self.figure_stated(key, column):
            return None
        return self._figures()[key][0 if _of_position(key) else column]

    def _figures(self) -> dict[str, tuple[Decimal, ...]]:
        p = self.position
        flows = {line.key: line.values for line in (*self.sources, *self.uses)}
        flows |= {"opening": self.opening, "closing": self.closing, "change": self.change}
        flows |= {"total_sources": self.total_sources, "total_uses": self.total_uses}
        one = {
            "cash": p.cash,
            "receivable": p.receivable,
            "total_assets": p.assets,
            "loans_payable": p.loans_payable,
            "total_liabilities": p.liabilities,
            "unrestricted": p.unrestricted,
            "total_net_assets": p.net_assets,
            "liabilities_net_assets": p.liabilities + p.net_assets,
            **{f"restricted:{purpose}": amount for purpose, amount in p.restricted},
        }
        return flows | {key: (value,) for key, value in one.items()}

    @property
    def total_sources(self) -> tuple[Decimal, ...]:
        return _column_sums(self.sources, len(self.columns))

    @property
    def total_uses(self) -> tuple[Decimal, ...]:
        return _column_sums(self.uses, len(self.columns))

    @property
    def change(self) -> tuple[Decimal, ...]:
        return tuple(c - o for c, o in zip(self.closing, self.opening, strict=True))


#: The report's totals the accounts' flows and position are made of: where a position
#: cannot state one (`Position.unstated`), its column cannot be stated.
FLOWS = frozenset(
    {
        *("received", "pledged", "exchange_gains", "exchange_losses", "cash"),
        *("loans_drawn", "loans_repaid", "loans_outstanding", "fund_balance"),
    }
)
#: The lines of the position at the period's end (one column).
POSITION_LINES = frozenset(
    {
        *("cash", "receivable", "total_assets", "loans_payable", "total_liabilities"),
        *("unrestricted", "total_net_assets", "liabilities_net_assets"),
    }
)


def _of_position(key: str) -> bool:
    return key in POSITION_LINES or key.startswith("restricted:")


def _column_sums(lines: Iterable[Line], width: int) -> tuple[Decimal, ...]:
    """Each column's sum of the lines at the top level (a heading holds its lines' sum)."""
    top = [line for line in lines if line.depth == 0]
    return tuple(sum((line.values[i] for line in top), ZERO) for i in range(width))


def _headed(key: str, label: str, lines: list[Line], width: int) -> list[Line]:
    """A heading over its lines, holding their sum."""
    sums = tuple(sum((line.values[i] for line in lines), ZERO) for i in range(width))
    return [Line(key, label, sums), *lines]


LABELS: dict[str, Message] = {
    "cumulative": msg("accounts_flow_cumulative", "Cumulative"),
    "contributions": msg("accounts_flow_contributions", "Contributions received"),
    "loan_drawings": msg("accounts_flow_loan_drawings", "Loan drawings"),
    "exchange_gains": msg("accounts_flow_exchange_gains", "Realised exchange gains"),
    "expenditure": msg("accounts_flow_expenditure", "Expenditure"),
    "general": msg("accounts_flow_general", "General (no purpose)"),
    "support_costs": msg("accounts_flow_support_costs", "Programme support costs"),
    "loan_repayments": msg("accounts_flow_loan_repayments", "Loan repayments"),
    "exchange_losses": msg("accounts_flow_exchange_losses", "Realised exchange losses"),
    "other_income": msg("accounts_flow_other_income", "Interest and other income"),
    "refunds": msg("accounts_flow_refunds", "Refunds to donors"),
    "bank_charges": msg("accounts_flow_bank_charges", "Bank charges"),
}


class _Figures:
    """The cumulative figures of one position that the flows are differences of; with
    `from_start`, those of the fund's start: none (a flow from it is the cumulative figure,
    for a column whose start the source does not give)."""

    def __init__(self, position: Position, *, from_start: bool = False) -> None:
        totals = position.totals
        self.cash, self.drawn, self.repaid, self.received = ZERO, ZERO, ZERO, ZERO
        self.gains, self.losses, self.support = ZERO, ZERO, ZERO
        self.other_income, self.refunds, self.bank_charges = ZERO, ZERO, ZERO
        self.contributions: dict[str, Decimal] = {}
        self.donors: dict[str, str] = {}
        self.expenditure: dict[str, Decimal] = {}
        if from_start:
            return
        self.cash, self.received = totals.cash, totals.received
        self.contributions = {
            donor: amount for donor, amount in position.contributions_by_donor().items() if amount
        }
        for row in (*position.receipts, *position.all_pledges):
            self.donors.setdefault(row.donor_id, row.donor)
        self.drawn, self.repaid = totals.loans_drawn, totals.loans_repaid
        self.gains, self.losses = totals.exchange_gains, totals.exchange_losses
        self.support = totals.support_costs
        self.other_income, self.refunds = totals.other_income, totals.refunds
        self.bank_charges = totals.bank_charges
        for earmark in position.spending.earmarks:
            if earmark.depth == 0 and earmark.expenditure:
                self.expenditure[earmark.purpose] = earmark.expenditure
        if not position.spending.earmarks and totals.expenditure:
            self.expenditure[""] = totals.expenditure


#: What cannot be stated where the report states no cash (no expenditure recorded, issue
#: 22): the balances, what was spent, and the net assets; `*` marks a line's sub-lines.
CASH_UNKNOWN = frozenset(
    {
        *("opening", "change", "closing", "cash", "total_assets", "unrestricted"),
        *("restricted:*", "total_net_assets", "liabilities_net_assets"),
        *("expenditure", "expenditure:*", "support_costs", "total_uses"),
    }
)
#: What cannot be stated where a facility has no drawing recorded (the report's loans are
#: then null): the loans' lines, and the totals holding them.
LOANS_UNKNOWN = frozenset(
    {
        *("loan_drawings", "loan_repayments", "loans_payable", "total_liabilities"),
        *("liabilities_net_assets", "total_sources", "total_uses"),
    }
)


def not_stated_lines(position: Position) -> tuple[frozenset[str], tuple[str, ...]]:
    """The lines the report's own rule leaves without a figure at the period's end, and
    why: with no expenditure recorded the report states no cash (nor anything that
    follows from it); with loan facilities but no drawing recorded, no loans."""
    lines: set[str] = set()
    because = []
    if not position.spending.recorded:
        lines |= CASH_UNKNOWN
        # A ledger of what a statement printed: interest, refunds and bank charges it
        # never records are not known to be none (the report's totals are null too).
        lines |= {"other_income", "refunds", "bank_charges"} - position.movements.recorded
        because.append("cash")
    if position.loans and not any(loan.recorded for loan in position.loans):
        lines |= LOANS_UNKNOWN
        because.append("loans")
    return frozenset(lines), tuple(because)


def build_accounts(
    position_on: PositionOn,
    start: date,
    end: date,
    lang: str = "en",
    *,
    basis: Basis | None = None,
    prepared_by: tuple[str | None, str | None] = (None, None),
    certified_by: tuple[str | None, str | None] = (None, None),
) -> Accounts:
    """The accounts for `start`..`end` (both included), from the positions on their dates."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    if end.year - start.year >= MOST_YEARS:
        raise ValueError(f"a period spans at most {MOST_YEARS} years, not {start} to {end}")
    labels = {key: translate(message, lang) for key, message in LABELS.items()}
    columns = [
        Column(str(year), max(start, date(year, 1, 1)), min(end, date(year, 12, 31)))
        for year in range(start.year, end.year + 1)
    ]
    if len(columns) > 1:
        columns.append(Column(labels["cumulative"], start, end, cumulative=True))
    else:  # one year: its column is the cumulative one
        columns = [Column(columns[0].label, start, end, cumulative=True)]
    # A column whose start comes before a cumulative position's date (the annex's: the
    # source gives no date for what it lists) runs from the fund's unknown start: its
    # flows are everything up to its end, its opening not stated; a column ending before
    # that date states nothing.
    opened = [position_on(c.start - timedelta(days=1), lang) for c in columns]
    closed = [position_on(c.end, lang) for c in columns]
    columns = [
        replace(
            c,
            unknown_start=bool(o.unstated & FLOWS) and not e.unstated & FLOWS,
            stated=not e.unstated & FLOWS,
        )
        for c, o, e in zip(columns, opened, closed, strict=True)
    ]
    before = {
        c: _Figures(o, from_start=c.unknown_start) for c, o in zip(columns, opened, strict=True)
    }
    after = {c: _Figures(e) for c, e in zip(columns, closed, strict=True)}
    last = position_on(end, lang)

    def flows(pick: Callable[[_Figures], Decimal]) -> tuple[Decimal, ...]:
        return tuple(pick(after[c]) - pick(before[c]) for c in columns)

    def by_key(
        pick: Callable[[_Figures], dict[str, Decimal]], prefix: str, name: Callable[[str], str]
    ) -> list[Line]:
        keys: dict[str, None] = {}
        for c in columns:
            keys.update(dict.fromkeys(pick(after[c])))
        lines = [
            Line(
                f"{prefix}:{key}",
                name(key),
                flows(lambda f, key=key: pick(f).get(key, ZERO)),  # type: ignore[misc]
                depth=1,
            )
            for key in keys
        ]
        return [line for line in lines if any(line.values)]

    donor_names = {k: v for c in columns for k, v in after[c].donors.items()}
    width = len(columns)
    sources = [
        *_headed(
            "contributions",
            labels["contributions"],
            by_key(lambda f: f.contributions, "contributions", lambda k: donor_names.get(k, k)),
            width,
        ),
        Line("loan_drawings", labels["loan_drawings"], flows(lambda f: f.drawn)),
        Line("exchange_gains", labels["exchange_gains"], flows(lambda f: f.gains)),
        Line("other_income", labels["other_income"], flows(lambda f: f.other_income)),
    ]
    uses = [
        *_headed(
            "expenditure",
            labels["expenditure"],
            by_key(lambda f: f.expenditure, "expenditure", lambda k: k or labels["general"]),
            width,
        ),
        Line("support_costs", labels["support_costs"], flows(lambda f: f.support)),
        Line("loan_repayments", labels["loan_repayments"], flows(lambda f: f.repaid)),
        Line("exchange_losses", labels["exchange_losses"], flows(lambda f: f.losses)),
        Line("refunds", labels["refunds"], flows(lambda f: f.refunds)),
        Line("bank_charges", labels["bank_charges"], flows(lambda f: f.bank_charges)),
    ]
    chosen: Basis = basis or DEFAULT_BASIS
    unknown, because = not_stated_lines(last)
    return Accounts(
        lang=lang,
        fund_id=last.fund_id,
        fund=last.fund,
        start=start,
        end=end,
        columns=tuple(columns),
        opening=tuple(before[c].cash for c in columns),
        sources=tuple(sources),
        uses=tuple(uses),
        closing=tuple(after[c].cash for c in columns),
        position=_financial_position(last, chosen),
        notes=replace(
            _notes(last, start, end, chosen, basis is None),
            received=(
                flows(lambda f: f.received)[-1],
                sum((line.values[-1] for line in sources if line.key == "contributions"), ZERO),
                flows(lambda f: f.gains)[-1],
                flows(lambda f: f.losses)[-1],
            ),
        ),
        report_cash=last.totals.cash,
        prepared_by=prepared_by,
        certified_by=certified_by,
        controls=last.controls,
        not_stated=unknown,
        not_stated_because=because,
        name_languages=last.name_languages,
        cumulative_on=position_on(start - timedelta(days=1), lang).cumulative_on,
    )


def refunded_by_purpose(position: Position) -> dict[str, Decimal]:
    """The CHF refunded of receipts given for a purpose, by top-level purpose."""
    purposes = {row.id: row.purpose for row in position.receipts if row.purpose}
    refunded: dict[str, Decimal] = {}
    for row in position.movements.refunds:
        purpose = purposes.get(row.receipt or "")
        if purpose:
            top = purpose.split("/", 1)[0]
            refunded[top] = refunded.get(top, ZERO) + row.chf
    return refunded


def _financial_position(position: Position, basis: Basis) -> FinancialPosition:
    """Cash, receivables and loans at the date; net assets by purpose from the position's
    own earmarks (received, less expenditure and support costs) and its pledges; other
    income, refunds and bank charges in the unrestricted net assets."""
    totals = position.totals
    accrual = basis == "modified accrual"
    agreed = {row.purpose: row.agreed for row in position.purposes if row.depth == 0}
    if position.spending.earmarks:
        balances = {e.purpose: e.balance for e in position.spending.earmarks if e.depth == 0}
    elif position.purposes and not position.spending.expenditures:
        balances = {row.purpose: row.received for row in position.purposes if row.depth == 0}
    else:  # no earmarks although money was spent: nothing received or spent had a purpose
        balances = {"": totals.fund_balance - position.movements.net}
    # Interest and bank charges have no purpose: the unrestricted balance's. A refund of a
    # receipt given for a purpose returns that purpose's money: its restricted balance
    # falls (trial of session 7, finding 7); any other refund is the unrestricted's.
    balances[""] = balances.get("", ZERO) + position.movements.net
    for purpose, chf in refunded_by_purpose(position).items():
        balances[purpose] = balances.get(purpose, ZERO) - chf
        balances[""] += chf
    if not position.purposes:
        agreed = {"": totals.agreed}
    restricted = tuple(
        (purpose, balances.get(purpose, ZERO) + (agreed.get(purpose, ZERO) if accrual else ZERO))
        for purpose in sorted(set(balances) | set(agreed))
        if purpose
    )
    unrestricted = balances.get("", ZERO) + (agreed.get("", ZERO) if accrual else ZERO)
    return FinancialPosition(
        cash=totals.cash,
        receivable=totals.agreed if accrual else ZERO,
        loans_payable=totals.loans_outstanding,
        restricted=tuple((p, a) for p, a in restricted if a),
        unrestricted=unrestricted,
    )


def _notes(position: Position, start: date, end: date, basis: Basis, default: bool) -> Notes:
    accrual = basis == "modified accrual"
    pledges = tuple(
        PledgeNote(
            row.id, row.donor, row.counted, row.signed, row.signed or row.date_source == "record"
        )
        for row in position.pledges
        if row.counted and not (accrual and row.signed)
    )
    in_kind = (
        *(
            InKindNote("seconded", s.donor, str(s.full_time + s.part_time), None)
            for s in position.seconded
        ),
        *(InKindNote("facilities", f.donor, "; ".join(f.items), None) for f in position.facilities),
        *(
            InKindNote("staff", s.donor, str(s.full_time + s.part_time), None)
            for s in position.staff
        ),
        *(
            InKindNote("direct_support", d.donor, d.what or "", d.chf)
            for d in position.direct_support
        ),
    )
    differences = tuple(
        DifferenceNote(
            info.title,
            figure.total,
            figure.purpose,
            figure.stated,
            figure.computed,
            figure.acknowledged_on,
            figure.acknowledged_note,
        )
        for info in position.statements
        for figure in info.figures
        if figure.difference
    )
    rates: dict[tuple[str, Decimal, str], str | None] = {}
    for row in (*position.receipts, *position.all_pledges):
        if row.rate is not None and row.rate.basis != "same-currency":
            rates.setdefault((row.rate.currency, row.rate.value, row.rate.basis), row.rate.source)
    paid = [row.rate for row in position.spending.expenditures]
    paid += [row.rate for row in position.movements.rows]
    for rate in paid:
        if rate is not None and rate.basis != "same-currency":
            rates.setdefault((rate.currency, rate.value, rate.basis), rate.source)
    drawings = tuple(
        DrawingNote(move.id, loan.id, loan.lender, move.date, move.amount, move.use)
        for loan in position.loans
        for move in loan.movements
        if move.drawn and start <= move.date <= end
    )
    return Notes(
        basis=basis,
        basis_default=default,
        pledges=pledges,
        in_kind=in_kind,
        differences=differences,
        rates=tuple(RateNote(c, v, b, s) for (c, v, b), s in sorted(rates.items())),
        drawings=drawings,
        refunded=tuple(sorted(refunded_by_purpose(position).items())),
    )
