"""Shortcuts of a large import give exactly what the plain path gives: rows
validated without a pydantic model each (`quick_row`), the CSV read row by row,
numbers and line breaks found by one search, planned records held as tuples,
and the new file written from the planned rows as they are taken."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Run
from hypothesis import given
from hypothesis import strategies as st
from plain_yaml import RECORDS, plain_sections_to_yaml
from pydantic import ValidationError

from wsis_ledger import api
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.write import files as write_files
from wsis_ledger.write import raw_rows, reading, sheets
from wsis_ledger.write.imports import Planned
from wsis_ledger.write.reading import ReadOptions, ReadResult, read_rows
from wsis_ledger.write.rows import ROW_FIELDS, ImportRow, Row, quick_row
from wsis_ledger.write.yaml_text import sections_to_yaml

LEDGER = """\
fund: {id: test, name: Test fund}
rates:
  - {currency: EUR, start: 2004-01-01, end: 2004-12-31, rate: "1.55", source: table}
"""
DONORS = """\
donors:
  - {id: japan, name: Government of Japan, kind: government}
  - {id: sweden, name: Government of Sweden, aliases: [Sverige], kind: government}
"""
pledged = "pledged:\n  - {id: p-1, donor: japan, amount: 200, currency: CHF, date: 2004-01-02, reference: PJ}\n"

VALUES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            *("receipt", "Pledge", " EXPENDITURE ", "gift", "", " "),
            *("CHF", "USD", "JPY", "chf", "XDR", "DEM"),
            *("1", "50000.00", "1.5", "1.001", "0", "-5", "1e3", "1 000", "0.8123456"),
            *("2004-01-05", "2004-02-30", "1899-12-31", "05.01.2004"),
            *("core/x", "Core", "Government of Japan", "a\nb", "x\u202ey", "R-1"),
        ]
    ),
    st.integers(0, 3),
    st.just(Decimal("1.0")),
)
RAW_ROWS = st.dictionaries(st.sampled_from([*ROW_FIELDS, "amout"]), VALUES, max_size=8)


def plain_row(raw: dict[str, Any]) -> Row | None:
    """What pydantic's `ImportRow` makes of the row (None: it refuses it)."""
    try:
        row = ImportRow.model_validate(raw)
    except ValidationError:
        return None
    return Row(*(getattr(row, name) for name in ROW_FIELDS))


@given(RAW_ROWS, st.sampled_from(["receipt", "pledge", "Receipt"]), VALUES, VALUES)
def test_quick_row_takes_what_import_row_takes_as_it_takes_it(
    raw: dict[str, Any], kind: str, currency: object, amount: object
) -> None:
    for row in (raw, {"type": kind, "currency": currency, "amount": amount, **raw}):
        plain, quick = plain_row(row), quick_row(row)
        if plain is None:
            assert quick is None
        elif quick is not None:
            # repr: Decimal("1.0") and Decimal("1") are equal, but not written alike
            assert [repr(v) for v in quick] == [repr(v) for v in plain]


def test_quick_row_takes_the_rows_an_import_is_made_of() -> None:
    row = {
        **dict.fromkeys(ROW_FIELDS),
        **{"type": "Receipt", "donor": "Sverige", "amount": "50000.00", "currency": "EUR"},
        **{"rate": "1.5500", "date": "2004-01-05", "purpose": "core/x", "reference": "R-1"},
    }
    quick = quick_row(row)
    assert quick is not None and [repr(v) for v in quick] == [repr(v) for v in plain_row(row)]  # type: ignore[union-attr]


