"""An import prints the printed totals that differ from their rows as its own checks found
them, without reading the ledger a third time; what it prints is what `check` says."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ANNEX, Run, edit

from wsis_ledger import api


def test_an_import_shows_the_differences_its_checks_found(
    run: Run, ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(ledger_dir / ANNEX, r"received: 2243419", "received: 2243420")  # a misprint, kept
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
        "receipt,sweden,1000,CHF,,,2003-02-01,,SE-9\n",
        encoding="utf-8",
    )
    check = run("check", "--no-cache", "--data", ledger_dir)
    assert check.exit_code == 3
    expected = [line for line in check.output.splitlines() if "stated total received" in line]
    assert expected

    def no_second_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the import read the ledger again to show its findings")

    monkeypatch.setattr(api, "stated_differences", no_second_read)
    result = run("import", "--data", ledger_dir, rows)
    assert result.exit_code == 0, result.output
    shown = [line for line in result.stderr.splitlines() if "stated total received" in line]
    assert shown == expected
