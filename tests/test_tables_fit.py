"""Every table fits an 80-column terminal, as `report` does; `--wide` and pipes get every
column; `-o FILE` takes its format from the extension (issue 24)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import Run
from wcwidth import wcswidth

from wsis_ledger.commands import options

EXAMPLE = Path(__file__).parent.parent / "examples" / "fund"


def widest(text: str) -> int:
    return max((max(wcswidth(line), len(line)) for line in text.splitlines()), default=0)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "fund"
    shutil.copytree(EXAMPLE, target)
    return target


def ledgers(ledger_dir: Path, example: Path) -> dict[str, Path]:
    return {"shipped": ledger_dir, "example": example}


COMMANDS = [
    ("shipped", ["pledges"]),
    ("shipped", ["pledges", "--lang", "zh"]),
    ("shipped", ["pledges", "--revalue", "2003-06-30"]),
    ("shipped", ["rates", "check"]),
    ("shipped", ["rates", "check", "--all"]),
    ("shipped", ["rates", "list"]),
    ("shipped", ["statements"]),
    ("shipped", ["donor", "switzerland"]),
    ("shipped", ["donor", "itu", "--lang", "zh"]),
    ("example", ["budget"]),
    ("example", ["loan", "status"]),
    ("example", ["pledges"]),
    ("example", ["statements"]),
]


@pytest.mark.parametrize(("which", "args"), COMMANDS)
def test_a_table_on_an_80_column_terminal_fits_it(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    ledger_dir: Path,
    example: Path,
    which: str,
    args: list[str],
) -> None:
    root = ledgers(ledger_dir, example)[which]
    piped = run(*args, "--data", root)
    assert piped.exit_code == 0, piped.output
    monkeypatch.setattr(options, "terminal_width", lambda: 80)
    fitted = run(*args, "--data", root)
    assert fitted.exit_code == 0, fitted.output
    assert widest(fitted.output) <= 80, fitted.output
    # Every figure of the table is still there, or its column is named as left out.
    wide = run(*args, "--data", root, "--wide")
    assert wide.output == piped.output  # --wide, a pipe, a file: every column, unchanged
    if widest(piped.output) > 80:
        assert "(not shown, to fit 80 columns: " in fitted.output or fitted.output != piped.output


def test_an_import_table_fits_the_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch, example: Path
) -> None:
    rows = example.parent / "rows.csv"
    rows.write_text(
        "type,donor,amount,currency,date,purpose,reference\n"
        "receipt,Government of Ruritania,50000,CHF,2025-01-01,meetings,REF-2025-00001\n",
        encoding="utf-8",
    )
    args = ("import", "--data", example, rows, "--dry-run", "--add-donors")
    piped = run(*args)
    assert piped.exit_code == 0, piped.output
    monkeypatch.setattr(options, "terminal_width", lambda: 80)
    fitted = run(*args)
    assert widest(fitted.output) <= 80 < widest(piped.output)
    assert "(not shown, to fit 80 columns: Pledge, Reference" in fitted.output
    assert run(*args, "--wide").output == piped.output
    for fmt in ("markdown", "csv"):
        assert run(*args, "--format", fmt).exit_code == 0


def test_by_purpose_shows_its_levels(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "ledger.yaml").write_text(
        "fund: {id: t, name: T}\n"
        "donors:\n  - {id: a, name: A, kind: government}\n"
        "received:\n"
        "  - {id: r1, donor: a, amount: 100000, currency: CHF, date: 2005-01-01, purpose: core}\n"
        "  - {id: r2, donor: a, amount: 40500, currency: CHF, date: 2005-01-01,"
        " purpose: core/meetings}\n",
        encoding="utf-8",
    )
    table = run("report", "--data", root).output
    assert "\ncore " in table and "\n  meetings " in table
    markdown = run("report", "--data", root, "--format", "markdown").output
    assert "| core " in markdown and "| \u00a0\u00a0meetings " in markdown


@pytest.mark.parametrize(
    ("args", "name", "fmt"),
    [
        (["pledges"], "p.csv", "csv"),
        (["pledges"], "p.json", "json"),
        (["pledges"], "p.md", "markdown"),
        (["report"], "r.html", "html"),
        (["report"], "r.json", "json"),
        (["loan", "status"], "l.csv", "csv"),
    ],
)
def test_the_output_file_s_extension_names_the_format(
    run: Run, ledger_dir: Path, tmp_path: Path, args: list[str], name: str, fmt: str
) -> None:
    by_extension, given = tmp_path / name, tmp_path / f"given-{name}"
    assert run(*args, "--data", ledger_dir, "-o", by_extension).exit_code == 0
    assert run(*args, "--data", ledger_dir, "--format", fmt, "-o", given).exit_code == 0
    assert by_extension.read_bytes() == given.read_bytes()
    if fmt == "json":
        json.loads(by_extension.read_text(encoding="utf-8"))


def test_an_extension_of_a_format_the_command_does_not_write_is_refused(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    result = run("pledges", "--data", ledger_dir, "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 2
    assert ".xlsx names the format xlsx, which this command does not write" in result.output
    assert not (tmp_path / "p.xlsx").exists()
    exported = run("export", "--data", ledger_dir, "-o", tmp_path / "w.beancount")
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "w.beancount").read_text(encoding="utf-8").startswith(";")


@pytest.mark.parametrize("args", [["rates", "check", "--all"], ["statements"]])
@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_markdown_and_csv_on_every_table(
    run: Run, ledger_dir: Path, args: list[str], fmt: str
) -> None:
    result = run(*args, "--data", ledger_dir, "--format", fmt)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("|") if fmt == "markdown" else "," in first
