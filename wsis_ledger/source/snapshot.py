"""A ledger folder listed once, and each of its files read at most once.

A command makes one `LedgerFiles` for the folder it found, and everything it
does with the ledger's bytes goes through it: the key of the printed-answers
cache (`digests`, which reads every file first) and the load (`take`, which
gives each file's bytes once and lets them go). So the bytes an answer is
filed under are the bytes its figures were made from, even when a file
changes while the command runs.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from wsis_ledger.source.discovery import MAX_FILE_BYTES, MAX_LEDGER_BYTES, scan

if TYPE_CHECKING:
    # Imported where a problem is made: a clean read (every start) needs none.
    from wsis_ledger.core.problems import Problem

#: A file's bytes, or None and the problems of reading it.
Read = tuple["bytes | None", "list[Problem]"]


class LedgerFiles:
    """The files of the ledger at `root` (`paths`, in the order it reads them), what
    stood in the way of listing them all (`problems`), and each file's bytes."""

    def __init__(self, root: Path, *, keep: bool = False) -> None:
        found = scan(root)
        self.root = root
        self.paths: list[Path] = found.files
        self.problems: list[Problem] = found.problems
        #: Bytes read ahead (`digests`), given out once by `take`.
        self._held: dict[Path, Read] = {}
        #: The SHA-256 of each file's bytes as read, in the order read.
        self._digests: dict[Path, bytes] = {}
        #: False when a file could not be read whole, or the folder not listed whole.
        self.whole = not found.problems
        #: With `keep`, the bytes given out stay here (`kept`): a copy writes the very
        #: bytes that were checked, without reading them again.
        self._kept: dict[Path, bytes] | None = {} if keep else None
        #: The bytes read so far: the ledger's files in all are bounded (`MAX_LEDGER_BYTES`).
        self._total = 0

    def take(self, path: Path) -> Read:
        """The bytes of `path` (read now, or earlier by `digests`), or the problem of
        reading it; each file's bytes are given out once."""
        held = self._held.pop(path, None)
        read = held if held is not None else self._read(path)
        if self._kept is not None and read[0] is not None:
            self._kept[path] = read[0]
        return read

    def kept(self, path: Path) -> bytes | None:
        """The bytes `take` gave out for `path` (a `LedgerFiles` made with `keep`)."""
        return None if self._kept is None else self._kept.get(path)

    def _read(self, path: Path) -> Read:
        left = MAX_LEDGER_BYTES - self._total
        raw, problems = read_bytes(path, min(MAX_FILE_BYTES, left))
        if raw is None:
            self.whole = False
            if left < MAX_FILE_BYTES and problems and problems[0].code == "file-too-large":
                problems = [_over_ledger_bound(path, self._total)]
        else:
            self._total += len(raw)
            self._digests[path] = hashlib.sha256(raw).digest()
        return raw, problems

    def digest(self, path: Path) -> bytes | None:
        """The SHA-256 of the bytes of `path` as they were read (None: not read)."""
        return self._digests.get(path)

    def digests(self) -> list[tuple[str, bytes]] | None:
        """Each file's path (relative to the folder) and the SHA-256 of its bytes, every
        file read now if it was not yet (its bytes held for `take`); None when the
        folder was not listed whole or a file not read whole: nothing a key could
        describe (such a ledger's answer names that problem, and is made afresh)."""
        for path in self.paths:
            if path not in self._digests and path not in self._held:
                self._held[path] = self._read(path)
        if not self.whole:
            return None
        try:
            return [(str(path.relative_to(self.root)), self._digests[path]) for path in self.paths]
        except (KeyError, ValueError):
            return None


def read_bytes(path: Path, max_bytes: int | None = None) -> Read:
    """The bytes of a regular file of at most `max_bytes` (default MAX_FILE_BYTES);
    else None, and the problem."""
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, [_problem(path, "not-a-file", "this is not a regular file")]
        if info.st_size > max_bytes:
            return None, [too_large(path, info.st_size, max_bytes)]
        with open(path, "rb") as handle:
            # As much as the file holds (asking for the limit would make a
            # buffer of the limit's size, 64 MB, for every file), and, if it
            # grew while we looked, as much more as the limit allows.
            raw = handle.read(min(info.st_size, max_bytes) + 1)
            if len(raw) > info.st_size:
                raw += handle.read(max_bytes + 1 - len(raw))
    except OSError as error:
        reason = f"the file cannot be read: {error.strerror or error}"
        return None, [_problem(path, "unreadable", reason)]
    if len(raw) > max_bytes:  # it grew while we looked
        reason = f"the file is more than the {max_bytes:,} bytes a ledger file may have"
        return None, [_problem(path, "file-too-large", reason)]
    return raw, []


def _problem(path: Path, code: str, message: str) -> Problem:
    from wsis_ledger.core.problems import Problem, Where

    return Problem(Where(path), code, message)


def _over_ledger_bound(path: Path, read: int) -> Problem:
    grouped = [f"{number:,}".replace(",", " ") for number in (MAX_LEDGER_BYTES, read)]
    reason = (
        f"the ledger's files come to more than the {grouped[0]} bytes a ledger may have in "
        f"all with this one ({grouped[1]} read before it): it is not read; split the "
        "fund's years into ledgers of their own"
    )
    return _problem(path, "ledger-too-large", reason)


def too_large(path: Path, size: int, max_bytes: int) -> Problem:
    """The problem of a file of `size` bytes, over `max_bytes`."""
    reason = (
        f"the file is {size:,} bytes, more than the {max_bytes:,} a ledger "
        "file may have; split it into several files"
    )
    return _problem(path, "file-too-large", reason)
