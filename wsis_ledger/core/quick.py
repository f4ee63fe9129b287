"""A valid record made without building pydantic's validators, exactly as pydantic makes it.

A shortcut (off under `WSIS_LEDGER_PLAIN=1`): pydantic builds a model's validator
the first time the model validates (`defer_build=True`), a large part of a cold
`check` (bench/HISTORY.md). `quick_validate` makes the record of a raw mapping
that is plainly valid through the SAME field validators the models name
(`_text`, `money.parse_amount`, `parse_date`, ...), checking each result's type
as pydantic would, and then pydantic's public `model_construct`; it gives None
for anything it does not positively accept: an unknown or missing field, a
value of another type, a validator refusing, a model with a setting or
decorator this module does not know. The caller then validates with pydantic,
so every problem is still pydantic's, with its message.

What is accepted is derived from each model's own fields (`model_fields`: the
annotation, its `BeforeValidator`s, the default) and decorators, not written
out again: a field added to a model is validated here as it is there. A test
(tests/test_quick_validation.py) compares both paths on the shipped data, the
examples, a generated ledger and generated mappings of every kind of record.
"""

from __future__ import annotations

import copy
import inspect
import types
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from wsis_ledger.core.models import Record
from wsis_ledger.core.record_base import shared_fields_set

R = TypeVar("R", bound=Record)
#: Makes a field's value from its raw value; raises on anything it does not accept.
Convert = Callable[[Any], Any]
#: The model settings a quick record is made under; any other setting: pydantic only.
_KNOWN_CONFIG = {"frozen": True, "extra": "forbid", "defer_build": True}


class _Unsupported(Exception):
    """A model, field or type this module does not make records of."""


class _Declined(Exception):
    """A value this module does not accept (pydantic may still: it then judges)."""


def quick_validate(model: type[R], raw: object) -> R | None:
    """The record pydantic's `model.model_validate(raw)` would make, or None when
    `raw` is not one this module positively accepts (pydantic then judges it)."""
    make = _maker(model)
    if make is None:
        return None
    try:
        record: R = make(raw)
    except Exception:  # refused, or not understood: pydantic's answer, whatever it is
        return None
    return record


@cache
def _maker(model: type[Record]) -> Callable[[Any], Any] | None:
    """The quick validation of `model`, or None when it has anything not known here."""
    try:
        return _model_maker(model)
    except Exception:  # _Unsupported, or a pydantic whose internals moved: pydantic only
        return None


class _Info:
    """What an `after` field validator is given as pydantic's `ValidationInfo`: the
    fields validated before it (a validator asking for more fails, and pydantic judges)."""

    __slots__ = ("data", "field_name")
    context = None
    config = None
    mode = "python"

    def __init__(self, data: dict[str, Any], field_name: str) -> None:
        self.data, self.field_name = data, field_name


#: A required field's lack of a default.
_ABSENT = object()
#: The orders of the fields given that a model's validation keeps the set of (a
#: ledger's records are written in a few orders; bounded, for one of all orders).
_ORDERS_KEPT = 1000


def _model_maker(model: type[Record]) -> Callable[[Any], Any]:
    """Check that `model` holds nothing unknown here, and make its quick validation."""
    if dict(model.model_config) != _KNOWN_CONFIG:
        raise _Unsupported(f"{model.__name__}'s settings")
    if model.__private_attributes__ or model.__pydantic_post_init__ is not None:
        raise _Unsupported(f"{model.__name__}'s private attributes or post-init")
    befores, afters = _decorators(model)
    converters, defaults, copied, required = _fields(model)
    checks = _after_checks(model, afters)
    # The defaults, in the fields' order: each record's values are a copy of them,
    # updated with the values given.
    template = {name: defaults[name] for name in model.model_fields if name in defaults}
    construct = model.model_construct
    fields_sets: dict[tuple[str, ...], set[str]] = {}

    def make(raw: Any) -> Record:
        for before in befores:
            raw = before(raw)
        if type(raw) is not dict:
            raise _Declined
        values = template.copy()
        for name, value in raw.items():
            values[name] = converters[name](value)  # KeyError: a field not known (extra="forbid")
        given = tuple(raw)
        fields_set = fields_sets.get(given)
        if fields_set is None:
            fields_set = _fields_set(model, given, required, fields_sets)
        if copied:
            _copy_defaults(values, copied, raw)
        if checks:
            _run_checks(values, checks, raw)
        # pydantic's public way to make a record of values already validated.
        return construct(fields_set, **values)

    return make


