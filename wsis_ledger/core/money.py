"""Money as `Decimal`, from the text as written, and the one place that rounds.

An amount is digits with an optional decimal point: no sign, no exponent, no
thousands separators, and no more decimals than its currency's minor unit
(ISO 4217: 2 for CHF, USD, EUR, CAD; 0 for JPY). A rate is the same kind of
text with as many digits as it was given. Floats are refused outright: a
float has already lost the text it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import cache

from wsis_ledger.core.language import Message, Phrase, msg, said
from wsis_ledger.core.problems import excerpt

#: Digits, optionally a point and more digits. Nothing else is a plain number.
PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
#: Enough digits that a product of an amount and a rate is exact.
PRECISION = 60
#: An amount has at most this many digits before the point (a thousand
#: trillion francs); a rate at most this many digits in all. Within them every
#: product (at PRECISION digits) and every total (at the default 28) is exact.
MAX_AMOUNT_DIGITS = 15
MAX_RATE_DIGITS = 30
#: A rate's magnitude. A rate (CHF per unit) below a millionth of a millionth,
#: or of a thousand million francs or more, is a slip (5 000 leading zeros), and
#: would book any amount at 0 CHF or beyond every bound.
SMALLEST_RATE = Decimal("0.000000000001")
LARGEST_RATE = Decimal("1000000000")


class MoneyError(ValueError):
    """A value that is not valid money; the message says why, in plain words."""


#: What a number is, as a message names it.
WHAT: dict[str, Message] = {
    "number": msg("number_what", "number"),
    "amount": msg("number_what", "amount"),
    "rate": msg("number_what", "rate"),
    "support cost rate": msg("number_what", "support cost rate"),
}


def parse_number(value: object, what: str = "number") -> Decimal:
    """A non-negative plain number from its text (or an int); never from a float."""
    if isinstance(value, bool | float):
        floating = msg(
            "number_float",
            "the {what} must be written as plain digits, not read as a floating-point value",
        )
        raise MoneyError(said(floating, what=WHAT.get(what, what)))
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, Decimal):
        value = str(value)
    if not isinstance(value, str):
        not_number = msg("not_a_number", "the {what} must be a number, not {found}")
        raise MoneyError(said(not_number, what=WHAT.get(what, what), found=describe(value)))
    text = value.strip()
    if not PLAIN_NUMBER.fullmatch(text):
        not_plain = msg("not_plain_number", "the {what} {value} is not a plain number{hint}")
        hint = _number_hint(text, what)
        raise MoneyError(said(not_plain, what=WHAT.get(what, what), value=repr(value), hint=hint))
    return Decimal(text)


def _number_hint(text: str, what: str) -> Phrase:
    lowered = text.lower()
    if lowered.lstrip("+-.") in {"nan", "inf", "infinity"}:
        return said(msg("hint_nan", " (not-a-number and infinity are not amounts)"))
    if re.fullmatch(r"[+-]?[0-9.]+e[+-]?[0-9]+", lowered):
        return said(msg("hint_exponent", " (write it out in full, without exponent notation)"))
    if text.startswith("-") and what == "amount":
        return said(
            msg(
                "hint_negative_amount",
                " (amounts are positive; record a repayment or a cancellation instead)",
            )
        )
    if text.startswith("-"):
        return said(msg("hint_negative", " (a {what} is positive)"), what=WHAT.get(what, what))
    if re.search(r"[0-9][ ,'_][0-9]", text):
        return said(
            msg("hint_grouped", " (write it without thousands separators: 2243419, not 2 243 419)")
        )
    return said(msg("hint_digits", " (digits with an optional decimal point)"))


def parse_amount(value: object, currency: str | None = None) -> Decimal:
    """A positive amount, exact to its text, within its currency's minor unit."""
    amount = parse_number(value, "amount")
    if amount == 0:
        raise MoneyError(said(msg("amount_zero", "the amount must be more than zero")))
    if amount.adjusted() >= MAX_AMOUNT_DIGITS:
        too_large = msg(
            "amount_too_large",
            "the amount {amount} is too large (at most {digits} digits before the point)",
        )
        raise MoneyError(said(too_large, amount=str(amount), digits=MAX_AMOUNT_DIGITS))
    if currency is not None:
        check_minor_unit(amount, currency)
    return amount


#: Rates read, by their text: the same few rates stand on many entries, and one
#: Decimal (104 bytes) serves them all. Bounded, for a ledger of all different rates.
_RATES: dict[str, Decimal] = {}
_RATES_KEPT = 10_000


