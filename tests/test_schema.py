"""The JSON Schema of a ledger file: generated from the models, current, and true to them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from wsis_ledger.core.models import SECTIONS
from wsis_ledger.source.discovery import shipped_ledger

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import make_schema  # noqa: E402


def test_the_checked_in_schema_is_current() -> None:
    assert make_schema.TARGET.read_text(encoding="utf-8") == make_schema.text(), (
        "docs/schema is stale: run python scripts/make_schema.py"
    )


def test_every_section_is_in_the_schema() -> None:
    schema = json.loads(make_schema.text())
    assert set(SECTIONS) <= set(schema["properties"])
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("name", sorted(p.name for p in shipped_ledger().glob("*.yaml")))
def test_the_shipped_files_are_valid_and_a_typo_is_not(name: str) -> None:
    import jsonschema

    schema = json.loads(make_schema.text())
    data = yaml.safe_load((shipped_ledger() / name).read_text(encoding="utf-8"))
    # YAML dates come as dates from PyYAML: the ledger reads them as text.
    data = json.loads(json.dumps(data, default=str))
    jsonschema.validate(data, schema)
    data["ammount"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
