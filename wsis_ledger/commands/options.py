"""What every command shares: where the ledger is, output format and language, loading.

Only light modules are imported here: a command that answers from the cache,
or only prints its help, never pays for pydantic, PyYAML or the models.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from wsis_ledger import answers
from wsis_ledger.answers import ENVIRONMENT_VARIABLE, Cached, LedgerFiles, find_ledger
from wsis_ledger.core.errors import UsageError
from wsis_ledger.core.settings import Settings, from_environment

if TYPE_CHECKING:
    from decimal import Decimal  # imported when an amount is given: a cache hit needs none

    from wsis_ledger.api import OpenLedger
    from wsis_ledger.core.ledger import Ledger
    from wsis_ledger.core.problems import Problem

F = TypeVar("F", bound=Callable[..., Any])


def data_option(command: F) -> F:
    """`--data DIR`: the ledger folder (else $WSIS_LEDGER_DATA, ./data, the shipped ledger)."""
    return click.option(
        "--data",
        "data",
        type=click.Path(path_type=Path, file_okay=True, dir_okay=True),
        default=None,
        metavar="DIR",
        help=f"Ledger folder. Default: ${ENVIRONMENT_VARIABLE}, else ./data when it holds "
        "a ledger, else the ledger shipped with the tool.",
    )(command)


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    """`--format`: one choice renders the same rows every way; not given, the format
    that `-o FILE`'s extension names (`.csv`, `.json`, `.md`, `.html`, `.xlsx`)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        callback=format_from_output,
        help="Output format (default: by the extension of -o FILE, else the one shown).",
    )


#: The format each extension of `-o FILE` names, when --format is not given.
FORMAT_OF_EXTENSION = {
    ".csv": "csv",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".txt": "table",
    ".beancount": "beancount",
    ".journal": "ledger",
    ".ledger": "ledger",
    ".xml": "iati",
    ".sqlite": "sqlite",
    ".db": "sqlite",
}


def format_from_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """The format `-o FILE` names by its extension, when --format was not given.

    Click takes the options given first, in their order, then the others: `-o`
    has been read when the default of --format is."""
    from click.core import ParameterSource

    if ctx.get_parameter_source(param.name or "") is not ParameterSource.DEFAULT:
        return value
    output = ctx.params.get("output")
    if output is None or str(output) == "-":
        return value
    suffix = Path(str(output)).suffix.lower()
    named = FORMAT_OF_EXTENSION.get(suffix)
    if named is None:
        return value
    choices = getattr(param.type, "choices", ())
    if named not in choices:
        listed = ", ".join(str(c) for c in choices)
        raise click.BadParameter(
            f"{suffix} names the format {named}, which this command does not write"
            f" (its formats: {listed}): give --format, or another extension",
            ctx=ctx,
            param_hint="-o/--output",
        )
    return named


def wide_option(command: F) -> F:
    """`--wide`: a table on a terminal shows every column, however wide."""
    return click.option(
        "--wide",
        is_flag=True,
        help="Show every column of a table, however wide (on a terminal a table is "
        "otherwise fitted to its width; a pipe or a file always gets every column).",
    )(command)


def table_width(wide: bool) -> int | None:
    """The width a table is fitted to: the terminal's, unless --wide (or not a terminal)."""
    return None if wide else terminal_width()


def echo_wrapped(text: str, width: int | None) -> None:
    """A line of prose under a table, wrapped to the terminal's width (None: one line)."""
    from wsis_ledger.render.tables import wrap

    for line in wrap(text, width):
        click.echo(line)


def terminal_width() -> int | None:
    """The terminal's width (COLUMNS where set), or None when output goes to a pipe or file."""
    import shutil
    import sys

    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def environment_language() -> str:
    """`--lang`'s default: the first of LANGUAGE, LC_ALL and LANG that names one of the
    six languages, else English (`core.language.from_environment`)."""
    import os

    from wsis_ledger.core.language import from_environment

    return from_environment(os.environ)


