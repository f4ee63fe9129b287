"""What every command that writes shares: a ledger it may write to, and one way to fail."""

from __future__ import annotations

import errno
import functools
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from wsis_ledger import api
from wsis_ledger.api import NewRecord, RecordError, WriteError, packaged_ledger, shipped_ledger
from wsis_ledger.commands.options import lang_option, ledger_folder, settings_of
from wsis_ledger.core.json_schema import FLAG, SCHEMA_VERSION, TEXT, Schema, array, document
from wsis_ledger.core.language import Message, msg, translate, word
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.problems import LedgerError, Problem, UsageError, display_path

F = TypeVar("F", bound=Callable[..., Any])


def writable_ledger(data: Path | None, lang: str = "en") -> Path:
    """The ledger folder to write to; never the ledger shipped with the tool: the copy
    inside the package, or in a source checkout (an editable install) the project's
    own `data/`, which holds the source's facts (said in `lang`)."""
    root = ledger_folder(data)
    if root.resolve() in (packaged_ledger().resolve(), shipped_ledger().resolve()):
        raise click.UsageError(
            word(
                lang,
                "shipped_read_only",
                "the ledger shipped with the tool is read-only: give --data DIR "
                "(or create one with 'wsis-ledger init DIR')",
            )
        )
    return root


def show_stated_differences(
    root: Path, differences: Sequence[Problem], dry_run: bool = False, lang: str = "en"
) -> None:
    """After a write that went through to the ledger at `root` (or would, in a dry
    run): the printed totals that still differ from their rows (a finding about the
    published record, which does not stop a write), as the write found them; the
    line above them in `lang`."""
    if differences:
        went = (
            word(
                lang,
                "stated_would_go",
                "the write would go through; printed totals that differ from their rows "
                "(acknowledge them with 'wsis-ledger statement acknowledge'):",
            )
            if dry_run
            else word(
                lang,
                "stated_went",
                "the write went through; printed totals that differ from their rows "
                "(acknowledge them with 'wsis-ledger statement acknowledge'):",
            )
        )
        click.echo(went, err=True)
        for problem in differences:
            click.echo(problem.render(lang=lang), err=True)


@contextmanager
def write_errors(lang: str = "en") -> Iterator[None]:
    """A refused or failed write as one clear message (exit 1); nothing was written
    (said in `lang`)."""
    try:
        yield
    except LedgerError as error:
        for problem in error.problems:
            click.echo(problem.render(lang=lang), err=True)
        raise click.ClickException(word(lang, "nothing_written", "nothing was written")) from None
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
    dry_run: bool = False,
    lang: str = "en",
) -> NewRecord:
    """Add the record `make` builds (`api.record`); a record that cannot be made is a
    usage error naming the option (`hints`: a record field to its option). The ledger
    as it is after the write is added to `after`, where given; `by`: who records it;
    `dry_run`: check it all, write nothing; `lang`: the language of what it says."""

    def write(found: list[Problem]) -> NewRecord:
        return api.record(
            root,
            make,
            settings=settings_of(),
            findings=found,
            after=after,
            by=by,
            dry_run=dry_run,
        )

    return run_write(root, write, hints, dry_run=dry_run, lang=lang)


def run_write(
    root: Path,
    write: Callable[[list[Problem]], NewRecord],
    hints: Mapping[str, str],
    *,
    dry_run: bool = False,
    lang: str = "en",
) -> NewRecord:
    """Run `write` (a call of `api` that adds a record, given a list for the findings it
    makes); a refused write is one clear message and exit 1, a record that cannot be
    made a usage error naming its option (`hints`: a record field to its option)."""
    found: list[Problem] = []
    with write_errors(lang):
        try:
            made = write(found)
        except RecordError as error:
            hint = hints.get(error.field or "")
            if hint:
                raise click.BadParameter(str(error), param_hint=hint) from None
            raise click.UsageError(str(error)) from None
        except UsageError as error:
            raise click.UsageError(str(error)) from None
    show_stated_differences(root, found, dry_run, lang)
    return made


# --- one option set and one result for every write --------------------------------

DRY_RUN_HELP = (
    "Check the write with the whole ledger and show what it would add, and in which "
    "file; write nothing (no file, no lock)."
)
FORMAT_HELP = "How to say what was written: text, or JSON (the new ids and files) for a script."


@dataclass(frozen=True)
class WriteMode:
    """How a write runs (`write_options`): for real or as a dry run, in which format
    it says what it did, and in which language (text; JSON's message stays English)."""

    dry_run: bool = False
    fmt: str = "text"
    lang: str = "en"


def write_options(*formats: str, default: str = "text") -> Callable[[F], F]:
    """`--dry-run`, `--format` (text or json, else `formats`) and `--lang` for a command
    that writes; the command takes them as one `mode: WriteMode` argument."""
    choices = formats or ("text", "json")

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def run(*args: Any, dry_run: bool, fmt: str, lang: str, **kwargs: Any) -> Any:
            return command(*args, mode=WriteMode(dry_run, fmt, lang), **kwargs)

        run = lang_option(run)
        run = click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help=FORMAT_HELP,
        )(run)
        run = click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)(run)
        return run  # type: ignore[return-value]

    return decorate


