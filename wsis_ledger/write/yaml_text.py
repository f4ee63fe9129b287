"""YAML text for new records: what a write puts in a new file, read back exactly as
it was checked (`source.yamlsource`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import cast

from wsis_ledger.core import money
from wsis_ledger.core.visible import json_safe

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._/-]*")
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def scalar(value: object) -> str:
    """A value as YAML text that `yamlsource` reads back exactly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return money.format_amount(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    # A JSON string is a YAML double-quoted one. JSON escapes only the C0 controls:
    # NEL (which YAML reads as a line break, so as a space), the other C1 controls,
    # the line separators and bidirectional controls are escaped too (`\u0085`), so
    # the text reads back exactly and the ledger's check refuses it as it would any.
    return json_safe(json.dumps(text, ensure_ascii=False))


def sections_to_yaml(sections: Mapping[str, Iterable[Mapping[str, object]]], header: str) -> str:
    """New records as a ledger file: one mapping a record, None fields left out.

    Each section's records are read once, in turn (an import passes its planned
    rows as they are taken, not a list of copies of them); a section without
    records is left out, a record without fields is no lines."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    shown: dict[str | date, str] = {}
    for section, records in sections.items():
        named = False
        for record in records:
            if not named:
                lines.append(f"{section}:")
                named = True
            fields: list[str] = []
            for key, value in record.items():
                if value is not None:
                    lead = "  " if fields else "- "
                    fields.append(f"  {lead}{key}:{_field_value(value, shown)}")
            if fields:
                lines.append("\n".join(fields))  # a record's lines as one text: fewer held
    return "\n".join(lines) + "\n"


#: A mapping longer than this in flow style (`{a: 1, b: 2}`) is written one key a line.
FLOW_WIDTH = 80


def _field_value(value: object, shown: dict[str | date, str]) -> str:
    """A field's value after its key: on the key's line, or (a long mapping, such as a
    closing's digest of every record) one key a line below it."""
    written = _value(value, shown)
    if len(written) <= FLOW_WIDTH or not isinstance(value, Mapping):
        return f" {written}"
    return "".join(f"\n      {k}: {_value(v, shown)}" for k, v in value.items() if v is not None)


#: The types of value written most, told apart by `type()` before a check against `Mapping`.
_COMMON = frozenset({str, Decimal, date})


def _value(value: object, shown: dict[str | date, str]) -> str:
    if type(value) not in _COMMON and isinstance(value, Mapping):
        # A mapping in a mapping (a statement's totals by purpose) in flow style too.
        inner = ", ".join(f"{k}: {_value(v, shown)}" for k, v in value.items() if v is not None)
        return "{" + inner + "}"
    return _plain(value, shown)


def _plain(value: object, shown: dict[str | date, str]) -> str:
    """`scalar(value)`; texts and dates, which repeat from record to record (donor
    ids, currencies, purposes, days), are written once and looked up in `shown`
    after that. Not amounts: two equal Decimals may be written differently (1.0, 1)."""
    kind = type(value)
    if kind is str or kind is date:
        key = cast(str | date, value)
        written = shown.get(key)
        if written is None:
            written = shown[key] = scalar(value)
        return written
    if kind is Decimal:
        return money.format_amount(cast(Decimal, value))  # as `scalar` writes it
    return scalar(value)
