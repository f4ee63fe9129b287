"""One problem per cause: an unreadable value is reported once, where it is written,
and what depends on it (the entries naming its statement, a payment naming its
pledge, the statement's printed totals) is not reported again."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ANNEX, Run, edit


def problems(run: Run, root: Path) -> list[str]:
    result = run("check", "--no-cache", "--data", root)
    assert result.exit_code == 1
    *lines, summary = result.output.strip().splitlines()
    assert summary.startswith(f"{len(lines)} problem")
    return lines


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (r"^  as_of: 2002-12-20$", "  as_of: 2002-13-20", "is not a real date"),
        (r"^    chf: 796835$", "    chf: 796835x", "is not a plain number"),
        (r"^    chf: 354450$", "    chf: -354450", "chf"),
        (r"^  - id: p02$", "  - id: p02\n    amont: 1", "unknown field 'amont'"),
        (r"^    received: 2243419 .*$", "    received: lots", "received"),
    ],
)
def test_one_bad_value_in_a_statement_file_is_one_problem(
    run: Run, ledger_dir: Path, old: str, new: str, said: str
) -> None:
    edit(ledger_dir / ANNEX, old, new)
    [line] = problems(run, ledger_dir)
    assert line.startswith(f"ledger/{ANNEX}:") and said in line


def test_an_unreadable_pledge_is_not_reported_again_by_its_payment(
    run: Run, ledger_dir: Path
) -> None:
    assert (
        run(
            "receive", "p05", "--amount", "1000", "--date", "2003-02-01", "--data", ledger_dir
        ).exit_code
        == 0
    )
    edit(ledger_dir / ANNEX, r"^  - id: p05$", "  - id: p05\n    date: someday")
    [line] = problems(run, ledger_dir)
    assert "someday" in line


def test_an_unreadable_donor_is_not_reported_again_by_its_entries(
    run: Run, ledger_dir: Path
) -> None:
    edit(ledger_dir / "donors.yaml", r"^  - id: japan$", "  - id: japan\n    colour: red")
    [line] = problems(run, ledger_dir)
    assert line.startswith("ledger/donors.yaml:") and "colour" in line


def test_a_reference_to_a_record_that_was_never_there_is_still_reported(
    run: Run, ledger_dir: Path
) -> None:
    edit(ledger_dir / ANNEX, r"^    donor: malta$", "    donor: malte")
    [line] = problems(run, ledger_dir)
    assert "there is no donor 'malte'" in line
