"""Spreadsheets as they come (issue 14): donor ids in readable ASCII, CSV as Swiss and
French spreadsheet programs save it, Excel workbooks, large imports summed up."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ReportJson, Run

from wsis_ledger.write.sheets import cell_text

LEDGER = "fund: {id: test, name: Test fund}\n"
DONORS = """\
donors:
  - {id: japan, name: Government of Japan, kind: government}
  - {id: sweden, name: Government of Sweden, kind: government}
  - {id: geneve, name: "Ville de Gen\u00e8ve", kind: government}
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    root.mkdir()
    (root / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    (root / "donors.yaml").write_text(DONORS, encoding="utf-8")
    return root


def import_bytes(run: Run, root: Path, data: bytes, *args: str, name: str = "rows.csv") -> str:
    path = root.parent / name
    path.write_bytes(data)
    result = run("import", "--data", root, path, *args)
    assert "Traceback" not in result.output
    return f"exit {result.exit_code}\n{result.output}"


def ledger_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".wsis-ledger.lock"
    }


# --- donor ids from names --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Suède", "suede"),
        ("Commission européenne", "commission-europeenne"),
        ("Österreich", "osterreich"),
        ("日本政府", "ri-ben-zheng-fu"),
        ("中国政府", "zhong-guo-zheng-fu"),
        ("Российская Федерация", "rossiyskaya-federatsiya"),
        ("대한민국", "dae-han-min-gug"),
        ("Côte d’Ivoire", "cote-d-ivoire"),
    ],
)
def test_a_donor_added_from_a_name_gets_a_readable_ascii_id(
    run: Run, small: Path, name: str, expected: str, report_json: ReportJson
) -> None:
    rows = f"type,donor,amount,currency,date\nreceipt,{name},10,CHF,2005-01-01\n"
    output = import_bytes(run, small, rows.encode(), "--add-donors")
    assert output.startswith("exit 0"), output
    [entry] = report_json("--data", small)["received"]["entries"]
    assert (entry["donor_id"], entry["donor"]) == (expected, name)
    assert run("check", "--data", small).exit_code == 0


def test_names_in_other_scripts_never_become_numbered_placeholders(
    run: Run, small: Path, report_json: ReportJson
) -> None:
    names = ["日本政府", "中国政府", "المملكة العربية السعودية", "Ελληνική Δημοκρατία"]
    rows = "type,donor,amount,currency\n" + "".join(f"receipt,{n},10,CHF\n" for n in names)
    output = import_bytes(run, small, rows.encode(), "--add-donors")
    assert output.startswith("exit 0"), output
    ids = [e["donor_id"] for e in report_json("--data", small)["received"]["entries"]]
    assert len(set(ids)) == 4
    for donor_id in ids:
        assert donor_id.isascii() and not donor_id.startswith("donor"), ids
        assert all(c.isalnum() or c == "-" for c in donor_id)
        assert len(donor_id.replace("-", "")) >= 6  # a transliteration, not a stub


# --- CSV as spreadsheet programs save it --------------------------------------------

SWISS = (
    "Type;Donor;Amount;Currency;CHF;Date;Reference\n"
    "Receipt;Ville de Genève;1'000.50;EUR;1'550;2005-01-03;G-1\n"
    "PLEDGE;sweden;12 000;CHF;;2005-01-04;S-1\n"
    "receipt;Government of Japan;2\u202f500.25;USD;3\u00a0100;2005-01-05;J-1\n"
)


def test_a_semicolon_file_in_windows_1252_is_read_and_said_so(
    run: Run, small: Path, report_json: ReportJson
) -> None:
    # cp1252 has no narrow no-break space: that row's amount is written with a space.
    output = import_bytes(run, small, SWISS.replace("\u202f", " ").encode("cp1252"))
    assert output.startswith("exit 0"), output
    assert "rows.csv: read as Windows-1252 (it is not UTF-8); columns separated by ';'." in output
    received = report_json("--data", small)["received"]["entries"]
    assert [(e["donor_id"], e["amount"], e["currency"]) for e in received] == [
        ("geneve", "1000.50", "EUR"),
        ("japan", "2500.25", "USD"),
    ]
    document = report_json("--data", small)
    assert document["totals"]["received"] == str(1550 + 3100)
    assert document["totals"]["pledged"] == "12000"


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-16", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"")]
)
def test_utf16_and_utf8_with_a_mark_are_detected(
    run: Run, small: Path, encoding: str, bom: bytes, report_json: ReportJson
) -> None:
    # Excel's "Unicode text" is UTF-16 with tabs between the columns.
    text = SWISS.replace(";", "\t")
    output = import_bytes(run, small, bom + text.encode(encoding))
    assert output.startswith("exit 0"), output
    assert "columns separated by a tab" in output
    assert ("read as UTF-16" in output) == encoding.startswith("utf-16")
    assert [e["amount"] for e in report_json("--data", small)["received"]["entries"]] == [
        "1000.50",
        "2500.25",
    ]


