"""The README is a test: every `wsis-ledger` line of its shell blocks, run in order in an
empty folder (the project's `examples/` copied into it), exits 0, or the exit code
its trailing comment names (`# exit 1`). So are the guide's, in a folder of their own.

A line is run by bash as written (pipes and `&&` included) with the project's
environment on PATH; lines of other programs (`pip`, `cd`) are shown, not run:
the walkthrough must work with `wsis-ledger` alone. A line whose comment says
`without network` (`# exit 1 without network`) runs with every proxy variable
pointing at a closed local port, so it shows the same exit code on a machine
that has a network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "guide.md"]
FENCE = re.compile(r"^```(\S*)\s*$")
EXPECTED = re.compile(r"#.*\bexit (\d+)\b[^#]*$")
SHELL_BLOCKS = {"", "sh", "shell", "bash", "console"}
NO_NETWORK = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused


def shell_lines(document: Path) -> list[tuple[int, str]]:
    """(line number, command) for each `wsis-ledger` line of the shell blocks, in order;
    a line ending in a backslash continues on the next."""
    found: list[tuple[int, str]] = []
    inside, pending, start = False, "", 0
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
        fence = FENCE.match(line)
        if fence:
            inside = not inside and fence.group(1) in SHELL_BLOCKS
            continue
        if not inside:
            continue
        if not pending:
            start = number
        pending += line.rstrip("\\").rstrip() + " " if line.endswith("\\") else line
        if line.endswith("\\"):
            continue
        if pending.lstrip().startswith("wsis-ledger "):
            found.append((start, pending.strip()))
        pending = ""
    return found


def expected_exit(command: str) -> int:
    match = EXPECTED.search(command)
    return int(match.group(1)) if match else 0


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_command_of_the_document_runs_as_written(document: Path, tmp_path: Path) -> None:
    assert document.is_file(), f"{document} is missing"
    lines = shell_lines(document)
    assert lines, f"{document.name} shows no wsis-ledger command"
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copytree(ROOT / "examples", folder / "examples")
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WSIS_LEDGER") and key != "COLUMNS"
    }
    environment.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}",
        HOME=str(tmp_path / "home"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    failures = []
    offline = dict(
        environment,
        **{
            name: NO_NETWORK
            for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
        },
        no_proxy="",
        NO_PROXY="",
    )
    for number, command in lines:
        ran = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=folder,
            env=offline if "without network" in command else environment,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        if ran.returncode != expected_exit(command):
            failures.append(
                f"{document.name}:{number}: {command}\n  exit {ran.returncode}, "
                f"expected {expected_exit(command)}: {(ran.stderr or ran.stdout).strip()[:300]}"
            )
    assert not failures, "\n".join(failures)
