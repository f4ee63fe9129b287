"""Errors that carry no record of a place: light enough for every start-up.

`UsageError` lives here, not beside `Problem` in `problems` (which re-exports
it), so that finding the ledger and answering from the cache never define the
`Problem` and `Where` classes (a cost of every start; bench/HISTORY.md).
"""

from __future__ import annotations


class UsageError(Exception):
    """The caller asked for something that cannot be done (a missing folder, an unknown id)."""
