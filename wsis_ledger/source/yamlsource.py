"""Reading YAML safely, keeping the text and the line of every value.

PyYAML's loaders turn `12.30` into the float 12.3, keep the last of two equal
keys without a word, expand aliases ("billion laughs") and, with the wrong
loader, run Python through tags. So this module only *composes* the YAML into
nodes (no Python object is ever constructed from a tag), then walks the nodes
itself:

- every scalar stays the text it was written as (`12.30` stays "12.30"); a
  plain null (`~`, `null`, nothing) becomes None;
- a key given twice, an alias, a tag that is not a plain YAML type, or nesting
  deeper than any ledger needs, is a `Problem` at its line;
- every mapping and sequence built is indexed by `id()` in `Document.positions`,
  so a later error about `data["received"][3]["amount"]` finds its line.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, cast

import yaml

from wsis_ledger.core.problems import Problem, Where, code_point, excerpt
from wsis_ledger.source.discovery import MAX_FILE_BYTES

try:  # libyaml's composer is several times faster than the pure-Python one
    from yaml import CSafeLoader as FastLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as FastLoader  # type: ignore[assignment]

#: No ledger nests deeper than a handful of levels.
MAX_DEPTH = 32
#: With this many opening brackets or more, a text could nest deeper than
#: libyaml's composer (which recurses on the C stack) can safely go: such a
#: text is composed by the pure-Python loader, which stops at MAX_DEPTH.
FLOW_BRACKETS_FOR_FAST_LOADER = 5000

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
    """

    def __init__(self, path: Path, text: str, line: int = 1, column: int = 1) -> None:
        self.path, self.text, self.line, self.column = path, text, line, column

    @cached_property
    def _positioned(self) -> tuple[Any, dict[int, dict[Any, Pos]]]:
        node = _compose(self.text)
        assert node is not None, "the text was composed once already"
        builder = _Builder(self.path, positions=True)
        return builder.build(node, depth=0), builder.positions

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


@dataclass
class Document:
    """One parsed file: plain data (dicts, lists, str, None), and where it was written.

    The line of every mapping is kept (`start_of`); the place of any value is
    found through `positions`.
    """

    path: Path
    data: Any
    positions: Positions
    starts: dict[int, tuple[int, int]] = field(default_factory=dict)

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


def parse_new_document(path: Path, text: str) -> tuple[Document | None, list[Problem]]:
    """Compose a file not yet written, under the limits a later `read_document` applies."""
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        return None, [_too_large(Where(path), size, MAX_FILE_BYTES)]
    return parse_document(path, text)


def parse_document(path: Path, text: str) -> tuple[Document | None, list[Problem]]:
    """Compose YAML text read from `path` (or meant for it); problems name that path."""
    document, problems = _parse(path, text, strict=False)
    if any(problem.code == "yaml-alias" for problem in problems):
        # libyaml hands an alias back as the node it names, so the builder saw
        # the anchor's place; the strict composer stops at the alias itself.
        strict_document, strict_problems = _parse(path, text, strict=True)
        return strict_document, strict_problems or problems
    return document, problems


def _parse(path: Path, text: str, strict: bool) -> tuple[Document | None, list[Problem]]:
    try:
        node = _compose(text, strict)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(path, error, text)]
    except yaml.reader.ReaderError as error:
        line, column = _line_and_column(text, error.position)
        reason = f"the character {code_point(error.character)} is not allowed in YAML"
        return None, [Problem(Where(path, line, column), "yaml-character", reason)]
    except yaml.YAMLError as error:
        return None, [Problem(Where(path), "yaml-syntax", f"the YAML cannot be read: {error}")]
    except RecursionError:
        return None, [Problem(Where(path), "yaml-too-deep", DEPTH_MESSAGE)]
    if node is None:
        reason = "the file holds no data (it is empty or only comments)"
        return None, [Problem(Where(path, 1), "empty-file", reason)]
    builder = _Builder(path, positions=False, aliases_possible="*" in text)
    data = builder.build(node, depth=0)
    if builder.problems:
        return None, builder.problems
    mark = node.start_mark
    positions = Positions(path, text, mark.line + 1, mark.column + 1)
    document = Document(path, data, positions, builder.starts)
    return document, []


def _read_text(path: Path, max_bytes: int) -> tuple[str | None, list[Problem]]:
    where = Where(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(where, "not-a-file", "this is not a regular file")]
        if info.st_size > max_bytes:
            return None, [_too_large(where, info.st_size, max_bytes)]
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        reason = f"the file cannot be read: {error.strerror or error}"
        return None, [Problem(where, "unreadable", reason)]
    if len(raw) > max_bytes:  # it grew while we looked
        reason = f"the file is more than the {max_bytes:,} bytes a ledger file may have"
        return None, [Problem(where, "file-too-large", reason)]
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, as some editors write
        raw = raw[3:]
    wide = _wide_encoding(raw)
    if wide is not None:
        reason = f"the file is {wide} text, not UTF-8 (save the file as UTF-8)"
        return None, [Problem(where, "not-utf8", reason)]
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


def _too_large(where: Where, size: int, max_bytes: int) -> Problem:
    reason = (
        f"the file is {size:,} bytes, more than the {max_bytes:,} a ledger "
        "file may have; split it into several files"
    )
    return Problem(where, "file-too-large", reason)


