"""The cash and earmark checks, which walk money out only and add money in by day,
give exactly the problems and warnings of the plain path: every movement of
cash as one event, sorted, and walked in order (kept here as it was written)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import hypothesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wsis_ledger.compute import conversion, spending, spending_checks
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Expenditure, Record
from wsis_ledger.core.problems import Problem
from wsis_ledger.source.loading import load

ZERO = Decimal(0)

# --- the plain path --------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    day: date
    amount: Decimal
    record: Record | None = None
    purpose: str | None = None
    what: str = ""


def cash_events(ledger: Ledger) -> list[_Event]:
    statement_dates = {s.id: s.as_of for s in ledger.statements}
    unit = ledger.fund.booking_unit
    events: list[_Event] = []
    for receipt in ledger.received:
        on = receipt.date or statement_dates.get(receipt.statement or "")
        chf = conversion.chf_value(receipt, unit, ledger)
        if on is not None and chf is not None:
            events.append(_Event(on, chf, purpose=ledger.purpose_of.get(receipt.id)))
    events += [_Event(d.date, d.amount) for d in ledger.loan_drawings]
    for repayment in ledger.loan_repayments:
        what = f"'{repayment.id}', repaying {money.format_amount(repayment.amount)} CHF"
        events.append(_Event(repayment.date, -repayment.amount, repayment, what=what))
    for expenditure in ledger.expenditures:
        chf = spending.expenditure_chf(ledger, expenditure)
        if chf is None:
            continue
        support = spending.support_cost(ledger, expenditure, chf)
        what = f"'{expenditure.id}', spending {money.format_amount(chf)} CHF"
        if support:
            what += f" (and {money.format_amount(support)} CHF support costs)"
        events.append(
            _Event(expenditure.date, -(chf + support), expenditure, expenditure.purpose, what)
        )
    return sorted(events, key=lambda e: (e.day, e.amount < 0))


def plain_validate_cash(ledger: Ledger) -> list[Problem]:
    problems = []
    cash = ZERO
    for event in cash_events(ledger):
        before, cash = cash, cash + event.amount
        if event.record is not None and cash < 0 <= before:
            message = (
                f"{event.what} on {event.day} takes the fund's cash below zero, to "
                f"{money.format_amount(cash)} CHF ({money.format_amount(-cash)} CHF more than "
                "it held); draw on a loan facility first"
            )
            problems.append(Problem(event.record.place.at("amount"), "cash-negative", message))
    return problems


def plain_warn_earmarks(ledger: Ledger) -> list[Problem]:
    """Money in fills the pool of its purpose (no purpose: the unrestricted pool); money
    out draws on its purpose's pool, then its enclosing purposes' (nearest first), then
    the unrestricted pool; an expenditure that none of them covers is a warning."""
    pools: dict[str, Decimal] = {}
    warned: set[str] = set()
    problems = []
    for event in cash_events(ledger):
        if event.record is None:  # money in: a receipt or a loan drawing
            pools[event.purpose or ""] = pools.get(event.purpose or "", ZERO) + event.amount
            continue
        short = -event.amount
        levels = spending.purpose_levels(event.purpose) if event.purpose else []
        for key in dict.fromkeys([*reversed(levels), ""]):
            taken = min(short, max(pools.get(key, ZERO), ZERO))
            pools[key] = pools.get(key, ZERO) - taken
            short -= taken
        if short > 0 and event.purpose is not None and event.purpose not in warned:
            assert isinstance(event.record, Expenditure)
            warned.add(event.purpose)
            message = (
                f"{event.what} on {event.day} spends {money.format_amount(short)} CHF more on "
                f"'{event.purpose}' than was received for it or given without a purpose"
            )
            problems.append(
                Problem(
                    event.record.place.at("amount"),
                    "earmark-overspent",
                    message,
                    severity="warning",
                )
            )
    return problems


# --- generated ledgers ----------------------------------------------------------

START = date(2024, 1, 1)
PURPOSES = (None, "core", "core/fellowships", "core/fellowships/africa", "events")
FUND = (
    "fund:\n  id: f\n  name: Fund\n  booking_unit: {unit}\n  phases:\n    - {{id: ph, name: Phase}}\n"
    "{rates}"
    "donors:\n  - {{id: d, name: Donor, kind: government}}\n"
    "statement:\n  id: s\n  title: S\n  as_of: 2024-01-03\n  phase: ph\n"
    "loan_facilities:\n  - {{id: lf, lender: d, ceiling: 100000000}}\n"
)


def row(fields: dict[str, object]) -> str:
    return "  - {" + ", ".join(f"{k}: {v}" for k, v in fields.items() if v is not None) + "}\n"


@st.composite
def ledger_texts(draw: st.DrawFn) -> tuple[str, str]:
    """`ledger.yaml` and a file of money in and out, many of it on the same few days."""
    unit = draw(st.sampled_from(["1", "0.01", "5"]))
    rates = draw(
        st.sampled_from(
            ["", "  support_cost_rate: 0.13\n", "  support_cost_rates: {core: 0.1, events: 0.07}\n"]
        )
    )
    units = Decimal(unit)
    when = st.integers(0, 6).map(lambda n: (START + timedelta(days=n)).isoformat())
    sums = st.integers(0, 40).map(lambda n: n * units + units)
    body = {"received": "", "loan_drawings": "", "loan_repayments": "", "expenditures": ""}
    receipt_ids = []
    for n in range(draw(st.integers(0, 8))):
        dated = draw(st.booleans())
        fields = {"id": f"r{n}", "donor": "d", "chf": draw(sums), "statement": "s"}
        fields |= {
            "date": draw(when) if dated else None,
            "purpose": draw(st.sampled_from(PURPOSES)),
        }
        if draw(st.booleans()):  # an amount in another currency, at a rate
            fields |= {"chf": None, "amount": draw(sums), "currency": "USD", "rate": "1.37"}
        body["received"] += row(fields)
        receipt_ids.append(f"r{n}")
    for n in range(draw(st.integers(0, 3))):
        body["loan_drawings"] += row(
            {"id": f"ld{n}", "facility": "lf", "amount": draw(sums), "date": draw(when), "use": "x"}
        )
    for n in range(draw(st.integers(0, 3))):
        body["loan_repayments"] += row(
            {"id": f"lr{n}", "facility": "lf", "amount": draw(sums), "date": draw(when)}
        )
    for n in range(draw(st.integers(0, 8))):
        fields = {"id": f"x{n}", "date": draw(when), "amount": draw(sums), "description": "x"}
        fields["purpose"] = draw(st.sampled_from(PURPOSES))
        if draw(st.booleans()):
            fields |= {"currency": "EUR", "rate": "1.4673"}
        body["expenditures"] += row(fields)
    if receipt_ids and draw(st.booleans()):  # a receipt given another purpose
        entry = draw(st.sampled_from(receipt_ids))
        body["reassignments"] = row(
            {"id": "ra", "entry": entry, "purpose": "events", "note": "moved", "date": "2024-01-02"}
        )
    text = "".join(f"{name}:\n{rows}" for name, rows in body.items() if rows)
    return FUND.format(unit=unit, rates=rates), text


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ledger_texts())
def test_cash_and_earmark_checks_agree_with_the_plain_path(
    tmp_path: Path, texts: tuple[str, str]
) -> None:
    root = tmp_path / "ledger"
    root.mkdir(exist_ok=True)
    (root / "ledger.yaml").write_text(texts[0], encoding="utf-8")
    book = root / "book.yaml"
    if texts[1]:
        book.write_text(texts[1], encoding="utf-8")
    else:  # a file holding no data is a problem of its own
        book.unlink(missing_ok=True)
    ledger, problems = load(root)
    assert ledger is not None and not problems, problems
    cash, earmarks = plain_validate_cash(ledger), plain_warn_earmarks(ledger)
    hypothesis.event(
        f"cash problems: {min(len(cash), 2)}, earmark warnings: {min(len(earmarks), 2)}"
    )
    assert spending_checks.validate_cash(ledger) == cash
    assert spending_checks.warn_earmarks(ledger) == earmarks


def test_the_generated_ledgers_do_go_below_zero_and_beyond_earmarks(tmp_path: Path) -> None:
    """The agreement above is not vacuous: a ledger of the same kind has both findings."""
    root = tmp_path / "ledger"
    root.mkdir()
    (root / "ledger.yaml").write_text(FUND.format(unit="1", rates=""), encoding="utf-8")
    (root / "book.yaml").write_text(
        "received:\n"
        + row({"id": "r1", "donor": "d", "chf": 100, "date": "2024-01-02", "purpose": "core"})
        + row({"id": "r2", "donor": "d", "chf": 50, "statement": "s", "purpose": "events"})
        + "expenditures:\n"
        + row(
            {"id": "x1", "date": "2024-01-02", "amount": 120, "description": "x", "purpose": "core"}
        )
        + row({"id": "x2", "date": "2024-01-03", "amount": 40, "description": "x"}),
        encoding="utf-8",
    )
    ledger, problems = load(root)
    assert ledger is not None and not problems, problems
    cash = spending_checks.validate_cash(ledger)
    earmarks = spending_checks.warn_earmarks(ledger)
    assert [p.message for p in cash] == [
        "'x1', spending 120 CHF on 2024-01-02 takes the fund's cash below zero, to -20 CHF "
        "(20 CHF more than it held); draw on a loan facility first",
        "'x2', spending 40 CHF on 2024-01-03 takes the fund's cash below zero, to -10 CHF "
        "(10 CHF more than it held); draw on a loan facility first",
    ]
    assert [p.message for p in earmarks] == [
        "'x1', spending 120 CHF on 2024-01-02 spends 20 CHF more on 'core' than was received "
        "for it or given without a purpose"
    ]
    assert cash == plain_validate_cash(ledger) and earmarks == plain_warn_earmarks(ledger)
