"""A hostile review of the partial reparse (`yamlsource.reparse`, `loading._reparse`):
edits chosen to make a part read alone mean something else than the whole file.
Each compares with a whole reading of the new text, and through the CLI with
`--no-cache`."""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

import pytest
from conftest import Run, edit
from test_filecache import assert_same
from test_reparse import BOOK, PATH, read_again

from wsis_ledger.source import filecache, loading
from wsis_ledger.source.cache import RECORDS_FOLDER, cache_dir, code_fingerprint

COMMANDS = [("check",), ("check", "--format", "json"), ("report", "--format", "json")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # A document's end marker as the last line of the part read again: read
        # alone, the part ends there; the whole text goes on, and cannot be read.
        ("    # checked\n", "    # checked\n...\n"),
        ("    # checked\n", "    # checked\n... # end\n"),
        ("    # checked\n", "    # checked\n...\n# after\n\n"),
        ("chf: 104\n    date: 2003-01-05\n", "chf: 104\n    date: 2003-01-05\n...\n"),
        # and a document's start marker, where the part would be two documents
        ("chf: 104\n    date: 2003-01-05\n", "chf: 104\n    date: 2003-01-05\n---\n"),
    ],
)
def test_a_document_marker_in_the_change_is_read_as_the_whole_file_reads_it(
    old: str, new: str
) -> None:
    records = loading._parse(PATH, BOOK)
    assert old in BOOK and not records.problems
    changed = BOOK.replace(old, new, 1)
    whole = loading._parse(PATH, changed)
    assert whole.problems  # the whole text is not one document
    part = read_again(records, BOOK, changed)
    if part is not None:
        assert_same(whole, part)


def test_a_document_end_added_to_an_entry_is_told_as_with_no_cache(
    run: Run, ledger_dir: Path
) -> None:
    annex = ledger_dir / "annex-2002-12-20.yaml"
    text = annex.read_text(encoding="utf-8")
    run("check", "--data", ledger_dir)  # the file's last text kept
    lines = text.splitlines(keepends=True)
    # After the first entry of the annex's `received:` list (the line before the second's dash).
    at = [n for n, line in enumerate(lines) if line.startswith("  - ")]
    received = next(n for n, line in enumerate(lines) if line.startswith("received:"))
    second = [n for n in at if n > received][1]
    lines.insert(second, "...\n")
    annex.write_text("".join(lines), encoding="utf-8")
    for command in COMMANDS:
        cached = run(*command, "--data", ledger_dir)
        fresh = run(*command, "--data", ledger_dir, "--no-cache")
        assert fresh.exit_code != 0
        assert (cached.exit_code, cached.stdout, cached.stderr) == (
            fresh.exit_code,
            fresh.stdout,
            fresh.stderr,
        ), command


@pytest.mark.parametrize(
    ("directive", "tagged"),
    [
        # `!!` made to name another vocabulary: `!!str` is then no plain YAML type
        ("%TAG !! tag:example.com,2000:\n---\n", "chf: !!str 104"),
        ("%TAG !e! tag:example.com,2000:\n---\n", "chf: !e!str 104"),
        ("%TAG ! tag:yaml.org,2002:\n---\n", "chf: !str 104"),  # allowed, read whole
    ],
)
def test_a_tag_in_the_change_means_what_the_files_directives_say(
    directive: str, tagged: str
) -> None:
    text = directive + BOOK
    records = loading._parse(PATH, text)
    assert not records.problems
    changed = text.replace("chf: 104", tagged, 1)
    whole = loading._parse(PATH, changed)
    part = read_again(records, text, changed)
    if part is not None:
        assert_same(whole, part)


