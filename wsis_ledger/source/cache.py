"""A cache of command output, keyed on exactly the bytes the output was made from.

The key is a SHA-256 over the tool's version (and the size and time of its
modules and of the libraries that shape its output), the command and its options,
the working directory and the ledger's folder as written (problems name paths
relative to them), and the path and content of every ledger file. A ledger whose
folder cannot be listed whole (a link that leads nowhere, a folder met twice)
has no key: its answer names what is wrong, so it is made afresh each time. A run looks
its answer up under the key of the files as they are; a run that had to read
the ledger stores its answer under the key of the bytes the loader actually
read (`Reads`), never of bytes read before or after: a file changed during a
run can never leave an answer filed under content it was not made from.

Entries live under `$XDG_CACHE_HOME/wsis-ledger` (default `~/.cache/wsis-ledger`;
no cache at all when neither is an absolute path), never in the ledger's folder,
in a folder only its owner may write. Each entry carries its key and an HMAC
(keyed by a random secret kept in that folder) of its key and content: a damaged,
truncated, renamed or planted entry is passed over and the answer made afresh.
Entries are written through a temporary file, removed if the write fails, and
only the newest are kept. A cache that cannot be read or written is passed over
without a word: it only ever saves time.

This module imports nothing heavy: a hit costs hashing the files, no YAML,
no pydantic.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import stat
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable

from wsis_ledger import __version__
from wsis_ledger.source.discovery import MAX_FILE_BYTES, scan

MAX_ENTRIES = 256
#: Per-file records (see `filecache`): one a file, so more of them.
MAX_RECORD_ENTRIES = 2048
NO_CACHE_VARIABLE = "WSIS_LEDGER_NO_CACHE"
SECRET_FILE = "secret"
RECORDS_FOLDER = "records"
#: A temporary file older than this was left by a run that was killed: removed.
STALE_SECONDS = 600


class Cached(NamedTuple):
    """What a command printed, and how it ended.

    A NamedTuple, not a dataclass, as `Reads` is a plain class: the classes a cache
    hit defines are made at every start, and a dataclass costs some 4 million
    instructions to make, a NamedTuple under 1 (bench/HISTORY.md)."""

    #: The text, or its pieces in order (an answer written as it is made, never kept).
    stdout: str | Iterable[str]
    stderr: str
    exit_code: int


class Reads:
    """What a load read: each file's path (relative to `root`) and the SHA-256 of its bytes.

    `complete` is False when something was not read whole (unreadable, not a
    regular file, too large): such a run's answer is not cached.
    """

    def __init__(self) -> None:
        self.root: Path | None = None
        self.files: list[tuple[str, bytes]] = []
        self.complete = True

    def start(self, root: Path) -> None:
        """A load of `root` begins; a second load in one run is not cached."""
        if self.root is not None:
            self.complete = False
        self.root = root

    def add(self, path: Path, digest: bytes) -> None:
        """`path` was read whole, and its bytes hash to `digest`."""
        try:
            assert self.root is not None, "start() first"
            self.files.append((str(path.relative_to(self.root)), digest))
        except ValueError:  # not below the root: nothing a key could describe
            self.complete = False


def cache_dir() -> Path | None:
    """The cache's folder, or None when there is no absolute place for one."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: ignored, as the XDG spec says
        home = os.environ.get("HOME", "")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "wsis-ledger"


#: Libraries whose upgrade could change an output; the key notes their files. click
#: prints every answer (and parses the command line `commands.early` remembers).
LIBRARIES = ("pydantic", "pydantic_core", "yaml", "iso4217", "tabulate", "wcwidth", "click")


