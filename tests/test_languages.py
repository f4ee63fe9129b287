"""Every command that prints words prints them in each of the six languages; figures in
CSV, JSON and XLSX stay plain numbers whatever the language; names come from the ledger."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import Run, edit

from wsis_ledger.core.language import LANGUAGES, msg, translate
from wsis_ledger.render.labels import LABELS

#: Each command that prints labels, with a label its table shows.
COMMANDS = [
    (("report",), "donor"),
    (("accounts",), None),
    (("donor", "japan"), "kind"),
    (("pledges",), "status"),
    (("budget",), "line_budget"),
    (("loan", "status"), "lender"),
    (("statements",), "stated"),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("args", "key"), COMMANDS, ids=lambda a: " ".join(a) if a else "")
def test_each_command_speaks_each_language(
    run: Run, args: tuple[str, ...], key: str | None, lang: str
) -> None:
    result = run(*args, "--lang", lang)
    assert result.exit_code == 0, result.output
    if key is not None:
        assert translate(LABELS[key], lang) in result.output
    if lang != "en" and key is not None:
        english = LABELS[key].text
        # the English label is gone, unless the language writes the word the same way
        assert english not in result.output or translate(LABELS[key], lang) == english


def test_the_accounts_are_titled_in_each_language(run: Run) -> None:
    titles = {
        "fr": "États financiers",
        "ar": "البيانات المالية",
        "zh": "财务报表",
        "ru": "Финансовые ведомости",
    }
    for lang, title in titles.items():
        assert title in run("accounts", "--lang", lang, "--format", "markdown").output
    assert (
        translate(msg("accounts_title", "Financial statements"), "es")
        in run("accounts", "--lang", "es").output
    )


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_csv_and_json_figures_do_not_change_with_the_language(run: Run, lang: str) -> None:
    for args in (("pledges", "--format", "csv"), ("loan", "status", "--format", "csv")):
        theirs = list(csv.reader(io.StringIO(run(*args, "--lang", lang).output)))
        ours = list(csv.reader(io.StringIO(run(*args, "--lang", "en").output)))
        assert theirs[0] == ours[0]  # field names
        # every figure as plain digits, the same; only a donor's name may be in `lang`
        assert [[c for c in r if c.replace(".", "").isdigit()] for r in theirs] == [
            [c for c in r if c.replace(".", "").isdigit()] for r in ours
        ]
        assert any(c.isdigit() and len(c) > 3 for r in ours for c in r)
    english = json.loads(run("report", "--format", "json").output)
    other = json.loads(run("report", "--format", "json", "--lang", lang).output)
    assert other["totals"] == english["totals"]
    amounts = [r["chf"] for r in other["received"]["entries"]]
    assert amounts == [r["chf"] for r in english["received"]["entries"]]
    assert all(isinstance(a, str) and a.replace(".", "").isdigit() for a in amounts)


def test_an_arabic_workbook_reads_from_the_right_with_plain_numbers(
    run: Run, tmp_path: Path
) -> None:
    books = {}
    for lang in ("ar", "en"):
        target = tmp_path / f"{lang}.xlsx"
        result = run("export", "--format", "xlsx", "--lang", lang, "-o", target)
        assert result.exit_code == 0, result.output
        books[lang] = openpyxl.load_workbook(target)
    arabic, english = books["ar"], books["en"]
    assert all(sheet.sheet_view.rightToLeft for sheet in arabic.worksheets)
    assert not any(sheet.sheet_view.rightToLeft for sheet in english.worksheets)
    assert arabic.worksheets[0].title == "نبذة"
    numbers = [
        [c.value for c in row if isinstance(c.value, int | float)]
        for sheet in english.worksheets[1:]
        for row in sheet.iter_rows()
    ]
    same = [
        [c.value for c in row if isinstance(c.value, int | float)]
        for sheet in arabic.worksheets[1:]
        for row in sheet.iter_rows()
    ]
    assert numbers == same and any(numbers)


def test_a_name_given_in_a_language_is_shown_in_it_else_the_english_one(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    edit(
        ledger_dir / "donors.yaml",
        r"name: \{en: Government of Japan, zh: 日本政府\}",
        "name: {en: Government of Japan, zh: 日本政府, fr: Gouvernement du Japon}",
    )
    french = run("report", "--data", ledger_dir, "--lang", "fr").output
    spanish = run("report", "--data", ledger_dir, "--lang", "es").output
    assert "Gouvernement du Japon" in french and "Government of Japan" not in french
    assert "Government of Japan" in spanish and "Gouvernement du Japon" not in spanish
    page = tmp_path / "fr.html"
    run("report", "--data", ledger_dir, "--lang", "fr", "--format", "html", "-o", page)
    html = page.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert ">Gouvernement du Japon<" in html  # in the page's language: no mark of its own
    assert '<span lang="en">Government of Malta</span>' in html  # no French name: English


def test_the_language_comes_from_the_environment_when_not_given(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "ru_RU.UTF-8")
    assert translate(LABELS["donor"], "ru") in run("pledges").output
    monkeypatch.setenv("LANGUAGE", "de_DE.UTF-8")  # not one of the six: English
    assert "Donor" in run("pledges").output
    monkeypatch.setenv("LANGUAGE", "ru")
    assert "Donor" in run("pledges", "--lang", "en").output  # --lang wins


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "ok: 3 files, 19 entries, 2 stated totals match"),
        ("fr", "ok : 3 fichiers, 19 écritures, 2 totaux imprimés concordent"),
        ("ru", "в порядке: 3 файла, 19 записей, 2 напечатанных итога совпадают"),
        ("ar", "سليم: 3 ملفات، 19 قيدًا"),
        ("zh", "正常：3个文件，19个条目，2个印刷合计相符"),
    ],
)
def test_check_counts_in_each_languages_own_plural_forms(
    run: Run, lang: str, expected: str
) -> None:
    result = run("check", "--lang", lang)
    assert result.exit_code == 0 and result.output.startswith(expected), result.output
