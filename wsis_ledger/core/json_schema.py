"""JSON Schemas of the JSON outputs, built by the code that makes each output.

Every JSON document a command prints starts with `schema_version` (`versioned`).
Each output has one schema-building function beside the code that makes the
document (`report_schema` in `json_out`, `check_schema` in `commands/check`...),
made of the small pieces here; `wsis_ledger.commands.schemas` lists them and
writes `docs/schema/<command>.schema.json` (`python -m wsis_ledger.commands.schemas`),
and a test validates every command's JSON against its schema and fails when a
committed schema is stale.

The version is raised when a key is removed or changes meaning; a key added (at
the end of its object) keeps it. CHANGELOG.md lists every change either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: The version of every JSON output's layout (`schema_version` in each document).
SCHEMA_VERSION = 1
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]

TEXT: Schema = {"type": "string"}
#: An amount as `money.format_amount` writes it: digits, an optional sign and point.
AMOUNT: Schema = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
#: A difference, its sign always written (`+500`, `-50`, `0`).
SIGNED: Schema = {"type": "string", "pattern": r"^[+-]?[0-9]+(\.[0-9]+)?$"}
DAY: Schema = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
COUNT: Schema = {"type": "integer"}
FLAG: Schema = {"type": "boolean"}
#: A value of a row of rows: text (amounts as digits), a number, a flag, or null.
CELL: Schema = {"type": ["string", "number", "boolean", "null"]}


def null_or(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


N_TEXT = null_or(TEXT)
N_AMOUNT = null_or(AMOUNT)
N_DAY = null_or(DAY)
N_COUNT = null_or(COUNT)


def versioned(document: Mapping[str, Any]) -> dict[str, Any]:
    """`document` with `schema_version` as its first key."""
    return {"schema_version": SCHEMA_VERSION, **document}


def one_of(*values: str) -> Schema:
    return {"enum": list(values)}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(properties: Mapping[str, Schema], optional: Iterable[str] = ()) -> Schema:
    """An object with exactly these keys (each required, but those `optional`)."""
    left_out = set(optional)
    return {
        "type": "object",
        "properties": dict(properties),
        "required": [key for key in properties if key not in left_out],
        "additionalProperties": False,
    }


def rows(
    columns: Iterable[str],
    amounts: Iterable[str] = (),
    types: Mapping[str, Schema] | None = None,
    optional: Iterable[str] = (),
) -> Schema:
    """A list of rows with exactly `columns` (as `render_rows` writes them): amounts as
    digits or null, the others as `types` says (text or null where it says nothing)."""
    money, given = set(amounts), dict(types or {})
    return array(
        obj({c: given.get(c, N_AMOUNT if c in money else N_TEXT) for c in columns}, optional)
    )


def document(title: str, description: str, properties: Mapping[str, Schema]) -> Schema:
    """A whole output's schema: `schema_version` first, then `properties`."""
    return {
        "$schema": DIALECT,
        "title": title,
        "description": description,
        **obj({"schema_version": {"const": SCHEMA_VERSION}, **properties}),
    }
