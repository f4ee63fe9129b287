"""Every command explains itself, with examples."""

from __future__ import annotations

import shlex
import warnings

import click
import pytest
from click.testing import CliRunner
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


def help_examples() -> list[tuple[str, str]]:
    """Every `wsis-ledger ...` line of every command's help: (command, line)."""
    found = []
    for path in all_commands(cli):
        text = CliRunner().invoke(cli, [*path, "--help"]).output
        lines = iter(text.splitlines())
        for line in lines:
            example = line.strip()
            if not example.startswith("wsis-ledger "):
                continue
            while example.endswith("\\"):  # continued on the next line
                example = example[:-1] + next(lines).strip()
            found.append((" ".join(path), example))
    return found


def example_arguments(line: str) -> list[str]:
    """The words of an example as a shell gives them: up to a comment, a pipe or the
    next command (`&&`, `;`)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|&;")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    words = []
    for word in lexer:
        if word in ("|", "||", "&&", ";", "&"):
            break
        words.append(word)
    return words[1:]


def parses(args: list[str]) -> None:
    """Resolve `args` to their command and parse its options as click would to run it,
    without running it: a wrong option, choice or date raises a UsageError."""
    command: click.Command = cli
    context = command.make_context("wsis-ledger", list(args), resilient_parsing=False)
    while isinstance(command, click.Group):
        with warnings.catch_warnings():  # click 9 will keep them all in `args`
            warnings.simplefilter("ignore", DeprecationWarning)
            rest = [*context.protected_args, *context.args]
        if not rest:
            return
        name, sub, rest = command.resolve_command(context, rest)
        assert sub is not None, name
        command = sub
        context = command.make_context(name, rest, parent=context, resilient_parsing=False)


@pytest.mark.parametrize(("command", "line"), help_examples())
def test_every_example_in_help_parses(command: str, line: str) -> None:
    parses(example_arguments(line))


@pytest.mark.parametrize(
    "line",
    [
        "wsis-ledger report --formt json",
        "wsis-ledger pledges --format xml",
        "wsis-ledger loan draw 250000 --date 2003-13-45 --use x",
        "wsis-ledger rates nosuch",
        "wsis-ledger donor",
    ],
)
def test_a_wrong_example_would_fail(line: str) -> None:
    with pytest.raises(click.UsageError):
        parses(example_arguments(line))


def test_examples_are_collected_from_every_command() -> None:
    commands = {command for command, _ in help_examples()}
    assert {"report", "pledges", "loan draw", "rates check", "convert"} <= commands
    assert len(help_examples()) >= 2 * len(all_commands(cli))
