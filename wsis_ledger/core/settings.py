"""How a run reads a ledger: with its caches and shortcuts, or the plain way.

One `Settings` is made when a command (or a library call) starts, from the
environment and the command's `--no-cache`, and handed down explicitly to
whatever loads, validates or renders: nothing reads these variables again.

- `WSIS_LEDGER_PLAIN=1` (any value but empty or `0`): the plain path. No cache of any kind (printed answers,
  each file's records) and no in-process shortcut (records made without
  pydantic's validators, import rows checked without the row model, JSON
  written by hand): every output then comes from the straightforward code,
  which the shortcuts must match byte for byte (tests/test_plain.py).
- `--no-cache` or `WSIS_LEDGER_NO_CACHE` (any value): no cache; the shortcuts stay.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

PLAIN_VARIABLE = "WSIS_LEDGER_PLAIN"
NO_CACHE_VARIABLE = "WSIS_LEDGER_NO_CACHE"


class Settings(NamedTuple):
    """What a run may use beside the plain path (a NamedTuple: cheap to define at start)."""

    #: Read and write the caches (printed answers, each file's records).
    cache: bool = True
    #: Take the in-process shortcuts (each gives what the plain code gives).
    shortcuts: bool = True

    @property
    def plain(self) -> bool:
        return not self.cache and not self.shortcuts


PLAIN = Settings(cache=False, shortcuts=False)


def from_environment(no_cache: bool = False, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings a run started now takes: `WSIS_LEDGER_PLAIN` and
    `WSIS_LEDGER_NO_CACHE` (see above), and `no_cache`
    (a command's `--no-cache`)."""
    environ = os.environ if environ is None else environ
    if _set(environ.get(PLAIN_VARIABLE)):
        return PLAIN
    return Settings(cache=not (no_cache or environ.get(NO_CACHE_VARIABLE)))


def _set(value: str | None) -> bool:
    return bool(value) and value != "0"
