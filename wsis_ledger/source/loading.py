"""From a ledger folder to a `Ledger`, reporting every problem with its file and line.

A ledger is a folder holding `ledger.yaml` (the fund) and any number of other
`.yaml` (or `.yml`, in any case) files, in any sub-folder (linked folders
too), each a mapping of sections (see `models.SECTIONS`). Files and folders whose names start with `.` are not read:
writes put their temporary files there.
"""

from __future__ import annotations

import gc
import hashlib
import sys
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import (
    SECTIONS,
    SINGLES,
    Fund,
    Place,
    Record,
    Statement,
    compact,
)
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.core.quick import quick_validate
from wsis_ledger.source import filecache
from wsis_ledger.source.cache import Reads, code_fingerprint
from wsis_ledger.source.discovery import LEDGER_FILE, file_order, scan
from wsis_ledger.source.filecache import FileRecords
from wsis_ledger.source.yamlsource import (
    Document,
    ItemReader,
    Patch,
    Section,
    decode_text,
    parse_document,
    parse_new_document,
    read_bytes,
    reparse,
)

R = TypeVar("R", bound=Record)
Parser = Callable[[Path, str, Mapping[str, ItemReader]], tuple[Document | None, list[Problem]]]


class _Collected:
    __slots__ = ("files", "fund", "problems", "sections", "statements")
    # A plain class, not a dataclass: making a dataclass costs a start some 4 M
    # instructions (bench/HISTORY.md), and nothing compares or prints this.

    def __init__(self) -> None:
        self.fund: list[Fund] = []
        self.sections: dict[str, list[Record]] = defaultdict(list)
        self.statements: list[Statement] = []
        self.problems: list[Problem] = []
        self.files: list[Path] = []


def load(
    root: Path, overlay: Mapping[Path, str] | None = None, *, reads: Reads | None = None
) -> tuple[Ledger | None, list[Problem]]:
    """Read every file of the ledger at `root`.

    `overlay` adds files not yet written (path: text), so that a write can be
    checked with the ledger before anything touches the disk.

    With `reads`, the load notes the SHA-256 of the bytes it read from each
    file there (the output cache keys its answer by them), and takes the
    records of a file whose bytes it read before from the per-file cache
    (`filecache`) instead of reading them again.

    Returns the ledger built from every record that is valid, and the
    problems found; the ledger is None only when there is no valid fund.
    A caller that must not show a partial picture refuses to go on when
    there are problems.
    """
    # A ledger is millions of small objects that hold no cycles: the cyclic
    # garbage collector, running again and again as they are made, was most of
    # the time of a large load (see bench/RESULTS.md). It is off while loading.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(root, overlay or {}, reads)
    finally:
        if collecting:
            gc.enable()


def _load(
    root: Path, overlay: Mapping[Path, str], reads: Reads | None
) -> tuple[Ledger | None, list[Problem]]:
    collected = _Collected()
    found = scan(root)
    collected.problems.extend(found.problems)
    fingerprint = ""
    if reads is not None:
        reads.start(root)
        if found.problems:  # a folder not read: such an answer is not kept
            reads.complete = False
        fingerprint = code_fingerprint()
    for path in sorted({*found.files, *overlay}, key=file_order(root)):
        collected.files.append(path)
        if path in overlay:
            records = _parse(path, overlay[path], parse_new_document)
        elif reads is None:
            records = _read(path)
        else:
            records = _read_through_cache(path, reads, fingerprint)
        _merge(records, collected)
    if not collected.fund:
        if not any(p.where.path == root / LEDGER_FILE for p in collected.problems):
            where = Where(root / LEDGER_FILE)
            message = "the ledger has no fund: ledger.yaml needs a 'fund:' mapping"
            collected.problems.append(Problem(where, "no-fund", message))
        return None, collected.problems
    ledger = Ledger(
        root=root,
        fund=collected.fund[0],
        files=tuple(collected.files),
        statements=tuple(collected.statements),
        **{name: tuple(records) for name, records in collected.sections.items()},  # type: ignore[arg-type]
    )
    return ledger, collected.problems


def _read(path: Path) -> FileRecords:
    raw, problems = read_bytes(path)
    if raw is None:
        return FileRecords(problems=problems)
    digest = hashlib.sha256(raw).digest()
    text, problems = decode_text(path, raw)
    del raw  # not held beside its text while the file is parsed (a large file's peak)
    if text is None:
        return FileRecords(problems=problems)
    # No layout: it serves only a later partial reading, which a load without the
    # per-file cache never makes (100 000 items in one file: some 3.6 MB at its peak).
    return _forget_text(_parse(path, text, _parse_without_layout), digest)