def parse_rate(value: object) -> Decimal:
    """A positive exchange rate (units of the booking currency per unit), every digit kept."""
    if type(value) is str:
        known = _RATES.get(value)
        if known is not None:
            return known
    rate = _parse_rate(value)
    if type(value) is str and len(_RATES) < _RATES_KEPT:
        _RATES[value] = rate
    return rate


def _parse_rate(value: object) -> Decimal:
    rate = parse_number(value, "rate")
    if rate == 0:
        raise MoneyError(said(msg("rate_zero", "the rate must be more than zero")))
    if len(rate.as_tuple().digits) > MAX_RATE_DIGITS:
        too_long = msg("rate_digits", "the rate {rate} has more than {digits} digits")
        raise MoneyError(said(too_long, rate=str(rate), digits=MAX_RATE_DIGITS))
    if not SMALLEST_RATE <= rate < LARGEST_RATE:
        bounds = msg(
            "rate_bounds",
            "the rate {rate} is out of bounds: a rate is at least {smallest} and below "
            "{largest} CHF per unit",
        )
        raise MoneyError(
            said(
                bounds,
                rate=excerpt(format(rate, "f")),
                smallest=f"{SMALLEST_RATE:f}",
                largest=f"{LARGEST_RATE:f}",
            )
        )
    return rate


def converted_problem(value: Decimal, unit: Decimal) -> Phrase | None:
    """Why a converted amount (`amount × rate`, rounded to `unit`) could not be written
    as a booked `chf`, or None: the rules of a written figure hold for a derived one."""
    if value <= 0:
        return said(
            msg(
                "converted_zero",
                "comes to {value} CHF after rounding to {unit} CHF: more than zero is booked",
            ),
            value=value,
            unit=f"{unit:f}",
        )
    if value.adjusted() >= MAX_AMOUNT_DIGITS:
        return said(
            msg(
                "converted_digits",
                "comes to {value} CHF: more than {digits} digits before the point",
            ),
            value=excerpt(format(value, "f")),
            digits=MAX_AMOUNT_DIGITS,
        )
    return None


def check_minor_unit(amount: Decimal, currency: str) -> None:
    """Refuse an amount with more decimals than the currency's minor unit."""
    places = minor_unit(currency)
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: parse_number admits digits only
    if -exponent > places:
        if places == 0:
            decimals = msg("no_decimals", "{currency} amounts have no decimals; {amount} has {has}")
        else:
            decimals = msg(
                "few_decimals",
                "{currency} amounts have at most {places} decimals; {amount} has {has}",
            )
        said_so = said(
            decimals, currency=currency, places=places, amount=str(amount), has=-exponent
        )
        raise MoneyError(said_so)


@cache
def minor_unit(currency: str) -> int:
    """ISO 4217 minor unit (decimal places) of a currency; MoneyError for an unknown code."""
    common = COMMON_MINOR_UNITS.get(currency)
    if common is not None:
        return common
    return _currencies()[check_currency(currency)]


#: The minor units of the currencies the fund's donors give in most, as ISO 4217
#: gives them (unchanged since each entered it; a test compares them with the
#: installed list). `check_currency` and `minor_unit` answer for these without
#: importing `iso4217`, which reads and parses its XML table on import (a cost of
#: a cold start; bench/HISTORY.md). Any other code is
#: looked up in the installed list, as before.
COMMON_MINOR_UNITS = {
    "CHF": 2,
    "EUR": 2,
    "USD": 2,
    "JPY": 0,
    "GBP": 2,
    "CAD": 2,
    "AUD": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
}


def check_currency(code: object) -> str:
    """The code itself when it is an ISO 4217 currency code with a minor unit;
    MoneyError otherwise, saying why (not a code, a unit without a minor unit
    such as XDR or gold, or a code withdrawn from the list)."""
    if not isinstance(code, str):
        not_code = msg(
            "currency_not_code", "a currency is a three-letter ISO 4217 code, not {found}"
        )
        raise MoneyError(said(not_code, found=describe(code)))
    if code in COMMON_MINOR_UNITS or code in _currencies():
        return code
    upper = code.upper()
    if upper != code and upper in _currencies():
        lower = msg(
            "currency_lower", "{code} is not an ISO 4217 currency code (codes are upper case)"
        )
        raise MoneyError(said(lower, code=repr(code)))
    if upper in _without_minor_unit():
        no_unit = msg(
            "currency_no_minor_unit",
            "{code} ({name}) is an ISO 4217 code without a minor unit; this ledger books only "
            "currencies with one (record what the fund received, in its currency, with the rate)",
        )
        raise MoneyError(said(no_unit, code=repr(code), name=_without_minor_unit()[upper]))
    if upper in WITHDRAWN:
        withdrawn = msg(
            "currency_withdrawn",
            "{code} ({name}) is a code withdrawn from ISO 4217; this ledger books only "
            "currencies in use (record the amount in the currency that replaced it, with the "
            "rate)",
        )
        raise MoneyError(said(withdrawn, code=repr(code), name=WITHDRAWN[upper]))
    unknown = msg("currency_unknown", "{code} is not an ISO 4217 currency code")
    raise MoneyError(said(unknown, code=repr(code)))


