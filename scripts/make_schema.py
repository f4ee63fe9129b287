"""Write docs/schema/ledger-file.schema.json from the models (a test checks it is current).

python scripts/make_schema.py
"""

from __future__ import annotations

import json
from pathlib import Path

from wsis_ledger.core.schema import ledger_file_schema

TARGET = Path(__file__).resolve().parent.parent / "docs" / "schema" / "ledger-file.schema.json"


def text() -> str:
    return json.dumps(ledger_file_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text(), encoding="utf-8")
    print(f"wrote {TARGET}")
