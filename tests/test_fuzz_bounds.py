"""Property (issue 27, class 6): nothing the tool does grows without bound with its input.

A seeded generator writes ledger files of hostile shapes: unknown sections
holding long lists of `{}` (flow and block), nested lists, scalars; known
sections of many empty or broken items; ids given many times. For each:

- the problems told are at most `MAX_PROBLEMS_PER_KIND` of a kind for a file,
  and a line "and N more of the same kind" accounts for every one not told;
- an unknown section is named, and its value is never built.

Beside it: the memory an unknown section takes stays flat as it grows; an
import of /dev/zero, of an endless standard input, of a workbook that unpacks
to more than its bound, with too many cells or one cell too long, is one
clear message, never a MemoryError.

CI runs 300 ledgers; a longer run: WSIS_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_bounds.py
"""

from __future__ import annotations

import io
import os
import random
import re
import tracemalloc
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from wsis_ledger.api import read_ledger
from wsis_ledger.core.problems import MAX_PROBLEMS_PER_KIND
from wsis_ledger.source import loading
from wsis_ledger.source.yamlsource import parse_document
from wsis_ledger.write import reading, sheets

EXAMPLES = int(os.environ.get("WSIS_FUZZ_EXAMPLES", "300"))
FUND = "fund:\n  id: t\n  name: {en: A test fund}\n"
MORE = re.compile(r"and ([0-9 ]+) more of the same kind \(([a-z-]+)\)")


def _hostile(rng: random.Random) -> tuple[str, Counter[str]]:
    """A ledger file's text, and how many problems of each kind it must give."""
    parts: list[str] = []
    expected: Counter[str] = Counter()
    for n in range(rng.randrange(1, 4)):
        shape = rng.choice(["unknown-flow", "unknown-block", "empty-items", "same-ids"])
        count = rng.choice([1, 5, 99, 100, 101, 250, 1000])
        if shape == "unknown-flow":
            parts.append(f"junk{n}: [" + "{}," * count + "]\n")
            expected["unknown-section"] += 1
        elif shape == "unknown-block":
            parts.append(f"junk{n}:\n" + "  - [[{}], {a: 1}]\n" * count)
            expected["unknown-section"] += 1
        elif shape == "empty-items" and "donors" not in "".join(parts):
            parts.append("donors:\n" + "  - {}\n" * count)
            expected["missing-field"] += 3 * count  # id, name, kind
        elif shape == "same-ids" and "received" not in "".join(parts):
            parts.append(
                "received:\n" + "  - {id: r1, donor: d, amount: 1, currency: CHF}\n" * (count + 1)
            )
            expected["duplicate-id"] += count
            expected["unknown-reference"] += count + 1  # the donor 'd', not listed
    return "".join(parts), expected


@pytest.mark.parametrize("chunk", range(10))
def test_problems_are_told_within_bounds_and_all_counted(chunk: int, tmp_path: Path) -> None:
    for case in range(chunk, EXAMPLES, 10):
        rng = random.Random(case)
        root = tmp_path / f"l{case}"
        root.mkdir()
        (root / "ledger.yaml").write_text(FUND, encoding="utf-8")
        text, expected = _hostile(rng)
        (root / "x.yaml").write_text(text, encoding="utf-8")
        _, _, problems = read_ledger(root)
        told: Counter[str] = Counter()
        more: Counter[str] = Counter()
        for problem in problems:
            assert problem.where.path.name == "x.yaml", (case, problem)
            found = MORE.fullmatch(problem.message)
            if problem.code == "more-problems":
                assert found is not None, problem.message
                more[found[2]] += int(found[1].replace(" ", ""))
            else:
                told[problem.code] += 1
        for code, count in told.items():
            assert count <= MAX_PROBLEMS_PER_KIND, (case, code, count)
        for code, count in expected.items():
            assert told[code] + more[code] == count, (case, code, told, more, expected)


