"""Shared fixtures: a private copy of the shipped ledger, and a CLI runner."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from wsis_ledger.commands.main import cli
from wsis_ledger.source.discovery import ENVIRONMENT_VARIABLE, shipped_ledger

ANNEX = "annex-2002-12-20.yaml"


@pytest.fixture(autouse=True)
def _no_ambient_ledger(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read a ledger from the caller's environment or working directory,
    nor a cache of the caller's: each has its own, empty."""
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.delenv("WSIS_LEDGER_NO_CACHE", raising=False)
    monkeypatch.delenv("WSIS_LEDGER_PLAIN", raising=False)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)  # as on a machine outside CI
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # Outputs say when they were generated: a fixed time, so that two runs (a fresh
    # one and one answered from the cache) can be compared byte for byte.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # Outputs take their language from LANGUAGE, LC_ALL or LANG when --lang is not given:
    # English, whatever the caller's locale (a test of another language says --lang).
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def ledger_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped ledger."""
    target = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), target)
    return target


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run `wsis-ledger ARGS...`, returning click's result (exit code, stdout, stderr)."""

    def invoke(*args: str | Path, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


ReportJson = Callable[..., dict[str, Any]]


@pytest.fixture
def report_json(run: Run) -> ReportJson:
    """`report_json(*options)`: `wsis-ledger report --format json OPTIONS...` read as a
    document, after asserting that it exits 0."""

    def read(*args: str | Path) -> dict[str, Any]:
        result = run("report", "--format", "json", *args)
        assert result.exit_code == 0, result.output
        document: dict[str, Any] = json.loads(result.stdout)
        return document

    return read


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` (a regular expression) by `new` in a file, failing if it is not there."""
    text = path.read_text(encoding="utf-8")
    changed, n = re.subn(old, new, text, count=count, flags=re.MULTILINE)
    assert n, f"{old!r} not found in {path}"
    path.write_text(changed, encoding="utf-8")
