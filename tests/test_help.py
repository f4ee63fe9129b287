"""Every command explains itself, with examples."""

from __future__ import annotations

import click
import pytest
from conftest import Run

from wsis_ledger.commands.main import cli


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", all_commands(cli), ids=" ".join)
def test_every_command_has_help_with_examples(run: Run, path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "wsis-ledger " + " ".join(path) in result.output


def test_version(run: Run) -> None:
    from wsis_ledger import __version__

    assert run("--version").output == f"wsis-ledger, version {__version__}\n"


def test_the_command_list_is_grouped_and_says_each_summary_whole(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wsis_ledger.commands.main import COMMANDS, SUMMARIES

    monkeypatch.setenv("COLUMNS", "80")
    output = run("--help").output
    listing = output.split("Options:")[1]
    assert "..." not in listing and "…" not in listing
    for heading in ("Reading commands:", "Recording commands:", "Rates commands:"):
        assert heading in output
    lines = output.splitlines()
    for name in COMMANDS:
        assert SUMMARIES.get(name), f"{name} has no summary"
        assert any(line.split() == [name, *SUMMARIES[name].split()] for line in lines), name
    assert max(len(line) for line in listing.splitlines()) <= 80
