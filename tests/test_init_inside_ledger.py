"""`init` never makes a ledger inside an existing one (whose `check` would then read
the new ledger's files as its own), however the folder is named: a path below it,
`..`, `.`, a link to it or to one of its folders; `--copy-of` alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wsis_ledger.commands.main import cli


def test_init_refuses_every_folder_inside_a_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    ledger = tmp_path / "L"
    assert runner.invoke(cli, ["init", str(ledger), "--name", "X"]).exit_code == 0
    (ledger / "journal" / "deep").mkdir(parents=True)
    (tmp_path / "link").symlink_to(ledger)
    (tmp_path / "jlink").symlink_to(ledger / "journal")
    before = sorted(str(p) for p in ledger.rglob("*"))
    inside = []
    for base in [ledger, tmp_path / "link", tmp_path / "L" / "journal" / "..", tmp_path / "jlink"]:
        for tail in ["sub", "journal/new", "journal/deep/x", "a/b/c", "./s", "journal/../t"]:
            inside.append(base / tail)
    inside += [ledger / "journal" / "deep"]  # an empty folder the ledger reads
    monkeypatch.chdir(ledger / "journal")
    inside += [Path("new"), Path("../x"), Path("deep/y")]
    for number, folder in enumerate(inside):
        for extra in ([], ["--copy-of", str(ledger)]) if number % 4 == 0 else ([],):
            result = runner.invoke(cli, ["init", str(folder), "--name", "S", *extra])
            assert result.exit_code == 2, (folder, extra, result.output)
            assert "inside the ledger" in result.output, result.output
    assert sorted(str(p) for p in ledger.rglob("*")) == before
    assert runner.invoke(cli, ["check", "--data", str(ledger)]).exit_code == 0
    # beside it, or in a folder of its own, a new ledger is made
    for folder in [tmp_path / "M", tmp_path / "N" / "deeper"]:
        assert runner.invoke(cli, ["init", str(folder), "--name", "S"]).exit_code == 0, folder


def test_init_refuses_a_folder_reached_through_a_link_the_ledger_reads(tmp_path: Path) -> None:
    """A folder of the ledger that is a link out of it: a path through that link is
    inside the ledger as written (the ledger reads what is below it), though outside
    it once resolved."""
    runner = CliRunner()
    ledger, outside = tmp_path / "L", tmp_path / "out"
    assert runner.invoke(cli, ["init", str(ledger), "--name", "X"]).exit_code == 0
    outside.mkdir()
    (ledger / "journal").symlink_to(outside)
    for extra in ([], ["--copy-of", str(ledger)]):
        result = runner.invoke(
            cli, ["init", str(ledger / "journal" / "new"), "--name", "S", *extra]
        )
        assert result.exit_code == 2 and "inside the ledger" in result.output, result.output
    assert list(outside.iterdir()) == []
    assert runner.invoke(cli, ["check", "--data", str(ledger)]).exit_code == 0