def _read_through_cache(path: Path, reads: Reads, fingerprint: str) -> FileRecords:
    """The file's records from the per-file cache when its bytes were read before."""
    raw, problems = read_bytes(path)
    if raw is None:
        reads.complete = False
        return FileRecords(problems=problems)
    digest = hashlib.sha256(raw).digest()
    reads.add(path, digest)
    text, problems = decode_text(path, raw)
    del raw  # not held beside its text while the file is parsed (a large file's peak)
    if text is None:
        return FileRecords(problems=problems)
    key = filecache.file_key(fingerprint, path, digest)
    records = filecache.get(key, text)
    if records is None:
        records = _read_changed(path, text, fingerprint) or _parse(path, text)
        filecache.put(key, records)
        if records.layout is not None:
            filecache.put_last(fingerprint, path, key, text, records.layout)
    return _forget_text(records, digest)


def _read_changed(path: Path, text: str, fingerprint: str) -> FileRecords | None:
    """The records of `text`, made from those of the file's last parsed text and only
    the items that changed read again (`_reparse`); None when that cannot be."""
    last = filecache.get_last(fingerprint, path)
    if last is None:
        return None
    old_key, old_text, layout = last
    old = filecache.get(old_key, text)  # the old records, placed in the new text
    if old is None:
        return None
    return _reparse(path, text, old, old_text, layout)


def _reparse(
    path: Path, text: str, old: FileRecords, old_text: str, layout: list[Section]
) -> FileRecords | None:
    """The records a parse of `text` gives, from `old`, the records of `old_text`
    (the file's previous text, whose sections were `layout`) placed in `text`'s
    positions: the items a change touched are read again (`yamlsource.reparse`),
    those after them move down or up. None, for a parse of the whole file, when
    the old reading had any problem, or the new items do."""
    positions = old.positions
    if old.problems or positions is None:
        return None
    patch = reparse(path, old_text, text, layout, positions, _ITEM_READERS)
    if patch is None:
        return None
    section = old.sections.get(patch.key)
    written = next(lines for key, _, _, lines in layout if key == patch.key)
    if section is None or len(section) != len(written):
        return None
    made = [item for item in patch.items if isinstance(item, Record)]
    if len(made) != len(patch.items):
        return None  # an item with problems: the whole file tells them, in order
    statement_id = old.statements[0].id if old.statements else None
    made = [_in_statement(record, statement_id) for record in made]
    _move_after(old, patch, len(made) - (patch.end - patch.start))
    records = FileRecords(
        positions=positions,
        funds=old.funds,
        sections=dict(old.sections),
        statements=old.statements,
        layout=patch.layout,
    )
    records.sections[patch.key] = [*section[: patch.start], *made, *section[patch.end :]]
    return records


def _in_statement(record: Record, statement_id: str | None) -> Record:
    """`record`, in its file's statement unless it names one: entries and records in
    kind belong to the statement of the file they are written in."""
    if statement_id is not None and getattr(record, "statement", statement_id) is None:
        return record.model_copy(update={"statement": statement_id})  # keeps its place
    return record


def _move_after(old: FileRecords, patch: Patch, added: int) -> None:
    """Move the places of `old`'s records written after the change by the lines
    the change added, and the items after it in its list by the items it added."""
    if not patch.lines and not added:
        return
    for _, fund in old.funds:
        _move(fund, patch, 0)
    for statement in old.statements:
        _move(statement, patch, 0)
    for key, section in old.sections.items():
        if key == patch.key:
            for record in section[patch.end :]:
                _move(record, patch, added)
        elif section and section[-1].place.line >= patch.after:
            for record in section:
                _move(record, patch, 0)


def _move(record: Record, patch: Patch, added: int) -> None:
    """Move `record` (and the records inside it) if written after the change."""
    place = record.place
    if place.line < patch.after:
        return
    loc = place.loc
    if added and loc and loc[0] == patch.key:
        index = loc[1]
        assert isinstance(index, int)
        loc = (loc[0], index + added, *loc[2:])
    record.set_place(Place(place.source, place.line + patch.lines, place.column, loc))
    for inner in _inner_records(record):
        _move(inner, patch, added)


def _inner_records(record: Record) -> list[Record]:
    """The records inside `record` (`_place` places them)."""
    inner: list[Record] = []
    for name in _nested_record_fields(type(record)):
        value = getattr(record, name)
        values = (
            value.values()
            if isinstance(value, dict)
            else value
            if isinstance(value, tuple)
            else (value,)
        )
        inner.extend(item for item in values if isinstance(item, Record))
    return inner


def _forget_text(records: FileRecords, digest: bytes) -> FileRecords:
    """The file's records, their positions no longer holding its text (read again,
    if unchanged, when a problem asks where it was written)."""
    if records.positions is not None:
        records.positions.forget_text(digest)
    return records


