"""Where an output's figures come from, and when and by what it was made.

Every report and export names each statement's source, the tool and its
version, and the date and time it was generated (UTC). `SOURCE_DATE_EPOCH`
(seconds since 1970, the reproducible-builds convention) fixes that time, so
that two runs over the same files can give the same bytes.

A report answered from the output cache (`wsis_ledger/answers.py`) is the one
computed earlier for the same files and options: it keeps the time it was
computed, which is when its figures were last worked out from those files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wsis_ledger import __version__
from wsis_ledger.compute.position import Position
from wsis_ledger.compute.statements import StatementInfo
from wsis_ledger.core.json_schema import DAY, N_TEXT, TEXT, Schema, array, obj
from wsis_ledger.core.language import day, word

TOOL = "wsis-ledger"


@dataclass(frozen=True)
class Provenance:
    """The tool, its version, and when an output was generated."""

    generated: datetime
    tool: str = TOOL
    version: str = __version__

    @property
    def stamp(self) -> str:
        """`2024-05-01T12:00:00Z`."""
        return self.generated.strftime("%Y-%m-%dT%H:%M:%SZ")

    def line(self, lang: str = "en") -> str:
        """One line: `generated 2024-05-01T12:00:00Z by wsis-ledger 0.2.0` (or in Chinese)."""
        text = word(lang, "generated", "generated {stamp} by {tool} {version}")
        return text.format(stamp=self.stamp, tool=self.tool, version=self.version)


def now() -> Provenance:
    """The provenance of an output made now (or at `SOURCE_DATE_EPOCH`)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if fixed.isdigit():
        return Provenance(datetime.fromtimestamp(int(fixed), UTC))
    return Provenance(datetime.now(UTC).replace(microsecond=0))


def source_line(statement: StatementInfo, lang: str = "en") -> str:
    """`annex-2002-12-20 (as of 2002-12-20): ITU Secretary-General's report ...`
    (in Chinese: `annex-2002-12-20（截止至2002-12-20）：...`)."""
    source = statement.source or word(lang, "no_source", "no source recorded")
    text = word(lang, "source_line", "{statement} (as of {date}): {source}")
    return text.format(statement=statement.id, date=day(statement.as_of, lang), source=source)


def source_lines(position: Position) -> list[str]:
    """One line for each statement the figures come from, in the position's language."""
    return [source_line(s, position.lang) for s in position.statements]


def sources_json(position: Position) -> list[dict[str, Any]]:
    """Each statement's source, for JSON."""
    return [
        {"statement": s.id, "title": s.title, "as_of": s.as_of.isoformat(), "source": s.source}
        for s in position.statements
    ]


def generated_json(provenance: Provenance) -> dict[str, str]:
    return {"at": provenance.stamp, "tool": provenance.tool, "version": provenance.version}


def generated_schema() -> Schema:
    """`generated_json`."""
    return obj({"at": TEXT, "tool": TEXT, "version": TEXT})


def sources_schema() -> Schema:
    """`sources_json`."""
    return array(obj({"statement": TEXT, "title": N_TEXT, "as_of": DAY, "source": N_TEXT}))