CSV_HEADER = "type,donor,amount,currency,chf,rate,date,purpose,reference,pledge"
CSV_ROWS = [
    "receipt,Government of Japan,1000,CHF,,,2004-01-05,core/x,R-1,",
    "Receipt,sverige,1'000.50,EUR,,,2004-02-01,,,",
    "pledge,Government of Sweden,250,USD,300,,2004-03-01,,R-2,",
    "receipt,japan,80,CHF,,,2004-01-05,,,PJ",
    "receipt,japan,80,CHF,,,2004-01-05,,,PJ",  # the same row again: a second gift
    "receipt,Nobody,5,CHF,,,2004-01-05,,,",
    "receipt,japan,1.001,CHF,,,,,,",
    "receipt,japan,5,EUR,,,2003-01-01,,,",  # no rate in the table yet
    "gift,japan,5,CHF,,,,,,",
    "receipt,japan,-5,CHF,,,,,,",
    "receipt,japan,1 000,50,CHF,,,,,,",
    "receipt,japan,5,chf,,,2004-13-01,,R-1,",
    'receipt,"Japan\nline",5,CHF,,,,,,',
    "receipt,japan,5,CHF,,,,,R-9,PJ",
    "expenditure,,120,CHF,,,2004-04-01,core/x,,,",
    "receipt;japan;5;CHF;;;;;;",
    ",,,,,,,,,",
    'receipt,"unclosed,5,CHF,,,,,,',
]


@pytest.mark.parametrize("rows", [CSV_ROWS[:5], CSV_ROWS[:-1], CSV_ROWS])
def test_an_import_with_quick_rows_writes_and_refuses_as_the_plain_path(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, rows: list[str]
) -> None:
    source = tmp_path / "rows.csv"
    source.write_text("\n".join([CSV_HEADER, *rows]) + "\n", encoding="utf-8")
    # Each new file records when it was written, to the second: the two ways write at
    # one time, so that a second passing between them is no difference between them.
    monkeypatch.setattr(write_files, "now_utc", lambda: "2026-12-08T04:00:00Z")
    outcomes = []
    for way in ("quick", "plain"):
        root = tmp_path / way
        root.mkdir()
        (root / "ledger.yaml").write_text(LEDGER + DONORS + pledged, encoding="utf-8")
        if way == "plain":  # the one switch: no shortcut
            monkeypatch.setenv("WSIS_LEDGER_PLAIN", "1")
        result = run("import", "--data", root, source, "--add-donors", "--verbose")
        files = {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}
        output = result.output.replace(str(root), "ROOT").replace(f"{way}/", "ROOT/")
        outcomes.append((result.exit_code, output, files))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == (0 if len(rows) == 5 else 1)


def plain_csv_rows(text: str, source: Path, options: ReadOptions) -> ReadResult:
    """The CSV's rows as they were read before: every row's cells, then the rows."""
    lines = text.splitlines()
    known = (*raw_rows.COLUMNS, *raw_rows.OPTIONAL_COLUMNS)
    separator = options.separator or sheets.sniff_separator(lines[0] if lines else "", known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    numbered: list[tuple[int, list[str | None]]] = []
    problems: list[Problem] = []
    line = 1
    try:
        for cells in reader:
            numbered.append((line, list(cells)))
            line = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(Where(source, line), "import-csv", reading._csv_error(error)))
    if not numbered and not problems:
        return ReadResult(
            problems=[Problem(Where(source, 1), "import-empty", "the CSV file is empty")]
        )
    result = reading._table_rows(iter(numbered), source, options, None, lines, separator)  # type: ignore[arg-type]
    result.problems.extend(problems)
    if separator != "," and not options.separator:
        result.notes.append(f"columns separated by {sheets.SEPARATORS[separator]}")
    return result


def plain_row_cells(header: list[str], cells: list[str | None]) -> str | None:
    """The first cell with a line break, each cell searched (the plain path)."""
    broken = [n for n, c in zip(header, cells, strict=True) if c and raw_rows.LINE_BREAK.search(c)]
    return broken[0] if broken else None


LINES = st.sampled_from(
    [
        CSV_HEADER,
        "type;donor;amount;currency",
        *CSV_ROWS,
        "receipt,japan,5,CHF,,,,,,\r",
        "receipt,japan,5,CHF,,,,,,\x0c",
        'receipt,"a\x1cb",5,CHF,,,,,,',
        'receipt,"a\u2028b",5,CHF,,,,,,',
        "receipt,japan,5,CHF",
        "",
    ]
)