@cache
def _currencies() -> dict[str, int]:
    """Codes with a minor unit, from the ISO 4217 list (units without one, like gold, are out)."""
    import iso4217

    return {c.code: c.exponent for c in iso4217.Currency if c.exponent is not None}


@cache
def _without_minor_unit() -> dict[str, str]:
    """ISO 4217 codes without a minor unit (SDR, gold, bond-market units), by their names."""
    import iso4217

    return {c.code: c.currency_name for c in iso4217.Currency if c.exponent is None}


#: Codes withdrawn from ISO 4217 (its list three), with the currency's name:
#: the ones a fund's records may still hold.
WITHDRAWN = {
    "ADP": "Andorran peseta",
    "AFA": "afghani, replaced by AFN",
    "AON": "new kwanza",
    "AOR": "kwanza reajustado",
    "ARP": "peso argentino",
    "ATS": "Austrian schilling, replaced by EUR",
    "AZM": "Azerbaijani manat, replaced by AZN",
    "BEF": "Belgian franc, replaced by EUR",
    "BGL": "lev, replaced by BGN",
    "BYB": "Belarusian ruble",
    "BYR": "Belarusian ruble, replaced by BYN",
    "CSD": "Serbian dinar, replaced by RSD",
    "CSK": "Czechoslovak koruna",
    "CUC": "Cuban convertible peso",
    "CYP": "Cyprus pound, replaced by EUR",
    "DDM": "mark of the GDR",
    "DEM": "Deutsche Mark, replaced by EUR",
    "ECS": "sucre",
    "EEK": "kroon, replaced by EUR",
    "ESP": "Spanish peseta, replaced by EUR",
    "FIM": "markka, replaced by EUR",
    "FRF": "French franc, replaced by EUR",
    "GHC": "cedi, replaced by GHS",
    "GRD": "drachma, replaced by EUR",
    "HRK": "kuna, replaced by EUR",
    "IEP": "Irish pound, replaced by EUR",
    "ITL": "Italian lira, replaced by EUR",
    "LTL": "Lithuanian litas, replaced by EUR",
    "LUF": "Luxembourg franc, replaced by EUR",
    "LVL": "Latvian lats, replaced by EUR",
    "MGF": "Malagasy franc, replaced by MGA",
    "MRO": "ouguiya, replaced by MRU",
    "MTL": "Maltese lira, replaced by EUR",
    "MXP": "Mexican peso",
    "MZM": "metical, replaced by MZN",
    "NLG": "Netherlands guilder, replaced by EUR",
    "PLZ": "zloty, replaced by PLN",
    "PTE": "Portuguese escudo, replaced by EUR",
    "ROL": "leu, replaced by RON",
    "RUR": "Russian ruble, replaced by RUB",
    "SDD": "Sudanese dinar, replaced by SDG",
    "SIT": "tolar, replaced by EUR",
    "SKK": "Slovak koruna, replaced by EUR",
    "SLL": "leone, replaced by SLE",
    "SRG": "Surinam guilder, replaced by SRD",
    "STD": "dobra, replaced by STN",
    "SUR": "Soviet rouble",
    "TMM": "Turkmenistan manat, replaced by TMT",
    "TRL": "Turkish lira, replaced by TRY",
    "VEB": "bolivar, replaced by VEF",
    "VEF": "bolivar fuerte, replaced by VES",
    "XEU": "European currency unit, replaced by EUR",
    "XFO": "gold franc",
    "XFU": "UIC franc",
    "YUM": "Yugoslav dinar",
    "ZMK": "Zambian kwacha, replaced by ZMW",
    "ZRN": "new zaire",
    "ZWD": "Zimbabwe dollar",
    "ZWL": "Zimbabwe dollar, replaced by ZWG",
    "ZWN": "Zimbabwe dollar",
    "ZWR": "Zimbabwe dollar",
}