def _parse_without_layout(
    path: Path, text: str, items: Mapping[str, ItemReader]
) -> tuple[Document | None, list[Problem]]:
    return parse_document(path, text, items, layout=False)


def _parse(path: Path, text: str, parse: Parser = parse_document) -> FileRecords:
    document, problems = parse(path, text, _ITEM_READERS)
    records = FileRecords(problems=problems)
    if document is not None:
        records.positions = document.positions
        records.layout = document.layout
        _collect_file(document, records)
    return records


def _merge(records: FileRecords, collected: _Collected) -> None:
    """Add one file's records to those of the files before it."""
    done = 0
    for before, fund in records.funds:
        collected.problems.extend(records.problems[done:before])
        done = before
        if collected.fund:
            first = collected.fund[0].place.at()
            message = f"a ledger has one fund; it is already given at {first.path}:{first.line}"
            collected.problems.append(Problem(fund.place.at(), "duplicate-fund", message))
        else:
            collected.fund.append(fund)
    collected.problems.extend(records.problems[done:])
    for name, section in records.sections.items():
        collected.sections[name].extend(section)
    collected.statements.extend(records.statements)


def _collect_file(document: Document, collected: FileRecords) -> None:
    data = document.data
    if not isinstance(data, dict):
        message = (
            "a ledger file is a mapping of sections (such as 'received:' or 'donors:'), "
            f"not {money.describe(data)}"
        )
        collected.problems.append(Problem(document.locate(()), "file-shape", message))
        return
    statement_id = _file_statement(document, collected)
    for key, value in data.items():
        if key == "statement":
            continue
        if key == "fund":
            fund = _validate(Fund, value, document, (key,), collected.problems)
            if fund is not None:
                collected.funds.append((len(collected.problems), fund))
        elif key in SECTIONS:
            _collect_section(document, key, value, statement_id, collected)
        else:
            collected.problems.append(_unknown_section(document, key))


def _file_statement(document: Document, collected: FileRecords) -> str | None:
    raw = document.data.get("statement")
    if raw is None:
        return None
    statement = _validate(Statement, raw, document, ("statement",), collected.problems)
    if statement is None:
        # Entries still name it, so that they are not mistaken for entries of no statement.
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        return raw_id if isinstance(raw_id, str) else None
    collected.statements.append(statement)
    return statement.id


def _item_reader(key: str) -> ItemReader:
    model = SECTIONS[key]

    def read(item: Document, index: int) -> Record | list[Problem]:
        """An item of the section `key`, read as soon as the parser has it whole:
        its record, or its problems (kept in its place, see `_collect_section`)."""
        problems: list[Problem] = []
        record = _validate(model, item.data, item, (key, index), problems)
        return problems if record is None else record

    return read


#: Each section's items are made records as the file is parsed.
_ITEM_READERS = {key: _item_reader(key) for key in SECTIONS}


def _collect_section(
    document: Document, key: str, value: Any, statement_id: str | None, collected: FileRecords
) -> None:
    if value is None:
        return  # an empty section (`received:` with nothing under it) is fine
    if not isinstance(value, list):
        message = f"'{key}' is a list (each item starts with '- '), not {money.describe(value)}"
        collected.problems.append(Problem(document.locate((key,)), "wrong-type", message))
        return
    records = collected.sections.setdefault(key, [])
    # Each item was read as the file was parsed (`_read_item`): a record, or its problems.
    for record in value:
        if isinstance(record, list):
            collected.problems.extend(record)
            continue
        records.append(_in_statement(record, statement_id))


def _validate(
    model: type[R],
    raw: Any,
    document: Document,
    loc: tuple[int | str, ...],
    problems: list[Problem],
) -> R | None:
    """The record `raw` describes, placed in its file; None, with problems, when invalid.

    A plainly valid `raw` is made a record without pydantic's validator
    (`quick_validate`: the same record); anything else pydantic judges, and its
    messages name the problems."""
    if type(raw) is dict:
        _intern_repeated(raw)
    record = quick_validate(model, raw)
    if record is not None:
        _place(record, raw, document, loc, compacted=True)
        return record
    try:
        record = model.model_validate(raw)
    except ValidationError as error:
        # The id the record was written with (where it has a readable one): what names
        # it is not reported again, the problem here is the cause (`checks.run_checks`).
        subject = raw.get("id") if type(raw) is dict else None
        for detail in error.errors(include_url=False):
            problem = _problem_from(detail, model, raw, document, loc)
            if isinstance(subject, str):
                problem = replace(problem, subject=subject)
            problems.append(problem)
        return None
    _place(record, raw, document, loc)
    return record


