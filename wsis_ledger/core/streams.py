"""Output written whole: every byte of every output goes through `write_all`.

A write to a pipe or a terminal may take only part of what it is given (the
reader is slow, the writer was stopped with Ctrl-Z and continued, a signal
came); `write_all` continues where it stopped until every byte is written or
an error says why it cannot be (a full disk: `OSError`, never a silent half).

`WholeWriter` is standard output's lowest layer (`commands.main` puts it
under `sys.stdout`): each write goes through `write_all`. A reader that stops
early (`wsis-ledger pledges | head -5`) is not an error of ours: the rest of
the output is dropped without a word, and the command ends with the exit code
it would have had.
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Buffer


def write_all(descriptor: int, data: Buffer) -> None:
    """Write every byte of `data` to `descriptor`: a short write is continued where it
    stopped, an interrupted one tried again; an error (a closed pipe, a full disk) is
    raised as `OSError`."""
    view = memoryview(data).cast("B")
    while view:
        try:
            written = os.write(descriptor, view)
        except InterruptedError:
            continue
        except BlockingIOError:
            # A descriptor set non-blocking (by another process sharing it) that is
            # full for now: wait until it takes more.
            import select

            select.select([], [descriptor], [])
            continue
        view = view[written:]


class WholeWriter(io.RawIOBase):
    """A file descriptor as a raw stream whose every write is whole (`write_all`); once
    its reader has gone (a closed pipe), what is written is dropped."""

    def __init__(self, descriptor: int) -> None:
        super().__init__()
        self._descriptor = descriptor
        #: The reader closed the pipe: nothing more is written.
        self.reader_gone = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._descriptor

    def isatty(self) -> bool:
        return os.isatty(self._descriptor)

    def write(self, data: Buffer) -> int:
        size = memoryview(data).nbytes
        if not self.reader_gone:
            try:
                write_all(self._descriptor, data)
            except BrokenPipeError:
                self.reader_gone = True
        return size

    def close(self) -> None:
        # The descriptor stays open: it is the process's standard output.
        super().close()


def whole_text_stream(stream: io.TextIOWrapper) -> io.TextIOWrapper:
    """A text stream writing to `stream`'s descriptor as `stream` does (encoding, errors,
    line buffering), each byte through `write_all`."""
    raw = WholeWriter(stream.fileno())
    return io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=stream.encoding,
        errors=stream.errors,
        newline="\n",
        line_buffering=stream.line_buffering,
    )
