"""Every command that writes takes --dry-run and --format json, and says the same way
which ids it added and which files it wrote (or, in a dry run, would write).

The commands are found by walking the command tree: a command that writes (one that
records who wrote, `--by`, or offers `--dry-run`) and is not given an example here
fails `test_every_command_is_known`, so a new write cannot go without these tests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from conftest import Run

from wsis_ledger.commands.main import cli

LEDGER = """\
fund:
  id: test
  name: Test fund
  support_cost_rate: 0.1
  approval: {expenditure_over: 10000, loan_drawings: true, approvers: [Ana Diaz, Bea Keller]}
loan_facilities:
  - {id: bridge, lender: alpha, ceiling: 500000}
donors:
  - {id: alpha, name: Alpha, kind: government}
"""
RECORDS = """\
received:
  - {id: r1, donor: alpha, amount: 100000, currency: CHF, date: 2003-03-01}
pledged:
  - {id: p1, donor: alpha, amount: 10000, currency: CHF, date: 2003-01-01}
expenditures:
  - {id: x1, date: 2003-05-01, amount: 20000, description: Venue, payee: Hall}
"""
ROWS = """\
type,donor,amount,currency,chf,rate,date,purpose,reference
receipt,alpha,1000,CHF,,,2003-04-01,,R-9
"""

#: Each command that writes: what is run before it (to have something to act on), and its
#: arguments. `{new}` is a folder that does not exist yet, `{rows}` a CSV of one receipt.
WRITES: dict[str, tuple[list[list[str]], list[str]]] = {
    "init": ([], ["{new}", "--name", "New fund"]),
    "import": ([], ["{rows}"]),
    "receive": ([], ["p1", "--amount", "1000", "--date", "2003-04-02"]),
    "spend": ([], ["100", "--date", "2003-05-05", "--description", "Paper"]),
    "cancel": ([], ["p1", "--date", "2003-06-30", "--note", "withdrawn by letter"]),
    "reassign": ([], ["r1", "--purpose", "core", "--note", "agreed", "--date", "2003-07-01"]),
    "loan draw": ([], ["1000", "--date", "2003-04-01", "--use", "rent"]),
    "loan repay": (
        [["loan", "draw", "1000", "--date", "2003-04-01", "--use", "rent"]],
        ["500", "--date", "2003-05-01"],
    ),
    "loan facility add": ([], ["second", "--lender", "alpha", "--ceiling", "250000"]),
    "statement add": ([], ["s1", "--as-of", "2003-12-31", "--source", "Report of 2003"]),
    "statement acknowledge": (
        [
            [
                "statement",
                "add",
                "s1",
                "--as-of",
                "2003-12-31",
                "--source",
                "x",
                "--stated-received",
                "1",
            ]
        ],
        ["s1", "--note", "a typing error in the report"],
    ),
    "close": ([], ["--through", "2003-03-31"]),
    "reopen": (
        [["close", "--through", "2003-03-31"]],
        ["--through", "2003-03-31", "--reason", "audit"],
    ),
    "approve": ([], ["x1", "--by", "Bea Keller"]),
    "rates fetch": ([], ["EUR", "--date", "2003-02-14", "--source", "ecb-offline", "--record"]),
    "income": ([], ["250", "--date", "2003-06-30", "--description", "Interest"]),
    "refund": ([], ["alpha", "1000", "--receipt", "r1", "--date", "2003-07-01"]),
    "charge": ([], ["15", "--date", "2003-07-01", "--description", "Transfer fee"]),
}
#: Writes of records without an id of their own (a rate is known by its currency and day).
NO_IDS = {"rates fetch"}
#: Every other command: it only reads.
READS = {
    "report",
    "accounts",
    "check",
    "convert",
    "pledges",
    "loan status",
    "rates list",
    "rates check",
    "export",
    "donor",
    "budget",
    "statements",
    "log",
    "reconcile",
}


def commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def options(command: click.Command) -> dict[str, click.Parameter]:
    return {o: p for p in command.params for o in p.opts}


def test_every_command_is_known() -> None:
    """A command is either a write with an example here, or a read."""
    found = dict(commands(cli))
    writes = {n for n, c in found.items() if {"--by", "--dry-run"} & set(options(c))}
    writes -= {"log"}  # its --by picks the writes of one person: it reads
    assert writes <= set(WRITES), f"writes without an example: {sorted(writes - set(WRITES))}"
    assert set(found) == set(WRITES) | READS, sorted(set(found) ^ (set(WRITES) | READS))


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_takes_dry_run_and_json(name: str) -> None:
    command = dict(commands(cli))[name]
    given = options(command)
    assert "--dry-run" in given
    fmt = given["--format"]
    assert isinstance(fmt.type, click.Choice) and "json" in fmt.type.choices


@pytest.fixture
def fund(tmp_path: Path) -> Path:
    root = tmp_path / "fund"
    root.mkdir()
    (root / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    (root / "records.yaml").write_text(RECORDS, encoding="utf-8")
    (tmp_path / "rows.csv").write_text(ROWS, encoding="utf-8")
    return root


def everything(root: Path) -> dict[str, str]:
    """Every file and folder under `root` (the lock file too), with a hash of each file;
    not the tool's cache (the tests' `XDG_CACHE_HOME`), which is no part of a ledger."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "/"
        for p in sorted(root.rglob("*"))
        if p.relative_to(root).parts[0] != "cache"
    }


