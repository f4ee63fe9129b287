"""Where reference rates come from: the ECB's own file (downloaded, bounded), the shipped
copy (which stops at its last day), forex-python. No network is used here: the
download is replaced by a function that returns a file, fails, or never answers."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from conftest import Run

from wsis_ledger.source.reference_rates import (
    BeyondReference,
    ECBDownload,
    ECBReference,
    ProviderUnavailable,
    cross_rate,
)

ROWS = "Date,USD,CHF,\n2003-02-14,1.0783,1.4682,\n2003-02-13,1.0800,1.4690,\n"


def ecb_zip(text: str = ROWS) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("eurofxref-hist.csv", text)
    return out.getvalue()


def test_the_ecbs_file_is_downloaded_once_and_read_as_decimal() -> None:
    asked: list[tuple[str, float]] = []

    def fetch(url: str, timeout: float) -> bytes:
        asked.append((url, timeout))
        return ecb_zip()

    provider = ECBDownload(fetch=fetch)
    found = provider.rate("USD", date(2003, 2, 14))
    assert found is not None
    assert found.value == cross_rate(Decimal("1.4682"), Decimal("1.0783"))  # 10 digits, half-up
    assert provider.rate("USD", date(2003, 2, 13)) is not None
    assert len(asked) == 1 and asked[0][0].startswith("https://www.ecb.europa.eu/")
    assert asked[0][1] <= 10


def test_a_download_that_never_answers_ends_within_its_bound() -> None:
    def hang(url: str, timeout: float) -> bytes:
        time.sleep(30)
        return b""

    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match=r"the ECB's site did not answer within 0\.3 s"):
        ECBDownload(timeout=0.3, fetch=hang).rate("USD", date(2003, 2, 14))
    assert time.monotonic() - started < 5


def test_a_failed_or_broken_download_is_one_reason() -> None:
    def offline(url: str, timeout: float) -> bytes:
        raise OSError("Network is unreachable")

    with pytest.raises(ProviderUnavailable, match="the ECB's file could not be downloaded"):
        ECBDownload(fetch=offline).rate("USD", date(2003, 2, 14))
    with pytest.raises(ProviderUnavailable, match="cannot be read"):
        ECBDownload(fetch=lambda url, timeout: b"<html>maintenance</html>").rate(
            "USD", date(2003, 2, 14)
        )


def test_a_date_after_the_references_last_day_is_refused_naming_that_day() -> None:
    reference = ECBReference(data=ecb_zip)
    with pytest.raises(BeyondReference, match="end on 2003-02-14: no rate is known for 2003-03-01"):
        reference.rate("USD", date(2003, 3, 1))
    nearest = ECBReference(data=ecb_zip, nearest=True).rate("USD", date(2003, 3, 1))
    assert nearest is not None and nearest.day == date(2003, 2, 14)


def test_the_shipped_reference_stops_at_its_last_day_in_the_commands(run: Run) -> None:
    last = ECBReference().last_day
    assert last is not None
    after = date(last.year + 1, 1, 15).isoformat()
    result = run("rates", "fetch", "USD", "--date", after, "--source", "ecb-offline")
    assert result.exit_code == 1
    assert f"end on {last.isoformat()}" in result.output and "Traceback" not in result.output
    result = run("rates", "fetch", "USD", "--date", after, "--source", "ecb-offline", "--nearest")
    assert result.exit_code == 0, result.output
    assert f"(the reference's last day: {last.isoformat()})" in result.output
    assert run("pledges", "--revalue", after).exit_code == 1


def test_fetch_without_network_is_one_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from wsis_ledger.source import reference_rates

    def offline(url: str, timeout: float) -> bytes:
        raise OSError("Network is unreachable")

    monkeypatch.setattr(reference_rates, "_download", offline)
    result = run("rates", "fetch", "USD", "--date", "2003-02-14")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: the ECB's file could not be downloaded: its service cannot be reached "
        "(OSError); the offline reference: --source ecb-offline"
    ]
