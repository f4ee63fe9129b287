"""The file an import writes: its name and header, and what an earlier import of the
same source added that is no longer among its rows."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Entry, Expenditure
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.core.visible import visible

if TYPE_CHECKING:
    from wsis_ledger.write.imports import ImportPlan


def import_file_name(plan: ImportPlan, on: date) -> str:
    """A new file's name, from the date and the ids it adds."""
    digest = hashlib.sha256("|".join(r.value("id") for r in plan.new_rows).encode()).hexdigest()
    return f"{on.isoformat()}-{digest[:10]}.yaml"


def import_header(name: str, on: date, count: int) -> str:
    """The first line of an import's file: where its rows came from (read again by
    `earlier_rows_gone` when the same file is imported again)."""
    rows = f"{count} row{'' if count == 1 else 's'}"
    return f"Imported by wsis-ledger from {visible(name)} on {on.isoformat()}: {rows}."


#: The header line of an import that went through with rows of its file gone.
_LEFT = "Earlier entries no longer in it, left in the ledger: "


def rows_gone(ledger: Ledger, plan: ImportPlan, name: str) -> list[Entry | Expenditure]:
    """The entries an earlier import of the same file (by its name) added that are no
    longer among its rows: a row edited without a reference (50 000 made 60 000) would
    otherwise be added beside the old one, the old one kept. Entries an import
    with `--allow-changes` left (named in its header) are not gone again."""
    prefix = f"# Imported by wsis-ledger from {visible(name)} on "
    found = {row.value("id") for row in plan.rows if not row.new}
    headers: dict[Path, list[str]] = {}
    earlier: list[Entry | Expenditure] = []
    for entry in (*ledger.entries, *ledger.expenditures):
        path = entry.place.path
        if path.parent.name != "imports":
            continue
        if path not in headers:
            headers[path] = _header_lines(path)
        if headers[path][:1] and headers[path][0].startswith(prefix) and entry.id not in found:
            earlier.append(entry)  # type: ignore[arg-type]  # an entry or an expenditure
    left = {
        entry_id
        for lines in headers.values()
        if lines and lines[0].startswith(prefix)
        for line in lines
        if line.startswith(f"# {_LEFT}")
        for entry_id in line[len(_LEFT) + 2 :].rstrip(".").split(", ")
    }
    return [entry for entry in earlier if entry.id not in left]


def gone_problem(entry: Entry | Expenditure, name: str, source: Path) -> Problem:
    """An earlier import's entry no longer among the rows of its file."""
    amount = money.group_thousands(entry.amount) if entry.amount is not None else "?"
    who = f" of {entry.donor}" if isinstance(entry, Entry) else ""
    message = (
        f"{amount} {entry.currency}{who} dated {entry.date or '(none)'} ('{entry.id}'), imported"
        f" from {name} before, is no longer in it: import with --allow-changes to add its new"
        " rows (that entry stays), or --source NAME for another file"
    )
    return Problem(Where(source), "import-changed", message)


def gone_note(gone: list[Entry | Expenditure]) -> str:
    """The line of an import's header that names the entries it let go."""
    return _LEFT + ", ".join(entry.id for entry in gone) + "."


def _header_lines(path: Path) -> list[str]:
    """The comment lines a file starts with (an import's header)."""
    lines = []
    try:
        with path.open(encoding="utf-8") as file:
            for line in file:
                if not line.startswith("#"):
                    break
                lines.append(line.rstrip("\n"))
    except (OSError, UnicodeDecodeError):
        return []
    return lines
