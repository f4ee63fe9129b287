"""A file read again in part after an edit (`loading._reparse`, `yamlsource.reparse`)
gives exactly what reading it whole gives: every record, its values and their
types, the fields given, its place (line, column, loc), and every problem.

The property test applies random edits, several in a row, each time to the
records the last reading made (kept and read back as the per-file cache does),
and compares with a whole reading of the new text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_filecache import assert_same

from wsis_ledger.source import filecache, loading
from wsis_ledger.source.filecache import FileRecords

PATH = Path("book.yaml")


def entry(number: int, style: int, indent: str = "  ") -> str:
    """An item of `received:`, in one of the ways people write them."""
    inner = indent + "  "
    if style == 0:
        return (
            f"{indent}- id: r{number}\n{inner}donor: d1\n{inner}chf: {100 + number}\n"
            f"{inner}date: 2003-01-0{1 + number % 9}\n"
        )
    if style == 1:
        return f"{indent}- {{id: r{number}, donor: d2, chf: {number + 1}}}\n"
    if style == 2:
        return (
            f"{indent}- id: r{number}\n{inner}donor: d2\n{inner}amount: 10.50\n"
            f"{inner}currency: USD\n{inner}rate: 1.5\n{inner}chf: 16\n{inner}# checked\n\n"
        )
    return (
        f"{indent}-   id: r{number}  # spaced\n{inner}  donor: d1\n{inner}  chf: '{number + 1}'\n"
    )


DONORS = (
    "donors:\n"
    "  - id: d1\n    name:\n      en: One\n      zh: 一\n    kind: government\n"
    "  - {id: d2, name: Two, kind: un-system}\n"
    "  - id: d3\n    name: {en: Three}\n    aliases: [Tri, 'T']\n    kind: government\n"
)
STATEMENT = "statement:\n  id: s1\n  title: Statement\n  as_of: 2003-12-31\n"


@st.composite
def ledger_files(draw: st.DrawFn) -> str:
    """A file of several sections: donors with nested names, entries in several
    styles (one list possibly written without indentation), pledges, a statement."""
    indent = draw(st.sampled_from(["  ", "", "    "]))
    styles = draw(st.lists(st.integers(0, 3), min_size=1, max_size=7))
    received = "received:\n" + "".join(
        entry(number, style, indent) for number, style in enumerate(styles)
    )
    pledges = draw(st.integers(0, 3))
    pledged = "pledged:\n" + "".join(
        f"  - {{id: p{n}, donor: d1, amount: {n + 1}00, currency: CHF}}\n" for n in range(pledges)
    )
    parts = [DONORS, received, "# the pledges\n\n" + pledged if pledges else ""]
    parts = draw(st.permutations(parts))
    statement = draw(st.sampled_from(["", "first", "last"]))
    text = "".join(parts)
    if statement == "first":
        text = STATEMENT + text
    elif statement == "last":
        text += STATEMENT
    return text


SNIPPETS = [
    '"', "[", "{", ": :", "&a ", "*a ", "!!python/name:x ", "---\n", "...\n", "? ", "\t",
    "- ", "#", "\n", " ", "x", "0", "  - id: new\n    donor: d1\n    chf: 1\n",
    "  - {id: r0, donor: d1, chf: 1}\n", "chf: 2\n", "received:\n", "pledged:\n",
]  # fmt: skip
VALUES = ["5", "x", "2003-02-30", "1.50", "''", "null", "[1, 2]", "-3", "{a: 1}", "d9"]
ITEM = re.compile(r"^( *)- ", re.MULTILINE)


def item_spans(text: str) -> list[tuple[int, int]]:
    """Where each item of a block list starts and ends (by its dash and the next one)."""
    starts = [match.start() for match in ITEM.finditer(text)]
    ends = [*starts[1:], len(text)]
    spans = []
    for start, end in zip(starts, ends, strict=True):
        key = re.search(r"^\S", text[start + 1 : end], re.MULTILINE)  # a section after it
        spans.append((start, start + 1 + key.start() if key else end))
    return spans


#: The kinds of edit (a value changed twice as often as the others).
EDITS = "value value insert delete duplicate comment blank snippet rename indent start end cut"


@st.composite
def edits(draw: st.DrawFn, text: str) -> str:
    """`text` changed once, in one of the ways an editor (or a mistake) changes it."""
    kind = draw(st.sampled_from(EDITS.split()))
    event(f"edit: {kind}")
    lines = text.splitlines(keepends=True)
    spans = item_spans(text)
    if kind == "value":
        values = [m for m in re.finditer(r"(?<=: )[^\s{},\[\]#][^,}\n#]*", text)]
        if values:
            found = draw(st.sampled_from(values))
            return text[: found.start()] + draw(st.sampled_from(VALUES)) + text[found.end() :]
    if kind in ("delete", "duplicate") and spans:
        start, end = draw(st.sampled_from(spans))
        if kind == "delete":
            return text[:start] + text[end:]
        return text[:end] + text[start:end] + text[end:]
    if kind == "rename":
        keys = [m for m in re.finditer(r"^\w+(?=:)", text, re.MULTILINE)]
        if keys:
            found = draw(st.sampled_from(keys))
            name = draw(st.sampled_from(["recieved", "pledged", "received", "donors", "notes"]))
            return text[: found.start()] + name + text[found.end() :]
    if kind == "indent" and lines:
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        lines[at] = line[1:] if line.startswith(" ") and draw(st.booleans()) else " " + line
        return "".join(lines)
    if kind in ("insert", "comment", "blank"):
        at = draw(st.integers(0, len(lines)))
        added = {
            "insert": entry(draw(st.integers(0, 9)), draw(st.integers(0, 3))),
            "comment": draw(st.sampled_from(["# c\n", "    # c\n", "  #\n"])),
            "blank": draw(st.sampled_from(["\n", "   \n"])),
        }[kind]
        return "".join([*lines[:at], added, *lines[at:]])
    if kind == "start":
        return draw(st.sampled_from(SNIPPETS)) + text if draw(st.booleans()) else text[1:]
    if kind == "end":
        return text + draw(st.sampled_from(SNIPPETS)) if draw(st.booleans()) else text[:-1]
    at = draw(st.integers(0, len(text)))
    if kind == "cut":
        return text[:at] + text[at + draw(st.integers(1, 12)) :]
    return text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]


def read_again(previous: FileRecords, old_text: str, new_text: str) -> FileRecords | None:
    """What the loader does when a file's bytes changed: the last reading's records,
    kept and read back placed in the new text, then only the changed items read."""
    assert previous.layout is not None
    kept = filecache.decode(filecache.encode(previous), new_text)
    return loading._reparse(PATH, new_text, kept, old_text, previous.layout)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_a_file_read_again_in_part_is_the_file_read_whole(data: st.DataObject) -> None:
    text = data.draw(ledger_files())
    records = loading._parse(PATH, text)
    for _ in range(data.draw(st.integers(1, 4))):
        new_text = data.draw(edits(text))
        whole = loading._parse(PATH, new_text)
        if records.layout is not None and not records.problems:
            part = read_again(records, text, new_text)
            event("read in part" if part is not None else "read whole")
            if part is None and not whole.problems:
                event("read whole, though the new text has no problem")
            if part is not None:
                assert_same(whole, part)
                assert part.layout == whole.layout
                records = part
            else:
                records = whole
        else:
            records = whole
        text = new_text


BOOK = DONORS + "received:\n" + "".join(entry(n, n % 4) for n in range(8)) + STATEMENT


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("chf: 104", "chf: 1040"),  # a value
        ("  - {id: r1, donor: d2, chf: 2}\n", ""),  # an item removed
        ("  - {id: r5, donor: d2, chf: 6}\n", "  - {id: r5, donor: d2, chf: 6}\n" * 2),
        ("    # checked\n", "    # checked\n  - {id: new, donor: d1, chf: 7}\n\n\n"),
        ("      en: One\n", "      en: Uno\n"),  # a nested record, before the entries
        ("  - {id: d2, name: Two, kind: un-system}\n", ""),  # the entries move up
    ],
)
def test_common_edits_read_only_what_changed(old: str, new: str) -> None:
    records = loading._parse(PATH, BOOK)
    assert old in BOOK and not records.problems
    changed = BOOK.replace(old, new, 1)
    part = read_again(records, BOOK, changed)
    assert part is not None  # read in part, and the same as whole:
    assert_same(loading._parse(PATH, changed), part)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("received:\n", "recieved:\n"),  # a key line
        ("chf: 104", "chf: [104"),  # broken YAML
        ("chf: 104", "chf: -104"),  # an invalid entry: its problem is told by a whole reading
        ("chf: 104\n", "chf: 104\nreceived:\n"),  # a key given twice
        ("chf: 104", 'chf: "104'),  # a quote left open
        ("  - {id: r1", "  -  {id: r1"),  # an item's dash line changed: still fine
    ],
)
def test_edits_that_need_the_whole_file_are_read_whole(old: str, new: str) -> None:
    records = loading._parse(PATH, BOOK)
    changed = BOOK.replace(old, new, 1)
    whole = loading._parse(PATH, changed)
    part = read_again(records, BOOK, changed)
    if part is not None:
        assert_same(whole, part)
    else:
        assert whole.problems or new.startswith("  -  ")