@given(st.lists(LINES, max_size=8), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_the_csv_read_row_by_row_gives_what_the_plain_read_gives(
    lines: list[str], end: str, decimal_comma: bool
) -> None:
    text = end.join(lines)
    options = ReadOptions(fmt="csv", decimal_comma=decimal_comma)
    source = Path("rows.csv")
    assert read_rows(text, source, options) == plain_csv_rows(text, source, options)


@given(
    st.lists(st.sampled_from(["", "a", "\n", "\r", "\x0b", "\x1d", "\u2029", "b c"]), max_size=4)
)
def test_a_line_break_is_found_in_the_cell_that_holds_it(cells: list[str]) -> None:
    header = [f"c{n}" for n in range(len(cells))]
    raw, problems = raw_rows.raw_row(header, list(cells), Where(Path("x")), ReadOptions())
    broken = plain_row_cells(header, list(cells))
    if broken is None:
        assert isinstance(raw, dict) and not problems
    else:
        assert raw is None and problems[0].message.startswith(f"{broken}: a line break")


@given(st.text("0123456789.,'x- \u00a0\u2009\u2019", max_size=9), st.booleans())
def test_a_number_without_a_spreadsheet_sign_is_found_by_one_search(
    text: str, decimal_comma: bool
) -> None:
    # The plain test in `plain_number`: no sign of a spreadsheet among the characters.
    signs = set(sheets.THOUSANDS) | {",", "."} if decimal_comma else set(sheets.THOUSANDS) | {","}
    plain = not (set(text) - set("0123456789")) & signs
    regex = sheets._SIGNS_WITH_POINT if decimal_comma else sheets._SIGNS
    assert (regex.search(text) is None) == plain


@given(st.text(st.sampled_from("ab\n\r\x0b\x0c\x1c\x1e\x85\u2028"), min_size=1, max_size=8))
def test_the_first_line_is_the_first_of_splitlines(text: str) -> None:
    lines = reading._Lines(text)
    assert lines.first == text.splitlines()[0] == lines[0]
    assert [lines[n] for n in range(len(text.splitlines()))] == text.splitlines()


@given(st.dictionaries(st.sampled_from(["donors", "received", "pledged"]), RECORDS))
def test_sections_given_as_one_pass_iterators_are_written_as_lists_are(
    sections: dict[str, list[dict[str, object]]],
) -> None:
    once = {name: iter(records) for name, records in sections.items()}
    assert sections_to_yaml(once, "h") == plain_sections_to_yaml(sections, "h")


def test_a_planned_record_is_the_dict_it_was_made_from() -> None:
    record = {"id": "imp-1", "amount": Decimal("1.0"), "chf": None, "purpose": "core/x"}
    planned = Planned(3, "received", record, new=True)
    assert planned.record == record and list(planned.record) == list(record)
    assert planned.value("amount") == Decimal("1.0") and planned.value("pledge") is None
    assert planned == Planned(3, "received", dict(record), new=True)
    assert planned != Planned(3, "received", {**record, "chf": Decimal(1)}, new=True)


def test_import_records_takes_rows_once_and_counts_lines(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    root.mkdir()
    (root / "ledger.yaml").write_text(LEDGER + DONORS, encoding="utf-8")
    given = [
        {"type": "receipt", "donor": "japan", "amount": "5", "currency": "CHF"},
        {"type": "receipt", "donor": "japan", "amount": "5.001", "currency": "CHF"},
    ]
    with pytest.raises(api.LedgerError) as refused:
        api.import_records(root, iter(given), numbered=[4, 9], dry_run=True)
    assert [p.where.line for p in refused.value.problems] == [9]
    result = api.import_records(root, (row for row in given[:1]), dry_run=True)
    assert [(r.line, r.value("amount")) for r in result.plan.rows] == [(1, Decimal(5))]
    with pytest.raises(ValueError):
        api.import_records(root, iter(given), numbered=[4], dry_run=True)
    shutil.rmtree(root)