lang_option = click.option(
    "--lang",
    type=click.Choice(["ar", "zh", "en", "fr", "ru", "es"]),
    default=environment_language,
    show_default="LANGUAGE, LC_ALL or LANG when one of these, else en",
    help="Language of names, headings and numbers: one of the UN's six official languages "
    "(zh: as the source prints them).",
)


class DateType(click.ParamType[date]):
    """A date written YYYY-MM-DD, checked as the ledger checks dates."""

    name = "date"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        from wsis_ledger.core.dates import parse_date

        try:
            return parse_date(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


DATE = DateType()


class MoneyType(click.ParamType["Decimal"]):
    """A plain, positive number kept as its exact Decimal."""

    name = "number"

    def __init__(self, what: str = "amount") -> None:
        self.what = what

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Decimal:
        from decimal import Decimal

        from wsis_ledger.core import money

        if isinstance(value, Decimal):
            return value
        try:
            number = money.parse_number(value, self.what)
        except money.MoneyError as error:
            self.fail(str(error), param, ctx)
        if number == 0:
            self.fail(f"the {self.what} must be more than zero", param, ctx)
        return number


AMOUNT = MoneyType("amount")
RATE = MoneyType("rate")
TOLERANCE = MoneyType("tolerance")


class NameType(click.ParamType[str]):
    """A person's name as a write records it: one line, no control characters."""

    name = "name"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        from wsis_ledger.core.fields import FORBIDDEN_IN_TEXT, character_name

        text = str(value)
        bad = FORBIDDEN_IN_TEXT.search(text)
        if bad is not None:
            self.fail(
                f"{character_name(bad.group())} is not allowed in a name "
                "(one line, without control characters)",
                param,
                ctx,
            )
        if not text.strip():
            self.fail("say who (a name)", param, ctx)
        return text.strip()


NAME = NameType()

#: Who records a write: recorded as `recorded_by` in the file it writes.
by_option = click.option(
    "--by",
    type=NAME,
    help="The name recorded as who wrote this, as given (default: git's user.name "
    "<user.email> where the ledger is in a git work tree, else the login name); nothing "
    "checks it: git's commit author is the record an auditor trusts ('wsis-ledger log' "
    "shows both, and warns where a file changed after it was committed by another).",
)


class StatedType(click.ParamType["object"]):
    """A printed total: an amount (`2243419`), or a bound as printed (`more than
    1300000`, `at least 5000`, `about 1300000`, `about 1300000 (to 100000)`)."""

    name = "total"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> object:
        from pydantic import TypeAdapter, ValidationError

        from wsis_ledger.core.models import StatedAmount

        try:
            return TypeAdapter(StatedAmount).validate_python(value)
        except ValidationError as error:
            message = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
            self.fail(message, param, ctx)


class PurposeTotalType(click.ParamType["tuple[str, str, object]"]):
    """`PURPOSE=TOTAL` (what it prints as received for the purpose), or
    `PURPOSE:pledged=TOTAL` / `PURPOSE:total=TOTAL`; TOTAL as `StatedType` reads it."""

    name = "purpose=total"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, str, object]:
        if isinstance(value, tuple):
            return value
        head, equals, figure = str(value).partition("=")
        purpose, _, which = head.strip().partition(":")
        which = which.strip() or "received"
        if not equals or not purpose or which not in ("received", "pledged", "total"):
            self.fail(
                f"{value!r}: write PURPOSE=TOTAL, or PURPOSE:pledged=TOTAL (or :total)",
                param,
                ctx,
            )
        return purpose.strip(), which, StatedType().convert(figure.strip(), param, ctx)


STATED = StatedType()
PURPOSE_TOTAL = PurposeTotalType()


def ledger_folder(data: Path | None) -> Path:
    """The ledger folder, or a usage error (exit 2) saying why there is none."""
    try:
        return find_ledger(data)
    except UsageError as error:
        raise click.UsageError(str(error)) from None


def settings_of(no_cache: bool = False) -> Settings:
    """The run's settings, made once when a command starts (`--no-cache`, and the
    environment: `WSIS_LEDGER_PLAIN`, `WSIS_LEDGER_NO_CACHE`), then passed on."""
    return from_environment(no_cache)


