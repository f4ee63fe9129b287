"""The gettext catalogs: complete, current, compiled as committed, and the Chinese
catalog's words from the source where it says it took them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from wsis_ledger.core import language

ROOT = Path(__file__).resolve().parent.parent
SOURCE_ZH = Path("/work/shared/source/wsis-report-2003.zh.txt")
#: The words the source prints that the issue names: the Chinese catalog must take them.
ANNEX_WORDS = ("日元", "美元", "欧元", "加元", "瑞士法郎", "{count}名专家", "经费概算", "合计")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def catalog_path(lang: str, suffix: str) -> Path:
    return language.LOCALE_DIR / lang / "LC_MESSAGES" / f"wsis_ledger.{suffix}"


def read(lang: str):  # type: ignore[no-untyped-def]
    with open(catalog_path(lang, "po"), "rb") as po:
        return read_po(po, locale=lang)


def in_code() -> set[tuple[str, str]]:
    """Every (key, English) marked in the package, as pybabel extracts it (scripts/catalogs.py)."""
    found = set()
    keywords = parse_keywords(["msg:1c,2", "word:2c,3", "counted:2c,3,4", "plural:1c,2,3"])
    for _, _, message, _, context in extract_from_dir(
        str(ROOT / "wsis_ledger"),
        method_map=[("**.py", "python")],
        keywords=keywords,
    ):
        assert context, f"a word without its key: {message!r}"
        found.add((context, message))
    return found


def entries(lang: str) -> dict[tuple[str, str], str]:
    """Each (key, English) and its translation; a counted word's forms joined by `|`
    (each form must be there: as many as the language's Plural-Forms says)."""
    found = {}
    catalog = read(lang)
    for m in catalog:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            forms = tuple(m.string)
            complete = len(forms) == catalog.num_plurals and all(forms)
            found[(m.context, m.id)] = "|".join(forms) if complete else ""
        else:
            found[(m.context, m.id)] = m.string
    return found


@pytest.mark.parametrize("lang", language.LANGUAGES)
def test_each_catalog_holds_every_word_of_the_code_and_no_other(lang: str) -> None:
    code, catalog = in_code(), entries(lang)
    assert len(code) > 100  # the extraction found the labels
    missing, stale = sorted(code - catalog.keys()), sorted(catalog.keys() - code)
    assert missing == [], f"{lang}: not in the catalog (python scripts/catalogs.py): {missing}"
    assert stale == [], f"{lang}: in the catalog, no longer in the code: {stale}"
    untranslated = sorted(k for k, v in catalog.items() if not v)
    assert untranslated == [], f"{lang}: no translation yet: {untranslated}"
    assert not [m.id for m in read(lang) if m.fuzzy and m.id], f"{lang}: fuzzy entries"


@pytest.mark.parametrize("lang", language.LANGUAGES)
def test_a_translation_keeps_the_placeholders_of_its_english(lang: str) -> None:
    wrong = {
        key: text
        for key, text in entries(lang).items()
        if any(
            sorted(set(PLACEHOLDER.findall(form))) != sorted(set(PLACEHOLDER.findall(english)))
            for form in text.split("|")
            for english in (key[1] if isinstance(key[1], tuple) else (key[1],))
        )
    }
    assert wrong == {}


@pytest.mark.parametrize("lang", language.LANGUAGES)
def test_the_committed_mo_is_its_po_compiled(lang: str) -> None:
    """The .mo files are committed (so a fresh clone's `pip install -e .` has them);
    they must be exactly what pybabel compile makes of the .po beside them."""
    out = io.BytesIO()
    write_mo(out, read(lang))
    assert catalog_path(lang, "mo").read_bytes() == out.getvalue(), (
        f"{lang}: the .mo is stale: python scripts/catalogs.py"
    )


def test_a_catalog_changes_the_words_and_only_english_falls_back() -> None:
    label = language.msg("total", "Total")
    words = {lang: language.translate(label, lang) for lang in language.LANGUAGES}
    assert words["en"] == "Total" and words["zh"] == "合计" and words["ru"] == "Итого"
    assert language.translate(language.msg("no such key", "As written"), "fr") == "As written"


@pytest.mark.skipif(not SOURCE_ZH.exists(), reason="the Chinese source text is not here")
def test_the_chinese_catalog_takes_the_sources_words_where_it_says_so() -> None:
    source = SOURCE_ZH.read_text(encoding="utf-8")
    taken = {
        m.string: m.id for m in read("zh") if m.id and any("source:" in c for c in m.user_comments)
    }
    for word in ANNEX_WORDS:
        assert word in taken, f"{word} is not marked as the source's word"
    not_there = [
        text
        for text in taken
        if not all(part in source for part in PLACEHOLDER.split(text) if part.strip())
    ]
    assert not_there == []
    # The marked words are the ones the tables print: e.g. each currency the source names.
    assert {language.translate(language.msg("currency_code", c), "zh") for c in ("JPY", "USD")} == {
        "日元",
        "美元",
    }


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "en"),
        ({"LANG": "fr_CH.UTF-8"}, "fr"),
        ({"LANG": "de_CH.UTF-8"}, "en"),
        ({"LC_ALL": "ar_EG.UTF-8", "LANG": "fr_FR.UTF-8"}, "ar"),
        ({"LANGUAGE": "zh_CN:en", "LC_ALL": "ru_RU.UTF-8"}, "zh"),
        ({"LANGUAGE": "", "LANG": "es_ES@euro"}, "es"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_the_default_language_comes_from_the_environment(
    environ: dict[str, str], lang: str
) -> None:
    assert language.from_environment(environ) == lang
