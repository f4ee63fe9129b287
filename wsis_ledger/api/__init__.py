"""The library under the commands: what a script calls, and what the commands call.

    >>> import wsis_ledger
    >>> ledger = wsis_ledger.open_ledger("data")
    >>> ledger.position().received
    Decimal('2243419')

`open_ledger` raises `LedgerError` (its `.problems` are the records `check
--format json` prints) when the ledger has problems, and `UsageError` when
the folder holds no ledger. Nothing here prints or exits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wsis_ledger.api.output import OutputError, accounts_document, printed_pdf
from wsis_ledger.api.reading import (
    LogEntry,
    OpenLedger,
    UnknownStatement,
    document_problems,
    document_reference,
    find_ledger,
    ledger_files,
    open_ledger,
    read_ledger,
    reconcile,
    render_reconciliation,
    stated_differences,
    write_log,
)
from wsis_ledger.api.writing import (
    ImportResult,
    approve,
    close_period,
    copy_ledger,
    create_ledger,
    import_records,
    record,
    reopen_period,
)
from wsis_ledger.core.errors import UsageError
from wsis_ledger.core.problems import LedgerError, Problem, Where
from wsis_ledger.core.settings import Settings
from wsis_ledger.source.snapshot import LedgerFiles

__all__ = [
    "ImportResult",
    "LedgerError",
    "LedgerFiles",
    "LogEntry",
    "OpenLedger",
    "OutputError",
    "Problem",
    "Settings",
    "UnknownStatement",
    "UsageError",
    "Where",
    "accounts_document",
    "approve",
    "close_period",
    "copy_ledger",
    "create_ledger",
    "document_problems",
    "document_reference",
    "find_ledger",
    "import_records",
    "ledger_files",
    "open_ledger",
    "printed_pdf",
    "read_ledger",
    "reconcile",
    "record",
    "render_reconciliation",
    "reopen_period",
    "stated_differences",
    "write_log",
]

if TYPE_CHECKING:
    from wsis_ledger.source import reference_rates as reference_rates
    from wsis_ledger.source.discovery import packaged_ledger as packaged_ledger
    from wsis_ledger.source.discovery import shipped_ledger as shipped_ledger
    from wsis_ledger.source.reference_rates import BeyondReference as BeyondReference
    from wsis_ledger.source.reference_rates import ECBDownload as ECBDownload
    from wsis_ledger.source.reference_rates import ECBReference as ECBReference
    from wsis_ledger.source.reference_rates import ForexPythonProvider as ForexPythonProvider
    from wsis_ledger.source.reference_rates import ProviderUnavailable as ProviderUnavailable
    from wsis_ledger.write import records as records
    from wsis_ledger.write.donors import DonorIndex as DonorIndex
    from wsis_ledger.write.files import Plan as Plan
    from wsis_ledger.write.files import WriteError as WriteError
    from wsis_ledger.write.files import replace_output_file as replace_output_file
    from wsis_ledger.write.files import transact as transact
    from wsis_ledger.write.files import write_new_file as write_new_file
    from wsis_ledger.write.imports import SECTION_TYPES as SECTION_TYPES
    from wsis_ledger.write.imports import ImportPlan as ImportPlan
    from wsis_ledger.write.imports import summarize as summarize
    from wsis_ledger.write.reading import InputTooLarge as InputTooLarge
    from wsis_ledger.write.reading import ReadOptions as ReadOptions
    from wsis_ledger.write.reading import ReadResult as ReadResult
    from wsis_ledger.write.reading import Rows as Rows
    from wsis_ledger.write.reading import read_file as read_file
    from wsis_ledger.write.reading import read_input as read_input
    from wsis_ledger.write.records import NewRecord as NewRecord
    from wsis_ledger.write.records import RecordError as RecordError
    from wsis_ledger.write.records import rate_record as rate_record
    from wsis_ledger.write.sheets import check_date_format as check_date_format
    from wsis_ledger.write.yaml_text import scalar as scalar


#: What the commands (and scripts) reach of the layers below through the API: each
#: name and the module it is defined in, imported when it is first asked for, so that
#: a command imports only what it uses (`records`, `reference_rates`: the modules).
BELOW = {
    name: module
    for module, names in {
        "wsis_ledger.write": ("records",),
        "wsis_ledger.source": ("reference_rates",),
        "wsis_ledger.source.discovery": ("packaged_ledger", "shipped_ledger"),
        "wsis_ledger.source.reference_rates": (
            "BeyondReference",
            "ECBDownload",
            "ECBReference",
            "ForexPythonProvider",
            "ProviderUnavailable",
        ),
        "wsis_ledger.write.files": (
            "Plan",
            "WriteError",
            "replace_output_file",
            "transact",
            "write_new_file",
        ),
        "wsis_ledger.write.imports": ("SECTION_TYPES", "ImportPlan", "summarize"),
        "wsis_ledger.write.donors": ("DonorIndex",),
        "wsis_ledger.write.reading": (
            "InputTooLarge",
            "ReadOptions",
            "ReadResult",
            "Rows",
            "read_file",
            "read_input",
        ),
        "wsis_ledger.write.records": ("NewRecord", "RecordError", "rate_record"),
        "wsis_ledger.write.sheets": ("check_date_format",),
        "wsis_ledger.write.yaml_text": ("scalar",),
    }.items()
    for name in names
}


def __getattr__(name: str) -> Any:
    if name in BELOW:
        import importlib

        where = BELOW[name]
        if name in ("records", "reference_rates"):  # a module
            return importlib.import_module(f"{where}.{name}")
        return getattr(importlib.import_module(where), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
