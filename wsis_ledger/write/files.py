"""Writes: new files only, each checked with the ledger first, then put in place atomically.

Nothing a person wrote is ever rewritten or reformatted: a write adds a new
file (under `imports/` or `journal/`). Under a lock on the ledger, the new
file's text is checked together with the whole ledger, read once (`loading.assemble`
with an overlay); only when that is clean is it created by `source.safefiles` (the
one way every file is made): a hidden temporary with a random name in the
folder opened without following links, flushed to disk, and linked into place
under its final name (which fails rather than replace a file). A process killed at any moment leaves the ledger
as it was or with the whole new file; a temporary file left behind starts
with `.` and is never read.

Every new file is checked before anything is written (`check_destination`):
its path, with every link resolved, lies inside the ledger folder, and a
later load reads it back (a name ending in `.yaml` in a folder the ledger
reads, no larger than a ledger file may be). A name made from an id keeps
only letters, digits and `. _ -` (`name_part`): an id never becomes a path.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from wsis_ledger.compute.checks import run_checks
from wsis_ledger.compute.stated_totals import findings as stated_findings
from wsis_ledger.compute.stated_totals import record_problems
from wsis_ledger.core.fields import FORBIDDEN_IN_TEXT, character_name
from wsis_ledger.core.language import msg, said
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.problems import LedgerError, Problem, UsageError, Where
from wsis_ledger.core.settings import Settings
from wsis_ledger.source import discovery, safefiles
from wsis_ledger.source.git import git_user
from wsis_ledger.source.loading import ParsedFiles, assemble, load, read_files
from wsis_ledger.source.snapshot import LedgerFiles
from wsis_ledger.write.yaml_text import scalar

LOCK_FILE = ".wsis-ledger.lock"
#: How long a writer waits for another to finish.
LOCK_WAIT_SECONDS = 30.0


class WriteError(Exception):
    """A write that could not be done (the ledger is locked, a file exists)."""


@contextmanager
def locked(root: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the ledger's lock; wait up to `wait` seconds for another writer to finish.

    The lock is filelock's: `flock` where there is one, the Windows lock on
    Windows, a lock file of its own elsewhere. `fcntl` is needed only for a lock file
    an older version made for its own user (`_locked_read_only`).
    """
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    path = root / LOCK_FILE
    # Never through a link: a lock file planted as a link to another file would
    # have that file created or opened in its place. Refused here with a clear
    # message; filelock (>= 3.20.3) opens the lock file with O_NOFOLLOW too, which
    # closes the moment between this look and its open.
    if os.path.islink(path):
        raise WriteError(f"cannot open the lock file {path}: it is a link; remove it")
    with warnings.catch_warnings():
        # Where there is no flock, filelock warns on import that it uses a lock file
        # of its own: that is the lock meant there, not a problem to show.
        warnings.simplefilter("ignore")
        import filelock
    # Whoever may write in the folder may take the lock: the lock file gets the
    # folder's read and write permissions (a folder shared by a group gives a lock
    # file its group can open), never one only its first writer can open again.
    try:
        mode = stat.S_IMODE(os.stat(root).st_mode) & 0o666
    except OSError:
        mode = 0o644
    lock = filelock.FileLock(path, timeout=wait, mode=mode | 0o600)
    read_only = False
    try:
        lock.acquire(poll_interval=0.05)
    except filelock.Timeout:
        raise _busy(path, wait) from None
    except PermissionError as error:
        if not os.path.isfile(path):  # a folder this user may not write to
            raise WriteError(f"cannot open the lock file {path}: {error.strerror}") from None
        # A lock file made by an older version (0644, another user's): it cannot be
        # opened to write, but it can be locked read-only, as every writer locks it.
        if os.name != "posix" or not os.access(path, os.R_OK):
            raise WriteError(_not_ours(path)) from None
        read_only = True
    except OSError as error:
        reason = "it is a link; remove it" if error.errno == errno.ELOOP else error.strerror
        raise WriteError(f"cannot open the lock file {path}: {reason}") from None
    if read_only:
        with _locked_read_only(path, wait):
            yield
        return
    try:
        yield
    finally:
        lock.release()


def _busy(path: Path, wait: float) -> WriteError:
    return WriteError(
        f"another wsis-ledger is writing to this ledger (it holds {path}); "
        f"waited {wait:g} s. Try again when it has finished."
    )


def _not_ours(path: Path) -> str:
    try:
        import pwd

        owner = f" (it belongs to {pwd.getpwuid(os.stat(path).st_uid).pw_name})"
    except (ImportError, KeyError, OSError):
        owner = ""
    return (
        f"cannot open the lock file {path}{owner}: it was made by an older version for its "
        "user only; its owner can remove it (a new one is made for everyone who may write "
        "in the folder)"
    )


