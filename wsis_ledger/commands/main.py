"""The `wsis-ledger` command: it only wires the commands together.

Each command's module is imported when that command runs (click's "lazy
group" pattern), so `wsis-ledger check` never imports what `import` or
`rates` need.
"""

from __future__ import annotations

import importlib

import click

from wsis_ledger import __version__

#: Command name: "module:function" under wsis_ledger.commands.
COMMANDS = {
    "report": "report:report",
    "check": "check:check",
    "convert": "convert:convert",
    "init": "init:init",
    "import": "imports:import_",
    "receive": "receive:receive",
    "pledges": "pledges:pledges",
    "loan": "loan:loan",
    "reassign": "reassign:reassign",
    "cancel": "cancel:cancel",
    "rates": "rates:rates",
    "export": "export:export",
    "donor": "donor:donor",
    "spend": "spend:spend",
    "budget": "budget:budget",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when they are used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        module = importlib.import_module(f"{__package__}.{module_name}")
        command: click.Command = getattr(module, attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
