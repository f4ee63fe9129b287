"""Issue 27's weaker write faults: the lock of a shared folder, a dry run, `init`."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.write.files import LOCK_FILE, locked

CSV = "type,donor,amount,currency,chf,rate,date,purpose,reference\n"


@pytest.mark.parametrize("folder_mode", [0o755, 0o775, 0o777, 0o700])
def test_the_lock_file_opens_to_whoever_may_write_in_the_folder(
    ledger_dir: Path, folder_mode: int
) -> None:
    ledger_dir.chmod(folder_mode)
    with locked(ledger_dir):
        mode = stat.S_IMODE((ledger_dir / LOCK_FILE).stat().st_mode)
    assert mode == (folder_mode & 0o666) | 0o600


def test_a_dry_run_takes_no_lock_and_leaves_no_file(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(CSV + "pledge,Government of Sweden,1000,CHF,,,2003-01-02,other,SE-9\n")
    before = sorted(p.name for p in ledger_dir.iterdir())
    result = run("import", rows, "--dry-run", "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in ledger_dir.iterdir()) == before
    with locked(ledger_dir, wait=0):  # another user writing: a dry run still answers
        result = run("import", rows, "--dry-run", "--data", ledger_dir)
        assert result.exit_code == 0, result.output
        assert "would add" in result.output


@pytest.mark.parametrize("name", ["a\nb", "x\ry", "tab\there", "bell\x07", "bidi\u202e"])
def test_init_never_writes_a_ledger_check_refuses(run: Run, tmp_path: Path, name: str) -> None:
    result = run("init", tmp_path / "new", "--name", name)
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "new").exists()
    (tmp_path / "empty").mkdir()
    assert run("init", tmp_path / "empty", "--name", name).exit_code == 1
    assert list((tmp_path / "empty").iterdir()) == []


def test_init_copy_of_copies_byte_for_byte(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    donors = ledger_dir / "donors.yaml"
    donors.write_bytes(donors.read_bytes().replace(b"\n", b"\r\n"))
    assert run("check", "--data", ledger_dir).exit_code == 0
    result = run("init", tmp_path / "copy", "--copy-of", ledger_dir)
    assert result.exit_code == 0, result.output

    def files(root: Path) -> dict[Path, bytes]:
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*.yaml")}

    assert files(tmp_path / "copy") == files(ledger_dir)
    assert b"\r\n" in files(tmp_path / "copy")[Path("donors.yaml")]
