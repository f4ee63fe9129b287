"""Messages of issue 24: each names what it is about, and says what to do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import Run

EXAMPLE = Path(__file__).parent.parent / "examples" / "fund"


def test_a_tolerance_is_called_a_tolerance(run: Run, ledger_dir: Path) -> None:
    result = run("rates", "check", "--tolerance", "0", "--data", ledger_dir)
    assert result.exit_code == 2
    assert "the tolerance must be more than zero" in result.output
    assert "the rate" not in result.output


def test_convert_names_the_parameter_at_fault(run: Run, ledger_dir: Path) -> None:
    result = run("convert", "1000.505", "USD", "--rate", "1.3", "--data", ledger_dir)
    assert result.exit_code == 2
    assert "Invalid value for AMOUNT: USD amounts have at most 2 decimals" in result.output
    result = run("convert", "1000", "USX", "--rate", "1.3", "--data", ledger_dir)
    assert "Invalid value for CURRENCY" in result.output


def test_a_mistyped_command_is_given_the_closest(run: Run) -> None:
    result = run("reprot")
    assert result.exit_code == 2
    assert "No such command 'reprot'. Did you mean 'report'?" in result.output
    assert "Did you mean" not in run("zzzzzz").output


def test_help_says_required_once_and_keeps_its_examples_whole(run: Run) -> None:
    assert "(required)." not in run("loan", "draw", "--help").output
    reassign = run("reassign", "--help").output
    assert "--date 2003-03-03 \\\n" in reassign


def test_a_drawing_without_a_facility_says_how_to_add_one(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "l"
    root.mkdir()
    (root / "ledger.yaml").write_text(
        "fund: {id: t, name: T}\ndonors:\n  - {id: itu, name: ITU, kind: un-system}\n",
        encoding="utf-8",
    )
    draw = ("loan", "draw", "1000", "--date", "2005-01-01", "--use", "x", "--data", root)
    result = run(*draw)
    assert result.exit_code != 0
    told = "add one with 'wsis-ledger loan facility add ID --lender DONOR --ceiling AMOUNT'"
    assert f"the ledger has no loan facility to draw on: {told}" in result.output
    # Done as told, the drawing goes through, on the facility just added.
    added = run(
        "loan", "facility", "add", "bridge", "--lender", "itu", "--ceiling", "5000", "--data", root
    )
    assert added.exit_code == 0, added.output
    assert "recorded the loan facility bridge: up to 5 000 CHF from itu" in added.stdout
    result = run(*draw)
    assert result.exit_code == 0, result.output
    assert "1 000 CHF drawn on bridge" in result.stdout
    over = run("loan", "draw", "4001", "--date", "2005-01-02", "--use", "y", "--data", root)
    assert over.exit_code == 1 and "ceiling" in over.output


def test_spending_beyond_an_earmark_is_said_at_once(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "fund"
    shutil.copytree(EXAMPLE, root)
    result = run(
        "spend",
        "60000",
        "--date",
        "2024-06-01",
        "--description",
        "Extra",
        "--purpose",
        "fellowships",
        "--data",
        root,
    )
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "than was received for it" in result.output
    assert "'fellowships'" in result.output


def test_a_facility_granted_on_a_day_takes_no_drawing_before_it(run: Run, tmp_path: Path) -> None:
    """`loan facility add --date` records when it was granted: a drawing before that day
    is refused, and the report as of an earlier day does not count its ceiling."""
    root = tmp_path / "l"
    root.mkdir()
    (root / "ledger.yaml").write_text(
        "fund: {id: t, name: T}\ndonors:\n  - {id: itu, name: ITU, kind: un-system}\n",
        encoding="utf-8",
    )
    added = run("loan", "facility", "add", "bridge", "--lender", "itu", "--ceiling", "5000",
                "--date", "2005-06-01", "--data", root)  # fmt: skip
    assert added.exit_code == 0, added.output
    early = run("loan", "draw", "1000", "--date", "2003-03-01", "--use", "x", "--data", root)
    assert early.exit_code == 1 and "before 'bridge' was granted on 2005-06-01" in early.output
    later = run("loan", "draw", "1000", "--date", "2005-07-01", "--use", "x", "--data", root)
    assert later.exit_code == 0, later.output
    before = json.loads(
        run("loan", "status", "--as-of", "2004-12-31", "--format", "json", "--data", root).stdout
    )
    after = json.loads(
        run("loan", "status", "--as-of", "2005-12-31", "--format", "json", "--data", root).stdout
    )
    assert "bridge" not in json.dumps(before) and "bridge" in json.dumps(after)
