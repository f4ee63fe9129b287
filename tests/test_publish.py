"""`export --format iati` and `--format sqlite`: what IATI's schema, code lists and
rules ask of an activity file, and a database several funds can share.

The IATI 2.03 schemas and code lists are read from the pyIATI package's files
(`.ci/run` installs it without its dependencies, which pin a PyYAML and an
lxml too old for this project); where it is missing, only those tests skip.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import Run, edit

from wsis_ledger.render.iati import NAMESPACE

ROOT = Path(__file__).resolve().parent.parent
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _standard() -> Path | None:
    spec = importlib.util.find_spec("iati")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "resources/standard/2-03"
    return folder if (folder / "schemas/iati-activities-schema.xsd").is_file() else None


STANDARD = _standard()
needs_standard = pytest.mark.skipif(
    STANDARD is None, reason="IATI 2.03 schemas: pip install --no-deps pyIATI==0.4.1"
)


@pytest.fixture(scope="module")
def schema() -> object:
    from lxml import etree

    assert STANDARD is not None
    return etree.XMLSchema(etree.parse(str(STANDARD / "schemas/iati-activities-schema.xsd")))


def codes(name: str) -> set[str]:
    assert STANDARD is not None
    tree = ElementTree.parse(STANDARD / "codelists" / f"{name}.xml")
    return {item.findtext("code", "") for item in tree.iter("codelist-item")}


@pytest.fixture
def fund(tmp_path: Path) -> Path:
    """A copy of the example fund, with its (example) IATI settings."""
    target = tmp_path / "fund"
    shutil.copytree(ROOT / "examples" / "fund", target)
    return target


def activities(run: Run, *args: str | Path) -> ElementTree.Element:
    result = run("export", "--format", "iati", *args)
    assert result.exit_code == 0, result.output
    return ElementTree.fromstring(result.output)


def ledgers(fund: Path) -> Iterator[tuple[str | Path, ...]]:
    yield ()  # the shipped annex
    yield ("--data", fund)
    yield ("--data", fund, "--per", "phase")
    yield ("--data", fund, "--as-of", "2024-03-31", "--lang", "zh")


@needs_standard
def test_every_export_is_valid_against_the_iati_203_schema(
    run: Run, fund: Path, schema: object
) -> None:
    from lxml import etree

    for args in ledgers(fund):
        result = run("export", "--format", "iati", *args)
        assert result.exit_code == 0, result.output
        document = etree.fromstring(result.output.encode("utf-8"))
        assert schema.validate(document), (args, schema.error_log)  # type: ignore[attr-defined]


@needs_standard
def test_every_code_is_in_its_203_code_list(run: Run, fund: Path) -> None:
    lists = {
        name: codes(name)
        for name in (
            "TransactionType",
            "OrganisationType",
            "OrganisationRole",
            "ActivityStatus",
            "BudgetType",
            "Sector",
            "Region",
            "Currency",
        )
    }
    used = 0
    for args in ledgers(fund):
        root = activities(run, *args)
        found = [("TransactionType", e.get("code")) for e in root.iter("transaction-type")] + [
            ("ActivityStatus", e.get("code")) for e in root.iter("activity-status")
        ]
        for tag in ("reporting-org", "participating-org", "provider-org", "receiver-org"):
            found += [("OrganisationType", e.get("type")) for e in root.iter(tag) if e.get("type")]
        found += [("OrganisationRole", e.get("role")) for e in root.iter("participating-org")]
        found += [("BudgetType", e.get("type")) for e in root.iter("budget")]
        found += [("Sector", e.get("code")) for e in root.iter("sector")]
        found += [("Region", e.get("code")) for e in root.iter("recipient-region")]
        found += [("Currency", e.get("currency")) for e in root.iter("value")]
        found += [("Currency", e.get("default-currency")) for e in root.iter("iati-activity")]
        for name, code in found:
            assert code in lists[name], (args, name, code)
        used += len(found)
    assert used > 100


def test_the_rules_of_iatis_standard_ruleset_hold(run: Run, fund: Path) -> None:
    today = date.today()
    for args in ledgers(fund):
        root = activities(run, *args)
        for activity in root.iter("iati-activity"):
            default = activity.get("default-currency")
            # A currency on every value, or a default one.
            for value in activity.iter("value"):
                assert value.get("currency") or default
                assert date.fromisoformat(value.get("value-date", "")) <= today
            # No transaction in the future.
            for day in activity.iter("transaction-date"):
                assert date.fromisoformat(day.get("iso-date", "")) <= today
            # A budget's period starts before it ends, and is at most a year.
            for budget in activity.iter("budget"):
                start = date.fromisoformat(budget.find("period-start").get("iso-date", ""))  # type: ignore[union-attr]
                end = date.fromisoformat(budget.find("period-end").get("iso-date", ""))  # type: ignore[union-attr]
                assert start < end and (end - start).days <= 366
            # A provider has an identifier or a name.
            for org in activity.iter("provider-org"):
                assert org.get("ref") or any(n.text for n in org.iter("narrative"))
            # A sector, and a recipient country or region.
            assert activity.find("sector") is not None
            assert activity.find("recipient-region") is not None or (
                activity.find("recipient-country") is not None
            )


def test_a_phase_with_a_period_of_a_year_has_its_budget(run: Run, fund: Path) -> None:
    ledger = fund / "ledger.yaml"
    text = ledger.read_text(encoding="utf-8")
    assert "budget: " in text
    edit(ledger, "budget: ", "start: 2024-01-01\n      end: 2024-12-31\n      budget: ")
    root = activities(run, "--data", fund)
    budgets = list(root.iter("budget"))
    assert len(budgets) == 1
    value = budgets[0].find("value")
    assert value is not None and value.get("value-date") == "2024-01-01"
    # A longer period is not a budget IATI takes: none is invented in its place.
    edit(ledger, "end: 2024-12-31", "end: 2025-06-30")
    assert list(activities(run, "--data", fund).iter("budget")) == []


def test_the_annex_exports_its_2002_figures_and_says_what_is_derived(run: Run) -> None:
    root = activities(run)
    booked = [t.find(f"{{{NAMESPACE}}}booked") for t in root.iter("transaction")]
    received = sum(
        Decimal(b.get("chf", "")) for b in booked if b is not None and b.get("kind") == "receipt"
    )
    report = run("report", "--format", "json")
    assert received == Decimal(json.loads(report.output)["totals"]["received"])
    # The annex dates nothing: each transaction says it is dated by its statement.
    assert all(b is not None and b.get("date-source") == "statement" for b in booked)
    start = root.find(".//activity-date")
    assert start is not None and "derived" in "".join(start.itertext())
    description = "".join(root.find(".//description").itertext())  # type: ignore[union-attr]
    assert "not printed by the source" in description


def test_narratives_in_chinese_are_marked_so(run: Run) -> None:
    root = activities(run, "--lang", "zh")
    activity = root.find("iati-activity")
    assert activity is not None and activity.get(XML_LANG) == "zh"
    title = [n for n in activity.find("title").iter("narrative")]  # type: ignore[union-attr]
    assert [n.get(XML_LANG) for n in title] == ["zh", "en"]
    assert title[0].text == "国际电联为信息社会世界峰会设立的特别信托基金"


def test_without_iati_settings_the_export_stops_and_names_them(run: Run, fund: Path) -> None:
    ledger = fund / "ledger.yaml"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "iati:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    ledger.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    result = run("export", "--format", "iati", "--data", fund)
    assert result.exit_code == 1
    assert "'iati:'" in result.output and "ledger.yaml" in result.output
    assert "Traceback" not in result.output


def test_two_funds_share_one_database_and_a_fund_exported_again_is_replaced(
    run: Run, fund: Path, tmp_path: Path
) -> None:
    database = tmp_path / "funds.sqlite"
    for args in ((), ("--data", fund), ("--data", fund), ("--data", fund, "--fund-id", "copy")):
        result = run("export", "--format", "sqlite", "-o", database, *args)
        assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(database)) as connection:
        funds = [row[0] for row in connection.execute("SELECT fund_id FROM funds ORDER BY 1")]
        assert funds == ["copy", "example", "wsis"]
        counts = dict(connection.execute("SELECT fund_id, COUNT(*) FROM receipts GROUP BY 1"))
        totals = {
            row[0]: row[1]
            for row in connection.execute("SELECT fund_id, received_minor FROM report_totals")
        }
        places = connection.execute(
            "SELECT file, line FROM receipts WHERE fund_id = 'wsis'"
        ).fetchall()
    annex = json.loads(run("report", "--format", "json").output)["totals"]
    assert Decimal(totals["wsis"]) / 100 == Decimal(annex["received"])
    ids = [f for f in funds if f != "wsis"]
    assert counts[ids[0]] == counts[ids[1]]  # exported twice: replaced, not doubled
    assert all(file == "annex-2002-12-20.yaml" and line > 0 for file, line in places)


def test_a_database_of_another_schema_is_refused_untouched(run: Run, tmp_path: Path) -> None:
    database = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("CREATE TABLE receipts (id TEXT)")
        connection.commit()
    before = database.read_bytes()
    result = run("export", "--format", "sqlite", "-o", database)
    assert result.exit_code == 1
    assert "another schema" in result.output and "Traceback" not in result.output
    assert database.read_bytes() == before
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database\n" * 100, encoding="utf-8")
    result = run("export", "--format", "sqlite", "-o", text)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert text.read_text(encoding="utf-8") == "not a database\n" * 100


def test_the_database_is_written_to_a_file_only(run: Run) -> None:
    result = run("export", "--format", "sqlite")
    assert result.exit_code == 2
    assert "-o FILE" in result.output


def test_the_checked_in_iati_file_of_the_annex_is_current(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """examples/annex-iati.xml is what the export gives today, at the time it names
    (remake it: SOURCE_DATE_EPOCH=1796601600 wsis-ledger export --format iati -o
    examples/annex-iati.xml)."""
    shipped = (ROOT / "examples" / "annex-iati.xml").read_text(encoding="utf-8")
    stamp = ElementTree.fromstring(shipped).get("generated-datetime", "")
    epoch = int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    made = run("export", "--format", "iati").output

    def without_version(text: str) -> str:  # a release changes only the tool's version
        return re.sub(r"wsis-ledger \S+,", "wsis-ledger VERSION,", text)

    assert without_version(made) == without_version(shipped)


def test_a_transaction_after_today_stops_the_export_with_the_way_out(run: Run, fund: Path) -> None:
    today = date.today()
    later = today.replace(year=today.year + 1, day=min(today.day, 28))
    (fund / "later.yaml").write_text(
        f"received:\n  - {{id: r-later, donor: host, chf: 1000, date: {later.isoformat()}}}\n",
        encoding="utf-8",
    )
    result = run("export", "--format", "iati", "--data", fund)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert (
        f"r-later is dated {later.isoformat()}, after today ({today.isoformat()})" in result.output
    )
    assert f"--as-of {today.isoformat()}" in result.output
    known = run("export", "--format", "iati", "--data", fund, "--as-of", today.isoformat())
    assert known.exit_code == 0 and "r-later" not in known.output


def test_a_signed_agreement_is_an_incoming_commitment_on_its_day(run: Run, fund: Path) -> None:
    root = activities(run, "--data", fund, "--as-of", "2024-04-30")
    by_ref = {t.get("ref"): t for t in root.iter("transaction")}
    signed = [t for t in by_ref.values() if t.find("transaction-type").get("code") == "11"]  # type: ignore[union-attr]
    assert signed, "the example fund has a signed pledge"
    for commitment in signed:
        pledge = by_ref[commitment.get("ref", "").removesuffix("-signed")]
        assert pledge.find("transaction-type").get("code") == "13"  # type: ignore[union-attr]
        assert pledge.find("value").text == commitment.find("value").text  # type: ignore[union-attr]
        booked = [t.find(f"{{{NAMESPACE}}}booked") for t in (pledge, commitment)]
        assert booked[0].get("chf") == booked[1].get("chf")  # type: ignore[union-attr]
    # Before the day it was signed, the pledge is announced only.
    early = activities(run, "--data", fund, "--as-of", "2024-01-25")
    assert not [t for t in early.iter("transaction-type") if t.get("code") == "11"]


def test_a_phase_id_iati_forbids_in_an_identifier_stops_the_per_phase_export(
    run: Run, fund: Path
) -> None:
    """'/' is the one of IATI's forbidden characters a ledger's ids may hold."""
    for path in fund.glob("*.yaml"):
        edit_all(path, "phase-1", "phase/1")
    assert run("check", "--data", fund).exit_code == 0
    result = run("export", "--format", "iati", "--data", fund, "--per", "phase")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "'phase/1' holds /, which IATI's rules forbid" in result.output
    assert run("export", "--format", "iati", "--data", fund).exit_code == 0


def edit_all(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("fund_id", ["WSIS", "Wsis", "wsis ", "ws%", "a/b", "", " x", "x" * 65])
def test_a_fund_id_that_is_not_one_or_another_spelling_of_one_is_refused(
    run: Run, tmp_path: Path, fund_id: str
) -> None:
    database = tmp_path / "funds.sqlite"
    assert run("export", "--format", "sqlite", "-o", database).exit_code == 0
    before = database.read_bytes()
    result = run("export", "--format", "sqlite", "-o", database, "--fund-id", fund_id)
    if fund_id == "":  # empty: the ledger's own id, exported again
        assert result.exit_code == 0
        return
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert database.read_bytes() == before
