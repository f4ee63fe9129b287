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
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

# `datetime` and `decimal` are light (about 1 ms); imported here, not in each call of
# `_value`, which a large ledger's warnings make hundreds of thousands of (bench/HISTORY.md).

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


class Plural(NamedTuple):
    """A message that names a count (`{count}`): its key and its English forms, one and
    more; a language with more forms has them in its catalog (Russian three, Arabic six)."""

    key: str
    singular: str
    plural: str


def plural(key: str, singular: str, plural: str) -> Plural:
    """Mark a message with a count (pybabel extracts `plural(...)` calls)."""
    return Plural(key, singular, plural)


class Phrase(str):
    """A message with its values, as a user reads it in any language.

    The phrase *is* its English text (a `str`: whatever takes a message takes it, and
    the English every test and script reads is unchanged); `in_language(lang)` writes
    it from `lang`'s catalog. A value is written as `lang` writes it: a `Message`, a
    `Plural` or a `Phrase` in `lang`'s words, a `Decimal` as an amount (`number`), a
    `Signed` amount with its sign, an `Ordinal`, a date as a sentence writes it (`day`),
    a tuple as a list (`, ` in English); any other (an
    id, a quoted excerpt, a line number, a count) as it is. A value is quoted and made
    safe where the phrase is made, as in English: a catalog adds only its own words.
    """

    message: Message | Plural
    values: Mapping[str, object]

    def __new__(
        cls, message: Message | Plural, values: Mapping[str, object], english: str | None = None
    ) -> Phrase:
        text = _written(message, values, "en") if english is None else english
        phrase = super().__new__(cls, text)
        phrase.message, phrase.values = message, values
        return phrase

    def in_language(self, lang: str) -> str:
        """The phrase in `lang` (in English: the phrase itself, as it was made)."""
        return str(self) if lang == "en" else _written(self.message, self.values, lang)

    def __reduce__(self) -> tuple[object, ...]:
        return (Phrase, (self.message, self.values, str(self)))


def said(message: Message | Plural, /, **values: object) -> Phrase:
    """`message` with its `values`: `said(msg("key", "the id '{id}' is used twice"), id=x)`;
    a `Plural` takes its count as `count`."""
    return Phrase(message, values)


def plain(text: str) -> object:
    """A message as `marshal` keeps it (the file cache keeps a file's problems so): a plain
    text as it is, a `Phrase` as its message and values, each plain (`from_plain`)."""
    if not isinstance(text, Phrase):
        return str(text)
    values = tuple((name, _plain_value(value)) for name, value in text.values.items())
    return (isinstance(text.message, Plural), tuple(text.message), values, str(text))


def from_plain(kept: object) -> str:
    """The message `plain` kept: a text, or the `Phrase` it was."""
    if isinstance(kept, str):
        return kept
    assert isinstance(kept, tuple)
    counted_, message, values, english = kept
    made = Plural(*message) if counted_ else Message(*message)
    return Phrase(made, {name: _from_plain_value(value) for name, value in values}, english)


def _plain_value(value: object) -> tuple[object, ...]:

    if isinstance(value, Phrase):
        return ("phrase", plain(value))
    if isinstance(value, Message):
        return ("message", *value)
    if isinstance(value, Signed):
        return ("signed", str(value.amount))
    if isinstance(value, Ordinal):
        return ("ordinal", value.number)
    if isinstance(value, tuple):
        return ("list", tuple(_plain_value(item) for item in value))
    if isinstance(value, Decimal):
        return ("amount", str(value))
    if isinstance(value, date):
        return ("date", value.toordinal())
    if isinstance(value, int) and not isinstance(value, bool):
        return ("int", int(value))
    return ("text", str(value))


def _from_plain_value(kept: tuple[object, ...]) -> object:
    kind, *rest = kept
    if kind == "phrase":
        return from_plain(rest[0])
    if kind == "message":
        return Message(str(rest[0]), str(rest[1]))
    if kind == "signed":
        return Signed(Decimal(str(rest[0])))
    if kind == "ordinal":
        return Ordinal(int(str(rest[0])))
    if kind == "list":
        items = rest[0]
        assert isinstance(items, tuple)
        return tuple(_from_plain_value(item) for item in items)
    if kind == "amount":
        return Decimal(str(rest[0]))
    if kind == "date":
        return date.fromordinal(int(str(rest[0])))
    if kind == "int":
        return int(str(rest[0]))
    return str(rest[0])


class Signed(NamedTuple):
    """An amount written with its sign, `+25` (a difference)."""

    amount: Decimal


class Ordinal(NamedTuple):
    """A place in a series, `3rd` in English (`no. 3` where a language has no short form
    that agrees with every noun)."""

    number: int


def english_ordinal(number: int) -> str:
    """`1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`."""
    teen = 10 <= number % 100 <= 20
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _written(message: Message | Plural, values: Mapping[str, object], lang: str) -> str:
    if isinstance(message, Plural):
        count = values["count"]
        assert isinstance(count, int)
        template = catalog(lang).npgettext(message.key, message.singular, message.plural, count)
    else:
        template = catalog(lang).pgettext(message.key, message.text)
    return template.format_map({name: _value(value, lang) for name, value in values.items()})


def _value(value: object, lang: str) -> object:
    if type(value) is str or type(value) is int:  # an id, a name, a count: as given
        return value
    if isinstance(value, Phrase):
        return value.in_language(lang)
    if isinstance(value, Message):
        return translate(value, lang)
    if isinstance(value, tuple) and not isinstance(value, Message | Signed | Ordinal):
        # a list: each item as the language writes it, joined as the language joins them
        separator = word(lang, "list_separator", ", ")
        return separator.join(str(_value(item, lang)) for item in value)
    if isinstance(value, Ordinal):
        if lang == "en":
            return english_ordinal(value.number)
        return word(lang, "ordinal", "no. {number}").format(number=value.number)
    if isinstance(value, Signed):
        return ("-" if value.amount.is_signed() else "+") + number(abs(value.amount), lang)
    if isinstance(value, Decimal):
        return number(value, lang)
    if isinstance(value, date):
        return day(value, lang)
    return value


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
