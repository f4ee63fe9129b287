"""Donors' spreadsheets as their offices save them (issue 24), and an import that reads
only what the user sees (issue 27, class 7)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wsis_ledger import api
from wsis_ledger.core.problems import LedgerError
from wsis_ledger.write.reading import ReadOptions, read_file

LEDGER = "fund: {id: test, name: Test fund}\n"
DONORS = """\
donors:
  - {id: japan, name: Government of Japan, kind: government}
  - {id: sweden, name: Government of Sweden, kind: government}
"""
HEADER = "type,donor,amount,currency,date\n"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    root.mkdir()
    (root / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    (root / "donors.yaml").write_text(DONORS, encoding="utf-8")
    return root


def imported(
    run: Run, root: Path, data: bytes, *args: str, name: str = "rows.csv"
) -> tuple[int, str]:
    path = root.parent / name
    path.write_bytes(data)
    result = run("import", "--data", root, path, *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def received(run: Run, root: Path) -> list[dict[str, str]]:
    result = run("report", "--data", root, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["received"]["entries"]  # type: ignore[no-any-return]


def workbook(rows: list[list[object]], *, hidden_first: list[list[object]] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if hidden_first is not None:
        sheet.title = "Old"
        for row in hidden_first:
            sheet.append(row)
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("Contributions")
        book.active = 1
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "day"),
    [("31.12.2004", "2004-12-31"), ("2005/02/01", "2005-02-01"), ("1.2.2005", "2005-02-01")],
)
def test_a_date_written_one_way_only_is_read(run: Run, small: Path, written: str, day: str) -> None:
    code, output = imported(run, small, (HEADER + f"receipt,japan,5,CHF,{written}\n").encode())
    assert code == 0, output
    assert [e["date"] for e in received(run, small)] == [day]


@pytest.mark.parametrize(
    ("written", "date_format", "day"),
    [
        ("2/1/2005", "%d/%m/%Y", "2005-01-02"),
        ("2/1/2005", "%m/%d/%Y", "2005-02-01"),
        ("31/12/2004", "%d/%m/%Y", "2004-12-31"),
    ],
)
def test_a_date_that_reads_two_ways_needs_its_format(
    run: Run, small: Path, written: str, date_format: str, day: str
) -> None:
    data = (HEADER + f"receipt,japan,5,CHF,{written}\n").encode()
    code, output = imported(run, small, data)
    assert code == 1
    said = (
        "could be day/month or month/day"
        if written == "2/1/2005"
        else "is day first (no month is 31), unlike 2/1/2005"
    )
    assert f"rows.csv:2: date: '{written}' {said}" in output
    assert "--date-format %d/%m/%Y" in output
    # Both orders offered only where both fit: a day past the 12th has one.
    assert ("--date-format %m/%d/%Y" in output) == (written == "2/1/2005")
    code, output = imported(run, small, data, "--date-format", date_format)
    assert code == 0, output
    assert [e["date"] for e in received(run, small)] == [day]


def test_a_date_not_in_the_format_given_shows_the_format_by_example(run: Run, small: Path) -> None:
    data = (HEADER + "receipt,japan,5,CHF,12/31/2004\n").encode()
    code, output = imported(run, small, data, "--date-format", "%d/%m/%Y")
    assert code == 1
    assert "'12/31/2004' is not a date written as --date-format %d/%m/%Y gives them" in output
    assert "(31 December 2004 is 31/12/2004)" in output


# --- numbers ----------------------------------------------------------------------


def test_centimes_against_whole_francs_name_the_setting_and_both_ways_out(
    run: Run, small: Path
) -> None:
    code, output = imported(run, small, (HEADER + "receipt,japan,100.50,CHF,2005-01-01\n").encode())
    assert code == 1
    assert "booking_unit: 1 in ledger.yaml" in output
    assert "round it half-up to 101" in output
    assert "booking_unit: 0.01 under fund: in ledger.yaml" in output


def test_three_digits_after_a_comma_in_chf_are_grouping(run: Run, small: Path) -> None:
    code, output = imported(
        run, small, (HEADER + 'receipt,japan,"581,950",CHF,2005-01-01\n').encode()
    )
    assert code == 0, output
    assert [e["amount"] for e in received(run, small)] == ["581950"]


def test_a_comma_that_could_be_either_says_it_is_ambiguous(run: Run, small: Path) -> None:
    rows = 'type,donor,amount,currency,rate,date\nreceipt,japan,5,USD,"1,234",2005-01-01\n'
    code, output = imported(run, small, rows.encode())
    assert code == 1
    assert "rate: '1,234' is ambiguous: the ',' could group thousands (1234)" in output
    assert "or be a decimal comma (1.234)" in output


@pytest.mark.parametrize(("amount", "sign"), [("$10,000.00", "'$'"), ("CHF 500", "'CHF'")])
def test_a_sign_in_an_amount_is_named(run: Run, small: Path, amount: str, sign: str) -> None:
    code, output = imported(
        run, small, (HEADER + f'receipt,japan,"{amount}",CHF,2005-01-01\n').encode()
    )
    assert code == 1
    assert f"rows.csv:2: amount: '{amount}': the {sign} is not part of a number" in output
    assert "thousands separators" not in output


# --- workbooks --------------------------------------------------------------------

COLUMN_NAMES = ["type", "donor", "amount", "currency", "date"]


def test_title_rows_above_the_header_are_passed_over_and_said(run: Run, small: Path) -> None:
    rows: list[list[object]] = [
        ["Contributions to the WSIS trust fund, 2005"],
        [],
        COLUMN_NAMES,
        ["receipt", "japan", 1000, "CHF", "2005-01-01"],
        ["receipt", "sweden", 2000, "CHF", "2005-01-02"],
    ]
    code, output = imported(run, small, workbook(rows), name="rows.xlsx")
    assert code == 0, output
    assert "the header is row 3 (the first row of column names)" in output
    assert sorted(int(e["amount"]) for e in received(run, small)) == [1000, 2000]


def test_the_header_row_can_be_given(run: Run, small: Path) -> None:
    rows: list[list[object]] = [
        ["type", "donor", "notes"],  # looks like a header, but is a title
        COLUMN_NAMES,
        ["receipt", "japan", 1000, "CHF", "2005-01-01"],
    ]
    code, output = imported(run, small, workbook(rows), "--header-row", "2", name="rows.xlsx")
    assert code == 0, output
    assert "the header is row 2 (--header-row)" in output


def test_a_totals_row_is_one_problem(run: Run, small: Path) -> None:
    rows: list[list[object]] = [
        COLUMN_NAMES,
        ["receipt", "japan", 1000, "CHF", "2005-01-01"],
        ["receipt", "sweden", 2000, "CHF", "2005-01-02"],
        ["Total", None, 3000, None, None],
    ]
    code, output = imported(run, small, workbook(rows), name="rows.xlsx")
    assert code == 1
    row_lines = [line for line in output.splitlines() if line.startswith("rows.xlsx:4:")]
    assert row_lines == [
        "rows.xlsx:4: a totals row? remove it ('Total'); an import's rows are entries only"
    ]
    rows[-1] = [None, None, "=SUM(C2:C3)", None, None]
    code, output = imported(run, small, workbook(rows), name="rows.xlsx")
    assert code == 1
    assert "rows.xlsx:4: a totals row? remove it" in output or "C4 is a formula" in output


def test_a_formula_without_a_saved_value_is_refused_naming_its_cell(run: Run, small: Path) -> None:
    rows: list[list[object]] = [
        COLUMN_NAMES,
        ["receipt", "japan", 1000, "CHF", "2005-01-01"],
        ["receipt", "japan", "=C2*2", "CHF", "2005-01-02"],
        ["=A2", "=B2", "=C2", "=D2", "=E2"],
    ]
    code, output = imported(run, small, workbook(rows), name="rows.xlsx")
    assert code == 1
    assert (
        "rows.xlsx:3: C3 is a formula with no saved value: open and save the workbook in Excel"
        " or LibreOffice"
    ) in output
    assert "rows.xlsx:4: A4 is a formula with no saved value" in output  # not skipped as blank
    assert "the field 'amount' is missing" not in output


def test_the_sheet_the_workbook_opens_on_is_read_and_named(run: Run, small: Path) -> None:
    old = [COLUMN_NAMES, ["receipt", "japan", 9, "CHF", "2004-01-01"]]
    rows = [COLUMN_NAMES, ["receipt", "sweden", 7, "CHF", "2005-01-01"]]
    code, output = imported(run, small, workbook(rows, hidden_first=old), name="rows.xlsx")
    assert code == 0, output
    assert "read sheet 'Contributions' of the workbook" in output
    assert [e["amount"] for e in received(run, small)] == ["7"]


# --- one run, every problem; many of one kind, one line -----------------------------


def test_every_problem_of_a_file_in_one_run(run: Run, small: Path) -> None:
    rows = (
        HEADER
        + 'receipt,japan,"1 00.5",EUR,31/12/2004\n'
        + "receipt,nobody,5,CHF,2005-01-01\n"
        + "receipt,japan,5,XXX,2005-01-01\n"
    )
    code, output = imported(run, small, rows.encode())
    assert code == 1
    assert "rows.csv:2: amount: '1 00.5' is not a number" in output
    assert "rows.csv:2: date: '31/12/2004' is day first" in output
    assert "rows.csv:3: unknown donor 'nobody'" in output
    assert "rows.csv:4: currency:" in output
    assert "the amount must be a number" not in output  # the cell refused is not said twice


def test_the_same_problem_on_many_rows_is_one_line(run: Run, small: Path) -> None:
    count = 40
    rows = HEADER + "".join(f"receipt,japan,{n}.50,CHF,2005-01-01\n" for n in range(1, count + 1))
    code, output = imported(run, small, rows.encode())
    assert code == 1
    lines = output.splitlines()
    [line] = [line for line in lines if "booking unit" in line]
    assert line.startswith("rows.csv:2: amount: 1.50 CHF is not a multiple")
    # Of one kind, not the same: each row has its own amount, and the line says so.
    assert line.endswith(
        f"(of this kind on {count} rows, with other values too: 2.50, 3.50, 4.50, 5.50, 6.50,"
        " …; lines 2, 3, 4, 5, 6, …)"
    ), line
    assert f"{count} problems; nothing was imported" in output


def test_one_line_for_many_rows_never_calls_different_rows_the_same(run: Run, small: Path) -> None:
    # Three unknown donors on five rows were one line, "unknown donor 'Atlantis' (the same
    # on 5 rows ...)": every donor the rows name is said.
    rows = HEADER + "".join(
        f"receipt,{name},5,CHF,2005-01-01\n"
        for name in ("Atlantis", "Utopia", "Narnia", "Atlantis", "Utopia")
    )
    code, output = imported(run, small, rows.encode())
    assert code == 1
    [line] = [line for line in output.splitlines() if "unknown donor" in line]
    assert "unknown donor 'Atlantis'" in line and "'Utopia', 'Narnia';" in line, line
    assert "the same on" not in line
    identical = HEADER + "receipt,Atlantis,5,CHF,2005-01-01\n" * 4
    code, output = imported(run, small, identical.encode())
    [line] = [line for line in output.splitlines() if "unknown donor" in line]
    assert line.endswith("(the same on 4 rows: lines 2, 3, 4, 5, …)"), line


# --- a file imported again ------------------------------------------------------------


def test_a_row_gone_from_a_file_imported_before_stops_the_import(run: Run, small: Path) -> None:
    twice = HEADER + "receipt,japan,50000,CHF,2005-01-01\n" * 2
    assert imported(run, small, twice.encode())[0] == 0
    edited = HEADER + "receipt,japan,50000,CHF,2005-01-01\nreceipt,japan,60000,CHF,2005-01-01\n"
    code, output = imported(run, small, edited.encode())
    assert code == 1
    assert "50 000 CHF of japan dated 2005-01-01" in output
    assert "imported from rows.csv before, is no longer in it" in output
    assert "--allow-changes" in output
    assert sorted(int(e["amount"]) for e in received(run, small)) == [50000, 50000]
    code, output = imported(run, small, edited.encode(), "--allow-changes")
    assert code == 0, output
    assert sorted(int(e["amount"]) for e in received(run, small)) == [50000, 50000, 60000]
    # Once allowed, the entry left behind is not reported again.
    assert imported(run, small, edited.encode())[0] == 0
    # Another file under another name is no earlier import of this one.
    other = HEADER + "receipt,sweden,1,CHF,2005-01-01\n"
    assert imported(run, small, other.encode(), name="other.csv")[0] == 0
    assert imported(run, small, other.encode(), "--source", "rows.csv")[0] == 1


# --- class 7: what the user does not see -------------------------------------------------


def test_a_single_byte_file_that_is_not_plausibly_windows_1252_needs_its_encoding(
    run: Run, small: Path
) -> None:
    rows = (HEADER + "receipt,Zürich Café,5,CHF,2005-01-01\n").encode("mac-roman")
    code, output = imported(run, small, rows, "--add-donors")
    assert code == 1
    assert "rows.csv:2: the file is not UTF-8" in output and "--encoding" in output
    code, output = imported(run, small, rows, "--add-donors", "--encoding", "mac-roman")
    assert code == 0, output
    euro = (HEADER + "receipt,japan,5,CHF,2005-01-01\n# 5 €\n").encode("iso-8859-15")
    assert "'¤'" in imported(run, small, euro)[1]


def test_a_donor_of_invisible_characters_is_missing(run: Run, small: Path) -> None:
    rows = HEADER + "receipt,\u200b\u2060\ufeff,5,CHF,2005-01-01\n"
    code, output = imported(run, small, rows.encode(), "--add-donors")
    assert code == 1
    assert "rows.csv:2: the field 'donor' is missing" in output


INVISIBLE = st.text(
    st.sampled_from("\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"), min_size=1, max_size=3
)
#: A row and what it is: a valid receipt, a blank row (skipped), or one the user does
#: not see all of (a donor of invisible characters, a cell of spaces alone, a formula
#: with no saved value), which must stop the import.
ROW = st.one_of(
    st.tuples(
        st.just("valid"), st.sampled_from(["japan", "Government of Sweden"]), st.integers(1, 10**6)
    ),
    st.tuples(st.just("blank"), st.just(""), st.just(0)),
    st.tuples(st.just("invisible"), INVISIBLE, st.integers(1, 10**6)),
    st.tuples(st.just("spaces"), st.sampled_from([" ", "\u00a0", "  \t"]), st.just(0)),
    st.tuples(st.just("formula"), st.just("japan"), st.just(0)),
)


def _cells(kind: str, donor: str, amount: int, xlsx: bool) -> list[object]:
    if kind == "blank":
        return [None] * 5 if xlsx else [""] * 5
    if kind == "spaces":
        return [None, donor, None, None, None] if xlsx else ["", donor, "", "", ""]
    if kind == "formula":
        return ["receipt", donor, "=1+1", "CHF", "2005-01-01"]
    return ["receipt", donor, amount, "CHF", "2005-01-01"]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(ROW, min_size=1, max_size=6), st.booleans(), st.booleans())
def test_an_import_reads_every_row_the_user_can_see_and_refuses_what_cannot_be_seen(
    small: Path, rows: list[tuple[str, str, int]], xlsx: bool, hidden_first: bool
) -> None:
    if not xlsx:
        rows = [row for row in rows if row[0] != "formula"]  # a CSV holds no formula
    table = [_cells(kind, donor, amount, xlsx) for kind, donor, amount in rows]
    if xlsx:
        hidden = (
            [COLUMN_NAMES, ["receipt", "japan", 3, "CHF", "2004-01-01"]] if hidden_first else None
        )
        data, source = workbook([COLUMN_NAMES, *table], hidden_first=hidden), Path("rows.xlsx")
    else:
        lines = [",".join(COLUMN_NAMES), *(",".join(str(c) for c in cells) for cells in table)]
        data, source = "\n".join(lines).encode(), Path("rows.csv")
    read = read_file(data, source, ReadOptions())
    if xlsx:
        assert (
            read.notes[0]
            == f"read sheet {'Contributions' if hidden_first else 'Sheet'!r} of the workbook"
        )
    unseen = {
        line
        for line, (kind, _, _) in enumerate(rows, 2)
        if kind in ("invisible", "spaces", "formula")
    }
    seen = [line for line, (kind, _, _) in enumerate(rows, 2) if kind == "valid"]
    problems = list(read.problems)
    plan = None
    try:
        plan = api.import_records(
            small,
            [r for _, r in read.rows],
            numbered=[n for n, _ in read.rows],
            source=source,
            add_donors=True,
            dry_run=True,
        ).plan
    except LedgerError as error:
        problems += [p for p in error.problems if not read.repeats(p)]
    if unseen:
        assert unseen <= {p.where.line for p in problems}, (rows, problems)
    else:
        assert not problems and plan is not None, problems
        assert [r.line for r in plan.rows] == seen
        assert [r.value("amount") for r in plan.rows] == [
            amount for kind, _, amount in rows if kind == "valid"
        ]
        assert [d["name"] for d in plan.donors] == []
