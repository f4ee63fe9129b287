"""The same names mean the same thing in every command: `-o/--output`, `--format table`,
`--as-of` (with `--on` kept as an alias); `donor` and `pledges` tables read as `report`."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from conftest import ANNEX, Run

from wsis_ledger.source.discovery import shipped_ledger

EXAMPLE = Path(__file__).parent.parent / "examples" / "fund"
DOCUMENTS = [
    ("donor", "sdc"),
    ("donor", "japan", "--format", "csv"),
    ("pledges",),
    ("pledges", "--format", "json"),
    ("loan", "status"),
    ("budget", "--data", str(EXAMPLE)),
    ("statements",),
    ("rates", "list", "--format", "csv"),
    ("rates", "check", "--source", "ecb-offline"),
    ("convert", "500", "USD", "--rate", "1.5"),
]


@pytest.mark.parametrize("args", DOCUMENTS, ids=" ".join)
def test_output_writes_what_the_command_prints(run: Run, tmp_path: Path, args: tuple[str]) -> None:
    printed = run(*args)
    assert printed.exit_code == 0, printed.output
    target = tmp_path / "out" / "document.txt"
    target.parent.mkdir()
    written = run(*args, "-o", target)
    assert written.exit_code == 0, written.output
    assert target.read_text(encoding="utf-8") == printed.stdout
    assert written.stdout == ""  # nothing else on standard output
    assert run(*args, "--output", "-").stdout == printed.stdout


@pytest.mark.parametrize("args", [d for d in DOCUMENTS if "--data" not in d], ids=" ".join)
def test_output_is_never_written_inside_the_ledger(
    run: Run, ledger_dir: Path, args: tuple[str]
) -> None:
    annex = ledger_dir / ANNEX
    before = annex.read_bytes()
    result = run(*args, "--data", ledger_dir, "-o", annex)
    assert result.exit_code == 1
    assert "inside the ledger folder" in result.output
    assert annex.read_bytes() == before


def test_output_keeps_the_files_permissions(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "pledges.csv"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o640)
    assert run("pledges", "--format", "csv", "-o", target).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8").startswith("id,donor,")


def test_output_is_written_when_rates_check_strict_fails(run: Run, tmp_path: Path) -> None:
    import shutil

    from conftest import edit

    fund = tmp_path / "fund"
    shutil.copytree(EXAMPLE, fund)
    edit(fund / "2024.yaml", r"rate: 0\.88\b", "rate: 1.88")
    target = tmp_path / "flagged.txt"
    args = ("rates", "check", "--source", "ecb-offline", "--strict", "--data", fund)
    printed = run(*args)
    result = run(*args, "-o", target)
    assert printed.exit_code == result.exit_code == 3
    assert target.read_text(encoding="utf-8") == printed.stdout


@pytest.mark.parametrize("fmt", ["table", "text"])
def test_convert_format_table_and_its_alias_text(run: Run, fmt: str) -> None:
    result = run("convert", "255000", "USD", "--rate", "1.39", "--format", fmt)
    assert (result.exit_code, result.output) == (0, "354450 CHF\n")
    assert run("convert", "255000", "USD", "--rate", "1.39").output == result.output


def test_pledges_on_is_as_of(run: Run) -> None:
    by_as_of = json.loads(run("pledges", "--format", "json", "--as-of", "2003-12-31").stdout)
    by_on = json.loads(run("pledges", "--format", "json", "--on", "2003-12-31").stdout)
    assert by_on == by_as_of
    assert by_on["aged_to"] == "2003-12-31"
    assert {p["age_days"] for p in by_on["pledges"]} == {376}


def test_pledges_before_the_statement_are_not_counted(run: Run) -> None:
    # --on used to age the ledger's pledges to a date before they were known
    early = json.loads(run("pledges", "--format", "json", "--on", "2002-01-01").stdout)
    assert early["pledges"] == []
    assert early["aged_to"] == "2002-01-01"


def test_statements_as_of(run: Run) -> None:
    now = json.loads(run("statements", "--format", "json").stdout)["statements"]
    assert [s["id"] for s in now] == ["annex-2002-12-20"]
    before = json.loads(run("statements", "--format", "json", "--as-of", "2002-01-01").stdout)
    assert before["statements"] == []


def test_donor_table_reads_as_report(run: Run) -> None:
    table = run("donor", "japan").stdout
    header = next(line for line in table.splitlines() if line.startswith("Kind"))
    assert header.split()[:5] == ["Kind", "Id", "Date", "Amount", "Currency"]
    assert "62 691 030" in table and "796 835" in table  # grouped, as in the report
    zh = run("donor", "japan", "--lang", "zh").stdout
    assert "日本政府" in zh and "瑞士法郎" in zh and "金额" in zh
    assert "796 835 瑞士法郎" in zh
    assert "Kind" not in zh


def test_pledges_table_reads_as_report(run: Run) -> None:
    table = run("pledges").stdout
    assert "Outstanding (CHF)" in table and "Age band" in table
    assert "1 194 000" in table and "3 030 450" in table
    zh = run("pledges", "--lang", "zh").stdout
    assert "未付（瑞士法郎）" in zh and "加拿大政府" in zh and "账龄段" in zh
    markdown = run("pledges", "--format", "markdown").stdout
    assert markdown.startswith("| Id ")


@pytest.mark.parametrize("command", [("donor", "japan"), ("pledges",)])
def test_csv_and_json_keep_their_field_names_and_plain_digits(
    run: Run, command: tuple[str, ...]
) -> None:
    for lang in ("en", "zh"):
        printed = run(*command, "--format", "csv", "--lang", lang).stdout
        rows = list(csv.DictReader(io.StringIO(printed)))
        assert "chf" in rows[0] and " " not in rows[0]["chf"]
        document = json.loads(run(*command, "--format", "json", "--lang", lang).stdout)
        key = "rows" if command[0] == "donor" else "pledges"
        assert all(" " not in (r.get("chf") or "") for r in document[key])


def test_the_shipped_ledger_is_the_default(run: Run) -> None:
    assert shipped_ledger().is_dir()
    assert run("pledges", "--format", "csv").exit_code == 0


def test_zh_tables_say_their_words_in_chinese_csv_keeps_english(run: Run) -> None:
    zh = run("pledges", "--lang", "zh").stdout
    # The annex's pledges have no date: their band is not stated (it was "up to 90 days",
    # trial finding 10); the bands' table still lists every band in Chinese.
    assert "未付" in zh and "90天以内" in zh and "账龄未说明" in zh and "合计" in zh
    assert " open " not in zh and "up to 90 days" not in zh and "age not stated" not in zh
    rows = list(
        csv.DictReader(io.StringIO(run("pledges", "--format", "csv", "--lang", "zh").stdout))
    )
    assert {r["status"] for r in rows} == {"open"}
    assert {r["age_band"] for r in rows} == {"age not stated"}
    donor = run("donor", "japan", "--lang", "zh").stdout
    assert "收到捐款  r01" in donor and "借调      s03" in donor


@pytest.mark.parametrize(
    ("args", "headings"),
    [
        (("loan", "status"), ["Up to (CHF)", "Drawn (CHF)", "Repaid (CHF)", "Outstanding (CHF)"]),
        (("budget", "--data", str(EXAMPLE)), ["Budget (CHF)", "Remaining (CHF)", "Used (%)"]),
        (("statements",), ["Printed (CHF)", "Rows add up to (CHF)"]),
        (("rates", "list"), ["Rate (CHF per unit)", "Used by"]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_other_tables_head_their_amounts_with_chf(
    run: Run, args: tuple[str, ...], headings: list[str]
) -> None:
    header = run(*args).stdout.splitlines()[0]
    for heading in headings:
        assert heading in header
    fields = run(*args, "--format", "csv").stdout if args[0] != "statements" else ""
    assert "(CHF)" not in fields  # CSV keeps its field names


def test_budget_table_groups_its_amounts(run: Run) -> None:
    table = run("budget", "--data", EXAMPLE).stdout
    assert "300 000" in table and "40 090" in table
    rows = list(
        csv.DictReader(io.StringIO(run("budget", "--data", EXAMPLE, "--format", "csv").stdout))
    )
    assert rows[0]["budget"] == "300000"


def test_check_writes_its_report_with_output(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    from conftest import edit

    target = tmp_path / "check.json"
    assert run("check", "--format", "json", "-o", target).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["ok"] is True
    edit(ledger_dir / ANNEX, r"amount: 62691030", "amount: -5")
    printed = run("check", "--data", ledger_dir, "--no-cache")
    text = tmp_path / "check.txt"  # -o check.json would take the format from its name
    failed = run("check", "--data", ledger_dir, "--no-cache", "-o", text)
    assert printed.exit_code == failed.exit_code == 1
    assert text.read_text(encoding="utf-8") == printed.stdout  # written, also on exit 1
    refused = run("check", "--data", ledger_dir, "-o", ledger_dir / "out.txt")
    assert refused.exit_code == 1 and not (ledger_dir / "out.txt").exists()


def test_rates_check_table_is_headed_and_says_what_it_compared_with(
    run: Run, tmp_path: Path
) -> None:
    import shutil

    from conftest import edit

    fund = tmp_path / "fund"
    shutil.copytree(EXAMPLE, fund)
    edit(fund / "2024.yaml", r"rate: 0\.88\b", "rate: 1.88")
    out = run("rates", "check", "--source", "ecb-offline", "--data", fund).stdout
    header = out.splitlines()[0]
    assert "Reference rate (CHF per unit)" in header and "Difference (CHF)" in header
    assert "188 000" in out
    assert "r2: compared with the reference rate on 2024-02-01" in out
