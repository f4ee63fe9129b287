"""A repeated `check` or `report` answered from the output cache before click is imported.

The output cache (`source/cache.py`) files an answer under a key of the command's
parsed options and the ledger's bytes. Working out those options takes click and
the command's modules: most of a repeated run's time (bench/HISTORY.md). So a
run that answered through the cache also notes what its command line came to:
the ledger folder it found and the options click parsed (`remember`). The note is
sealed like every cache entry, and filed under a key of everything that parsing
the line and finding the folder depend on (`command_line_key`): the arguments,
the working folder, the environment variables the tool and its libraries read
(`ENVIRONMENT`), how standard output and standard error are set up, the tool's
code and the libraries that shape an output, and Python itself.

A later run whose command line has that key (`look_up`) checks that the folder
would be found again (`ledger_probes`: the files that decide it are there, or
not, as before), works out the output cache's own key from the ledger's files as
they are now (each file's bytes, and the listing that found them), and prints
the answer filed there byte for byte as the click path prints it. Anything
else, or any doubt (no note, a note that does not fit, an answer not in the
cache, output the click path would print differently), and the command runs as
usual, through click, as if this module were not there. Only `check` and
`report` printing to standard output ever leave a note (`options.through_cache`).
"""

from __future__ import annotations

import errno
import hashlib
import io
import marshal
import os
import sys
from pathlib import Path
from typing import NamedTuple

from wsis_ledger import __version__
from wsis_ledger.core.streams import write_all
from wsis_ledger.source import cache
from wsis_ledger.source.discovery import LEDGER_FILE, packaged_ledger

#: The commands whose answers the output cache keeps (those that call `through_cache`).
CACHED_COMMANDS = ("check", "report")
#: On the command line, these make click print something else, or skip the cache.
NEVER = ("--help", "-h", "--version", "--no-cache")

#: Every environment variable that the command line's meaning or an answer's printed
#: bytes depend on, beyond the ledger's files (tests/test_early_answer.py checks that
#: each one gives another key, and that the package reads no other):
ENVIRONMENT = (
    # discovery: the ledger folder when --data is not given
    "WSIS_LEDGER_DATA",
    # cache.enabled: no cache at all
    cache.NO_CACHE_VARIABLE,
    # render.provenance: the time an output says it was generated
    "SOURCE_DATE_EPOCH",
    # report.terminal_width (shutil.get_terminal_size): a table fitted to the terminal
    "COLUMNS",
    "LINES",
    # gettext, through which click says everything it says
    "LANGUAGE",
    "LC_ALL",
    "LC_MESSAGES",
    "LANG",
    # the tool sets it for pydantic unless the user did (commands.main.LazyGroup)
    "PYDANTIC_DISABLE_PLUGINS",
    # read by nothing today; listed so that colour, if it comes, cannot be answered stale
    "NO_COLOR",
)

#: The notes' folder inside the cache's (pruned on its own, as the per-file records are).
NOTES = "command-lines"
#: Bumped when a note's content changes meaning.
NOTE_FORMAT = "wsis-ledger command line 1"


class Invocation(NamedTuple):
    """This run's command line, as `look_up` keyed it, for `remember` to file a note under
    (handed to click as the context's `obj` by `wsis_ledger.__main__`)."""

    key: str
    #: `ledger_probes()` when the run started: a note is filed only if they still hold.
    probes: tuple[tuple[str, bool], ...]
    #: The output cache's key the look-up worked out from the note (the folder, the
    #: options, the key), when its answer was not there: the click path, reaching the
    #: same folder and options, need not read and hash every ledger file again.
    looked_up: tuple[str, tuple[str, ...], str] | None = None


class Ready(NamedTuple):
    """A found answer, encoded as the click path would write it."""

    stdout: bytes
    stderr: bytes
    exit_code: int


def look_up(argv: list[str]) -> tuple[Ready | None, Invocation | None]:
    """The answer for this command line (None: run through click), and the invocation to
    note for next time (None: this command line is never noted)."""
    if not _may_answer(argv):
        return None, None
    try:
        invocation = Invocation(command_line_key(argv), ledger_probes())
    except (OSError, ValueError):  # the working folder is gone, a terminal that says no
        return None, None
    try:
        ready, looked_up = _answer(invocation)
    except (OSError, ValueError, EOFError, TypeError, UnicodeError):
        return None, invocation  # an unreadable note or answer: the click path decides
    return ready, invocation._replace(looked_up=looked_up)


def _may_answer(argv: list[str]) -> bool:
    """False when this run is not one a note could be for, or the streams are not plain."""
    if os.name != "posix" or len(argv) < 2 or argv[1] not in CACHED_COMMANDS:
        return False
    if any(arg in NEVER for arg in argv) or not cache.enabled(False):
        return False
    # click's shell completion (`_WSIS_LEDGER_COMPLETE=...`, named after the program)
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return False
    # click writes text to these as they are (encoded in UTF-8, "\n" as it is) when they
    # are Python's own text streams in UTF-8: anything else, and click decides.
    return all(
        isinstance(stream, io.TextIOWrapper) and _is_utf8(stream.encoding)
        for stream in (sys.stdout, sys.stderr)
    )


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8")


