"""The README is a test: every `wsis-ledger` line of its shell blocks, run in order in an
empty folder (the project's `examples/` copied into it), exits 0, or the exit code
its trailing comment names (`# exit 1`). So is every document of docs/, each in a
folder of its own; and a test fails when a shell block would be passed over (a fence
not closed, a `wsis-ledger` line in a block of a kind that is not run).

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
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\S*)\s*$")
EXPECTED = re.compile(r"#.*\bexit (\d+)\b[^#]*$")
SHELL_BLOCKS = {"", "sh", "shell", "bash", "console"}
#: Blocks that are shown, never run: a `wsis-ledger` line may stand in them only as data.
SHOWN_BLOCKS = {"yaml", "json", "csv", "text", "python"}


def blocks(document: Path) -> list[tuple[str, int, list[str]]]:
    """Each fenced block of `document`: (its kind, the line of its opening fence, its
    lines). A fence opens a block and the next bare ``` closes it."""
    found: list[tuple[str, int, list[str]]] = []
    kind: str | None = None
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
        fence = FENCE.match(line)
        if kind is None and fence:
            kind = fence.group(1)
            found.append((kind, number, []))
        elif kind is not None and line.strip() == "```":
            kind = None
        elif kind is not None:
            found[-1][2].append(line)
    assert kind is None, f"{document.name}: the block opened on line {found[-1][1]} is not closed"
    return found


NO_NETWORK = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused


def shell_lines(document: Path) -> list[tuple[int, str]]:
    """(line number, command) for each `wsis-ledger` line of the shell blocks, in order;
    a line ending in a backslash continues on the next."""
    found: list[tuple[int, str]] = []
    for kind, opened, lines in blocks(document):
        if kind not in SHELL_BLOCKS:
            continue
        pending, start = "", 0
        for number, line in enumerate(lines, opened + 1):
            if not pending:
                start = number
            pending += line.rstrip("\\").rstrip() + " " if line.endswith("\\") else line
            if line.endswith("\\"):
                continue
            if pending.lstrip().startswith("wsis-ledger "):
                found.append((start, pending.strip()))
            pending = ""
    return found


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_no_shell_block_is_passed_over(document: Path) -> None:
    """Every block is closed, every `wsis-ledger` line of a shell block is run, and none
    stands in a block of another kind (it would never be run)."""
    found = blocks(document)
    in_shell = sum(
        1
        for kind, _, lines in found
        if kind in SHELL_BLOCKS
        for line in lines
        if line.lstrip().startswith("wsis-ledger ")
    )
    assert len(shell_lines(document)) == in_shell
    for kind, opened, lines in found:
        assert kind in SHELL_BLOCKS | SHOWN_BLOCKS, f"{document.name}:{opened}: a block of {kind!r}"
        if kind in SHOWN_BLOCKS:
            commands = [line for line in lines if line.lstrip().startswith("wsis-ledger ")]
            assert commands == [], f"{document.name}:{opened}: not run, in a {kind} block"


def test_the_guide_is_run_to_its_end() -> None:
    """The guide's last `wsis-ledger` line is among those run (the old reader stopped at
    its first ```yaml block)."""
    guide = ROOT / "docs" / "guide.md"
    text = guide.read_text(encoding="utf-8").splitlines()
    last = max(n for n, line in enumerate(text, 1) if line.lstrip().startswith("wsis-ledger "))
    assert max(number for number, _ in shell_lines(guide)) >= last - 1


def expected_exit(command: str) -> int:
    match = EXPECTED.search(command)
    return int(match.group(1)) if match else 0


RUN = [document for document in DOCUMENTS if shell_lines(document)]


def test_the_readme_and_the_guide_are_run() -> None:
    assert {ROOT / "README.md", ROOT / "docs" / "guide.md"} <= set(RUN)


@pytest.mark.parametrize("document", RUN, ids=lambda p: p.name)
def test_every_command_of_the_document_runs_as_written(document: Path, tmp_path: Path) -> None:
    assert document.is_file(), f"{document} is missing"
    lines = shell_lines(document)
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


#: Programs a `wsis-ledger` line may pipe to that `pip install .` does not install.
OTHER_PROGRAMS = ("bean-check", "hledger", "jq")


def test_a_line_that_needs_another_program_says_how_to_install_it() -> None:
    """`pip install .` gives wsis-ledger and its libraries, not bean-check or hledger:
    the README's line says what to install (it exited 127 after the README's install)."""
    lines = shell_lines(ROOT / "README.md")
    needing = [
        c for _, c in lines if any(re.search(rf"(&&|\|)\s*{p}\b", c) for p in OTHER_PROGRAMS)
    ]
    assert needing, "the README shows no line that needs another program"
    for command in needing:
        used = [p for p in OTHER_PROGRAMS if re.search(rf"(&&|\|)\s*{p}\b", command)]
        comment = command.partition("#")[2]
        assert all(p in comment and "install" in comment for p in used), command


def test_the_readme_python_runs_and_prints_what_it_says(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, "the README shows the library"
    monkeypatch.chdir(ROOT)  # its "data" is the project's shipped ledger
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # the README's own code
        # Each print's comment starts with what it prints (a note may follow in brackets).
        said = [
            line.split("#", 1)[1].split("(")[0].strip()
            for line in block.splitlines()
            if line.startswith("print(")
        ]
        assert capsys.readouterr().out.splitlines() == said