def test_an_unknown_section_is_never_built() -> None:
    """Ten times the `{}` take no more memory: the value is passed over, not held."""
    readers, _ = loading._item_readers(True)
    peaks = []
    for count in (20_000, 200_000):
        text = FUND + "junk: [" + "{}," * count + "]\n"
        tracemalloc.start()
        document, problems = parse_document(Path("x.yaml"), text, readers)
        assert document is not None and document.data["junk"] is None, problems
        document.locate(("junk",))  # a problem asks where it is: that reading skips it too
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] * 2 + 2_000_000, peaks  # was some 280 bytes a `{}`


def test_import_of_a_device_that_never_ends_is_one_message(run: Any, ledger_dir: Path) -> None:
    result = run("import", "--data", ledger_dir, "--dry-run", "/dev/zero")
    assert result.exit_code == 2
    assert f"/dev/zero holds more than the {reading.MAX_IMPORT_BYTES:,} bytes" in result.output
    assert "Traceback" not in result.output and "MemoryError" not in result.output


class _Endless(io.RawIOBase):
    """A stream that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        buffer[:size] = b"x" * size
        self.given += size
        return size


def test_an_endless_standard_input_is_read_no_further_than_the_bound() -> None:
    stream = _Endless()
    with pytest.raises(reading.InputTooLarge, match="standard input holds more than"):
        reading.read_input(io.BufferedReader(stream), "standard input")
    assert stream.given <= reading.MAX_IMPORT_BYTES + 2 * 1024 * 1024


def _workbook(cells: list[list[object]], placeholder: bytes = b"", size: int = 0) -> bytes:
    """A workbook of `cells`, with `placeholder` in a cell grown to `size` bytes unpacked."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    if not placeholder:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as grown:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(placeholder, b"a" * size)
            grown.writestr(info.filename, data)
    return out.getvalue()


HEADER: list[object] = ["type", "donor", "amount", "currency"]


def test_a_workbook_that_unpacks_beyond_its_bound_is_refused_unread() -> None:
    data = _workbook(
        [HEADER, ["receipt", "PLACEHOLDER", 100, "CHF"]],
        b"PLACEHOLDER",
        sheets.MAX_WORKBOOK_BYTES + 1,
    )
    assert len(data) < 200_000  # a small file, as the review's was
    found = sheets.read_workbook(data, Path("big.xlsx"), None)
    assert not isinstance(found, sheets.Sheet)
    assert found.code == "import-too-large" and "unpacks to" in found.message


def test_a_cell_too_long_and_too_many_cells_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    long = "b" * (sheets.MAX_CELL_CHARACTERS + 1)
    found = sheets.read_workbook(
        _workbook([HEADER, ["receipt", long, 1, "CHF"]]), Path("w.xlsx"), None
    )
    assert not isinstance(found, sheets.Sheet)
    assert "the cell B2 holds 10,001 characters" in found.message
    monkeypatch.setattr(sheets, "MAX_WORKBOOK_CELLS", 40)
    rows: list[list[object]] = [HEADER] + [["receipt", "d", n, "CHF"] for n in range(1, 20)]
    found = sheets.read_workbook(_workbook(rows), Path("w.xlsx"), None)
    assert not isinstance(found, sheets.Sheet)
    assert "more than 40 cells by row 11" in found.message


def test_a_stray_broken_link_warns_and_fails_nothing(run: Any, ledger_dir: Path) -> None:
    (ledger_dir / "notes.txt").symlink_to(ledger_dir / "gone.txt")
    result = run("check", "--data", ledger_dir, "--no-cache")
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "notes.txt: this is a link to" in result.output
    assert run("check", "--data", ledger_dir, "--no-cache", "--strict").exit_code == 3
    assert run("report", "--data", ledger_dir, "--no-cache").exit_code == 0
    (ledger_dir / "extra.yaml").symlink_to(ledger_dir / "gone.yaml")  # a ledger file's name
    assert run("check", "--data", ledger_dir, "--no-cache").exit_code == 1