def test_decimal_comma_reads_french_amounts(run: Run, small: Path, report_json: ReportJson) -> None:
    rows = (
        "type;donor;amount;currency;chf;rate;date\n"
        "receipt;sweden;1 000,50;EUR;;1,5;2005-01-03\n"
        "receipt;sweden;2\u202f000,25;EUR;3 001;;2005-01-04\n"
    )
    output = import_bytes(run, small, rows.encode(), "--decimal-comma")
    assert output.startswith("exit 0"), output
    received = report_json("--data", small)["received"]["entries"]
    assert [(e["amount"], e["chf"]) for e in received][1] == ("2000.25", "3001")
    assert (received[0]["amount"], received[0]["rate"]) == ("1000.50", "1.5")
    expected = (Decimal("1000.50") * Decimal("1.5")).quantize(Decimal(1), "ROUND_HALF_UP") + 3001
    assert report_json("--data", small)["totals"]["received"] == str(expected)


@pytest.mark.parametrize(
    ("amount", "options", "words"),
    [
        ("1,000", (), "is ambiguous: the ',' could group thousands (1000) or be a decimal comma"),
        ("1 00.5", (), "thousands grouped in threes"),
        ("1'000 000", (), "thousands grouped in threes"),
        ("1 000,50", (), "import with --decimal-comma"),
        ("1.000,50", ("--decimal-comma",), "with --decimal-comma the decimal sign is ','"),
        ("1000.5", ("--decimal-comma",), "with --decimal-comma the decimal sign is ','"),
    ],
)
def test_an_amount_written_no_known_way_names_its_line_and_what_is_expected(
    run: Run, small: Path, amount: str, options: tuple[str, ...], words: str
) -> None:
    rows = (
        "type;donor;amount;currency;date\n"
        "receipt;sweden;10;CHF;2005-01-01\n"
        f'receipt;sweden;"{amount}";KWD;2005-01-02\n'
        "receipt;nobody;10;CHF;2005-01-03\n"
    )
    before = ledger_files(small)
    output = import_bytes(run, small, rows.encode(), *options)
    assert output.startswith("exit 1")
    lines = output.splitlines()
    [bad] = [line for line in lines if line.startswith("rows.csv:3:")]
    assert bad.startswith("rows.csv:3: amount: ") and words in bad
    assert any(line.startswith("rows.csv:4: unknown donor 'nobody'") for line in lines)
    assert ledger_files(small) == before


def test_a_semicolon_file_read_with_commas_says_the_separator_looks_like_semicolon(
    run: Run, small: Path
) -> None:
    output = import_bytes(run, small, SWISS.encode(), "--separator", ",")
    assert output.startswith("exit 1")
    assert "rows.csv:1: unknown column 'type;donor;amount;currency;chf;date;reference'" in output
    assert "the separator looks like ';', not ','" in output


def test_a_row_written_with_another_separator_says_so(run: Run, small: Path) -> None:
    rows = "type,donor,amount,currency\nreceipt,sweden,10,CHF\nreceipt;sweden;20;CHF\n"
    output = import_bytes(run, small, rows.encode())
    assert output.startswith("exit 1")
    assert (
        "rows.csv:3: the row has 1 cells; the header has 4; the separator looks like ';', not ','"
        in output
    )


def test_strict_reading_stays_with_a_semicolon(run: Run, small: Path) -> None:
    rows = 'type;donor;amount;currency\nreceipt;sweden;1;CHF\nreceipt;"sweden;2;CHF\nreceipt;sweden;3;CHF\n'
    output = import_bytes(run, small, rows.encode())
    assert output.startswith("exit 1")
    assert (
        "rows.csv:3: the CSV cannot be read: a quote opened in this row is never closed" in output
    )


