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

import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from wsis_ledger.core.fields import character_name
from wsis_ledger.core.problems import Problem, Where, code_point
from wsis_ledger.source.discovery import MAX_FILE_BYTES
from wsis_ledger.source.positions import Document, ItemReader, Pos, Positions
from wsis_ledger.source.snapshot import too_large
from wsis_ledger.source.texts import decode_text, read_text
from wsis_ledger.source.yaml_events import (
    ALLOWED_TAGS,
    MAX_DEPTH,
    NO_DOCUMENT,
    Builder,
    Refused,
    line_and_column,
    parser_events,
    syntax_problem,
)

__all__ = [
    "ALLOWED_TAGS",
    "MAX_DEPTH",
    "Document",
    "ItemReader",
    "Pos",
    "Positions",
    "decode_text",
    "parse_document",
    "parse_new_document",
    "read_document",
]


def read_document(
    path: Path, max_bytes: int | None = None
) -> tuple[Document | None, list[Problem]]:
    """Read and compose one YAML file; on any problem, no document and the problems."""
    text, problems = read_text(path, MAX_FILE_BYTES if max_bytes is None else max_bytes)
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
        line, column = line_and_column(text, raw_break.start())
        reason = (
            f"{character_name(raw_break.group())} is written raw: YAML reads it as the end"
            " of a line (of a comment too), so the file would not mean what it shows;"
            " remove it"
        )
        return None, [Problem(Where(path, line, column), "yaml-character", reason)]
    positions = Positions(path, text, known=frozenset(items) if items else None)
    builder = Builder(path, parser_events(text), positions=False, items=items, place=positions)
    try:
        data = builder.document()
    except yaml.MarkedYAMLError as error:
        return None, [syntax_problem(path, error, text)]
    except yaml.reader.ReaderError as error:
        line, column = line_and_column(text, error.position)
        reason = f"the character {code_point(error.character)} is not allowed in YAML"
        return None, [Problem(Where(path, line, column), "yaml-character", reason)]
    except yaml.YAMLError as error:
        return None, [Problem(Where(path), "yaml-syntax", f"the YAML cannot be read: {error}")]
    except Refused as refused:
        return None, [refused.problem]
    if data is NO_DOCUMENT:
        reason = "the file holds no data (it is empty or only comments)"
        return None, [Problem(Where(path, 1), "empty-file", reason)]
    if builder.problems:
        return None, builder.problems
    document = Document(path, data, positions, builder.starts)
    return document, []


#: The characters YAML reads as a line break beyond `\n` and `\r`: NEL and the Unicode
#: line and paragraph separators. Written raw, one turns a quoted text's rest into
#: a space, or a comment's rest into data, while an editor shows one line.
_RAW_BREAK = re.compile("[\x85\u2028\u2029]")
