"""The `wsis-ledger` command (the console script) and `python -m wsis_ledger`.

A repeated `check` or `report` is answered from the output cache before click
and the commands are imported (`commands.early`); everything else, and any run
that cannot be answered so, goes through click as before.
"""

import sys


def main() -> None:
    """Run `wsis-ledger` with the process's command line."""
    from wsis_ledger.commands import early

    ready, invocation = early.look_up(sys.argv)
    if ready is not None:
        sys.exit(early.print_answer(ready))
    from wsis_ledger.commands.main import cli

    # The command line's key, for the run to note what it came to (options.through_cache).
    cli(obj=invocation)


if __name__ == "__main__":
    main()