#: Fields whose texts repeat from record to record (a donor gives many times, in
#: few currencies, for few purposes): each text is held once for all of them.
_REPEATED = frozenset(
    {"donor", "currency", "purpose", "statement", "phase", "pledge", "rate_source", "facility"}
)


def _intern_repeated(raw: dict[Any, Any]) -> None:
    """Replace, in place, each text of a `_REPEATED` field by the one copy of it
    (`sys.intern`): with 1 000 000 entries, the copies were some 150 bytes a record."""
    for key, value in raw.items():
        if type(value) is str and key in _REPEATED:
            raw[key] = sys.intern(value)


def _place(
    record: Record,
    raw: Any,
    document: Document,
    loc: tuple[int | str, ...],
    *,
    compacted: bool = False,
) -> None:
    """Tell a record (and the records inside it) where they were written, and
    hold each in less memory (`compact`), unless they are already (`compacted`:
    `quick_validate` makes them so)."""
    start = document.start_of(raw)
    line, column = start if start else (document.locate(loc).line, 0)
    record.set_place(Place(document.positions, line, column, loc))
    if not compacted:
        compact(record)
    if isinstance(raw, dict):
        _place_inner(record, raw, document, loc, compacted)


def _place_inner(
    record: Record,
    raw: dict[Any, Any],
    document: Document,
    loc: tuple[int | str, ...],
    compacted: bool,
) -> None:
    """`_place` the records inside `record`, from `raw`, the mapping it was made of."""
    for name in _nested_record_fields(type(record)):
        inner, inner_raw = getattr(record, name), raw.get(name)
        if isinstance(inner, Record):
            _place(inner, inner_raw, document, (*loc, name), compacted=compacted)
        elif isinstance(inner, dict) and isinstance(inner_raw, dict):
            for key, value in inner.items():
                if isinstance(value, Record):
                    where = (*loc, name, key)
                    _place(value, inner_raw.get(key), document, where, compacted=compacted)
        elif isinstance(inner, tuple) and isinstance(inner_raw, list):
            for index, value in enumerate(inner):
                if isinstance(value, Record) and index < len(inner_raw):
                    where = (*loc, name, index)
                    _place(value, inner_raw[index], document, where, compacted=compacted)


@cache
def _nested_record_fields(model: type[Record]) -> tuple[str, ...]:
    """The fields of `model` that may hold records (`name: Names`, `purposes: dict[...]`)."""

    def holds_record(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, Record):
            return True
        return any(holds_record(arg) for arg in getattr(annotation, "__args__", ()))

    return tuple(name for name, info in model.model_fields.items() if holds_record(info.annotation))


def _problem_from(
    detail: ErrorDetails,
    model: type[Record],
    raw: Any,
    document: Document,
    loc: tuple[int | str, ...],
) -> Problem:
    full = (*loc, *detail["loc"])
    kind = detail["type"]
    field_name = next((str(step) for step in reversed(full) if isinstance(step, str)), "")
    if kind == "extra_forbidden":
        import difflib  # here, not above: only a problem needs it (4 M instructions a start)

        known = _known_fields(model, detail["loc"])
        close = difflib.get_close_matches(field_name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(known)}"
        where = document.locate(full, at_key=True)
        return Problem(where, "unknown-field", f"unknown field '{field_name}'{hint}")
    where = document.locate(full)
    if kind == "missing":
        return Problem(where, "missing-field", f"the field '{field_name}' is missing")
    message = _plain_message(detail)
    return Problem(where, "invalid-value", f"{field_name}: {message}" if field_name else message)


def _known_fields(model: type[Record], loc: tuple[int | str, ...]) -> list[str]:
    current: Any = model
    for step in loc[:-1]:
        info = current.model_fields.get(step) if isinstance(step, str) else None
        annotation = getattr(info, "annotation", None)
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, Record)]
        if not nested:
            break
        current = nested[0]
    return sorted(current.model_fields)


def _plain_message(detail: ErrorDetails) -> str:
    kind, value = detail["type"], detail.get("input")
    if kind == "value_error":
        error = (detail.get("ctx") or {}).get("error")
        return str(error) if error else detail["msg"]
    if kind in ("string_type", "str_type"):
        return f"expected text, found {money.describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping (lines of 'key: value'), found {money.describe(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list (items starting with '- '), found {money.describe(value)}"
    if kind == "literal_error":
        expected = (detail.get("ctx") or {}).get("expected", "")
        return f"{money.describe(value)} is not one of {expected}"
    return str(detail["msg"])


def _unknown_section(document: Document, key: str) -> Problem:
    import difflib  # as in `_problem_from`

    known = sorted([*SECTIONS, *SINGLES])
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; a file may hold {', '.join(known)}"
    where = document.locate((key,), at_key=True)
    return Problem(where, "unknown-section", f"unknown section '{key}'{hint}")
