"""wsis-ledger: a command-line ledger for special trust funds."""

__version__ = "0.1.0"