def ledger_files(data: Path | None) -> LedgerFiles:
    """The ledger folder, found and listed once (`ledger_folder`)."""
    return LedgerFiles(ledger_folder(data))


def load_checked(
    files: LedgerFiles, settings: Settings
) -> tuple[Path, Ledger | None, list[Problem]]:
    """Load the ledger and run every check (`api.read_ledger`)."""
    from wsis_ledger.api import read_ledger

    # The cyclic garbage collector stays off while the checks run too: each of its
    # full collections would walk every record just loaded (bench/HISTORY.md).
    collecting = gc.isenabled()
    gc.disable()
    try:
        root, ledger, problems = read_ledger(files=files, settings=settings)
    finally:
        if collecting:
            gc.enable()
    # The loaded records live until the command ends: leave them out of every
    # later garbage collection (they hold no cycles), which would only walk them;
    # give them back when the command ends (it may run inside a longer process).
    gc.freeze()
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(gc.unfreeze)
    return root, ledger, problems


def open_ledger(
    data: Path | LedgerFiles | None,
    *,
    findings: list[Problem] | None = None,
    settings: Settings | None = None,
    lang: str = "en",
) -> OpenLedger:
    """A ledger with no problems, or exit 1 listing them: no partial picture is shown.

    `data` is the `--data` option, or the folder as the command listed it. With
    `findings` (a list to fill), printed totals that differ from their rows do not
    stop it: they are put in that list, and only problems in the records
    themselves refuse the ledger. `settings`: the command's (default: made now);
    `lang`: the language the problems and the refusal are told in.
    """
    from wsis_ledger.api import OpenLedger
    from wsis_ledger.compute.stated_totals import findings as stated
    from wsis_ledger.compute.stated_totals import record_problems
    from wsis_ledger.core.problems import told_count

    files = data if isinstance(data, LedgerFiles) else ledger_files(data)
    settings = settings_of() if settings is None else settings
    root, ledger, problems = load_checked(files, settings)
    if findings is not None and ledger is not None and not record_problems(problems):
        findings.extend(stated(problems))
        problems = []
    if problems or ledger is None:
        from wsis_ledger.core.language import counted, word

        for problem in problems:
            click.echo(problem.render(lang=lang), err=True)
        count = told_count(problems)
        raise click.ClickException(
            word(
                lang,
                "ledger_refused",
                "the ledger has {problems}; nothing is shown until they are fixed "
                "(see 'wsis-ledger check')",
            ).format(
                problems=counted(lang, "problems", "{count} problem", "{count} problems", count)
            )
        )
    return OpenLedger(root, ledger)


no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Read the ledger afresh; neither use nor fill the cache (also: WSIS_LEDGER_NO_CACHE=1).",
)


def through_cache(
    files: LedgerFiles,
    options: tuple[str, ...],
    settings: Settings,
    produce: Callable[[], Cached],
    output: Path | None = None,
    lang: str = "en",
) -> None:
    """Print (or write to `output`) what `produce` gives (it loads the ledger from
    `files`), or what it gave for the same files, options and inputs (`answers`).

    Only complete answers are kept: a run that stops on an error (a usage
    error, a ledger `report` refuses) is not, and is run again next time.
    """
    entry_key = answers.key(files, options) if settings.cache else None
    result = answers.get(entry_key) if entry_key else None
    if result is None:
        # The key is of the bytes `files` holds, and the load takes those very bytes.
        result = produce()
        if entry_key:
            answers.put(entry_key, result)
    if output is not None:
        write_output(output, encoded(result.stdout), files.root, lang)
    else:
        for piece in pieces(result.stdout):
            click.echo(piece, nl=False)
    if result.stderr:
        click.echo(result.stderr, nl=False, err=True)
    if result.exit_code:
        raise SystemExit(result.exit_code)