def _compose(text: str, strict: bool = False) -> yaml.Node | None:
    """Compose with libyaml where that is safe, else with the strict pure-Python composer.

    libyaml's composer nests on the C stack: a text with enough brackets to
    nest deeper than that can take goes to `_StrictLoader`, which stops at
    MAX_DEPTH. libyaml also resolves aliases without a word: `_Builder` notices
    a node met twice, and the strict composer then says where the alias is.
    """
    opening = text.count("[") + text.count("{")
    if opening < FLOW_BRACKETS_FOR_FAST_LOADER and not strict:
        return yaml.compose(text, Loader=_FastLoader)
    return yaml.compose(text, Loader=_StrictLoader)


class _TextResolver:
    """Every scalar written without a tag is text: `yamlsource` reads its value itself.

    (PyYAML's resolver matches each scalar against regular expressions to
    call it an int, a float or a date; nothing here uses that.)
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _YAML + "str"
        return _YAML + ("seq" if kind is yaml.SequenceNode else "map")


class _FastLoader(_TextResolver, FastLoader):
    """libyaml's composer, with the text resolver."""


ALIAS_MESSAGE = "anchors and aliases (&name, *name) are not allowed; write the value out in full"
DEPTH_MESSAGE = f"the YAML is nested more than {MAX_DEPTH} levels deep"


class _StrictLoader(_TextResolver, yaml.SafeLoader):
    """The pure-Python composer, refusing aliases and nesting deeper than MAX_DEPTH."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        mark = cast(yaml.error.Mark, event.start_mark)  # the pure-Python parser's marks
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, ALIAS_MESSAGE, mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, DEPTH_MESSAGE, mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _syntax_problem(path: Path, error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    where = Where(path, mark.line + 1, mark.column + 1) if mark else Where(path)
    problem = (error.problem or "").strip()
    if problem == ALIAS_MESSAGE:
        return Problem(where, "yaml-alias", problem)
    if problem == DEPTH_MESSAGE:
        return Problem(where, "yaml-too-deep", problem)
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


class _Builder:
    """Turns composed nodes into plain data, recording positions and problems.

    libyaml hands an alias back as the very node it names: where the text has
    a `*` at all, every node met is remembered, and one met twice is an alias
    (refused before anything could expand).
    """

    def __init__(self, path: Path, *, positions: bool, aliases_possible: bool = True) -> None:
        self.path = path
        self.keep_positions = positions
        self.seen: set[int] | None = set() if aliases_possible else None
        self.positions: dict[int, dict[Any, Pos]] = {}
        self.starts: dict[int, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def _problem(self, node: yaml.Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(Where(self.path, mark.line + 1, mark.column + 1), code, message)
        )

    def _met_before(self, node: yaml.Node) -> bool:
        if self.seen is None:
            return False
        if id(node) in self.seen:
            self._problem(node, "yaml-alias", ALIAS_MESSAGE)
            return True
        self.seen.add(id(node))
        return False

    def build(self, node: yaml.Node, depth: int) -> Any:
        if self._met_before(node):
            return None
        if depth > MAX_DEPTH:
            self._problem(node, "yaml-too-deep", DEPTH_MESSAGE)
            return None
        if node.tag not in ALLOWED_TAGS:
            self._problem(
                node,
                "yaml-tag",
                f"the tag {excerpt(node.tag)} is not allowed in a ledger (only plain "
                "text, numbers, dates, lists and mappings are)",
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.style is None and node.value in _PLAIN_NULLS:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, depth)
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node, depth)

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> list[Any]:
        items: list[Any] = []
        table: dict[Any, Pos] = {}
        for index, child in enumerate(node.value):
            if self.keep_positions:
                mark = child.start_mark
                line, column = mark.line + 1, mark.column + 1
                table[index] = Pos(line, column, line, column)
            items.append(self.build(child, depth + 1))
        if self.keep_positions:
            self.positions[id(items)] = table
        return items

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        table: dict[Any, Pos] = {}
        keys: dict[str, yaml.Node] = {}
        scalar, allowed, nulls = yaml.ScalarNode, ALLOWED_TAGS, _PLAIN_NULLS
        for key_node, value_node in node.value:
            if key_node.__class__ is not scalar or key_node.tag not in allowed:
                self._problem(key_node, "yaml-key", "a key must be plain text")
                continue
            key = key_node.value
            if key in keys:
                first = keys[key].start_mark.line + 1
                self._problem(
                    key_node,
                    "duplicate-key",
                    f"the key {excerpt(key)} is given twice in this mapping (first on line {first}); "
                    "keep one of them",
                )
                continue
            keys[key] = key_node
            if self.keep_positions:
                key_mark, value_mark = key_node.start_mark, value_node.start_mark
                table[key] = Pos(
                    value_mark.line + 1,
                    value_mark.column + 1,
                    key_mark.line + 1,
                    key_mark.column + 1,
                )
            # Most values are plain scalars: take them here rather than through build().
            if value_node.__class__ is scalar and value_node.tag in allowed and self.seen is None:
                value = value_node.value
                mapping[key] = None if value_node.style is None and value in nulls else value
            else:
                mapping[key] = self.build(value_node, depth + 1)
        if self.keep_positions:
            self.positions[id(mapping)] = table
        self.starts[id(mapping)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        return mapping
