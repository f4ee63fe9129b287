"""`init` refuses in the language asked for, from the catalogs: a folder that is not empty,
a `--copy-of` that holds no ledger; the folder's name is shown escaped. (A folder that is a
file click refuses itself, before `init` runs.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.core.language import LANGUAGES, word

OTHERS = [lang for lang in LANGUAGES if lang != "en"]


@pytest.mark.parametrize("lang", OTHERS)
def test_init_refuses_a_folder_in_the_language_asked(run: Run, tmp_path: Path, lang: str) -> None:
    full = tmp_path / "full\x1b[2J"
    full.mkdir()
    (full / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run("init", full, "--lang", lang)
    assert result.exit_code == 2
    told = word(lang, "init_not_empty", "{folder} is not empty: a new ledger needs an empty folder")
    assert told != "{folder} is not empty: a new ledger needs an empty folder"
    expected = told.format(folder=str(full).replace("\x1b", "U+001B"))
    assert " ".join(expected.split()) in " ".join(result.output.split()), result.output
    assert "\x1b" not in result.output and "not empty" not in result.output
    assert (full / "notes.txt").read_text(encoding="utf-8") == "mine\n"  # nothing written


@pytest.mark.parametrize("lang", OTHERS)
def test_init_refuses_a_copy_of_no_ledger_in_the_language_asked(
    run: Run, tmp_path: Path, lang: str
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("init", tmp_path / "new", "--copy-of", empty, "--lang", lang)
    assert result.exit_code == 2
    told = word(lang, "init_no_ledger", "{origin} holds no ledger (no ledger.yaml)")
    expected = " ".join(told.format(origin=empty).split())
    assert expected in " ".join(result.output.split()), result.output
    assert "holds no ledger" not in result.output
    assert not (tmp_path / "new").exists()
