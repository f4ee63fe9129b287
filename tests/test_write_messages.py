"""What the writes say and refuse (issue 24's messages, issue 27's leftovers): figures
grouped as tables group them, a refused write naming no file it never wrote, `-o` that
names a folder, `--date-format` checked, and an older version's lock file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ReportJson, Run

from wsis_ledger.core import money
from wsis_ledger.write.files import LOCK_FILE, WriteError, locked

ROWS = "type,donor,amount,currency,chf,rate,date,purpose,reference\n"


def test_figures_in_messages_are_grouped_as_in_tables(
    run: Run, ledger_dir: Path, report_json: ReportJson
) -> None:
    """Spending more than the fund holds: the cash it would come to, computed from the
    report, is printed grouped by thousands, as `report` prints it."""
    cash = Decimal(report_json("--data", ledger_dir)["totals"]["received"])
    spent = cash + 1_234_567
    result = run("spend", spent, "--date", "2003-02-01", "--description", "x", "--data", ledger_dir)
    assert result.exit_code == 1
    below = money.group_thousands(cash - spent)
    assert f"spending {money.group_thousands(spent)} CHF" in result.stderr
    assert f"takes the fund's cash below zero, to {below} CHF" in result.stderr
    assert f"{below} CHF" == "-1 234 567 CHF"  # the fund has no support-cost rate


def test_a_refused_write_names_no_file_it_never_wrote(run: Run, ledger_dir: Path) -> None:
    result = run(
        "receive", "p05", "--amount", "50001", "--date", "2003-02-01", "--data", ledger_dir
    )
    assert result.exit_code == 1
    assert not (ledger_dir / "journal").exists()
    assert "journal" not in result.output and ".yaml" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.endswith(
        "ledger: the new record: the payments of pledge 'p05' settle 50 001 CHF, "
        "1 more than it promised"
    )


def test_output_naming_a_folder_is_refused(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    result = run("report", "--data", ledger_dir, "-o", f"{tmp_path / 'reports'}/")
    assert result.exit_code == 2
    assert "reports/ names a folder (it ends in '/'): name a file in it" in result.output
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("%Q", "'%Q' is not part of a date format"),
        ("%d/%m/%Y %H", "'%H' is not part of a date format"),
        ("%d/%m", "'%d/%m' gives no year"),
        ("%d/%d/%Y", "'%d/%d/%Y' gives the day twice"),
        ("%d/%m/%Y%", "a '%' at the end is not part of a date format"),
    ],
)
def test_a_date_format_is_checked_before_any_row(
    run: Run, ledger_dir: Path, tmp_path: Path, given: str, said: str
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(ROWS + "receipt,Government of Sweden,1000,CHF,,,2/1/2005,,\n")
    result = run("import", rows, "--date-format", given, "--dry-run", "--data", ledger_dir)
    assert result.exit_code == 2
    assert f"Invalid value for --date-format: {said}" in result.output


def test_a_date_format_read_the_way_it_says(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(ROWS + "receipt,Government of Sweden,1000,CHF,,,2/1/2005,,\n")
    for given, day in (("%d/%m/%Y", "2005-01-02"), ("%m/%d/%Y", "2005-02-01")):
        result = run(
            "import", rows, "--date-format", given, "--dry-run", "--format", "json",
            "--data", ledger_dir,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["rows"][0]["date"] == day


# --- a lock file an older version made for its own user ---------------------------


@pytest.fixture
def shared(ledger_dir: Path) -> Iterator[Path]:
    """The ledger in a folder every user may write to (outside the tests' own 0700
    folder), with a lock file 0644 of this user's, as an older version left it."""
    base = Path(tempfile.mkdtemp())
    base.chmod(0o777)
    root = base / "ledger"
    shutil.copytree(ledger_dir, root)
    for path in (root, *root.rglob("*")):
        path.chmod(0o777 if path.is_dir() else 0o666)
    (root / LOCK_FILE).touch()
    (root / LOCK_FILE).chmod(0o644)
    yield root
    shutil.rmtree(base)


NOBODY = 65534


def _can_run_as_nobody() -> bool:
    """Root can run this Python as another user (not when it lives in root's own folder)."""
    if os.name != "posix" or os.geteuid() != 0:
        return False
    try:
        subprocess.run([sys.executable, "-c", "pass"], user=NOBODY, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


@pytest.mark.skipif(not _can_run_as_nobody(), reason="needs root, and a Python another user runs")
def test_another_users_old_lock_file_does_not_block_a_write(shared: Path) -> None:
    nobody = NOBODY
    cache = shared.parent / "cache"
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    command = [sys.executable, "-m", "wsis_ledger", "cancel", "p02", "--date", "2003-02-01"]
    command += ["--note", "withdrawn", "--by", "Nobody", "--data", str(shared)]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "HOME": str(cache)}
    with locked(shared, wait=0):  # held by this user: the other one waits
        waiting = subprocess.Popen(
            command, env=env, user=nobody, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=1.5)
        assert not (shared / "journal").exists()
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "recorded p02-cancelled-1" in out
    (written,) = (shared / "journal").iterdir()
    assert written.stat().st_uid == nobody


def test_a_lock_file_that_cannot_be_written_is_locked_read_only(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As another user sees an older version's lock file: it may be read, not written."""
    import filelock

    def refused(self: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refused)
    # Held: another writer on the same file waits (and gives up after its wait).
    with (
        locked(shared, wait=0),
        pytest.raises(WriteError, match="another wsis-ledger is writing"),
        locked(shared, wait=0.2),
    ):
        pass
    with locked(shared, wait=0):  # released
        pass


def test_a_folder_without_a_lock_file_that_cannot_be_written_says_so(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No lock file, and none can be made: the reason as the system gives it, not a
    word about an older version's lock file."""
    import filelock

    def refused(self: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    (shared / LOCK_FILE).unlink()
    monkeypatch.setattr(filelock.FileLock, "acquire", refused)
    with (
        pytest.raises(WriteError, match=r"cannot open the lock file .*: Permission denied$"),
        locked(shared, wait=0),
    ):
        pass