@contextmanager
def _locked_read_only(path: Path, wait: float) -> Iterator[None]:
    """The write lock, held on a lock file this user may read but not write: `flock`
    needs no write access, and it locks the same file every other writer locks (the
    lock file is never replaced, so no two writers ever hold two different files).
    POSIX only: Windows has no such file modes."""
    import fcntl
    import time

    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(path, wait) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


Plan = Callable[[Ledger], Mapping[Path, str]]
#: A write's settings unless told: the caches and shortcuts (`core.settings`).
DEFAULT = Settings()


#: The longest name a write records as its author.
MAX_NAME_CHARACTERS = 200


def check_name(name: str) -> str:
    """`name` (who records a write, or approves one) as it is recorded: one line, no
    control characters, not empty; else WriteError."""
    bad = FORBIDDEN_IN_TEXT.search(name)
    if bad is not None:
        raise WriteError(
            f"--by: {character_name(bad.group())} is not allowed in a name "
            "(one line, without control characters); nothing was written"
        )
    name = name.strip()
    if not name:
        raise WriteError("--by: say who records this (a name); nothing was written")
    if len(name) > MAX_NAME_CHARACTERS:
        raise WriteError(
            f"--by: a name of at most {MAX_NAME_CHARACTERS} characters, not {len(name):,}; "
            "nothing was written"
        )
    return name


def recorder(root: Path, by: str | None = None) -> str:
    """Who records a write in the ledger at `root`: `by` where given, else git's
    `user.name <user.email>` when the folder is in a git work tree, else the login
    name (`unknown` where none can be found)."""
    if by is not None:
        return check_name(by)
    found = git_user(root)
    if found is None:
        import getpass

        try:
            found = getpass.getuser()
        except Exception:  # no login name (a container without a user entry)
            found = "unknown"
    bad = FORBIDDEN_IN_TEXT.search(found)
    return check_name(found if bad is None else FORBIDDEN_IN_TEXT.sub("?", found))


def now_utc() -> str:
    """The time now, in UTC, to the second: `2026-12-07T20:40:11Z`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(text: str, by: str, at: str) -> str:
    """A new file's text with `recorded_by` and `recorded_at` after its header comments."""
    start = 0
    while text.startswith("#", start):  # past the header, without splitting a large text
        end = text.find("\n", start)
        start = len(text) if end < 0 else end + 1
    lines = f"recorded_by: {scalar(by)}\nrecorded_at: {scalar(at)}\n"
    if start == len(text) and text and not text.endswith("\n"):
        lines = "\n" + lines
    return text[:start] + lines + text[start:]


def transact(
    root: Path,
    plan: Plan,
    *,
    dry_run: bool = False,
    findings: list[Problem] | None = None,
    after: list[Ledger] | None = None,
    settings: Settings = DEFAULT,
    by: str | None = None,
) -> Mapping[Path, str]:
    """Under the lock (none for a dry run): load the ledger once, ask `plan` for new
    files, check the ledger with them in memory, then write them.

    Raises LedgerError when the ledger's records have problems before the write,
    or would have them after it (then nothing is written). A stated total that
    differs from its rows is a finding about the published record, not a
    problem of the records: it does not stop a write (`stated_totals.record_problems`);
    the ledger's findings after the write are added to `findings`, and the
    ledger as it is after the write to `after`, where given, so that no caller
    has to read the ledger again.

    Every new file records who wrote it (`recorder`: `by`, else the git user, else
    the login name) and when (`recorded_at`, UTC): this is the one place they are
    added, for every command and script that writes.
    """
    name = recorder(root, by)  # before the lock: git may take a moment
    # The cyclic garbage collector stays off while the ledger is loaded, the rows
    # planned and the result checked: each of its full collections would walk every
    # record and row held (none of them holds a cycle), as `load` explains.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # A dry run writes nothing, so it takes no lock and leaves no lock file: it
        # checks the ledger as it stands, also while another user writes to it.
        with contextlib.nullcontext() if dry_run else locked(root):
            return _transact(root, plan, dry_run, findings, after, settings, name)
    finally:
        if collecting:
            gc.enable()


def _usable(parsed: ParsedFiles, settings: Settings) -> Ledger:
    """The ledger as it stands, or `LedgerError` when its records have problems."""
    ledger, problems = assemble(parsed, shortcuts=settings.shortcuts)
    if ledger is None or problems:
        raise LedgerError(problems)
    problems = record_problems(run_checks(ledger))
    if problems:
        raise LedgerError(problems)
    return ledger


