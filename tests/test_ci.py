"""Checks that CI understands (issue 14): GitHub annotations, a pre-commit hook, the
workflow in docs/ci.md, and writes where there is no fcntl (Windows)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from wsis_ledger.source.discovery import shipped_ledger

# --- writes without fcntl -------------------------------------------------------

#: Python that runs wsis-ledger with `import fcntl` failing, as it does on Windows.
WITHOUT_FCNTL = (
    "import sys\n"
    "sys.modules['fcntl'] = None  # import fcntl now raises ImportError\n"
    "from wsis_ledger.commands.main import cli\n"
    "cli()\n"
)


def without_fcntl(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_FCNTL, *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "WSIS_LEDGER_NO_CACHE": "1"},
        check=False,
    )


def test_a_write_works_where_fcntl_does_not_exist(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), root)
    written = without_fcntl(
        "receive", "p05", "--amount", "1", "--date", "2003-06-01", "--data", root, cwd=tmp_path
    )
    assert written.returncode == 0, written.stderr
    assert written.stderr.count("\n") <= 1 and "Traceback" not in written.stderr
    assert "warning" not in written.stderr.lower()
    [new] = (root / "journal").glob("*.yaml")
    assert "amount: 1" in new.read_text(encoding="utf-8")
    # The write is in the ledger, checked, and no lock is left held: a second one works.
    again = without_fcntl(
        "receive", "p05", "--amount", "2", "--date", "2003-06-02", "--data", root, cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    assert len(list((root / "journal").glob("*.yaml"))) == 2
    checked = without_fcntl("check", "--data", root, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_without_fcntl_a_second_writer_still_waits_then_says_why(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), root)
    script = (
        "import sys\n"
        "sys.modules['fcntl'] = None\n"
        "from pathlib import Path\n"
        "from wsis_ledger.write import files\n"
        f"root = Path({str(root)!r})\n"
        "with files.locked(root):\n"
        "    try:\n"
        "        with files.locked(root, wait=0.2):\n"
        "            print('acquired twice')\n"
        "    except files.WriteError as error:\n"
        "        print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "another wsis-ledger is writing to this ledger" in result.stdout
    assert "acquired twice" not in result.stdout
