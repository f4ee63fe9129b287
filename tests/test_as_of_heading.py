"""A report is the report as of the day it is headed with: whatever kind of record
carries the latest day (a reassignment, a facility granted, a cancellation...), the
report without `--as-of` and the report `--as-of` its own heading's day are one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from wsis_ledger.api import shipped_ledger

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Each write dates its record after everything else in the ledger.
WRITES = {
    "reassignment": [
        "reassign",
        "r12",
        "--purpose",
        "core/fellowships",
        "--note",
        "agreed",
        "--date",
        "2004-05-01",
    ],
    "cancellation": ["cancel", "p02", "--date", "2004-05-01", "--note", "withdrawn"],
    "facility": [
        "loan",
        "facility",
        "add",
        "lf-2",
        "--lender",
        "itu-telecom",
        "--ceiling",
        "1000000",
        "--date",
        "2004-05-01",
    ],
}


def report(run: Run, *args: str | Path) -> dict[str, Any]:
    result = run("report", "--format", "json", *args)
    assert result.exit_code in (0, 3), result.output
    document: dict[str, Any] = json.loads(result.stdout)
    document.pop("generated", None)
    return document


@pytest.mark.parametrize("kind", WRITES)
def test_the_report_is_the_report_as_of_its_heading(tmp_path: Path, run: Run, kind: str) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), ledger)
    written = run(*WRITES[kind], "--data", ledger)
    assert written.exit_code == 0, written.output
    whole = report(run, "--data", ledger)
    assert whole["as_of"] == "2004-05-01", whole["as_of"]
    assert report(run, "--data", ledger, "--as-of", whole["as_of"]) == whole
