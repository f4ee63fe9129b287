"""The six official languages of the UN: the words of every output from gettext
catalogs, and numbers and dates as each language writes them (Babel).

A word an output prints is marked where it is written, `msg(key, "English")`: the
key is the gettext context (it tells two uses of one English word apart), the
English text the message id. `pybabel extract` finds every `msg(...)` call
(`babel.cfg`, docs/development.md); the translations live in
`wsis_ledger/locale/<lang>/LC_MESSAGES/wsis_ledger.po` and their compiled `.mo`.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # a command's default language is chosen before anything heavy is imported
    from datetime import date
    from decimal import Decimal

#: The official languages of the UN, in the order the UN lists them (alphabetical in English
#: after Arabic and Chinese is the UN's own order: ar, zh, en, fr, ru, es).
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")

#: The gettext domain and the folder of its catalogs, inside the package.
DOMAIN = "wsis_ledger"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

#: The Babel locale each language's numbers and dates follow.
LOCALES: Mapping[str, str] = {
    "ar": "ar",
    "zh": "zh_Hans",
    "en": "en",
    "fr": "fr",
    "ru": "ru",
    "es": "es",
}

#: The language tag an HTML page or a name in it carries (BCP 47).
TAGS: Mapping[str, str] = {
    "ar": "ar",
    "zh": "zh-Hans",
    "en": "en",
    "fr": "fr",
    "ru": "ru",
    "es": "es",
}

#: Languages written right to left.
RIGHT_TO_LEFT = frozenset({"ar"})


class Message(NamedTuple):
    """A word an output prints: its key (the gettext context) and its English text."""

    key: str
    text: str


def msg(key: str, text: str) -> Message:
    """Mark `text` as a word to translate, under `key` (pybabel extracts `msg(...)` calls)."""
    return Message(key, text)


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (English words where it has none)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def translate(message: Message, lang: str) -> str:
    """`message` in `lang`: the catalog's words, else the English text."""
    return catalog(lang).pgettext(message.key, message.text)


def word(lang: str, key: str, text: str) -> str:
    """A word written in place: `word(lang, "key", "English")` is `msg` and `translate` in one
    (pybabel extracts it too)."""
    return catalog(lang).pgettext(key, text)


def counted(lang: str, key: str, singular: str, plural: str, count: int, **more: object) -> str:
    """A count with its noun as `lang` inflects it (`1 file`, `2 files`; Russian and Arabic
    have more forms): `counted(lang, "files", "{count} file", "{count} files", n)`; `more`
    fills the message's other placeholders."""
    return catalog(lang).npgettext(key, singular, plural, count).format(count=count, **more)


def from_environment(environ: Mapping[str, str]) -> str:
    """The language an output takes when `--lang` is not given: the first of LANGUAGE,
    LC_ALL and LANG that is set, when it names one of the six (`fr_CH.UTF-8` is French);
    else English."""
    for name in ("LANGUAGE", "LC_ALL", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        # LANGUAGE may list several (`fr:en`); the first one set decides.
        first = value.split(":")[0]
        code = first.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
        return code if code in LANGUAGES else "en"
    return "en"


def is_right_to_left(lang: str) -> bool:
    """Whether `lang` is written right to left."""
    return lang in RIGHT_TO_LEFT


#: English and Chinese print figures as the source does (`62 691 030`, `62 691 030日元`:
#: grouped by a space in both of the ITU's texts), so that every figure an output shows can be
#: found in the source as printed; the other four follow their locale (Babel, CLDR).
SOURCE_GROUPING = frozenset({"en", "zh"})


def number(amount: Decimal | int, lang: str) -> str:
    """A number as `lang` writes it, with exactly its own decimals (never rounded, never
    padded): `1 234 567.50` in English, `1 234 567,50` in French (narrow no-break spaces),
    `1.234.567,50` in Spanish."""
    from decimal import Decimal

    value = Decimal(amount)
    if lang in SOURCE_GROUPING or lang not in LOCALES:
        return f"{value:,f}".replace(",", " ")
    from babel.numbers import format_decimal

    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(
        value,
        format=pattern,
        locale=LOCALES[lang],
        decimal_quantization=False,
        numbering_system="default",
    )


def day(value: date, lang: str) -> str:
    """A date as `lang` writes it in a heading or a sentence: ISO 8601 in English and
    Chinese (as the ledger and its source's tables have them), the locale's long form
    in the others (`31 décembre 2003`)."""
    if lang in SOURCE_GROUPING or lang not in LOCALES:
        return value.isoformat()
    from babel.dates import format_date

    return format_date(value, format="long", locale=LOCALES[lang])
