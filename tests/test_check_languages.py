"""`check` tells its problems and warnings in the six languages: every message the checks
can give is in every catalog, with its placeholders, and no English is left in it; and a
ledger with problems is told in French and Arabic, each at its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from conftest import Run, edit

from wsis_ledger.core import language
from wsis_ledger.core.language import Message, Plural, said

ROOT = Path(__file__).resolve().parent.parent / "wsis_ledger"
#: Where the messages of `check`'s problems and warnings are made: every check (compute/),
#: the line that counts those not told (core/problems.py), the acknowledged lines (check),
#: the records' fields and sections as the files are read (source/loading.py, and a
#: value's kind in words: core/money.py).
TOLD_BY_CHECK = (
    "compute",
    "core/problems.py",
    "commands/check.py",
    "source/loading.py",
    "core/money.py",
    "core/stated.py",
    "core/fields.py",
    "core/dates.py",
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: What stays as written in every language: a field of the ledger quoted or naming it
#: (`chf:`, `'rate'`, `fund: approval: approvers:`), a currency's or a bank's code, a
#: command and its options, the package the reference rates come from, YAML's words.
NOT_ENGLISH = re.compile(
    r"'[^']*'|\b[a-z_]+[:：]|\b(?:CHF|ECB|NAME)\b|[A-Z]{3}\b|wsis-ledger [a-z ]+|--[a-z]+"
    r"|currencyconverter|[\w.-]+\.yaml|(?<![A-Za-z])(?:true|false)(?![A-Za-z])|YYYY-MM-DD|[a-z]+/[a-z]+"
)


def told_by_check() -> list[Message | Plural]:
    """Every message marked (`msg`, `plural`) where `check`'s problems are made, as
    pybabel extracts it: found from the code, not listed here."""
    keywords = parse_keywords(["msg:1c,2", "plural:1c,2,3"])
    found: dict[tuple[str, object], Message | Plural] = {}
    for place in TOLD_BY_CHECK:
        path = ROOT / place
        folder, pattern = (path, "**.py") if path.is_dir() else (path.parent, path.name)
        for _, _, text, _, key in extract_from_dir(
            str(folder), method_map=[(pattern, "python")], keywords=keywords
        ):
            found[(key, text)] = (
                Plural(key, *text) if isinstance(text, tuple) else Message(key, text)
            )
    return list(found.values())


def test_the_messages_are_found_in_the_code() -> None:
    keys = {message.key for message in told_by_check()}
    # A few of the checks' own, and the line for problems not told.
    assert {"duplicate_id", "no_such_record", "rate_disagrees", "more_problems"} <= keys
    assert len(keys) > 40


def sample(message: Message | Plural, count: int = 3) -> dict[str, object]:
    english = message.text if isinstance(message, Message) else message.plural
    values: dict[str, object] = {name: f"«{name}»" for name in PLACEHOLDER.findall(english)}
    if isinstance(message, Plural):
        values["count"] = count
    return values


@pytest.mark.parametrize("lang", [lang for lang in language.LANGUAGES if lang != "en"])
def test_every_message_of_check_is_told_in_each_language_with_no_english_left(
    lang: str,
) -> None:
    untold, english_left = [], []
    for message in told_by_check():
        for count in (1, 2, 3, 5, 11, 100) if isinstance(message, Plural) else (1,):
            values = sample(message, count)
            phrase = said(message, **values)
            text = phrase.in_language(lang)
            # Every value is there, as it was given: none lost, none added.
            assert sorted(PLACEHOLDER.findall(text)) == [], (lang, message, text)
            assert all(str(value) in text for name, value in values.items() if name != "count")
            english = message.text if isinstance(message, Message) else message.plural
            # A message of words (not only placeholders and punctuation, `{field}: {message}`)
            # reads otherwise in another language; one word may read the same (`phase`).
            worded = len(re.findall(r"[A-Za-z]+", PLACEHOLDER.sub("", english))) > 1
            if text == str(phrase) and worded:
                untold.append(message)
            rest = NOT_ENGLISH.sub("", PLACEHOLDER.sub("", _template(message, lang, count)))
            if lang in ("ar", "zh", "ru") and re.search(r"[A-Za-z]{2,}", rest):
                english_left.append((message, rest))
    assert untold == [], f"{lang}: told in English"
    assert english_left == [], f"{lang}: English left"


def _template(message: Message | Plural, lang: str, count: int) -> str:
    if isinstance(message, Plural):
        return language.catalog(lang).npgettext(
            message.key, message.singular, message.plural, count
        )
    return language.translate(message, lang)


def test_english_is_the_message_as_it_always_was() -> None:
    for message in told_by_check():
        values = sample(message)
        english = message.text if isinstance(message, Message) else message.plural
        assert said(message, **values) == english.format_map(values)
        assert said(message, **values).in_language("en") == english.format_map(values)


@pytest.fixture
def broken(ledger_dir: Path) -> Path:
    """The shipped ledger with two problems: an id written twice, a donor that does not
    exist."""
    annex = ledger_dir / "annex-2002-12-20.yaml"
    edit(annex, r"^  - id: r01$", "  - id: r02")
    edit(annex, r"donor: japan$", "donor: nippon")
    return annex


@pytest.mark.parametrize(
    ("lang", "twice", "unknown", "summary"),
    [
        (
            "fr",
            "l'identifiant 'r02' (écriture) est utilisé deux fois "
            "(première occurrence : annex-2002-12-20.yaml:50)",
            "donor : aucun enregistrement 'nippon' (donateur)",
            "2 problèmes dans 1 fichier.",
        ),
        (
            "ar",
            "المعرِّف 'r02' (قيد) مستخدَم مرتين (أول مرة في annex-2002-12-20.yaml:50)",
            "donor: لا يوجد 'nippon' (جهة مانحة)",
            "2 مشكلتان (1 ملف).",
        ),
        (
            "en",
            "the entry id 'r02' is used twice (first at annex-2002-12-20.yaml:50)",
            "donor: there is no donor 'nippon'",
            "2 problems in 1 file.",
        ),
    ],
)
def test_check_tells_the_problems_in_the_language_asked_at_their_file_and_line(
    run: Run, broken: Path, lang: str, twice: str, unknown: str, summary: str
) -> None:
    result = run("check", "--data", broken.parent, "--lang", lang)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    path = str(broken.relative_to(Path.cwd()))
    assert lines == [f"{path}:56:9: {twice}", f"{path}:51:12: {unknown}", summary]


def test_check_takes_its_language_from_the_environment_and_github_annotations_too(
    run: Run, broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "fr_CH.UTF-8")
    result = run("check", "--data", broken.parent, "--format", "github")
    assert "::error file=" in result.output
    assert ",line=51,col=12,title=unknown-reference::donor : aucun enregistrement 'nippon'" in (
        result.output
    )
    # JSON keeps its English messages, which scripts read.
    document = run("check", "--data", broken.parent, "--format", "json").output
    assert "there is no donor 'nippon'" in document and "aucun" not in document


def test_a_problem_found_reading_a_file_is_told_in_the_language_asked_cached_or_not(
    run: Run, ledger_dir: Path
) -> None:
    annex = ledger_dir / "annex-2002-12-20.yaml"
    edit(annex, r"^    donor: japan$", "    donor: japan\n    dnor: japan")
    path = str(annex.relative_to(Path.cwd()))
    told = {
        "fr": "champ inconnu 'dnor' ; vouliez-vous dire 'donor' ?",
        "ru": "неизвестное поле 'dnor'; возможно, имелось в виду 'donor'?",
        "en": "unknown field 'dnor'; did you mean 'donor'?",
    }
    for _ in ("read", "from the cache"):
        for lang, message in told.items():
            result = run("check", "--data", ledger_dir, "--lang", lang)
            assert result.exit_code == 1
            assert result.output.splitlines()[0] == f"{path}:52:5: {message}"


def test_a_command_refusing_a_ledger_with_problems_tells_them_in_its_language(
    run: Run, broken: Path
) -> None:
    result = run("report", "--data", broken.parent, "--lang", "fr")
    assert result.exit_code == 1
    assert "donor : aucun enregistrement 'nippon' (donateur)" in result.stderr
    assert (
        "le registre compte 2 problèmes ; rien n'est affiché tant qu'ils ne sont pas corrigés"
        in result.stderr
    )
    english = run("report", "--data", broken.parent).stderr
    assert "the ledger has 2 problems; nothing is shown until they are fixed" in english


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_check_says_the_file_it_wrote_in_the_language_asked(
    run: Run, ledger_dir: Path, tmp_path: Path, lang: str
) -> None:
    target = tmp_path / "check.txt"
    result = run("check", "--data", ledger_dir, "--lang", lang, "-o", target)
    assert result.exit_code == 0, result.output
    told = language.word(lang, "wrote_files", "wrote {files}")
    assert told != "wrote {files}"  # the catalog has it in this language
    assert result.stderr.strip() == told.format(files=target)
    assert "wrote" not in result.stderr
    printed = run("check", "--data", ledger_dir, "--lang", lang).stdout
    assert target.read_text(encoding="utf-8") == printed  # the file holds what check prints
