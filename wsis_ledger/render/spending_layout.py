"""The sections on expenditure: each one, earmark balances by purpose, budget lines
against what was spent on them, and the fund balance (part of `layout`)."""

from __future__ import annotations

from decimal import Decimal

from wsis_ledger.compute.position import Position
from wsis_ledger.compute.spending import LineRow
from wsis_ledger.core import money
from wsis_ledger.render.cash_movements import balance_rows
from wsis_ledger.render.cells import Cell, Column, Money, Percent, Row, Section
from wsis_ledger.render.labels import CHF_AMOUNTS, amount_label, in_chf, label, money_text


def spending_sections(position: Position) -> list[Section]:
    """Expenditure (each one, by purpose, against the budget lines) and the fund balance.

    A ledger that records no expenditure says so, rather than print zeros.
    """
    lang, spent = position.lang, position.spending
    heading = label("expenditure_heading", lang)
    if not spent.recorded:
        return [
            Section("expenditure", heading, 2, notes=(label("no_expenditure", lang),)),
            Section(
                "fund_balance",
                label("fund_balance", lang),
                2,
                notes=(label("no_fund_balance", lang),),
            ),
        ]
    notes = () if spent.rate_stated else (label("no_support_rate", lang),)
    sections = [Section("expenditure", heading, 2, notes=notes), _expenditures(position)]
    if spent.earmarks:
        sections.append(_earmarks(position))
    if spent.lines:
        sections.append(_budget_lines(position))
    sections.append(_fund_balance(position))
    return sections


def _expenditures(position: Position) -> Section:
    lang, spent = position.lang, position.spending
    keys = ("date", "description", "payee", "purpose", "original", "rate", "chf", "support_costs")
    rows = [
        Row(
            (
                x.date.isoformat(),
                x.description,
                x.payee,
                x.purpose,
                Money(x.amount, x.currency) if x.currency != "CHF" else None,
                x.rate if x.rate and x.rate.basis != "same-currency" else None,
                x.chf,
                x.support,
            )
        )
        for x in spent.expenditures
    ]
    total: list[Cell] = [None] * len(keys)
    total[1], total[6], total[7] = label("total", lang), spent.expenditure, spent.support_costs
    rows.append(Row(tuple(total), "total"))
    columns = tuple(_spend_column(k, lang) for k in keys)
    return Section("expenditures", label("expenditures", lang), 3, columns, tuple(rows))


def _earmarks(position: Position) -> Section:
    lang, spent, totals = position.lang, position.spending, position.totals
    keys = ("purpose", "received", "expenditure", "support_costs", "balance")
    rows = [
        Row(
            (
                e.name or label("no_purpose", lang),
                e.received,
                e.expenditure,
                e.support_costs,
                e.balance,
            ),
            depth=e.depth,
        )
        for e in spent.earmarks
    ]
    if position.movements.recorded:  # no purpose: the unrestricted money's
        net = position.movements.net
        rows.append(Row((label("cash_movements", lang), None, None, None, net)))
    rows.append(
        Row(
            (
                label("total", lang),
                totals.received,
                totals.expenditure,
                totals.support_costs,
                totals.fund_balance,
            ),
            "total",
        )
    )
    columns = tuple(_spend_column(k, lang) for k in keys)
    return Section("earmarks", label("earmarks", lang), 3, columns, tuple(rows))


def _budget_lines(position: Position) -> Section:
    lang, spent = position.lang, position.spending
    keys = (
        *("budget_line", "phase", "purpose", "line_budget", "expenditure", "support_costs"),
        *("remaining", "percent_used"),
    )
    rows = [
        Row(
            (
                line.id,
                line.phase,
                line.purpose,
                line.budget,
                line.expenditure,
                line.support_costs,
                line.remaining,
                Percent(line.percent_used) if line.percent_used is not None else None,
            )
        )
        for line in spent.lines
    ]
    if spent.outside_expenditure or spent.outside_support:
        outside = label("outside_lines", lang)
        cells = (outside, None, None, None, spent.outside_expenditure, spent.outside_support)
        rows.append(Row((*cells, None, None)))
    budget = sum((line.budget for line in spent.lines), Decimal(0))
    remaining = sum((line.remaining for line in spent.lines), Decimal(0))
    total = (label("total", lang), None, None, budget, spent.expenditure, spent.support_costs)
    rows.append(Row((*total, remaining, None), "total"))
    columns = tuple(_spend_column(k, lang) for k in keys)
    notes = tuple(phase_line(phase, lang) for phase in spent.phases)
    return Section("budget_lines", label("budget_lines", lang), 3, columns, tuple(rows), notes)


def phase_line(phase: LineRow, lang: str) -> str:
    """One phase's budget lines together, against what was spent on them."""

    def chf(amount: Decimal) -> str:
        return money_text(amount, "CHF", lang)

    used = f"{label('percent_used', lang)} {chf(phase.used)}"
    if phase.percent_used is not None:
        used += f" ({money.format_amount(phase.percent_used)} %)"
    estimate = ""
    if phase.estimate is not None:
        estimate = f"; {label('budget', lang)} {chf(phase.estimate)}"
    return (
        f"{phase.phase}: {label('lines_total', lang)} {chf(phase.budget)}"
        f"{estimate}; {used}; {label('remaining', lang)} {chf(phase.remaining)}"
    )


def _fund_balance(position: Position) -> Section:
    """Received, less expenditure and support costs (other income added, refunds and bank
    charges taken off): the balance; then cash, and pledges apart.

    Expenditure is shown negative, so that the balance is the sum of the rows above it.
    """
    lang, totals = position.lang, position.totals
    rows = [
        Row((label("received", lang), totals.received)),
        Row((label("expenditure", lang), -totals.expenditure)),
        Row((label("support_costs", lang), -totals.support_costs)),
        *balance_rows(position),
        Row((label("fund_balance", lang), totals.fund_balance), "total"),
        Row((label("loans_outstanding", lang), totals.loans_outstanding)),
        Row((label("cash_balance", lang), totals.cash)),
        Row((label("pledges_apart", lang), totals.pledged)),
    ]
    columns = (
        Column("item", label("item", lang)),
        Column("value", in_chf(label("figure", lang), lang), numeric=True),
    )
    return Section("fund_balance", label("fund_balance", lang), 2, columns, tuple(rows))


SPEND_NUMERIC = {"original", "rate", "chf", "support_costs", "received", "expenditure"}
SPEND_NUMERIC |= {"balance", "line_budget", "remaining", "percent_used"}


def _spend_column(key: str, lang: str) -> Column:
    text = amount_label(key, lang) if key in CHF_AMOUNTS else label(key, lang)
    return Column(key, text, numeric=key in SPEND_NUMERIC)
