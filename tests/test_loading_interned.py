"""Texts that repeat from record to record are held once (`sys.intern` at load),
and the ledger is exactly the ledger read without that."""

from __future__ import annotations

from pathlib import Path

import pytest

from wsis_ledger.compute.checks import run_checks
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.source import loading

BOOK = (
    "received:\n"
    "  - {id: a, donor: itu, amount: 100, currency: USD, rate: 1.2, purpose: core/x}\n"
    "  - {id: b, donor: itu, amount: 200, currency: USD, rate: 1.2, purpose: core/x}\n"
    "  - {id: c, donor: 'itu', amount: 50.5, currency: CHF, purpose: \"core/x\"}\n"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "ledger.yaml").write_text(
        "fund:\n  id: f\n  name: Fund\n  booking_unit: 0.01\n"
        "donors:\n  - {id: itu, name: ITU, kind: un-system}\n",
        encoding="utf-8",
    )
    (tmp_path / "book.yaml").write_text(BOOK, encoding="utf-8")
    return tmp_path


def test_repeated_texts_are_one_object(root: Path) -> None:
    ledger, problems = loading.load(root)
    assert ledger is not None and not problems
    a, b, c = ledger.received
    assert a.donor is b.donor is c.donor == "itu"
    assert a.purpose is b.purpose is c.purpose == "core/x"
    assert a.currency is b.currency == "USD"


def test_the_ledger_is_the_one_read_without_interning(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    interned, _ = loading.load(root)
    monkeypatch.setattr(loading, "_intern_repeated", lambda raw: None)
    plain, _ = loading.load(root)
    assert interned is not None and plain is not None

    def seen(ledger: Ledger) -> list[tuple[object, ...]]:
        return [
            (r.model_dump(), r.place.path, r.place.line, r.place.column, r.place.loc)
            for r in (*ledger.donors, *ledger.received)
        ]

    assert seen(interned) == seen(plain)
    assert run_checks(interned) == run_checks(plain) == []
    # and the plain read really holds copies: the test compares two readings
    assert plain.received[0].donor is not plain.received[1].donor
