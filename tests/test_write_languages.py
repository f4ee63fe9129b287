"""Every write says what it did (or in a dry run would do) in the language asked for, from
the catalogs: its message, the files it wrote, the printed totals still differing; its JSON
`message` stays English (scripts read it), and ledger text is shown as escaped as ever."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run
from test_write_results import WRITES, arguments, fund, prepare  # noqa: F401 (a fixture)

from wsis_ledger.core.language import LANGUAGES, word
from wsis_ledger.render.labels import VALUES

OTHERS = [lang for lang in LANGUAGES if lang != "en"]
#: The English words of what a write prints as text: none is left in another language.
ENGLISH = (
    "recorded",
    "would ",
    "acknowledged",
    "created",
    "wrote",
    "dry run",
    "nothing was written",
    " added",
    "already in the ledger",
    " per ",
    "remains",
    "the write",
)


def wrote_line(lang: str, dry_run: bool) -> str:
    """The start of the line naming the files, in `lang`."""
    if dry_run:
        text = word(lang, "would_write_files", "would write {files} (dry run: nothing was written)")
    else:
        text = word(lang, "wrote_files", "wrote {files}")
    return text.split("{files}")[0]


@pytest.mark.parametrize("lang", OTHERS)
@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_says_what_it_did_in_the_language(
    run: Run,
    fund: Path,  # noqa: F811 (the fixture imported above)
    name: str,
    lang: str,
) -> None:
    prepare(run, name, fund)
    # the JSON message stays English, whatever the language
    english = json.loads(run(*arguments(name, fund, "--dry-run", "--format", "json")).stdout)
    asked = run(*arguments(name, fund, "--dry-run", "--format", "json", "--lang", lang))
    assert json.loads(asked.stdout)["message"] == english["message"]
    for dry_run in (True, False):
        extra = ["--dry-run"] if dry_run else []
        result = run(*arguments(name, fund, *extra, "--lang", lang))
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert wrote_line(lang, dry_run) in out
        assert all(f in out for f in english["files"]), out
        words = out
        for name_of_file in english["files"]:  # a file's name is no word of a message
            words = words.replace(name_of_file, "")
        left = [w for w in ENGLISH if w in words]
        assert left == [], f"English words left in {name} --lang {lang}: {left}\n{out}"
        if name == "init":
            break  # the new folder exists now: a second init is refused


def test_a_payment_is_said_in_french_with_its_status_and_what_remains(run: Run, fund: Path) -> None:  # noqa: F811
    args = ("receive", "p1", "--amount", "1000", "--date", "2003-04-02", "--data", fund)
    dry = run(*args, "--dry-run", "--lang", "fr").stdout.splitlines()
    status = word("fr", "value", "partly paid")
    assert status != VALUES["partly paid"].text  # the catalog's French, not the English
    assert (
        dry
        == [
            f"serait enregistré p1-pay-1 : annonce p1 : {status} ; reste 9\u202f000 CHF",  # a narrow no-break space, as French groups
            "écrirait : journal/2003-04-02-p1-pay-1.yaml (essai : rien n'a été écrit)",
        ]
    )
    done = run(*args, "--lang", "fr").stdout.splitlines()
    assert (
        done
        == [
            f"enregistré p1-pay-1 : annonce p1 : {status} ; reste 9\u202f000 CHF",  # a narrow no-break space, as French groups
            "écrit : journal/2003-04-02-p1-pay-1.yaml",
        ]
    )


def test_the_english_messages_are_as_they_were(run: Run, fund: Path) -> None:  # noqa: F811
    result = run("close", "--through", "2003-03-31", "--data", fund, "--dry-run")
    assert result.stdout.startswith("would record close-2003-03-31-1: the period through ")
    assert "2003-03-31 is closed (2 records)\nwould write journal/" in result.stdout
    rows = fund.parent / "rows.csv"
    result = run("import", rows, "--data", fund)
    assert result.stdout.splitlines()[-1].startswith("1 row added, 0 already in the ledger; wrote ")


def test_russian_counts_records_in_its_own_plural_forms(run: Run, fund: Path) -> None:  # noqa: F811
    result = run("close", "--through", "2003-03-31", "--data", fund, "--lang", "ru")
    assert "(2 записи)" in result.stdout  # two: the paucal form
    acknowledged = run(
        *("statement", "add", "s1", "--as-of", "2003-12-31", "--source", "x"),
        *("--stated-received", "1", "--data", fund, "--lang", "ar"),
    )
    # the printed total that differs is said in Arabic above check's own line for it
    assert "تمت الكتابة" in acknowledged.stderr and "the write went" not in acknowledged.stderr


def test_ledger_text_in_a_translated_message_is_shown_escaped(run: Run, tmp_path: Path) -> None:
    for n, extra in enumerate(([], ["--dry-run"])):
        folder = tmp_path / f"ev{n}\n::error file=ci.yml::injected\x1b[2J\u202e"
        result = run("init", folder, "--name", "X", "--lang", "ar", *extra)
        assert result.exit_code == 0, result.output
        assert not any(line.startswith("::") for line in result.output.splitlines())
        assert "U+000A::error" in result.output and "\x1b" not in result.output
        assert "\u202e" not in result.output and "U+202E" in result.output


def test_a_document_written_to_a_file_is_said_written_in_the_language(
    run: Run, tmp_path: Path
) -> None:
    for command in (["report"], ["rates", "list"], ["accounts"], ["export", "--format", "csv"]):
        target = tmp_path / f"{command[0]}.out"
        result = run(*command, "--lang", "es", "-o", target)
        assert result.exit_code == 0, result.output
        assert result.stderr.strip() == f"escrito: {target}", command
        assert target.is_file()


def test_a_refused_write_and_a_refused_import_say_so_in_the_language(
    run: Run,
    fund: Path,  # noqa: F811
) -> None:
    too_much = run("receive", "p1", "--amount", "20000", "--date", "2003-04-02", "--data", fund)
    assert too_much.exit_code == 1 and "Error: nothing was written" in too_much.stderr
    result = run(
        *("receive", "p1", "--amount", "20000", "--date", "2003-04-02", "--data", fund),
        *("--lang", "fr"),
    )
    assert result.exit_code == 1 and "Error: rien n'a été écrit" in result.stderr
    rows = fund.parent / "bad.csv"
    rows.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
        "receipt,Nobody,1,CHF,,,2003-04-01,,X\nreceipt,Nobody,2,CHF,,,2003-04-01,,Y\n",
        encoding="utf-8",
    )
    english = run("import", rows, "--data", fund)
    assert "Error: 2 problems; nothing was imported" in english.stderr
    russian = run("import", rows, "--data", fund, "--lang", "ru")
    assert russian.exit_code == 1
    assert "Error: 2 проблемы; ничего не импортировано" in russian.stderr  # the paucal form


def test_the_problems_of_a_refused_write_are_told_in_the_language(
    run: Run,
    fund: Path,  # noqa: F811
) -> None:
    args = ("receive", "p1", "--amount", "20000", "--date", "2003-04-02", "--data", fund)
    assert "the new record: the payments of pledge 'p1'" in run(*args).stderr
    spanish = run(*args, "--lang", "es").stderr
    assert "el nuevo registro: " in spanish and "the new record" not in spanish
    rows = fund.parent / "many.csv"
    rows.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
        + "".join(f"receipt,Nobody,{n},CHF,,,2003-04-01,,X{n}\n" for n in range(1, 6)),
        encoding="utf-8",
    )
    french = run("import", rows, "--data", fund, "--lang", "fr").stderr
    assert "(idem sur 5 lignes : lignes 2, 3, 4, 5, 6, …)" in french
    assert "the same on" not in french


def test_a_write_to_the_shipped_ledger_and_a_missing_rate_are_refused_in_the_language(
    run: Run,
) -> None:
    args = ("receive", "p01", "--amount", "1", "--date", "2003-01-01")
    assert "the ledger shipped with the tool is read-only" in run(*args).output
    spanish = run(*args, "--lang", "es")
    assert spanish.exit_code == 2 and "es de solo lectura: indique --data DIR" in spanish.output
    fetch = ("rates", "fetch", "XOF", "--date", "2003-02-14", "--source", "ecb-offline")
    assert "Error: no XOF rate for 2003-02-14 from ecb-offline" in run(*fetch).output
    french = run(*fetch, "--lang", "fr").output
    assert "Error: pas de taux XOF pour le 14 février 2003 auprès de ecb-offline" in french
