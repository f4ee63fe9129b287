from wsis_ledger.commands.main import cli

cli()
