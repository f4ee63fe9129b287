"""The one way a file is created: no link followed, a random temporary, then put in place.

Every new file the tool makes (a ledger file a write adds, an output of
`-o`, a cache entry) goes through `create`:

1. its folder is opened one name at a time from a folder already open
   (`open_folder`), each with `O_NOFOLLOW`: a link anywhere on the way is
   refused, never followed, and a folder swapped for a link in between is
   refused too, because nothing is looked up by its path a second time;
2. a temporary with a random name (starting with `.`, which no load reads) is
   created in that open folder with `O_CREAT | O_EXCL | O_NOFOLLOW`: a file
   or link planted at any name is never opened;
3. every byte is written (`write_all`), flushed to disk, and the temporary is
   linked into place under its name (a new ledger file: never replacing a
   file that is there) or renamed over it (an output, a cache entry), both
   relative to the open folder.

Containment is decided by file identity, not by how a path is spelled:
`Protected` holds the device and inode of every folder and file a ledger
reads (links resolved), and `replace_output` refuses to write any of them,
or anything in a folder below one of them, whichever path or link leads
there (a hard link to a ledger file too).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from wsis_ledger.core.streams import write_all

Identity = tuple[int, int]

#: Opening a folder on the way: no link followed, closed in a child process.
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
#: A folder only passed through: looked up in, never read (one without read permission too).
_PASSING = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
#: Creating the temporary: a new file only, never through a link.
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class Refused(Exception):
    """A file that is not created: a link on the way, a name taken, a protected place."""


class Protected(NamedTuple):
    """The identities of what a ledger reads: its folders and its files (links resolved)."""

    folders: frozenset[Identity]
    files: frozenset[Identity]


def identity(info: os.stat_result) -> Identity:
    """A file's identity: its device and inode, the same whatever path reaches it."""
    return (info.st_dev, info.st_ino)


def open_folder(
    path: Path, *, base: int | None = None, create: bool = False, mode: int = 0o777
) -> int:
    """The folder `path` opened, with no link followed on the way: from `base` (an open
    folder; `path` is then relative) or from `/` (`path` must then be absolute).

    With `create`, folders that are missing are made (with `mode`, less the umask).
    Raises `Refused` for a link or `..` on the way, OSError for the rest. The caller
    closes the descriptor returned."""
    return _walk(path, base, create, None, mode)


def _walk(
    path: Path, base: int | None, create: bool, chain: list[Identity] | None, mode: int = 0o777
) -> int:
    if base is None:
        if not path.is_absolute():
            raise ValueError(f"{path} is not absolute")
        current = os.open("/", _FOLDER if path == Path("/") else _PASSING)
        parts = path.parts[1:]
    else:
        current = os.dup(base)
        parts = path.parts
    if chain is not None:
        chain.append(identity(os.fstat(current)))
    try:
        walked = Path(path.anchor) if base is None else Path()
        names = [part for part in parts if part not in ("", ".")]
        for number, part in enumerate(names, 1):
            walked = walked / part
            if part == "..":
                raise Refused(f"{walked}: a path with '..' in it is not followed")
            flags = _FOLDER if number == len(names) else _PASSING
            following = _step(current, part, walked, create, flags, mode)
            os.close(current)
            current = following
            if chain is not None:
                chain.append(identity(os.fstat(current)))
        return current
    except BaseException:
        os.close(current)
        raise


def _step(folder: int, name: str, walked: Path, create: bool, flags: int, mode: int) -> int:
    """The folder `name` in the open `folder`, opened without following a link."""
    for _ in range(2):
        try:
            return os.open(name, flags, dir_fd=folder)
        except FileNotFoundError:
            if not create:
                raise
            with contextlib.suppress(FileExistsError):  # made by another process meanwhile
                os.mkdir(name, mode, dir_fd=folder)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK) and _is_link(folder, name):
                raise Refused(f"{walked} is a link: a file is never written through one") from None
            raise
    return os.open(name, flags, dir_fd=folder)


