"""What the output cache's key covers beyond options and file bytes: the folder's
listing as a whole, and click."""

from __future__ import annotations

from pathlib import Path

from conftest import Run

from wsis_ledger.source import cache


def test_a_link_to_nowhere_is_said_by_every_run(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    """A problem of the folder's listing is no file's bytes: a ledger with one is not
    answered from an entry made without it, nor kept."""
    clean = run("check", "--data", ledger_dir)
    assert clean.exit_code == 0
    (ledger_dir / "gone").symlink_to(tmp_path / "nowhere")
    assert cache.key(ledger_dir, "check", "table", "") is None
    for _ in range(2):
        broken = run("check", "--data", ledger_dir)
        fresh = run("check", "--data", ledger_dir, "--no-cache")
        assert (broken.exit_code, broken.output) == (fresh.exit_code, fresh.output)
        assert broken.exit_code == 1 and "leads nowhere" in broken.output
    (ledger_dir / "gone").unlink()
    assert run("check", "--data", ledger_dir).output == clean.output


def test_the_key_notes_click() -> None:
    """click prints every answer: an upgrade of it is another key."""
    assert "click" in cache.LIBRARIES
    assert "/click/__init__.py:" in cache.code_fingerprint()
