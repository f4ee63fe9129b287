"""Reading a ledger: find it, load and check it, open it, and what is asked of it then
(its position, its accounts, a reconciliation, its log of writes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from wsis_ledger.core.errors import UsageError
from wsis_ledger.core.problems import LedgerError, Problem, Where, capped
from wsis_ledger.core.settings import Settings, from_environment
from wsis_ledger.source import discovery
from wsis_ledger.source.snapshot import LedgerFiles

if TYPE_CHECKING:
    from wsis_ledger.compute.accounts import Accounts
    from wsis_ledger.compute.controls import Write
    from wsis_ledger.compute.position import Position
    from wsis_ledger.compute.reconcile import Reconciliation
    from wsis_ledger.core.language import Phrase
    from wsis_ledger.core.ledger import Ledger
    from wsis_ledger.core.models import Signatory, Statement


def find_ledger(path: str | Path | None = None) -> Path:
    """The ledger folder `path` names, else as the commands find one (`--data`,
    $WSIS_LEDGER_DATA, ./data, the shipped ledger); `UsageError` when there is none."""
    return discovery.find_ledger(Path(path) if path is not None else None)


def ledger_files(root: Path) -> LedgerFiles:
    """The ledger folder `root`, listed once; each file is then read at most once."""
    return LedgerFiles(root)


def read_ledger(
    path: str | Path | None = None,
    *,
    files: LedgerFiles | None = None,
    settings: Settings | None = None,
) -> tuple[Path, Ledger | None, list[Problem]]:
    """Find, load and check a ledger: its folder, its records (None where they cannot be
    read) and every problem, without raising for problems.

    `files`: the folder as already listed (`ledger_files`), so that no file is read
    twice; `settings`: the caches and shortcuts to use (default: as the environment
    says, `core.settings`)."""
    from wsis_ledger.compute.checks import run_checks
    from wsis_ledger.source import loading

    if files is None:
        files = LedgerFiles(find_ledger(path))
    settings = from_environment() if settings is None else settings
    records, problems = loading.load(
        files.root, files=files, cache=settings.cache, shortcuts=settings.shortcuts
    )
    if records is not None:
        problems = run_checks(records, problems)
    return files.root, records, capped(problems)


@dataclass(frozen=True)
class OpenLedger:
    """A ledger folder, read and checked: its records, and its position on any date."""

    root: Path
    records: Ledger

    def position(self, as_of: date | None = None, lang: str = "en") -> Position:
        """The fund's position (as it stood on `as_of`, where given): see `compute.position`."""
        return self._positions(as_of, lang)

    def report_position(self, as_of: date | None = None, lang: str = "en") -> Position:
        """The position as `report` shows it: with a note of the rates further from the
        ECB's reference than the tolerance (`rate_check.rate_note`), if any."""
        from dataclasses import replace

        from wsis_ledger.compute.rate_check import rate_note
        from wsis_ledger.core.ledger import known_on

        position = self.position(as_of, lang)
        note = rate_note(known_on(self.records, as_of) if as_of else self.records, lang)
        return replace(position, ledger_notes=(*position.ledger_notes, note)) if note else position

    def accounts(
        self, start: date | None = None, end: date | None = None, lang: str = "en"
    ) -> Accounts:
        """The fund's accounts for `start`..`end` (see `compute.accounts`): by default from
        the ledger's first date to the date it is as of."""
        from wsis_ledger.compute.accounts import MOST_YEARS, build_accounts
        from wsis_ledger.compute.build_position import as_of, first_date

        end = end or as_of(self.records) or date.today()
        if start is None:  # from the first date, or (a period ending before it) the last
            start = min(first_date(self.records) or end, end)
        if end < start:
            raise UsageError(f"the period ends on {end}, before it starts on {start}")
        if end.year - start.year >= MOST_YEARS:
            raise UsageError(f"a period spans at most {MOST_YEARS} years: {start} to {end}")
        fund = self.records.fund

        def signatory(who: Signatory | None) -> tuple[str | None, str | None]:
            return (who.name, who.title) if who is not None else (None, None)

        return build_accounts(
            lambda on, language: self._positions(on, language),
            start,
            end,
            lang,
            basis=fund.basis,
            prepared_by=signatory(fund.prepared_by),
            certified_by=signatory(fund.certified_by),
        )

    def _positions(self, as_of: date | None, lang: str) -> Position:
        from wsis_ledger.compute.build_position import build_position
        from wsis_ledger.core.money import InexactTotal

        key = (as_of, lang)
        if key not in self._cache:
            try:
                self._cache[key] = build_position(self.records, lang, as_of)
            except InexactTotal as error:  # a problem, never a rounded figure
                raise LedgerError(
                    [Problem(Where(self.root), "inexact-total", str(error))]
                ) from None
        return self._cache[key]

    @cached_property
    def _cache(self) -> dict[tuple[date | None, str], Position]:
        return {}


