"""`python -m wsis_ledger`: the `wsis-ledger` command."""

from wsis_ledger.commands.main import cli


def main() -> None:
    """Run `wsis-ledger` with the process's command line."""
    cli()


if __name__ == "__main__":
    main()
