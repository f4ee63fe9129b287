from .commands.main import cli

cli()
