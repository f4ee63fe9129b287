"""`wsis-ledger report`: the annex, its totals computed from the rows, in every format."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ANNEX, Run, edit

from wsis_ledger.source.discovery import shipped_ledger

# The annex's printed totals: the figures the report must reach from its rows.
ANNEX_RECEIVED, ANNEX_PLEDGED = "2243419", "3030450"


def annex_rows(section: str) -> list[dict[str, object]]:
    """The rows of a section of the shipped annex, read with PyYAML's plain loader."""
    return yaml.safe_load((shipped_ledger() / ANNEX).read_text(encoding="utf-8"))[section]


def phase_name(lang: str) -> str:
    """The name of the fund's first phase in `lang`, as the shipped ledger gives it."""
    fund = yaml.safe_load((shipped_ledger() / "ledger.yaml").read_text(encoding="utf-8"))["fund"]
    return str(fund["phases"][0]["name"][lang])


def test_the_shipped_rows_are_the_annexs_rows() -> None:
    received, pledged = annex_rows("received"), annex_rows("pledged")
    assert (len(received), len(pledged)) == (14, 5)
    # The printed totals are reached by the rows themselves.
    assert sum(Decimal(str(row["chf"])) for row in received) == Decimal(ANNEX_RECEIVED)
    assert sum(Decimal(str(row["chf"])) for row in pledged) == Decimal(ANNEX_PLEDGED)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_json_totals_are_computed_and_are_strings(run: Run, lang: str) -> None:
    result = run("report", "--format", "json", "--lang", lang)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["as_of"] == "2002-12-20"
    totals = document["totals"]
    assert totals["received"] == ANNEX_RECEIVED
    assert totals["pledged"] == ANNEX_PLEDGED
    assert totals["loan_ceiling"] == "5000000"
    assert totals["received_and_pledged"] == str(int(ANNEX_RECEIVED) + int(ANNEX_PLEDGED))
    # The rows as the annex lists them (17, one part-time); no full-time count of our own.
    assert (totals["experts"], totals["experts_part_time"]) == (17, 1)
    assert "experts_full_time" not in totals
    entries = document["received"]["entries"]
    assert sum(Decimal(e["chf"]) for e in entries) == Decimal(totals["received"])
    # The annex attributes no contribution to a phase: the estimate stands alone.
    assert document["budget"] == {
        "phase_id": "geneva-2003",
        "phase": phase_name(lang),
        "estimate": "5900000",
        "coverage_percent": None,
        "gap": None,
        "attributed_entries": 0,
        "note": "no contributions are attributed to it"
        if lang == "en"
        else "没有捐款被注明用于该阶段",
    }


def test_json_shows_each_rate_and_where_it_came_from(run: Run, ledger_dir: Path) -> None:
    document = json.loads(run("report", "--format", "json").output)
    japan = document["received"]["entries"][0]
    assert japan["rate"] == "0.01271051057862663925"  # 796835 / 62691030
    assert japan["rate_basis"] == "derived"
    assert "derived from the annex" in japan["rate_source"]
    # A rate written down keeps every digit it was given.
    edit(
        ledger_dir / ANNEX,
        r"^    rate_source: derived from the annex's booked figures \(796835",
        "    rate: 0.012710510578626639\n    rate_source: recorded (796835",
    )
    recorded = json.loads(run("report", "--data", ledger_dir, "--format", "json").output)
    japan = recorded["received"]["entries"][0]
    assert (japan["rate"], japan["rate_basis"]) == ("0.012710510578626639", "recorded")
    wmo = document["received"]["entries"][2]
    assert (wmo["amount"], wmo["currency"], wmo["rate"], wmo["chf"]) == (None, None, None, "15000")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_csv_totals(run: Run, lang: str) -> None:
    result = run("report", "--format", "csv", "--lang", lang)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    totals = {row["id"]: row for row in rows if row["section"] == "total"}
    assert totals["received"]["chf"] == ANNEX_RECEIVED
    assert totals["pledged"]["chf"] == ANNEX_PLEDGED
    received = [row for row in rows if row["section"] == "received"]
    assert sum(Decimal(row["chf"]) for row in received) == Decimal(ANNEX_RECEIVED)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_text_formats_show_grouped_totals(run: Run, fmt: str) -> None:
    result = run("report", "--format", fmt)
    assert result.exit_code == 0
    assert "Total received" in result.output
    assert "2 243 419" in result.output
    assert "3 030 450" in result.output
    assert "89.39 %" not in result.output
    assert "no contributions are attributed to it" in result.output
    if fmt == "markdown":
        assert "## 1. Contributions to the WSIS fund" in result.output
        assert "| Government of Japan" in result.output


def test_chinese_report_uses_the_annexs_names_and_lines_up(run: Run) -> None:
    from wcwidth import wcswidth

    output = run("report", "--lang", "zh").output
    assert "已收到捐款合计" in output and "总承诺款项" in output
    assert "日本政府" in output and "2 243 419" in output
    table = output.split("1.1 收到捐款")[1].split("1.2")[0].strip().splitlines()[1:]
    widths = {wcswidth(line.rstrip()) for line in table if line.strip()}
    assert len(widths) == 1, f"columns do not line up: {widths}"


def test_changed_total_shows_in_report(run: Run, ledger_dir: Path) -> None:
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    edit(ledger_dir / ANNEX, r"received: 2243419", "received: 2243420")
    assert run("check", "--data", ledger_dir).exit_code == 0
    document = json.loads(run("report", "--data", ledger_dir, "--format", "json").output)
    assert document["totals"]["received"] == "2243420"


def test_report_refuses_a_ledger_whose_records_have_problems(run: Run, ledger_dir: Path) -> None:
    edit(ledger_dir / ANNEX, r"donor: wmo", "donor: nobody")
    result = run("report", "--data", ledger_dir)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "there is no donor 'nobody'" in result.stderr
    assert "nothing is shown until they are fixed" in result.stderr


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv", "html"])
def test_a_stated_total_that_differs_is_shown_at_the_top_and_exits_3(
    run: Run, ledger_dir: Path, fmt: str
) -> None:
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    result = run("report", "--data", ledger_dir, "--format", fmt)
    assert result.exit_code == 3
    assert "stated total received" in result.stderr
    out = result.stdout
    if fmt == "json":
        document = json.loads(out)
        assert list(document)[:2] == ["schema_version", "stated_differences"]
        assert document["stated_differences"] == [
            {
                "statement": "annex-2002-12-20",
                "total": "received",
                "purpose": None,
                "stated": "2243419",
                "computed": "2243420",
                "difference": "1",
            }
        ]
        assert document["totals"]["received"] == "2243420"  # the report itself is there
    elif fmt == "csv":
        first = next(csv.DictReader(io.StringIO(out)))
        assert (first["section"], first["stated_chf"], first["computed_chf"]) == (
            "stated_difference",
            "2243419",
            "2243420",
        )
    else:
        top = out.index("Printed totals that differ from their rows")
        assert top < out.index("1.1 Received")
        assert "2 243 420" in out
