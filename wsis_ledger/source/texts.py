"""A ledger file's bytes as text: UTF-8 (a byte-order mark dropped), or why not."""

from __future__ import annotations

from pathlib import Path

from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.source.snapshot import read_bytes


def read_text(path: Path, max_bytes: int) -> tuple[str | None, list[Problem]]:
    """The text of the file at `path` (at most `max_bytes`), or None and why."""
    raw, problems = read_bytes(path, max_bytes)
    if raw is None:
        return None, problems
    return decode_text(path, raw)


def decode_text(path: Path, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The text of a file's bytes (UTF-8, a byte-order mark dropped); else None, and why."""
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, as some editors write
        raw = raw[3:]
    wide = _wide_encoding(raw)
    if wide is not None:
        reason = f"the file is {wide} text, not UTF-8 (save the file as UTF-8)"
        return None, [Problem(Where(path), "not-utf8", reason)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        reason = (
            f"the file is not UTF-8 text: byte {raw[error.start]:#04x} at byte offset "
            f"{error.start} cannot be read (save the file as UTF-8)"
        )
        return None, [Problem(Where(path, line, column), "not-utf8", reason)]


_BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _wide_encoding(raw: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when `raw` is written so: by its byte-order mark, or, without
    one, by where its zero bytes fall (every other byte of ASCII text in UTF-16)."""
    for mark, name in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return name
    sample = raw[:4096]
    if b"\x00" not in sample or len(sample) < 4:
        return None
    zeros = [sample[offset::4].count(0) for offset in range(4)]
    quarter = len(sample) // 4
    if sorted(zeros)[1] >= 0.9 * quarter:  # three of every four bytes are zero
        return "UTF-32"
    even, odd = zeros[0] + zeros[2], zeros[1] + zeros[3]
    many, few = max(even, odd), min(even, odd)
    return "UTF-16" if many >= 0.2 * len(sample) / 2 and many >= 4 * few + 1 else None
