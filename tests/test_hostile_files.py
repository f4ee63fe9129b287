"""Hostile folders and files: nothing below the ledger is passed over in silence,
nothing is written outside it, and every message is one short line."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import ANNEX, Run

from wsis_ledger.source import discovery


def totals(run: Run, root: Path) -> dict[str, str]:
    result = run("report", "--data", root, "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    return {k: str(v) for k, v in json.loads(result.output)["totals"].items()}


def check_lines(run: Run, root: Path) -> list[str]:
    """The problem lines of `check`, after asserting it exits 1 without a traceback."""
    result = run("check", "--data", root, "--no-cache")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()[:-1]


# --- 7: every file below the ledger folder is read or named -------------------


def test_a_linked_folder_is_read(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    expected = totals(run, ledger_dir)
    elsewhere = tmp_path / "statements"
    elsewhere.mkdir()
    shutil.move(ledger_dir / ANNEX, elsewhere / ANNEX)
    (ledger_dir / "statements").symlink_to(elsewhere, target_is_directory=True)
    assert totals(run, ledger_dir) == expected


def test_a_link_loop_is_named_not_followed(run: Run, ledger_dir: Path) -> None:
    (ledger_dir / "journal").mkdir()
    (ledger_dir / "journal" / "back").symlink_to(ledger_dir, target_is_directory=True)
    [line] = check_lines(run, ledger_dir)
    assert line.startswith("ledger/journal/back: this folder leads back to")
    assert "loop" in line


def test_two_links_to_one_folder_are_named_not_counted_twice(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "statements"
    elsewhere.mkdir()
    shutil.move(ledger_dir / ANNEX, elsewhere / ANNEX)
    (ledger_dir / "a").symlink_to(elsewhere, target_is_directory=True)
    (ledger_dir / "b").symlink_to(elsewhere, target_is_directory=True)
    [line] = check_lines(run, ledger_dir)
    assert line.startswith("ledger/b: this folder is ledger/a again")


def test_a_link_that_leads_nowhere_is_named(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    (ledger_dir / "statements").symlink_to(tmp_path / "gone", target_is_directory=True)
    [line] = check_lines(run, ledger_dir)
    assert line.startswith("ledger/statements: this is a link to ")
    assert "leads nowhere" in line


def test_a_folder_that_cannot_be_listed_is_a_problem(
    run: Run, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hidden = ledger_dir / "statements"
    hidden.mkdir()
    shutil.move(ledger_dir / ANNEX, hidden / ANNEX)
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        if Path(path) == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    [line] = check_lines(run, ledger_dir)
    assert line.startswith("ledger/statements: this folder cannot be read (Permission denied)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_a_folder_without_permissions_is_a_problem(run: Run, ledger_dir: Path) -> None:
    hidden = ledger_dir / "statements"
    hidden.mkdir()
    shutil.move(ledger_dir / ANNEX, hidden / ANNEX)
    hidden.chmod(0)
    try:
        [line] = check_lines(run, ledger_dir)
    finally:
        hidden.chmod(0o755)
    assert "this folder cannot be read" in line


@pytest.mark.parametrize("name", ["ANNEX.YAML", "annex.YML", "annex.Yaml", "annex.yml"])
def test_upper_case_and_short_extensions_are_read(run: Run, ledger_dir: Path, name: str) -> None:
    expected = totals(run, ledger_dir)
    (ledger_dir / ANNEX).rename(ledger_dir / name)
    assert totals(run, ledger_dir) == expected


def test_the_scan_names_no_problem_for_a_plain_ledger(ledger_dir: Path) -> None:
    found = discovery.scan(ledger_dir)
    assert found.problems == []
    assert [p.name for p in found.files] == ["ledger.yaml", ANNEX, "donors.yaml"]
