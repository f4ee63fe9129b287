"""Where the ledger is, and which of its files are read: light enough for every start-up.

The ledger a command reads is, in order: `--data DIR`, the environment
variable WSIS_LEDGER_DATA, `./data` when it holds a ledger, and otherwise the
copy of the project's `data/` shipped inside the package.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from wsis_ledger.core.problems import UsageError

LEDGER_FILE = "ledger.yaml"
#: Files larger than this are refused before they are read.
MAX_FILE_BYTES = 64 * 1024 * 1024
ENVIRONMENT_VARIABLE = "WSIS_LEDGER_DATA"


def holds_ledger(folder: Path) -> bool:
    """True when `folder` is a ledger: it has a `ledger.yaml`."""
    return (folder / LEDGER_FILE).is_file()


def packaged_ledger() -> Path:
    """Where a built package keeps its copy of the project's `data/` (beside this module:
    the ledger is read as files, so the package is installed as files)."""
    return Path(__file__).resolve().parent.parent / "ledger_data"


def shipped_ledger() -> Path:
    """The ledger shipped inside the package (built from the project's `data/`).

    In a source checkout that was not built (an editable install), the
    project's own `data/` beside the package.
    """
    packaged = packaged_ledger()
    if holds_ledger(packaged):
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "data"


def find_ledger(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """The folder to read: `--data`, then $WSIS_LEDGER_DATA, then `./data`, then the shipped one."""
    if explicit is not None:
        return _must_hold_ledger(explicit, "--data")
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE)
    if from_environment:
        return _must_hold_ledger(Path(from_environment), ENVIRONMENT_VARIABLE)
    local = (cwd or Path.cwd()) / "data"
    if holds_ledger(local):
        return local
    return shipped_ledger()


def _must_hold_ledger(folder: Path, given_by: str) -> Path:
    if not folder.exists():
        raise UsageError(f"{given_by}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise UsageError(f"{given_by}: {folder} is not a folder")
    if not holds_ledger(folder):
        raise UsageError(
            f"{given_by}: {folder} holds no ledger (no {LEDGER_FILE}); "
            "create one with 'wsis-ledger init'"
        )
    return folder


def ledger_files(root: Path) -> list[Path]:
    """Every YAML file of the ledger, `ledger.yaml` first, then in path order."""
    found = [
        path
        for path in root.rglob("*")
        if path.suffix in (".yaml", ".yml")
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]
    return sorted(found, key=file_order(root))


def file_order(root: Path) -> Callable[[Path], tuple[bool, Path]]:
    return lambda path: (path != root / LEDGER_FILE, path)
