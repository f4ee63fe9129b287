"""`wsis-ledger report`: the statement, section by section, with totals."""

from __future__ import annotations

from pathlib import Path

import click

from ..render import FORMATS, render
from ..report import build_report
from .options import data_option, format_option, lang_option, open_ledger


@click.command()
@data_option
@format_option(*FORMATS)
@lang_option
def report(data: Path | None, fmt: str, lang: str) -> None:
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
    ledger = open_ledger(data)
    click.echo(render(build_report(ledger, lang), fmt), nl=False)
