"""Where each value of a ledger file was written: a parsed file (`Document`) and the
positions of its values (`Positions`), worked out again from its text only when a
problem asks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from wsis_ledger.core.problems import Where
from wsis_ledger.source.snapshot import read_bytes
from wsis_ledger.source.texts import decode_text


class Pos(NamedTuple):
    """Where a value (and, in a mapping, its key) stands: 1-based line and column."""

    line: int
    column: int
    key_line: int
    key_column: int


class Positions:
    """Where each value of a file's text was written, worked out when first asked.

    A large valid ledger never asks: it never pays for positions it never shows.
    Nor need a large file's positions hold its text: once its records are made,
    the loader lets it go (`forget_text`, `loading.KEEP_TEXTS_UP_TO`) and a problem
    that asks reads the file again, if its bytes are still those read (a large
    ledger's texts would be much of its peak memory; bench/HISTORY.md).
    """

    def __init__(
        self,
        path: Path,
        text: str,
        line: int = 1,
        column: int = 1,
        known: frozenset[str] | None = None,
    ) -> None:
        self.path, self.line, self.column = path, line, column
        self._text: str | None = text
        self._digest: bytes | None = None
        #: The top-level keys whose values are read (None: all); see `parse_document`.
        self.known = known

    def __reduce__(
        self,
    ) -> tuple[type[Positions], tuple[Path, str, int, int, frozenset[str] | None]]:
        # Kept without the text (the per-file cache is keyed by it; the loader
        # gives it back) and without anything worked out from it.
        return Positions, (self.path, "", self.line, self.column, self.known)

    def forget_text(self, digest: bytes) -> None:
        """Let the text go; it is read again from the file, whose bytes had the
        SHA-256 `digest`, when a position is asked for."""
        self._text, self._digest = None, digest

    def _read_again(self) -> str | None:
        """The text of the file, if its bytes are still those first read; else None
        (a record is then placed at its own line, `Place.at`)."""
        raw, _ = read_bytes(self.path)
        if raw is None or hashlib.sha256(raw).digest() != self._digest:
            return None
        return decode_text(self.path, raw)[0]

    @cached_property
    def _positioned(self) -> tuple[Any, dict[int, dict[Any, Pos]]]:
        text = self._text if self._text is not None else self._read_again()
        if text is None:
            return None, {}
        from wsis_ledger.source.yaml_events import Builder, parser_events

        builder = Builder(self.path, parser_events(text), positions=True, known=self.known)
        data = builder.document()  # the text was read once already, without a problem
        return data, builder.positions

    def locate(self, loc: tuple[int | str, ...], *, at_key: bool = False) -> Where:
        """The place of the value reached from the root by `loc` (as pydantic reports it).

        Walks as far as the data go: a missing key points at the mapping that lacks it.
        """
        node, positions = self._positioned
        where = Where(self.path, self.line, self.column)
        for step, key in enumerate(loc):
            if not _has(node, key):
                break
            pos = positions.get(id(node), {}).get(key)
            if pos is not None:
                last = at_key and step == len(loc) - 1
                line, column = (pos.key_line, pos.key_column) if last else (pos.line, pos.column)
                where = Where(self.path, line, column)
            node = node[key]
        return where


class Document:
    """One parsed file: plain data (dicts, lists, str, None), and where it was written.

    The line of every mapping is kept (`start_of`); the place of any value is
    found through `positions`.
    """

    __slots__ = ("data", "path", "positions", "starts")
    # A plain class, not a dataclass: cheaper to define at start (bench/HISTORY.md),
    # and nothing compares or prints these.

    def __init__(
        self,
        path: Path,
        data: Any,
        positions: Positions,
        starts: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        self.path, self.data, self.positions = path, data, positions
        self.starts = {} if starts is None else starts

    def start_of(self, container: object) -> tuple[int, int] | None:
        """Line and column where a mapping of `data` starts."""
        return self.starts.get(id(container))

    def locate(self, loc: tuple[int | str, ...], *, at_key: bool = False) -> Where:
        """See `Positions.locate`."""
        return self.positions.locate(loc, at_key=at_key)


def _has(node: Any, key: int | str) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)


#: Reads one item of a top-level list as soon as it is whole (`parse_document`):
#: given the item as a document of its own and its index in the list, it returns
#: what the list holds in the item's place.
ItemReader = Callable[["Document", int], Any]
