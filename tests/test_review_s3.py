"""Review of the issue-15 session (speed and memory): faults found, each as a test.

Each test compares with what the plain path (before the records kept their
place in a slot) gave.
"""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest

from wsis_ledger.source import loading

FUND = (
    "fund:\n  id: f\n  name: Fund\n  booking_unit: 1\n"
    "donors:\n  - {id: itu, name: ITU, kind: un-system}\n"
)
BOOK = (
    "received:\n"
    "  - id: a\n    donor: itu\n    amount: 100\n    currency: CHF\n    date: 2003-01-05\n"
    "  - id: b\n    donor: itu\n    amount: 200\n    currency: CHF\n    date: 2003-01-06\n"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "ledger.yaml").write_text(FUND, encoding="utf-8")
    (tmp_path / "book.yaml").write_text(BOOK, encoding="utf-8")
    return tmp_path


def test_a_deep_copy_keeps_its_place(root: Path) -> None:
    # pydantic's deep copy knew the place when it was a private attribute; the
    # slot it moved to is copied by `__copy__` only, so `model_copy(deep=True)`
    # and `copy.deepcopy` gave a record placed nowhere (line 0, `<memory>`).
    ledger, problems = loading.load(root)
    assert ledger is not None and not problems
    record = ledger.received[1]
    assert record.place.line == 7
    for copied in (record.model_copy(deep=True), copy.deepcopy(record)):
        assert copied == record
        assert (copied.place.path, copied.place.line) == (record.place.path, 7)
        assert copied.place.at("amount") == record.place.at("amount")


def test_a_pickled_record_keeps_its_place(root: Path) -> None:
    # pydantic pickles its own attributes (the place, as a private attribute, was
    # one of them), not a slot: a record sent to another process lost its place.
    ledger, _ = loading.load(root)
    assert ledger is not None
    record = ledger.received[1]
    again = pickle.loads(pickle.dumps(record))
    assert again == record
    assert (again.place.path, again.place.line, again.place.loc) == (
        record.place.path,
        record.place.line,
        record.place.loc,
    )
    assert again.model_fields_set == record.model_fields_set
