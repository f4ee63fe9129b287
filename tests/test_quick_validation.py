"""Records made without pydantic's validators (`core.quick`) are exactly pydantic's:
the same values of the same types, the same fields given, the same places, on the
shipped ledger, the example, a generated ledger and generated mappings of every
kind of record; and whatever pydantic refuses, the quick way declines (pydantic's
messages stay the only ones). A cold `check` of the annex then builds no validator."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, ValidationError
from records_compared import EVERY_KIND, WITH_PROBLEMS, assert_same_record

from wsis_ledger.core import fields, models, money, quick, record_base, stated
from wsis_ledger.core.models import SECTIONS, SINGLES, Record
from wsis_ledger.core.quick import quick_validate
from wsis_ledger.source import loading
from wsis_ledger.source.discovery import shipped_ledger

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent
KINDS = {**SECTIONS, **SINGLES}


def assert_same_values(made: Any, plain: Any) -> None:
    """`made` is `plain`: every value equal, of the same type, written the same
    (Decimal('1.50') is not Decimal('1.5')), in the same order, the same fields given."""
    assert type(made) is type(plain)
    if isinstance(plain, Record):
        assert list(made.__dict__) == list(plain.__dict__)
        for name, value in plain.__dict__.items():
            assert_same_values(made.__dict__[name], value)
        assert made.__pydantic_fields_set__ == plain.__pydantic_fields_set__
        assert made.__pydantic_extra__ is None and plain.__pydantic_extra__ is None
        assert made.__pydantic_private__ == plain.__pydantic_private__
        assert made == plain
    elif isinstance(plain, tuple):
        assert len(made) == len(plain)
        for one, other in zip(made, plain, strict=True):
            assert_same_values(one, other)
    elif isinstance(plain, dict):
        assert list(made) == list(plain)
        for key, value in plain.items():
            assert_same_values(made[key], value)
    else:
        assert str(made) == str(plain) and made == plain


def plain_record(model: type[Record], raw: Any) -> Record | None:
    """What pydantic makes of `raw` (None: it refuses it)."""
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


# --- every record of real ledgers, loaded both ways -------------------------------------


def load_both_ways(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any, list[tuple[type[Record], Any]]]:
    """The ledger at `root` loaded as it is, then with pydantic alone; and the
    mappings the quick way declined in the first load."""
    declined: list[tuple[type[Record], Any]] = []

    def watching(model: type[Record], raw: Any) -> Record | None:
        record = quick_validate(model, raw)
        if record is None:
            declined.append((model, raw))
        return record

    with monkeypatch.context() as patch:
        patch.setattr(loading, "quick_validate", watching)
        quick_load = loading.load(root)
    with monkeypatch.context() as patch:
        patch.setattr(loading, "quick_validate", lambda model, raw: None)
        plain_load = loading.load(root)
    return quick_load, plain_load, declined


def assert_same_ledger(made: Any, plain: Any) -> None:
    (ledger, problems), (plain_ledger, plain_problems) = made, plain
    assert problems == plain_problems
    assert (ledger is None) == (plain_ledger is None)
    if ledger is None:
        return
    assert_same_record(plain_ledger.fund, ledger.fund)
    for name in [*SECTIONS, "statements"]:
        records, plain_records = getattr(ledger, name), getattr(plain_ledger, name)
        assert len(records) == len(plain_records), name
        for record, plain_one in zip(records, plain_records, strict=True):
            assert_same_record(plain_one, record)
            assert_same_values(record, plain_one)


def ledgers(tmp_path: Path) -> Iterator[Path]:
    yield shipped_ledger()
    yield ROOT / "examples" / "fund"
    generated = tmp_path / "generated"
    generate(3000, generated)
    yield generated
    every_kind = tmp_path / "every-kind"
    every_kind.mkdir()
    (every_kind / "ledger.yaml").write_text(EVERY_KIND, encoding="utf-8")
    yield every_kind


def test_valid_ledgers_are_read_the_quick_way_into_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for root in ledgers(tmp_path):
        made, plain, declined = load_both_ways(root, monkeypatch)
        assert made[0] is not None and made[1] == [], root
        assert declined == [], root  # every record of a valid ledger: no validator needed
        assert_same_ledger(made, plain)


def test_a_ledger_with_problems_gives_pydantic_s_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "bad"
    root.mkdir()
    (root / "ledger.yaml").write_text(WITH_PROBLEMS, encoding="utf-8")
    (root / "more.yaml").write_text(
        "donors:\n  - {id: d1, name: {en: D, de: X}, kind: government}\n"
        "  - {id: d2, name: '', kind: nobody}\n"
        "pledged:\n  - {id: p, donor: d1, amount: '1.5', currency: JPY}\n"
        "expenditures:\n  - {id: e, date: 2004-02-30, amount: 1, description: x}\n",
        encoding="utf-8",
    )
    made, plain, declined = load_both_ways(root, monkeypatch)
    assert len(made[1]) >= 6 and len(declined) == 5
    assert_same_ledger(made, plain)


def test_every_kind_of_record_is_made_the_quick_way() -> None:
    """No model has a setting, a type or a validator the quick way does not know
    (it would then be validated by pydantic alone, and start-up would be slower)."""
    assert [name for name, kind in KINDS.items() if quick._maker(kind) is None] == []


def test_a_model_with_something_unknown_is_left_to_pydantic() -> None:
    class Strange(models.Record):
        id: fields.Id
        count: int | str = 0

    class Stricter(models.Record):
        model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
        id: fields.Id

    assert quick._maker(Strange) is None and quick._maker(Stricter) is None
    assert quick_validate(Strange, {"id": "a"}) is None
    assert Strange.model_validate({"id": "a"}).id == "a"


def test_the_statement_s_default_totals_are_pydantic_s() -> None:
    default = models.Statement.model_fields["stated"].default
    assert_same_values(default, models.Stated())
    statement = quick_validate(models.Statement, {"id": "s", "title": "T", "as_of": "2004-01-01"})
    assert statement is not None
    # A copy, as pydantic gives (the default holds a dict): never the default itself.
    assert statement.stated is not default and statement.stated.purposes is not default.purposes


# --- generated mappings of every kind of record -----------------------------------------

#: Texts that each validator takes or refuses.
TEXTS = [
    *("a", "a-1", "R/2004.1", "core", "core/fellowships", "Core", "a b", "", " ", "\n"),
    *("Some text\n", "a\nb", "x\u202ey", "tab\there", "é", "日本", "\udc80"),
    *("2004-01-05", "2004-02-30", "1899-12-31", "05.01.2004", " 2004-01-05 "),
    *("CHF", "USD", "JPY", "EUR", "CAD", "chf", "XDR", "DEM", "ZZZ", "XAU"),
    *("1", "100", "12.50", "0.10", "1.001", "0", "0.0", "-5", "1e3", "1 000", "NaN", "0.13"),
    *("2", "1.5", "1000000000000000", "123456789", "1234567890", "true", "false"),
    *("government", "un-system", "nobody", "name", "kind", "aliases", "received", "total"),
]
SCALARS = st.one_of(
    st.sampled_from(TEXTS),
    st.none(),
    st.booleans(),
    st.integers(-2, 10**16),
    st.floats(allow_nan=True),
    st.sampled_from([Decimal("1.50"), Decimal("NaN"), date(2004, 1, 5)]),
)


def plain_number(places: int, top: int = 10**6) -> st.SearchStrategy[Any]:
    """A number as YAML gives it: its text (`12.50`, with 0 to `places` decimals), or an int."""
    texts = st.integers(0, places).flatmap(
        lambda p: st.decimals(min_value=0, max_value=top, places=p).map(lambda d: f"{d:f}")
    )
    return st.one_of(texts, st.integers(0, top))


#: Values each field validator takes, mostly (an amount may still have too many
#: decimals for its currency, a text a character no text may hold).
VALID: dict[Any, st.SearchStrategy[Any]] = {
    fields._text: st.one_of(
        st.sampled_from(["Some text", "Text\n", "日本"]),
        st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1),
        st.text(min_size=1),
    ),
    fields._id: st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,6}", fullmatch=True),
    fields._purpose: st.from_regex(r"[a-z0-9][a-z0-9_-]{0,4}(?:/[a-z0-9]{1,4})?", fullmatch=True),
    fields.parse_date: st.dates().map(date.isoformat)
    | st.dates(date(1900, 1, 1), date(2100, 1, 1)),
    fields._count: st.integers(0, 10**9) | st.integers(0, 999).map(str),
    fields._flag: st.sampled_from([True, False, "true", "false"]),
    money.check_currency: st.sampled_from(["CHF", "USD", "JPY", "EUR", "CAD", "KWD", "XDR"]),
    money.parse_amount: plain_number(3),
    fields._chf: plain_number(2, 10**15),
    # A printed total: an amount, or a bound in words (`more than 1300000`).
    stated._stated_amount: plain_number(2, 10**15)
    | st.sampled_from(["more than 1300000", "at least 5000", "about 1300000"]),
    money.parse_rate: plain_number(6, 10),
    fields._number: plain_number(4),
    fields._support_rate: plain_number(3, 1),
    fields._code: st.from_regex(r"[A-Za-z0-9][A-Za-z0-9.-]{0,8}", fullmatch=True)
    | st.integers(0, 10**6),
    record_base._sha256: st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
    record_base._timestamp: st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)).map(
        lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    ),
}


def values_for(annotation: Any, metadata: Any, bad: int, depth: int) -> st.SearchStrategy[Any]:
    """Values a YAML file may give a field of `annotation`: valid ones, or (`bad` times
    in twenty) anything else, invalid or of another shape altogether."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return values_for(args[0], (*annotation.__metadata__, *metadata), bad, depth)
    if metadata:
        valid = VALID[metadata[0].func]
    elif annotation is type(None):
        valid = st.none()
    elif isinstance(annotation, type) and issubclass(annotation, Record):
        valid = SCALARS if depth > 1 else mappings(annotation, depth + 1, bad)
    elif origin in (typing.Union, type(int | None)):
        valid = st.one_of(*(values_for(arg, (), bad, depth) for arg in args))
    elif origin is typing.Literal:
        valid = st.sampled_from(args)
    elif origin is tuple:
        valid = st.lists(values_for(args[0], (), bad, depth + 1), max_size=3)
    elif origin is dict:
        keys = st.sampled_from(["core", "received", "Core"])
        if args[0] is not str:
            keys = values_for(args[0], (), bad, depth + 1)
        valid = st.dictionaries(keys, values_for(args[1], (), bad, depth + 1), max_size=3)
    else:
        valid = SCALARS
    # Not `one_of(valid, SCALARS)`: it would draw each of SCALARS' branches as often as valid.
    return st.integers(0, 19).flatmap(lambda n: SCALARS if n < bad else valid)


