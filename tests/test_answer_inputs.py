"""Every input an answer reads is in the one list its cache key is made from
(`answers.INPUTS`): flipping any of them with a warm cache gives `--no-cache`'s
answer, never the earlier one."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run

import wsis_ledger
from wsis_ledger import answers
from wsis_ledger.source import store
from wsis_ledger.source.snapshot import LedgerFiles

COMMANDS = [("check",), ("check", "--format", "json"), ("report", "--format", "json")]


def outcome(run: Run, *args: str | Path) -> tuple[int, str, str]:
    result = run(*args)
    return result.exit_code, result.stdout, result.stderr


def same_as_fresh(run: Run, data: str) -> None:
    for command in COMMANDS:
        cached = outcome(run, *command, "--data", data)
        assert cached == outcome(run, *command, "--data", data, "--no-cache"), command


Flip = Callable[[pytest.MonkeyPatch, Path], None]


def _version(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(answers, "__version__", wsis_ledger.__version__ + ".post1")


def _python(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")


def _code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(store, "code_fingerprint", lambda: "another build")


def _working_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "ledger").symlink_to(tmp_path / "ledger")
    monkeypatch.chdir(elsewhere)


def _folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The same spelling `ledger`, the same bytes, another folder (a copy): problems
    # name paths below it.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copytree(tmp_path / "ledger", elsewhere / "ledger")
    monkeypatch.chdir(elsewhere)


def _source_date_epoch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")


FLIPS: dict[str, Flip] = {
    "version": _version,
    "python": _python,
    "code": _code,
    "folder as written": lambda monkeypatch, tmp_path: None,  # `ledger/../ledger` below
    "folder": _folder,
    "working folder": _working_folder,
    "SOURCE_DATE_EPOCH": _source_date_epoch,
}


def test_every_declared_input_has_a_flip() -> None:
    assert [name for name, _ in answers.INPUTS] == list(FLIPS)


@pytest.mark.parametrize("name", list(FLIPS))
def test_each_input_flipped_with_a_warm_cache_gives_the_fresh_answer(
    run: Run, ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    data = "ledger"
    for command in COMMANDS:
        run(*command, "--data", data)  # warm
    before = answers.key(LedgerFiles(Path(data)), COMMANDS[0])
    FLIPS[name](monkeypatch, tmp_path)
    if name == "folder as written":
        data = "ledger/../ledger"
    assert answers.key(LedgerFiles(Path(data)), COMMANDS[0]) != before
    same_as_fresh(run, data)


def test_source_date_epoch_set_after_a_run_is_the_time_printed(
    run: Run, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    run("report", "--format", "json", "--data", ledger_dir)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    document = json.loads(run("report", "--format", "json", "--data", ledger_dir).stdout)
    assert document["generated"]["at"] == "1970-01-01T00:00:00Z"


#: Variables the package reads that are not inputs of an answer's text: they choose
#: the ledger folder (whose path is an input), or the cache itself, or pydantic's plugins.
NOT_ANSWER_INPUTS = {
    "WSIS_LEDGER_DATA",
    "WSIS_LEDGER_NO_CACHE",
    "WSIS_LEDGER_PLAIN",
    "XDG_CACHE_HOME",
    "HOME",
    "PYDANTIC_DISABLE_PLUGINS",
    # `check --format github` only: the repository root it makes of it is one of its options.
    "GITHUB_WORKSPACE",
}


def test_every_variable_the_package_reads_is_an_input_or_named_as_none() -> None:
    """A variable read anywhere in the package is either an input of the key or one
    of those that choose the folder or the cache: a new one fails here."""
    package = Path(wsis_ledger.__file__).parent
    read: set[str] = set()
    pattern = re.compile(
        r"""(?:environ\.get|getenv|environ\.setdefault|environ\[)\(?\s*["']([A-Z_]+)["']"""
    )
    for module in package.rglob("*.py"):
        read.update(pattern.findall(module.read_text(encoding="utf-8")))
    constants = re.compile(r"""^([A-Z_]+_VARIABLE|ENVIRONMENT_VARIABLE) = "([A-Z_]+)"$""", re.M)
    for module in package.rglob("*.py"):
        read.update(value for _, value in constants.findall(module.read_text(encoding="utf-8")))
    assert "SOURCE_DATE_EPOCH" in read
    assert read - NOT_ANSWER_INPUTS - set(answers.ENVIRONMENT) == set()
