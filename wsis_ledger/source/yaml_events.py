"""Plain data from a YAML parser's events: nothing composed, nothing constructed.

Every scalar stays the text it was written as; a plain null becomes None; a key
given twice, an alias, a tag that is not a plain YAML type, or nesting deeper than
any ledger needs, is a `Problem` at its line (see `yamlsource`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from wsis_ledger.core.problems import Problem, Where, excerpt
from wsis_ledger.source.positions import Document, ItemReader, Pos, Positions

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


def parser_events(text: str) -> Any:
    """The parser's `get_event` over `text`."""
    return EventSource(text).get_event


ALIAS_MESSAGE = "anchors and aliases (&name, *name) are not allowed; write the value out in full"
DEPTH_MESSAGE = f"the YAML is nested more than {MAX_DEPTH} levels deep"
#: What libyaml says when its own nesting limit (far above MAX_DEPTH) is reached.
_LIBYAML_DEPTH = "exceeded maximum nesting depth"


def syntax_problem(path: Path, error: yaml.MarkedYAMLError, text: str) -> Problem:
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


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


#: `Builder.document`'s answer for a text with no document (empty, or only comments).
NO_DOCUMENT: Any = object()
_NULL_TAG = _YAML + "null"
#: The tags of a value written without one (`!` is the non-specific tag).
_UNTAGGED = (None, "!")
_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_SequenceStart, _SequenceEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MappingStart, _MappingEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_StreamEnd = yaml.StreamEndEvent


class Refused(Exception):
    """An alias, or nesting too deep: reading stops there, with this one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class Builder:
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
        """The data of the text's one document (`NO_DOCUMENT` when it has none)."""
        get = self.get
        get()  # the stream's start
        if get().__class__ is _StreamEnd:  # else the document's start
            return NO_DOCUMENT
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
            raise Refused(Problem(self._where(event), "yaml-alias", ALIAS_MESSAGE))
        if depth > MAX_DEPTH:
            raise Refused(Problem(self._where(event), "yaml-too-deep", DEPTH_MESSAGE))
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
                raise Refused(Problem(self._where(now), "yaml-alias", ALIAS_MESSAGE))
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
            raise Refused(Problem(self._where(event), "yaml-alias", ALIAS_MESSAGE))
        self._problem(event, "yaml-key", "a key must be plain text")
        self._skip(event)
