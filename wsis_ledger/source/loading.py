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
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from wsis_ledger.core import money
from wsis_ledger.core.language import Phrase, msg, said
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import (
    RECORDING_KEYS,
    SECTIONS,
    SINGLES,
    Fund,
    Place,
    Record,
    Recording,
    Statement,
)
from wsis_ledger.core.problems import MAX_PROBLEMS_PER_KIND, Problem, Where, more_problems
from wsis_ledger.core.quick import quick_validate
from wsis_ledger.source import filecache
from wsis_ledger.source.discovery import LEDGER_FILE, file_order
from wsis_ledger.source.filecache import FileRecords
from wsis_ledger.source.snapshot import LedgerFiles
from wsis_ledger.source.store import code_fingerprint
from wsis_ledger.source.yamlsource import (
    Document,
    ItemReader,
    decode_text,
    parse_document,
    parse_new_document,
)

R = TypeVar("R", bound=Record)


class _Collected:
    __slots__ = ("files", "fund", "problems", "sections", "statements")
    # A plain class, not a dataclass: cheaper to define at start (bench/HISTORY.md),
    # and nothing compares or prints this.

    def __init__(self) -> None:
        self.fund: list[Fund] = []
        self.sections: dict[str, list[Record]] = defaultdict(list)
        self.statements: list[Statement] = []
        self.problems: list[Problem] = []
        self.files: list[Path] = []


def load(
    root: Path,
    overlay: Mapping[Path, str] | None = None,
    *,
    files: LedgerFiles | None = None,
    cache: bool = False,
    shortcuts: bool = True,
) -> tuple[Ledger | None, list[Problem]]:
    """Read every file of the ledger at `root`.

    `overlay` adds files not yet written (path: text), so that a write can be
    checked with the ledger before anything touches the disk. `files` is the
    folder as the caller listed it (each file read once, `LedgerFiles`); without
    it, the folder is listed now. With `cache`, a file whose bytes were read
    before gives its records from the per-file cache (`filecache`). With
    `shortcuts` off (`WSIS_LEDGER_PLAIN`), every record is made by pydantic's
    validation (else `quick_validate` makes the plainly valid ones).

    Returns the ledger built from every record that is valid, and the
    problems found; the ledger is None only when there is no valid fund.
    A caller that must not show a partial picture refuses to go on when
    there are problems.
    """
    parsed = read_files(files or LedgerFiles(root), cache=cache, shortcuts=shortcuts)
    return assemble(parsed, overlay, shortcuts=shortcuts)


class ParsedFiles:
    """Each file of a ledger folder read into its records (`read_files`), before the
    files meet: a write assembles them once as they are and once with its new files."""

    __slots__ = ("files", "problems", "root")

    def __init__(
        self, root: Path, problems: list[Problem], files: list[tuple[Path, FileRecords]]
    ) -> None:
        self.root, self.problems, self.files = root, problems, files


def read_files(files: LedgerFiles, *, cache: bool = False, shortcuts: bool = True) -> ParsedFiles:
    """Each file of `files` read into its records (see `load`)."""
    # A ledger is millions of small objects that hold no cycles: the cyclic
    # garbage collector, running again and again as they are made, would be most
    # of the time of a large load (bench/HISTORY.md). It is off while loading.
    collecting = gc.isenabled()
    gc.disable()
    try:
        fingerprint = code_fingerprint() if cache else None
        budget, left = [KEEP_TEXTS_UP_TO], [MAX_LEDGER_RECORDS]
        read = [
            (path, _read(files, path, fingerprint, shortcuts, budget, left)) for path in files.paths
        ]
        return ParsedFiles(files.root, list(files.problems), read)
    finally:
        if collecting:
            gc.enable()


