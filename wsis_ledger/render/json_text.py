"""The report's JSON written as text directly: each entry, and a document whose lists of
entries are written one at a time (`indented_parts`).

A shortcut (off under `WSIS_LEDGER_PLAIN=1`): the same bytes as `json.dumps` of
`report_to_json`; tests/test_plain_vs_fast.py and tests/test_report_shortcuts.py
compare the two.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from wsis_ledger.compute.position import EntryRow
from wsis_ledger.core import money

#: Every JSON document is indented by this many spaces, at every size.
JSON_INDENT = 2

#: A JSON string literal of a text, as `json.dumps(..., ensure_ascii=False)` writes it.
_quoted: Callable[[str], str] = json.encoder.encode_basestring


def _json_text(value: str | None) -> str:
    return "null" if value is None else _quoted(value)


def _json_amount(value: Decimal | None) -> str:
    # `format_amount` gives digits, a point and a sign at most: nothing to escape.
    return "null" if value is None else f'"{money.format_amount(value)}"'


def _json_day(value: date | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def entry_json_text(row: EntryRow, indent: int = 0) -> str:
    """`json.dumps(entry_to_json(row), ensure_ascii=False, indent=JSON_INDENT)` for an
    entry whose object starts `indent` spaces in, written directly.

    A shortcut (off under `WSIS_LEDGER_PLAIN=1`): making each entry's dict and then
    encoding it was most of the time of a large `report --format json`. The
    plain-versus-fast tests compare the two; a key added to `entry_to_json` must
    be added here too.
    """
    rate, standing = row.rate, row.standing
    pairs = [
        ("id", _quoted(row.id)),
        ("donor_id", _quoted(row.donor_id)),
        ("donor", _quoted(row.donor)),
        ("amount", _json_amount(row.amount)),
        ("currency", _json_text(row.currency)),
        ("rate", _json_amount(rate.value if rate else None)),
        ("rate_basis", _json_text(rate.basis if rate else None)),
        ("rate_source", _json_text(rate.source if rate else None)),
        ("chf", _json_amount(row.chf)),
        ("purpose", _json_text(row.purpose)),
        ("reassigned", "true" if row.reassigned else "false"),
        ("pledge", _json_text(row.pledge)),
        ("date", _json_day(row.date)),
        ("note", _json_text(row.note)),
        ("reading", "true" if row.reading else "false"),
        ("phase", _json_text(row.phase)),
    ]
    if standing is not None:
        pairs += [
            ("status", _quoted(standing.status)),
            ("paid_chf", _json_amount(standing.paid_chf)),
            ("outstanding_chf", _json_amount(standing.outstanding_chf)),
            ("exchange_difference", _json_amount(standing.exchange_difference)),
            ("cancelled_on", _json_day(standing.cancelled_on)),
            ("withdrawn_chf", _json_amount(standing.withdrawn_chf)),
        ]
    inner = ",\n" + " " * (indent + JSON_INDENT)
    body = inner.join(f'"{key}": {value}' for key, value in pairs)
    return f"{{{inner[1:]}{body}\n{' ' * indent}}}"


class Entries:
    """Rows to be written as a JSON list of `entry_to_json` objects, one at a time."""

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[EntryRow]) -> None:
        self.rows = rows


def indented_parts(document: Mapping[str, Any]) -> Iterator[str]:
    """`json.dumps(document, ensure_ascii=False, indent=JSON_INDENT)` and a newline, in
    pieces, where the lists of entries are `Entries`: the rest of the document is
    encoded by `json` with a mark in each such list's place, and each entry is
    written as text in turn (`entry_json_text`) where its mark stands."""
    lists: dict[str, Entries] = {}
    skeleton = json.dumps(_marked(document, lists), ensure_ascii=False, indent=JSON_INDENT)
    for name, entries in lists.items():
        quoted = json.dumps(name)
        before, _, skeleton = skeleton.partition(quoted)
        yield before
        line_start = before.rfind("\n") + 1
        indent = len(before[line_start:]) - len(before[line_start:].lstrip(" "))
        yield from _entries_parts(entries, indent)
    yield skeleton
    yield "\n"


def _marked(value: object, lists: dict[str, Entries]) -> object:
    """`value` with each list of entries replaced by a mark (noted in `lists`). A
    function of its own, not one nested in its caller that calls itself: such a
    function is a reference cycle, and would hold the document until the cyclic
    collector ran."""
    if isinstance(value, Entries):
        name = f"\0entries-{len(lists)}\0"  # NUL: never in a ledger's text
        lists[name] = value
        return name
    if isinstance(value, dict):
        return {key: _marked(item, lists) for key, item in value.items()}
    return value


def _entries_parts(entries: Entries, indent: int) -> Iterator[str]:
    """A list of entries whose key's line starts `indent` spaces in, as `json` indents it."""
    if not entries.rows:
        yield "[]"
        return
    inner = indent + JSON_INDENT
    separator = ",\n" + " " * inner
    yield "[\n" + " " * inner
    for index, row in enumerate(entries.rows):
        yield f"{separator if index else ''}{entry_json_text(row, inner)}"
    yield "\n" + " " * indent + "]"
