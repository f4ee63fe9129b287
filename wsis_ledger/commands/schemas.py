"""The JSON Schemas of every command that prints JSON, one file each in docs/schema/.

Each schema is built by the function beside the code that makes its JSON (listed
in `SCHEMAS`); this module only gathers them and writes them:

    python -m wsis_ledger.commands.schemas [FOLDER]      # default: docs/schema
    python -m wsis_ledger.commands.schemas --check       # exit 1 when a file is stale

The default is the docs/schema of the source checkout the package is run from (an
editable install); an installed package has none, and is given a folder.

`tests/test_json_schemas.py` runs every command's JSON against its schema and
fails when a committed file differs from what this writes.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wsis_ledger.commands.accounts import accounts_schema
from wsis_ledger.commands.check import check_schema
from wsis_ledger.commands.convert import convert_schema
from wsis_ledger.commands.donor import donor_schema
from wsis_ledger.commands.imports import import_schema
from wsis_ledger.commands.loan import status_schema
from wsis_ledger.commands.log import log_schema
from wsis_ledger.commands.pledges import pledges_schema
from wsis_ledger.commands.rates import check_schema as rates_check_schema
from wsis_ledger.commands.rates import fetch_schema as rates_fetch_schema
from wsis_ledger.commands.rates import list_schema as rates_list_schema
from wsis_ledger.commands.statement import statements_schema
from wsis_ledger.commands.writes import write_schema
from wsis_ledger.render.budget import budget_schema
from wsis_ledger.render.json_out import report_schema
from wsis_ledger.render.reconcile import reconcile_schema

#: Each command that prints JSON (its words, as typed) and the function of its schema.
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "report": report_schema,
    "accounts": accounts_schema,
    "check": check_schema,
    "convert": convert_schema,
    "import": import_schema,
    "pledges": pledges_schema,
    "loan status": status_schema,
    "rates list": rates_list_schema,
    "rates check": rates_check_schema,
    "donor": donor_schema,
    "budget": budget_schema,
    "statements": statements_schema,
    "log": log_schema,
    "reconcile": reconcile_schema,
    "rates fetch": rates_fetch_schema,
}
#: The writes: each prints the one shape of `writes.Done.as_json`.
WRITES = (
    *("init", "receive", "spend", "cancel", "reassign", "loan draw", "loan repay"),
    *("loan facility add", "statement add", "statement acknowledge", "close", "reopen"),
    *("approve", "income", "refund", "charge"),
)
SCHEMAS |= {command: functools.partial(write_schema, command) for command in WRITES}

#: The source checkout the package is run from, if it is (its pyproject.toml beside it).
CHECKOUT = Path(__file__).resolve().parent.parent.parent
FOLDER = CHECKOUT / "docs" / "schema"


def file_name(command: str) -> str:
    """`loan status` → `loan-status.schema.json`."""
    return command.replace(" ", "-") + ".schema.json"


def schema_text(command: str) -> str:
    """The schema of `command`'s JSON, as the file holds it."""
    return json.dumps(SCHEMAS[command](), indent=2, ensure_ascii=False) + "\n"


def stale(folder: Path = FOLDER) -> list[str]:
    """The schema files in `folder` that are missing or differ from what their code makes."""
    return [
        file_name(command)
        for command in SCHEMAS
        if not (folder / file_name(command)).is_file()
        or (folder / file_name(command)).read_text(encoding="utf-8") != schema_text(command)
    ]


def main(argv: list[str]) -> int:
    given = argv[1:] if argv[:1] == ["--check"] else argv
    if not given and not (CHECKOUT / "pyproject.toml").is_file():
        print(
            "the package is installed, not run from a source checkout: name the folder "
            "(python -m wsis_ledger.commands.schemas docs/schema)",
            file=sys.stderr,
        )
        return 2
    if argv[:1] == ["--check"]:
        found = stale(Path(argv[1]) if len(argv) > 1 else FOLDER)
        for name in found:
            print(f"stale: {name} (run python -m wsis_ledger.commands.schemas)")
        return 1 if found else 0
    folder = Path(argv[0]) if argv else FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for command in SCHEMAS:
        (folder / file_name(command)).write_text(schema_text(command), encoding="utf-8")
        print(f"wrote {folder / file_name(command)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
