"""Reading YAML safely, keeping the text and the line of every value.

PyYAML's loaders turn `12.30` into the float 12.3, keep the last of two equal
keys without a word, expand aliases ("billion laughs") and, with the wrong
loader, run Python through tags. So this module neither composes nor
constructs: it reads the parser's events (libyaml's parser where PyYAML has
it, else PyYAML's own; neither recurses, so no nesting can overflow a stack)
and builds plain data itself, in the same way for every file:

- every scalar stays the text it was written as (`12.30` stays "12.30"); a
  plain null (`~`, `null`, `Null`, `NULL`, nothing) becomes None, whichever
  parser wrote the event (libyaml marks a plain scalar `''`, PyYAML None);
- a key given twice, an alias, a tag that is not a plain YAML type, or nesting
  deeper than any ledger needs, is a `Problem` at its line;
- the line of every mapping is kept (`Document.starts`); the place of any
  other value is worked out from the text again only when a problem asks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from wsis_ledger.core.fields import character_name
from wsis_ledger.core.problems import Problem, Where, code_point, excerpt
from wsis_ledger.source.discovery import MAX_FILE_BYTES
from wsis_ledger.source.snapshot import read_bytes, too_large

try:  # libyaml's parser is several times faster than the pure-Python one
    from yaml import CBaseLoader as EventSource
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import BaseLoader as EventSource  # type: ignore[assignment]

#: No ledger nests deeper than a handful of levels.
MAX_DEPTH = 32

_YAML = "tag:yaml.org,2002:"
#: Tags a ledger may carry, written or implied; anything else (`!!python/...`,
#: `!!binary`, `!custom`) is refused.
ALLOWED_TAGS = frozenset(
    _YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_PLAIN_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


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
        builder = _Builder(self.path, _events(text), positions=True, known=self.known)
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


def read_document(
    path: Path, max_bytes: int | None = None
) -> tuple[Document | None, list[Problem]]:
    """Read and compose one YAML file; on any problem, no document and the problems."""
    text, problems = _read_text(path, MAX_FILE_BYTES if max_bytes is None else max_bytes)
    if text is None:
        return None, problems
    return parse_document(path, text)


def parse_new_document(
    path: Path, text: str, items: Mapping[str, ItemReader] | None = None
) -> tuple[Document | None, list[Problem]]:
    """Compose a file not yet written, under the limits a later `read_document` applies."""
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        return None, [too_large(path, size, MAX_FILE_BYTES)]
    return parse_document(path, text, items)


#: Reads one item of a top-level list as soon as it is whole (`parse_document`):
#: given the item as a document of its own and its index in the list, it returns
#: what the list holds in the item's place.
ItemReader = Callable[["Document", int], Any]


def parse_document(
    path: Path, text: str, items: Mapping[str, ItemReader] | None = None
) -> tuple[Document | None, list[Problem]]:
    """Read YAML text read from `path` (or meant for it); problems name that path.

    With `items`, each item of a list under a top-level key that `items` names
    is handed to that key's reader as soon as it is read, and the list holds
    what the reader returns in its place: a large file's plain data are never
    all held at once. A top-level key `items` does not name is passed over
    unread (None in its place): its value is never built. A text with a problem of YAML is refused whole either way.
    """
    raw_break = _RAW_BREAK.search(text)
    if raw_break is not None:
        line, column = _line_and_column(text, raw_break.start())
        reason = (
            f"{character_name(raw_break.group())} is written raw: YAML reads it as the end"
            " of a line (of a comment too), so the file would not mean what it shows;"
            " remove it"
        )
        return None, [Problem(Where(path, line, column), "yaml-character", reason)]
    positions = Positions(path, text, known=frozenset(items) if items else None)
    builder = _Builder(path, _events(text), positions=False, items=items, place=positions)
    try:
        data = builder.document()
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(path, error, text)]
    except yaml.reader.ReaderError as error:
        line, column = _line_and_column(text, error.position)
        reason = f"the character {code_point(error.character)} is not allowed in YAML"
        return None, [Problem(Where(path, line, column), "yaml-character", reason)]
    except yaml.YAMLError as error:
        return None, [Problem(Where(path), "yaml-syntax", f"the YAML cannot be read: {error}")]
    except _Refused as refused:
        return None, [refused.problem]
    if data is _NO_DOCUMENT:
        reason = "the file holds no data (it is empty or only comments)"
        return None, [Problem(Where(path, 1), "empty-file", reason)]
    if builder.problems:
        return None, builder.problems
    document = Document(path, data, positions, builder.starts)
    return document, []


def _read_text(path: Path, max_bytes: int) -> tuple[str | None, list[Problem]]:
    raw, problems = read_bytes(path, max_bytes)
    if raw is None:
        return None, problems
    return decode_text(path, raw)


def decode_text(path: Path, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The text of a file's bytes (UTF-8, a byte-order mark dropped); else None, and why."""
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, as some editors write
        raw = raw[3:]
    wide = _wide_encoding(raw)
    if wide is not None:
        reason = f"the file is {wide} text, not UTF-8 (save the file as UTF-8)"
        return None, [Problem(Where(path), "not-utf8", reason)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        reason = (
            f"the file is not UTF-8 text: byte {raw[error.start]:#04x} at byte offset "
            f"{error.start} cannot be read (save the file as UTF-8)"
        )
        return None, [Problem(Where(path, line, column), "not-utf8", reason)]


_BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _wide_encoding(raw: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when `raw` is written so: by its byte-order mark, or, without
    one, by where its zero bytes fall (every other byte of ASCII text in UTF-16)."""
    for mark, name in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return name
    sample = raw[:4096]
    if b"\x00" not in sample or len(sample) < 4:
        return None
    zeros = [sample[offset::4].count(0) for offset in range(4)]
    quarter = len(sample) // 4
    if sorted(zeros)[1] >= 0.9 * quarter:  # three of every four bytes are zero
        return "UTF-32"
    even, odd = zeros[0] + zeros[2], zeros[1] + zeros[3]
    many, few = max(even, odd), min(even, odd)
    return "UTF-16" if many >= 0.2 * len(sample) / 2 and many >= 4 * few + 1 else None


#: The characters YAML reads as a line break beyond `\n` and `\r`: NEL and the Unicode
#: line and paragraph separators. Written raw, one turns a quoted text's rest into
#: a space, or a comment's rest into data, while an editor shows one line.
_RAW_BREAK = re.compile("[\x85\u2028\u2029]")


def _events(text: str) -> Any:
    """The parser's `get_event` over `text`."""
    return EventSource(text).get_event


ALIAS_MESSAGE = "anchors and aliases (&name, *name) are not allowed; write the value out in full"
DEPTH_MESSAGE = f"the YAML is nested more than {MAX_DEPTH} levels deep"
#: What libyaml says when its own nesting limit (far above MAX_DEPTH) is reached.
_LIBYAML_DEPTH = "exceeded maximum nesting depth"


def _syntax_problem(path: Path, error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    where = Where(path, mark.line + 1, mark.column + 1) if mark else Where(path)
    problem = (error.problem or "").strip()
    if problem == ALIAS_MESSAGE:
        return Problem(where, "yaml-alias", problem)
    if problem in (DEPTH_MESSAGE, _LIBYAML_DEPTH):
        return Problem(where, "yaml-too-deep", DEPTH_MESSAGE)
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return Problem(where, "yaml-syntax", "a tab character: YAML indents with spaces only")
    context = (error.context or "").strip()
    message = f"the YAML cannot be read: {problem}" + (f" ({context})" if context else "")
    return Problem(where, "yaml-syntax", message + _syntax_hint(problem))


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem or "expected <block end>" in problem:
        return "; check the indentation, or put the value in quotes"
    if "found unexpected end of stream" in problem or "while scanning a quoted" in problem:
        return "; a quote is not closed"
    if "expected a single document" in problem:
        return "; a ledger file holds one document (remove the extra ---)"
    return ""


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


#: `_Builder.document`'s answer for a text with no document (empty, or only comments).
_NO_DOCUMENT: Any = object()
_NULL_TAG = _YAML + "null"
#: The tags of a value written without one (`!` is the non-specific tag).
_UNTAGGED = (None, "!")
_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_SequenceStart, _SequenceEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MappingStart, _MappingEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_StreamEnd = yaml.StreamEndEvent


class _Refused(Exception):
    """An alias, or nesting too deep: reading stops there, with this one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Builder:
    """Turns a parser's events into plain data, recording starts, positions and problems.

    Nothing is composed: an alias is refused where it is written (nothing can
    expand), and the data are built as the events come, so no tree of nodes
    is ever held beside them.
    """

    def __init__(
        self,
        path: Path,
        get_event: Any,
        *,
        positions: bool,
        items: Mapping[str, ItemReader] | None = None,
        place: Positions | None = None,
        known: frozenset[str] | None = None,
    ) -> None:
        self.path = path
        self.get = get_event
        self.keep_positions = positions
        self.items = items or {}
        #: The top-level keys whose values are read: those `items` names (or `known`);
        #: None, every key.
        self.known = frozenset(self.items) if items else known
        self.place = place
        self.positions: dict[int, dict[Any, Pos]] = {}
        self.starts: dict[int, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.root_start = (1, 1)

    def _where(self, event: Any) -> Where:
        mark = event.start_mark
        return Where(self.path, mark.line + 1, mark.column + 1)

    def _problem(self, event: Any, code: str, message: str) -> None:
        self.problems.append(Problem(self._where(event), code, message))

    def document(self) -> Any:
        """The data of the text's one document (`_NO_DOCUMENT` when it has none)."""
        get = self.get
        get()  # the stream's start
        if get().__class__ is _StreamEnd:  # else the document's start
            return _NO_DOCUMENT
        first = get()
        self.root_start = (first.start_mark.line + 1, first.start_mark.column + 1)
        if self.place is not None:
            self.place.line, self.place.column = self.root_start
        data = self.value(first, 0)
        get()  # the document's end
        event = get()
        if event.__class__ is not _StreamEnd:  # as PyYAML's composer says it
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                first.start_mark,
                "but found another document",
                event.start_mark,
            )
        return data

    def value(self, event: Any, depth: int) -> Any:
        """The value `event` starts, `depth` levels down."""
        kind = event.__class__
        if kind is _Alias:
            raise _Refused(Problem(self._where(event), "yaml-alias", ALIAS_MESSAGE))
        if depth > MAX_DEPTH:
            raise _Refused(Problem(self._where(event), "yaml-too-deep", DEPTH_MESSAGE))
        tag = event.tag
        if tag not in _UNTAGGED and tag not in ALLOWED_TAGS:
            self._problem(
                event,
                "yaml-tag",
                f"the tag {excerpt(tag)} is not allowed in a ledger (only plain "
                "text, numbers, dates, lists and mappings are)",
            )
            self._skip(event)
            return None
        if kind is _Scalar:
            value = event.value
            if tag == _NULL_TAG or (tag is None and not event.style and value in _PLAIN_NULLS):
                return None
            return value
        if kind is _SequenceStart:
            return self._sequence(event, depth)
        return self._mapping(event, depth)

    def _skip(self, event: Any) -> None:
        """Pass over the rest of the value `event` starts (nothing in it is read)."""
        if event.__class__ is not _SequenceStart and event.__class__ is not _MappingStart:
            return
        get, level = self.get, 1
        while level:
            kind = get().__class__
            if kind is _SequenceStart or kind is _MappingStart:
                level += 1
            elif kind is _SequenceEnd or kind is _MappingEnd:
                level -= 1

    def _sequence(self, start: Any, depth: int) -> list[Any]:
        items: list[Any] = []
        table: dict[Any, Pos] | None = {} if self.keep_positions else None
        get, depth = self.get, depth + 1
        event = get()
        while event.__class__ is not _SequenceEnd:
            if table is not None:
                line, column = event.start_mark.line + 1, event.start_mark.column + 1
                table[len(items)] = Pos(line, column, line, column)
            items.append(self.value(event, depth))
            event = get()
        if table is not None:
            self.positions[id(items)] = table
        return items

    def _plain_list(self, event: Any, depth: int) -> bool:
        """True when `value` would read `event` as a list (no tag refused, not too deep)."""
        return (
            event.__class__ is _SequenceStart
            and depth <= MAX_DEPTH
            and (event.tag in _UNTAGGED or event.tag in ALLOWED_TAGS)
        )

    def _read_items(self, read: ItemReader, depth: int, start: Any) -> list[Any]:
        """A top-level list, each item handed to `read` as soon as it is whole."""
        assert self.place is not None
        items: list[Any] = []
        get, outer = self.get, self.starts
        event = get()
        while event.__class__ is not _SequenceEnd:
            # The item's mappings are noted apart, and forgotten with the item: no
            # later value can be taken for one of them (ids are used again).
            self.starts = {}
            raw = self.value(event, depth + 1)
            items.append(read(Document(self.path, raw, self.place, self.starts), len(items)))
            event = get()
        self.starts = outer
        return items

    def _mapping(self, start: Any, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        table: dict[Any, Pos] | None = {} if self.keep_positions else None
        first_lines: dict[str, int] = {}
        get, scalar, nulls, untagged = self.get, _Scalar, _PLAIN_NULLS, _UNTAGGED
        inline = depth < MAX_DEPTH  # a scalar value one level down is not too deep
        depth += 1
        while True:
            key_event = get()
            kind = key_event.__class__
            if kind is _MappingEnd:
                break
            if kind is not scalar or (
                key_event.tag not in untagged and key_event.tag not in ALLOWED_TAGS
            ):
                self._refuse_key(key_event)
                self._skip(get())
                continue
            key = key_event.value
            value_event = get()
            if key in first_lines:
                self._problem(
                    key_event,
                    "duplicate-key",
                    f"the key {excerpt(key)} is given twice in this mapping (first on line "
                    f"{first_lines[key]}); keep one of them",
                )
                self._skip(value_event)
                continue
            key_mark = key_event.start_mark
            first_lines[key] = key_mark.line + 1
            if table is not None:
                value_mark = value_event.start_mark
                table[key] = Pos(
                    value_mark.line + 1,
                    value_mark.column + 1,
                    key_mark.line + 1,
                    key_mark.column + 1,
                )
            # Most values are plain scalars: take them here rather than through value().
            if inline and value_event.__class__ is scalar and value_event.tag is None:
                value = value_event.value
                mapping[key] = None if not value_event.style and value in nulls else value
            elif depth == 1 and self.known is not None:
                mapping[key] = self._section(key, value_event, depth)
            else:
                mapping[key] = self.value(value_event, depth)
        if table is not None:
            self.positions[id(mapping)] = table
        self.starts[id(mapping)] = (start.start_mark.line + 1, start.start_mark.column + 1)
        return mapping

    def _section(self, key: str, event: Any, depth: int) -> Any:
        """A top-level value, where the sections are known: a list of items read one by
        one, another value as it is, or (a key not known: an unknown section) passed
        over unread, None in its place: a 6 MB list of `{}` under an unknown key took
        1.6 GB to build (bench/HISTORY.md)."""
        assert self.known is not None
        if key not in self.known:
            self._pass_over(event)
            return None
        read = self.items.get(key)
        if read is not None and self._plain_list(event, depth):
            return self._read_items(read, depth, event)
        return self.value(event, depth)

    def _pass_over(self, event: Any) -> None:
        """`_skip`, refusing an alias as `value` would (an unknown section is refused for
        what it is, after what is wrong inside it, as if it had been read)."""
        get, level, now = self.get, 0, event
        while True:
            kind = now.__class__
            if kind is _Alias:
                raise _Refused(Problem(self._where(now), "yaml-alias", ALIAS_MESSAGE))
            if kind is _SequenceStart or kind is _MappingStart:
                level += 1
            elif kind is _SequenceEnd or kind is _MappingEnd:
                level -= 1
            if level == 0:
                return
            now = get()

    def _refuse_key(self, event: Any) -> None:
        """A key that is not plain text: an alias stops the reading, any other
        is a problem, passed over."""
        if event.__class__ is _Alias:
            raise _Refused(Problem(self._where(event), "yaml-alias", ALIAS_MESSAGE))
        self._problem(event, "yaml-key", "a key must be plain text")
        self._skip(event)
