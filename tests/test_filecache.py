"""The per-file cache's encoding gives back exactly the records the file was read as:
every type, every field's value and type, the fields given, and every place."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from records_compared import EVERY_KIND, WITH_PROBLEMS, assert_same

from wsis_ledger.source import filecache, loading
from wsis_ledger.source.discovery import shipped_ledger
from wsis_ledger.source.filecache import FileRecords


def round_trip(path: Path, text: str) -> tuple[FileRecords, FileRecords]:
    read = loading._parse(path, text, shortcuts=True)
    return read, filecache.decode(filecache.encode(read), text)


@pytest.mark.parametrize("text", [EVERY_KIND, WITH_PROBLEMS, "received: [unclosed\n", "[]\n"])
def test_every_kind_of_record_comes_back_as_it_was_read(tmp_path: Path, text: str) -> None:
    read, kept = round_trip(tmp_path / "f.yaml", text)
    assert read.sections or read.problems
    assert_same(read, kept)


def test_every_kind_of_file_is_covered() -> None:
    read = loading._parse(Path("f.yaml"), EVERY_KIND, shortcuts=True)
    assert not read.problems
    assert set(read.sections) == set(loading.SECTIONS)
    assert read.funds and read.statements


def test_the_shipped_ledger_comes_back_as_it_was_read() -> None:
    paths = sorted(shipped_ledger().glob("*.yaml"))
    assert paths
    for path in paths:
        read, kept = round_trip(path, path.read_text(encoding="utf-8"))
        assert not read.problems
        assert_same(read, kept)


def test_a_problem_found_later_still_points_at_its_line(tmp_path: Path) -> None:
    read, kept = round_trip(tmp_path / "f.yaml", EVERY_KIND)
    record, again = read.sections["received"][1], kept.sections["received"][1]
    assert again.place.at("rate") == record.place.at("rate")
    assert again.place.at("rate").line == 24


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not marshal",
        marshal.dumps((None, [], {"received": (0, 1, [0], [()], [])}, [], [])),
        marshal.dumps((None, [], {"received": (999, 0, [], [], [])}, [], [])),
        marshal.dumps((None, [], {}, [], [("p", 1, 1, "c", "m", "error", None, "extra")])),
        marshal.dumps((None, [(0, (0, 0, ()))], {}, [], [])),
        marshal.dumps(compile("1", "x", "eval")),
    ],
)
def test_a_damaged_entry_is_refused(payload: bytes) -> None:
    with pytest.raises(Exception):  # noqa: B017 - any failure means: read the file
        filecache.decode(payload, "")
