"""The shortcuts of `report` and the checks give what the plain way gives.

Each optimization of the position, the JSON writer and the checks is set beside
the plain algorithm it replaced, on the shipped ledger, the invented example,
and a ledger written here with payments, cancellations, reassignments,
expenditure and names that JSON must escape."""

from __future__ import annotations

import json
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsis_ledger.compute import build_position, checks, pledges, position, spending, stated_totals
from wsis_ledger.core.fields import name_key
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Statement
from wsis_ledger.render import json_out, json_parts, json_text, provenance
from wsis_ledger.render.report import render
from wsis_ledger.source import loading

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent

FUND = """\
fund:
  id: f
  name: {en: "Fund \\"quoted\\" \\\\ back", zh: 基金}
  booking_unit: 1
  support_cost_rate: 0.13
  support_cost_rates: {core/fellowships: 0.07}
  phases:
    - {id: p1, name: One, budget: 900000}
budget_lines:
  - {id: bl-core, phase: p1, purpose: core, amount: 300000}
statement: {id: s1, title: T, as_of: 2024-12-31, phase: p1}
donors:
  - {id: a, name: {en: "Alpha \\"A\\" \\\\ Co", zh: 阿尔法}, kind: government}
  - {id: b, name: {en: "Béta 😀 </script>", zh: 贝塔}, kind: un-system, readings: [name]}
  - {id: c, name: Gamma, kind: civil-society}
received:
  - {id: r1, donor: a, amount: 250000, currency: CHF, date: 2024-01-15, purpose: core}
  - {id: r2, donor: b, amount: 1000.50, currency: USD, rate: 0.88, chf: 880, date: 2024-02-01,
     purpose: core/fellowships, source_note: {en: "a \\"note\\"", zh: 注}}
  - {id: r3, donor: a, pledge: p1, amount: 100000, currency: EUR, rate: 0.96, date: 2024-03-01}
  - {id: r4, donor: c, pledge: p2, amount: 5000, currency: CHF, date: 2024-03-02}
  - {id: r5, donor: c, chf: 700, purpose: other/events, phase: p1}
  - {id: r6, donor: b, amount: 1200, currency: EUR, chf: 1500, date: 2024-02-03}
pledged:
  - {id: p1, donor: a, amount: 200000, currency: EUR, rate: 0.95, date: 2024-01-20, purpose: core}
  - {id: p2, donor: c, amount: 9000, currency: USD, rate: 0.9, date: 2024-01-21}
  - {id: p3, donor: b, amount: 300, currency: JPY, rate: 0.0061, chf: 2, date: 2024-01-22}
  - {id: p4, donor: c, chf: 4000, purpose: core/staff}
cancellations:
  - {id: c1, pledge: p3, date: 2024-06-01, note: withdrawn}
reassignments:
  - {id: ra1, entry: r5, purpose: core/staff, note: moved, date: 2024-05-01}
expenditures:
  - {id: x1, date: 2024-04-01, amount: 1000, description: Hall, purpose: core, phase: p1}
  - {id: x2, date: 2024-04-02, amount: 500, currency: USD, rate: 0.9, description: Fellows,
     purpose: core/fellowships}
"""


def _written(tmp_path: Path) -> Path:
    folder = tmp_path / "written"
    folder.mkdir()
    (folder / "ledger.yaml").write_text(FUND, encoding="utf-8")
    return folder


def _generated(tmp_path: Path) -> Path:
    folder = tmp_path / "generated"
    generate(2500, folder, per_file=1000)
    return folder


LEDGERS = {
    "shipped": lambda _: ROOT / "data",
    "example": lambda _: ROOT / "examples" / "fund",
    "written": _written,
    "generated": _generated,
}


def _load(root: Path) -> Ledger:
    ledger, problems = loading.load(root)
    assert ledger is not None
    assert not stated_totals.record_problems(checks.run_checks(ledger, problems))
    return ledger


