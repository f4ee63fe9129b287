"""The `wsis-ledger` command: it only wires the commands together.

Each command's module is imported when that command runs (click's "lazy
group" pattern), so `wsis-ledger check` never imports what `import` or
`rates` need.

Standard streams are guarded here, once for every command: standard output
is written whole (`core.streams`: every byte, a short or interrupted write
continued); output that cannot be written (a full disk, `> /dev/full`, a
closed standard output) and standard input that is closed end in one line on
standard error and exit 1, never a traceback and never a silent exit 0. A
reader that stops early (`| head`) is not an error: the rest of the output is
dropped and the command ends with its own exit code.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from wsis_ledger import __version__

#: Command name: "module:function" under wsis_ledger.commands.
COMMANDS = {
    "report": "report:report",
    "accounts": "accounts:accounts",
    "check": "check:check",
    "convert": "convert:convert",
    "init": "init:init",
    "import": "imports:import_",
    "receive": "receive:receive",
    "pledges": "pledges:pledges",
    "loan": "loan:loan",
    "reassign": "reassign:reassign",
    "cancel": "cancel:cancel",
    "rates": "rates:rates",
    "export": "export:export",
    "donor": "donor:donor",
    "spend": "spend:spend",
    "budget": "budget:budget",
    "statement": "statement:statement",
    "statements": "statement:statements",
    "log": "log:log",
    "close": "controls:close",
    "reopen": "controls:reopen",
    "approve": "controls:approve",
    "reconcile": "reconcile:reconcile",
    "income": "movements:income",
    "refund": "movements:refund",
    "charge": "movements:charge",
}

#: What `wsis-ledger --help` says of each command, in full (no command is imported
#: to list them), and under which heading.
SUMMARIES = {
    "report": "The fund's statement: received, pledged, loans, staff, totals.",
    "accounts": "The fund's accounts: sources and uses, position, notes.",
    "check": "Check every file, record, reference, rate and stated total.",
    "donor": "One donor's statement: what it gave, pledged, paid and provided.",
    "pledges": "Each pledge: paid, outstanding, status, age, exchange difference.",
    "budget": "Budget against actual, per phase and budget line.",
    "statements": "Each published statement: stated and computed totals, state.",
    "reconcile": "Two published statements side by side, donor by donor.",
    "init": "Create a new, empty ledger folder.",
    "import": "Add receipts and pledges from CSV, JSON or YAML, all or nothing.",
    "receive": "Record a payment against a pledge.",
    "spend": "Record an expenditure.",
    "cancel": "Record that a pledge was withdrawn.",
    "reassign": "Put a contribution or pledge to another purpose.",
    "loan": "Add a loan facility, draw on it, repay it, show where it stands.",
    "statement": "Record a published statement, or acknowledge its difference.",
    "rates": "The exchange rates in use: list, check against references, fetch.",
    "convert": "Convert an amount into CHF at a given or recorded rate.",
    "export": "The ledger as Excel, CSV, or a beancount or hledger journal.",
    "log": "Every write: who recorded what, when, in which file.",
    "close": "Close a period: its records may no longer change.",
    "reopen": "Reopen a closed period, saying why.",
    "approve": "Approve a record as a second person.",
    "income": "Record other income: interest on the fund's balance.",
    "refund": "Record a refund to a donor.",
    "charge": "Record a bank charge.",
}
GROUPS = {
    "Reading": (
        "report",
        "accounts",
        "check",
        "donor",
        "pledges",
        "budget",
        "statements",
        "reconcile",
    ),
    "Recording": (
        *("init", "import", "receive", "spend", "cancel", "reassign", "loan", "statement"),
        *("income", "refund", "charge"),
    ),
    "Rates": ("rates", "convert"),
    "Export": ("export",),
    "Audit": ("log", "close", "reopen", "approve"),
}

T = TypeVar("T")


class _ClosedStream:
    """Stands for a standard stream that was closed when the command started (Python
    then sets it to None, and click would write nothing without a word): reading or
    writing anything raises OSError(EBADF)."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, reason: str, binary: bool = False) -> None:
        self.reason = reason
        self.binary = binary
        self.buffer = self if binary else _ClosedStream(reason, binary=True)

    def write(self, data: str | bytes) -> int:
        if isinstance(data, bytes) != self.binary:
            raise TypeError("wrong kind of data")  # how click tells text from bytes
        if data:
            raise OSError(errno.EBADF, self.reason)
        return 0

    def read(self, size: int = -1) -> str | bytes:
        raise OSError(errno.EBADF, self.reason)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, self.reason)