def _is_link(folder: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False


def create(
    folder: int,
    name: str,
    data: bytes | Iterable[bytes],
    *,
    replace: bool,
    mode: int | None = None,
    durable: bool = True,
) -> None:
    """Create the file `name` in the open `folder` holding `data` (bytes, or pieces in
    order), whole or not at all.

    `replace`: rename over a file of that name (an output, a cache entry); else a
    file of that name makes it fail with `FileExistsError`, and nothing is
    replaced (a new ledger file). `mode`: the file's permissions (else the
    umask's). `durable`: flushed to disk before it is put in place (not for a
    cache entry, whose seal tells a damaged one). A failure leaves no temporary
    behind."""
    if "/" in name or name in ("", ".", ".."):
        raise ValueError(f"{name!r} is not a file name")
    temporary = f".{name[:64]}.{os.urandom(8).hex()}.tmp"
    descriptor = os.open(temporary, _NEW, 0o666 if mode is None else 0o600, dir_fd=folder)
    placed = False
    try:
        try:
            for chunk in [data] if isinstance(data, bytes) else data:
                write_all(descriptor, chunk)
            if mode is not None:
                os.fchmod(descriptor, mode)
            if durable:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if replace:
            os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        else:
            _link_new(folder, temporary, name)
        placed = True
        if durable:
            os.fsync(folder)
    finally:
        if not placed or not replace:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary, dir_fd=folder)


def _link_new(folder: int, temporary: str, name: str) -> None:
    """Give the temporary its name, failing (FileExistsError) when the name is taken."""
    try:
        os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as error:
        # A file system without hard links (FAT, some network ones): a rename that
        # never replaces (Linux's renameat2 with RENAME_NOREPLACE), where there is one.
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
            raise
        _rename_no_replace(folder, temporary, name, error)


def _rename_no_replace(folder: int, temporary: str, name: str, why: OSError) -> None:
    import ctypes  # only here: a file system without hard links

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise why
    no_replace = 1  # RENAME_NOREPLACE
    if renameat2(folder, os.fsencode(temporary), folder, os.fsencode(name), no_replace) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), name)


def replace_output(path: Path, data: bytes | Iterable[bytes], protected: Protected) -> Path:
    """Write an output to `path`, replaced whole, never in or below what `protected` holds.

    A link at `path` (or on the way to it) is resolved once, here, to the file
    it names; from then on nothing is followed. An existing file keeps its
    permissions; a new one gets the umask's. A device or a named pipe
    (`/dev/null`) is written to, not replaced. Raises `Refused` for a
    protected place (naming it), OSError for the rest; returns the file written.
    """
    target = Path(os.path.realpath(path))
    chain: list[Identity] = []
    folder = _walk(target.parent, None, False, chain)
    try:
        if any(place in protected.folders for place in chain):
            raise Refused(f"{path} is inside the ledger folder")
        try:
            info = os.stat(target.name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            create(folder, target.name, data, replace=True)
            return target
        if stat.S_ISLNK(info.st_mode):
            raise Refused(f"{path} became a link while it was written to")
        if identity(info) in protected.files or identity(info) in protected.folders:
            raise Refused(f"{path} is a file of the ledger")
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
        if not stat.S_ISREG(info.st_mode):
            # A device, a named pipe or a socket (`-o /dev/null`, `-o /dev/stdout`):
            # written to as it is, never replaced by a file.
            _write_to_device(folder, target.name, data)
            return target
        create(folder, target.name, data, replace=True, mode=stat.S_IMODE(info.st_mode))
        return target
    finally:
        os.close(folder)


def _write_to_device(folder: int, name: str, data: bytes | Iterable[bytes]) -> None:
    descriptor = os.open(name, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
    try:
        for chunk in [data] if isinstance(data, bytes) else data:
            write_all(descriptor, chunk)
    finally:
        os.close(descriptor)


def protected_places(folders: Iterable[Path], files: Iterable[Path]) -> Protected:
    """The identities of `folders` and `files`, each with every link resolved (one that
    cannot be looked at is left out: it cannot be written to through this either)."""
    return Protected(frozenset(_identities(folders)), frozenset(_identities(files)))


def _identities(paths: Iterable[Path]) -> Iterator[Identity]:
    for path in paths:
        with contextlib.suppress(OSError):
            yield identity(os.stat(path))


def ledger_places(root: Path) -> Protected:
    """What the ledger at `root` reads, by identity: the folder, every folder listed
    below it (linked ones too) and every ledger file."""
    from wsis_ledger.source.discovery import scan

    found = scan(root)
    return protected_places([root, *found.folders], found.files)