def test_a_file_in_no_known_encoding_names_its_line(run: Run, small: Path) -> None:
    rows = b"type,donor,amount,currency\nreceipt,sweden,10,CHF\nreceipt,\x81\x8d,10,CHF\n"
    output = import_bytes(run, small, rows)
    assert output.startswith("exit 1")
    assert "rows.csv:3: the file is neither UTF-8 nor Windows-1252 text (byte 0x81)" in output


def test_type_in_any_case(run: Run, small: Path, report_json: ReportJson) -> None:
    rows = (
        "type,donor,amount,currency,date,reference\n"
        "Receipt,sweden,10,CHF,2005-01-01,A\n"
        "RECEIPT,sweden,11,CHF,2005-01-01,B\n"
        " pledge ,sweden,12,CHF,2005-01-01,C\n"
        "Gift,sweden,13,CHF,2005-01-01,D\n"
    )
    output = import_bytes(run, small, rows.encode())
    assert "rows.csv:5: type: 'Gift' is not pledge, receipt or expenditure" in output
    output = import_bytes(run, small, rows.rsplit("Gift", 1)[0].encode())
    assert output.startswith("exit 0"), output
    assert [e["amount"] for e in report_json("--data", small)["received"]["entries"]] == [
        "10",
        "11",
    ]
    assert [e["amount"] for e in report_json("--data", small)["pledged"]["entries"]] == ["12"]


# --- Excel workbooks --------------------------------------------------------------


def workbook(
    path: Path, rows: list[list[object]], sheet: str = "Dons", first: str | None = None
) -> Path:
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    if first is None:
        cover.title = sheet
        target = cover
    else:
        cover.title = first
        cover.append(["nothing here"])
        target = book.create_sheet(sheet)
    for row in rows:
        target.append(row)
    book.save(path)
    return path


XLSX_ROWS: list[list[object]] = [
    ["Type", "Donor", "Amount", "Currency", "Rate", "CHF", "Date", "Reference"],
    ["Pledge", "japan", 1000000, "JPY", 0.0115, None, dt.datetime(2005, 2, 1), "J-1"],
    ["receipt", "Suède", 1000.1, "EUR", 1.55, 1550.0, dt.date(2005, 2, 2), 12345],
    [],
    ["receipt", "sweden", 12.3, "EUR", None, 18, dt.datetime(2005, 2, 3), "S-1"],
]


def test_an_xlsx_file_is_read_with_numbers_as_excel_showed_them(
    run: Run, small: Path, tmp_path: Path, report_json: ReportJson
) -> None:
    path = workbook(tmp_path / "dons.xlsx", XLSX_ROWS)
    result = run("import", "--data", small, path, "--add-donors")
    assert result.exit_code == 0, result.output
    received = report_json("--data", small)["received"]["entries"]
    assert [(e["donor_id"], e["amount"], e["date"], e["chf"]) for e in received] == [
        ("suede", "1000.1", "2005-02-02", "1550"),
        ("sweden", "12.3", "2005-02-03", "18"),
    ]
    # The reference 12345 (a number in Excel) identifies the row: a second import adds nothing.
    again = run("import", "--data", small, path, "--add-donors")
    assert "0 rows added, 3 already in the ledger" in again.output
    [pledge] = report_json("--data", small)["pledged"]["entries"]
    assert (pledge["amount"], pledge["rate"], pledge["date"]) == ("1000000", "0.0115", "2005-02-01")
    assert report_json("--data", small)["totals"]["received"] == str(1550 + 18)


def test_a_named_sheet_is_read_and_a_missing_one_named(
    run: Run, small: Path, tmp_path: Path, report_json: ReportJson
) -> None:
    path = workbook(tmp_path / "dons.xlsx", XLSX_ROWS, sheet="2005", first="Notes")
    first = run("import", "--data", small, path, "--add-donors", "--dry-run")
    assert first.exit_code == 1 and "dons.xlsx:1: unknown column 'nothing here'" in first.output
    missing = run("import", "--data", small, path, "--sheet", "2006")
    assert missing.exit_code == 1
    assert (
        "dons.xlsx: the workbook has no sheet '2006'; its sheets are 'Notes', '2005'"
        in missing.output
    )
    chosen = run("import", "--data", small, path, "--sheet", "2005", "--add-donors")
    assert chosen.exit_code == 0, chosen.output
    assert len(report_json("--data", small)["received"]["entries"]) == 2