Copied = list[tuple[str, Any]]
Checks = list[tuple[str, Callable[[Any, Any], Any], list[str]]]


def _fields(model: type[Record]) -> tuple[dict[str, Convert], dict[str, Any], Copied, set[str]]:
    """Each field's quick validation; the defaults pydantic gives as they are, those
    it copies ({}, a record holding one), and the fields without a default."""
    converters: dict[str, Convert] = {}
    defaults: dict[str, Any] = {}
    copied: Copied = []
    required: set[str] = set()
    for name, info in model.model_fields.items():
        converters[name] = _field_converter(info)
        default, copy_it = _default(info)
        if default is _ABSENT:
            required.add(name)
        elif copy_it:
            copied.append((name, default))
        else:
            defaults[name] = default
    return converters, defaults, copied, required


def _after_checks(
    model: type[Record], afters: dict[str, list[Callable[[Any, Any], Any]]]
) -> Checks:
    """The `after` validators in the fields' order, each with the fields before its own
    (pydantic gives it those, validated, as `info.data`)."""
    names = list(model.model_fields)
    if not set(afters) <= set(names):
        raise _Unsupported(f"a validator of a field {model.__name__} does not have")
    return [
        (name, check, names[: names.index(name)])
        for name in names
        for check in afters.get(name, ())
    ]


def _fields_set(
    model: type[Record],
    given: tuple[str, ...],
    required: set[str],
    known: dict[tuple[str, ...], set[str]],
) -> set[str]:
    """The set of the fields `given` (shared, as the loader's are); _Declined when a
    required field is missing."""
    if not required.issubset(given):
        raise _Declined
    fields_set = shared_fields_set(model, frozenset(given))
    if len(known) < _ORDERS_KEPT:
        known[given] = fields_set
    return fields_set


def _copy_defaults(values: dict[str, Any], copied: Copied, raw: dict[str, Any]) -> None:
    # pydantic-core gives a copy of a default that cannot be hashed.
    for name, default in copied:
        if name not in raw:
            values[name] = copy.deepcopy(default)


def _run_checks(values: dict[str, Any], checks: Checks, raw: dict[str, Any]) -> None:
    # pydantic runs a field's `after` validators on a value given, not on a default.
    for name, check, earlier in checks:
        if name in raw:
            data = {key: values[key] for key in earlier}
            values[name] = check(values[name], _Info(data, name))


def _decorators(
    model: type[BaseModel],
) -> tuple[list[Callable[[Any], Any]], dict[str, list[Callable[[Any, Any], Any]]]]:
    """`model`'s `model_validator(mode="before")`s and its `field_validator`s (mode
    "after"), by field; any other validator or decorator is not known here."""
    found = model.__pydantic_decorators__
    others = (
        found.validators,
        found.root_validators,
        found.field_serializers,
        found.model_serializers,
        found.computed_fields,
    )
    if any(others):
        raise _Unsupported(f"{model.__name__}'s decorators")
    befores = []
    for before in found.model_validators.values():
        if before.info.mode != "before" or _takes_info(before.func):
            raise _Unsupported(f"{model.__name__}'s model validator")
        befores.append(before.func)
    afters: dict[str, list[Callable[[Any, Any], Any]]] = {}
    for after in found.field_validators.values():
        fields = after.info.fields
        if after.info.mode != "after" or "*" in fields or not _takes_info(after.func):
            raise _Unsupported(f"{model.__name__}'s field validator")
        for name in fields:
            afters.setdefault(name, []).append(after.func)
    return befores, afters


def _takes_info(function: Callable[..., Any]) -> bool:
    """True when pydantic gives `function` a `ValidationInfo` beside the value: two
    required positional parameters (pydantic's own rule), not one."""
    parameters = inspect.signature(function).parameters.values()
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [p for p in parameters if p.kind in positional and p.default is p.empty]
    if len(required) not in (1, 2):
        raise _Unsupported(f"the validator {function.__qualname__}")
    return len(required) == 2


def _default(info: FieldInfo) -> tuple[Any, bool]:
    """A field's default (`_ABSENT` when it is required), and whether pydantic copies it."""
    if info.default_factory is not None or info.validate_default:
        raise _Unsupported("a default made or validated")
    if info.is_required():
        return _ABSENT, False
    try:
        hash(info.default)
    except TypeError:
        return info.default, True
    return info.default, False


