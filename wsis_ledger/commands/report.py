"""`wsis-ledger report`: the statement, section by section, with totals."""

from __future__ import annotations

from pathlib import Path

import click

from ..cache import Cached
from .options import (
    data_option,
    format_option,
    lang_option,
    locate,
    no_cache_option,
    open_ledger,
    through_cache,
)

FORMATS = ("table", "markdown", "csv", "json")


@click.command()
@data_option
@format_option(*FORMATS)
@lang_option
@no_cache_option
def report(data: Path | None, fmt: str, lang: str, no_cache: bool) -> None:
    """Print the ledger as its statement shows it: contributions received
    and pledged, loans, seconded staff, facilities, staff, and a summary
    against the budget estimate. Every total is computed from the entries.

    \b
    Examples:
      wsis-ledger report
      wsis-ledger report --lang zh
      wsis-ledger report --format json | jq .totals
      wsis-ledger report --data ~/funds/tunis --format csv > tunis.csv
    """
    root = locate(data)
    through_cache(root, ("report", fmt, lang), no_cache, lambda: _report(data, fmt, lang))


def _report(data: Path | None, fmt: str, lang: str) -> Cached:
    # Imported here, not above: a cache hit never needs them (nor the models).
    from ..render import render
    from ..report import build_report

    ledger = open_ledger(data)
    return Cached(render(build_report(ledger, lang), fmt), "", 0)
