"""The one switch: `WSIS_LEDGER_PLAIN=1` takes the plain path (no cache of any kind,
no in-process shortcut), read once when a command starts; `--no-cache` turns the
caches off and keeps the shortcuts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.core import quick
from wsis_ledger.core.settings import PLAIN, Settings, from_environment

COMMANDS = [
    ("check",),
    ("check", "--format", "json"),
    ("report", "--format", "json"),
    ("report", "--format", "csv"),
    ("pledges", "--format", "json"),
    ("donor", "switzerland", "--format", "json"),
    ("budget", "--format", "json"),
]


@pytest.mark.parametrize(
    ("environ", "no_cache", "expected"),
    [
        ({}, False, Settings(cache=True, shortcuts=True)),
        ({}, True, Settings(cache=False, shortcuts=True)),
        ({"WSIS_LEDGER_NO_CACHE": "1"}, False, Settings(cache=False, shortcuts=True)),
        ({"WSIS_LEDGER_PLAIN": "1"}, False, PLAIN),
        ({"WSIS_LEDGER_PLAIN": "yes"}, True, PLAIN),
        ({"WSIS_LEDGER_PLAIN": "0"}, False, Settings(cache=True, shortcuts=True)),
        ({"WSIS_LEDGER_PLAIN": ""}, False, Settings(cache=True, shortcuts=True)),
    ],
)
def test_the_settings_a_run_takes(
    environ: dict[str, str], no_cache: bool, expected: Settings
) -> None:
    assert from_environment(no_cache, environ) == expected
    assert from_environment(no_cache, environ).plain == (expected == PLAIN)


def cache_entries(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache" / "wsis-ledger"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_the_plain_path_writes_and_reads_no_cache_and_takes_no_shortcut(
    run: Run, ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the switch nothing is kept, nothing is made the quick way, and every
    output is the one the default path gives (warm, then from its caches)."""
    fast = {}
    for command in COMMANDS:
        run(*command, "--data", ledger_dir)
        result = run(*command, "--data", ledger_dir)
        fast[command] = (result.exit_code, result.stdout, result.stderr)
    assert cache_entries(tmp_path)
    (tmp_path / "cache").rename(tmp_path / "kept")
    made_quickly: list[object] = []
    real = quick.quick_validate

    def noting(model: object, raw: object) -> object:
        made_quickly.append(model)
        return real(model, raw)  # type: ignore[arg-type]

    monkeypatch.setattr(quick, "quick_validate", noting)
    monkeypatch.setattr("wsis_ledger.source.loading.quick_validate", noting)
    monkeypatch.setenv("WSIS_LEDGER_PLAIN", "1")
    for command in COMMANDS:
        result = run(*command, "--data", ledger_dir)
        assert (result.exit_code, result.stdout, result.stderr) == fast[command], command
    assert cache_entries(tmp_path) == []
    assert made_quickly == []
    monkeypatch.delenv("WSIS_LEDGER_PLAIN")
    run("check", "--data", ledger_dir, "--no-cache")
    assert made_quickly  # the shortcuts stay under --no-cache
    assert cache_entries(tmp_path) == []


def test_a_write_under_the_switch_keeps_no_cache(
    run: Run, ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WSIS_LEDGER_PLAIN", "1")
    result = run(
        "receive",
        "p01",
        "--amount",
        "1",
        "--rate",
        "1.4",
        "--date",
        "2003-01-02",
        "--data",
        ledger_dir,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("recorded ")
    assert cache_entries(tmp_path) == []
