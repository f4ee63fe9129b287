"""Writing to a ledger: an import, a record, a new ledger or a copy, a period closed,
reopened or approved; each all or nothing, checked with the whole ledger first."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wsis_ledger.api.reading import OpenLedger, find_ledger, read_ledger
from wsis_ledger.core.problems import LedgerError, Problem, Where
from wsis_ledger.core.settings import Settings, from_environment
from wsis_ledger.source.snapshot import LedgerFiles

if TYPE_CHECKING:
    from wsis_ledger.core.ledger import Ledger
    from wsis_ledger.write.imports import ImportPlan
    from wsis_ledger.write.records import NewRecord


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
    from wsis_ledger.write.period_records import closing

    today = date.today()
    return record(
        path, lambda ledger: closing(ledger, through, today, note), by=by, dry_run=dry_run
    )


def reopen_period(
    path: str | Path, through: date, reason: str, *, by: str | None = None, dry_run: bool = False
) -> NewRecord:
    """Reopen the period closed through `through`, with the reason (`wsis-ledger reopen`)."""
    from wsis_ledger.write.period_records import reopening

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
    from wsis_ledger.write.period_records import approval

    name = check_name(by)
    today = date.today()
    return record(
        path,
        lambda ledger: approval(ledger, record_id, name, today, note),
        by=name,
        dry_run=dry_run,
    )


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
