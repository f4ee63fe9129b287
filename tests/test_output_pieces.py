"""Outputs are printed and written a piece at a time (issue 15: a large report is not
encoded whole a second time); the bytes are those of the text encoded whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.commands import options
from wsis_ledger.write.files import replace_output_file

# Characters of one, two, three and four bytes in UTF-8, placed so that pieces
# start and end in the middle of runs of each.
TEXT = ("a" * 7 + "é" * 5 + "日本" * 3 + "𝄞" * 2 + "\n") * 40


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 64, len(TEXT), len(TEXT) + 1])
def test_pieces_make_the_text_and_its_encoding(piece: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(options, "PIECE", piece)
    assert "".join(options.pieces(TEXT)) == TEXT
    assert b"".join(options.encoded(TEXT)) == TEXT.encode("utf-8")
    assert list(options.pieces("")) == []


def test_a_file_written_in_pieces_is_the_file_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(options, "PIECE", 5)
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    whole, pieces = tmp_path / "whole.json", tmp_path / "pieces.json"
    replace_output_file(whole, TEXT.encode("utf-8"), ledger)
    replace_output_file(pieces, options.encoded(TEXT), ledger)
    assert pieces.read_bytes() == whole.read_bytes() == TEXT.encode("utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_json_written_by_hand_leaves_nothing_for_the_cyclic_collector(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its pieces go when it returns: a writer that refers to itself (a cycle) held
    all of them until the collector ran, and commands run with it off. (The standard
    library's indenting encoder, which writes the rest of the document, leaves a
    few dozen objects of its own, whatever the size of the report.)"""
    import gc

    from wsis_ledger import api
    from wsis_ledger.render.report import render

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    report = api.open_ledger(ledger_dir).position()
    gc.collect()
    gc.disable()
    try:
        text = render(report, "json")
        assert gc.collect() < 100
    finally:
        gc.enable()
    assert text == render(report, "json", shortcuts=False)


@pytest.mark.parametrize("where", ["stdout", "file"])
def test_a_streamed_report_is_the_report_made_whole(
    where: str, ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """A report's JSON made a piece at a time (above STREAMED_JSON_ENTRIES) is the
    same bytes as made whole, to standard output or to a file, and is not kept in
    the output cache (which keeps answers whole)."""
    from wsis_ledger.answers import ANSWERS_FOLDER
    from wsis_ledger.render import json_out

    def report(*options: str) -> bytes:
        args: list[str | Path] = ["report", "--format", "json", "--data", ledger_dir, *options]
        target = tmp_path / "report.json"
        if where == "file":
            args += ["-o", target]
        result = run(*args)
        assert result.exit_code == 0, result.output
        return target.read_bytes() if where == "file" else result.stdout_bytes

    def kept() -> list[Path]:
        return [p for p in (tmp_path / "cache").rglob("*") if p.parent.name == ANSWERS_FOLDER]

    whole = report("--no-cache")
    monkeypatch.setattr(json_out, "STREAMED_JSON_ENTRIES", 0)
    monkeypatch.setattr(json_out, "JSON_PIECE", 7)
    assert report() == whole
    assert kept() == []
    assert report() == whole  # made again, the same
    monkeypatch.setattr(json_out, "STREAMED_JSON_ENTRIES", 10**9)
    assert report() == whole
    assert len(kept()) == 1  # an answer made whole is kept, as before


def test_an_output_to_a_named_pipe_or_a_device_writes_to_it_and_keeps_it(
    tmp_path: Path, ledger_dir: Path, run: Run
) -> None:
    """`-o /dev/null` or `-o` a named pipe writes to it: replacing it with a file
    (as a regular file is replaced) would, for root, replace the device itself."""
    import os
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    result = run("report", "--format", "json", "--data", ledger_dir, "-o", pipe)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    expected = run("report", "--format", "json", "--data", ledger_dir).stdout_bytes
    assert received == [expected]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    result = run("report", "--data", ledger_dir, "-o", os.devnull)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)

    folder = tmp_path / "folder"
    folder.mkdir()
    result = run("report", "--data", ledger_dir, "-o", folder)
    assert result.exit_code != 0 and "Traceback" not in result.output