class OutputPath(click.Path):
    """`-o FILE`: a file to write, never a folder. A name that ends in `/` names a folder
    (`-o reports/`), even one that does not exist yet: refused, rather than write a file
    named `reports` (a Path drops the final `/`)."""

    def __init__(self) -> None:
        super().__init__(path_type=Path, dir_okay=False, allow_dash=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import os

        text = os.fsdecode(value) if isinstance(value, bytes) else str(value)
        if text.endswith(("/", os.sep)) or (os.altsep and text.endswith(os.altsep)):
            from wsis_ledger.core.visible import visible

            self.fail(
                f"{visible(text)} names a folder (it ends in '/'): name a file in it, "
                f"such as {visible(text)}report.txt",
                param,
                ctx,
            )
        return super().convert(value, param, ctx)


output_option = click.option(
    "-o",
    "--output",
    type=OutputPath(),
    metavar="FILE",
    help="Write to FILE (replaced whole, never half-written; never inside the ledger "
    "folder) instead of standard output; - is standard output.",
)


def document_output(command: F) -> F:
    """`-o/--output FILE` for a command that prints a document: what it prints goes to
    FILE instead, written as `write_output` writes (never inside the ledger folder,
    replaced whole), also when the command then exits 1 (a flagged `rates check
    --strict`). The command takes no `output` argument; it finds the ledger by `data`."""

    @functools.wraps(command)
    def run(*args: Any, output: Path | None = None, **kwargs: Any) -> Any:
        if output is None or str(output) == "-":
            return command(*args, **kwargs)
        import contextlib
        import io

        printed = io.StringIO()
        root = ledger_folder(kwargs.get("data"))
        lang = str(kwargs.get("lang") or "en")  # the command's --lang, where it has one
        try:
            with contextlib.redirect_stdout(printed):
                result = command(*args, **kwargs)
        except (SystemExit, click.exceptions.Exit):
            write_output(output, encoded(printed.getvalue()), root, lang)
            raise
        write_output(output, encoded(printed.getvalue()), root, lang)
        return result

    return output_option(run)  # type: ignore[return-value]


#: Text is printed and encoded this many characters at a time: a large report's
#: text encoded whole would be held twice.
PIECE = 1 << 20


def pieces(text: str | Iterable[str]) -> Iterator[str]:
    """`text`, `PIECE` characters at a time (text already in pieces, as they come)."""
    if not isinstance(text, str):
        yield from text
        return
    for start in range(0, len(text), PIECE):
        yield text[start : start + PIECE]


def encoded(text: str | Iterable[str]) -> Iterator[bytes]:
    """`text` in UTF-8, a piece at a time (each piece on its own is whole UTF-8:
    a str's pieces never split a character)."""
    for piece in pieces(text):
        yield piece.encode("utf-8")


def write_output(
    path: Path, data: bytes | Iterable[bytes], ledger_root: Path, lang: str = "en"
) -> None:
    """Write an output file (`-` : standard output), or exit 1 saying why it cannot be;
    say that it was written, in `lang`."""
    if str(path) == "-":
        for chunk in [data] if isinstance(data, bytes) else data:
            click.echo(chunk, nl=False)  # bytes go to the binary stream as they are
        return
    from wsis_ledger.api import WriteError, replace_output_file

    try:
        replace_output_file(path, data, ledger_root)
    except WriteError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror or error}") from None
    from wsis_ledger.core.language import word
    from wsis_ledger.core.visible import visible

    click.echo(
        word(lang, "wrote_files", "wrote {files}").format(files=visible(str(path))), err=True
    )


AS_OF_HELP = (
    "Only what was known by DATE (a record without a date counts from its statement's date, "
    "else from the ledger's last day, as the journals date it)."
)


def as_of_option_with(*aliases: str, help: str = AS_OF_HELP) -> Callable[[F], F]:
    """`--as-of DATE`, also answering to `aliases` (names earlier versions used)."""
    return click.option("--as-of", *aliases, "as_of", type=DATE, metavar="DATE", help=help)


as_of_option = as_of_option_with()


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 problem`, `2 problems`; `1 entry`, `2 entries` with `words` given."""
    return f"{count} {word if count == 1 else words or word + 's'}"
