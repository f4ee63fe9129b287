"""A cache of command output, keyed on everything the output depends on.

The key is a SHA-256 over the tool's version (and the size and time of its
modules and of the libraries that shape its output), the command and its options,
the working directory (problems name paths relative to it), the ledger's
folder, and the path and content of every ledger file: a changed, added or
removed byte gives another key, so a hit can never be stale. Entries live
under `$XDG_CACHE_HOME/wsis-ledger` (default `~/.cache/wsis-ledger`), never in
the ledger's folder, are written atomically, and only the newest
`MAX_ENTRIES` are kept. A cache that cannot be read or written is passed
over without a word: it only ever saves time.

This module imports nothing heavy: a hit costs hashing the files, no YAML,
no pydantic.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from wsis_ledger import __version__
from wsis_ledger.source.discovery import MAX_FILE_BYTES, ledger_files

MAX_ENTRIES = 256
NO_CACHE_VARIABLE = "WSIS_LEDGER_NO_CACHE"


@dataclass(frozen=True)
class Cached:
    """What a command printed, and how it ended."""

    stdout: str
    stderr: str
    exit_code: int


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wsis-ledger"


#: Libraries whose upgrade could change an output; the key notes their files.
LIBRARIES = ("pydantic", "pydantic_core", "yaml", "iso4217", "tabulate", "wcwidth")


def code_fingerprint() -> str:
    """The size and modification time of this tool's modules and of the libraries that
    shape its output: a changed or upgraded module means another key. The libraries are
    found on sys.path as Python would find them, without importing anything (not even
    importlib.util, which alone costs a start-up some 3 ms)."""
    files = sorted(Path(__file__).parent.parent.rglob("*.py"))
    for name in LIBRARIES:
        for entry in sys.path:
            candidate = os.path.join(entry or ".", name, "__init__.py")
            if os.path.isfile(candidate):
                files.append(Path(candidate))
                break
    parts = []
    for path in files:
        info = os.stat(path)
        parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def key(root: Path, command: str, *options: str) -> str | None:
    """The key for `command` with `options` over the ledger at `root` (None: unreadable)."""
    digest = hashlib.sha256()
    try:
        fixed = (__version__, sys.version, code_fingerprint(), command, *options)
        for part in (*fixed, str(Path.cwd()), str(root.resolve())):
            digest.update(part.encode() + b"\0")
        for path in ledger_files(root):
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                return None  # a pipe, a folder, a huge file: let the full run say what
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None  # something unreadable: likewise
    return digest.hexdigest()


def get(entry_key: str) -> Cached | None:
    """The cached output for a key, or None."""
    try:
        data = json.loads((cache_dir() / f"{entry_key}.json").read_text(encoding="utf-8"))
        return Cached(str(data["stdout"]), str(data["stderr"]), int(data["exit_code"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def put(entry_key: str, result: Cached) -> None:
    """Store an output; keep only the newest MAX_ENTRIES."""
    import tempfile  # here, not above: only a miss writes, and a hit should start fast

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        document = {"stdout": result.stdout, "stderr": result.stderr, "exit_code": result.exit_code}
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, prefix=".", suffix=".tmp", delete=False
        ) as handle:
            json.dump(document, handle, ensure_ascii=False)
        os.replace(handle.name, folder / f"{entry_key}.json")
        if len(os.listdir(folder)) > MAX_ENTRIES + MAX_ENTRIES // 4:  # now and then: prune
            entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
            for old in entries[:-MAX_ENTRIES]:
                old.unlink(missing_ok=True)
    except OSError:
        return


def enabled(no_cache_flag: bool) -> bool:
    """False when `--no-cache` is given or $WSIS_LEDGER_NO_CACHE is set."""
    return not no_cache_flag and not os.environ.get(NO_CACHE_VARIABLE)
