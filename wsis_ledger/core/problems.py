"""Problems found in a ledger, each pointing at a file and line.

Nothing below the command layer prints or exits: loaders and checks return
lists of `Problem`, and the commands decide how to show them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a ledger file: 1-based line and column (column 0: unknown)."""

    path: Path
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the ledger, in words a finance officer understands.

    `code` is a stable, machine-readable name (`yaml-syntax`, `duplicate-key`,
    `stated-total`, ...) for scripts and editor annotations. `severity` is
    "error" (the ledger is wrong: `check` fails, a write is refused) or
    "warning" (worth a look: `check` fails on it only with `--strict`).
    """

    where: Where
    code: str
    message: str
    severity: str = "error"

    def render(self, relative_to: Path | None = None) -> str:
        """`path:line:col: message`, the form editors jump to."""
        parts = [display_path(self.where.path, relative_to)]
        if self.where.line:
            parts.append(str(self.where.line))
            if self.where.column:
                parts.append(str(self.where.column))
        return ":".join(parts) + ": " + self.message

    def as_record(self, relative_to: Path | None = None) -> dict[str, object]:
        """The problem as a JSON-ready record (`path`, `line`, `column`, `code`, `message`,
        `severity`)."""
        return {
            "path": display_path(self.where.path, relative_to),
            "line": self.where.line or None,
            "column": self.where.column or None,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }


def display_path(path: Path, relative_to: Path | None = None) -> str:
    """The path relative to `relative_to` (default: the working directory) when that is shorter."""
    try:
        base = relative_to if relative_to is not None else Path.cwd()
        relative = os.path.relpath(path, base)
    except (ValueError, OSError):  # another drive on Windows; a working folder now gone
        return str(path)
    return relative if len(relative) <= len(str(path)) else str(path)


class LedgerError(Exception):
    """The ledger cannot be used as it stands; `problems` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0].render() if problems else "the ledger has problems"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


class UsageError(Exception):
    """The caller asked for something that cannot be done (a missing folder, an unknown id)."""
