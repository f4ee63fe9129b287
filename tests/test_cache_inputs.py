"""What the answers cache's key covers beyond options and file bytes: the folder's
listing as a whole, and the installed files of the libraries."""

from __future__ import annotations

from pathlib import Path

from conftest import Run

from wsis_ledger import answers
from wsis_ledger.source import store
from wsis_ledger.source.snapshot import LedgerFiles


def test_a_link_to_nowhere_is_said_by_every_run(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    """A problem of the folder's listing is no file's bytes: a ledger with one is not
    answered from an entry made without it, nor kept."""
    clean = run("check", "--data", ledger_dir)
    assert clean.exit_code == 0
    (ledger_dir / "gone").symlink_to(tmp_path / "nowhere")
    assert answers.key(LedgerFiles(ledger_dir), ("check", "table", "")) is None
    for _ in range(2):
        broken = run("check", "--data", ledger_dir)
        fresh = run("check", "--data", ledger_dir, "--no-cache")
        assert (broken.exit_code, broken.output) == (fresh.exit_code, fresh.output)
        assert broken.exit_code == 1 and "leads nowhere" in broken.output
    (ledger_dir / "gone").unlink()
    assert run("check", "--data", ledger_dir).output == clean.output


def test_the_key_notes_every_installed_file_of_the_libraries() -> None:
    """Each library is fingerprinted by every file its RECORD lists, not its
    `__init__.py` alone: a module changed below it is another key."""
    fingerprint = store.code_fingerprint()
    assert "click" in store.DISTRIBUTIONS and "PyYAML" in store.DISTRIBUTIONS
    for module in (
        "click/__init__.py:",
        "click/core.py:",
        "pydantic/fields.py:",
        "yaml/cyaml.py:",
        # the ECB reference rates the warnings of `check` and `report` are judged by
        "currency_converter/eurofxref-hist.zip:",
    ):
        assert f"/{module}" in fingerprint, module
    assert "not installed" not in fingerprint
