"""What every command that writes shares: a ledger it may write to, and one way to fail."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from wsis_ledger import api
from wsis_ledger.api import NewRecord, Plan, RecordError, WriteError, packaged_ledger, transact
from wsis_ledger.commands.options import ledger_folder, settings_of
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.problems import LedgerError, Problem, UsageError


def writable_ledger(data: Path | None) -> Path:
    """The ledger folder to write to; never the copy shipped inside the package."""
    root = ledger_folder(data)
    if root.resolve() == packaged_ledger().resolve():
        raise click.UsageError(
            "the ledger shipped with the tool is read-only: give --data DIR "
            "(or create one with 'wsis-ledger init DIR')"
        )
    return root


def apply(
    root: Path, plan: Plan, dry_run: bool = False, by: str | None = None
) -> Mapping[Path, str]:
    """Run a write; on problems print them and exit 1, having written nothing."""
    found: list[Problem] = []
    with write_errors():
        written = transact(
            root, plan, dry_run=dry_run, findings=found, settings=settings_of(), by=by
        )
    if written:
        show_stated_differences(root, found)
    return written


def show_stated_differences(root: Path, differences: Sequence[Problem]) -> None:
    """After a write that went through to the ledger at `root`: the printed totals that
    still differ from their rows (a finding about the published record, which does not
    stop a write), as the write found them."""
    if differences:
        click.echo(
            "the write went through; printed totals that differ from their rows "
            "(acknowledge them with 'wsis-ledger statement acknowledge'):",
            err=True,
        )
        for problem in differences:
            click.echo(problem.render(), err=True)


@contextmanager
def write_errors() -> Iterator[None]:
    """A refused or failed write as one clear message (exit 1); nothing was written."""
    try:
        yield
    except LedgerError as error:
        for problem in error.problems:
            click.echo(problem.render(), err=True)
        raise click.ClickException("nothing was written") from None
    except WriteError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:  # a full disk, a read-only folder: nothing half-written stays
        where = f" {error.filename}" if error.filename else ""
        raise click.ClickException(
            f"cannot write{where}: {error.strerror or error}; nothing was written"
        ) from None


def record(
    root: Path,
    make: Callable[[Ledger], NewRecord],
    hints: Mapping[str, str],
    after: list[api.OpenLedger] | None = None,
    *,
    by: str | None = None,
) -> NewRecord:
    """Add the record `make` builds (`api.record`); a record that cannot be made is a
    usage error naming the option (`hints`: a record field to its option). The ledger
    as it is after the write is added to `after`, where given; `by`: who records it."""

    def write(found: list[Problem]) -> NewRecord:
        return api.record(root, make, settings=settings_of(), findings=found, after=after, by=by)

    return run_write(root, write, hints)


def run_write(
    root: Path, write: Callable[[list[Problem]], NewRecord], hints: Mapping[str, str]
) -> NewRecord:
    """Run `write` (a call of `api` that adds a record, given a list for the findings it
    makes); a refused write is one clear message and exit 1, a record that cannot be
    made a usage error naming its option (`hints`: a record field to its option)."""
    found: list[Problem] = []
    with write_errors():
        try:
            made = write(found)
        except RecordError as error:
            hint = hints.get(error.field or "")
            if hint:
                raise click.BadParameter(str(error), param_hint=hint) from None
            raise click.UsageError(str(error)) from None
        except UsageError as error:
            raise click.UsageError(str(error)) from None
    show_stated_differences(root, found)
    return made
