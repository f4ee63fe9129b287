"""Tables that fit the terminal: at 80 columns no line is wider (CJK counts double);
to a pipe or file, or with --wide, nothing is wrapped and rates keep every digit."""

from __future__ import annotations

import json

import pytest
from conftest import Run
from wcwidth import wcswidth

from wsis_ledger.commands import report as report_command


def widths(text: str) -> list[int]:
    return [wcswidth(line) for line in text.splitlines()]


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard output is an 80-column terminal."""
    monkeypatch.setattr(report_command, "terminal_width", lambda: 80)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_80_columns_no_line_is_wider(run: Run, terminal: None, lang: str) -> None:
    result = run("report", "--lang", lang)
    assert result.exit_code == 0
    assert max(widths(result.output)) <= 80
    # Nothing lost to the wrapping: every word of every donor's name is there.
    document = json.loads(run("report", "--lang", lang, "--format", "json").output)
    words = set(result.output.split())
    for entry in document["received"]["entries"]:
        if lang == "en":
            assert set(entry["donor"].split()) <= words, entry["donor"]
        else:  # CJK names break anywhere: their characters, in order
            assert entry["donor"][:2] in result.output


def test_wide_pipes_and_files_keep_one_line_and_every_digit(
    run: Run, terminal: None, tmp_path: object
) -> None:
    exact = json.loads(run("report", "--format", "json").output)["received"]["entries"][0]["rate"]
    narrow = run("report").output
    # The fewest digits that give back the booked CHF: 0.01271051 (0.0127105 did not).
    assert exact not in narrow and exact[:10] in narrow
    wide = run("report", "--wide").output
    assert exact in wide and max(widths(wide)) > 80


def test_output_to_a_pipe_is_not_wrapped(run: Run) -> None:
    output = run("report").output  # CliRunner's output is no terminal
    assert "Swiss Agency for Development and Cooperation (Switzerland)" in output


def test_a_wrapped_table_shares_the_room_among_its_text_columns(run: Run, terminal: None) -> None:
    """The widest text column is not squeezed to a sliver while a narrower one keeps its
    whole width: the Sources table's long source text keeps whole words."""
    output = run("report").output
    sources = output.split("Sources\n-------")[1]
    assert "ITU Secretary-" in sources and "ITU Se\n" not in sources
    assert max(widths(sources)) <= 80