@pytest.fixture(params=sorted(LEDGERS))
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Ledger:
    return _load(LEDGERS[request.param](tmp_path))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_json_written_by_hand_is_the_plain_json(
    ledger: Ledger, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written entry by entry as text, the document is `json.dumps` of its dict with
    the one indentation (and so what the plain path prints)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    report = build_position.build_position(ledger, lang)
    document = json_out.report_to_json(report, provenance.now())
    plain = json.dumps(document, ensure_ascii=False, indent=json_out.JSON_INDENT) + "\n"
    assert render(report, "json") == plain
    assert render(report, "json", shortcuts=False) == plain
    rows = (*report.receipts, *report.all_pledges)
    assert rows
    for row in rows:
        for indent in (0, 6):
            dumped = json.dumps(json_parts.entry_to_json(row), ensure_ascii=False, indent=2)
            assert json_text.entry_json_text(row, indent) == dumped.replace(
                "\n", "\n" + " " * indent
            )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rows_are_the_plain_rows(ledger: Ledger, lang: str) -> None:
    """Names, readings and pledge standings of the rows, as asked of the ledger one by one."""
    report = build_position.build_position(ledger, lang)
    for row in (*report.receipts, *report.all_pledges):
        assert row.donor == ledger.donor_name(row.donor_id, lang)
        donor = ledger.donor_by_id.get(row.donor_id)
        plain_reading = (
            donor is not None and "name" in donor.readings and not (lang == "zh" and donor.name.zh)
        )
        assert row.reading == plain_reading
        entry = ledger.entry_by_id[row.id]
        assert row.pledge == (entry.pledge if row.kind == "received" else None)  # type: ignore[attr-defined]
        if row.kind == "pledged":
            assert row.standing == pledges.standing(ledger, entry)  # type: ignore[arg-type]


def _plain_purposes(rows: tuple[position.EntryRow, ...]) -> tuple[position.PurposeRow, ...]:
    """Each row added at every level of its purpose, one row at a time."""
    if not any(row.purpose for row in rows):
        return ()
    sums: dict[str, list[Decimal]] = {}
    for row in rows:
        index = 0 if row.kind == "received" else 1
        parts = row.purpose.split("/") if row.purpose else [""]
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            sums.setdefault(key, [Decimal(0), Decimal(0), Decimal(0)])[index] += row.counted
            if row.signed:  # a signed agreement's outstanding, apart as well
                sums[key][2] += row.counted
    return tuple(
        position.PurposeRow(key, key.count("/") if key else 0, r, p, a)
        for key, (r, p, a) in sorted(sums.items(), key=lambda kv: (kv[0] == "", kv[0]))
    )


def _plain_earmarks(
    received: list[tuple[str | None, Decimal]], rows: tuple[spending.SpendRow, ...]
) -> tuple[spending.EarmarkRow, ...]:
    sums: dict[str, list[Decimal]] = {}
    for purpose, index, amount in [
        *((p, 0, chf) for p, chf in received),
        *((r.purpose, 1, r.chf) for r in rows),
        *((r.purpose, 2, r.support) for r in rows),
    ]:
        for key in spending.purpose_levels(purpose):
            sums.setdefault(key, [Decimal(0)] * 3)[index] += amount
    if not any(sums) or not rows:
        return ()
    return tuple(
        spending.EarmarkRow(key, key.count("/") if key else 0, *figures)
        for key, figures in sorted(sums.items(), key=lambda kv: (kv[0] == "", kv[0]))
    )


def test_subtotals_are_the_plain_sums(ledger: Ledger) -> None:
    """Purpose subtotals and earmark balances, added up by purpose first, are the sums
    of each row at each level (the same Decimals, to their last digit and exponent)."""
    report = build_position.build_position(ledger)
    rows = (*report.receipts, *report.pledges)
    assert report.purposes == _plain_purposes(rows)
    assert [str(p.received) for p in report.purposes] == [
        str(p.received) for p in _plain_purposes(rows)
    ]
    received = [(r.purpose, r.chf) for r in report.receipts]
    plain = _plain_earmarks(received, report.spending.expenditures)
    assert report.spending.earmarks == plain
    assert [str(e.received) for e in report.spending.earmarks] == [str(e.received) for e in plain]


def test_checks_are_the_plain_checks(ledger: Ledger) -> None:
    """validate_amounts' common shapes, validate_references' sets of names and _ids'
    set of ids find what the plain walks over every record find."""
    assert checks.validate_amounts(ledger) == [
        p for e in ledger.entries for p in checks._entry_amount_problems(e, ledger)
    ]


AMOUNTS = """\
fund: {id: f, name: F, booking_unit: 1, phases: [{id: p1, name: One}]}
statement: {id: s1, title: T, as_of: 2024-12-31}
donors:
  - {id: a, name: A, kind: government}
  - {id: a, name: A2, kind: government}
received:
  - {id: ok1, donor: a, amount: 100, currency: CHF}
  - {id: ok2, donor: a, amount: 10, currency: USD, rate: 1.25, chf: 13}
  - {id: cents, donor: a, amount: 100.50, currency: CHF}
  - {id: rate1, donor: a, amount: 100, currency: CHF, rate: 2}
  - {id: booked, donor: a, amount: 100, currency: CHF, chf: 101}
  - {id: off, donor: a, amount: 10, currency: USD, rate: 1.25, chf: 14}
  - {id: half, donor: a, amount: 10, currency: USD, rate: 1.25, chf: 12}
  - {id: unit, donor: a, amount: 10, currency: USD, rate: 1.25, chf: 12.5}
  - {id: norate, donor: a, amount: 10, currency: USD}
  - {id: derived, donor: a, amount: 10, currency: USD, chf: 13}
  - {id: nocur, donor: a, amount: 10}
  - {id: bare, donor: a}
  - {id: ok1, donor: nobody, chf: 5, statement: s9, phase: p9}
pledged:
  - {id: pl, donor: ghost, amount: 10, currency: EUR, rate: 1.5, chf: 15}
cancellations:
  - {id: c1, pledge: none, date: 2024-01-01, note: n}
"""


def test_checks_with_problems_are_the_plain_checks(tmp_path: Path) -> None:
    """Entries of every shape, good and bad, unknown names and repeated ids."""
    (tmp_path / "ledger.yaml").write_text(AMOUNTS, encoding="utf-8")
    ledger, _ = loading.load(tmp_path)
    assert ledger is not None
    found = checks.validate_amounts(ledger)
    assert found == [p for e in ledger.entries for p in checks._entry_amount_problems(e, ledger)]
    assert {p.code for p in found} >= {"booking-unit", "rate", "booked-amount", "rate-disagrees"}
    # In the order of the plain walk: each link in turn, its records in ledger order.
    assert [p.message for p in checks.validate_references(ledger)] == [
        "donor: there is no donor 'nobody'",
        "donor: there is no donor 'ghost'",
        "statement: there is no statement 's9'",
        "pledge: there is no pledge 'none'",
        "phase: there is no phase 'p9'",
    ]
    ids = checks.validate_unique_ids(ledger)
    assert [p.message.split(" (")[0] for p in ids] == [
        "the donor id 'a' is used twice",
        "the entry id 'ok1' is used twice",
    ]


def test_entries_by_statement_are_the_plain_walk(ledger: Ledger) -> None:
    """`covered_by` (one pass for all statements) gives each statement's entries
    in ledger order, as a walk over every entry does; a statement nobody names, none."""
    for statement in ledger.statements:
        plain = tuple(e for e in ledger.entries if e.statement == statement.id)
        assert ledger.covered_by(statement) == plain
    nobody = Statement(id="no-such-statement", title="Nobody's", as_of="2002-12-20")
    assert ledger.covered_by(nobody) == ()


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30))
def test_ascii_name_key_is_the_full_normalization(name: str) -> None:
    """An ASCII name's key (the shortcut) is what NFKC, format characters and case
    folding give (the plain way), control characters and all."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    assert name_key(name) == " ".join(unicodedata.normalize("NFKC", text.casefold()).split())