@dataclass(frozen=True)
class Done:
    """What a write did, or in a dry run would do: the new records' ids, and the files
    it wrote (would write) in the ledger at `root`."""

    root: Path
    ids: tuple[str, ...]
    files: tuple[Path, ...]
    dry_run: bool

    def names(self) -> list[str]:
        """The files, as paths inside the ledger folder (`/` between parts)."""
        names = []
        for path in self.files:
            try:
                names.append(path.relative_to(self.root).as_posix())
            except ValueError:  # a new ledger's files (`init`): as given
                names.append(path.as_posix())
        return names

    def as_json(self, message: Said) -> dict[str, object]:
        """The one shape every write prints with --format json (its message in English:
        scripts read it)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "dry_run": self.dry_run,
            "ledger": str(self.root.absolute()),
            "ids": list(self.ids),
            "files": self.names(),
            "written": [] if self.dry_run else self.names(),
            "message": message.text("en", self.dry_run),
        }


def write_schema(command: str, extra: Mapping[str, Schema] | None = None) -> Schema:
    """The schema of `Done.as_json` (with `extra`'s keys after its own): what every
    write prints with --format json."""
    return document(
        f"wsis-ledger {command} --format json",
        "What a write did, or in a dry run would do: the new ids and the files.",
        {
            **{"dry_run": FLAG, "ledger": TEXT, "ids": array(TEXT), "files": array(TEXT)},
            **{"written": array(TEXT), "message": TEXT, **(extra or {})},
        },
    )


#: The verb a write's message starts with: as done, and as a dry run would do it.
VERBS: dict[str, tuple[Message, Message]] = {
    "recorded": (
        msg("said_recorded", "recorded {what}"),
        msg("said_would_record", "would record {what}"),
    ),
    "acknowledged": (
        msg("said_acknowledged", "acknowledged {what}"),
        msg("said_would_acknowledge", "would acknowledge {what}"),
    ),
    "created": (
        msg("said_created", "created {what}"),
        msg("said_would_create", "would create {what}"),
    ),
}


@dataclass(frozen=True)
class Said:
    """What a write says it did, in any of the six languages: `what(lang)` after `verb`
    (one of `VERBS`, in the conditional for a dry run: `recorded r-1: ...`, `would record
    r-1: ...`), or, without a verb, `what(lang)` alone (a message that says its own tense).

    `what` fills a catalog's words (`word(lang, key, English)`) with the record's values;
    a figure in it is written as `lang` writes numbers."""

    what: Callable[[str], str]
    verb: str | None = "recorded"

    def text(self, lang: str, dry_run: bool) -> str:
        """The message in `lang`, in the tense of a write (`dry_run`: of a dry run)."""
        if self.verb is None:
            return self.what(lang)
        return translate(VERBS[self.verb][dry_run], lang).format(what=self.what(lang))


def files_line(done: Done, lang: str) -> str:
    """The files a write wrote, or in a dry run would write, in `lang` (each path shown
    as one line, whatever it holds)."""
    from wsis_ledger.core.visible import visible

    files = visible(", ".join(done.names())) or word(lang, "no_file", "no file")
    if not done.dry_run:
        return word(lang, "wrote_files", "wrote {files}").format(files=files)
    return word(
        lang, "would_write_files", "would write {files} (dry run: nothing was written)"
    ).format(files=files)


def said(done: Done, message: Said, lang: str = "en") -> str:
    """The lines a write prints as text, in `lang`: `message` (in the conditional for a
    dry run), then the files written or that would be. Each is one line, whatever it
    holds (a folder's name given with a line break is shown as U+000A)."""
    from wsis_ledger.core.visible import visible

    return f"{visible(message.text(lang, done.dry_run))}\n{files_line(done, lang)}"


def finish(
    done: Done, message: Said, mode: WriteMode, extra: Mapping[str, object] | None = None
) -> None:
    """Say what a write did (`message`), in `mode`'s format: text in its language, or JSON
    (`Done.as_json`, in English, with `extra` keys after its own).

    When standard output cannot be written (a full disk, `> /dev/full`), the files are
    already in the ledger: the message says so on standard error, so that the write is
    not run again (which would record it twice)."""
    if mode.fmt == "json":
        from wsis_ledger.render.escape import json_document

        text = json_document(done.as_json(message) | dict(extra or {}))
    else:
        text = said(done, message, mode.lang)
    with told(done, message.text("en", done.dry_run)):
        click.echo(text)


@contextmanager
def told(done: Done, message: str) -> Iterator[None]:
    """Around what a write prints after it wrote `done`'s files: when standard output
    cannot be written (a full disk, `> /dev/full`, a closed pipe), say on standard
    error that the write went through, and in which files, so that it is not run
    again (which would record it twice); exit 1."""
    try:
        yield
        sys.stdout.flush()
    except OSError as error:
        # A reader that stopped early (`| head`) is not an error (`commands.main`).
        if done.dry_run or not done.files or error.errno == errno.EPIPE:
            raise
        from wsis_ledger.commands.main import silence_standard_output
        from wsis_ledger.core.visible import visible

        silence_standard_output()
        files = ", ".join(display_path(p) for p in done.files)  # from where the user is
        raise click.ClickException(
            visible(
                f"{message}, in {files}: the write went through, but standard output could "
                f"not be written ({error.strerror or error}); do not run the command again"
            )
        ) from None


def done_of(root: Path, made: Iterable[NewRecord], dry_run: bool) -> Done:
    """The `Done` of records added by `record` or `run_write`."""
    records = list(made)
    ids = tuple(i for r in records for i in r.ids)
    files = tuple(path for r in records for path in r.file(root))
    return Done(root, ids, files, dry_run)
