"""`export --format csv` for Excel set for French or Swiss conventions: `--separator ';'`
and `--bom`; the same rows as the plain CSV, and the help says XLSX is Excel's format."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import ReportJson, Run

BOM = b"\xef\xbb\xbf"


def rows(data: bytes, separator: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))


def test_a_semicolon_csv_with_a_bom_has_the_rows_of_the_plain_one(
    run: Run, ledger_dir: Path, report_json: ReportJson
) -> None:
    # A donor's name with the separator in it must stay one cell.
    donors = ledger_dir / "donors.yaml"
    donors.write_text(
        donors.read_text(encoding="utf-8").replace("Government of Sweden", "Sweden; SIDA"),
        encoding="utf-8",
    )
    plain = run("export", "--format", "csv", "--data", ledger_dir)
    semi = run("export", "--format", "csv", "--separator", ";", "--bom", "--data", ledger_dir)
    assert plain.exit_code == semi.exit_code == 0, semi.output
    assert semi.stdout_bytes.startswith(BOM) and not plain.stdout_bytes.startswith(BOM)
    assert b";" in semi.stdout_bytes.splitlines()[0]
    assert rows(semi.stdout_bytes, ";") == rows(plain.stdout_bytes, ",")
    table = rows(semi.stdout_bytes, ";")
    header = table[0]
    named = [dict(zip(header, row, strict=True)) for row in table[1:]]
    assert any(row.get("donor") == "Sweden; SIDA" for row in named)
    received = sum(int(row["chf"]) for row in named if row["section"] == "received")
    assert str(received) == report_json("--data", ledger_dir)["totals"]["received"]


def test_a_tab_separated_csv_to_a_file(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "annex.csv"
    result = run("export", "--separator", "tab", "-o", out, "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    plain = run("export", "--format", "csv", "--data", ledger_dir).stdout_bytes
    assert rows(out.read_bytes(), "\t") == rows(plain, ",")


def test_the_options_are_for_csv_and_the_help_names_xlsx_for_excel(run: Run) -> None:
    refused = run("export", "--format", "ledger", "--bom")
    assert refused.exit_code == 2 and "--separator and --bom are for --format csv" in refused.output
    text = run("export", "--help").output
    assert "For Excel, XLSX is the format" in text and "--separator ';' --bom" in text