#: The context of every exact operation below. One object, made once, and passed
#: to each operation: entering `localcontext` for each (it copies the thread's
#: context, twice per entry in the checks) was most of the cost of checking an
#: amount. Its precision makes each result exact, so its rounding never applies
#: but to a quotient (`quantize`), where it is stated; its flags are never read.
_EXACT = Context(prec=PRECISION, rounding=ROUND_HALF_EVEN)
#: The same context, for a loop over many amounts that calls its operations
#: (`remainder`, `multiply`) without a function of this module around each.
EXACT = _EXACT


#: Totals are added here: exact at PRECISION digits, or an error, never a rounded figure.
_TOTALS = Context(prec=PRECISION, traps=[Inexact, Overflow, InvalidOperation])


class InexactTotal(MoneyError):
    """A sum that is not exact at PRECISION digits: a problem, never a printed figure."""


def total(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of `values`; `InexactTotal` where it cannot be exact."""
    add = _TOTALS.add
    result = _ZERO
    try:
        for value in values:
            result = add(result, value)
    except DecimalException:
        raise InexactTotal(
            f"a total is not exact at {PRECISION} digits; no figure is printed for it"
        ) from None
    return result


_ZERO = Decimal(0)


def is_multiple(amount: Decimal, unit: Decimal) -> bool:
    """True when `amount` is a whole number of `unit`s (exactly, whatever the context)."""
    return _EXACT.remainder(amount, unit) == 0


def quantize(amount: Decimal, unit: Decimal) -> Decimal:
    """`amount` rounded half-up to a multiple of `unit` (1: whole francs, 0.01: centimes).

    Half-up because that is how the fund's statements round: 0.5 goes up.
    """
    quotient = _EXACT.divide(amount, unit)
    steps = quotient.quantize(_ONE, rounding=ROUND_HALF_UP, context=_EXACT)
    return _EXACT.multiply(steps, unit)


_ONE = Decimal(1)


def multiply(amount: Decimal, rate: Decimal) -> Decimal:
    """The exact product: no digit lost, whatever the default decimal context."""
    return _EXACT.multiply(amount, rate)


def significant(value: Decimal, digits: int) -> Decimal:
    """`value` to `digits` significant digits, half-up (for display only)."""
    with localcontext(prec=digits, rounding=ROUND_HALF_UP):
        return +value


def shortest_rate(booked: Decimal, amount: Decimal, rate: Decimal, least: int = 6) -> Decimal:
    """`rate` (booked / amount) to the fewest significant digits, `least` at the least,
    with which `amount` gives back `booked` (rounded half-up to `booked`'s last digit):
    what a table shows, so that a reader multiplying finds the booked figure (the
    Japanese receipt: 0.0127105 gives 796 834, 0.01271051 gives 796 835)."""
    unit = Decimal(1).scaleb(booked.as_tuple().exponent)  # type: ignore[arg-type]
    for digits in range(least, len(rate.as_tuple().digits) + 1):
        shown = significant(rate, digits)
        if multiply(amount, shown).quantize(unit, rounding=ROUND_HALF_UP) == booked:
            return shown
    return rate


def divide(booked: Decimal, amount: Decimal, digits: int = 20) -> Decimal:
    """`booked / amount` to `digits` significant digits: a rate derived from two figures."""
    context = _half_up(digits)
    return context.divide(booked, amount).normalize(context)


@cache
def _half_up(digits: int) -> Context:
    """A context of `digits` digits rounding half-up, made once (as `_EXACT` is)."""
    return Context(prec=digits, rounding=ROUND_HALF_UP)


def describe(value: object) -> str:
    """A value's kind in a finance officer's words (a `Phrase`: told in any language)."""
    if value is None:
        return said(msg("described", "nothing"))
    if isinstance(value, dict):
        return said(msg("described", "a mapping"))
    if isinstance(value, list):
        return said(msg("described", "a list"))
    return excerpt(value)


def format_amount(amount: Decimal) -> str:
    """An amount as plain text, without exponent and without thousands separators."""
    return f"{amount:f}"


def group_thousands(amount: Decimal, *, signed: bool = False) -> str:
    """An amount as people print it: `2 243 419` (thin groups, as the annex does), in
    tables and in every message that gives a figure; `signed`: with its sign, `+25`
    (a difference)."""
    text = f"{amount:+,f}" if signed else f"{amount:,f}"
    return text.replace(",", " ")


def percent(part: Decimal, whole: Decimal, places: Decimal = Decimal("0.01")) -> Decimal:
    """`part` as a per cent of `whole`, rounded half-up to `places`."""
    with localcontext(prec=PRECISION):
        return (part * 100 / whole).quantize(places, rounding=ROUND_HALF_UP)
