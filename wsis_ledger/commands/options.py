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

from wsis_ledger.commands import early
from wsis_ledger.core.errors import UsageError
from wsis_ledger.source import cache
from wsis_ledger.source.cache import Cached
from wsis_ledger.source.discovery import ENVIRONMENT_VARIABLE, find_ledger

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
    """`--format`: one choice renders the same rows every way."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of names and headings (zh: as the source prints them).",
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


def ledger_folder(data: Path | None) -> Path:
    """The ledger folder, or a usage error (exit 2) saying why there is none."""
    try:
        return find_ledger(data)
    except UsageError as error:
        raise click.UsageError(str(error)) from None


def load_checked(data: Path | None) -> tuple[Path, Ledger | None, list[Problem]]:
    """Load the ledger and run every check (`api.read_ledger`, from where it is defined:
    the rest of the API is not needed here)."""
    # Imported here, not above: the models and PyYAML only when a ledger is read.
    from wsis_ledger.compute.checks import read_ledger

    ledger_folder(data)  # a missing folder is a usage error (exit 2), said here
    context = click.get_current_context(silent=True)
    reads = context.meta.get(_READS) if context is not None else None
    # The cyclic garbage collector stays off while the checks run too: each of its
    # full collections would walk every record just loaded (with 100 000 entries,
    # collections were some 40 % of the checks' time; see bench/HISTORY.md).
    collecting = gc.isenabled()
    gc.disable()
    try:
        root, ledger, problems = read_ledger(data, reads=reads)
    finally:
        if collecting:
            gc.enable()
    # The loaded records live until the command ends: leave them out of every
    # later garbage collection (they hold no cycles), which would only walk them;
    # give them back when the command ends (it may run inside a longer process).
    gc.freeze()
    if context is not None:
        context.call_on_close(gc.unfreeze)
    return root, ledger, problems


def open_ledger(data: Path | None, *, findings: list[Problem] | None = None) -> OpenLedger:
    """A ledger with no problems, or exit 1 listing them: no partial picture is shown.

    With `findings` (a list to fill), printed totals that differ from their rows
    do not stop it: they are put in that list, and only problems in the records
    themselves refuse the ledger.
    """
    from wsis_ledger.api import OpenLedger
    from wsis_ledger.compute.checks import findings as stated
    from wsis_ledger.compute.checks import record_problems

    root, ledger, problems = load_checked(data)
    if findings is not None and ledger is not None and not record_problems(problems):
        findings.extend(stated(problems))
        problems = []
    if problems or ledger is None:
        for problem in problems:
            click.echo(problem.render(), err=True)
        raise click.ClickException(
            f"the ledger has {plural(len(problems), 'problem')}; "
            "nothing is shown until they are fixed (see 'wsis-ledger check')"
        )
    return OpenLedger(root, ledger)


#: Where `through_cache` leaves the `cache.Reads` a load fills (in the click context's meta).
_READS = "wsis_ledger.reads"

no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Read the ledger afresh; neither use nor fill the cache (also: WSIS_LEDGER_NO_CACHE=1).",
)


def through_cache(
    root: Path,
    options: tuple[str, ...],
    no_cache: bool,
    produce: Callable[[], Cached],
    output: Path | None = None,
) -> None:
    """Print (or write to `output`) what `produce` gives, or what it gave for the same
    files and options.

    Only complete answers are cached: a run that stops on an error (a usage
    error, a ledger `report` refuses) is not, and is run again next time.
    """
    use = cache.enabled(no_cache)
    entry_key = (_key_looked_up(root, options) or cache.key(root, *options)) if use else None
    result = cache.get(entry_key) if entry_key else None
    kept = result is not None
    if result is None:
        # The answer is stored under the key of the bytes the load read (`load_checked`
        # finds `reads` on the context), not of the bytes hashed above: a file changed
        # in between never has this answer filed under content it was not made from.
        reads = cache.Reads() if use else None
        click.get_current_context().meta[_READS] = reads
        result = produce()
        stored_key = cache.key_of(reads, *options) if reads is not None else None
        if stored_key:
            cache.put(stored_key, result)
            kept = isinstance(result.stdout, str)  # an answer in pieces is not kept
    if kept and output is None:
        _note_command_line(root, options)
    if output is not None:
        write_output(output, encoded(result.stdout), root)
    else:
        for piece in pieces(result.stdout):
            click.echo(piece, nl=False)
    if result.stderr:
        click.echo(result.stderr, nl=False, err=True)
    if result.exit_code:
        raise SystemExit(result.exit_code)


def _note_command_line(root: Path, options: tuple[str, ...]) -> None:
    """Note what this run's command line came to, so that its next run is answered
    before click is imported (`commands.early`); only for a run started by the console
    script or `python -m wsis_ledger`, which hand the command line's key over."""
    invocation = _invocation()
    if invocation is not None:
        early.remember(invocation, root, options)


def _key_looked_up(root: Path, options: tuple[str, ...]) -> str | None:
    """The output cache's key `commands.early` worked out for this same folder and these
    options before click started (its answer was not filed), else None: the ledger's
    files are then not read and hashed a second time."""
    invocation = _invocation()
    looked_up = invocation.looked_up if invocation is not None else None
    if looked_up is None or looked_up[:2] != (str(root), options):
        return None
    return looked_up[2]


def _invocation() -> early.Invocation | None:
    """The command line's key `wsis_ledger.__main__` handed to click, if it did."""
    context = click.get_current_context(silent=True)
    return context.find_object(early.Invocation) if context is not None else None


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
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
        try:
            with contextlib.redirect_stdout(printed):
                result = command(*args, **kwargs)
        except (SystemExit, click.exceptions.Exit):
            write_output(output, encoded(printed.getvalue()), root)
            raise
        write_output(output, encoded(printed.getvalue()), root)
        return result

    return output_option(run)  # type: ignore[return-value]


#: Text is printed and encoded this many characters at a time: a report of
#: 1 000 000 entries is 367 MB of JSON, and encoding it whole held it twice.
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


def write_output(path: Path, data: bytes | Iterable[bytes], ledger_root: Path) -> None:
    """Write an output file (`-` : standard output), or exit 1 saying why it cannot be."""
    if str(path) == "-":
        for chunk in [data] if isinstance(data, bytes) else data:
            click.echo(chunk, nl=False)  # bytes go to the binary stream as they are
        return
    from wsis_ledger.write.files import WriteError, replace_output_file

    try:
        replace_output_file(path, data, ledger_root)
    except WriteError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror or error}") from None
    click.echo(f"wrote {path}", err=True)


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
