"""The output cache: repeated runs answer without reading the ledger, never stale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ANNEX, Run, edit

from wsis_ledger import answers
from wsis_ledger.source import loading, store


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The ledger folders loaded (each time a command is not answered from its cache)."""
    seen: list[Path] = []
    real = loading.load

    def counting(root: Path, overlay: object = None, **options: object) -> object:
        seen.append(root)
        return real(root, overlay, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "load", counting)
    return seen


def test_a_repeated_check_is_answered_from_the_cache(
    run: Run, ledger_dir: Path, loads: list[Path]
) -> None:
    first = run("check", "--data", ledger_dir)
    second = run("check", "--data", ledger_dir)
    assert (second.exit_code, second.output) == (first.exit_code, first.output)
    assert len(loads) == 1


def test_a_changed_byte_or_a_new_file_loads_the_ledger_again(
    run: Run, ledger_dir: Path, loads: list[Path]
) -> None:
    """The printed answer is not reused: the ledger is loaded (its changed file read again)."""
    assert run("check", "--data", ledger_dir).exit_code == 0
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    result = run("check", "--data", ledger_dir)
    assert result.exit_code == 3
    assert "stated total received" in result.output
    assert len(loads) == 2
    (ledger_dir / "more.yaml").write_text("donors: []\n")  # a new file changes the key too
    run("check", "--data", ledger_dir)
    assert len(loads) == 3


def test_problems_and_exit_codes_come_back_the_same(
    run: Run, ledger_dir: Path, loads: list[Path]
) -> None:
    edit(ledger_dir / ANNEX, r"donor: wmo", "donor: nobody")
    first, second = run("check", "--data", ledger_dir), run("check", "--data", ledger_dir)
    assert first.exit_code == second.exit_code == 1
    assert first.output == second.output
    assert len(loads) == 1


def test_options_are_part_of_the_key(run: Run, loads: list[Path]) -> None:
    outputs = {
        run("report", "--format", fmt, "--lang", lang).output
        for fmt in ("table", "json")
        for lang in ("en", "zh")
    }
    assert len(outputs) == 4 and len(loads) == 4
    run("report", "--format", "json", "--lang", "zh")
    assert len(loads) == 4


def test_no_cache_reads_afresh(run: Run, loads: list[Path]) -> None:
    run("check")
    run("check", "--no-cache")
    assert len(loads) == 2


def test_the_cache_lives_in_the_users_cache_folder(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    before = sorted(ledger_dir.rglob("*"))
    run("check", "--data", ledger_dir)
    assert sorted(ledger_dir.rglob("*")) == before
    assert list((tmp_path / "cache" / "wsis-ledger" / answers.ANSWERS_FOLDER).iterdir())


def test_a_cache_hit_imports_neither_yaml_nor_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from wsis_ledger.commands.main import cli\n"
        "try:\n"
        "    cli(['check'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('yaml', 'pydantic', 'wsis_ledger.core.models') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("WSIS_LEDGER_DATA", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=True,
        )
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.startswith("ok: ")
    assert runs[0].stderr.strip() == "['pydantic', 'wsis_ledger.core.models', 'yaml']"
    assert runs[1].stderr.strip() == "[]"


def test_a_changed_module_of_the_tool_means_a_full_load(
    run: Run, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("check")
    monkeypatch.setattr(store, "code_fingerprint", lambda: "another build")
    run("check")
    assert len(loads) == 2