def command_line_key(argv: list[str]) -> str:
    """A SHA-256 of everything the meaning of `argv` and the printing of its answer
    depend on, the ledger's files aside. May raise OSError (no working folder)."""
    parts = [
        NOTE_FORMAT,
        __version__,
        sys.version,
        sys.executable,
        repr(sys.flags),
        repr(sys.warnoptions),
        cache.code_fingerprint(),
        os.getcwd(),
        str(len(argv)),
        *argv,
        # An unset variable and an empty one are told apart (repr of None or of the text).
        *(f"{name}={os.environ.get(name)!r}" for name in ENVIRONMENT),
        *_streams(),
    ]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _streams() -> list[str]:
    """How standard output and error are set up: a terminal (and its size) or not, and
    how text is encoded on them."""
    described = []
    for stream in (sys.stdout, sys.stderr):
        terminal = stream.isatty()
        described.append(f"{terminal} {stream.encoding} {stream.errors}")
    if sys.stdout.isatty():  # as shutil.get_terminal_size asks, when COLUMNS does not say
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
            described.append(f"{size.columns}x{size.lines}")
        except (AttributeError, ValueError, OSError):
            described.append("no size")
    return described


def ledger_probes(root: str | None = None) -> tuple[tuple[str, bool], ...]:
    """Whether each file that decides which folder is the ledger is there: `./data`'s and
    the shipped ledger's `ledger.yaml` (`discovery.find_ledger`), and `root`'s own."""
    folders = [os.path.join(os.getcwd(), "data"), str(packaged_ledger())]
    if root is not None:
        folders.append(root)
    return tuple(
        (path, os.path.isfile(path)) for path in (os.path.join(f, LEDGER_FILE) for f in folders)
    )


def _answer(
    invocation: Invocation,
) -> tuple[Ready | None, tuple[str, tuple[str, ...], str] | None]:
    """The answer filed for the note's folder and options, if any; and, when a key was
    worked out, the folder, the options and the key (`Invocation.looked_up`)."""
    note = cache.read_entry(invocation.key, NOTES)
    if note is None:
        return None, None
    key, root, probes, options = marshal.loads(note)
    if key != invocation.key or not _texts(root, *options):
        return None, None  # another line's note (its seal is made with its key), or not a note
    if probes != ledger_probes(root):
        return None, None  # the folder would not be found as before
    entry_key = cache.key(Path(root), *options)
    if entry_key is None:
        return None, None
    looked_up = (root, tuple(options), entry_key)
    found = cache.get(entry_key)
    if found is None or not isinstance(found.stdout, str):
        return None, looked_up
    if "\x1b" in found.stdout or "\x1b" in found.stderr:
        return None, looked_up  # click takes escape sequences out when not on a terminal
    ready = Ready(
        found.stdout.encode(sys.stdout.encoding, sys.stdout.errors or "strict"),
        found.stderr.encode(sys.stderr.encoding, sys.stderr.errors or "strict"),
        found.exit_code,
    )
    return ready, looked_up


def _texts(*values: object) -> bool:
    return all(isinstance(value, str) for value in values)


def remember(invocation: Invocation, root: Path, options: tuple[str, ...]) -> None:
    """Note that `invocation`'s command line found the ledger at `root` and meant
    `options` (the output cache holds the answer): the next run of it may answer early.

    Not noted when the files that decide the ledger's folder changed during the run:
    the folder found may not be the one a later run of the line would find."""
    try:
        probes = ledger_probes(str(root))
        if probes[: len(invocation.probes)] != invocation.probes:
            return
        note = (invocation.key, str(root), probes, options)
        cache.write_entry(invocation.key, marshal.dumps(note), NOTES)
    except (OSError, ValueError):
        return


def print_answer(ready: Ready) -> int:
    """Write the answer as the click path writes it; its exit code.

    A failed write of standard output ends as it does there (commands.main): one line
    on standard error, exit 1."""
    try:
        sys.stdout.flush()
        write_all(sys.stdout.fileno(), ready.stdout)  # every byte, as `commands.main` writes
    except BrokenPipeError:
        pass  # a reader that stopped early (`| head`): not an error, as in commands.main
    except OSError as error:
        silence_standard_output()
        # click's ClickException says "Error: " and the message, and exits 1.
        sys.stderr.write(f"Error: {output_failure(error)}\n")
        sys.stderr.flush()
        return 1
    if ready.stderr:
        sys.stderr.flush()
        sys.stderr.buffer.write(ready.stderr)
        sys.stderr.buffer.flush()
    return ready.exit_code


def output_failure(error: OSError) -> str:
    """What to say when writing standard output failed with `error`."""
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