def assemble(
    parsed: ParsedFiles, overlay: Mapping[Path, str] | None = None, *, shortcuts: bool = True
) -> tuple[Ledger | None, list[Problem]]:
    """The ledger the files of `parsed` make together, with the files of `overlay`
    (path: text, not yet written) among them in their place."""
    root = parsed.root
    collected = _Collected()
    # A stray link that leads nowhere is a warning (`discovery._dangling`): it fails nothing.
    warnings = tuple(p for p in parsed.problems if p.severity == "warning")
    collected.problems.extend(p for p in parsed.problems if p.severity != "warning")
    read = dict(parsed.files)
    collecting = gc.isenabled()
    gc.disable()
    try:
        for path in sorted({*read, *(overlay or {})}, key=file_order(root)):
            collected.files.append(path)
            new = overlay.get(path) if overlay else None
            written = read[path] if new is None else _parse(path, new, shortcuts, new=True)
            _merge(written, collected)
    finally:
        if collecting:
            gc.enable()
    if not collected.fund:
        if not any(p.where.path == root / LEDGER_FILE for p in collected.problems):
            where = Where(root / LEDGER_FILE)
            message = said(
                msg("no_fund", "the ledger has no fund: ledger.yaml needs a 'fund:' mapping")
            )
            collected.problems.append(Problem(where, "no-fund", message))
        return None, collected.problems
    ledger = Ledger(
        root=root,
        fund=collected.fund[0],
        files=tuple(collected.files),
        warnings=warnings,
        statements=tuple(collected.statements),
        **{name: tuple(records) for name, records in collected.sections.items()},  # type: ignore[arg-type]
    )
    return ledger, collected.problems


def _read(
    files: LedgerFiles,
    path: Path,
    fingerprint: str | None,
    shortcuts: bool,
    budget: list[int],
    left: list[int],
) -> FileRecords:
    """One file's records: from the per-file cache (with a `fingerprint`) when its
    bytes were read before, else parsed (and then kept there). Its text stays with
    its positions while `budget` (characters, one number) allows; at most `left`
    records are made (one number, `MAX_LEDGER_RECORDS` for the ledger)."""
    if left[0] <= 0:  # the ledger's bound is reached: the file is not read at all
        return FileRecords(problems=[_too_many_records(path, None)])
    raw, problems = files.take(path)
    if raw is None:
        return FileRecords(problems=problems)
    digest = files.digest(path) or hashlib.sha256(raw).digest()
    text, problems = decode_text(path, raw)
    del raw  # not held beside its text while the file is parsed (a large file's peak)
    if text is None:
        return FileRecords(problems=problems)
    if fingerprint is None:
        parsed = _parse(path, text, shortcuts, left=left)
        return _keep_text_within(parsed, digest, len(text), budget)
    key = filecache.file_key(fingerprint, path, digest)
    records = filecache.get(key, text)
    if records is not None and _count(records) <= left[0]:
        left[0] -= _count(records)
    else:  # not kept, or past the ledger's bound: parsed, as without the cache
        records = _parse(path, text, shortcuts, left=left)
        if not any(p.code == TOO_MANY_RECORDS for p in records.problems):
            filecache.put(key, records)
    return _keep_text_within(records, digest, len(text), budget)


#: The records a ledger's files make in all (about 2.5 GB of memory as bench/ measures a
#: check): past it the rest of the file, and the files after it, are not read.
MAX_LEDGER_RECORDS = 2_000_000
TOO_MANY_RECORDS = "ledger-too-large"


def _count(records: FileRecords) -> int:
    return sum(map(len, records.sections.values()))


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", " ")  # as every message groups a figure


def _too_many_records(path: Path, passed_over: int | None) -> Problem:
    """The problem of a file read, or not, past the ledger's bound of records."""
    what = (
        "this file is not read"
        if passed_over is None
        else f"the last {_grouped(passed_over)} items of this file are not read"
    )
    message = (
        f"the ledger holds more than the {_grouped(MAX_LEDGER_RECORDS)} records a ledger may "
        f"have: {what}, nor any file after it; split the fund's years into ledgers of their own"
    )
    return Problem(Where(path), TOO_MANY_RECORDS, message)


