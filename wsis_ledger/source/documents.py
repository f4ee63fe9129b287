"""Documents a record names (a loan drawing's letter): where they are, and their SHA-256.

A document is a file inside the ledger folder, reached without a link, or a
reference to one kept elsewhere (a symbol, a letter's date). Its SHA-256 is
recorded with the record, and `check` says when the file is missing or changed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path, PurePosixPath

from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.problems import Problem, UsageError, display_path
from wsis_ledger.source.discovery import MAX_FILE_BYTES

#: A document is read in pieces of this size.
_CHUNK = 1024 * 1024


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at `path`, in hexadecimal, read in pieces (never through
    a link: `O_NOFOLLOW` where there is one)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    digest = hashlib.sha256()
    with os.fdopen(descriptor, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_document(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the document at `path` (never through a link: `O_NOFOLLOW` where
    there is one); OSError when it cannot be read, or is larger than `max_bytes`."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise OSError(f"{path} is more than {max_bytes:,} bytes")
    return data


def _inside(root: Path, path: Path) -> str:
    """`path` (an existing file) as a path relative to `root`, written with `/`; UsageError
    when it lies outside the ledger folder, is reached through a link, or is not a file."""
    absolute = os.path.abspath(path)
    relative = None
    for base in (os.path.abspath(root), os.path.realpath(root)):
        candidate = os.path.relpath(absolute, base)
        if candidate != ".." and not candidate.startswith(".." + os.sep):
            relative = Path(candidate)
            break
    if relative is None or relative == Path("."):
        real_root, real = os.path.realpath(root), os.path.realpath(absolute)
        if relative is None and os.path.commonpath([real_root, real]) == real_root:
            raise UsageError(f"--document: {path} is reached through a link: give the file itself")
        raise UsageError(
            f"--document: {path} is outside the ledger folder {root}: a document is kept "
            "inside it (copy it there), or named by its reference"
        )
    walked = root
    for part in relative.parts:
        walked = walked / part
        if walked.is_symlink():
            raise UsageError(
                f"--document: {path} is a link, or reached through one ({walked}): "
                "give the file itself"
            )
    if not stat.S_ISREG(os.lstat(walked).st_mode):
        raise UsageError(f"--document: {path} is not a file")
    return PurePosixPath(*relative.parts).as_posix()


def document_reference(root: Path, text: str) -> tuple[str, str | None]:
    """What `--document TEXT` records: a path inside the ledger folder (relative to it)
    with the file's SHA-256, where TEXT names an existing file (from the working
    folder, or from the ledger folder); else TEXT itself as a reference, with no
    SHA-256. A TEXT that can only be a path (absolute, `./`, `..`) and names no
    file is refused, as is a file outside the folder or reached through a link."""
    text = text.strip()
    if not text:
        raise UsageError(
            "--document: name the document (a file in the ledger folder, or a reference)"
        )
    candidates = [Path(text)]
    if not Path(text).is_absolute():
        candidates.append(root / text)
    for candidate in candidates:
        if os.path.lexists(candidate):
            relative = _inside(root, candidate)
            return relative, file_sha256(root / relative)
    parts = PurePosixPath(text.replace("\\", "/")).parts
    if Path(text).is_absolute() or text.startswith(("./", ".\\")) or ".." in parts:
        raise UsageError(f"--document: there is no file {text}")
    return text, None


def document_problems(ledger: Ledger) -> list[Problem]:
    """Each loan drawing's document recorded with a SHA-256: missing, or changed since."""
    problems = []
    for drawing in ledger.loan_drawings:
        if drawing.document is None or drawing.document_sha256 is None:
            continue
        where = drawing.place.at("document")
        path = ledger.root / drawing.document
        try:
            _inside(ledger.root, path)
            found = file_sha256(path)
        except (UsageError, OSError):
            message = (
                f"the document of loan drawing '{drawing.id}', {drawing.document}, is missing "
                f"(no file {display_path(path)} in the ledger folder)"
            )
            problems.append(Problem(where, "document-missing", message))
            continue
        if found != drawing.document_sha256:
            message = (
                f"the document of loan drawing '{drawing.id}', {drawing.document}, changed "
                f"since it was recorded (its SHA-256 is {found[:12]}…, not "
                f"{drawing.document_sha256[:12]}…)"
            )
            problems.append(Problem(where, "document-changed", message))
    return problems
