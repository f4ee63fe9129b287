"""The fund's position once a ledger lives: payments, cancellations, as-of dates.

The worked example of the README: Canada pays 400 000 CAD of its 1 000 000 CAD
pledge (p02, booked at 1 000 000 CHF) at 0.92, then the European Commission's
pledge (p04) is cancelled. Every figure is computed here from the shipped data
and the amounts recorded, never typed as a result.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ANNEX, ReportJson, Run

import wsis_ledger
from wsis_ledger.source.discovery import shipped_ledger

PAID_CAD, PAID_RATE = Decimal(400000), Decimal("0.92")


def annex(section: str) -> dict[str, dict[str, object]]:
    rows = yaml.safe_load((shipped_ledger() / ANNEX).read_text(encoding="utf-8"))[section]
    return {row["id"]: row for row in rows}


def booked(section: str) -> Decimal:
    return sum((Decimal(str(row["chf"])) for row in annex(section).values()), Decimal(0))


@pytest.fixture
def lived(run: Run, ledger_dir: Path) -> Path:
    """The shipped ledger after the payment and the cancellation of the worked example."""
    paid = run(
        "receive", "p02", "--amount", PAID_CAD, "--rate", PAID_RATE,
        "--date", "2003-03-15", "--data", ledger_dir,
    )  # fmt: skip
    assert paid.exit_code == 0, paid.output
    cancelled = run(
        "cancel", "p04", "--date", "2003-04-01", "--note", "withdrawn", "--data", ledger_dir
    )
    assert cancelled.exit_code == 0, cancelled.output
    return ledger_dir


def test_a_payment_counts_once_and_its_exchange_difference_is_shown(
    run: Run, lived: Path, report_json: ReportJson
) -> None:
    p02, p04 = annex("pledged")["p02"], annex("pledged")["p04"]
    brought = PAID_CAD * PAID_RATE  # 368 000 CHF
    settled = PAID_CAD * Decimal(str(p02["chf"])) / Decimal(str(p02["amount"]))  # at booking
    before_cancel = report_json("--no-cache", "--data", lived, "--as-of", "2003-03-31")["totals"]
    assert Decimal(before_cancel["received"]) == booked("received") + brought
    assert Decimal(before_cancel["pledged"]) == booked("pledged") - settled
    assert Decimal(before_cancel["received_and_pledged"]) == (
        booked("received") + booked("pledged") + brought - settled
    )
    assert Decimal(before_cancel["exchange_difference"]) == brought - settled
    after = report_json("--no-cache", "--data", lived)["totals"]
    assert Decimal(after["pledged"]) == booked("pledged") - settled - Decimal(str(p04["chf"]))
    # Before either happened, the annex's own totals.
    early = report_json("--no-cache", "--data", lived, "--as-of", "2003-03-01")["totals"]
    assert (Decimal(early["received"]), Decimal(early["pledged"])) == (
        booked("received"),
        booked("pledged"),
    )
    assert early["exchange_difference"] == "0"


def test_the_worked_example_gives_the_readmes_figures(
    run: Run, lived: Path, report_json: ReportJson
) -> None:
    """The figures the user guide (docs/guide.md) prints for the worked example (and the issue that asked)."""
    first = report_json("--no-cache", "--data", lived, "--as-of", "2003-03-31")["totals"]
    assert (first["received"], first["pledged"], first["received_and_pledged"]) == (
        "2611419",
        "2630450",
        "5241869",
    )
    assert first["exchange_difference"] == "-32000"
    assert report_json("--no-cache", "--data", lived)["totals"]["pledged"] == "2198450"
    readme = (Path(__file__).parent.parent / "docs" / "guide.md").read_text(encoding="utf-8")
    for figure in ("2 611 419", "2 630 450", "5 241 869", "−32 000", "2 198 450"):
        assert figure in readme, figure


def test_the_statement_is_checked_as_it_was_published(run: Run, lived: Path) -> None:
    result = run("check", "--no-cache", "--data", lived, "--format", "json")
    assert result.exit_code == 0, result.output
    stated = {(s["total"], s["stated"], s["computed"]) for s in json.loads(result.output)["stated"]}
    assert ("pledged", "3030450", "3030450") in stated


def test_every_view_of_the_pledge_agrees(run: Run, lived: Path, report_json: ReportJson) -> None:
    pledges = json.loads(run("pledges", "--data", lived, "--format", "json").output)["pledges"]
    p02 = next(p for p in pledges if p["id"] == "p02")
    p04 = next(p for p in pledges if p["id"] == "p04")
    assert (p02["status"], p02["remaining"], p02["outstanding_chf"]) == (
        "partly paid",
        "600000",
        "600000",
    )
    assert (p04["status"], p04["outstanding_chf"]) == ("cancelled", "0")
    report = report_json("--no-cache", "--data", lived)["totals"]
    assert sum(Decimal(p["outstanding_chf"]) for p in pledges) == Decimal(report["pledged"])
    canada = json.loads(run("donor", "canada", "--data", lived, "--format", "json").output)
    assert canada["totals"]["pledged"] == p02["outstanding_chf"]
    assert canada["totals"]["exchange_difference"] == p02["exchange_difference"]


# --- the library, used as a script would ---------------------------------------------------


def test_the_library_gives_the_position_without_the_commands(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "fund"
    shutil.copytree(shipped_ledger(), root)
    ledger = wsis_ledger.open_ledger(root)
    start = ledger.position()
    assert (start.totals.received, start.totals.pledged) == (booked("received"), booked("pledged"))
    result = wsis_ledger.import_records(
        root,
        [
            {"type": "receipt", "donor": "sweden", "amount": "1000", "currency": "CHF",
             "date": "2003-02-01", "reference": "SE-1"},
        ],
    )  # fmt: skip
    assert result.added == 1 and len(result.written) == 1
    again = wsis_ledger.import_records(
        root,
        [{"type": "receipt", "donor": "sweden", "amount": "1000", "currency": "CHF",
          "date": "2003-02-01", "reference": "SE-1"}],
    )  # fmt: skip
    assert again.added == 0 and again.written == ()
    now = wsis_ledger.open_ledger(root)
    assert now.position().received == booked("received") + 1000
    assert now.position(as_of=date(2003, 1, 31)).received == booked("received")
    assert isinstance(now.position().exchange_difference, Decimal)


def test_a_dry_run_of_the_library_writes_nothing_and_says_so(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "fund"
    shutil.copytree(shipped_ledger(), root)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    row = {"type": "receipt", "donor": "sweden", "amount": "1000", "currency": "CHF",
           "date": "2003-02-01", "reference": "SE-1"}  # fmt: skip
    dry = wsis_ledger.import_records(root, [row], dry_run=True)
    assert dry.added == 1 and dry.written == ()  # nothing was written
    [would] = dry.files  # the file it would write, which is not there
    assert would.parent == root / "imports" and not would.exists()
    # Nothing is left behind in the ledger folder: no file, no lock file.
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert wsis_ledger.open_ledger(root).position().received == booked("received")
    done = wsis_ledger.import_records(root, [row])
    assert done.written == done.files and len(done.written) == 1 and done.written[0].is_file()
    assert done.written[0].name == would.name


def test_a_broken_ledger_raises_with_the_problems_check_prints(run: Run, ledger_dir: Path) -> None:
    (ledger_dir / "bad.yaml").write_text("received:\n  - {id: r01, donor: nobody, chf: 5}\n")
    with pytest.raises(wsis_ledger.LedgerError) as caught:
        wsis_ledger.open_ledger(ledger_dir)
    printed = json.loads(run("check", "--data", ledger_dir, "--format", "json").output)
    assert [p.as_record() for p in caught.value.problems] == printed["problems"]
    with pytest.raises(wsis_ledger.LedgerError):
        wsis_ledger.import_records(ledger_dir, [{"type": "receipt", "donor": "sweden"}])
