"""Nothing lost: an import killed at any moment, and two imports at once."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ReportJson, Run

from wsis_ledger.source.discovery import shipped_ledger

ROWS = 1500


def big_csv(path: Path, prefix: str, rows: int = ROWS) -> Path:
    lines = ["type,donor,amount,currency,chf,rate,date,purpose,reference"]
    lines += [f"receipt,sweden,{n + 1},CHF,,,2003-01-10,,{prefix}-{n}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def cli(*args: str | Path) -> subprocess.Popen[bytes]:
    """`wsis-ledger ARGS` in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "wsis_ledger", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.yaml"))
        if not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def test_an_import_killed_at_any_moment_leaves_the_ledger_whole(
    run: Run, tmp_path: Path, report_json: ReportJson
) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), root)
    source = big_csv(tmp_path / "big.csv", "K")
    before = files(root)
    # How long a whole import takes here, to spread the kills over it.
    started = time.monotonic()
    probe_root = tmp_path / "probe"
    shutil.copytree(root, probe_root)
    assert cli("import", "--data", probe_root, source).communicate(timeout=120)[1] == b""
    duration = time.monotonic() - started
    chance = random.Random(20021220)
    # The first kill comes while the process is still starting, long before it can write:
    # a kill that leaves the ledger as it was must be seen, or the kills missed the import.
    delays = [duration * 0.02] + [chance.uniform(0, duration * 1.1) for _ in range(7)]
    outcomes = []
    for delay in delays:
        process = cli("import", "--data", root, source)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = files(root)
        assert run("check", "--data", root).exit_code == 0
        if after == before:
            outcomes.append("unchanged")
            continue
        # Fully imported: one new file, every row in it.
        assert {k: v for k, v in after.items() if k in before} == before
        assert len(after) == len(before) + 1
        assert len(report_json("--data", root)["received"]["entries"]) == 14 + ROWS
        outcomes.append("imported")
        break
    # Each kill left one of the two states (asserted above); one left it unchanged.
    assert outcomes[0] == "unchanged"
    # A temporary file may be left behind: hidden (its name starts with a dot), so that
    # no command reads it as part of the ledger (the check above passed with it there).
    leftovers = [p.name for p in root.rglob("*.tmp")]
    assert [name for name in leftovers if not name.startswith(".")] == []


def test_two_imports_at_once_lose_and_double_nothing(
    run: Run, tmp_path: Path, report_json: ReportJson
) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), root)
    first = big_csv(tmp_path / "a.csv", "A", 300)
    second = big_csv(tmp_path / "b.csv", "B", 300)
    processes = [
        cli("import", "--data", root, first),
        cli("import", "--data", root, second),
        cli("import", "--data", root, first),
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    assert len(report_json("--data", root)["received"]["entries"]) == 14 + 600
    assert run("check", "--data", root).exit_code == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_writer_waiting_too_long_gets_a_clear_message(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wsis_ledger.write import files as writing

    root = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), root)
    monkeypatch.setattr(writing, "LOCK_WAIT_SECONDS", 0.2)
    with writing.locked(root):
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from wsis_ledger.write import files as writing; writing.LOCK_WAIT_SECONDS = 0.2\n"
                "from wsis_ledger.commands.main import cli; cli()",
                "receive",
                "p05",
                "--amount",
                "1",
                "--data",
                str(root),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert child.returncode == 1
    assert "another wsis-ledger is writing to this ledger" in child.stderr
    assert "Traceback" not in child.stderr
