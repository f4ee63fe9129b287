"""An output (`-o` of report, export, accounts, check...) never lands in a ledger: not
only the one it was made from (`--data`), but any ledger, found from the folder it
would be written to, however the path reaches it (as written, `..`, a link)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.api import shipped_ledger


def two_ledgers(tmp_path: Path) -> tuple[Path, Path]:
    one, other = tmp_path / "L1", tmp_path / "L2"
    shutil.copytree(shipped_ledger(), one)
    shutil.copytree(shipped_ledger(), other)
    return one, other


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# Each way an output can name a place in the other ledger: a file it reads, a new file
# of a name it would read (a `.yaml` in its folder), a new file of another name.
TARGETS = ["ledger.yaml", "new-entries.yaml", "report.csv", "sub/../donors.yaml"]
COMMANDS = [
    ["report", "--format", "csv"],
    ["export", "--format", "ledger"],
    ["accounts", "--format", "csv"],
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_no_output_lands_in_another_ledger(
    tmp_path: Path, run: Run, command: list[str], target: str
) -> None:
    one, other = two_ledgers(tmp_path)
    (other / "sub").mkdir()
    before = snapshot(other)
    result = run(*command, "--data", one, "-o", other / target)
    assert result.exit_code == 1, result.output
    assert f"inside the ledger {other}" in result.output, result.output
    assert "Traceback" not in result.output
    assert snapshot(other) == before
    assert run("check", "--data", other).exit_code == 0


def test_nor_through_a_link_to_it(tmp_path: Path, run: Run) -> None:
    one, other = two_ledgers(tmp_path)
    link = tmp_path / "shortcut"
    os.symlink(other, link)
    before = snapshot(other)
    result = run("report", "--data", one, "--format", "csv", "-o", link / "ledger.yaml")
    assert result.exit_code == 1 and "inside the ledger" in result.output, result.output
    assert snapshot(other) == before


def test_nor_in_the_ledger_found_by_default(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The ledger a bare command reads (./data) is a ledger too, when another is --data.
    one, _ = two_ledgers(tmp_path)
    work = tmp_path / "work"
    shutil.copytree(shipped_ledger(), work / "data")
    monkeypatch.chdir(work)
    before = snapshot(work / "data")
    result = run("report", "--data", one, "--format", "csv", "-o", "data/donors.yaml")
    assert result.exit_code == 1 and "inside the ledger" in result.output, result.output
    assert snapshot(work / "data") == before


def test_an_output_beside_the_ledgers_is_written(tmp_path: Path, run: Run) -> None:
    # The rule refuses ledgers' folders only: a folder holding ledgers is no ledger.
    one, _ = two_ledgers(tmp_path)
    result = run("report", "--data", one, "--format", "csv", "-o", tmp_path / "report.csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.csv").read_text(encoding="utf-8").strip()
