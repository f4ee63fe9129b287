"""Published statements: printed totals, imports into a statement, known differences, history."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ANNEX, Run, edit

# A release printing 882 000 over rows that add up to 881 950.
RELEASE = """\
statement:
  id: release-2003-06
  title: Press release
  as_of: 2003-06-30
  source: "Press release, 30 June 2003, https://example.org/release"
  stated:
    received: 882000
received:
  - {id: rel-1, donor: sweden, chf: 500000}
  - {id: rel-2, donor: finland, chf: 381950}
"""


@pytest.fixture
def two_statements(ledger_dir: Path) -> Path:
    """The shipped annex, and a second statement whose printed total differs from its rows."""
    (ledger_dir / "release.yaml").write_text(RELEASE, encoding="utf-8")
    return ledger_dir


def test_the_issue_case_from_a_new_ledger(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "tunis"
    assert run("init", root, "--name", "WSIS fund", "--as-of", "2005-01-01").exit_code == 0
    added = run(
        "statement", "add", "press-2005-03", "--as-of", "2005-03-31",
        "--source", "Press release, 31 March 2005", "--stated-received", "882000",
        "--data", root,
    )  # fmt: skip
    # The statement has no rows yet: a finding, not a broken ledger; the write goes through.
    assert added.exit_code == 0, added.output
    assert "difference -882 000 CHF" in added.stderr
    rows = tmp_path / "release.csv"
    rows.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
        "receipt,Sweden,500000,CHF,,,,,PR-1\n"
        "receipt,Finland,381950,CHF,,,,,PR-2\n",
        encoding="utf-8",
    )
    imported = run("import", rows, "--statement", "press-2005-03", "--add-donors", "--data", root)
    assert imported.exit_code == 0, imported.output
    assert "its 2 entries add up to 881 950 CHF (difference -50 CHF)" in imported.stderr
    check = run("check", "--data", root)
    assert check.exit_code == 3 and "difference -50 CHF" in check.output
    report = run("report", "--data", root, "--format", "json")
    assert report.exit_code == 3
    document = json.loads(report.stdout)
    assert document["stated_differences"][0]["difference"] == "-50"
    assert document["totals"]["received"] == "881950"

    note = "the release prints 882 000; its rows add up to 881 950"
    ack = run(
        "statement", "acknowledge", "press-2005-03", "--note", note, "--date", "2005-04-02",
        "--data", root,
    )  # fmt: skip
    assert ack.exit_code == 0, ack.output
    check = run("check", "--data", root)
    assert check.exit_code == 0, check.output
    assert "acknowledged: received of 'press-2005-03'" in check.output and note in check.output
    assert run("report", "--data", root).exit_code == 0
    # Acknowledged, the difference stays in sight in every format: the printed figure,
    # the difference and the acknowledgement's note.
    for fmt in ("table", "markdown", "html", "csv", "json"):
        shown = run("report", "--data", root, "--format", fmt, "--wide").stdout
        assert "882" in shown and "-50" in shown, fmt
        assert note in shown, fmt
    document = json.loads(run("report", "--data", root, "--format", "json").stdout)
    assert document["stated_differences"] == []
    assert document["acknowledged_differences"][0]["acknowledged_note"] == note
    book = tmp_path / "acknowledged.xlsx"
    assert run("export", "--format", "xlsx", "-o", book, "--data", root).exit_code == 0
    from openpyxl import load_workbook

    cells = [
        str(c)
        for sheet in load_workbook(book).worksheets
        for r in sheet.iter_rows(values_only=True)
        for c in r
        if c is not None
    ]
    assert any(note in c for c in cells) and any(c in ("-50", "+50") or "-50" in c for c in cells)
    listing = json.loads(run("statements", "--data", root, "--format", "json").output)
    press = next(s for s in listing["statements"] if s["id"] == "press-2005-03")
    assert press["state"] == "acknowledged"
    assert press["figures"][0]["acknowledged_note"] == note
    # Nothing left to acknowledge.
    assert (
        run("statement", "acknowledge", "press-2005-03", "--note", "x", "--data", root).exit_code
        == 2
    )

    # Another row of the release: the difference is no longer the one acknowledged.
    more = tmp_path / "more.csv"
    more.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
        "receipt,Sweden,25,CHF,,,,,PR-3\n",
        encoding="utf-8",
    )
    assert run("import", more, "--statement", "press-2005-03", "--data", root).exit_code == 0
    check = run("check", "--data", root)
    assert check.exit_code == 3
    assert "difference -25 CHF" in check.output and "acknowledged on 2005-04-02" in check.output


def test_import_into_an_unknown_statement_is_refused(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("type,donor,amount,currency\nreceipt,sweden,10,CHF\n", encoding="utf-8")
    result = run("import", rows, "--statement", "nope", "--data", ledger_dir)
    assert result.exit_code == 1
    assert "there is no statement 'nope'" in result.stderr
    assert not (ledger_dir / "imports").exists()


def test_writes_are_refused_for_problems_in_the_records(run: Run, two_statements: Path) -> None:
    # The stated-total difference alone does not stop a write...
    ok = run(
        "cancel", "p04", "--date", "2003-04-01", "--note", "withdrawn", "--data", two_statements
    )
    assert ok.exit_code == 0, ok.output
    assert "stated total received of 'release-2003-06'" in ok.stderr
    # ...a problem in the records does.
    edit(two_statements / ANNEX, r"donor: wmo", "donor: nobody")
    refused = run("cancel", "p02", "--date", "2003-04-01", "--note", "x", "--data", two_statements)
    assert refused.exit_code == 1 and "nothing was written" in refused.stderr


def test_a_statement_id_cannot_name_another_folder(run: Run, ledger_dir: Path) -> None:
    result = run(
        "statement", "add", "a/../../x", "--as-of", "2003-01-01", "--source", "s",
        "--data", ledger_dir,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = list((ledger_dir / "statements").iterdir())
    assert len(written) == 1 and written[0].name.startswith("2003-01-01-a_")
    assert "/" not in written[0].name[len("2003-01-01-") :]
    assert written[0].parent == ledger_dir / "statements"
    assert run("statement", "add", "a/../../x", "--as-of", "2003-01-01", "--source", "s",
               "--data", ledger_dir).exit_code == 2  # fmt: skip


def test_two_statements_in_every_listing(run: Run, two_statements: Path) -> None:
    table = run("statements", "--data", two_statements)
    assert table.exit_code == 0
    assert "differs by -50" in table.output and "agrees" in table.output
    report = run("report", "--data", two_statements, "--format", "csv")
    assert report.exit_code == 3
    rows = list(csv.DictReader(io.StringIO(report.stdout)))
    assert rows[0]["section"] == "stated_difference" and rows[0]["difference"] == "-50"
    sources = {r["id"]: r["detail"] for r in rows if r["section"] == "source"}
    assert sources["release-2003-06"] == "Press release, 30 June 2003, https://example.org/release"
    # Checked as of before the release, the ledger is clean: the release was not yet out.
    early = run("report", "--data", two_statements, "--format", "json", "--as-of", "2003-01-01")
    assert json.loads(early.stdout)["stated_differences"] == []


def test_html_history_at_each_statement_date(run: Run, two_statements: Path) -> None:
    page = run("report", "--data", two_statements, "--format", "html").stdout
    history = page.split('class="history"')[1]
    # Computed with the position at each date: the annex alone, then with the release.
    document = json.loads(run("report", "--data", two_statements, "--format", "json").stdout)
    points = {p["as_of"]: p for p in document["history"]}
    assert points["2002-12-20"]["received"] == "2243419"
    assert points["2003-06-30"]["received"] == str(2243419 + 881950)
    assert "2 243 419" in history and "3 125 369" in history
    single = run("report", "--format", "html").stdout
    assert 'class="history"' not in single


def test_a_cached_report_keeps_the_time_it_was_computed_unless_the_time_is_fixed(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without SOURCE_DATE_EPOCH an answer from the cache keeps the time it was
    computed; SOURCE_DATE_EPOCH set later is an input of the key (issue 27, class 4)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    first = json.loads(run("report", "--format", "json").stdout)["generated"]["at"]
    again = json.loads(run("report", "--format", "json").stdout)["generated"]["at"]
    assert again == first != "1970-01-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    fixed = json.loads(run("report", "--format", "json").stdout)["generated"]["at"]
    fresh = json.loads(run("report", "--format", "json", "--no-cache").stdout)["generated"]["at"]
    assert fixed == fresh == "1970-01-01T00:00:00Z"


def test_provenance_in_every_output(
    run: Run, two_statements: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamp = "2023-11-14T22:13:20Z"
    data = ["--data", two_statements]
    document = json.loads(run("report", "--format", "json", *data).stdout)
    assert document["generated"]["at"] == stamp and document["generated"]["tool"] == "wsis-ledger"
    assert [s["statement"] for s in document["sources"]] == ["annex-2002-12-20", "release-2003-06"]
    page = run("report", "--format", "html", *data).stdout
    footer = page.split("<footer>")[1]
    assert stamp in footer and "https://example.org/release" in footer
    for fmt in ("beancount", "ledger"):
        head = run("export", "--format", fmt, *data).stdout.split("\n\n")[0]
        assert stamp in head and "source: release-2003-06" in head
    from openpyxl import load_workbook

    book_path = tmp_path / "x.xlsx"
    # The release's printed total differs: the export is made, said, and exits 1.
    assert run("export", "--format", "xlsx", "-o", book_path, *data).exit_code == 3
    book = load_workbook(book_path)
    assert "https://example.org/release" in (book.properties.description or "")
    about = [row[0] for row in book["About"].iter_rows(values_only=True) if row[0]]
    assert any(stamp in line for line in about)
    assert any("annex-2002-12-20" in line for line in about)


def test_a_report_with_records_after_its_statement_is_titled_by_the_fund(
    run: Run, ledger_dir: Path
) -> None:
    """The source's title and headings stand only over the source's own figures."""
    annex = json.loads(run("report", "--format", "json", "--data", ledger_dir).stdout)
    assert annex["title"].startswith("Contributions to the Summit")
    paid = run(
        "receive", "p02", "--amount", "400000", "--rate", "0.92", "--date", "2003-03-15",
        "--data", ledger_dir,
    )  # fmt: skip
    assert paid.exit_code == 0, paid.output
    later = json.loads(run("report", "--format", "json", "--data", ledger_dir).stdout)
    assert later["title"] == f"{later['fund']['name']} (as of 2003-03-15)"
    table = run("report", "--data", ledger_dir).stdout
    assert table.splitlines()[0].startswith(later["fund"]["name"])  # its sources still listed
    zh = json.loads(run("report", "--format", "json", "--lang", "zh", "--data", ledger_dir).stdout)
    assert zh["title"].endswith("（截至2003-03-15）")
    # As of a date before the payment, the figures are the annex's own: its title again.
    before = run("report", "--format", "json", "--as-of", "2003-01-31", "--data", ledger_dir)
    assert json.loads(before.stdout)["title"] == annex["title"]
