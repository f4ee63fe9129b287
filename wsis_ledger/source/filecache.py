"""The records read from one file, kept by the file's bytes: after an edit, only
the files that changed are read again (each whole).

An entry is what one file gives before it meets the others (`FileRecords`:
its records, statement and problems, each knowing its place). Its key is a
SHA-256 over the tool's code fingerprint, the file's path as the loader names
it (problems carry it) and the SHA-256 of the file's bytes, so an entry is only
ever found for the very bytes it was read from. Entries are sealed
(`store.read_entry`: a damaged or planted entry is passed over).

An entry is written with `marshal`, as plain values only: a section's records
column by column (their types by number, the fields given, their places, then
each field's values: a Decimal as its text, a date as its day number). That is
cheaper to write and smaller than pickled records (bench/HISTORY.md); reading
it back makes nothing but the ledger's own record types, Decimal, date and
paths, without validating again what was validated when the file was read:
even a forged seal could not make it run anything.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import deque
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from wsis_ledger.core import models, record_base, stated
from wsis_ledger.core.dates import day
from wsis_ledger.core.language import from_plain, plain
from wsis_ledger.core.models import Fund, Place, Record, Statement
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.core.record_base import shared_fields_set
from wsis_ledger.source import store
from wsis_ledger.source.yamlsource import Positions


class FileRecords:
    """What one file gives: records by section, its fund and statement, its problems.

    `funds` holds each fund with the number of the file's problems found before
    it, so that a fund given twice is reported in its place when files meet.
    """

    __slots__ = ("funds", "positions", "problems", "sections", "statements")
    # A plain class, not a dataclass: cheaper to define at start (bench/HISTORY.md),
    # and nothing compares or prints these.

    def __init__(
        self,
        positions: Positions | None = None,
        funds: list[tuple[int, Fund]] | None = None,
        sections: dict[str, list[Record]] | None = None,
        statements: list[Statement] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.positions = positions
        self.funds = [] if funds is None else funds
        self.sections = {} if sections is None else sections
        self.statements = [] if statements is None else statements
        self.problems = [] if problems is None else problems


#: Every record type, numbered (the code fingerprint in the key fixes the numbering).
_TYPES: tuple[type[Record], ...] = tuple(
    sorted(
        {
            kind
            for module in (record_base, stated, models)
            for kind in vars(module).values()
            if isinstance(kind, type) and issubclass(kind, Record)
        },
        key=lambda kind: kind.__name__,
    )
)
_NUMBER = {kind: number for number, kind in enumerate(_TYPES)}
_FIELDS = tuple(tuple(kind.model_fields) for kind in _TYPES)
#: Values written as they are.
_PLAIN = frozenset({str, type(None), bool, int})


#: The store's subfolder of per-file records.
RECORDS_FOLDER = "records"


class _Unknown(ValueError):
    """A value the encoding has no form for (the file is then not kept)."""


def file_key(fingerprint: str, path: Path, digest: bytes) -> str:
    """The key of the file at `path` whose bytes have the SHA-256 `digest`."""
    key = hashlib.sha256(fingerprint.encode("utf-8", "surrogateescape") + b"\0")
    key.update(str(path).encode("utf-8", "surrogateescape") + b"\0" + digest)
    return key.hexdigest()


def get(key: str, text: str) -> FileRecords | None:
    """The records kept under `key`, placed in `text` (the file's text), or None."""
    payload = store.read_entry(key, RECORDS_FOLDER)
    if payload is None:
        return None
    try:
        return decode(payload, text)
    except Exception:  # damaged in any way: read the file instead
        return None


def put(key: str, records: FileRecords) -> None:
    """Keep a file's records under `key`."""
    try:
        payload = encode(records)
    except (_Unknown, ValueError, TypeError, RecursionError):
        return
    store.write_entry(key, payload, RECORDS_FOLDER)


# --- writing -------------------------------------------------------------------------


def encode(records: FileRecords) -> bytes:
    """A file's records as plain values, marshalled."""
    positions = records.positions
    head = None if positions is None else (str(positions.path), positions.line, positions.column)
    body = (
        head,
        [(before, _record(fund, positions)) for before, fund in records.funds],
        {name: _columns(rows, positions) for name, rows in records.sections.items()},
        [_record(statement, positions) for statement in records.statements],
        [_problem(problem) for problem in records.problems],
    )
    return marshal.dumps(body)


def _record(record: Record, positions: Positions | None) -> tuple[Any, ...]:
    """A record as (its type's number, which fields were given, its place, its values)."""
    number = _NUMBER[type(record)]
    names = _FIELDS[number]
    values = _values(record, names)
    mask = _mask(record, names, {})
    encoded = [_value(values[name], positions) for name in names]
    return (number, mask, _spot(record, positions), *encoded)


def _values(record: Record, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def _mask(record: Record, names: tuple[str, ...], known: dict[frozenset[str], int]) -> int:
    """The fields given (pydantic's `model_fields_set`), one bit a field."""
    given = frozenset(record.model_fields_set)
    mask = known.get(given)
    if mask is None:
        mask = sum(1 << bit for bit, name in enumerate(names) if name in given)
        known[given] = mask
    return mask


def _spot(record: Record, positions: Positions | None) -> tuple[Any, ...]:
    place = record.place
    if place.source is None:  # a record made in memory
        return ()
    if place.source is not positions or positions is None:
        raise _Unknown("a record placed in another file")
    return (place.line, place.column, place.loc)


_AS_IS, _DECIMALS, _DATES, _VALUES = range(4)
_NONE = type(None)


def _columns(rows: list[Record], positions: Positions | None) -> Any:
    """A section's records, column by column when they are all of one type (as they
    are): each column is then written, and made again, in one pass."""
    kind = type(rows[0]) if rows else None
    if kind is None or any(type(row) is not kind for row in rows):
        return [_record(row, positions) for row in rows]
    number = _NUMBER[kind]
    names = _FIELDS[number]
    known: dict[frozenset[str], int] = {}
    dicts = [_values(row, names) for row in rows]
    masks = [_mask(row, names, known) for row in rows]
    spots = [_spot(row, positions) for row in rows]
    columns = [_column([values[name] for values in dicts], positions) for name in names]
    return (number, len(rows), masks, spots, columns)


def _column(values: list[Any], positions: Positions | None) -> tuple[int, Any]:
    present = {value.__class__ for value in values}
    present.discard(_NONE)
    if present <= _PLAIN:
        return _AS_IS, values
    if present == {Decimal}:
        return _DECIMALS, _distinct([None if value is None else str(value) for value in values])
    if present == {date}:
        return _DATES, _distinct([None if value is None else value.toordinal() for value in values])
    return _VALUES, [_value(value, positions) for value in values]


def _distinct(values: list[Any]) -> tuple[list[Any], list[int]]:
    """A column as its distinct values (None first) and each value's number among
    them: read back, each distinct value is made once and shared, with no set or
    dict of the column built then (bench/HISTORY.md)."""
    numbers: dict[Any, int] = {None: 0}
    indexes = [numbers.setdefault(value, len(numbers)) for value in values]
    return list(numbers), indexes


def _value(value: Any, positions: Positions | None) -> Any:
    kind = value.__class__
    if kind in _PLAIN:
        return value
    if kind is Decimal:
        return str(value).encode("ascii")
    if kind is date:
        return (value.toordinal(),)
    if kind is tuple:
        return [_value(item, positions) for item in value]
    if kind is dict and all(key.__class__ is str for key in value):
        return {key: _value(item, positions) for key, item in value.items()}
    if isinstance(value, Record):
        return _record(value, positions)
    raise _Unknown(f"no plain form for {kind.__name__}")


def _problem(problem: Problem) -> tuple[str, int, int, str, object, str, str | None]:
    where = problem.where
    return (
        str(where.path),
        where.line,
        where.column,
        problem.code,
        plain(problem.message),  # a Phrase as its words and values: told in any language
        problem.severity,
        problem.subject,
    )


# --- reading -------------------------------------------------------------------------


def decode(payload: bytes, text: str) -> FileRecords:
    """The records `encode` wrote, placed in `text`; ValueError (or another) when damaged."""
    head, funds, sections, statements, problems = marshal.loads(payload)
    positions = None if head is None else Positions(Path(head[0]), text, head[1], head[2])
    reader = _Reader(positions)
    found = FileRecords(positions=positions)
    found.funds = [(int(before), reader.record(fund, Fund)) for before, fund in funds]
    found.sections = {str(name): reader.section(rows) for name, rows in sections.items()}
    found.statements = [reader.record(row, Statement) for row in statements]
    found.problems = [
        Problem(Where(Path(path), line, column), code, from_plain(message), severity, subject)
        for path, line, column, code, message, severity, subject in problems
    ]
    return found


def _made(distinct: list[Any], numbers: list[int], make: Callable[[Any], Any]) -> list[Any]:
    """A column of Decimals or dates (`_distinct`): each distinct value made once by
    `make` and shared (a rate on many entries: 104 bytes each time; a day: as
    `dates.day` and the loader's `money.parse_rate` hold them)."""
    if distinct[0] is not None or None in distinct[1:]:
        raise ValueError("a column of another shape")
    made: list[Any] = [None, *map(make, distinct[1:])]
    return list(map(made.__getitem__, numbers))  # a C loop: a comprehension is twice that


#: Runs an iterator to its end, keeping nothing (a loop in C).
_drain: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend


class _Reader:
    """Makes records again from their plain values, as pydantic's own copy does:
    the values were validated when the file was read, and are not again."""

    def __init__(self, positions: Positions | None) -> None:
        self.positions = positions
        self.field_sets: dict[tuple[int, int], set[str]] = {}

    def record(self, row: tuple[Any, ...], expected: type[Record] = Record) -> Any:
        number = row[0]
        names = _FIELDS[number]
        if not issubclass(_TYPES[number], expected) or len(row) != 3 + len(names):
            raise ValueError("not the record expected")
        value = self.value
        values = [item if item.__class__ in _PLAIN else value(item) for item in row[3:]]
        return self._make(number, names, values, row[1], row[2])

    def _make(
        self, number: int, names: tuple[str, ...], values: Any, mask: int, spot: Any
    ) -> Record:
        kind = _TYPES[number]
        fields_set = self._fields_set(number, mask)
        place = None
        if spot:
            line, column, loc = spot
            place = Place(self.positions, line, column, tuple(loc))
        record = kind.model_construct(fields_set, **dict(zip(names, values, strict=True)))
        record.set_place(place)
        return record

    def section(self, block: Any) -> list[Record]:
        """A section's records, from `_columns`."""
        if isinstance(block, list):
            return [self.record(row) for row in block]
        number, count, masks, spots, columns = block
        names = _FIELDS[number]
        if len(columns) != len(names) or not len(masks) == len(spots) == count:
            raise ValueError("a section of another shape")
        made = [self._column(kind, values, count) for kind, values in columns]
        known = {mask: self._fields_set(number, mask) for mask in set(masks)}
        sets = list(map(known.__getitem__, masks))
        kind, positions = _TYPES[number], self.positions
        places = [
            Place(positions, spot[0], spot[1], tuple(spot[2])) if spot else None for spot in spots
        ]
        # Each record through pydantic's public `model_construct`: its values were
        # validated when the file was read, and are not again.
        construct = kind.model_construct
        records: list[Record] = (
            [
                construct(fields_set, **dict(zip(names, values, strict=True)))
                for fields_set, values in zip(sets, zip(*made, strict=True), strict=True)
            ]
            if count
            else []
        )
        for record, place in zip(records, places, strict=True):
            record.set_place(place)  # None (a record made in memory): no place
        return records

    def _fields_set(self, number: int, mask: int) -> set[str]:
        fields_set = self.field_sets.get((number, mask))
        if fields_set is None:
            names = _FIELDS[number]
            given = frozenset(name for bit, name in enumerate(names) if mask >> bit & 1)
            fields_set = shared_fields_set(_TYPES[number], given)
            self.field_sets[number, mask] = fields_set
        return fields_set

    def _column(self, kind: int, values: Any, count: int) -> list[Any]:
        if kind in (_DECIMALS, _DATES):
            distinct, numbers = values
            values = _made(distinct, numbers, Decimal if kind == _DECIMALS else day)
        elif kind == _AS_IS:
            if not _PLAIN.issuperset(map(type, values)):  # each value's, in C
                raise ValueError("a column of another kind")
        else:
            values = [self.value(value) for value in values]
        if len(values) != count:
            raise ValueError("a column of another length")
        return values  # type: ignore[no-any-return]

    def value(self, item: Any) -> Any:
        kind = item.__class__
        if kind in _PLAIN:
            return item
        if kind is bytes:
            return Decimal(item.decode("ascii"))
        if kind is list:
            return tuple([self.value(inner) for inner in item])
        if kind is dict:
            return {str(key): self.value(inner) for key, inner in item.items()}
        if kind is tuple:
            return date.fromordinal(item[0]) if len(item) == 1 else self.record(item)
        raise ValueError(f"no value is kept as {kind.__name__}")
