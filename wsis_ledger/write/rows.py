"""Judging an import's rows: each raw row's values validated as `ImportRow` would
(`Row`), and the rules a row must keep against the ledger (a rate for a foreign
amount, whole booking units, who pays which pledge)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, cast, get_args

from pydantic import BeforeValidator, ValidationError

from wsis_ledger.core import money
from wsis_ledger.core.fields import (
    BOOKING_CURRENCY,
    Amount,
    Chf,
    Currency,
    Date,
    Day,
    Purpose,
    RateValue,
    Text,
    within_minor_unit,
)
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Record
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.write.raw_rows import COLUMNS, OPTIONAL_COLUMNS


def _type_in_any_case(value: object) -> object:
    """`Receipt`, `PLEDGE`: a row's type in any case (as typed when it is none of them)."""
    if isinstance(value, str) and value.strip().lower() in ("pledge", "receipt", "expenditure"):
        return value.strip().lower()
    return value


class ImportRow(Record):
    """One row as given: checked for form, not yet for the ledger."""

    type: Annotated[Literal["pledge", "receipt", "expenditure"], BeforeValidator(_type_in_any_case)]
    donor: Text | None = None  # required of a pledge or a receipt (`row_rules`)
    currency: Currency
    amount: Amount
    chf: Chf | None = None
    rate: RateValue | None = None
    date: Date | None = None
    purpose: Purpose | None = None
    reference: Text | None = None
    pledge: Text | None = None
    payee: Text | None = None
    description: Text | None = None

    _within_minor_unit = within_minor_unit


def _before(annotated: object) -> Callable[[Any], Any]:
    """The function a field type's `BeforeValidator` calls (`Text`: `fields._text`)."""
    [validator] = [m for m in get_args(annotated)[1:] if isinstance(m, BeforeValidator)]
    return cast(Callable[[Any], Any], validator.func)


#: Each field of `ImportRow` and its type's validator, applied to a value that is not None.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "type": _type_in_any_case,  # its `Literal` is checked after it
    "donor": _before(Text),
    "currency": _before(Currency),
    "amount": _before(Amount),
    "chf": _before(Chf),
    "rate": _before(RateValue),
    "date": _before(Date),
    "purpose": _before(Purpose),
    **dict.fromkeys(("reference", "pledge", "payee", "description"), _before(Text)),
}
_ROW_TYPES = frozenset({"pledge", "receipt", "expenditure"})


def validate_row(raw: dict[str, Any], shortcuts: bool = True) -> Row | ValidationError:
    """A raw row's values as `ImportRow` validates them, or pydantic's errors (with
    `shortcuts`, a plain row is checked by `quick_row`, with the same result)."""
    quick = quick_row(raw) if shortcuts else None
    if quick is not None:
        return quick
    try:
        row = ImportRow.model_validate(raw)
    except ValidationError as error:
        return error
    return Row(*(getattr(row, name) for name in ROW_FIELDS))


def quick_row(raw: dict[str, Any]) -> Row | None:
    """`ImportRow`'s validation of a row of texts, through its fields' validators
    (the same functions), without a pydantic model made and set up for each row;
    None for any row it would not take as it is (a value not text, a field
    unknown or missing, a value refused), which `ImportRow` then judges, with
    its messages. Measured in bench/HISTORY.md."""
    values = dict(_NO_VALUES)
    try:
        for name, value in raw.items():
            check = _CHECKS.get(name)
            if check is None:
                return None  # a field `ImportRow` does not know, even when empty
            if value is None:
                continue
            if type(value) is not str:
                return None
            values[name] = check(value)
        kind, currency, amount = values["type"], values["currency"], values["amount"]
        if kind not in _ROW_TYPES or currency is None or amount is None:
            return None
        money.check_minor_unit(amount, currency)  # `ImportRow._within_minor_unit`
    except ValueError:
        return None
    return Row._make(values.values())


#: The rows `ImportRow` validates: its fields, in its order.
ROW_FIELDS = (
    *("type", "donor", "currency", "amount", "chf", "rate", "date", "purpose"),
    *("reference", "pledge", "payee", "description"),
)
_NO_VALUES = dict.fromkeys(ROW_FIELDS)


class Row(NamedTuple):
    """A row's values as `ImportRow` validates them, held as the planning reads them."""

    type: Literal["pledge", "receipt", "expenditure"]
    donor: str | None
    currency: str
    amount: Decimal
    chf: Decimal | None
    rate: Decimal | None
    date: Day | None
    purpose: str | None
    reference: str | None
    pledge: str | None
    payee: str | None
    description: str | None


