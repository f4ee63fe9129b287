"""The `wsis-ledger` command: it only wires the commands together."""

from __future__ import annotations

import click

from .. import __version__
from .check import check
from .convert import convert
from .imports import import_
from .init import init
from .loan import loan
from .pledges import pledges
from .rates import rates
from .reassign import reassign
from .receive import receive
from .report import report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wsis-ledger")
def cli() -> None:
    """A ledger for a special trust fund: contributions received and
    pledged, loans, seconded staff and facilities, booked in CHF.

    The ledger is a folder of YAML files: --data DIR, else
    $WSIS_LEDGER_DATA, else ./data when it holds a ledger, else the ledger
    shipped with the tool (the WSIS fund as of 20 December 2002).

    \b
    Examples:
      wsis-ledger report                 # the annex, with totals
      wsis-ledger check                  # exit 0 when valid and every stated total matches
      wsis-ledger convert 255000 USD --rate 1.39
    """


for command in (report, check, convert, init, import_, receive, pledges, loan, reassign, rates):
    cli.add_command(command)