def arguments(name: str, fund: Path, *extra: str) -> list[str]:
    _, args = WRITES[name]
    tmp = fund.parent
    filled = [a.format(new=tmp / "new", rows=tmp / "rows.csv") for a in args]
    where = [] if name == "init" else ["--data", str(fund)]
    return [*name.split(), *filled, *where, *extra]


def prepare(run: Run, name: str, fund: Path) -> None:
    for step in WRITES[name][0]:
        result = run(*step, "--data", fund)
        assert result.exit_code == 0, result.output


def written_root(name: str, fund: Path) -> Path:
    return fund.parent / "new" if name == "init" else fund


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_dry_run_writes_nothing_and_names_what_it_would(run: Run, fund: Path, name: str) -> None:
    prepare(run, name, fund)
    lock = fund / ".wsis-ledger.lock"
    lock.unlink(missing_ok=True)
    before = everything(fund.parent)
    result = run(*arguments(name, fund, "--dry-run", "--format", "json"))
    assert result.exit_code == 0, result.output
    assert everything(fund.parent) == before  # no file, no folder, no lock
    document = json.loads(result.stdout)
    assert document["dry_run"] is True and document["written"] == []
    root = written_root(name, fund)
    assert document["ledger"] == str(root.absolute())
    assert document["files"] and (document["ids"] or name in NO_IDS)
    assert not any((root / f).exists() for f in document["files"])
    assert "would" in document["message"]  # said as what it would do
    # As text, the same files, each named, and said not to be written.
    text = run(*arguments(name, fund, "--dry-run")).stdout
    assert "dry run: nothing was written" in text
    assert all(f in text for f in document["files"])
    assert everything(fund.parent) == before


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_names_its_ids_and_the_files_it_wrote(run: Run, fund: Path, name: str) -> None:
    prepare(run, name, fund)
    root = written_root(name, fund)
    planned = json.loads(run(*arguments(name, fund, "--dry-run", "--format", "json")).stdout)
    before = set(root.rglob("*.yaml"))
    result = run(*arguments(name, fund, "--format", "json"))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["dry_run"] is False
    assert "would" not in document["message"]  # said as done
    new = {p.relative_to(root).as_posix() for p in set(root.rglob("*.yaml")) - before}
    assert set(document["files"]) == set(document["written"]) == new
    assert document["files"] == planned["files"] and document["ids"] == planned["ids"]
    text = "".join((root / f).read_text(encoding="utf-8") for f in document["files"])
    assert (document["ids"] or name in NO_IDS) and all(i in text for i in document["ids"])
    assert run("check", "--data", root).exit_code == 0


def test_a_fetched_rate_is_named_by_its_currency_and_day(run: Run, fund: Path) -> None:
    result = run(*arguments("rates fetch", fund, "--format", "json"))
    document = json.loads(result.stdout)
    assert document["ids"] == [] and document["rate"]["currency"] == "EUR"
    assert document["rate"]["date"] == "2003-02-14"
    text = (fund / document["files"][0]).read_text(encoding="utf-8")
    assert f"rate: {document['rate']['value']}" in text


def test_without_format_json_a_write_says_which_file_it_wrote(run: Run, fund: Path) -> None:
    result = run("receive", "p1", "--amount", "1000", "--date", "2003-04-02", "--data", fund)
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()
    assert first == "recorded p1-pay-1: pledge p1 is partly paid; 9 000 CHF remains"
    assert second == "wrote journal/2003-04-02-p1-pay-1.yaml"
    assert (fund / "journal" / "2003-04-02-p1-pay-1.yaml").is_file()


def test_a_write_says_what_it_did_one_line_each_whatever_the_names(
    run: Run, tmp_path: Path
) -> None:
    """A folder named with a line break (or an escape) is shown as U+000A in what a
    write prints: no line of its own, which a CI log would read as a command."""
    for n, extra in enumerate(([], ["--dry-run"])):
        folder = tmp_path / f"ev{n}\n::error file=ci.yml::injected\x1b[2J"
        result = run("init", folder, "--name", "X", *extra)
        assert result.exit_code == 0, result.output
        assert not any(line.startswith("::") for line in result.output.splitlines())
        assert "U+000A::error" in result.output and "\x1b" not in result.output, result.output
