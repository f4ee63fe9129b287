"""`wsis-ledger check`: exit codes, problems as path:line:col, stated totals."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ANNEX, Run, edit

from wsis_ledger.source.discovery import shipped_ledger


def rel(path: Path) -> str:
    """The path as `check` prints it: relative to the working directory."""
    return os.path.relpath(path)


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_shipped_ledger_is_clean(run: Run) -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")
    assert "received 2 243 419 CHF, pledged 3 030 450 CHF" in result.output


def test_changed_amount_names_the_stated_total_computed_and_difference(
    run: Run, ledger_dir: Path
) -> None:
    annex = ledger_dir / ANNEX
    edit(annex, r"^    chf: 30000$", "    chf: 30500")  # Portugal
    result = run("check", "--data", ledger_dir)
    assert result.exit_code == 3
    stated_line = line_of(annex, "received: 2243419")
    assert result.output.splitlines() == [
        f"{rel(annex)}:{stated_line}:15: stated total received of 'annex-2002-12-20' "
        "is 2 243 419 CHF, "
        "but its 14 entries add up to 2 243 919 CHF (difference +500 CHF)",
        "1 problem in 1 file.",
    ]


def annex_chf_lines() -> list[tuple[str, str]]:
    """(section, line) for every booked CHF figure of the shipped annex."""
    section, found = "", []
    for line in (shipped_ledger() / ANNEX).read_text(encoding="utf-8").splitlines():
        if line in ("received:", "pledged:") or line.startswith(("received:", "pledged:")):
            section = line.split(":")[0]
        elif line.startswith("    chf: "):
            found.append((section, line))
    return found


def test_every_booked_amount_of_the_annex_is_found_for_the_test_below() -> None:
    """The parametrized test below would pass vacuously on an empty list: it must hold
    every receipt and pledge of the annex."""
    data = yaml.safe_load((shipped_ledger() / ANNEX).read_text(encoding="utf-8"))
    expected = [("received", r["chf"]) for r in data["received"]]
    expected += [("pledged", r["chf"]) for r in data["pledged"]]
    found = [(section, int(line.split(": ")[1].split()[0])) for section, line in annex_chf_lines()]
    assert found == expected and found


@pytest.mark.parametrize(("section", "line"), annex_chf_lines())
def test_every_booked_amount_is_held_to_its_stated_total(
    run: Run, ledger_dir: Path, section: str, line: str
) -> None:
    annex = ledger_dir / ANNEX
    amount = int(line.split(": ")[1].split()[0])
    edit(annex, rf"^{re.escape(line)}$", line.replace(str(amount), str(amount + 7), 1))
    result = run("check", "--data", ledger_dir)
    assert result.exit_code == 3
    assert f"stated total {section} of 'annex-2002-12-20'" in result.output
    assert "(difference +7 CHF)" in result.output


def test_a_foreign_booking_and_its_total_changed_together_pass(run: Run, ledger_dir: Path) -> None:
    annex = ledger_dir / ANNEX
    edit(annex, r"^    chf: 796835$", "    chf: 796836")  # Japan, JPY: its rate is derived
    edit(annex, r"received: 2243419", "received: 2243420")
    assert run("check", "--data", ledger_dir).exit_code == 0
    report = json.loads(run("report", "--data", ledger_dir, "--format", "json").output)
    japan = report["received"]["entries"][0]
    assert (japan["chf"], japan["rate_basis"]) == ("796836", "derived")
    assert Decimal(japan["rate"]) == (Decimal(796836) / Decimal(62691030)).quantize(
        Decimal("1e-20")
    )


def test_changed_amount_and_its_total_together_pass(run: Run, ledger_dir: Path) -> None:
    annex = ledger_dir / ANNEX
    edit(annex, r"^    chf: 1194000$", "    chf: 1200000")  # ITU pledge
    edit(annex, r"pledged: 3030450", "pledged: 3036450")
    result = run("check", "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    assert "pledged 3 036 450 CHF" in result.output


def test_later_entries_do_not_change_an_earlier_statement(run: Run, ledger_dir: Path) -> None:
    (ledger_dir / "2003.yaml").write_text(
        "received:\n  - {id: r2003-1, donor: sweden, chf: 1000, date: 2003-02-01}\n"
    )
    result = run("check", "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    report = json.loads(run("report", "--data", ledger_dir, "--format", "json").output)
    assert report["totals"]["received"] == "2244419"
    assert report["as_of"] == "2003-02-01"


def test_invalid_and_valid_with_findings_exit_apart(run: Run, ledger_dir: Path) -> None:
    """1: the records are wrong; 3: valid, but a printed total differs (docs/exit-codes.md)."""
    annex = ledger_dir / ANNEX
    edit(annex, r"^    chf: 30000$", "    chf: 30500")  # a stated total no longer matches
    for fmt in ("table", "json", "github"):
        assert run("check", "--data", ledger_dir, "--format", fmt).exit_code == 3
    assert run("report", "--data", ledger_dir).exit_code == 3  # shown, with the finding
    edit(annex, r"donor: wmo", "donor: nobody")  # and now a record is wrong too
    for fmt in ("table", "json", "github"):
        result = run("check", "--data", ledger_dir, "--format", fmt)
        assert result.exit_code == 1, result.output
        assert "there is no donor 'nobody'" in result.output
    assert run("report", "--data", ledger_dir).exit_code == 1  # nothing shown


def test_json_problems_for_machines(run: Run, ledger_dir: Path) -> None:
    annex = ledger_dir / ANNEX
    edit(annex, r"^    chf: 30000$", "    chf: 30500")
    result = run("check", "--data", ledger_dir, "--format", "json")
    assert result.exit_code == 3
    document = json.loads(result.output)
    assert document["ok"] is False
    [problem] = document["problems"]
    assert problem["code"] == "stated-total"
    assert problem["line"] == line_of(annex, "received: 2243419")
    assert problem["column"] == 15
    assert problem["path"] == rel(annex)


def test_clean_json_lists_each_stated_figure(run: Run) -> None:
    document = json.loads(run("check", "--format", "json").output)
    assert document["ok"] is True
    assert [(s["total"], s["stated"], s["computed"], s["matches"]) for s in document["stated"]] == [
        ("received", "2243419", "2243419", True),
        ("pledged", "3030450", "3030450", True),
    ]


def test_every_problem_is_reported_not_only_the_first(run: Run, ledger_dir: Path) -> None:
    annex = ledger_dir / ANNEX
    edit(annex, r"donor: wmo", "donor: nobody")
    edit(annex, r"donor: malta", "donor: nobody-else")
    edit(annex, r"id: r05", "id: r04")
    result = run("check", "--data", ledger_dir)
    assert result.exit_code == 1
    assert "donor: there is no donor 'nobody'" in result.output
    assert "donor: there is no donor 'nobody-else'" in result.output
    assert "the entry id 'r04' is used twice" in result.output
    assert result.output.rstrip().endswith("3 problems in 1 file.")


def test_paths_are_relative_to_where_it_ran(run: Run, ledger_dir: Path) -> None:
    edit(ledger_dir / ANNEX, r"donor: wmo", "donor: nobody")
    os.chdir(ledger_dir.parent)
    result = run("check", "--data", "ledger")
    assert result.output.startswith(f"ledger/{ANNEX}:")


def test_the_summary_counts_every_problem_also_those_not_told(run: Run, tmp_path: Path) -> None:
    """250 receipts naming a donor not listed: 100 told, one line for the other 150,
    and the summary counts 250, not the 101 lines."""
    (tmp_path / "ledger.yaml").write_text("fund:\n  id: t\n  name: {en: A test fund}\n")
    rows = "".join(
        f"  - {{id: r{n}, donor: nobody, amount: 1, currency: CHF}}\n" for n in range(250)
    )
    (tmp_path / "x.yaml").write_text("received:\n" + rows)
    result = run("check", "--no-cache", "--data", tmp_path)
    assert result.exit_code == 1
    lines = result.output.rstrip().splitlines()
    assert "and 150 more of the same kind (unknown-reference)" in result.output
    assert lines[-1] == "250 problems in 1 file."