def _field_converter(info: FieldInfo) -> Convert:
    settings = (info.alias, info.validation_alias, info.discriminator)
    if any(setting is not None for setting in settings):
        raise _Unsupported("a field's alias or validation setting")
    return _converter(info.annotation, tuple(info.metadata))


def _converter(annotation: Any, metadata: tuple[Any, ...] = (), optional: bool = False) -> Convert:
    """The quick validation of a value of `annotation`, after `metadata`'s validators;
    `optional`: None is taken as it is, before any validator (`X | None`, as pydantic does)."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _converter(annotation.__origin__, (*annotation.__metadata__, *metadata), optional)
    if not all(type(item) is BeforeValidator for item in metadata):
        raise _Unsupported(f"metadata of {annotation}")
    # pydantic runs the last `BeforeValidator` first; each takes the value only
    # (one taking a `ValidationInfo` fails to be called, and pydantic judges).
    functions = tuple(item.func for item in reversed(metadata))
    if len(functions) == 1 and annotation in _EXACT:
        return _checked(functions[0], annotation, optional)  # most fields: one call
    convert = _plain_converter(annotation)
    if functions:
        convert = _before(functions, convert)
    if optional:
        convert = _none_first(convert)
    return convert


def _plain_converter(annotation: Any) -> Convert:
    if annotation in _EXACT:
        return _checked(None, annotation, False)
    if isinstance(annotation, type) and issubclass(annotation, Record):
        make = _maker(annotation)
        if make is None:
            raise _Unsupported(f"the record {annotation.__name__}")
        return make
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return _converter(next(arg for arg in args if arg is not type(None)), (), True)
    if (
        origin in (typing.Union, types.UnionType)
        and len(args) == 2
        and args[0] in _EXACT
        and isinstance(args[1], type)
        and issubclass(args[1], Record)
    ):
        # One of several kinds (a printed total: an amount, or a bound the field's
        # validator made): taken when it is of one of them itself.
        return _one_of(frozenset(args))
    if origin is typing.Literal and all(type(arg) is str for arg in args):
        return _literal({arg: arg for arg in args})
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple_of(_converter(args[0]))
    if origin is dict and len(args) == 2:
        return _dict_of(_converter(args[0]), _converter(args[1]))
    raise _Unsupported(f"the type {annotation}")


#: The types whose values are taken when they are of the type itself (a subclass,
#: a text for a number, pydantic may convert: it judges those).
_EXACT = frozenset({str, int, bool, date, Decimal})


def _checked(function: Convert | None, kind: Any, optional: bool) -> Convert:
    """`function`'s value (or the value itself), when it is of type `kind` itself."""
    # pydantic refuses NaN and infinity in a Decimal field (`allow_inf_nan` is off).
    finite = kind is Decimal

    # One function a field, its checks inline (on a hot path: bench/HISTORY.md).
    def convert(value: Any) -> Any:
        if value is None and optional:
            return None
        made = value if function is None else function(value)
        if made.__class__ is not kind or (finite and not made.is_finite()):
            raise _Declined
        return made

    return convert


def _one_of(kinds: frozenset[Any]) -> Convert:
    def convert(value: Any) -> Any:
        if value.__class__ not in kinds or (value.__class__ is Decimal and not value.is_finite()):
            raise _Declined
        return value

    return convert


def _before(functions: tuple[Convert, ...], convert: Convert) -> Convert:
    def before_then_convert(value: Any) -> Any:
        for function in functions:
            value = function(value)
        return convert(value)

    return before_then_convert


def _none_first(convert: Convert) -> Convert:
    return lambda value: None if value is None else convert(value)


def _literal(choices: dict[str, str]) -> Convert:
    def convert(value: Any) -> str:
        if type(value) is not str:
            raise _Declined
        return choices[value]  # pydantic gives the Literal's own text

    return convert


def _tuple_of(convert: Convert) -> Convert:
    def convert_all(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:  # pydantic takes more (a tuple, a set): it judges those
            raise _Declined
        return tuple([convert(item) for item in value])

    return convert_all


def _dict_of(convert_key: Convert, convert_value: Convert) -> Convert:
    def convert_all(value: Any) -> dict[Any, Any]:
        if type(value) is not dict:
            raise _Declined
        return {convert_key(key): convert_value(item) for key, item in value.items()}

    return convert_all
