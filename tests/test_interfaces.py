"""What scripts and packagers rely on beyond the outputs: no private module of a
library is imported, and every `pip install` a message or document names exists."""

from __future__ import annotations

import ast
import csv
import io
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from wsis_ledger.source.reference_rates import ForexPythonProvider, ProviderUnavailable

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wsis_ledger"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_private_module_of_another_library_is_imported() -> None:
    private = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in PACKAGE.rglob("*.py")
        for name in imported_modules(path)
        if not name.startswith("wsis_ledger")
        and any(part.startswith("_") and part != "__future__" for part in name.split("."))
    }
    assert private == set()


def extras() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return set(project.get("optional-dependencies", {}))


def named_extras(text: str) -> set[str]:
    return set(re.findall(r"wsis-ledger\[([\w,-]+)\]", text))


def test_every_extra_a_message_or_document_names_is_defined() -> None:
    texts = [p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")]
    texts += [p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *ROOT.glob("docs/*.md")]]
    named = set().union(*(named_extras(text) for text in texts))
    assert {e for group in named for e in group.split(",")} <= extras()


def test_forex_python_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "forex_python.converter", None)  # import fails
    with pytest.raises(ProviderUnavailable) as raised:
        ForexPythonProvider().rate("USD", __import__("datetime").date(2003, 2, 14))
    message = str(raised.value)
    assert "pip install forex-python" in message
    assert named_extras(message) <= extras()


# --- CSV columns are only ever added at the end -------------------------------------

#: Each CSV's columns as released in 0.3.0 (`report`'s six expenditure columns were
#: inserted before `note` during 0.3.0's work; CHANGELOG.md says so). A later release
#: may add columns after these, never before or between them.
RELEASED_CSV: dict[str, tuple[str, ...]] = {
    "report": (
        *("section", "id", "donor_id", "donor", "amount", "currency", "rate", "rate_basis"),
        *("chf", "count", "detail", "purpose", "date", "status", "paid_chf"),
        *("outstanding_chf", "exchange_difference", "depth", "received_chf", "pledged_chf"),
        *("expenditure_chf", "support_costs_chf", "balance_chf", "budget_chf"),
        *("remaining_chf", "percent_used", "note", "reading", "phase", "stated_chf"),
        *("computed_chf", "difference"),
    ),
    "pledges": (
        *("id", "donor", "currency", "amount", "chf", "paid", "paid_chf", "remaining"),
        *("remaining_chf", "outstanding_chf", "status", "age_days", "age_from"),
        *("exchange_difference", "age_band", "note"),
    ),
    "loan status": ("id", "lender", "phase", "ceiling", "drawn", "repaid", "outstanding", "note"),
    "rates list": ("used_by", "currency", "rate", "basis", "date", "source"),
    "rates check": (
        *("entry", "donor", "kind", "currency", "amount", "rate", "basis", "reference"),
        *("reference_date", "low", "high", "deviation_percent", "flagged", "chf"),
        *("chf_at_reference", "difference", "within_before", "within_after"),
    ),
    "log": (
        *("recorded_at", "recorded_by", "kind", "id", "amount", "currency", "party", "file"),
        *("line", "commit", "author", "warning"),
    ),
    "donor": (
        *("kind", "id", "date", "amount", "currency", "chf", "status", "outstanding_chf"),
        "detail",
    ),
}
CSV_ARGS = {"donor": ["sdc"], "log": ["--data", str(ROOT / "examples" / "fund")]}


@pytest.mark.parametrize("command", sorted(RELEASED_CSV))
def test_csv_columns_are_only_added_at_the_end(run: Any, command: str) -> None:
    result = run(*command.split(), *CSV_ARGS.get(command, []), "--format", "csv")
    assert result.exit_code == 0, result.output
    header = tuple(next(csv.reader(io.StringIO(result.stdout))))
    released = RELEASED_CSV[command]
    assert header[: len(released)] == released


def test_import_rows_keep_their_released_columns() -> None:
    from wsis_ledger.commands.imports import RESULT_COLUMNS

    released = ("line", "status", "type", "id", "donor", "amount", "currency", "chf", "rate")
    released += ("date", "purpose", "reference", "pledge")
    assert RESULT_COLUMNS[: len(released)] == released