def _in_statement(record: Record, statement_id: str | None) -> Record:
    """`record`, in its file's statement unless it names one: entries and records in
    kind belong to the statement of the file they are written in."""
    if statement_id is not None and getattr(record, "statement", statement_id) is None:
        return record.model_copy(update={"statement": statement_id})  # keeps its place
    return record


#: The files' texts, up to this many characters in all, stay with their positions, so
#: a problem or a warning that asks where it was written never reads a file again;
#: past it a text is let go once its records are made (a large ledger's texts would
#: be much of its peak memory, bench/HISTORY.md) and read again only if asked.
KEEP_TEXTS_UP_TO = 8 << 20


def _keep_text_within(
    records: FileRecords, digest: bytes, size: int, budget: list[int]
) -> FileRecords:
    """The file's records; their positions keep the text if `budget` has room for it."""
    if records.positions is None:
        return records
    if size <= budget[0]:
        budget[0] -= size
    else:
        records.positions.forget_text(digest)
    return records


def _parse(
    path: Path, text: str, shortcuts: bool, *, new: bool = False, left: list[int] | None = None
) -> FileRecords:
    """The records of one file's `text` (a file not yet written when `new`: checked
    against the limits a later read applies); at most `left` of them, where given."""
    parse = parse_new_document if new else parse_document
    readers, told = _item_readers(shortcuts, left)
    document, problems = parse(path, text, readers)
    records = FileRecords(problems=problems)
    if document is not None:
        records.positions = document.positions
        _collect_file(document, records, shortcuts)
    records.problems += [
        more_problems(path, code, count - MAX_PROBLEMS_PER_KIND)
        for code, count in told.items()
        if count > MAX_PROBLEMS_PER_KIND and code != TOO_MANY_RECORDS
    ]
    if told[TOO_MANY_RECORDS]:
        records.problems.append(_too_many_records(path, told[TOO_MANY_RECORDS]))
    return records


def _merge(records: FileRecords, collected: _Collected) -> None:
    """Add one file's records to those of the files before it."""
    done = 0
    for before, fund in records.funds:
        collected.problems.extend(records.problems[done:before])
        done = before
        if collected.fund:
            first = collected.fund[0].place.at()
            message = said(
                msg("duplicate_fund", "a ledger has one fund; it is already given at {first}"),
                first=f"{first.path}:{first.line}",
            )
            collected.problems.append(Problem(fund.place.at(), "duplicate-fund", message))
        else:
            collected.fund.append(fund)
    collected.problems.extend(records.problems[done:])
    for name, section in records.sections.items():
        collected.sections[name].extend(section)
    collected.statements.extend(records.statements)


def _collect_file(document: Document, collected: FileRecords, shortcuts: bool) -> None:
    data = document.data
    if not isinstance(data, dict):
        message = said(
            msg(
                "file_shape",
                "a ledger file is a mapping of sections (such as 'received:' or 'donors:'), "
                "not {found}",
            ),
            found=money.describe(data),
        )
        collected.problems.append(Problem(document.locate(()), "file-shape", message))
        return
    statement_id = _file_statement(document, collected, shortcuts)
    _file_recording(document, collected)
    for key, value in data.items():
        if key == "statement" or key in RECORDING_KEYS:
            continue
        if key == "fund":
            fund = _validate(Fund, value, document, (key,), collected.problems, shortcuts)
            if fund is not None:
                collected.funds.append((len(collected.problems), fund))
        elif key in SECTIONS:
            _collect_section(document, key, value, statement_id, collected)
        else:
            collected.problems.append(_unknown_section(document, key))


def _file_statement(document: Document, collected: FileRecords, shortcuts: bool) -> str | None:
    raw = document.data.get("statement")
    if raw is None:
        return None
    statement = _validate(Statement, raw, document, ("statement",), collected.problems, shortcuts)
    if statement is None:
        # Entries still name it, so that they are not mistaken for entries of no statement.
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        return raw_id if isinstance(raw_id, str) else None
    collected.statements.append(statement)
    return statement.id


