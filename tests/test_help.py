"""Every command explains itself, with examples."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

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


# --- every example runs as written ----------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def example_blocks() -> dict[str, list[str]]:
    """Each command's examples as its help prints them (a line continued with a
    backslash joined): every line of the block under `Examples:`."""
    found: dict[str, list[str]] = {}
    for path in all_commands(cli):
        text = CliRunner().invoke(cli, [*path, "--help"]).output
        lines = text.split("Examples:", 1)[1].splitlines()[1:] if "Examples:" in text else []
        examples: list[str] = []
        for line in lines:
            if not line.strip():
                break
            if examples and examples[-1].endswith("\\"):
                examples[-1] = examples[-1][:-1] + line.strip()
            else:
                examples.append(line.strip())
        found[" ".join(path)] = examples
    return found


#: What each command's examples presume of the ledgers they name, beyond the world
#: `world` makes: the commands that bring a ledger into that state first.
PRESS = ["statement", "add", "press-2005-03", "--as-of", "2005-03-31", "--source", "Press",
         "--stated-received", "882000", "--data", "tunis"]  # fmt: skip
PRESUMED: dict[str, list[list[str]]] = {
    "import": [PRESS],
    "statement acknowledge": [
        PRESS, ["import", "release.csv", "--statement", "press-2005-03", "--data", "tunis"]
    ],
    "loan repay": [["loan", "draw", "250000", "--date", "2003-01-15", "--use", "x",
                    "--data", "my-ledger"]],
}  # fmt: skip


def world(folder: Path, home: Path) -> None:
    """The folder the examples run in: the ledgers and files they name."""
    import shutil

    from openpyxl import Workbook

    from wsis_ledger.source.discovery import shipped_ledger

    shutil.copytree(ROOT / "examples", folder / "examples")
    shutil.copytree(shipped_ledger(), folder / "my-ledger")
    shutil.copytree(ROOT / "examples" / "fund", folder / "my-fund")
    for name in ("wsis", "tunis"):
        shutil.copytree(shipped_ledger(), home / "funds" / name)
    contributions = (ROOT / "examples" / "contributions.csv").read_text(encoding="utf-8")
    (folder / "contributions.csv").write_text(contributions, encoding="utf-8")
    shutil.copy(ROOT / "examples" / "release.csv", folder / "release.csv")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "2005"
    for row in csv.reader(io.StringIO(contributions)):
        sheet.append(row)
    book.save(folder / "contributions.xlsx")
    (folder / "dons.csv").write_text(
        "type,donor,amount,currency,date,reference\n"
        'receipt,Government of Sweden,"12 500,00",CHF,2005-04-01,SE-DONS-1\n',
        encoding="utf-8",
    )
    rows = [{"type": "receipt", "donor": "Government of Sweden", "amount": "250",
             "currency": "CHF", "date": "2005-04-02", "reference": "SE-JSON-1"}]  # fmt: skip
    (folder / "rows.json").write_text(json.dumps(rows), encoding="utf-8")
    for args in (
        ["init", "tunis", "--name", "WSIS fund, second phase", "--as-of", "2005-01-01"],
        ["import", "--data", "tunis", "contributions.csv", "--add-donors"],
    ):
        done = subprocess.run(["wsis-ledger", *args], cwd=folder, env=_environment(home),
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def made_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`world`, made once; each test works in a copy of it."""
    made = tmp_path_factory.mktemp("world")
    (made / "work").mkdir()
    world(made / "work", made / "home")
    return made


def _environment(home: Path, offline: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WSIS_LEDGER")}
    env.pop("COLUMNS", None)
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
               HOME=str(home), XDG_CACHE_HOME=str(home / "cache"))  # fmt: skip
    if offline:  # every proxy at a closed port: the same exit code with a network or without
        closed = "http://127.0.0.1:9"
        env.update({name: closed for name in ("http_proxy", "https_proxy", "HTTP_PROXY",
                                              "HTTPS_PROXY", "ALL_PROXY")}, no_proxy="", NO_PROXY="")  # fmt: skip
    return env


def expected_exit(example: str) -> int:
    found = re.search(r"#.*\bexit (\d+)\b[^#]*$", example)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize(("command", "examples"), sorted(example_blocks().items()))
def test_every_example_in_help_runs_as_written(
    command: str, examples: list[str], tmp_path: Path, made_world: Path
) -> None:
    """Each command's examples, run in order by bash in a folder with the ledgers and files
    they name (`world`), exit 0 or as their comment says (`# exit 1 without network`)."""
    import shutil

    assert examples, f"{command} --help has no example"
    shutil.copytree(made_world, tmp_path, dirs_exist_ok=True, symlinks=True)
    folder, home = tmp_path / "work", tmp_path / "home"
    for presumed in PRESUMED.get(command, []):
        done = subprocess.run(["wsis-ledger", *presumed], cwd=folder, env=_environment(home),
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
    failures = []
    for example in examples:
        ran = subprocess.run(
            ["bash", "-o", "pipefail", "-c", example],
            cwd=folder,
            env=_environment(home, offline="without network" in example),
            capture_output=True,
            text=True,
            timeout=180,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if ran.returncode != expected_exit(example):
            failures.append(
                f"{example}\n  exit {ran.returncode}: {(ran.stderr or ran.stdout)[:400]}"
            )
    assert not failures, "\n".join(failures)
