"""Recorded rates, reference rates (offline ECB, online forex-python), revaluation."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger import api
from wsis_ledger.compute.rate_check import NOTE_IDS
from wsis_ledger.core.problems import MAX_PROBLEMS_PER_KIND
from wsis_ledger.source.reference_rates import (
    ECBReference,
    ForexPythonProvider,
    ProviderUnavailable,
    cross_rate,
)


def test_rates_list_shows_every_rate_in_use(run: Run) -> None:
    rows = json.loads(run("rates", "list", "--format", "json").output)["rates"]
    assert len(rows) == 10  # the annex's non-CHF entries
    japan = next(r for r in rows if r["used_by"] == "r01")
    assert (japan["currency"], japan["rate"], japan["basis"]) == (
        "JPY",
        "0.01271051057862663925",
        "derived",
    )
    assert "derived from the annex" in japan["source"]


def check_json(run: Run, *args: str) -> dict:  # type: ignore[type-arg]
    result = run("rates", "check", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_the_canada_pledge_is_flagged_with_its_chf_effect(run: Run) -> None:
    document = check_json(run)
    flagged = {r["entry"]: r for r in document["rates"]}
    canada = flagged["p02"]
    # ECB on 2002-12-20: CAD 0.9195 CHF; booked at 1 CAD = 1 CHF.
    assert canada["reference_date"] == "2002-12-20"
    assert Decimal(canada["reference"]).quantize(Decimal("0.0001")) == Decimal("0.9195")
    assert canada["deviation_percent"] == "8.76"
    assert (canada["chf"], canada["chf_at_reference"], canada["difference"]) == (
        "1000000",
        "919492",
        "-80508",
    )
    assert canada["within_before"] == "2002-07-08"  # when 1 CAD was last within 2 % of 1 CHF
    assert document["chf_effect"]["pledged"] == str(-80508 + 9065)  # with Switzerland's USD


def test_undated_receipts_are_compared_with_the_years_range(run: Run) -> None:
    rows = {r["entry"]: r for r in check_json(run, "--all")["rates"]}
    japan = rows["r01"]
    assert "range 2002-01-01 to 2002-12-20" in japan["basis"]
    assert japan["low"].startswith("0.01176") and japan["high"].startswith("0.01307")
    assert japan["flagged"] is False
    assert rows["r13"]["flagged"] is True  # UNFCU's 1.39 lies below USD's 2002 low of 1.4246


def test_strict_makes_findings_fail_and_tolerance_widens(run: Run) -> None:
    assert run("rates", "check", "--strict").exit_code == 3
    assert run("rates", "check", "--strict", "--tolerance", "10").exit_code == 0
    assert "0 of 10 rates differ" in run("rates", "check", "--tolerance", "10").output


def test_a_weekend_takes_the_last_business_day_and_says_so(run: Run) -> None:
    result = run("rates", "fetch", "USD", "--date", "2002-12-21", "--source", "ecb-offline")
    assert result.exit_code == 0
    assert result.output.startswith(
        "1.425548513 CHF per USD on 2002-12-21 (the last business day before: 2002-12-20)"
    )


def ecb_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "ecb.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("eurofxref-hist.csv", "Date,USD,JPY,CHF,\n" + "\n".join(rows) + "\n")
    return path


def test_ecb_cross_rates_are_decimal_through_eur(tmp_path: Path) -> None:
    reference = ECBReference(
        ecb_file(
            tmp_path,
            [
                "2002-12-23,1.0200,124.00,1.4600,",
                "2002-12-20,1.0255,124.50,1.4619,",
                "2002-12-19,N/A,125.00,1.4630,",
            ],
        )
    )
    found = reference.rate("USD", date(2002, 12, 22))
    assert found is not None
    assert (found.day, found.value) == (
        date(2002, 12, 20),
        cross_rate(Decimal("1.4619"), Decimal("1.0255")),
    )
    assert found.value == Decimal("1.425548513")
    assert reference.rate("EUR", date(2002, 12, 20)).value == Decimal("1.4619")  # type: ignore[union-attr]
    usd_19 = reference.rate("USD", date(2002, 12, 19))
    assert usd_19 is None  # N/A that day and no day before: nothing invented
    assert reference.rate("USD", date(1998, 1, 1)) is None
    assert [d for d, _ in reference.series("JPY", date(2002, 12, 19), date(2002, 12, 20))] == [
        date(2002, 12, 19),
        date(2002, 12, 20),
    ]


def test_a_missing_ecb_file_is_unavailable_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(ProviderUnavailable, match="cannot be read"):
        ECBReference(tmp_path / "nowhere.zip").rate("USD", date(2002, 12, 20))


# --- forex-python, with its HTTP layer replaced ------------------------------------


class FakeResponse:
    status_code = 200

    def __init__(self, text: str) -> None:
        self.text = text

    def json(self) -> object:
        return json.loads(self.text)


def test_forex_python_through_its_own_client(monkeypatch: pytest.MonkeyPatch) -> None:
    import forex_python.converter as converter

    asked = []

    def fake_get(url: str, params: dict | None = None, **kwargs: object) -> FakeResponse:  # type: ignore[type-arg]
        asked.append(params)
        return FakeResponse('{"rates": {"CHF": 1.4255485129}, "date": "2002-12-20"}')

    monkeypatch.setattr(converter.requests, "get", fake_get)
    found = ForexPythonProvider().rate("USD", date(2002, 12, 20))
    assert found is not None
    assert found.value == Decimal("1.4255485129")  # from the JSON text, not via a float
    assert asked[0]["base"] == "USD" and asked[0]["symbols"] == "CHF"


def test_forex_python_without_network_says_so(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import forex_python.converter as converter
    import requests

    def no_network(*args: object, **kwargs: object) -> None:
        raise requests.ConnectionError("Failed to resolve 'example.invalid'")

    monkeypatch.setattr(converter.requests, "get", no_network)
    result = run("rates", "check", "--source", "forex-python")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: forex-python could not get the rate: its service cannot be reached "
        "(ConnectionError); the offline reference: --source ecb-offline"
    ]
    result = run("rates", "fetch", "USD", "--date", "2003-02-14", "--source", "forex-python")
    assert result.exit_code == 1
    assert "cannot be reached" in result.output


def test_a_service_that_never_answers_is_bounded() -> None:
    def hang(*args: object) -> Decimal:
        time.sleep(30)
        return Decimal(1)

    provider = ForexPythonProvider(timeout=0.2, get_rate=hang)
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match=r"did not answer within 0\.2 s"):
        provider.rate("USD", date(2002, 12, 20))
    assert time.monotonic() - started < 5


def test_a_float_answer_is_refused() -> None:
    provider = ForexPythonProvider(get_rate=lambda *args: 1.4255)
    with pytest.raises(ProviderUnavailable, match="not a rate"):
        provider.rate("USD", date(2002, 12, 20))


# --- the rates table ----------------------------------------------------------------


def test_fetch_record_then_convert_and_import_use_the_table(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    result = run(
        "rates",
        "fetch",
        "USD",
        "--date",
        "2003-02-14",
        "--source",
        "ecb-offline",
        "--record",
        "--data",
        ledger_dir,
    )
    assert result.exit_code == 0, result.output
    listed = json.loads(run("rates", "list", "--data", ledger_dir, "--format", "json").output)[
        "rates"
    ]
    table = [r for r in listed if r["used_by"] == "rates table"]
    assert len(table) == 1 and table[0]["date"] == "2003-02-14"
    rate = Decimal(table[0]["rate"])
    result = run(
        "convert", "1000", "USD", "--date", "2003-02-14", "--data", ledger_dir, "--format", "json"
    )
    converted = json.loads(result.output)
    assert (converted["rate_basis"], Decimal(converted["chf"])) == (
        "table",
        (1000 * rate).quantize(Decimal(1)),
    )
    (tmp_path / "new.csv").write_text(
        "type,donor,amount,currency,date\nreceipt,finland,1000,USD,2003-02-14\n"
    )
    assert run("import", "--data", ledger_dir, tmp_path / "new.csv").exit_code == 0, (
        "table rate used"
    )
    assert run("convert", "1", "USD", "--date", "2003-02-15", "--data", ledger_dir).exit_code == 1


def test_revaluation_of_outstanding_pledges(run: Run) -> None:
    result = run("pledges", "--outstanding", "--revalue", "2002-12-20", "--format", "json")
    rows = {r["id"]: r for r in json.loads(result.output)["pledges"]}
    assert (rows["p02"]["revalued_chf"], rows["p02"]["revaluation"]) == ("919492", "-80508")
    assert rows["p03"]["revalued_chf"] is None  # CHF pledges have no exposure


def test_report_and_check_read_the_shipped_reference_rates_only() -> None:
    """They judge the recorded rates against the ECB's rates shipped with the tool (a
    warning of `check`, a note of `report`): never a web service, never a workbook."""
    code = (
        "import sys\n"
        "from wsis_ledger.commands.main import cli\n"
        "for args in (['check'], ['report', '--format', 'json']):\n"
        "    try:\n"
        "        cli(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in ('forex_python', 'openpyxl')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_rate_far_from_the_reference_is_a_warning_of_check_and_a_note_of_report(
    run: Run,
) -> None:
    """The annex books CAD at par (about 80 000 CHF at stake): `check` warns of it (and
    fails with --strict), `report` notes it; `rates check` finds the same entries."""
    flagged = json.loads(run("rates", "check", "--format", "json").stdout)["rates"]
    ids = [r["entry"] for r in flagged]
    assert "p02" in ids
    checked = json.loads(run("check", "--no-cache", "--format", "json").stdout)
    warned = [w for w in checked["warnings"] if w["code"] == "rate-off-reference"]
    assert len(warned) == len(ids) and any("'p02'" in w["message"] for w in warned)
    assert "80 508 CHF at stake" in next(w["message"] for w in warned if "'p02'" in w["message"])
    assert run("check", "--no-cache").exit_code == 0
    assert run("check", "--no-cache", "--strict").exit_code == 3
    document = json.loads(run("report", "--no-cache", "--format", "json").stdout)
    (note,) = document["ledger_notes"]
    assert note.startswith(f"Rates: {len(ids)} of 10 rates")
    assert note in run("report", "--no-cache").stdout


def test_many_rates_far_from_the_reference_are_told_within_bounds(
    run: Run, ledger_dir: Path
) -> None:
    """Every entry of a file at a rate far from the reference: `check` tells the first
    of them and counts the rest on one line (as it does problems); `report`'s note
    names the first few and counts the others. Output stays bounded by the ledger's
    kinds of warning, not its size."""
    many = 150
    rows = "".join(
        f"  - {{id: far{n}, donor: atu, amount: 100, currency: USD, rate: 5,"
        f" date: 2003-03-{1 + n % 28:02d}}}\n"
        for n in range(many)
    )
    (ledger_dir / "2003.yaml").write_text("received:\n" + rows)
    result = run("check", "--no-cache", "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    far = [line for line in lines if line.startswith("warning:") and "'far" in line]
    assert len(far) == MAX_PROBLEMS_PER_KIND < many
    more = [line for line in lines if "more of the same kind (rate-off-reference)" in line]
    assert len(more) == 1 and f"{many - MAX_PROBLEMS_PER_KIND} more" in more[0]
    flagged = json.loads(run("rates", "check", "--format", "json", "--data", ledger_dir).stdout)[
        "rates"
    ]
    assert lines[-1] == f"{len(flagged)} warnings."  # the count is of every warning
    document = json.loads(
        run("report", "--no-cache", "--format", "json", "--data", ledger_dir).stdout
    )
    (note,) = document["ledger_notes"]
    named = note.split("(", 1)[1].split(")", 1)[0]
    assert named.count(", ") == NOTE_IDS - 1
    assert named.endswith(f" and {len(flagged) - NOTE_IDS} more")


def test_the_warnings_pass_over_near_rates_and_find_the_same_far_ones(tmp_path: Path) -> None:
    """`flagged` (check's warnings) compares only what is far from its day's reference:
    it finds the very entries the full comparison (`rates check`) flags, no more."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    from wsis_ledger.compute.rate_check import bundled_reference, compare, flagged
    from wsis_ledger.source import loading

    generate(2000, tmp_path / "ledger")
    ledger, problems = loading.load(tmp_path / "ledger")
    assert ledger is not None and not problems
    every = compare(ledger, bundled_reference(), nearest=False)
    far = [c.entry.id for c in every if c.flagged]
    assert 0 < len(far) < len(every)  # some rates near their reference, some far
    assert [c.entry.id for c in flagged(ledger)] == far


def test_an_entry_after_the_references_last_day_leaves_the_others_judged(
    run: Run, ledger_dir: Path
) -> None:
    """An entry dated after the shipped reference's last day cannot be judged; the
    other entries' rates still are (it does not turn the warnings off)."""
    late = ECBReference().last_day
    assert late is not None and late < date.today()
    late += timedelta(days=1)
    (ledger_dir / "2003.yaml").write_text(
        "received:\n"
        "  - {id: far, donor: atu, amount: 100, currency: USD, rate: 5, date: 2003-03-03}\n"
        f"  - {{id: late, donor: atu, amount: 100, currency: USD, rate: 5, date: {late}}}\n"
    )
    result = run("check", "--no-cache", "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    assert "the rate of 'far'" in result.stdout
    assert "the rate of 'late'" not in result.stdout
    # ... and it is said: one warning, and in the report's note, which counts only
    # the rates it judged
    (said,) = [line for line in result.stdout.splitlines() if "not compared" in line]
    assert f"1 rate dated after {late - timedelta(days=1)}" in said and "(late)" in said
    assert run("check", "--no-cache", "--strict", "--data", ledger_dir).exit_code != 0
    document = json.loads(
        run("report", "--no-cache", "--format", "json", "--data", ledger_dir).stdout
    )
    (note,) = document["ledger_notes"]
    entries = api.open_ledger(ledger_dir).records.entries
    foreign = [e for e in entries if e.currency not in (None, "CHF") and e.amount is not None]
    assert f" of {len(foreign) - 1} rates" in note and "1 rate dated after" in note


@pytest.mark.parametrize(
    ("cell", "reason"), [(None, "cannot be read"), ("abc", "not a number"), ("0", "not a number")]
)
def test_a_reference_that_cannot_be_read_is_said_not_passed_over(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cell: str | None, reason: str
) -> None:
    """A damaged reference file (not a zip; a quote that is not a number, or zero):
    `check` warns that the rates were not compared (failing under --strict), and the
    report says so; never a traceback, never silence."""
    from wsis_ledger.compute import rate_check

    bad = tmp_path / "ecb.zip"
    if cell is None:
        bad.write_bytes(b"not a zip")
    else:
        with zipfile.ZipFile(bad, "w") as archive:
            archive.writestr(
                "eurofxref-hist.csv",
                f"Date,USD,JPY,CHF,CAD,\n2002-12-20,{cell},{cell},{cell},{cell},\n",
            )
    monkeypatch.setattr(rate_check, "bundled_reference", lambda: ECBReference(bad))
    result = run("check", "--no-cache")
    assert result.exit_code == 0, result.output
    (said,) = [line for line in result.stdout.splitlines() if "were not compared" in line]
    assert reason in said
    assert run("check", "--no-cache", "--strict").exit_code != 0
    document = json.loads(run("report", "--no-cache", "--format", "json").stdout)
    assert any("not compared with the ECB's reference" in n for n in document["ledger_notes"])
