"""Which ledger a command reads: --data, $WSIS_LEDGER_DATA, ./data, the shipped copy."""

from __future__ import annotations

import filecmp
import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import ANNEX, ReportJson, Run, edit

from wsis_ledger.source.discovery import (
    ENVIRONMENT_VARIABLE,
    holds_ledger,
    packaged_ledger,
    shipped_ledger,
)

PROJECT_DATA = Path(__file__).resolve().parent.parent / "data"


def bump(ledger: Path) -> None:
    """Change Sweden's amount and the stated total together: a ledger told apart by its total."""
    edit(ledger / ANNEX, r"^    chf: 317660$", "    chf: 317670")
    edit(ledger / ANNEX, r"received: 2243419", "received: 2243429")


def test_shipped_ledger_from_anywhere(run: Run, tmp_path: Path, report_json: ReportJson) -> None:
    assert report_json()["totals"]["received"] == "2243419"


def test_dot_data_is_read_when_it_holds_a_ledger(
    run: Run, ledger_dir: Path, tmp_path: Path, report_json: ReportJson
) -> None:
    bump(ledger_dir)
    shutil.copytree(ledger_dir, tmp_path / "data")
    assert report_json()["totals"]["received"] == "2243429"


def test_dot_data_without_a_ledger_is_passed_over(
    run: Run, tmp_path: Path, report_json: ReportJson
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "notes.yaml").write_text("x: 1\n")
    assert report_json()["totals"]["received"] == "2243419"


def test_environment_variable_comes_before_dot_data(
    run: Run,
    ledger_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    report_json: ReportJson,
) -> None:
    shutil.copytree(shipped_ledger(), tmp_path / "data")
    bump(ledger_dir)
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(ledger_dir))
    assert report_json()["totals"]["received"] == "2243429"


def test_data_option_comes_first(
    run: Run, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch, report_json: ReportJson
) -> None:
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(shipped_ledger()))
    bump(ledger_dir)
    assert report_json("--data", ledger_dir)["totals"]["received"] == "2243429"


@pytest.mark.parametrize("command", ["report", "check"])
def test_a_missing_data_folder_is_a_usage_error(run: Run, tmp_path: Path, command: str) -> None:
    result = run(command, "--data", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_a_folder_without_ledger_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("check", "--data", tmp_path)
    assert result.exit_code == 2
    assert "holds no ledger (no ledger.yaml)" in result.output


def test_a_bad_environment_variable_is_a_usage_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(tmp_path / "nowhere"))
    result = run("report")
    assert result.exit_code == 2
    assert ENVIRONMENT_VARIABLE in result.output


def test_the_shipped_ledger_is_the_projects_data() -> None:
    """The packaged copy is built from data/, file for file; without one (an editable
    install) the project's data/ is read, and a build would put it where it is looked for."""
    assert PROJECT_DATA.is_dir(), "the tests run from the project (or its sdist), beside data/"
    names = sorted(p.relative_to(PROJECT_DATA) for p in PROJECT_DATA.rglob("*") if p.is_file())
    shipped = shipped_ledger()
    if not holds_ledger(packaged_ledger()):
        assert shipped.resolve() == PROJECT_DATA.resolve()
        pyproject = tomllib.loads((PROJECT_DATA.parent / "pyproject.toml").read_text("utf-8"))
        built = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
        where = packaged_ledger().resolve().relative_to(PROJECT_DATA.parent.resolve())
        assert built == {"data": where.as_posix()}
        return
    assert shipped.resolve() != PROJECT_DATA.resolve()
    assert names == sorted(p.relative_to(shipped) for p in shipped.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(PROJECT_DATA, shipped, [str(n) for n in names], False)
    assert (mismatch, errors) == ([], [])
