"""Where the ledger is, and which of its files are read: light enough for every start-up.

The ledger a command reads is, in order: `--data DIR`, the environment
variable WSIS_LEDGER_DATA, `./data` when it holds a ledger, and otherwise the
copy of the project's `data/` shipped inside the package.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from wsis_ledger.core.errors import UsageError

if TYPE_CHECKING:
    # Imported where a problem is made: a clean scan (every start) needs neither.
    from wsis_ledger.core.problems import Problem

LEDGER_FILE = "ledger.yaml"
#: Files larger than this are refused before they are read.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: A ledger's files in all: bytes read (four of the largest files; about two million
#: entries, some 2.5 GB of memory as bench/ measures a check), files and folders listed.
#: Past one, the rest is not read, and the ledger has a `ledger-too-large` problem.
MAX_LEDGER_BYTES = 256 * 1024 * 1024
MAX_LEDGER_FILES = 100_000
MAX_LEDGER_FOLDERS = 10_000
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


#: The extensions of ledger files, in any case (`.yaml`, `.YML`, ...).
YAML_SUFFIXES = (".yaml", ".yml")


def is_ledger_file_name(name: str) -> bool:
    """True for a name the ledger reads: a YAML extension in any case, not hidden.

    Names starting with `.` are never read: writes put their temporary files there.
    """
    return not name.startswith(".") and name.lower().endswith(YAML_SUFFIXES)


class Scan(NamedTuple):
    """The files of a ledger, and what stood in the way of finding them all.

    (A NamedTuple: cheaper to define at each start than a dataclass; see `cache.Cached`.)"""

    files: list[Path]
    problems: list[Problem]
    #: Every folder listed (linked ones as reached), the ledger folder first.
    folders: tuple[Path, ...] = ()


def scan(root: Path) -> Scan:
    """Every YAML file below `root` (`ledger.yaml` first, then in path order), and problems.

    Linked folders are followed; a folder met a second time (a link back to a
    folder that holds it, or two links to one folder) is named, not read
    twice. A folder that cannot be listed is a problem, and so is a link that
    leads nowhere with a ledger file's name (it is read, and cannot be) or a
    name without an extension (it may have been a folder); any other such link
    is a warning (`_dangling`): nothing below the ledger folder is passed over
    without a word, and a stray link fails nothing.
    Names starting with `.` are not read.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    seen: dict[tuple[int, int], Path] = {}
    # Each folder to list, with the identities of the folders that hold it.
    pending: list[tuple[Path, tuple[tuple[int, int], ...]]] = [(root, ())]
    while pending and len(seen) < MAX_LEDGER_FOLDERS and len(files) <= MAX_LEDGER_FILES:
        folder, holders = pending.pop()
        try:
            info = os.stat(folder)
            identity = (info.st_dev, info.st_ino)
            if identity in seen:
                problems.append(_met_again(folder, seen[identity], identity in holders))
                continue
            seen[identity] = folder
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name, reverse=True)
        except OSError as error:
            problems.append(_unlistable(folder, error))
            continue
        below = _entries(folder, entries, files, problems)
        pending.extend((path, (*holders, identity)) for path in below)
    if pending or len(files) > MAX_LEDGER_FILES:  # stopped at a bound: the rest is unread
        problems.append(_too_many(root, len(seen), len(files)))
    files.sort(key=file_order(root))
    return Scan(files[:MAX_LEDGER_FILES], problems, tuple(seen.values()))


def _entries(
    folder: Path, entries: list[os.DirEntry[str]], files: list[Path], problems: list[Problem]
) -> list[Path]:
    """`scan` of one folder's entries: its ledger files added to `files`, what is wrong
    to `problems`; the folders in it, to list next."""
    folders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            is_folder = entry.is_dir()
            dangling = entry.is_symlink() and not os.path.exists(path)
        except OSError as error:
            problems.append(_unlistable(path, error))
            continue
        if is_ledger_file_name(entry.name):
            files.append(path)  # reading it names what is wrong with it (a folder, ...)
        elif dangling:
            problems.append(_dangling(path))
        if is_folder:
            folders.append(path)
    return folders


def ledger_files(root: Path) -> list[Path]:
    """Every YAML file of the ledger, `ledger.yaml` first, then in path order."""
    return scan(root).files


def _met_again(folder: Path, first: Path, holds_it: bool) -> Problem:
    from wsis_ledger.core.problems import Problem, Where, display_path

    if holds_it:
        message = (
            f"this folder leads back to {display_path(first)}, which holds it (a link in a loop): "
            "it is not read again; remove the link"
        )
        return Problem(Where(folder), "folder-loop", message)
    message = (
        f"this folder is {display_path(first)} again (through a link): it is not read twice, "
        "which would count its entries twice; remove one of the two"
    )
    return Problem(Where(folder), "folder-twice", message)


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", " ")  # as every message groups a figure


def _too_many(root: Path, folders: int, files: int) -> Problem:
    from wsis_ledger.core.problems import Problem, Where

    message = (
        f"the ledger holds more than {_grouped(MAX_LEDGER_FILES)} files or "
        f"{_grouped(MAX_LEDGER_FOLDERS)} folders (listed so far: {_grouped(files)} files in "
        f"{_grouped(folders)} folders); the rest is not read: keep each fund's ledger in a "
        "folder of its own, or split its years apart"
    )
    return Problem(Where(root), "ledger-too-large", message)


def _dangling(path: Path) -> Problem:
    """A link that leads nowhere: a problem where it may have stood for a folder (a
    name without an extension, `statements`); a warning for a stray link with the
    name of a file the ledger does not read (`notes.txt`), which fails nothing."""
    from wsis_ledger.core.problems import Problem, Where

    try:
        target = f"a link to {os.readlink(path)}"
    except OSError:
        target = "a link"
    if not path.suffix:
        message = f"this is {target}, which leads nowhere: what it stood for is not read"
        return Problem(Where(path), "broken-link", message)
    message = (
        f"this is {target}, which leads nowhere; not a ledger file's name, so nothing "
        "is missing from the ledger (remove the link, or mend it)"
    )
    return Problem(Where(path), "broken-link", message, severity="warning")


def _unlistable(folder: Path, error: OSError) -> Problem:
    from wsis_ledger.core.problems import Problem, Where

    message = (
        f"this folder cannot be read ({error.strerror or error}): the entries in it "
        "are missing from the ledger until it can be"
    )
    return Problem(Where(folder), "unreadable-folder", message)


def file_order(root: Path) -> Callable[[Path], tuple[bool, Path]]:
    return lambda path: (path != root / LEDGER_FILE, path)
