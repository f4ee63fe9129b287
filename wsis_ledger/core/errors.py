"""Errors that carry no record of a place: light enough for every start-up.

`UsageError` lives here, not beside `Problem` in `problems` (which re-exports
it), so that finding the ledger and answering from the cache never define the
`Problem` and `Where` classes (a cost of every start; bench/HISTORY.md).
"""

from __future__ import annotations


class UsageError(Exception):
    """The caller asked for something that cannot be done (a missing folder, an unknown id)."""


#: Exit codes (docs/exit-codes.md), so a pipeline can fail on one and warn on the other.
#: The ledger is invalid: problems in its records (or a refused write, an output not written).
EXIT_INVALID = 1
#: click's own code for a usage error (a bad option, a missing folder).
EXIT_USAGE = 2
#: The ledger is valid, but there are findings: printed totals that differ from their
#: rows, or, under `--strict`, warnings (`check`) or rates that differ (`rates check`).
EXIT_FINDINGS = 3
