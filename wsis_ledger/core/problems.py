"""Problems found in a ledger, each pointing at a file and line.

Nothing below the command layer prints or exits: loaders and checks return
lists of `Problem`, and the commands decide how to show them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from wsis_ledger.core.errors import UsageError as UsageError  # where it was defined first
from wsis_ledger.core.language import Phrase, plural, said
from wsis_ledger.core.visible import visible


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a ledger file: 1-based line and column (column 0: unknown)."""

    path: Path
    line: int = 0
    column: int = 0


#: A value quoted in a message shows at most this many characters.
EXCERPT_CHARACTERS = 40
#: A message longer than this is cut in the middle: no message ever echoes a file.
MAX_MESSAGE_CHARACTERS = 240
#: At most this many problems of one kind (one `code`) are told for one file; the
#: rest are counted on one line ("and 399 990 more of the same kind").
MAX_PROBLEMS_PER_KIND = 100


def excerpt(value: object, limit: int = EXCERPT_CHARACTERS) -> str:
    """A value quoted for a message: its repr, cut to `limit` characters (`'abc…'`)."""
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + f"… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= limit + 2 else text[:limit] + "…"


def code_point(character: str | int) -> str:
    """A character as people look it up: `U+0000`, never a bare number."""
    number = character if isinstance(character, int) else ord(character)
    return f"U+{number:04X}"


def shorten(message: str, limit: int = MAX_MESSAGE_CHARACTERS) -> str:
    """`message`, cut in the middle when longer than `limit` (its start and its hint kept)."""
    if len(message) <= limit:
        return message
    tail = limit // 3
    return f"{message[: limit - tail - 3]} … {message[-tail:]}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the ledger, in words a finance officer understands.

    `code` is a stable, machine-readable name (`yaml-syntax`, `duplicate-key`,
    `stated-total`, ...) for scripts and editor annotations. `message` is in English;
    a `Phrase` (a message of the catalogs with its values) is told in any language
    (`message_in`), a plain text in English in every one. `severity` is
    "error" (the ledger is wrong: `check` fails, a write is refused) or
    "warning" (worth a look: `check` fails on it only with `--strict`).
    """

    where: Where
    code: str
    message: str
    severity: str = "error"
    #: The id a problem is about, where it has one: for a record that could not be
    #: read, the id it was written with (what names that id is not reported again:
    #: one problem per cause); for a reference to an unknown record, the id named.
    subject: str | None = None
    #: How many problems it tells of: 1, or for the line that stands for those not
    #: told ("and 150 more of the same kind"), their number (`told_count`).
    stands_for: int = 1

    def __post_init__(self) -> None:
        # A value quoted whole (a plain-text file read as one long text) never
        # makes a message longer than a line or two.
        if len(self.message) > MAX_MESSAGE_CHARACTERS:
            message = self.message
            cut = shorten(message)
            if isinstance(message, Phrase):  # still told in every language, each cut
                cut = Phrase(message.message, message.values, cut)
            object.__setattr__(self, "message", cut)

    def message_in(self, lang: str) -> str:
        """The message in `lang` (English where it is a plain text), cut as in English."""
        if isinstance(self.message, Phrase) and lang != "en":
            return shorten(self.message.in_language(lang))
        return str(self.message)

    def render(self, relative_to: Path | None = None, lang: str = "en") -> str:
        """`path:line:col: message`, the form editors jump to: one line, whatever the
        path or the message holds (`visible`: a line break, an escape sequence or a
        bidirectional control in a file name or a key is shown as `U+XXXX`)."""
        parts = [visible(display_path(self.where.path, relative_to))]
        if self.where.line:
            parts.append(str(self.where.line))
            if self.where.column:
                parts.append(str(self.where.column))
        return ":".join(parts) + ": " + visible(self.message_in(lang))

    def as_record(self, relative_to: Path | None = None) -> dict[str, object]:
        """The problem as a JSON-ready record (`path`, `line`, `column`, `code`, `message`,
        `severity`), the path and message shown as `render` shows them."""
        return {
            "path": visible(display_path(self.where.path, relative_to)),
            "line": self.where.line or None,
            "column": self.where.column or None,
            "code": self.code,
            "message": visible(self.message),
            "severity": self.severity,
        }


def problem_schema() -> dict[str, object]:
    """The JSON Schema of `Problem.as_record`."""
    from wsis_ledger.core.json_schema import N_COUNT, TEXT, obj, one_of

    return obj(
        {
            **{"path": TEXT, "line": N_COUNT, "column": N_COUNT, "code": TEXT},
            **{"message": TEXT, "severity": one_of("error", "warning")},
        }
    )


def display_path(path: Path, relative_to: Path | None = None) -> str:
    """The path relative to `relative_to` (default: the working directory) when that is shorter."""
    try:
        base = relative_to if relative_to is not None else Path.cwd()
    except OSError:  # a working folder now gone
        return str(path)
    return _shorter(str(path), str(base))


@lru_cache(maxsize=1024)
def _shorter(path: str, base: str) -> str:
    # Cached: a run tells many problems of few files.
    try:
        relative = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return path
    return relative if len(relative) <= len(path) else path


class LedgerError(Exception):
    """The ledger cannot be used as it stands; `problems` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0].render() if problems else "the ledger has problems"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


def told_count(problems: Iterable[Problem]) -> int:
    """How many problems `problems` tell of (a line for those not told counts them)."""
    return sum(problem.stands_for for problem in problems)


def capped(problems: Iterable[Problem], most: int = MAX_PROBLEMS_PER_KIND) -> list[Problem]:
    """`problems` in their order, at most `most` of one kind for one file; after the
    last of each kind kept, one line says how many more of that kind there were."""
    return capped_count(problems, most)[0]


def capped_count(
    problems: Iterable[Problem], most: int = MAX_PROBLEMS_PER_KIND
) -> tuple[list[Problem], int]:
    """`capped(problems)`, and how many problems there were in all (`problems` is read
    once, and only the ones told are kept)."""
    kept: list[Problem] = []
    counts: dict[tuple[Path, str], int] = {}
    for problem in problems:
        key = (problem.where.path, problem.code)
        seen = counts.get(key, 0)
        counts[key] = seen + 1
        if seen < most:
            kept.append(problem)
    total = sum(counts.values())
    if all(count <= most for count in counts.values()):
        return kept, total
    told: list[Problem] = []
    left = {key: count - most for key, count in counts.items() if count > most}
    shown: dict[tuple[Path, str], int] = {}
    for problem in kept:
        told.append(problem)
        key = (problem.where.path, problem.code)
        shown[key] = shown.get(key, 0) + 1
        if key in left and shown[key] == most:
            told.append(
                more_problems(problem.where.path, problem.code, left[key], problem.severity)
            )
    return told, total


def more_problems(path: Path, code: str, count: int, severity: str = "error") -> Problem:
    """The line that stands for `count` problems of the kind `code` not told for `path`."""
    more = plural(
        "more_problems",
        "and {more} more of the same kind ({code})",
        "and {more} more of the same kind ({code})",
    )
    return Problem(
        Where(path),
        "more-problems",
        said(more, count=count, more=Decimal(count), code=code),
        severity,
        stands_for=count,
    )
