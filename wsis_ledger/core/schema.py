"""A JSON Schema of a ledger file, generated from the records' models.

Editors that understand JSON Schema (for YAML too) complete field names and
flag typos with it; `docs/schema/ledger-file.schema.json` is this function's
output, written by `scripts/make_schema.py` and checked current by a test.
The schema says what each field is; the rules across records (a donor that
must exist, a rate that must agree) are `wsis-ledger check`'s.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from wsis_ledger.core.models import SECTIONS, SINGLES, Recording

SCHEMA_ID = "https://wsis-ledger.invalid/schema/ledger-file.schema.json"


def ledger_file_schema() -> dict[str, Any]:
    """The schema of one ledger file: each section a list of its records, each single
    mapping (`fund`, `statement`) its record; nothing else."""
    models = sorted({*SECTIONS.values(), *SINGLES.values()}, key=lambda m: m.__name__)
    refs, schema = models_json_schema(
        [(model, "validation") for model in models], ref_template="#/$defs/{model}"
    )

    def ref(model: type) -> dict[str, Any]:
        return refs[(model, "validation")]

    properties: dict[str, Any] = {
        key: {"type": "array", "items": ref(model)} for key, model in SECTIONS.items()
    }
    properties.update({key: ref(model) for key, model in SINGLES.items()})
    # Who wrote the file and when: two top-level values, read as one `Recording`.
    recording = Recording.model_json_schema()["properties"]
    properties["recorded_by"] = {**recording["by"], "description": "Who wrote the file."}
    properties["recorded_at"] = {
        **recording["at"],
        "description": "When the file was written: UTC, to the second (2026-12-07T20:40:11Z).",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "A wsis-ledger ledger file",
        "description": (
            "One YAML file of a ledger folder. Amounts are written as numbers or text "
            "and read as exact decimals from their text."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "$defs": schema.get("$defs", {}),
    }
