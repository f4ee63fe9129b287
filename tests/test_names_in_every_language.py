"""A donor's name in every language the ledger gives: `import` finds the donor by any of
them (and by its aliases), and the SQLite export carries each, in columns added at the end."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.render.sqlite_schema import SCHEMA_VERSION, TABLES

NAMES = {
    "en": "Government of Sweden",
    "zh": "瑞典政府",
    "fr": "Gouvernement de la Suède",
    "es": "Gobierno de Suecia",
    "ru": "Правительство Швеции",
    "ar": "حكومة السويد",
}
LEDGER = f"""\
fund:
  id: test
  name: {{en: Test fund, fr: Fonds d'essai}}
donors:
  - id: sweden
    name: {json.dumps(NAMES, ensure_ascii=False)}
    kind: government
    aliases: [Suède]
  - {{id: alpha, name: Alpha, kind: government}}
"""
STATEMENT = """\
statement:
  id: s1
  as_of: 2003-12-31
  title: {en: Report of 2003, es: Informe de 2003}
  source: the report
"""


@pytest.fixture
def fund(tmp_path: Path) -> Path:
    root = tmp_path / "fund"
    root.mkdir()
    (root / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    (root / "report-2003.yaml").write_text(STATEMENT, encoding="utf-8")
    return root


def test_import_finds_a_donor_by_its_name_in_every_language(
    run: Run, fund: Path, tmp_path: Path
) -> None:
    names = [*NAMES.values(), "Suède", "gouvernement de la suede"]  # an alias; accents apart
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
        + "".join(
            f'receipt,"{name}",100,CHF,,,2003-04-0{n + 1},,R-{n}\n' for n, name in enumerate(names)
        ),
        encoding="utf-8",
    )
    result = run("import", rows, "--data", fund, "--format", "json")  # no --add-donors
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [row["donor"] for row in document["rows"]] == ["sweden"] * len(names)
    assert run("check", "--data", fund).exit_code == 0


def test_a_name_of_no_donor_is_still_refused(run: Run, fund: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
        "receipt,Gouvernement de la Norvège,100,CHF,,,2003-04-01,,R-1\n",
        encoding="utf-8",
    )
    result = run("import", rows, "--data", fund)
    assert result.exit_code == 1 and "Norvège" in result.output


#: The columns of each table with names as released in schema version 2: they keep their
#: places; a later column is added after them.
RELEASED = {
    "funds": ("fund_id", "name_en", "name_zh", "as_of", "generated", "tool", "version"),
    "donors": ("fund_id", "id", "name_en", "name_zh", "kind", "iati_id", "file", "line"),
    "statements": (
        *("fund_id", "id", "title_en", "title_zh", "as_of", "source"),
        *("stated_received_text", "stated_pledged_text", "file", "line"),
    ),
}


def test_the_named_tables_keep_their_released_columns_and_add_every_language() -> None:
    assert SCHEMA_VERSION >= 3
    for table, released in RELEASED.items():
        columns = tuple(TABLES[table])
        assert columns[: len(released)] == released, table
        word = "title" if table == "statements" else "name"
        added = columns[len(released) :]
        assert added[:4] == tuple(f"{word}_{lang}" for lang in ("fr", "es", "ru", "ar")), table


def test_the_database_names_each_donor_in_every_language_the_ledger_gives(
    run: Run, fund: Path, tmp_path: Path
) -> None:
    database = tmp_path / "funds.sqlite"
    result = run("export", "--format", "sqlite", "-o", database, "--data", fund)
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        donors = {
            row[0]: row[1:]
            for row in connection.execute(
                "SELECT id, name_en, name_zh, name_fr, name_es, name_ru, name_ar FROM donors"
            )
        }
        fund_names = connection.execute("SELECT name_en, name_fr, name_ar FROM funds").fetchall()
        titles = connection.execute(
            "SELECT title_en, title_es, title_fr FROM statements"
        ).fetchall()
    assert donors["sweden"] == tuple(NAMES[lang] for lang in ("en", "zh", "fr", "es", "ru", "ar"))
    # a name not given in a language is null: never the English in its place
    assert donors["alpha"] == ("Alpha", None, None, None, None, None)
    assert fund_names == [("Test fund", "Fonds d'essai", None)]
    assert titles == [("Report of 2003", "Informe de 2003", None)]


def test_the_accounts_page_marks_a_name_in_another_language_with_its_own(run: Run) -> None:
    arabic = run("accounts", "--format", "html", "--lang", "ar").stdout
    # the ledger names Japan in English and Chinese only: in English on an Arabic page
    assert '<td class="d1"><span lang="en" dir="auto">Government of Japan</span></td>' in arabic
    assert '<h1><span lang="en" dir="auto">' in arabic  # the fund's name too
    chinese = run("accounts", "--format", "html", "--lang", "zh").stdout
    assert '<td class="d1">日本政府</td>' in chinese  # the page's own language: unmarked
    assert "<span lang" not in run("accounts", "--format", "html").stdout