class _Watched:
    """Standard output, remembering the error of a write that failed: only such an
    error is said to be standard output's. Everything else goes to the stream."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._buffer: _Watched | None = None
        self.failure: OSError | None = None
        #: A character its encoding could not write (`PYTHONIOENCODING=latin-1`, say).
        self.unwritable: UnicodeEncodeError | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    @property
    def buffer(self) -> _Watched:
        if self._buffer is None:
            self._buffer = _Watched(self._stream.buffer)
        return self._buffer

    def failed_with(self, error: OSError) -> bool:
        return error is self.failure or (self._buffer is not None and error is self._buffer.failure)

    def write(self, data: Any) -> int:
        try:
            return int(self._stream.write(data))
        except OSError as error:
            self.failure = error
            raise
        except UnicodeEncodeError as error:
            self.unwritable = error
            raise

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            self.failure = error
            raise


def _guard_standard_streams() -> None:
    if sys.stdin is None:
        sys.stdin = _ClosedStream("standard input is closed")
    if sys.stdout is None:
        sys.stdout = _ClosedStream("it is closed")
    if sys.stderr is None:  # nowhere to tell anything: the exit code still tells
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the rest of the process
    if not isinstance(sys.stdout, _Watched):
        sys.stdout = _Watched(_whole(sys.stdout))


def _whole(stream: Any) -> Any:
    """The process's own standard output, each byte written through `streams.write_all`
    (another stream, such as a test's, as it is)."""
    original: Any = sys.__stdout__
    if stream is not original or os.name == "nt":
        return stream
    try:
        stream.fileno()
        stream.flush()
    except (OSError, ValueError, AttributeError):
        return stream
    from wsis_ledger.core.streams import whole_text_stream

    return whole_text_stream(stream)


def _output_failure(error: OSError) -> str | None:
    """What to say when `error` came from writing standard output, else None."""
    stdout: Any = sys.stdout
    if not (isinstance(stdout, _Watched) and stdout.failed_with(error)):
        return None
    if error.errno == errno.EPIPE:
        return "standard output was closed before everything was written (a pipe)"
    return f"cannot write to standard output: {error.strerror or error}"


def silence_standard_output() -> None:
    """After a failed write, what standard output still holds goes nowhere: Python's
    own flush at exit would otherwise fail again, with a traceback."""
    try:
        if sys.stdout.fileno() == 1:
            descriptor = os.open(os.devnull, os.O_WRONLY)
            os.dup2(descriptor, 1)
            os.close(descriptor)
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def _standard_streams() -> Iterator[None]:
    """Turn a failed write of standard output into one line and exit 1; show every error
    message on one line, whatever text of a ledger or a path it quotes (`visible`)."""
    try:
        yield
        sys.stdout.flush()  # a failure shows here, not in Python's flush at exit
    except click.ClickException as error:
        from wsis_ledger.core.visible import visible

        # click declares `message` final; the one place a message is changed, at its end.
        vars(error)["message"] = visible(error.message)
        raise
    except OSError as error:
        reason = _output_failure(error)
        if reason is None:
            raise
        silence_standard_output()
        raise click.ClickException(reason) from None
    except UnicodeEncodeError as error:
        stdout: Any = sys.stdout
        if not (isinstance(stdout, _Watched) and error is stdout.unwritable):
            raise
        raise click.ClickException(_unwritable(error, stdout.encoding)) from None


def _unwritable(error: UnicodeEncodeError, encoding: str) -> str:
    """What to say when standard output's encoding cannot write a character of the
    answer (a figure's mark, a Chinese name): never a traceback, and never the
    character silently replaced, which would change what the answer says."""
    character = error.object[error.start : error.start + 1]
    return (
        f"standard output's encoding ({encoding}) cannot write {character!r} "
        f"(U+{ord(character):04X}); set PYTHONIOENCODING=utf-8, or write to a file with -o"
    )


def _guarded(call: Callable[..., T], *args: Any) -> T:
    with _standard_streams():
        return call(*args)


class LazyGroup(click.Group):
    """A group whose commands are imported when they are used."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _guard_standard_streams()
        # pydantic looks for plugins (entry points of every installed distribution)
        # when it makes its first validator, a large part of a cold `check`
        # (bench/HISTORY.md), for plugins that only observe validation. The
        # command does not use them; pydantic's documented switch turns the search
        # off, unless the user set it. (A script using the library is not affected.)
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        return super().main(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --help and --version print while the arguments are parsed
        return _guarded(super().parse_args, ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        return _guarded(super().invoke, ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands under their headings, each with its whole one-line summary."""
        placed = {name for names in GROUPS.values() for name in names}
        groups = {**GROUPS, "Other": tuple(c for c in COMMANDS if c not in placed)}
        for heading, names in groups.items():
            rows = [(name, SUMMARIES.get(name, "")) for name in names if name in COMMANDS]
            if rows:
                with formatter.section(f"{heading} commands"):
                    formatter.write_dl(rows, col_max=12)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """A command, or for a mistyped one (`reprot`) the command it is closest to."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.6)
            if close:
                shown = name.encode("unicode_escape").decode("ascii")
                ctx.fail(f"No such command '{shown}'. Did you mean '{close[0]}'?")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        module = importlib.import_module(f"{__package__}.{module_name}")
        command: click.Command = getattr(module, attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wsis-ledger")
def cli() -> None:
    """A ledger for a special trust fund: contributions received and
    pledged, loans, seconded staff and facilities, booked in CHF.

    The ledger is a folder of YAML files: --data DIR, else
    $WSIS_LEDGER_DATA, else ./data when it holds a ledger, else the ledger
    shipped with the tool (the WSIS fund as of 20 December 2002).

    \b
    Examples:
      wsis-ledger report                 # the annex, with totals
      wsis-ledger check                  # exit 0: valid, every stated total matches
      wsis-ledger convert 255000 USD --rate 1.39
    """
