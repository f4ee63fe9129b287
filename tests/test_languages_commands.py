"""`--lang` on every command that prints words (the rates commands, log, import, every
write), the same option everywhere; CSV and JSON keep their English keys and plain values."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from conftest import Run

from wsis_ledger.commands import options
from wsis_ledger.commands.main import cli
from wsis_ledger.core.language import LANGUAGES, translate, word
from wsis_ledger.render.labels import LABELS, VALUES, label

ROOT = Path(__file__).resolve().parent.parent
FUND = ROOT / "examples" / "fund"
OTHERS = [lang for lang in LANGUAGES if lang != "en"]

#: Commands that print no words of the tool's own, and why (each is a choice, not an omission).
WORDLESS = {
    "convert": "prints one amount in plain digits and CHF, for a script to read",
}


def commands() -> Iterator[tuple[str, click.Command]]:
    """Every command click can run, by its full name (`loan status`), through the tree."""
    context = click.Context(cli)

    def walk(group: click.Group, prefix: str) -> Iterator[tuple[str, click.Command]]:
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None
            full = f"{prefix} {name}".strip()
            if isinstance(command, click.Group):
                yield from walk(command, full)
            else:
                yield full, command

    yield from walk(cli, "")


def test_every_command_that_prints_words_takes_the_one_lang_option() -> None:
    lacking, other = [], []
    for name, command in commands():
        langs = [p for p in command.params if "--lang" in getattr(p, "opts", ())]
        if not langs:
            if name not in WORDLESS:
                lacking.append(name)
            continue
        (lang,) = langs
        choices = getattr(lang.type, "choices", ())
        # the shared option: its choices, and its default from LANGUAGE/LC_ALL/LANG
        if tuple(choices) != LANGUAGES or lang.default is not options.environment_language:
            other.append(name)
    assert lacking == [], f"print words but take no --lang: {lacking}"
    assert other == [], f"a --lang of their own, not the shared one: {other}"
    assert set(WORDLESS) <= {name for name, _ in commands()}


@pytest.mark.parametrize("lang", OTHERS)
def test_rates_list_speaks_the_language_and_its_csv_and_json_do_not(run: Run, lang: str) -> None:
    table = run("rates", "list", "--lang", lang).output
    assert label("used_by", lang) in table and "Used by" not in table
    assert translate(VALUES["derived"], lang) in table
    for fmt in ("csv", "json"):
        english = run("rates", "list", "--format", fmt).stdout
        assert run("rates", "list", "--format", fmt, "--lang", lang).stdout == english


@pytest.mark.parametrize("lang", OTHERS)
def test_rates_check_headings_notes_and_verdict_speak_the_language(run: Run, lang: str) -> None:
    english = run("rates", "check").output
    assert "compared with the reference rate statement date 2002-12-20" in english
    assert "3 of 10 rates differ from the ecb-offline reference" in english
    result = run("rates", "check", "--lang", lang)
    assert result.exit_code == 0, result.output
    out = result.output
    assert label("deviation_percent", lang) in out
    assert "Deviation" not in out and "compared with" not in out and "differ from" not in out
    assert "the statement's calendar year" not in out  # the range's words too
    note = word(lang, "compared_with", "{entry}: compared with the reference rate {basis}")
    assert note.split("{basis}")[0].format(entry="p01") in out
    # the flagged count, the checked count and the source stay as they are, in the verdict
    verdict = out.strip().splitlines()[-1]
    assert "3" in verdict and "10" in verdict and "ecb-offline" in verdict
    for fmt in ("csv", "json"):
        plain = run("rates", "check", "--format", fmt).stdout
        assert run("rates", "check", "--format", fmt, "--lang", lang).stdout == plain


def test_rates_check_dates_its_notes_as_the_language_does(run: Run) -> None:
    out = run("rates", "check", "--lang", "fr").output
    assert "p01 : comparé au taux de référence à la date de l'état, le 20 décembre 2002" in out
    assert "du 1 janvier 2002 au 20 décembre 2002" in out


@pytest.mark.parametrize("lang", OTHERS)
def test_log_heads_its_table_in_the_language(run: Run, lang: str) -> None:
    table = run("log", "--data", FUND, "--lang", lang).output
    assert label("recorded_by", lang) in table and "Recorded by" not in table
    assert "Recorded by" in run("log", "--data", FUND).output
    plain = run("log", "--data", FUND, "--format", "json").stdout
    assert run("log", "--data", FUND, "--format", "json", "--lang", lang).stdout == plain


CSV = """\
type,donor,amount,currency,chf,rate,date,purpose,reference
receipt,Government of Sweden,50000,CHF,,,2005-02-03,core/unrestricted,SE-1
"""


@pytest.fixture
def fund(run: Run, tmp_path: Path) -> Path:
    root = tmp_path / "fund"
    result = run("init", root, "--name", "WSIS fund", "--as-of", "2005-01-01")
    assert result.exit_code == 0, result.output
    (root / "donors.yaml").write_text(
        "donors:\n  - id: sweden\n    name: {en: Government of Sweden}\n    kind: government\n",
        encoding="utf-8",
    )
    (tmp_path / "rows.csv").write_text(CSV, encoding="utf-8")
    return root


@pytest.mark.parametrize("lang", OTHERS)
def test_import_heads_its_table_and_names_each_row_in_the_language(
    run: Run, fund: Path, lang: str
) -> None:
    rows = fund.parent / "rows.csv"
    result = run("import", "--data", fund, rows, "--dry-run", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert translate(LABELS["import_status"], lang) in result.output
    assert translate(VALUES["would add"], lang) in result.output
    assert translate(VALUES["receipt"], lang) in result.output
    assert "would add" not in result.output.splitlines()[2]  # the row, not only the heading
    document = json.loads(
        run("import", "--data", fund, rows, "--dry-run", "--format", "json", "--lang", lang).stdout
    )
    assert [(r["status"], r["type"]) for r in document["rows"]] == [("would add", "receipt")]


def test_the_language_of_a_rates_table_comes_from_the_environment(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "es")
    assert label("used_by", "es") in run("rates", "list").output
    assert label("entry", "es") in run("rates", "check", "--all").output


def test_the_columns_left_out_of_a_narrow_table_are_named_in_the_language(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(options, "terminal_width", lambda: 60)
    out = run("rates", "list", "--lang", "fr").output
    note = "(non affichées, pour tenir sur 60 colonnes : Source ; --wide les affiche)"
    assert note in " ".join(out.split())  # wrapped to the width
    assert "not shown" not in out


@pytest.mark.parametrize(
    "command",
    [("pledges",), ("report",), ("rates", "list"), ("loan", "status"), ("donor", "sdc")],
    ids=" ".join,
)
def test_a_ledger_refused_says_why_in_the_language(
    run: Run, ledger_dir: Path, command: tuple[str, ...]
) -> None:
    with (ledger_dir / "donors.yaml").open("a", encoding="utf-8") as donors:
        donors.write("  - {id: japan, name: Japan again, kind: government}\n")
    english = run(*command, "--data", ledger_dir)
    assert english.exit_code == 1
    assert (
        "is used twice" in english.stderr and "Error: the ledger has 1 problem;" in english.stderr
    )
    french = run(*command, "--data", ledger_dir, "--lang", "fr")
    assert french.exit_code == 1
    assert "Error: le registre compte 1 problème ;" in french.stderr
    assert "is used twice" not in french.stderr and "the ledger has" not in french.stderr
