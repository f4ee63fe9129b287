"""Property (issue 27, class 5): one rule says when a record became known.

A seeded generator writes ledgers holding every kind of record that can be
dated, each with its own date, with only its statement's, or with neither
(in a file that is no statement's), and cancellations, rates (for a day or
from a day), loan movements and expenditures beside them. For each ledger:

- `--as-of` a day after everything gives the report without `--as-of` (the
  same rows, the same totals): nothing is left out because nothing dates it;
- the journals date each receipt and pledge by the day `--as-of` counts it
  from: the report as of the day before leaves it out, as of that day holds it.

CI runs 300 ledgers; a longer run: WSIS_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_known.py
"""

from __future__ import annotations

import json
import os
import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from wsis_ledger.api import open_ledger
from wsis_ledger.compute.build_position import build_position
from wsis_ledger.core.ledger import known_on
from wsis_ledger.render.journal import AccountNames, transactions_of
from wsis_ledger.render.json_out import report_to_json

EXAMPLES = int(os.environ.get("WSIS_FUZZ_EXAMPLES", "300"))
START = date(2003, 1, 1)

LEDGER = """\
fund:
  id: t
  name: {en: A test fund}
donors:
  - {id: d1, name: Donor one, kind: government}
  - {id: d2, name: Donor two, kind: private-sector}
loan_facilities:
  - {id: lf, lender: d1, ceiling: 100000000}
"""


def _day(rng: random.Random, span: int = 400) -> date:
    return START + timedelta(days=rng.randrange(span))