@st.composite
def mappings(draw: st.DrawFn, model: type[Record], depth: int = 0, bad: int = -1) -> Any:
    """A mapping for `model`: its required fields mostly there, some others, at times
    a field it does not know; a plain text where `model` takes one (a name). Of the
    mappings, half have no value of another shape, the others a few or many."""
    if bad < 0:
        bad = draw(st.sampled_from([0, 0, 0, 0, 1, 2, 5]))
    if model.__pydantic_decorators__.model_validators and draw(st.booleans()):
        return draw(VALID[fields._text])
    raw = {}
    for name, info in model.model_fields.items():
        wanted = info.is_required() and draw(st.integers(0, 19)) >= bad
        if wanted or draw(st.booleans()):
            raw[name] = draw(values_for(info.annotation, tuple(info.metadata), bad, depth))
    if draw(st.integers(0, 19)) < bad:
        raw[draw(st.sampled_from(["typo", "amout", 1]))] = draw(SCALARS)
    return raw


def holds_tuple(value: Any) -> bool:
    if isinstance(value, dict):
        return any(holds_tuple(item) for item in value.values())
    if isinstance(value, list):
        return any(holds_tuple(item) for item in value)
    return isinstance(value, tuple)


@pytest.mark.parametrize("name", sorted(KINDS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_mappings_give_pydantic_s_record_or_are_declined(
    name: str, data: st.DataObject
) -> None:
    model = KINDS[name]
    raw = data.draw(mappings(model))
    plain = plain_record(model, copy.deepcopy(raw))
    made = quick_validate(model, copy.deepcopy(raw))
    event("refused" if plain is None else "taken quickly" if made is not None else "declined")
    if plain is None:
        assert made is None  # pydantic refuses: its message is the one shown
    elif made is not None:
        assert_same_values(made, plain)
    else:
        # Of what YAML gives, the quick way declines only what pydantic alone takes
        # as well as a list (a tuple, here); anything else it takes as pydantic does.
        assert holds_tuple(raw), raw


def test_an_amount_within_its_currency_s_minor_unit_is_checked_as_pydantic_does() -> None:
    for model in (models.Receipt, models.Expenditure):
        for currency, amount in [("JPY", "1.5"), ("JPY", "15"), ("CHF", "0.001"), (None, "1.5")]:
            raw: dict[str, Any] = {"id": "x", "donor": "d", "amount": amount, "currency": currency}
            if model is models.Expenditure:
                raw = {**raw, "date": "2004-01-05", "description": "d"}
                del raw["donor"]
                if currency is None:
                    del raw["currency"]  # the default, CHF
            plain, made = plain_record(model, raw), quick_validate(model, raw)
            assert (plain is None) == (made is None), (model, raw)
            if plain is not None:
                assert_same_values(made, plain)


# --- start-up ---------------------------------------------------------------------------

#: A cold `check` of the annex in a fresh interpreter; then which record models had
#: pydantic's validator built, and whether the heavy modules were imported.
PROBE = """
import sys
from wsis_ledger.commands.main import cli
from wsis_ledger.core import models
try:
    cli(["check"])
except SystemExit:
    pass
kinds = [k for k in vars(models).values() if isinstance(k, type) and issubclass(k, models.Record)]
built = sorted(k.__name__ for k in kinds if k.__pydantic_complete__)
heavy = ["pydantic.plugin._loader", "importlib.metadata", "iso4217"]
print("built:", built, "imported:", [m for m in heavy if m in sys.modules], file=sys.stderr)
"""


def test_a_cold_check_of_the_annex_builds_no_validator(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("WSIS_LEDGER_DATA", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.stdout.startswith("ok: "), done.stderr
    assert done.stderr.strip() == "built: [] imported: []"