@cache
def code_fingerprint() -> str:
    """The size and modification time of this tool's modules and of the libraries that
    shape its output: a changed or upgraded module means another key. The libraries are
    found on sys.path as Python would find them, without importing anything (not even
    importlib.util, which alone costs a start-up some 3 ms). Taken once a process (a
    first run asked for it four times): the code that runs is the code imported then."""
    files = sorted(_modules(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    for name in LIBRARIES:
        for entry in sys.path:
            candidate = os.path.join(entry or ".", name, "__init__.py")
            if os.path.isfile(candidate):
                files.append(candidate)
                break
    parts = []
    for path in files:
        info = os.stat(path)
        parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def _modules(folder: str) -> list[str]:
    """Every `.py` file below `folder`, `__pycache__` left out. Listed with os.scandir,
    not `Path.rglob`: on a cache hit the glob was some 3 ms of 4 spent outside the
    imports (bench/HISTORY.md)."""
    found = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found.extend(_modules(entry.path))
            elif entry.name.endswith(".py"):
                found.append(entry.path)
    return found


def _key(root: Path, files: list[tuple[str, bytes]], command: str, options: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    fixed = (__version__, sys.version, code_fingerprint(), command, *options)
    # The folder as written and as an absolute path, and the working directory:
    # together they fix every path an output names.
    spelled = (str(root), os.path.abspath(root), str(Path.cwd()))
    for part in (*fixed, *spelled, str(len(files))):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for relative, content in files:
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0" + content)
    return digest.hexdigest()


def key(root: Path, command: str, *options: str) -> str | None:
    """The key for `command` with `options` over the ledger at `root` as it is now
    (None: something unreadable, not a plain file, or a folder not listed whole)."""
    try:
        files = ledger_digests(root)
        return None if files is None else _key(root, files, command, options)
    except (OSError, ValueError):
        return None  # something unreadable, or a working folder gone: likewise


def ledger_digests(root: Path) -> list[tuple[str, bytes]] | None:
    """Each ledger file's path (relative to `root`) and the SHA-256 of its bytes, in the
    order the ledger reads them; None when the folder is not listed whole (the answer
    then names a problem of the listing, which no key of the files describes) or a file
    is not a plain one. May raise OSError."""
    found = scan(root)
    if found.problems:
        return None
    files = []
    for path in found.files:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None  # a pipe, a folder, a huge file: let the full run say what
        with open(path, "rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
        files.append((str(path.relative_to(root)), hashlib.sha256(content).digest()))
    return files


def key_of(reads: Reads, command: str, *options: str) -> str | None:
    """The key of the bytes a load actually read (None: it did not read them all)."""
    if not reads.complete or reads.root is None:
        return None
    try:
        return _key(reads.root, reads.files, command, options)
    except (OSError, ValueError):
        return None


# --- the store: one folder, entries sealed with the folder's secret -----------------


def _folder(create: bool) -> Path | None:
    """The cache folder when it is ours alone (created when asked), else None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return None  # a symlink, a file, someone else's folder
        if info.st_mode & 0o022:  # others could plant entries: make it private, or pass
            os.chmod(folder, 0o700)
    except (OSError, AttributeError):  # AttributeError: no getuid (Windows)
        return None
    return folder


def _secret(folder: Path, create: bool) -> bytes | None:
    path = folder / SECRET_FILE
    try:
        with open(path, "rb") as handle:
            secret = handle.read(65)
        return secret if len(secret) == 32 else None
    except FileNotFoundError:
        if not create:
            return None
    except OSError:
        return None
    # Written beside, then linked into place: two first runs never see half a secret.
    temporary = _write_temporary(folder, os.urandom(32))
    if temporary is None:
        return None
    try:
        os.link(temporary, path)
    except OSError:
        pass  # another run made it first: read theirs
    finally:
        _remove(temporary)
    return _secret(folder, create=False)


def _seal(secret: bytes, entry_key: str, payload: bytes) -> bytes:
    return hmac.new(secret, entry_key.encode() + b"\0" + payload, hashlib.sha256).digest()


def read_entry(entry_key: str, subfolder: str = "") -> bytes | None:
    """The content stored under `entry_key`, if it is there and intact."""
    folder = _folder(create=False)
    if folder is None:
        return None
    secret = _secret(folder, create=False)
    if secret is None:
        return None
    try:
        with open(folder / subfolder / entry_key, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    seal, payload = data[:32], data[32:]
    if not hmac.compare_digest(seal, _seal(secret, entry_key, payload)):
        return None  # damaged, truncated, renamed from another key, or planted
    return payload


def write_entry(entry_key: str, payload: bytes, subfolder: str = "") -> None:
    """Store `payload` under `entry_key`, sealed; keep only the newest entries."""
    folder = _folder(create=True)
    if folder is None:
        return
    secret = _secret(folder, create=True)
    if secret is None:
        return
    target = folder / subfolder
    try:
        if subfolder:
            target.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return
    temporary = _write_temporary(target, _seal(secret, entry_key, payload) + payload)
    if temporary is None:
        return
    replaced = False
    try:
        os.replace(temporary, target / entry_key)
        replaced = True
    except OSError:
        return
    finally:
        if not replaced:
            _remove(temporary)
    _prune(target, MAX_RECORD_ENTRIES if subfolder else MAX_ENTRIES)


def _write_temporary(folder: Path, data: bytes) -> str | None:
    """A new hidden file in `folder` holding `data` (None, and nothing left, on failure)."""
    # As `tempfile.mkstemp` makes one (a new name, created only if absent, readable
    # by its owner alone), without importing tempfile, shutil and the compressors
    # they bring: some 8 M instructions of a first run (bench/HISTORY.md).
    name = os.path.join(folder, f".{os.urandom(8).hex()}.tmp")
    try:
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError:
        return None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except OSError:  # a full disk, say
        _remove(name)
        return None
    except BaseException:  # an interrupt: nothing left behind either
        _remove(name)
        raise
    return name


def _remove(name: str | Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _prune(folder: Path, keep: int) -> None:
    """Now and then: only the newest `keep` entries, and no temporary file of a killed run."""
    import time

    try:
        names = os.listdir(folder)
        if len(names) <= keep + keep // 4:
            return
        entries = []
        for name in names:
            path = folder / name
            info = os.lstat(path)
            if name.endswith(".tmp"):
                if time.time() - info.st_mtime > STALE_SECONDS:
                    _remove(path)
            elif stat.S_ISREG(info.st_mode) and name != SECRET_FILE:
                entries.append((info.st_mtime, path))
        entries.sort()
        for _, old in entries[:-keep]:
            _remove(old)
    except OSError:
        return


# --- command output ------------------------------------------------------------------


#: An output entry's file name: its key and this suffix.
OUTPUT_SUFFIX = ".out"


def get(entry_key: str) -> Cached | None:
    """The cached output for a key, or None."""
    payload = read_entry(entry_key + OUTPUT_SUFFIX)
    if payload is None:
        return None
    try:
        stored_key, stdout, stderr, exit_code = marshal.loads(payload)
        if stored_key != entry_key:
            return None
        return Cached(str(stdout), str(stderr), int(exit_code))
    except (ValueError, EOFError, TypeError):
        return None


def put(entry_key: str, result: Cached) -> None:
    """Store an output; keep only the newest MAX_ENTRIES.

    Written with `marshal`, not JSON: a hit then never imports `json` (some 2 ms
    of its start; bench/HISTORY.md). Only sealed entries are ever read (`read_entry`),
    and the key holds Python's version, whose marshal format it is."""
    if not isinstance(result.stdout, str):
        return  # an answer in pieces is written as it is made, and not kept
    entry = (entry_key, result.stdout, result.stderr, result.exit_code)
    write_entry(entry_key + OUTPUT_SUFFIX, marshal.dumps(entry))


def enabled(no_cache_flag: bool) -> bool:
    """False when `--no-cache` is given or $WSIS_LEDGER_NO_CACHE is set."""
    return not no_cache_flag and not os.environ.get(NO_CACHE_VARIABLE)