def test_a_bad_cell_of_a_workbook_names_its_row(run: Run, small: Path, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        *XLSX_ROWS,
        ["receipt", "sweden", 10.555, "EUR", None, 18, dt.date(2005, 2, 4), "S-2"],
    ]
    path = workbook(tmp_path / "dons.xlsx", rows)
    result = run("import", "--data", small, path, "--add-donors")
    assert result.exit_code == 1
    assert "dons.xlsx:6: amount: EUR amounts have at most 2 decimals; 10.555 has 3" in result.output


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1, "0.1"),
        (1000.0, "1000"),
        (1e-05, "0.00001"),
        (0.1 + 0.2, "0.30000000000000004"),  # what the float is: refused, never rounded
        (dt.datetime(2005, 1, 2), "2005-01-02"),
        (7, "7"),
        ("  x ", "x"),
        (None, None),
    ],
)
def test_workbook_cells_become_the_text_they_show(value: object, text: str | None) -> None:
    assert cell_text(value) == text


# --- large imports --------------------------------------------------------------


def many_rows(count: int) -> tuple[str, dict[tuple[str, str], Decimal]]:
    lines = ["type,donor,amount,currency,chf,date,reference"]
    sums: dict[tuple[str, str], Decimal] = {}
    for n in range(count):
        kind, currency = ("pledge", "CHF") if n % 3 == 0 else ("receipt", "EUR")
        amount = Decimal(100 + n) + (Decimal("0.25") if currency == "EUR" else 0)
        chf = "" if currency == "CHF" else str(200 + n)
        lines.append(f"{kind},sweden,{amount},{currency},{chf},2005-01-01,R-{n}")
        sums[(kind, currency)] = sums.get((kind, currency), Decimal(0)) + amount
    return "\n".join(lines) + "\n", sums


def test_more_than_50_rows_are_summed_up_by_type_and_currency(run: Run, small: Path) -> None:
    text, sums = many_rows(60)
    output = import_bytes(run, small, text.encode())
    assert output.startswith("exit 0"), output
    lines = output.splitlines()
    assert len(lines) < 10 and not any("R-1" in line for line in lines)
    pledge = next(line for line in lines if line.startswith("pledge"))
    receipt = next(line for line in lines if line.startswith("receipt"))
    assert pledge.split()[:3] == ["pledge", "CHF", "20"]
    assert f"{sums[('pledge', 'CHF')]:,f}".replace(",", " ") + " CHF" in pledge
    assert receipt.split()[:3] == ["receipt", "EUR", "40"]
    assert f"{sums[('receipt', 'EUR')]:,f}".replace(",", " ") + " EUR" in receipt
    assert lines[-1].startswith("60 rows added, 0 already in the ledger; wrote ")
    again = import_bytes(run, small, text.encode())
    assert re.search(r"^pledge +CHF +0 +0 CHF +20 ", again, re.M), again
    assert "0 rows added, 60 already in the ledger" in again


def test_verbose_and_json_list_every_row(run: Run, small: Path) -> None:
    text, _ = many_rows(60)
    verbose = import_bytes(run, small, text.encode(), "--dry-run", "--verbose")
    assert sum(" would add " in line for line in verbose.splitlines()) == 60
    as_json = import_bytes(run, small, text.encode(), "--dry-run", "--format", "json")
    assert len(json.loads(as_json.split("\n", 1)[1])["rows"]) == 60


def test_progress_shows_on_a_terminal_and_never_on_a_pipe(small: Path, tmp_path: Path) -> None:
    text, _ = many_rows(60)
    (tmp_path / "rows.csv").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "wsis_ledger", "import", "--data", str(small)]
    command += [str(tmp_path / "rows.csv"), "--dry-run"]
    env = {**os.environ, "WSIS_LEDGER_NO_CACHE": "1"}
    piped = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert piped.returncode == 0, piped.stderr
    assert "checking" not in piped.stderr and "reading" not in piped.stderr
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=terminal, env=env)
    os.close(terminal)
    stdout, _ = process.communicate(timeout=120)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert process.returncode == 0
    assert b"checking" in shown and b"reading" in shown
    assert b"checking" not in stdout and b"60 rows would be added" in stdout