class UnknownStatement(LookupError):
    """A statement id the ledger does not hold; `which` names the argument (A or B)."""

    def __init__(self, which: str, statement_id: str, known: Sequence[str]) -> None:
        self.which = which
        listed = ", ".join(known) or "none"
        super().__init__(f"there is no statement '{statement_id}' (the ledger has: {listed})")


def reconcile(
    first: OpenLedger, a: str, second: OpenLedger, b: str, *, lang: str = "en"
) -> Reconciliation:
    """Statement `a` of `first` beside statement `b` of `second` (the same ledger or
    another): donor by donor, matched by id, name and alias (`compute.reconcile`).
    Raises `UnknownStatement`."""
    from wsis_ledger.compute.reconcile import reconcile as side_by_side
    from wsis_ledger.compute.reconcile import side

    def statement(ledger: OpenLedger, statement_id: str, which: str) -> Statement:
        found = next((s for s in ledger.records.statements if s.id == statement_id), None)
        if found is None:
            raise UnknownStatement(which, statement_id, [s.id for s in ledger.records.statements])
        return found

    one = side(first.records, statement(first, a, "A"))
    other = side(second.records, statement(second, b, "B"))
    return side_by_side(one, other, lang)


def render_reconciliation(found: Reconciliation, fmt: str) -> str:
    """A reconciliation as a table, Markdown, CSV, JSON or HTML (`render.reconcile`)."""
    from wsis_ledger.render.reconcile import render

    return render(found, fmt)


def stated_differences(
    path: str | Path | None = None, *, settings: Settings | None = None
) -> list[Problem]:
    """The printed totals that differ from their rows, not acknowledged (each a
    `stated-total` problem)."""
    from wsis_ledger.compute.stated_totals import findings

    _, _, problems = read_ledger(path, settings=settings)
    return findings(problems)


def open_ledger(path: str | Path | None = None, *, settings: Settings | None = None) -> OpenLedger:
    """The ledger at `path` (default: as the commands find it), or `LedgerError`."""
    root, records, problems = read_ledger(path, settings=settings)
    if problems or records is None:
        raise LedgerError(problems)
    return OpenLedger(root, records)


def document_reference(root: str | Path, text: str) -> tuple[str, str | None]:
    """What `loan draw --document TEXT` records: the path in the ledger folder and the
    file's SHA-256, or a reference and None (`source.documents.document_reference`).
    Raises `UsageError` for a file outside the folder or reached through a link."""
    from wsis_ledger.source.documents import document_reference as reference

    return reference(Path(root), text)


def document_problems(ledger: Ledger) -> list[Problem]:
    """Each loan drawing's document that is missing or changed since it was recorded."""
    from wsis_ledger.source.documents import document_problems as problems

    return problems(ledger)


@dataclass(frozen=True)
class LogEntry:
    """A record a write added (`write`), with the git commit that added its file and
    that commit's author, where the ledger is in a git work tree, and a warning where
    the file was changed after it was committed by someone other than its recorder
    (a `Phrase`: English as it is, `in_language(lang)` in another)."""

    write: Write
    commit: str | None = None
    author: str | None = None
    warning: Phrase | None = None


def write_log(
    path: str | Path | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
    by: str | None = None,
) -> list[LogEntry]:
    """Every write to the ledger at `path`, in the order written: who, when, what, which
    file (`compute.controls.write_log`), recorded on or after `since` and on or before
    `until` (days in UTC), by `by` (a name, compared as `controls.person` does).
    Raises `LedgerError` only when the ledger cannot be read at all."""
    from wsis_ledger.compute.controls import person
    from wsis_ledger.compute.controls import write_log as log_of
    from wsis_ledger.core.language import msg, said
    from wsis_ledger.source.git import histories

    root, records, problems = read_ledger(path)
    if records is None:
        raise LedgerError(problems)
    rows = log_of(records)
    if since is not None:
        rows = [w for w in rows if w.at[:10] >= since.isoformat()]
    if until is not None:
        rows = [w for w in rows if w.at[:10] <= until.isoformat()]
    if by is not None:
        rows = [w for w in rows if person(w.by) == person(by)]
    known = histories(root) if rows else None
    if known is None:
        return [LogEntry(w) for w in rows]
    resolved = {p.resolve(): h for p, h in known.items()}
    entries = []
    for w in rows:
        history = resolved.get(w.path.resolve())
        if history is None or history.added is None:
            entries.append(LogEntry(w))
            continue
        others = [c for c in history.changed if person(c.author) != person(w.by)]
        warning = None
        if others:
            warning = said(
                msg(
                    "log_changed_by_other",
                    "changed after it was committed, by {author} (commit {commit}), "
                    "not by its recorder",
                ),
                author=others[-1].author,
                commit=others[-1].id[:12],
            )
        elif history.uncommitted:
            warning = said(
                msg(
                    "log_changed_uncommitted",
                    "changed since it was committed (the change is not committed)",
                )
            )
        entries.append(LogEntry(w, history.added.id, history.added.author, warning))
    return entries
