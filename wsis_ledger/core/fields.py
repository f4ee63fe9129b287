"""The field types of records: each a type and the function that takes a value of the
data into it (texts, ids, purposes, counts, flags, amounts, rates, codes), from its
text and never through a float (`money`).
"""

# No `from __future__ import annotations` here (as in `models`): the types below are
# used in the records' annotations, which pydantic takes as objects.
import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, ValidationInfo, field_validator

from wsis_ledger.core import money
from wsis_ledger.core.dates import parse_date
from wsis_ledger.core.language import msg, said

#: `datetime.date`, by a name no record's `date` field hides.
Day = date
#: The currency every amount is booked in; the data call the booked figure `chf`.
BOOKING_CURRENCY = "CHF"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_PURPOSE = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*")
#: A count: ASCII digits, at most nine of them (no fund counts a billion experts).
_COUNT = re.compile(r"[0-9]{1,9}")


#: Characters no free text may hold: C0 and C1 control characters (line feed,
#: carriage return, tab and NEL among them), DEL, the Unicode line and paragraph
#: separators, and the bidirectional overrides and isolates that reorder how the
#: text after them reads. Each of them could start a new line, or hide one, in
#: a journal, a CSV file or a terminal.
FORBIDDEN_IN_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CHARACTER_NAMES = {
    "\n": "a line break",
    "\r": "a carriage return",
    "\t": "a tab",
    "\x00": "the character NUL",
    "\x1b": "the character ESC",
    "\x85": "a line break (NEL)",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}


def character_name(char: str) -> str:
    """A character as a message names it: `a line break (U+000A)`."""
    if char in _CHARACTER_NAMES:
        name = _CHARACTER_NAMES[char]
    elif unicodedata.category(char) == "Cc":
        name = "a control character"
    else:
        name = f"the character {unicodedata.name(char, 'without a name')}"
    return f"{name} (U+{ord(char):04X})"


def _text(value: object) -> object:
    if not isinstance(value, str):
        return value
    # A YAML block scalar (`note: >`) ends with a line break: not part of the text.
    value = value.rstrip("\n")
    if not value.strip():
        raise ValueError(said(msg("empty_text", "this may not be empty")))
    bad = FORBIDDEN_IN_TEXT.search(value)
    if bad is not None:
        one_line = msg(
            "text_character",
            "{character} is not allowed here: text is one line, without control characters",
        )
        raise ValueError(said(one_line, character=character_name(bad.group())))
    return value


def name_key(name: str) -> str:
    """A name as two spellings of it compare: `Genève` composed or not, `GENEVE  ` or
    `Genève`'s full-width letters, all one key (NFKC, case folded, invisible format
    characters dropped, white space collapsed)."""
    if name.isascii():  # NFKC changes no ASCII text, and none of it is a format character
        return " ".join(name.lower().split())
    text = unicodedata.normalize("NFKC", name)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", text.casefold()).split())


def match_key(name: str) -> str:
    """A name as two lists of donors compare it: `name_key`, and beyond it accents and
    punctuation ignored, so that `Suède`, `SUEDE` and `Suede`, or `Burkina-Faso` and
    `Burkina Faso`, are one key. Accents are dropped from Latin, Greek and Cyrillic
    letters only (NFKD, then the combining marks after such a letter): a kana's voicing
    mark or a Hangul syllable is part of the word, not an accent. Full-width brackets
    and other punctuation of any script become spaces."""
    text = unicodedata.normalize("NFKD", name_key(name))
    kept: list[str] = []
    base = ""
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("M") and base and ord(base) < 0x0530:
            continue  # an accent on a Latin, Greek or Cyrillic letter
        base = char if not category.startswith("M") else base
        kept.append(" " if category[0] in "PS" and char not in "&+" else char)
    return " ".join(unicodedata.normalize("NFKC", "".join(kept)).casefold().split())


def _id(value: object) -> object:
    if isinstance(value, str) and not _ID.fullmatch(value):
        not_id = msg(
            "invalid_id",
            "{value} is not a valid id (letters, digits, and . _ / - inside; no spaces)",
        )
        raise ValueError(said(not_id, value=repr(value)))
    return value


def _purpose(value: object) -> object:
    if isinstance(value, str) and not _PURPOSE.fullmatch(value):
        not_purpose = msg(
            "invalid_purpose",
            "{value} is not a valid purpose (lower-case words joined by '/', such as core/fellowships)",
        )
        raise ValueError(said(not_purpose, value=repr(value)))
    return value


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        not_count = msg("count_whole", "a count is a whole number, not {found}")
        raise ValueError(said(not_count, found=money.describe(value)))
    text = str(value).strip()
    # str.isdigit would take '３' and '١٢' (and int() the first): a count is 0-9 only.
    if not _COUNT.fullmatch(text):
        not_digits = msg(
            "count_digits", "a count is a whole number written in the digits 0-9, not {value}"
        )
        raise ValueError(said(not_digits, value=repr(value)))
    return int(text)


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError(
        said(msg("flag", "write true or false, not {found}"), found=money.describe(value))
    )


def _number(value: object) -> Decimal:
    return money.parse_number(value)


Text = Annotated[str, BeforeValidator(_text)]
Id = Annotated[str, BeforeValidator(_id)]
Purpose = Annotated[str, BeforeValidator(_purpose)]
Date = Annotated[date, BeforeValidator(parse_date)]
Count = Annotated[int, BeforeValidator(_count)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Currency = Annotated[str, BeforeValidator(money.check_currency)]
#: A positive amount; its currency's minor unit is checked by the record that holds it.
Amount = Annotated[Decimal, BeforeValidator(money.parse_amount)]
#: CHF per unit of a currency, as written (not `compute.conversion.Rate`, a rate with its basis).
RateValue = Annotated[Decimal, BeforeValidator(money.parse_rate)]


def _chf(value: object) -> Decimal:
    return money.parse_amount(value, BOOKING_CURRENCY)


#: A positive amount in the booking currency, within its minor unit.
Chf = Annotated[Decimal, BeforeValidator(_chf)]
Number = Annotated[Decimal, BeforeValidator(_number)]


def _support_rate(value: object) -> Decimal:
    rate = money.parse_number(value, "support cost rate")
    if rate > 1:
        fraction = msg(
            "support_fraction", "a support cost rate is a fraction such as 0.13 (13 %), not {rate}"
        )
        raise ValueError(said(fraction, rate=money.format_amount(rate)))
    return rate


#: A programme support cost rate: a fraction from 0 to 1 (0.13 is 13 %).
SupportRate = Annotated[Decimal, BeforeValidator(_support_rate)]


DonorKind = Literal[
    "government",
    "un-system",
    "intergovernmental",
    "private-sector",
    "civil-society",
    "administrator",  # the organization that set up and administers the fund
    "unspecified",
]


def _amount_within_minor_unit(amount: Decimal | None, info: ValidationInfo) -> Decimal | None:
    currency = info.data.get("currency")
    if amount is not None and currency is not None:
        money.check_minor_unit(amount, currency)
    return amount


#: For a record with `currency` declared before `amount`: the amount's decimals
#: within the currency's minor unit.
within_minor_unit = field_validator("amount")(_amount_within_minor_unit)


def _code(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not _CODE.fullmatch(value):
        not_code = msg(
            "invalid_code", "{value} is not a code (letters, digits, '-' and '.', no spaces)"
        )
        raise ValueError(said(not_code, value=repr(value)))
    return value


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,63}")
#: A code from a published code list (IATI's, the DAC's): `22040`, `XM-DAC-41303`.
Code = Annotated[str, BeforeValidator(_code)]
