"""The library under the commands: what a script calls, and what the commands call.

    >>> import wsis_ledger
    >>> ledger = wsis_ledger.open_ledger("data")
    >>> ledger.position().received
    Decimal('2243419')

`open_ledger` raises `LedgerError` (its `.problems` are the records `check
--format json` prints) when the ledger has problems, and `UsageError` when
the folder holds no ledger. Nothing here prints or exits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wsis_ledger.core.errors import UsageError as UsageError  # part of the API
from wsis_ledger.core.problems import LedgerError, Problem, Where, capped
from wsis_ledger.core.settings import Settings as Settings  # part of the API
from wsis_ledger.core.settings import from_environment
from wsis_ledger.source import discovery
from wsis_ledger.source.snapshot import LedgerFiles as LedgerFiles  # part of the API

if TYPE_CHECKING:
    # Imported where they are used: a command answered from the cache needs no
    # records, `check` neither the position nor the writes.
    from wsis_ledger.compute.accounts import Accounts
    from wsis_ledger.compute.controls import Write
    from wsis_ledger.compute.position import Position
    from wsis_ledger.compute.reconcile import Reconciliation
    from wsis_ledger.core.ledger import Ledger
    from wsis_ledger.core.models import Signatory, Statement
    from wsis_ledger.source import reference_rates as reference_rates
    from wsis_ledger.source.discovery import packaged_ledger as packaged_ledger
    from wsis_ledger.source.discovery import shipped_ledger as shipped_ledger
    from wsis_ledger.source.reference_rates import BeyondReference as BeyondReference
    from wsis_ledger.source.reference_rates import ECBDownload as ECBDownload
    from wsis_ledger.source.reference_rates import ECBReference as ECBReference
    from wsis_ledger.source.reference_rates import ForexPythonProvider as ForexPythonProvider
    from wsis_ledger.source.reference_rates import ProviderUnavailable as ProviderUnavailable
    from wsis_ledger.write import records as records
    from wsis_ledger.write.donors import DonorIndex as DonorIndex
    from wsis_ledger.write.files import Plan as Plan
    from wsis_ledger.write.files import WriteError as WriteError
    from wsis_ledger.write.files import replace_output_file as replace_output_file
    from wsis_ledger.write.files import transact as transact
    from wsis_ledger.write.files import write_new_file as write_new_file
    from wsis_ledger.write.imports import SECTION_TYPES as SECTION_TYPES
    from wsis_ledger.write.imports import ImportPlan as ImportPlan
    from wsis_ledger.write.imports import summarize as summarize
    from wsis_ledger.write.reading import InputTooLarge as InputTooLarge
    from wsis_ledger.write.reading import ReadOptions as ReadOptions
    from wsis_ledger.write.reading import ReadResult as ReadResult
    from wsis_ledger.write.reading import Rows as Rows
    from wsis_ledger.write.reading import read_file as read_file
    from wsis_ledger.write.reading import read_input as read_input
    from wsis_ledger.write.records import NewRecord as NewRecord
    from wsis_ledger.write.records import RecordError as RecordError
    from wsis_ledger.write.records import rate_record as rate_record
    from wsis_ledger.write.sheets import check_date_format as check_date_format
    from wsis_ledger.write.yaml_text import scalar as scalar

#: What the commands (and scripts) reach of the layers below through the API: each
#: name and the module it is defined in, imported when it is first asked for, so that
#: a command imports only what it uses (`records`, `reference_rates`: the modules).
BELOW = {
    name: module
    for module, names in {
        "wsis_ledger.write": ("records",),
        "wsis_ledger.source": ("reference_rates",),
        "wsis_ledger.source.discovery": ("packaged_ledger", "shipped_ledger"),
        "wsis_ledger.source.reference_rates": (
            "BeyondReference",
            "ECBDownload",
            "ECBReference",
            "ForexPythonProvider",
            "ProviderUnavailable",
        ),
        "wsis_ledger.write.files": (
            "Plan",
            "WriteError",
            "replace_output_file",
            "transact",
            "write_new_file",
        ),
        "wsis_ledger.write.imports": ("SECTION_TYPES", "ImportPlan", "summarize"),
        "wsis_ledger.write.donors": ("DonorIndex",),
        "wsis_ledger.write.reading": (
            "InputTooLarge",
            "ReadOptions",
            "ReadResult",
            "Rows",
            "read_file",
            "read_input",
        ),
        "wsis_ledger.write.records": ("NewRecord", "RecordError", "rate_record"),
        "wsis_ledger.write.sheets": ("check_date_format",),
        "wsis_ledger.write.yaml_text": ("scalar",),
    }.items()
    for name in names
}


def __getattr__(name: str) -> Any:
    if name in BELOW:
        import importlib

        where = BELOW[name]
        if name in ("records", "reference_rates"):  # a module
            return importlib.import_module(f"{where}.{name}")
        return getattr(importlib.import_module(where), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        return replace(position, ledger_notes=(note,)) if note else position

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


@dataclass(frozen=True)
class ImportResult:
    """What an import found and did: every row's plan, the files it wrote (none in a
    dry run), and those it wrote or would write (`files`)."""

    plan: ImportPlan
    written: tuple[Path, ...]
    #: Printed totals that differ from their rows after the import (they do not stop it).
    findings: tuple[Problem, ...] = ()
    #: The files written, or in a dry run those that would be.
    files: tuple[Path, ...] = ()
    dry_run: bool = False

    @property
    def added(self) -> int:
        return len(self.plan.new_rows)


def import_records(
    path: str | Path,
    records: Iterable[Mapping[str, object]],
    *,
    add_donors: bool = False,
    dry_run: bool = False,
    source: Path | None = None,
    numbered: Sequence[int] | None = None,
    progress: Callable[[int], None] | None = None,
    statement: str | None = None,
    settings: Settings | None = None,
    source_name: str | None = None,
    allow_changes: bool = False,
    by: str | None = None,
) -> ImportResult:
    """Add receipts, pledges and expenditures (dicts with the CSV's fields) to the ledger at `path`,
    all or nothing, as `wsis-ledger import` does. Raises `LedgerError` listing every
    bad row (nothing written); rows already in the ledger are not added again.
    `progress`, where given, is called as rows are checked (with the count since).

    With `statement` (a statement's id), the new entries belong to it: its printed
    totals check them, and `--as-of` counts them from its date.

    The rows' source is named `source_name` (default: the file's name). When a
    file of that name was imported before, an entry it added that is no longer
    among the rows is a problem, unless `allow_changes`."""
    from wsis_ledger.write.files import transact
    from wsis_ledger.write.import_files import (
        gone_note,
        gone_problem,
        import_file_name,
        import_header,
        rows_gone,
    )
    from wsis_ledger.write.imports import plan_import
    from wsis_ledger.write.yaml_text import sections_to_yaml

    root = Path(path)
    where = source or Path("<records>")
    name = source_name or where.name
    # Rows given with no name of their own (a script's, standard input) are no file
    # that could have been imported before.
    compare = source_name is not None or where.name[:1] != "<"
    # The rows are taken one at a time as they are planned, never copied ahead: a
    # caller that hands over rows it lets go of (the command does) holds none of
    # them while the ledger with the new file is read back.
    numbered_rows = _numbered(records, numbered)
    planned: list[ImportPlan] = []
    settings = from_environment() if settings is None else settings

    def plan(ledger: Ledger) -> Mapping[Path, str]:
        result = plan_import(
            ledger,
            numbered_rows,
            where,
            add_donors=add_donors,
            progress=progress,
            shortcuts=settings.shortcuts,
        )
        planned.append(result)
        if statement is not None and all(s.id != statement for s in ledger.statements):
            message = f"--statement: there is no statement '{statement}'"
            result.problems.insert(0, Problem(Where(where), "unknown-reference", message))
        gone = rows_gone(ledger, result, name) if compare and not result.problems else []
        if gone and not allow_changes:
            result.problems.extend(gone_problem(entry, name, where) for entry in gone)
        if result.problems:
            raise LedgerError(result.problems)
        new_rows = result.new_rows
        if not new_rows:
            return {}
        belongs = {"statement": statement} if statement is not None else {}
        sections = {
            "donors": result.donors,
            "pledged": (r.record | belongs for r in new_rows if r.section == "pledged"),
            "received": (r.record | belongs for r in new_rows if r.section == "received"),
            "expenditures": (r.record for r in new_rows if r.section == "expenditures"),
        }
        header = import_header(name, date.today(), len(new_rows))
        if gone:
            header += "\n" + gone_note(gone)
        file = root / "imports" / import_file_name(result, date.today())
        return {file: sections_to_yaml(sections, header)}

    found: list[Problem] = []
    files = tuple(transact(root, plan, dry_run=dry_run, findings=found, settings=settings, by=by))
    written = () if dry_run else files
    return ImportResult(planned[-1], written, tuple(found), files, dry_run)


def _numbered(
    records: Iterable[Mapping[str, object]], numbered: Sequence[int] | None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each record with its line (`numbered`, or 1, 2, 3...), as a dict."""
    pairs: Iterable[tuple[int, Mapping[str, object]]] = (
        enumerate(records, 1) if numbered is None else zip(numbered, records, strict=True)
    )
    for line, row in pairs:
        yield line, row if type(row) is dict else dict(row)


def record(
    path: str | Path,
    make: Callable[[Ledger], NewRecord],
    *,
    dry_run: bool = False,
    settings: Settings | None = None,
    findings: list[Problem] | None = None,
    after: list[OpenLedger] | None = None,
    by: str | None = None,
) -> NewRecord:
    """Add the record `make` builds from the ledger as it stands (a function of
    `write.records`, such as `payment` or `cancellation`), in a new file, under the
    write lock, checked with the whole ledger first. Raises `LedgerError` (nothing
    written), `RecordError` or `WriteError`; the file records who wrote it (`by`, else
    the git user, else the login name) and when. The ledger is read once: the printed totals that
    differ from their rows after the write are added to `findings`, and the ledger
    as it is after the write to `after`, where given."""
    from wsis_ledger.write.files import transact

    root = Path(path)
    made: list[NewRecord] = []

    def plan(ledger: Ledger) -> Mapping[Path, str]:
        made.append(make(ledger))
        return made[-1].file(root)

    settings = from_environment() if settings is None else settings
    result: list[Ledger] = []
    transact(root, plan, dry_run=dry_run, findings=findings, after=result, settings=settings, by=by)
    if after is not None:
        after.extend(OpenLedger(root, ledger) for ledger in result)
    return made[-1]


def create_ledger(
    folder: str | Path, files: Mapping[Path, str], *, by: str | None = None, dry_run: bool = False
) -> None:
    """A new ledger in `folder` made of `files` (path: text), checked before anything is
    written; raises `LedgerError` with the problems a `check` would find. Each file
    records who wrote it (`by`, else the git user, else the login name) and when.
    `dry_run`: check only; nothing is made."""
    from wsis_ledger.write.files import create_ledger as create
    from wsis_ledger.write.files import now_utc, recorder, stamp

    where = Path(folder).absolute()
    while not where.exists() and where != where.parent:  # git asks where the folder will be
        where = where.parent
    name, at = recorder(where, by), now_utc()
    stamped = {path: stamp(text, name, at) for path, text in files.items()}
    create(Path(folder), stamped, dry_run=dry_run)


def close_period(
    path: str | Path,
    through: date,
    *,
    by: str | None = None,
    note: str | None = None,
    dry_run: bool = False,
) -> NewRecord:
    """Close the period through `through` (`wsis-ledger close`): a closing record holding
    the SHA-256 of every record dated on or before it, and the period's totals. Raises
    `RecordError` (already closed, or cutting a statement), `LedgerError`, `WriteError`."""
    from wsis_ledger.write.records import closing

    today = date.today()
    return record(
        path, lambda ledger: closing(ledger, through, today, note), by=by, dry_run=dry_run
    )


def reopen_period(
    path: str | Path, through: date, reason: str, *, by: str | None = None, dry_run: bool = False
) -> NewRecord:
    """Reopen the period closed through `through`, with the reason (`wsis-ledger reopen`)."""
    from wsis_ledger.write.records import reopening

    today = date.today()
    return record(
        path, lambda ledger: reopening(ledger, through, reason, today), by=by, dry_run=dry_run
    )


def approve(
    path: str | Path,
    record_id: str,
    *,
    by: str,
    note: str | None = None,
    dry_run: bool = False,
) -> NewRecord:
    """`by`'s approval of the record `record_id` (`wsis-ledger approve`); `by` is also who
    the write records. Raises `RecordError` for a record that does not exist, an
    approver the ledger does not name, or a ledger that asks for no approvals."""
    from wsis_ledger.write.files import check_name
    from wsis_ledger.write.records import approval

    name = check_name(by)
    today = date.today()
    return record(
        path,
        lambda ledger: approval(ledger, record_id, name, today, note),
        by=name,
        dry_run=dry_run,
    )


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
    the file was changed after it was committed by someone other than its recorder."""

    write: Write
    commit: str | None = None
    author: str | None = None
    warning: str | None = None


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
            warning = (
                f"changed after it was committed, by {others[-1].author} "
                f"(commit {others[-1].id[:12]}), not by its recorder"
            )
        elif history.uncommitted:
            warning = "changed since it was committed (the change is not committed)"
        entries.append(LogEntry(w, history.added.id, history.added.author, warning))
    return entries


def copy_ledger(source: str | Path, target: str | Path, *, dry_run: bool = False) -> list[Path]:
    """A new ledger at `target` (an empty or new folder): every file of the valid ledger
    at `source`, byte for byte, each written as a new file. Raises `LedgerError` when
    the source has problems, `UsageError` when it holds no ledger or `target` is taken.
    Returns the files written (`dry_run`: that would be; nothing is made)."""
    from wsis_ledger.core.problems import UsageError
    from wsis_ledger.write.files import refuse_inside_ledger, write_new_document, write_new_file

    files = LedgerFiles(find_ledger(source), keep=True)  # each file read once
    root, records, problems = read_ledger(files=files)
    if problems or records is None:
        raise LedgerError(problems)
    documents = _documents(records)  # read, and checked, before anything is written
    folder = Path(target)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} is not an empty folder: a new ledger needs one")
    refuse_inside_ledger(folder)
    if dry_run:
        return [folder / path.relative_to(root) for path in [*files.paths, *documents]]
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    for path in files.paths:
        raw = files.kept(path)
        if raw is None:  # not read: the check above would have said why
            raise LedgerError([Problem(Where(path), "unreadable", "the file was not read")])
        new = folder / path.relative_to(root)
        write_new_file(new, raw, folder)  # the bytes checked, byte for byte: CRLF stays CRLF
        written.append(new)
    for path, data in documents.items():
        new = folder / path.relative_to(root)
        write_new_document(new, data, folder)
        written.append(new)
    return written


def _documents(records: Ledger) -> dict[Path, bytes]:
    """The bytes of each document the ledger's records name by a path and a SHA-256 (a
    loan drawing's letter), each as recorded; LedgerError where one is missing or has
    changed since (what `check` says of it)."""
    from wsis_ledger.source.documents import document_problems, read_document

    problems = document_problems(records)
    if problems:
        raise LedgerError(problems)
    found: dict[Path, bytes] = {}
    for drawing in records.loan_drawings:
        if drawing.document is None or drawing.document_sha256 is None:
            continue
        path = records.root / drawing.document
        try:
            data = found.get(path) or read_document(path)
        except OSError as error:
            where = drawing.place.at("document")
            raise LedgerError([Problem(where, "document-missing", str(error))]) from None
        if hashlib.sha256(data).hexdigest() != drawing.document_sha256:  # changed meanwhile
            message = f"the document {drawing.document} changed while it was read"
            raise LedgerError([Problem(drawing.place.at("document"), "document-changed", message)])
        found[path] = data
    return found


class OutputError(Exception):
    """An output could not be made (a PDF without Chromium): the message says why."""


def accounts_document(accounts: Accounts, fmt: str) -> bytes:
    """The accounts as `table`, `markdown`, `csv`, `json`, `html`, `xlsx` or `pdf` bytes."""
    from wsis_ledger.render.accounts import render_accounts

    if fmt == "pdf":
        from wsis_ledger.render.accounts_html import html

        return printed_pdf(html(accounts))
    return render_accounts(accounts, fmt)


def printed_pdf(html: str) -> bytes:
    """An HTML document (`accounts`, `report`) printed to PDF by headless Chromium, through
    its own running header and page numbers; `OutputError` where it cannot be."""
    from wsis_ledger.render.pdf import PdfError, pdf_from_html

    try:
        return pdf_from_html(html)
    except PdfError as error:
        raise OutputError(str(error)) from None
