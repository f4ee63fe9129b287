"""The cache of printed answers: what `check` and `report` printed, kept by all it was made from.

It lives above the library and the writers, beside the commands whose output it
keeps: an entry is the printed text, its standard error and exit code. Its key
is a SHA-256 of `INPUTS`, the one declared list of everything an answer
depends on beyond the ledger's bytes, and of the path and SHA-256 of every
ledger file as the run read it (`LedgerFiles`: each file read once, so an
answer is filed under the very bytes its figures were made from). A ledger
whose folder is not listed whole, or whose files are not all read whole, has
no key: its answer names the problem, and is made afresh each time.

The time an answer says it was generated is `SOURCE_DATE_EPOCH` where set (one
of the inputs); without it, an answer from the cache keeps the time it was
computed, which is when its figures were last worked out from those files.

Entries are sealed in the store's `answers/` folder (`source.store`).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from wsis_ledger import __version__
from wsis_ledger.source import store

# How the commands find the ledger folder and list it once (the key is made of it,
# the load then reads it): the same as `api.find_ledger` and `api.LedgerFiles`,
# named here so that an answer from the cache needs not import the library.
from wsis_ledger.source.discovery import ENVIRONMENT_VARIABLE as ENVIRONMENT_VARIABLE
from wsis_ledger.source.discovery import find_ledger as find_ledger
from wsis_ledger.source.snapshot import LedgerFiles as LedgerFiles

#: The store's subfolder of answers.
ANSWERS_FOLDER = "answers"
#: Environment variables an answer's text depends on (beyond those that choose the
#: ledger folder, whose path is an input itself).
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


class Cached(NamedTuple):
    """What a command printed, and how it ended."""

    #: The text, or its pieces in order (an answer written as it is made, never kept).
    stdout: str | Iterable[str]
    stderr: str
    exit_code: int


#: Everything an answer depends on beside the ledger's files, each a name and how to
#: read it for the folder `root` (as written); `key` hashes them in this order.
INPUTS: tuple[tuple[str, Callable[[Path], str]], ...] = (
    ("version", lambda root: __version__),
    ("python", lambda root: sys.version),
    ("code", lambda root: store.code_fingerprint()),
    ("folder as written", str),
    ("folder", os.path.abspath),
    ("working folder", lambda root: str(Path.cwd())),
    *((name, lambda root, name=name: os.environ.get(name, "\0unset")) for name in ENVIRONMENT),
)


def key(files: LedgerFiles, options: tuple[str, ...]) -> str | None:
    """The key of the answer with `options` (the command and its parsed options) over
    the ledger `files` as read (None: the folder or a file was not read whole)."""
    try:
        read = files.digests()
        if read is None:
            return None
        digest = hashlib.sha256()
        parts = [value(files.root) for _, value in INPUTS]
        for part in (*parts, *options, str(len(read))):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        for relative, content in read:
            digest.update(relative.encode("utf-8", "surrogateescape") + b"\0" + content)
        return digest.hexdigest()
    except (OSError, ValueError):
        return None  # a working folder gone, say: no key


def get(entry_key: str) -> Cached | None:
    """The answer kept under `entry_key`, or None."""
    payload = store.read_entry(entry_key, ANSWERS_FOLDER)
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
    """Keep an answer (one in pieces is written as it is made, and not kept). Written
    with `marshal`: only sealed entries are read, and the key holds Python's version,
    whose marshal format it is."""
    if not isinstance(result.stdout, str):
        return
    entry = (entry_key, result.stdout, result.stderr, result.exit_code)
    store.write_entry(entry_key, marshal.dumps(entry), ANSWERS_FOLDER)


def repository_root(folder: Path) -> Path | None:
    """The repository's root for `folder` (`GITHUB_WORKSPACE`, else git's top level; None
    outside a work tree), as `check --format github` names files from it. Here, not in
    the API: an answer from the cache needs it before it needs the library."""
    from wsis_ledger.source.git import repository_root as root_of

    return root_of(folder)