def _file_recording(document: Document, collected: FileRecords) -> None:
    """The file's `recorded_by` and `recorded_at` (both, or neither), as a `Recording`
    in the pseudo-section `recordings` (`Ledger.recordings`)."""
    data = document.data
    given = {field: data[key] for key, field in RECORDING_KEYS.items() if key in data}
    if not given:
        return
    for key, field in RECORDING_KEYS.items():
        if field not in given:
            other = next(k for k in RECORDING_KEYS if k != key)
            message = said(
                msg(
                    "recorded_alone", "'{given}' is given without '{missing}': a write records both"
                ),
                given=other,
                missing=key,
            )
            where = document.locate((other,), at_key=True)
            collected.problems.append(Problem(where, "missing-field", message))
            return
    try:
        recording = Recording.model_validate(given)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            field = str(detail["loc"][0]) if detail["loc"] else "by"
            key = next(k for k, f in RECORDING_KEYS.items() if f == field)
            where = document.locate((key,))
            message = said(
                msg("field_says", "{field}: {message}"), field=key, message=_plain_message(detail)
            )
            collected.problems.append(Problem(where, "invalid-value", message))
        return
    where = document.locate(("recorded_by",), at_key=True)
    recording.set_place(Place(document.positions, where.line, where.column, ("recorded_by",)))
    collected.sections.setdefault("recordings", []).append(recording)


def _item_reader(
    key: str, shortcuts: bool, told: Counter[str], left: list[int] | None
) -> ItemReader:
    """Reads an item of the section `key`. `told` is one file's count of the problems of
    each kind: at most MAX_PROBLEMS_PER_KIND of a kind are kept, the rest only counted
    (600 KB of empty items made 400 000 problems; bench/HISTORY.md)."""
    model = SECTIONS[key]

    def read(item: Document, index: int) -> Record | list[Problem]:
        """An item of the section `key`, read as soon as the parser has it whole:
        its record, or its problems (kept in its place, see `_collect_section`)."""
        if left is not None and left[0] <= 0:  # past the ledger's bound: counted only
            told[TOO_MANY_RECORDS] += 1
            return []
        problems: list[Problem] = []
        record = _validate(model, item.data, item, (key, index), problems, shortcuts)
        if record is not None:
            if left is not None:
                left[0] -= 1
            return record
        kept = []
        for problem in problems:
            told[problem.code] += 1
            if told[problem.code] <= MAX_PROBLEMS_PER_KIND:
                kept.append(problem)
        return kept

    return read


def _as_written(item: Document, index: int) -> Any:
    """An item of `fund:` or `statement:` written as a list: kept as written, for the
    loader to refuse (these are mappings)."""
    return item.data


def _item_readers(
    shortcuts: bool, left: list[int] | None = None
) -> tuple[dict[str, ItemReader], Counter[str]]:
    """Readers for one file's items (each section's items are made records as the file
    is parsed), and the count of their problems by kind. The single mappings are
    named too, so that the parser passes over any other top-level key unread."""
    told: Counter[str] = Counter()
    readers: dict[str, ItemReader] = {
        key: _item_reader(key, shortcuts, told, left) for key in SECTIONS
    }
    readers.update({key: _as_written for key in SINGLES})
    return readers, told


