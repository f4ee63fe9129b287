"""Records held in less memory (issue 15) are the records read the plain way.

The loader keeps a record's place in a slot, shares one set of given field
names among records given the same fields (through `model_construct`'s public
`_fields_set`), holds each day and each repeated rate once, and lets a file's
text go once its records are made (a problem reads the file again). None of
that may change a value, a place, an equality, or where a problem is reported.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from wsis_ledger.compute.checks import run_checks
from wsis_ledger.core import models
from wsis_ledger.core.dates import day, parse_date
from wsis_ledger.core.models import Receipt
from wsis_ledger.core.money import parse_rate
from wsis_ledger.source import loading

FUND = (
    "fund:\n  id: f\n  name: Fund\n  booking_unit: 0.01\n"
    "donors:\n  - {id: itu, name: ITU, kind: un-system}\n"
    "  - {id: ch, name: {en: Switzerland, zh: 瑞士}, kind: government}\n"
)
BOOK = (
    "received:\n"
    "  - id: a\n    donor: itu\n    amount: 100\n    currency: USD\n    rate: 1.2\n"
    "    date: 2003-01-05\n"
    "  - id: b\n    donor: ch\n    amount: 200\n    currency: USD\n    rate: 1.2\n"
    "    date: 2003-01-05\n    purpose: core/x\n"
    "pledged:\n"
    "  - id: p\n    donor: ch\n    amount: 50.5\n    currency: CHF\n    date: 2003-02-01\n"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "ledger.yaml").write_text(FUND, encoding="utf-8")
    (tmp_path / "book.yaml").write_text(BOOK, encoding="utf-8")
    return tmp_path


def _plain(kind: type[models.Record], record: models.Record) -> models.Record:
    """The record validated again from its own values, as pydantic makes it."""
    return kind.model_validate(record.model_dump(exclude_unset=True))


def test_loaded_records_are_the_records_pydantic_makes(root: Path) -> None:
    ledger, problems = loading.load(root)
    assert ledger is not None and not problems
    for record in (*ledger.received, *ledger.pledged, *ledger.donors):
        plain = _plain(type(record), record)
        assert record == plain
        assert record.__dict__ == plain.__dict__
        assert list(record.__dict__) == list(type(record).model_fields)
        assert record.model_fields_set == plain.model_fields_set
        assert record.model_dump() == plain.model_dump()
        assert record.model_dump_json(exclude_unset=True) == plain.model_dump_json(
            exclude_unset=True
        )
        assert hash(record) == hash(plain)


def test_records_given_the_same_fields_share_one_set(root: Path) -> None:
    ledger, _ = loading.load(root)
    assert ledger is not None
    a, b = ledger.received
    donor_names = [donor.name for donor in ledger.donors]
    assert a.model_fields_set != b.model_fields_set  # b has a purpose
    again, _ = loading.load(root)
    assert again is not None
    assert again.received[0].model_fields_set is a.model_fields_set
    # nested records too: `name: ITU` and `name: {en:, zh:}` give different fields
    assert donor_names[0].model_fields_set == {"en"}
    assert donor_names[1].model_fields_set == {"en", "zh"}


def test_a_copy_keeps_its_place_and_its_own_fields(root: Path) -> None:
    ledger, _ = loading.load(root)
    assert ledger is not None
    record = ledger.received[0]
    changed = record.model_copy(update={"purpose": "core/y"})
    assert changed.place is record.place
    assert changed.purpose == "core/y" and record.purpose is None
    assert "purpose" in changed.model_fields_set
    assert "purpose" not in record.model_fields_set  # the shared set was not touched
    assert copy.copy(record).place is record.place
    assert Receipt(id="m", donor="itu", amount="1", currency="CHF").place.line == 0


def test_days_and_repeated_rates_are_one_object_each() -> None:
    assert parse_date("2003-01-05") is parse_date("2003-01-05") == date(2003, 1, 5)
    assert day(date(2003, 1, 5).toordinal()) is day(date(2003, 1, 5).toordinal())
    assert parse_rate("1.2500") is parse_rate("1.2500")
    assert str(parse_rate("1.2500")) == "1.2500"  # every digit as written
    assert parse_rate("1.25") == Decimal("1.25") and str(parse_rate("1.25")) == "1.25"
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2003-02-30")
    with pytest.raises(ValueError, match="more than zero"):
        parse_rate("0")
    with pytest.raises(ValueError, match="more than zero"):
        parse_rate("0")  # refused again: a refusal is never remembered


def test_the_cache_makes_the_same_records(
    root: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    first, _ = loading.load(root, cache=True)

    def parse_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("read again, not from the per-file cache")

    monkeypatch.setattr(loading, "_parse", parse_again)
    cached, _ = loading.load(root, cache=True)
    assert first is not None and cached is not None
    kept_records = (*cached.received, *cached.pledged)
    for kept, read in zip(kept_records, (*first.received, *first.pledged), strict=True):
        assert kept == read and kept.model_fields_set == read.model_fields_set
        assert kept.model_fields_set is read.model_fields_set
        assert (kept.place.line, kept.place.loc) == (read.place.line, read.place.loc)


def _bad_book(root: Path) -> Path:
    """A receipt whose `chf` disagrees with its rate: a check finds it, at the `chf` line."""
    path = root / "book.yaml"
    path.write_text(
        BOOK.replace("    rate: 1.2\n    date", "    rate: 1.2\n    chf: 999\n    date", 1)
    )
    return path


def test_a_problem_found_after_the_text_was_let_go_names_its_line(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "KEEP_TEXTS_UP_TO", 10)  # the text of a large file
    path = _bad_book(root)
    ledger, problems = loading.load(root)
    assert ledger is not None and not problems
    found = [p for p in run_checks(ledger) if p.where.path == path]
    assert found, "the check finds the receipt's booked amount wrong"
    chf_line = path.read_text().splitlines().index("    chf: 999") + 1
    assert {p.where.line for p in found} == {chf_line}


@pytest.mark.parametrize("large", [False, True])
def test_a_file_changed_after_reading_places_a_problem_in_the_text_read(
    root: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    """A small file's text stays with its positions (it is read once); a large one's is
    let go and read again only if its bytes are still those read."""
    if large:
        monkeypatch.setattr(loading, "KEEP_TEXTS_UP_TO", 10)
    path = _bad_book(root)
    chf_line = path.read_text().splitlines().index("    chf: 999") + 1
    ledger, _ = loading.load(root)
    assert ledger is not None
    # the file changes between the read and the check: its lines are no longer
    # those read, and a problem stands where it was in the text read (the small
    # file's, kept), or at the record's own line, never a wrong one
    path.write_text("# a comment\n" * 40 + path.read_text())
    found = [p for p in run_checks(ledger) if p.where.path == path]
    assert found
    expected = ledger.received[0].place.line if large else chf_line
    assert {p.where.line for p in found} == {expected}
    assert expected != chf_line + 40


@pytest.mark.parametrize(("grown_to", "refused"), [(0, False), (30, False), (200, True)])
def test_a_file_that_grows_while_read_is_read_whole_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grown_to: int, refused: bool
) -> None:
    """`read_bytes` asks for what the file held when it looked (not a buffer of the
    limit); a file that grew since is read on up to the limit, or refused past it."""
    import os

    from wsis_ledger.source import snapshot

    path = tmp_path / "book.yaml"
    text = "received: []\n" + "#" * grown_to
    path.write_text(text)
    looked = os.stat(path)
    real_stat = os.stat

    def stat_before_growth(target: object, *args: object, **kwargs: object) -> object:
        result = real_stat(target, *args, **kwargs)  # type: ignore[arg-type]
        if Path(str(target)) == path:  # as the file was before `grown_to` more bytes
            fields = list(result)
            fields[6] = len("received: []\n")  # st_size
            return os.stat_result(fields)
        return result

    monkeypatch.setattr(snapshot.os, "stat", stat_before_growth)
    raw, problems = snapshot.read_bytes(path, max_bytes=100)
    assert looked.st_size == len(text)
    if refused:
        assert raw is None and [p.code for p in problems] == ["file-too-large"]
    else:
        assert raw == text.encode() and problems == []
