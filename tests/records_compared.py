"""Shared by the tests of reading: a file of every kind of record, one with problems,
and records compared field by field, type by type and place by place."""

from __future__ import annotations

from typing import Any

from wsis_ledger.core.models import Record
from wsis_ledger.source.filecache import FileRecords

#: Every section and single a file may hold, with nested records, tuples, mappings,
#: dates, decimals written in several ways, counts, flags and absent fields.
EVERY_KIND = """\
fund:
  id: f
  name: {en: Fund, zh: 基金}
  booking_unit: 1
  phases:
    - {id: p1, name: First, budget: 5900000, budget_note: {en: note}}
    - {id: p2, name: {en: Second}}
  support_cost_rate: 0.13
  support_cost_rates: {core/fellowships: 0.070, core: "0.1"}
statement:
  id: s1
  title: {en: Statement, zh: 报表}
  as_of: 2002-12-20
  stated:
    received: 100
    purposes: {core: {received: 1500.0}}
  headings: {received: {en: Received}}
  notes: [{en: one}, two]
donors:
  - {id: d1, name: Donor, kind: government, aliases: [D, "Dee"]}
  - {id: d2, name: {en: Two, zh: 二}, kind: un-system}
received:
  - {id: r1, donor: d1, chf: 100}
  - {id: r2, donor: d1, amount: "1000.50", currency: USD, rate: 1.4255, chf: 1426, date: 2003-01-02}
  - {id: r3, donor: d2, amount: 0.10, currency: CHF, purpose: core/fellowships, pledge: p1}
  - {id: r4, donor: d2, chf: 5, statement: other, note: "a note"}
pledged:
  - {id: p1, donor: d2, amount: 1000, currency: JPY}
cancellations:
  - {id: c1, pledge: p1, date: 2003-02-01, note: withdrawn}
reassignments:
  - {id: a1, entry: r1, purpose: core, note: moved}
loan_facilities:
  - {id: l1, lender: d1, ceiling: 1000000, phase: p1, terms: none}
loan_drawings:
  - {id: ld1, facility: l1, amount: 10, date: 2003-03-01, use: rent}
loan_repayments:
  - {id: lr1, facility: l1, amount: 10, date: 2003-04-01}
seconded:
  - {id: x1, donor: d1, experts: 2, part_time: true}
facilities:
  - {id: fa1, donor: d1, items: [Office, {en: Desk, zh: 桌}]}
staff:
  - {id: st1, donor: d1, full_time: 1, units: [Unit]}
direct_support:
  - {id: ds1, donor: d1, chf: 10, what: Paper}
rates:
  - {currency: USD, rate: 1.5, start: 2003-01-01, end: 2003-12-31, source: table}
expenditures:
  - {id: e1, date: 2003-05-01, amount: 100, description: chairs, purpose: core}
  - {id: e2, date: 2003-05-02, currency: USD, amount: 10.00, rate: 1.5, description: x}
budget_lines:
  - {id: b1, phase: p1, purpose: core, amount: 1000}
acknowledgements:
  - {id: k1, statement: s1, total: received, stated: 100, computed: "99.50", note: why, date: 2003-01-01}
closings:
  - id: c1
    through: 2002-12-31
    date: 2003-01-05
    digest: 0000000000000000000000000000000000000000000000000000000000000000
    totals: {received: 100, pledged: "0.50"}
    records: {received/r1: 1111111111111111111111111111111111111111111111111111111111111111}
reopenings:
  - {id: o1, closing: c1, through: 2002-12-31, reason: an adjustment, date: 2003-02-01}
approvals:
  - {id: a1, record: x1, by: Bea Keller, date: 2003-01-06, note: seen}
other_income:
  - {id: i1, date: 2003-06-30, amount: "12.50", currency: EUR, rate: 1.46, kind: interest}
refunds:
  - {id: rf1, donor: d1, receipt: r1, amount: 10, date: 2003-07-01, note: unspent}
bank_charges:
  - {id: bc1, date: 2003-07-01, amount: 5, description: fee, reference: B-1}
"""

WITH_PROBLEMS = """\
received:
  - {id: ok, donor: d1, chf: 1}
  - {id: bad, donor: d1, chf: -1, typo: 2}
  - {id: ok2, donor: d1, chf: 2}
fund: {id: f, name: F}
fund: {id: g, name: G}
"""


def assert_same_record(read: Any, kept: Any) -> None:
    assert type(kept) is type(read)
    assert kept.__dict__.keys() == read.__dict__.keys()
    for name, value in read.__dict__.items():
        again = kept.__dict__[name]
        if isinstance(value, Record):
            assert_same_record(value, again)
        elif isinstance(value, tuple | dict):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            assert type(again) is type(value) and len(again) == len(value)
            for key, item in items:
                if isinstance(item, Record):
                    assert_same_record(item, again[key])
                else:
                    assert (type(again[key]), str(again[key])) == (type(item), str(item))
        else:
            # Equal, of the same type, and written the same (Decimal('1.50') is not '1.5')
            assert (type(again), str(again)) == (type(value), str(value)), name
    assert kept.model_fields_set == read.model_fields_set
    assert (kept.place.line, kept.place.column, kept.place.loc) == (
        read.place.line,
        read.place.column,
        read.place.loc,
    )
    assert kept.place.path == read.place.path
    assert kept.place.at("id") == read.place.at("id")


def assert_same(read: FileRecords, kept: FileRecords) -> None:
    assert (read.positions is None) == (kept.positions is None)
    if read.positions is not None and kept.positions is not None:
        assert (kept.positions.path, kept.positions.line, kept.positions.column) == (
            read.positions.path,
            read.positions.line,
            read.positions.column,
        )
    assert kept.problems == read.problems
    assert [before for before, _ in kept.funds] == [before for before, _ in read.funds]
    for (_, fund), (_, again) in zip(read.funds, kept.funds, strict=True):
        assert_same_record(fund, again)
    assert kept.sections.keys() == read.sections.keys()
    for name, records in read.sections.items():
        assert len(kept.sections[name]) == len(records)
        for record, again in zip(records, kept.sections[name], strict=True):
            assert_same_record(record, again)
    for statement, again in zip(read.statements, kept.statements, strict=True):
        assert_same_record(statement, again)