def pledge_paid(
    ledger: Ledger, row: Row, donor_id: str | None, where: Where, problems: list[Problem]
) -> str | None:
    """The id of the one pledge a receipt's `pledge` names, by id or by reference.

    Several pledges named (a reference shared by two donors' pledges) is
    ambiguous; a pledge of another donor, or a cancelled one, is not paid.
    """
    named = row.pledge or ""
    matches = {p.id: p for p in ledger.pledged if named in (p.id, p.reference)}
    if not matches:
        message = f"pledge: there is no pledge with the id or reference '{named}'"
        problems.append(Problem(where, "import-pledge", message))
        return None
    if len(matches) > 1:
        listed = ", ".join(f"'{p.id}' of '{p.donor}'" for p in matches.values())
        message = f"pledge: '{named}' names {len(matches)} pledges ({listed}); name one by its id"
        problems.append(Problem(where, "import-pledge", message))
        return None
    [pledge] = matches.values()
    if donor_id is not None and pledge.donor != donor_id:
        message = (
            f"pledge: '{named}' is a pledge of '{pledge.donor}', not of '{donor_id}': "
            "a payment pays its own donor's pledge"
        )
        problems.append(Problem(where, "import-pledge", message))
    cancelled = ledger.cancellation_of.get(pledge.id)
    if cancelled is not None and (row.date is None or row.date > cancelled.date):
        message = f"pledge: '{pledge.id}' was cancelled on {cancelled.date} ('{cancelled.id}')"
        problems.append(Problem(where, "import-pledge", message))
    if row.date is not None and pledge.date is not None and row.date < pledge.date:
        message = f"date: the payment is dated {row.date}, before the pledge '{pledge.id}' ({pledge.date})"
        problems.append(Problem(where, "import-pledge", message))
    return pledge.id


def validation_problems(error: ValidationError, source: Path, line: int) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        name = str(detail["loc"][0]) if detail["loc"] else ""
        if detail["type"] == "missing":
            message = f"the field '{name}' is missing"
        elif detail["type"] == "extra_forbidden":
            message = (
                f"unknown field '{name}'; the fields are {', '.join((*COLUMNS, *OPTIONAL_COLUMNS))}"
            )
        elif detail["type"] == "literal_error":
            message = f"{name}: {detail.get('input')!r} is not pledge, receipt or expenditure"
        elif detail["type"] == "value_error":
            context = detail.get("ctx") or {}
            message = f"{name}: {context.get('error', detail['msg'])}"
        else:
            message = f"{name}: {detail['msg']}"
        problems.append(Problem(Where(source, line), "import-row", message))
    return problems


def row_rules(row: Row, where: Where, ledger: Ledger, *, has_table_rate: bool) -> list[Problem]:
    """The rules `ImportRow`'s types leave: a rate for a foreign amount, whole booking
    units in CHF, and who pays a pledge."""
    problems = []
    if (
        row.currency != BOOKING_CURRENCY
        and row.rate is None
        and row.chf is None
        and not has_table_rate
    ):
        on = f" on {row.date}" if row.date else " (the row has no date)"
        message = f"an amount in {row.currency} needs a rate or the booked chf: the rates table has none{on}"
        problems.append(Problem(where, "no-rate", message))
    unit = ledger.fund.booking_unit
    booked = row.chf if row.chf is not None or row.currency != BOOKING_CURRENCY else row.amount
    if booked is not None and not money.is_multiple(booked, unit):
        field = "chf" if row.chf is not None else "amount"
        rounded = money.quantize(booked, unit)
        message = (
            f"{field}: {money.group_thousands(booked)} CHF is not a multiple of the fund's"
            f" booking unit (booking_unit: {money.format_amount(unit)} in ledger.yaml): round it"
            f" half-up to {money.group_thousands(rounded)}, or set booking_unit: 0.01 under fund:"
            " in ledger.yaml to book centimes"
        )
        problems.append(Problem(where, "booking-unit", message))
    if row.type == "pledge" and row.pledge is not None:
        problems.append(Problem(where, "import-row", "pledge: only a receipt pays a pledge"))
    problems.extend(_expenditure_rules(row, where))
    return problems


def _expenditure_rules(row: Row, where: Where) -> list[Problem]:
    """Who a row names: a pledge or a receipt its donor; an expenditure no donor, but a
    date and a description."""
    if row.type != "expenditure":
        missing = row.donor is None
        return [Problem(where, "import-row", "the field 'donor' is missing")] if missing else []
    problems = []
    if row.donor is not None:
        message = (
            "donor: an expenditure has no donor (leave the cell empty; payee says who was paid)"
        )
        problems.append(Problem(where, "import-row", message))
    if row.pledge is not None:
        problems.append(Problem(where, "import-row", "pledge: only a receipt pays a pledge"))
    for name in ("date", "description"):
        if getattr(row, name) is None:
            problems.append(Problem(where, "import-row", f"an expenditure needs a '{name}'"))
    return problems
