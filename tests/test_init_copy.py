"""`init --copy-of`: a ledger to work on, copied byte for byte from another (or the shipped one)."""

from __future__ import annotations

import builtins
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import ANNEX, Run, edit

from wsis_ledger.source.discovery import shipped_ledger


def test_a_copy_of_the_shipped_ledger_is_the_same_and_writable(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    result = run("init", target, "--copy-of", "shipped")
    assert result.exit_code == 0, result.output
    shipped = sorted(p.relative_to(shipped_ledger()) for p in shipped_ledger().rglob("*.yaml"))
    assert sorted(p.relative_to(target) for p in target.rglob("*.yaml")) == shipped
    for name in shipped:
        assert (target / name).read_bytes() == (shipped_ledger() / name).read_bytes()
    paid = run("receive", "p02", "--amount", "1000", "--rate", "0.92", "--date", "2003-03-15",
               "--data", target)  # fmt: skip
    assert paid.exit_code == 0, paid.output


def test_a_copy_is_refused_into_a_folder_in_use_or_from_a_broken_ledger(
    run: Run, tmp_path: Path, ledger_dir: Path
) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    result = run("init", taken, "--copy-of", "shipped")
    assert result.exit_code == 2 and "not an empty folder" in result.output
    assert [p.name for p in taken.iterdir()] == ["notes.txt"]
    result = run("init", tmp_path / "x", "--copy-of", tmp_path / "nowhere")
    assert (
        result.exit_code == 2
        and "--copy-of" in result.output
        and "holds no ledger" in result.output
    )
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    result = run("init", tmp_path / "y", "--copy-of", ledger_dir)
    assert result.exit_code == 1 and "nothing was copied" in result.output
    assert not (tmp_path / "y").exists()


def test_a_copy_reads_each_file_once_and_writes_the_bytes_it_checked(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source"
    assert run("init", source, "--copy-of", "shipped").exit_code == 0
    reads: list[Path] = []
    opener = io.open

    def counted(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, Path)) and Path(file).is_relative_to(source):
            reads.append(Path(file))
        return opener(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counted)
    monkeypatch.setattr(io, "open", counted)  # Path.read_bytes opens through io.open
    target = tmp_path / "mine"
    result = run("init", target, "--copy-of", source)
    assert result.exit_code == 0, result.output
    monkeypatch.undo()
    files = sorted(source.rglob("*.yaml"))
    assert sorted(reads) == files  # each file of the source once, no more
    for path in files:
        assert (target / path.relative_to(source)).read_bytes() == path.read_bytes()


def test_a_copy_takes_the_documents_its_records_name(run: Run, tmp_path: Path) -> None:
    """A loan drawing's document, a file in the ledger folder, is copied with the
    ledger, byte for byte: the copy is valid as the source is; a document changed
    since it was recorded stops the copy before anything is written."""
    source, target = tmp_path / "source", tmp_path / "copy"
    assert run("init", source, "--copy-of", "shipped").exit_code == 0
    (source / "letters").mkdir()
    (source / "letters" / "decision.pdf").write_bytes(b"%PDF-1.4 Council decision\r\n\x00\xff")
    drawn = run("loan", "draw", "1000", "--date", "2003-01-15", "--use", "PrepCom",
                "--document", "letters/decision.pdf", "--data", source)  # fmt: skip
    assert drawn.exit_code == 0, drawn.output
    result = run("init", target, "--copy-of", source)
    assert result.exit_code == 0, result.output
    copied = target / "letters" / "decision.pdf"
    assert copied.read_bytes() == (source / "letters" / "decision.pdf").read_bytes()
    assert run("check", "--data", target).exit_code == 0
    (source / "letters" / "decision.pdf").write_bytes(b"another letter")
    refused = run("init", tmp_path / "again", "--copy-of", source)
    assert refused.exit_code == 1 and "changed" in refused.output
    assert not (tmp_path / "again").exists()
