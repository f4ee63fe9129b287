"""A `Position` as a table, Markdown, CSV or JSON: the writer of each format.

Tables and Markdown are written from the one layout (`render.tables` over
`render.layout`); JSON and CSV are interfaces for scripts (`render.json_out`,
`render.csv_out`).
"""

from __future__ import annotations

from wsis_ledger.compute.position import Position
from wsis_ledger.render.csv_out import report_csv
from wsis_ledger.render.json_out import report_json
from wsis_ledger.render.tables import report_text

FORMATS = ("table", "markdown", "csv", "json")


def render(
    report: Position,
    fmt: str,
    width: int | None = None,
    wide: bool = False,
    shortcuts: bool = True,
) -> str:
    """The report in `fmt` (one of FORMATS), ending with a newline.

    A table with a `width` (a terminal's) wraps long names and text to fit it;
    without one, every cell stays on one line. Derived rates show six significant
    digits in tables, every digit where `wide` (and always in JSON and CSV).
    `shortcuts`: see `report_json` (off under `WSIS_LEDGER_PLAIN=1`)."""
    if fmt == "json":
        return report_json(report, shortcuts)
    if fmt == "csv":
        return report_csv(report)
    return report_text(report, markdown=fmt == "markdown", width=width, exact=wide)
