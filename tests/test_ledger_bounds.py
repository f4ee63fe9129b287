"""A ledger's files are bounded in all, not only one by one: the bytes read, the files
and the folders listed. Past a bound the rest is not read, and the ledger has a
`ledger-too-large` problem (exit 1, one line, no traceback), never an unbounded read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.api import shipped_ledger
from wsis_ledger.source import discovery, snapshot


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """The shipped ledger, and three more files of entries in folders of their own."""
    root = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), root)
    for n in range(3):
        folder = root / f"part-{n}"
        folder.mkdir()
        (folder / "notes.yaml").write_text(
            f"# part {n}\nreceived:\n" if n else "received:\n", encoding="utf-8"
        )
    return root


def told(run: Run, root: Path) -> str:
    result = run("check", "--data", root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "ledger-too-large" in run("check", "--data", root, "--format", "json").stdout
    return result.output


def test_the_ledger_as_it_is_is_within_every_bound(ledger: Path, run: Run) -> None:
    assert run("check", "--data", ledger).exit_code == 0


def test_bytes_read_in_all_are_bounded(
    ledger: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = discovery.ledger_files(ledger)
    within = sum(p.stat().st_size for p in files[:2])  # the first two files, not the third
    monkeypatch.setattr(snapshot, "MAX_LEDGER_BYTES", within + 1)
    output = told(run, ledger)
    limit = f"{within + 1:,}".replace(",", " ")
    assert f"{files[2].name}: the ledger's files come to more than the {limit} bytes" in output


def test_files_listed_are_bounded(ledger: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "MAX_LEDGER_FILES", 3)
    output = told(run, ledger)
    assert "more than 3 files" in output, output


def test_folders_listed_are_bounded(
    ledger: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discovery, "MAX_LEDGER_FOLDERS", 2)
    output = told(run, ledger)
    assert "or 2 folders" in output, output
    assert len(discovery.scan(ledger).folders) == 2  # the rest not listed


def test_records_made_in_all_are_bounded_and_the_caches_agree(
    ledger: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 64 MB of one-line entries is some 1.7 million records (1.85 GB): the bytes' bound
    # alone does not bound a check's memory. Past the bound nothing more is made.
    from wsis_ledger.source import loading

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))

    def check(bound: int) -> Run:
        # The bound is the code's (its fingerprint keys every cache): changed here, the
        # printed answers are let go; the per-file records stay, and must not pass it.
        monkeypatch.setattr(loading, "MAX_LEDGER_RECORDS", bound)
        shutil.rmtree(cache / "wsis-ledger" / "answers", ignore_errors=True)
        return run

    answers = []
    for plain in ("1", "", ""):  # the plain path; with the per-file cache empty, then full
        monkeypatch.setenv("WSIS_LEDGER_PLAIN", plain)
        assert check(1_000_000)("check", "--data", ledger).exit_code == 0
        answers.append(told(check(5), ledger))
    assert "the last " in answers[0] and "items of this file are not read" in answers[0]
    assert "this file is not read, nor any file after it" in answers[0], answers[0]
    assert len(set(answers)) == 1, answers
