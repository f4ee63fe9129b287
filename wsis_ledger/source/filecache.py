"""The records read from one file, kept by the file's bytes: after an edit, only
the files that changed are read again.

An entry is what one file gives before it meets the others (`FileRecords`:
its records, statement and problems, each knowing its place), pickled. Its
key is a SHA-256 over the tool's code fingerprint, the file's path as the
loader names it (problems carry it) and the SHA-256 of the file's bytes, so
an entry is only ever found for the very bytes it was read from. Entries are
sealed like the output cache's (`cache.read_entry`: a damaged or planted entry
is passed over), and read back by an unpickler that makes nothing but the
ledger's own record types, Decimal, date and paths: even a forged seal could
not make it run anything.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wsis_ledger.core import models
from wsis_ledger.core.models import Fund, Record, Statement
from wsis_ledger.core.problems import Problem
from wsis_ledger.source import cache
from wsis_ledger.source.yamlsource import Positions


@dataclass
class FileRecords:
    """What one file gives: records by section, its fund and statement, its problems.

    `funds` holds each fund with the number of the file's problems found before
    it, so that a fund given twice is reported in its place when files meet.
    """

    positions: Positions | None = None
    funds: list[tuple[int, Fund]] = field(default_factory=list)
    sections: dict[str, list[Record]] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_ALLOWED = frozenset(
    {
        ("decimal", "Decimal"),
        ("datetime", "date"),
        ("pathlib", "PosixPath"),
        ("pathlib", "WindowsPath"),
        ("wsis_ledger.core.problems", "Problem"),
        ("wsis_ledger.core.problems", "Where"),
        ("wsis_ledger.core.models", "Place"),
        ("wsis_ledger.source.yamlsource", "Positions"),
        (__name__, "FileRecords"),
    }
)


class _LedgerUnpickler(pickle.Unpickler):
    """Makes only the types a file's records are made of."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module == models.__name__:
            found = getattr(models, name, None)
            if isinstance(found, type) and issubclass(found, Record):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a type of the ledger")


def file_key(fingerprint: str, path: Path, digest: bytes) -> str:
    """The key of the file at `path` whose bytes have the SHA-256 `digest`."""
    key = hashlib.sha256(fingerprint.encode("utf-8", "surrogateescape") + b"\0")
    key.update(str(path).encode("utf-8", "surrogateescape") + b"\0" + digest)
    return key.hexdigest()


def get(key: str, text: str) -> FileRecords | None:
    """The records kept under `key`, placed in `text` (the file's text), or None."""
    payload = cache.read_entry(key, cache.RECORDS_FOLDER)
    if payload is None:
        return None
    try:
        found = _LedgerUnpickler(io.BytesIO(payload)).load()
    except Exception:  # damaged in any way: read the file instead
        return None
    if not isinstance(found, FileRecords):
        return None
    if found.positions is not None:
        found.positions.text = text
    return found


def put(key: str, records: FileRecords) -> None:
    """Keep a file's records under `key`."""
    try:
        payload = pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    cache.write_entry(key, payload, cache.RECORDS_FOLDER)
