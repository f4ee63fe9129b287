"""After an edit only the changed files are read again (each whole), and the answer
is exactly the answer of `--no-cache`, through changes, additions, removals and
renames."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ANNEX, Run, edit

from wsis_ledger.source import loading

COMMANDS = [("check",), ("check", "--format", "json"), ("report", "--format", "json")]


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files parsed (not taken from the per-file cache), in order."""
    seen: list[Path] = []
    real = loading._parse

    def counting(path: Path, text: str, *args: Any, **kwargs: Any) -> object:
        seen.append(path)
        return real(path, text, *args, **kwargs)

    monkeypatch.setattr(loading, "_parse", counting)
    return seen


def assert_same_as_fresh(run: Run, ledger: Path) -> None:
    for command in COMMANDS:
        cached = run(*command, "--data", ledger)
        fresh = run(*command, "--data", ledger, "--no-cache")
        assert (cached.exit_code, cached.stdout, cached.stderr) == (
            fresh.exit_code,
            fresh.stdout,
            fresh.stderr,
        ), command


def more_entries(n: int, donor: str = "itu") -> str:
    rows = [f"  - {{id: extra-{n}-{i}, donor: {donor}, chf: {100 + i}}}" for i in range(5)]
    return "received:\n" + "\n".join(rows) + "\n"


def test_one_changed_file_is_the_only_one_read_again(
    run: Run, ledger_dir: Path, parsed: list[Path]
) -> None:
    (ledger_dir / "extra.yaml").write_text(more_entries(1))
    files = sorted(ledger_dir.rglob("*.yaml"))
    run("check", "--data", ledger_dir, "--no-cache")
    assert sorted(parsed) == files  # --no-cache reads every file, and keeps nothing
    parsed.clear()
    run("check", "--data", ledger_dir)
    assert sorted(parsed) == files
    parsed.clear()
    edit(ledger_dir / "extra.yaml", "chf: 101", "chf: 102")
    run("check", "--data", ledger_dir)
    assert parsed == [ledger_dir / "extra.yaml"]
    parsed.clear()
    edit(ledger_dir / "extra.yaml", "chf: 102", "chf: 101")  # back to bytes read before
    run("check", "--data", ledger_dir, "--format", "json")
    assert parsed == []


def test_changes_additions_removals_and_renames_give_the_fresh_answer(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    assert_same_as_fresh(run, ledger_dir)
    (ledger_dir / "extra.yaml").write_text(more_entries(1))
    assert_same_as_fresh(run, ledger_dir)
    edit(ledger_dir / "extra.yaml", "chf: 101", "chf: 1010")
    assert_same_as_fresh(run, ledger_dir)
    (ledger_dir / "sub").mkdir()
    (ledger_dir / "extra.yaml").rename(ledger_dir / "sub" / "extra.yaml")  # same bytes, new path
    assert_same_as_fresh(run, ledger_dir)
    (ledger_dir / "broken.yaml").write_text(more_entries(2, donor="nobody"))  # a problem
    assert_same_as_fresh(run, ledger_dir)
    (ledger_dir / "twice.yaml").write_text((ledger_dir / "broken.yaml").read_text())  # same ids
    assert_same_as_fresh(run, ledger_dir)
    (ledger_dir / "broken.yaml").unlink()
    (ledger_dir / "twice.yaml").unlink()
    assert_same_as_fresh(run, ledger_dir)
    (ledger_dir / "fund-again.yaml").write_text((ledger_dir / "ledger.yaml").read_text())
    assert_same_as_fresh(run, ledger_dir)  # a fund given twice: named where it is
    (ledger_dir / "fund-again.yaml").unlink()
    (ledger_dir / "bad.yaml").write_text("received: [unclosed\n")
    assert_same_as_fresh(run, ledger_dir)
    (ledger_dir / "bad.yaml").write_text("received:\n  - {id: x, donor: itu, chf: 1, typo: 2}\n")
    assert_same_as_fresh(run, ledger_dir)
    (ledger_dir / "bad.yaml").unlink()
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    assert_same_as_fresh(run, ledger_dir)


def test_swapped_and_copied_files_give_the_fresh_answer(run: Run, ledger_dir: Path) -> None:
    (ledger_dir / "a.yaml").write_text(more_entries(1))
    (ledger_dir / "b.yaml").write_text(more_entries(2, donor="nobody"))
    assert_same_as_fresh(run, ledger_dir)
    a, b = (ledger_dir / "a.yaml").read_text(), (ledger_dir / "b.yaml").read_text()
    (ledger_dir / "a.yaml").write_text(b)
    (ledger_dir / "b.yaml").write_text(a)
    assert_same_as_fresh(run, ledger_dir)
    copy = ledger_dir.parent / "copy"
    shutil.copytree(ledger_dir, copy)  # the same bytes under other paths
    assert_same_as_fresh(run, copy)


@pytest.mark.parametrize("seed", range(3))
def test_random_edits_give_the_fresh_answer(run: Run, ledger_dir: Path, seed: int) -> None:
    chance = random.Random(seed)
    names = [f"f{n}.yaml" for n in range(4)]
    for step in range(6):
        name = chance.choice(names)
        path = ledger_dir / name
        action = chance.choice(["write", "write", "remove", "break"])
        if action == "remove":
            path.unlink(missing_ok=True)
        elif action == "break":
            path.write_text(more_entries(step, donor=chance.choice(["itu", "nobody"])) + "  - x\n")
        else:
            path.write_text(more_entries(chance.randrange(3)))
        assert_same_as_fresh(run, ledger_dir)
