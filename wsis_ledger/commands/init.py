"""`wsis-ledger init`: a new, empty, valid ledger."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click

from wsis_ledger.api import scalar
from wsis_ledger.commands.options import DATE, by_option
from wsis_ledger.commands.writes import Done, Said, WriteMode, finish, write_options
from wsis_ledger.core.language import counted, word
from wsis_ledger.core.visible import visible


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", help="The fund's name. Default: the folder's name.")
@click.option("--id", "fund_id", help="The fund's id. Default: made from the name.")
@click.option("--as-of", type=DATE, help="Open a statement as of this date (YYYY-MM-DD).")
@click.option(
    "--copy-of",
    metavar="DIR|shipped",
    help="Start as a copy of the ledger in DIR ('shipped': the annex shipped with the tool).",
)
@write_options()
@by_option
def init(
    folder: Path,
    name: str | None,
    fund_id: str | None,
    as_of: date | None,
    copy_of: str | None,
    mode: WriteMode,
    by: str | None,
) -> None:
    """Create a new, empty ledger in FOLDER (which must not exist, or be
    empty): a fund, no donors, no entries. `check` accepts it and `report`
    shows zero totals. With --copy-of, a copy of another ledger to work on.

    \b
    Examples:
      wsis-ledger init tunis-2005 --name "WSIS fund, second phase" --as-of 2005-01-01
      wsis-ledger report --data tunis-2005
      wsis-ledger init my-annex --copy-of shipped
      wsis-ledger init tunis-2009 --dry-run --format json
    """
    if copy_of is not None:
        _copy(folder, copy_of, mode)
        return
    lang, shown = mode.lang, visible(str(folder))
    if folder.exists() and not folder.is_dir():
        raise click.UsageError(
            word(
                lang, "init_is_file", "{folder} is a file: a new ledger needs an empty folder"
            ).format(folder=shown)
        )
    if folder.exists() and any(folder.iterdir()):
        raise click.UsageError(
            word(
                lang, "init_not_empty", "{folder} is not empty: a new ledger needs an empty folder"
            ).format(folder=shown)
        )
    name = name or folder.resolve().name
    fund_id = fund_id or re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "fund"
    ledger = (
        "# The fund this ledger is for. See the README for every field.\n"
        "fund:\n"
        f"  id: {scalar(fund_id)}\n"
        f"  name: {scalar(name)}\n"
        "  currency: CHF\n"
        "  booking_unit: 1          # book whole francs\n"
        "  phases: []\n"
    )
    files = {
        folder / "ledger.yaml": ledger,
        folder / "donors.yaml": "# Everyone who gives, once each.\ndonors: []\n",
    }
    if as_of is not None:
        files[folder / f"statement-{as_of.isoformat()}.yaml"] = (
            "# A statement as of a date: the entries written in this file belong to it.\n"
            "statement:\n"
            f"  id: {scalar('statement-' + as_of.isoformat())}\n"
            f"  title: {scalar(name)}\n"
            f"  as_of: {as_of.isoformat()}\n"
        )
    from wsis_ledger.api import WriteError, create_ledger
    from wsis_ledger.core.problems import LedgerError, UsageError

    try:
        create_ledger(folder, files, by=by, dry_run=mode.dry_run)
    except UsageError as error:
        raise click.UsageError(visible(str(error))) from None
    except WriteError as error:
        raise click.ClickException(str(error)) from None
    except LedgerError as error:
        for problem in error.problems:
            click.echo(problem.render(lang=mode.lang), err=True)
        raise click.ClickException(
            counted(
                lang,
                "init_problems",
                "the new ledger would have {count} problem: nothing was written",
                "the new ledger would have {count} problems: nothing was written",
                len(error.problems),
            )
        ) from None
    except OSError as error:
        raise click.ClickException(
            word(
                lang, "init_cannot_create", "cannot create the ledger in {folder}: {error}"
            ).format(folder=shown, error=visible(str(error.strerror or error)))
        ) from None
    ids = (fund_id, *(f"statement-{as_of.isoformat()}" for _ in [as_of] if as_of is not None))
    names = [p.name for p in files]
    message = Said(
        lambda lang: word(lang, "said_init", "the ledger {folder} ({files})").format(
            folder=folder, files=word(lang, "list_separator", ", ").join(names)
        ),
        "created",
    )
    finish(Done(folder, ids, tuple(files), mode.dry_run), message, mode)


def _copy(folder: Path, source: str, mode: WriteMode) -> None:
    from wsis_ledger.api import copy_ledger, shipped_ledger
    from wsis_ledger.core.problems import LedgerError, UsageError

    origin = shipped_ledger() if source == "shipped" else Path(source)
    lang, shown = mode.lang, visible(str(origin))
    if not (origin / "ledger.yaml").is_file():
        raise click.BadParameter(
            word(lang, "init_no_ledger", "{origin} holds no ledger (no ledger.yaml)").format(
                origin=shown
            ),
            param_hint="--copy-of",
        )
    try:
        written = copy_ledger(origin, folder, dry_run=mode.dry_run)
    except UsageError as error:
        raise click.UsageError(str(error)) from None
    except LedgerError as error:
        for problem in error.problems:
            click.echo(problem.render(lang=mode.lang), err=True)
        raise click.ClickException(
            word(lang, "init_copy_problems", "{origin} has problems: nothing was copied").format(
                origin=shown
            )
        ) from None
    except OSError as error:
        raise click.ClickException(
            word(lang, "init_cannot_copy", "cannot create {folder}: {error}").format(
                folder=visible(str(folder)), error=visible(str(error.strerror or error))
            )
        ) from None
    message = Said(
        lambda lang: counted(
            lang,
            "said_init_copy",
            "the ledger {folder}, a copy of {origin} ({count} file)",
            "the ledger {folder}, a copy of {origin} ({count} files)",
            len(written),
            folder=folder,
            origin=origin,
        ),
        "created",
    )
    finish(Done(folder, (), tuple(written), mode.dry_run), message, mode)