def _transact(
    root: Path,
    plan: Plan,
    dry_run: bool,
    findings: list[Problem] | None,
    after: list[Ledger] | None,
    settings: Settings,
    by: str,
) -> Mapping[Path, str]:
    parsed = read_files(LedgerFiles(root), cache=settings.cache, shortcuts=settings.shortcuts)
    ledger = _usable(parsed, settings)
    planned = plan(ledger)
    if not planned:
        if after is not None:
            after.append(ledger)
        return planned
    at = now_utc()
    files = {path: stamp(text, by, at) for path, text in planned.items()}
    del planned
    for path, text in files.items():
        check_destination(root, path, text)
        if os.path.lexists(path):
            raise WriteError(f"{path} exists already; nothing was written")
    del ledger  # its records are shared with the ledger the new files join
    result = _checked_with(parsed, files, settings, findings)
    if not dry_run:
        for path, text in files.items():
            write_new_file(path, text, root)
    if after is not None:
        after.append(result)
    return files


def _checked_with(
    parsed: ParsedFiles,
    files: Mapping[Path, str],
    settings: Settings,
    findings: list[Problem] | None,
) -> Ledger:
    """The ledger of `parsed` with the new `files`, checked: LedgerError when its
    records have problems; its findings added to `findings`, where given."""
    result, problems = assemble(parsed, files, shortcuts=settings.shortcuts)
    if result is not None:
        problems = run_checks(result, problems)
    if findings is not None:
        findings.extend(stated_findings(problems))
    problems = record_problems(problems)
    if problems or result is None:
        raise LedgerError([_unwritten(p, parsed.root, files) for p in problems])
    return result


def _unwritten(problem: Problem, root: Path, files: Mapping[Path, str]) -> Problem:
    """A problem of a refused write: one found in a new file, which was never written,
    is told as the new record's, at the ledger folder (never at a file that does not
    exist)."""
    if problem.where.path not in files:
        return problem
    told = said(msg("new_record", "the new record: {problem}"), problem=problem.message)
    return replace(problem, where=Where(root), message=told)


def create_ledger(folder: Path, files: Mapping[Path, str], dry_run: bool = False) -> None:
    """Write the files of a new ledger in `folder` (new, or empty), each checked first
    with the others, as every write is: a ledger `check` would refuse is never
    written (`LedgerError`; a folder made here is removed again). A dry run checks
    them and makes nothing, not even the folder."""
    refuse_inside_ledger(folder)
    if dry_run:
        _check_new_ledger(folder, files)
        return
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _check_new_ledger(folder, files)
        for path, text in files.items():
            write_new_file(path, text, folder)
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when still empty
        raise


def _check_new_ledger(folder: Path, files: Mapping[Path, str]) -> None:
    """LedgerError when the ledger of `files` in `folder` has problems. (A folder not
    made yet, in a dry run, is no problem: the write would make it.)"""
    ledger, problems = load(folder, overlay=files)
    if not folder.exists():
        problems = [
            p for p in problems if not (p.code == "unreadable-folder" and p.where.path == folder)
        ]
    if ledger is not None:
        problems = run_checks(ledger, problems)
    if problems:
        raise LedgerError(problems)


def refuse_inside_ledger(folder: Path) -> None:
    """Raise `UsageError` when a new ledger in `folder` would be inside an existing
    ledger, which would then read its files as its own (`enclosing_ledger`)."""
    above = enclosing_ledger(folder)
    if above is not None:
        raise UsageError(
            f"{folder} is inside the ledger {above}, which would read the new ledger's"
            " files as its own: choose a folder outside it"
        )


def enclosing_ledger(folder: Path) -> Path | None:
    """The ledger `folder` (or the nearest folder of it that exists) is one of the folders
    of, or None: decided by file identity (`safefiles.ledger_places`), so a link or `..`
    leads to the same answer, whether the ledger is above the folder as written or as
    resolved. (A ledger elsewhere that reads the folder through a link of its own cannot
    be known from the folder.)"""
    existing = Path(os.path.abspath(folder))
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        place = safefiles.identity(existing.stat())
        real = existing.resolve()
    except OSError:
        return None
    # Each folder above it as written (a link on the way may lead out of the ledger it
    # stands in, which reads through that link) and as resolved, once each.
    aboves = dict.fromkeys([existing, *existing.parents, real, *real.parents])
    for above in aboves:
        if (above / discovery.LEDGER_FILE).is_file() and place in (
            safefiles.ledger_places(above).folders
        ):
            return above
    return None


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