def _collect_section(
    document: Document, key: str, value: Any, statement_id: str | None, collected: FileRecords
) -> None:
    if value is None:
        return  # an empty section (`received:` with nothing under it) is fine
    if not isinstance(value, list):
        message = said(
            msg("section_not_list", "'{key}' is a list (each item starts with '- '), not {found}"),
            key=key,
            found=money.describe(value),
        )
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
    shortcuts: bool,
) -> R | None:
    """The record `raw` describes, placed in its file; None, with problems, when invalid.

    A plainly valid `raw` is made a record without pydantic's validator
    (`quick_validate`: the same record); anything else pydantic judges, and its
    messages name the problems."""
    if type(raw) is dict:
        _intern_repeated(raw)
    record = quick_validate(model, raw) if shortcuts else None
    if record is not None:
        _place(record, raw, document, loc)
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
    (`sys.intern`): many records then hold one text (bench/HISTORY.md)."""
    for key, value in raw.items():
        if type(value) is str and key in _REPEATED:
            raw[key] = sys.intern(value)


def _place(record: Record, raw: Any, document: Document, loc: tuple[int | str, ...]) -> None:
    """Tell a record (and the records inside it) where they were written."""
    start = document.start_of(raw)
    line, column = start if start else (document.locate(loc).line, 0)
    record.set_place(Place(document.positions, line, column, loc))
    if isinstance(raw, dict):
        _place_inner(record, raw, document, loc)


def _place_inner(
    record: Record, raw: dict[Any, Any], document: Document, loc: tuple[int | str, ...]
) -> None:
    """`_place` the records inside `record`, from `raw`, the mapping it was made of."""
    for name in _nested_record_fields(type(record)):
        inner, inner_raw = getattr(record, name), raw.get(name)
        if isinstance(inner, Record):
            _place(inner, inner_raw, document, (*loc, name))
        elif isinstance(inner, dict) and isinstance(inner_raw, dict):
            for key, value in inner.items():
                if isinstance(value, Record):
                    _place(value, inner_raw.get(key), document, (*loc, name, key))
        elif isinstance(inner, tuple) and isinstance(inner_raw, list):
            for index, value in enumerate(inner):
                if isinstance(value, Record) and index < len(inner_raw):
                    _place(value, inner_raw[index], document, (*loc, name, index))


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
        import difflib  # here, not above: only a problem needs it

        known = _known_fields(model, detail["loc"])
        close = difflib.get_close_matches(field_name, known, n=1)
        hint = (
            said(msg("did_you_mean", "; did you mean '{name}'?"), name=close[0])
            if close
            else said(msg("known_fields", "; known fields: {known}"), known=", ".join(known))
        )
        where = document.locate(full, at_key=True)
        unknown = said(
            msg("unknown_field", "unknown field '{field}'{hint}"), field=field_name, hint=hint
        )
        return Problem(where, "unknown-field", unknown)
    where = document.locate(full)
    if kind == "missing":
        missing = said(
            msg("missing_field_named", "the field '{field}' is missing"), field=field_name
        )
        return Problem(where, "missing-field", missing)
    message = _plain_message(detail)
    if field_name:
        message = said(msg("field_says", "{field}: {message}"), field=field_name, message=message)
    return Problem(where, "invalid-value", message)


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
        said_so = getattr(error, "args", ())
        if said_so and isinstance(said_so[0], Phrase):  # a validator's words, in any language
            return said_so[0]
        return str(error) if error else detail["msg"]
    found = money.describe(value)
    if kind in ("string_type", "str_type"):
        return said(msg("expected_text", "expected text, found {found}"), found=found)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        expected = msg(
            "expected_mapping", "expected a mapping (lines of 'key: value'), found {found}"
        )
        return said(expected, found=found)
    if kind in ("list_type", "tuple_type"):
        expected = msg("expected_list", "expected a list (items starting with '- '), found {found}")
        return said(expected, found=found)
    if kind == "literal_error":
        expected = (detail.get("ctx") or {}).get("expected", "")
        one_of = msg("not_one_of", "{found} is not one of {expected}")
        return said(one_of, found=found, expected=str(expected))
    return str(detail["msg"])


def _unknown_section(document: Document, key: str) -> Problem:
    import difflib  # as in `_problem_from`

    known = sorted([*SECTIONS, *SINGLES, *RECORDING_KEYS])
    close = difflib.get_close_matches(key, known, n=1)
    hint = (
        said(msg("did_you_mean", "; did you mean '{name}'?"), name=close[0])
        if close
        else said(msg("sections_known", "; a file may hold {known}"), known=", ".join(known))
    )
    where = document.locate((key,), at_key=True)
    unknown = said(msg("unknown_section", "unknown section '{key}'{hint}"), key=key, hint=hint)
    return Problem(where, "unknown-section", unknown)
