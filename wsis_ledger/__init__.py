"""wsis-ledger: a command-line ledger for special trust funds, and a library under it.

The library's public names (see the README's "For scripts"):

- `open_ledger(path)`: the ledger, read and checked, or `LedgerError`;
- `OpenLedger.position(as_of=None)`: the fund's position (`Position`);
- `import_records(path, records, *, add_donors=False, dry_run=False)`;
- `LedgerError` (its `.problems`), `UsageError`.

They are imported when first used, so that a cached command starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = [
    "LedgerError",
    "OpenLedger",
    "Position",
    "UsageError",
    "import_records",
    "open_ledger",
]

if TYPE_CHECKING:
    from wsis_ledger.api import OpenLedger, import_records, open_ledger
    from wsis_ledger.compute.position import Position
    from wsis_ledger.core.problems import LedgerError, UsageError

_WHERE = {
    "open_ledger": "wsis_ledger.api",
    "import_records": "wsis_ledger.api",
    "OpenLedger": "wsis_ledger.api",
    "Position": "wsis_ledger.compute.position",
    "LedgerError": "wsis_ledger.core.problems",
    "UsageError": "wsis_ledger.core.problems",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'wsis_ledger' has no attribute {name!r}")
