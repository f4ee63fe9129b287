"""`init --copy-of`: a ledger to work on, copied byte for byte from another (or the shipped one)."""

from __future__ import annotations

from pathlib import Path

from conftest import ANNEX, Run, edit

from wsis_ledger.source.discovery import shipped_ledger


def test_a_copy_of_the_shipped_ledger_is_the_same_and_writable(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    result = run("init", target, "--copy-of", "shipped")
    assert result.exit_code == 0, result.output
    shipped = sorted(p.relative_to(shipped_ledger()) for p in shipped_ledger().rglob("*.yaml"))
    assert sorted(p.relative_to(target) for p in target.rglob("*.yaml")) == shipped
    for name in shipped:
        assert (target / name).read_bytes() == (shipped_ledger() / name).read_bytes()
    paid = run("receive", "p02", "--amount", "1000", "--rate", "0.92", "--date", "2003-03-15",
               "--data", target)  # fmt: skip
    assert paid.exit_code == 0, paid.output


def test_a_copy_is_refused_into_a_folder_in_use_or_from_a_broken_ledger(
    run: Run, tmp_path: Path, ledger_dir: Path
) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    result = run("init", taken, "--copy-of", "shipped")
    assert result.exit_code == 2 and "not an empty folder" in result.output
    assert [p.name for p in taken.iterdir()] == ["notes.txt"]
    result = run("init", tmp_path / "x", "--copy-of", tmp_path / "nowhere")
    assert (
        result.exit_code == 2
        and "--copy-of" in result.output
        and "holds no ledger" in result.output
    )
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    result = run("init", tmp_path / "y", "--copy-of", ledger_dir)
    assert result.exit_code == 1 and "nothing was copied" in result.output
    assert not (tmp_path / "y").exists()