def test_a_redefined_tag_handle_is_refused_as_with_no_cache(run: Run, ledger_dir: Path) -> None:
    donors = ledger_dir / "donors.yaml"
    donors.write_text(
        "%TAG !! tag:example.com,2000:\n---\n" + donors.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert run("check", "--data", ledger_dir).exit_code == 0  # the file's last text kept
    text = donors.read_text(encoding="utf-8")
    at = text.index("  - id: ", text.index("  - id: ") + 1)  # the second donor
    donors.write_text(text[:at] + text[at:].replace("id: ", "id: !!str ", 1), encoding="utf-8")
    for command in COMMANDS:
        cached = run(*command, "--data", ledger_dir)
        fresh = run(*command, "--data", ledger_dir, "--no-cache")
        assert fresh.exit_code != 0 and "tag:example.com,2000:str" in fresh.stderr + fresh.stdout
        assert (cached.exit_code, cached.stdout, cached.stderr) == (
            fresh.exit_code,
            fresh.stdout,
            fresh.stderr,
        ), command


BOM_BOOK = (
    "\ufeff# a byte-order mark left in the text (the file began with two)\n"
    "donors:\n  - {id: d1, name: One, kind: government}\n"
    "received:\n  # the first\n  - {id: r1, donor: d1, chf: 5}\n"
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  # the first\n", "  # the first!\n"),
        ("  # the first\n", ""),
        ("  # the first\n", "  # the first\n  - {id: r0, donor: d1, chf: 4}\n"),
    ],
)
def test_a_text_starting_with_a_byte_order_mark_keeps_the_layout_a_whole_reading_finds(
    old: str, new: str
) -> None:
    # The parser does not count a leading U+FEFF in its offsets, Python does: the
    # layout of a part read alone would be one off from the whole file's, and the
    # next edit read in part from a wrong layout.
    records = loading._parse(PATH, BOM_BOOK)
    assert not records.problems and records.layout is not None
    changed = BOM_BOOK.replace(old, new, 1)
    part = read_again(records, BOM_BOOK, changed)
    if part is not None:
        whole = loading._parse(PATH, changed)
        assert_same(whole, part)
        assert part.layout == whole.layout


def test_a_last_text_not_sealed_by_this_cache_is_passed_over(run: Run, ledger_dir: Path) -> None:
    # The file's last text decides which records are kept as they were: a planted
    # one (a text that differs from the new one only in another entry) would keep
    # the old figure of the entry that did change. Like every entry, it is sealed.
    annex = ledger_dir / "annex-2002-12-20.yaml"
    before = annex.read_bytes()
    run("check", "--data", ledger_dir)
    now = before.decode("utf-8").replace("chf: 750", "chf: 751", 1)
    annex.write_text(now, encoding="utf-8")
    planted_text = now.replace("chf: 15000 ", "chf: 15001 ", 1)
    layout = loading._parse(annex, planted_text).layout
    assert layout is not None and planted_text != now
    fingerprint = code_fingerprint()
    old_key = filecache.file_key(fingerprint, annex, hashlib.sha256(before).digest())
    payload = marshal.dumps((old_key, planted_text, [tuple(section) for section in layout]))
    folder = cache_dir()
    assert folder is not None
    last = folder / RECORDS_FOLDER / filecache._last_key(fingerprint, annex)
    assert last.is_file()  # the check above kept the file's text
    last.write_bytes(b"\0" * 32 + payload)
    assert filecache.get_last(fingerprint, annex) is None
    for command in COMMANDS:
        cached = run(*command, "--data", ledger_dir)
        fresh = run(*command, "--data", ledger_dir, "--no-cache")
        assert (cached.exit_code, cached.stdout, cached.stderr) == (
            fresh.exit_code,
            fresh.stdout,
            fresh.stderr,
        ), command


def test_the_last_text_of_a_file_is_one_entry_a_path_kept_sealed(
    run: Run, ledger_dir: Path
) -> None:
    annex = ledger_dir / "annex-2002-12-20.yaml"
    fingerprint = code_fingerprint()
    run("check", "--data", ledger_dir)
    for figure in range(751, 756):  # edits in a row: one last text, rewritten
        edit(annex, r"chf: 75\d\b", f"chf: {figure}")
        run("check", "--data", ledger_dir)
        found = filecache.get_last(fingerprint, annex)
        assert found is not None and found[1] == annex.read_text(encoding="utf-8")
    folder = cache_dir()
    assert folder is not None
    last = folder / RECORDS_FOLDER / filecache._last_key(fingerprint, annex)
    sealed = last.read_bytes()
    last.write_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]))  # one bit of the text changed
    assert filecache.get_last(fingerprint, annex) is None
