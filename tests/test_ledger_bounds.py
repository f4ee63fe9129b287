"""A ledger's files are bounded in all, not only one by one: the bytes read, the files
and the folders listed. Past a bound the rest is not read, and the ledger has a
`ledger-too-large` problem (exit 1, one line, no traceback), never an unbounded read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.api import shipped_ledger
from wsis_ledger.source import discovery, snapshot


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """The shipped ledger, and three more files of entries in folders of their own."""
    root = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), root)
    for n in range(3):
        folder = root / f"part-{n}"
        folder.mkdir()
        (folder / "notes.yaml").write_text(
            f"# part {n}\nreceived:\n" if n else "received:\n", encoding="utf-8"
        )
    return root


def told(run: Run, root: Path) -> str:
    result = run("check", "--data", root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "ledger-too-large" in run("check", "--data", root, "--format", "json").stdout
    return result.output


def test_the_ledger_as_it_is_is_within_every_bound(ledger: Path, run: Run) -> None:
    assert run("check", "--data", ledger).exit_code == 0


def test_bytes_read_in_all_are_bounded(
    ledger: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = discovery.ledger_files(ledger)
    within = sum(p.stat().st_size for p in files[:2])  # the first two files, not the third
    monkeypatch.setattr(snapshot, "MAX_LEDGER_BYTES", within + 1)
    output = told(run, ledger)
    limit = f"{within + 1:,}".replace(",", " ")
    assert f"{files[2].name}: the ledger's files come to more than the {limit} bytes" in output


def test_files_listed_are_bounded(ledger: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "MAX_LEDGER_FILES", 3)
    output = told(run, ledger)
    assert "more than 3 files" in output, output


def test_folders_listed_are_bounded(
    ledger: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discovery, "MAX_LEDGER_FOLDERS", 2)
    output = told(run, ledger)
    assert "or 2 folders" in output, output
    assert len(discovery.scan(ledger).folders) == 2  # the rest not listed