def write_new_file(path: Path, text: str | bytes, root: Path) -> None:
    """Write `text` (or bytes as they are) to a new file at `path` in the ledger at `root`,
    atomically; never replaces an existing file, never writes where the ledger would
    not read it back, never through a link (`safefiles.create`)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    check_destination(root, path, data)
    _create_below(root, path, data)


def write_new_document(path: Path, data: bytes, root: Path) -> None:
    """Write a document a record names (a loan drawing's letter: any name, any bytes)
    to a new file at `path` in the ledger at `root`, as `write_new_file` writes."""
    parts = _parts_below(root, path)
    if not parts:
        raise WriteError(
            f"{path} is not a name below the ledger folder {root}; nothing was written"
        )
    _create_below(root, path, data)


def _parts_below(root: Path, path: Path) -> tuple[str, ...]:
    """The names from `root` down to `path` (none: not below it, or through `..` or a
    name starting with '.')."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return ()
    if any(part == ".." or part.startswith(".") for part in parts):
        return ()
    return parts


def _create_below(root: Path, path: Path, data: bytes) -> None:
    folder_path = path.parent.relative_to(root)
    try:
        top = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise WriteError(f"cannot open the ledger folder {root}: {error.strerror}") from None
    try:
        folder = safefiles.open_folder(folder_path, base=top, create=True)
    except safefiles.Refused as error:
        raise WriteError(f"{root / str(error)}; nothing was written") from None
    finally:
        os.close(top)
    try:
        safefiles.create(folder, path.name, data, replace=False)
    except FileExistsError:
        raise WriteError(f"{path} exists already; nothing was written") from None
    finally:
        os.close(folder)


def check_destination(root: Path, path: Path, text: str | bytes) -> None:
    """Refuse (WriteError) a new file that would land outside the ledger at `root`, or
    that a later load would not read back as it was checked."""
    parts = _parts_below(root, path)
    if not parts:
        raise WriteError(
            f"{path} is not a file the ledger in {root} reads (a name below the folder, "
            "none starting with '.'); nothing was written"
        )
    if not discovery.is_ledger_file_name(parts[-1]):
        raise WriteError(f"{path}: a ledger file's name ends in .yaml; nothing was written")
    real_root = os.path.realpath(root)
    real_folder = os.path.realpath(path.parent)
    if os.path.commonpath([real_root, real_folder]) != real_root:
        raise WriteError(
            f"{path.parent} leads outside the ledger folder (to {real_folder}, through a "
            "link); nothing was written"
        )
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > discovery.MAX_FILE_BYTES:
        raise WriteError(
            f"{path} would be {size:,} bytes, more than the {discovery.MAX_FILE_BYTES:,} "
            "a ledger file may have, and would not be read back; nothing was written"
        )


#: What a file name made from an id keeps; everything else becomes `_`.
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+|\.\.+")
#: Ids longer than this are cut in a file name (a name has at most 255 bytes).
NAME_PART_LENGTH = 64


def name_part(text: str) -> str:
    """`text` (an id) as one part of a file name: letters, digits and `. _ -` only.

    An id that had to be changed (a `/`, a space, a letter outside ASCII) or
    cut gets a short hash of itself, so that two ids never share a name.
    """
    safe = _NAME_UNSAFE.sub("_", text)[:NAME_PART_LENGTH].strip("._")
    if safe == text:
        return safe
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{safe}-{digest}" if safe else digest


def journal_path(root: Path, on: date, record_id: str, folder: str = "journal") -> Path:
    """Where a write command puts a new record: `journal/{date}-{id}.yaml` (a rate:
    `rates/{date}-{currency}.yaml`)."""
    return root / folder / f"{on.isoformat()}-{name_part(record_id)}.yaml"


def replace_output_file(path: Path, data: bytes | Iterable[bytes], ledger_root: Path) -> Path:
    """Write an output (a report, an export) to `path`, replaced whole, never half-written.

    `data` is the bytes, or their pieces in order (a large report is not held
    encoded whole).

    Refused (WriteError) in the ledger folder or below it, and onto any file the
    ledger reads, by file identity (`safefiles.ledger_places`): whatever path,
    link or hard link leads there; and inside any other ledger's folders
    (`enclosing_ledger`: the default ./data, another fund's). Through a link outside the ledger, the file
    linked to is replaced and the link kept; an existing file keeps its
    permissions; a new one gets what a plain `open()` would give it. A failed
    write leaves the old file and no temporary one. A device or a named pipe
    (`/dev/null`) is written to, not replaced. Returns the file written.
    """
    other = enclosing_ledger(path.parent)  # any ledger, not only the one read (below)
    if other is not None and not _same_folder(other, ledger_root):
        raise WriteError(
            f"{path} is inside the ledger {other}: an output is never written into a "
            "ledger (it could replace a ledger file, or be read as one); write it elsewhere"
        )
    try:
        return safefiles.replace_output(path, data, safefiles.ledger_places(ledger_root))
    except safefiles.Refused as error:
        raise WriteError(
            f"{error} {ledger_root}: an output is never written into a ledger (it could "
            "replace a ledger file); write it elsewhere"
        ) from None
    except IsADirectoryError:
        raise WriteError(f"{path} is a folder: name a file to write the output to") from None