def _ledger(rng: random.Random, root: Path) -> None:
    """A ledger of two statements and a file of loose records, every kind dated or not."""
    files: dict[str, dict[str, Any]] = {"s1.yaml": {}, "s2.yaml": {}, "loose.yaml": {}}
    statements = {"s1": _day(rng), "s2": _day(rng)}
    for sid, on in statements.items():
        files[f"{sid}.yaml"]["statement"] = {"id": sid, "title": sid, "as_of": on.isoformat()}
    n = iter(range(1, 10_000))
    entries: list[str] = []

    def place(row: dict[str, Any], dated: bool = True) -> str:
        """Put `row` in a statement's file, a loose file naming a statement, or a loose
        file alone; with its own date or without (where `dated` allows)."""
        where = rng.choice(["s1.yaml", "s2.yaml", "loose-named", "loose.yaml"])
        statement = where.removesuffix(".yaml") if where != "loose.yaml" else None
        if where == "loose-named":
            statement = row["statement"] = rng.choice(sorted(statements))
            where = "loose.yaml"
        if dated and rng.random() < 0.5:  # on or before its statement's date (checked)
            latest = statements[statement] if statement else START + timedelta(days=400)
            row["date"] = START + timedelta(days=rng.randrange((latest - START).days + 1))
            row["date"] = row["date"].isoformat()
        return where

    for section in ("received", "pledged"):
        for _ in range(rng.randrange(0, 6)):
            row: dict[str, Any] = {
                "id": f"{section[0]}{next(n)}",
                "donor": rng.choice(["d1", "d2"]),
                "amount": str(rng.randrange(1, 10**6)),
                "currency": "CHF",
            }
            files[place(row)].setdefault(section, []).append(row)
            entries.append(row["id"])
    for section, extra in (
        ("seconded", {"experts": 1}),
        ("facilities", {"items": [{"en": "an office"}]}),
        ("staff", {"full_time": 1}),
        ("direct_support", {"chf": "1000"}),
    ):
        for _ in range(rng.randrange(0, 3)):
            row = {"id": f"{section[:2]}{next(n)}", "donor": rng.choice(["d1", "d2"]), **extra}
            files[place(row, dated=False)].setdefault(section, []).append(row)
    for _ in range(rng.randrange(0, 3) if entries else 0):
        row = {
            "id": f"ra{next(n)}",
            "entry": rng.choice(entries),
            "purpose": rng.choice(["core", "events"]),
            "note": "agreed",
        }
        if rng.random() < 0.5:
            row["date"] = _day(rng).isoformat()
        files["loose.yaml"].setdefault("reassignments", []).append(row)
    for _ in range(rng.randrange(0, 3)):
        files["loose.yaml"].setdefault("loan_drawings", []).append(
            {"id": f"ld{next(n)}", "facility": "lf", "amount": "100", "date": _day(rng).isoformat(),
             "use": "bridging"}
        )  # fmt: skip
    pledges = [row["id"] for row in _rows(files, "pledged")]
    for pledge in rng.sample(pledges, k=min(len(pledges), rng.randrange(0, 3))):
        files["loose.yaml"].setdefault("cancellations", []).append(
            {"id": f"c{next(n)}", "pledge": pledge, "note": "withdrawn",
             "date": (START + timedelta(days=400 + rng.randrange(30))).isoformat()}
        )  # fmt: skip
    for _ in range(rng.randrange(0, 3)):
        rate: dict[str, Any] = {"currency": "USD", "rate": "1.4", "source": "test"}
        if rng.random() < 0.5:
            rate["date"] = _day(rng).isoformat()
        else:
            rate["start"] = _day(rng).isoformat()
        files["loose.yaml"].setdefault("rates", []).append(rate)
    if rng.random() < 0.5:  # spending, within a loan drawn on the first day
        files["loose.yaml"].setdefault("loan_drawings", []).append(
            {"id": "bridge", "facility": "lf", "amount": "1000000", "date": START.isoformat(),
             "use": "bridging"}
        )  # fmt: skip
        for _ in range(rng.randrange(1, 3)):
            files["loose.yaml"].setdefault("expenditures", []).append(
                {"id": f"x{next(n)}", "date": _day(rng).isoformat(), "amount": "100",
                 "currency": "CHF", "description": "spent"}
            )  # fmt: skip
    (root / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    for name, content in files.items():
        (root / name).write_text(json.dumps(content or {"received": []}), encoding="utf-8")


def _rows(files: dict[str, dict[str, Any]], section: str) -> list[dict[str, Any]]:
    return [row for content in files.values() for row in content.get(section, [])]


def _document(position: Any) -> dict[str, Any]:
    document = report_to_json(position)
    document.pop("generated", None)
    return document


def _without_report_day(document: dict[str, Any]) -> str:
    """The document less the report's own date (and what is counted to it)."""
    text = json.dumps(document, sort_keys=True)
    return re.sub(r'"(as_of|age_days|age_band|days)": ("[^"]*"|\d+|null)', "", text)


@pytest.mark.parametrize("chunk", range(10))
def test_one_rule_dates_every_record(chunk: int, tmp_path: Path) -> None:
    for case in range(chunk, EXAMPLES, 10):
        rng = random.Random(case)
        root = tmp_path / f"ledger{case}"
        root.mkdir()
        _ledger(rng, root)
        ledger = open_ledger(root).records
        whole = build_position(ledger)
        dates = [r.date for r in ledger.reassignments if r.date]
        dates += [d for r in ledger.rates if (d := r.date or r.start) is not None]
        after = max([whole.as_of or START, *dates]) + timedelta(days=1)
        late = build_position(ledger, on=after)
        assert _without_report_day(_document(late)) == _without_report_day(_document(whole)), case
        assert late.totals == whole.totals
        for transaction in transactions_of(whole, AccountNames.of(whole)):
            entry_id = dict(transaction.meta).get("id", "")  # a cancellation's: ID-cancelled
            if entry_id not in ledger.entry_by_id:
                continue
            day = transaction.day
            held = {e.id for e in known_on(ledger, day).entries}
            before = {e.id for e in known_on(ledger, day - timedelta(days=1)).entries}
            assert entry_id in held and entry_id not in before, (case, entry_id, day)


def test_receive_records_the_day_it_defaulted_to(run: Any, ledger_dir: Path) -> None:
    """The day that names the new file is the day recorded: `--as-of` today holds it."""
    result = run("receive", "p02", "--amount", "1000", "--rate", "1.4", "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    [written] = (ledger_dir / "journal").glob("*.yaml")
    today = date.today().isoformat()
    assert written.name.startswith(today) and f"date: {today}" in written.read_text()
    ledger = open_ledger(ledger_dir).records
    [receipt] = [e for e in ledger.received if e.pledge == "p02" and e.date]
    assert receipt.id in {e.id for e in known_on(ledger, date.today()).entries}


def test_a_weekend_rate_is_recorded_for_the_day_asked(run: Any, ledger_dir: Path) -> None:
    """Saturday's rate (Friday's reference) is recorded for Saturday, saying so, and
    then converts Saturday's amounts: the advice to fetch it does not loop."""
    saturday = "2003-02-15"
    assert run("convert", "1", "USD", "--date", saturday, "--data", ledger_dir).exit_code == 1
    fetch = ("rates", "fetch", "USD", "--date", saturday, "--source", "ecb-offline")
    result = run(*fetch, "--record", "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    assert "last business day before: 2003-02-14" in result.output
    [written] = (ledger_dir / "rates").glob("*.yaml")
    text = written.read_text()
    assert f"date: {saturday}" in text and "its rate of 2003-02-14" in text
    result = run("convert", "1", "USD", "--date", saturday, "--data", ledger_dir)
    assert result.exit_code == 0, result.output
