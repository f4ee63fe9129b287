"""What every record is: frozen, strict about its fields, and placed in its file.

`Record` is the base of the ledger's records (`models`); `Place` says where one
was written; `Timestamp` and `Sha256` are the field types of the audit trail.
"""

# No `from __future__ import annotations` (as in `models`): pydantic takes the
# annotations as objects.
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict

from wsis_ledger.core.dates import parse_date
from wsis_ledger.core.fields import Id
from wsis_ledger.core.problems import Where

#: When a write was recorded: UTC, to the second (`2026-12-07T20:40:11Z`).
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _timestamp(value: object) -> object:
    if isinstance(value, str):
        if not _TIMESTAMP.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a time in UTC to the second, such as 2026-12-07T20:40:11Z"
            )
        parse_date(value[:10])  # a real day
        if int(value[11:13]) > 23 or int(value[14:16]) > 59 or int(value[17:19]) > 60:
            raise ValueError(f"{value!r} is not a time of day")
    return value


Timestamp = Annotated[str, BeforeValidator(_timestamp)]
#: A 64-digit SHA-256, in lower-case hexadecimal.
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _sha256(value: object) -> object:
    if isinstance(value, str) and not _SHA256.fullmatch(value):
        raise ValueError(f"{value!r} is not a SHA-256 (64 digits 0-9 and a-f)")
    return value


Sha256 = Annotated[str, BeforeValidator(_sha256)]


class Locator(Protocol):
    """Finds where a value of a file was written, from its path in the data."""

    path: Path

    def locate(self, loc: tuple[int | str, ...], *, at_key: bool = False) -> Where: ...


class Place:
    """Where a record was written: its file and line, and (`at`) each of its fields.

    `loc` is the record's path in its file's data (`("received", 3)`); the
    line of a field is found through `source` when a problem asks for it.
    """

    __slots__ = ("column", "line", "loc", "source")

    def __init__(
        self, source: Locator | None, line: int, column: int, loc: tuple[int | str, ...] = ()
    ) -> None:
        self.source, self.line, self.column, self.loc = source, line, column, loc

    @property
    def path(self) -> Path:
        return self.source.path if self.source else Path("<memory>")

    def at(self, field: str | None = None) -> Where:
        """The place of `field`'s value, or of the record where the field is absent."""
        if field is None or self.source is None:
            return Where(self.path, self.line, self.column)
        where = self.source.locate((*self.loc, field))
        if (where.line, where.column) < (self.line, self.column):  # the field is absent
            return Where(self.path, self.line, self.column)
        return where


_NOWHERE = Place(None, 0, 0)


class Record(BaseModel):
    """Base of every record: frozen, strict about its fields, and placed in its file.

    A ledger holds a record for each entry (a million of them, at the sizes
    bench/ measures), so what each holds beside its fields counts: its place
    is a slot of its own (not a pydantic private attribute), and the loader
    gives records given the same fields one set of their names
    (`shared_fields_set`, through `model_construct`'s public `_fields_set`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    __slots__ = ("_where",)
    if TYPE_CHECKING:  # the slot, for type checkers only: pydantic would take a
        _where: Place  # class-level annotation for a private attribute of its own

    @property
    def place(self) -> Place:
        """Where the record was written (set once by the loader, with `set_place`)."""
        try:
            return self._where
        except AttributeError:  # a record made in memory, not read from a file
            return _NOWHERE

    def set_place(self, place: Place | None) -> None:
        """Say where the record was written: the loader's, once, as it reads it."""
        if place is not None:
            object.__setattr__(self, "_where", place)

    def __copy__(self) -> Self:
        # pydantic's copy (and so `model_copy`) knows only its own attributes.
        copied = super().__copy__()
        copied.set_place(getattr(self, "_where", None))
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        # As `__copy__`; the place itself is shared, not copied (nothing changes a Place).
        copied = super().__deepcopy__(memo)
        copied.set_place(getattr(self, "_where", None))
        return copied

    def __getstate__(self) -> dict[Any, Any]:
        # pydantic pickles its own attributes only: the place is added beside them.
        state = super().__getstate__()
        where = getattr(self, "_where", None)
        if where is not None:
            state["_where"] = where
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        state = dict(state)
        where = state.pop("_where", None)
        super().__setstate__(state)
        self.set_place(where)


#: One set of field names for all the records of a kind given the same fields
#: (pydantic reads it, as `model_fields_set`, and never changes a frozen record's).
_FIELDS_SETS: dict[tuple[type[Record], frozenset[str]], set[str]] = {}


def shared_fields_set(kind: type[Record], given: frozenset[str]) -> set[str]:
    """The one set of the names `given` that records of `kind` given those fields share."""
    key = (kind, given)
    shared = _FIELDS_SETS.get(key)
    if shared is None:
        shared = _FIELDS_SETS[key] = set(given)
    return shared


class Identified(Record):
    """A record with an id, unique among its kind."""

    id: Id
