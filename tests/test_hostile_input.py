"""Hostile input (issue 11, items 3-6, 12, 14): no wrong answer, nothing forged, a true reason.

Imports whose identity depended on spelling, CSV that swallowed rows, text
that forged journal lines, records the checks did not cover, spreadsheet
formulas behind a separator, and messages that gave the wrong reason.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import textwrap
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ReportJson, Run

from wsis_ledger.compute.build_position import build_position
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Donor, Fund, LoanDrawing, LoanFacility, Names, Receipt
from wsis_ledger.render.journal import journal

LEDGER = """\
fund: {id: test, name: Test fund}
"""
DONORS = """\
donors:
  - {id: japan, name: Government of Japan, kind: government}
  - {id: sweden, name: Government of Sweden, kind: government}
  - {id: geneve, name: "Ville de Gen\u00e8ve", kind: government}
"""
HEADER = "type,donor,amount,currency,chf,rate,date,purpose,reference,pledge\n"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A tiny valid ledger: a fund and three donors."""
    root = tmp_path / "small"
    root.mkdir()
    (root / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    (root / "donors.yaml").write_text(DONORS, encoding="utf-8")
    return root


def write(root: Path, text: str, name: str = "entries.yaml") -> Path:
    path = root / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".wsis-ledger.lock"
    }


def import_csv(run: Run, root: Path, text: str, *args: str) -> tuple[int, str]:
    path = root.parent / "rows.csv"
    path.write_text(text, encoding="utf-8")
    result = run("import", "--data", root, path, *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def check_lines(run: Run, root: Path) -> list[str]:
    """The problems `check` prints (it must exit 1, without a traceback)."""
    result = run("check", "--data", root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()[:-1]


# --- 3. a row's identity is what it means, not how it was typed ---------------


def test_a_row_typed_another_way_is_the_same_gift(
    run: Run, small: Path, report_json: ReportJson
) -> None:
    first = HEADER + "receipt,Government of Sweden,50000,CHF,,,2005-02-03,,,\n"
    assert import_csv(run, small, first)[0] == 0
    before = files(small)
    for again in (
        "receipt,sweden,50000.00,CHF,,,2005-02-03,,,\n",
        "receipt,  GOVERNMENT   OF SWEDEN ,50000.0,CHF,,,2005-02-03,,,\n",
    ):
        code, output = import_csv(run, small, HEADER + again)
        assert code == 0, output
        assert "0 rows added, 1 already in the ledger" in output
    assert files(small) == before
    assert len(report_json("--data", small)["received"]["entries"]) == 1


def test_a_rate_and_a_pledge_typed_another_way_are_the_same_row(run: Run, small: Path) -> None:
    pledge = HEADER + "pledge,japan,1000000,JPY,,0.0115,2005-02-01,,JP-1,\n"
    assert import_csv(run, small, pledge, "--source", "pledges.csv")[0] == 0
    pay = "receipt,japan,500000,JPY,,{rate},2005-03-01,,,{pledge}\n"
    assert import_csv(run, small, HEADER + pay.format(rate="0.0115", pledge="JP-1"))[0] == 0
    [pledge_entry] = json.loads(run("report", "--data", small, "--format", "json").output)[
        "pledged"
    ]["entries"]
    code, output = import_csv(
        run, small, HEADER + pay.format(rate="0.011500", pledge=pledge_entry["id"])
    )
    assert code == 0, output
    assert "0 rows added, 1 already in the ledger" in output


def test_a_reference_in_the_ledger_with_other_content_is_a_conflict(run: Run, small: Path) -> None:
    assert import_csv(run, small, HEADER + "pledge,japan,1000,CHF,,,2005-02-01,,P-1,\n")[0] == 0
    before = files(small)
    for row, shown in (
        ("pledge,sweden,1000,CHF,,,2005-02-01,,P-1,\n", "donor 'japan' there, 'sweden' here"),
        ("pledge,japan,2000,CHF,,,2005-02-01,,P-1,\n", "amount 1000 there, 2000 here"),
        ("pledge,japan,1000,CHF,,,2005-02-02,,P-1,\n", "date '2005-02-01' there, '2005-02-02'"),
    ):
        code, output = import_csv(run, small, HEADER + row)
        assert code == 1, output
        assert "rows.csv:2: the reference 'P-1' is in the ledger already" in output
        assert shown in output
        assert "already in the ledger  " not in output  # never a status row
    assert files(small) == before
    # The same content written another way is no conflict.
    code, output = import_csv(run, small, HEADER + "pledge,Japan,1000.00,CHF,,,2005-02-01,,P-1,\n")
    assert (code, "0 rows added, 1 already in the ledger" in output) == (0, True)


def test_a_pledge_named_by_a_shared_reference_is_ambiguous(run: Run, small: Path) -> None:
    write(
        small,
        """\
        pledged:
          - {id: p-japan, donor: japan, amount: 1000, currency: CHF, reference: LETTER-1}
          - {id: p-sweden, donor: sweden, amount: 1000, currency: CHF, reference: LETTER-1}
        """,
    )
    # One rule with `import`, which refuses a file giving a reference twice: `check`
    # refuses two pledges of one reference, naming both lines.
    result = run("check", "--data", small)
    assert result.exit_code == 1
    assert (
        "small/entries.yaml:3:75: reference: 'LETTER-1' is the reference of the pledge "
        "'p-japan' too (entries.yaml:2); a reference names one pledge"
    ) in result.output
    write(
        small,
        """\
        pledged:
          - {id: p-japan, donor: japan, amount: 1000, currency: CHF, reference: LETTER-1}
        """,
    )
    before = files(small)
    # A pledge's id that is another pledge's reference names two pledges.
    write(
        small, "pledged:\n  - {id: LETTER-2, donor: japan, amount: 5, currency: CHF}\n", "more.yaml"
    )
    write(
        small,
        "pledged:\n  - {id: p3, donor: japan, amount: 5, currency: CHF, reference: LETTER-2}\n",
        "more2.yaml",
    )
    code, output = import_csv(run, small, HEADER + "receipt,japan,5,CHF,,,,,,LETTER-2\n")
    assert code == 1 and "names 2 pledges" in output
    assert {k: v for k, v in files(small).items() if k in before} == before


def test_a_payment_is_never_bound_to_another_donors_pledge(run: Run, small: Path) -> None:
    write(small, "pledged:\n  - {id: p1, donor: japan, amount: 1000, currency: CHF}\n")
    before = files(small)
    for named in ("p1",):
        code, output = import_csv(run, small, HEADER + f"receipt,sweden,500,CHF,,,,,,{named}\n")
        assert code == 1
        assert "pledge: 'p1' is a pledge of 'japan', not of 'sweden'" in output
    assert files(small) == before


@pytest.mark.parametrize(
    "typed",
    [
        unicodedata.normalize("NFD", "Ville de Genève"),  # e + combining grave accent
        "ville de GENÈVE",
        "Ville  de\u00a0Genève",  # a no-break space, two spaces
        "Ville de Gen\u200bève",  # an invisible zero-width space
        "Ｖille de Genève",  # a full-width letter
    ],
)
def test_a_donor_name_typed_another_way_is_the_same_donor(
    run: Run, small: Path, typed: str, report_json: ReportJson
) -> None:
    code, output = import_csv(run, small, HEADER + f"receipt,{typed},10,CHF,,,2005-01-01,,,\n")
    assert code == 0, output
    assert [e["donor_id"] for e in report_json("--data", small)["received"]["entries"]] == [
        "geneve"
    ]


def test_add_donors_never_adds_a_donor_that_looks_identical(
    run: Run, small: Path, report_json: ReportJson
) -> None:
    new = "Municipalité de Lausanne"
    rows = HEADER + "".join(
        f"receipt,{spelling},10,CHF,,,2005-01-0{n},,,\n"
        for n, spelling in enumerate(
            [new, unicodedata.normalize("NFD", new), new.upper(), f" {new}  "], 1
        )
    )
    rows += f"receipt,{unicodedata.normalize('NFD', 'Ville de Genève')},10,CHF,,,2005-01-09,,,\n"
    code, output = import_csv(run, small, rows, "--add-donors")
    assert code == 0, output
    assert "1 donor added" in output
    donors = {e["donor_id"] for e in report_json("--data", small)["received"]["entries"]}
    assert donors == {"geneve", "municipalite-de-lausanne"}
    assert run("check", "--data", small).exit_code == 0


def test_two_donors_whose_names_differ_only_in_composition_are_one_donor_twice(
    run: Run, small: Path
) -> None:
    nfd = unicodedata.normalize("NFD", "Ville de Genève")
    write(small, f'donors:\n  - {{id: geneve-2, name: "{nfd}", kind: government}}\n', "more.yaml")
    [line] = check_lines(run, small)
    assert "the donor 'geneve-2' has the name or alias" in line and "'geneve'" in line


# --- 4. CSV read strictly ------------------------------------------------------


def test_an_unclosed_quote_does_not_swallow_the_rows_after_it(run: Run, small: Path) -> None:
    rows = (
        HEADER
        + "receipt,sweden,1,CHF,,,2005-01-01,,A-1,\n"
        + 'receipt,sweden,2,CHF,,,2005-01-01,,"A-2,\n'
        + "receipt,sweden,3,CHF,,,2005-01-01,,A-3,\n"
        + "receipt,sweden,4,CHF,,,2005-01-01,,A-4,\n"
    )
    before = files(small)
    code, output = import_csv(run, small, rows)
    assert code == 1
    assert (
        "rows.csv:3: the CSV cannot be read: a quote opened in this row is never closed" in output
    )
    assert files(small) == before


def test_text_after_a_closing_quote_is_refused(run: Run, small: Path) -> None:
    code, output = import_csv(run, small, HEADER + 'receipt,"swe"den,1,CHF,,,,,,\n')
    assert code == 1
    assert "rows.csv:2: the CSV cannot be read: a closing quote is followed by more text" in output


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("donor", '"sweden\n"'),
        ("reference", '"R-1\nreceipt"'),
        ("currency", '"CHF\n"'),
        ("purpose", '"core\n"'),
        ("donor", '"swe\rden"'),
    ],
)
def test_a_line_break_inside_a_cell_is_refused(
    run: Run, small: Path, column: str, cell: str
) -> None:
    values = {"type": "receipt", "donor": "sweden", "amount": "1", "currency": "CHF"}
    values[column] = cell
    names = HEADER.strip().split(",")
    row = ",".join(values.get(name, "") for name in names) + "\n"
    before = files(small)
    code, output = import_csv(run, small, HEADER + row)
    assert code == 1, output
    assert f"rows.csv:2: {column}: a line break inside a cell" in output
    assert files(small) == before


# --- 5. free text cannot start a line ------------------------------------------

FORGED = "rent\n2003-01-02 * forged\n    Income:Received:Japan  -1000000 CHF\n    Assets:Fund:Cash"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("rent\\nmore", "a line break (U+000A)"),
        ("rent\\rmore", "a carriage return (U+000D)"),
        ("rent\\u0085more", "a line break (NEL) (U+0085)"),
        ("rent\\u2028more", "a line separator (U+2028)"),
        ("rent\\u2029more", "a paragraph separator (U+2029)"),
        ("rent\\x1b[2Jmore", "the character ESC (U+001B)"),
        ("rent\\tmore", "a tab (U+0009)"),
        ("rent\\u202emore", "the character RIGHT-TO-LEFT OVERRIDE (U+202E)"),
    ],
)
def test_free_text_refuses_what_would_start_a_line(
    run: Run, small: Path, text: str, named: str
) -> None:
    write(
        small,
        f"""\
        loan_facilities:
          - {{id: f1, lender: japan, ceiling: 100000}}
        loan_drawings:
          - {{id: d1, facility: f1, amount: 1000, date: 2003-01-01, use: "{text}"}}
        """,
    )
    [line] = check_lines(run, small)
    assert line.startswith("small/entries.yaml:4:")
    assert f"use: {named}" in line and "is not allowed here" in line


@pytest.mark.parametrize(
    "record",
    [
        '{id: x, name: "Sweden\\u2028Ltd", kind: government}',
        '{id: x, name: {en: "Sweden", zh: "瑞典\\n政府"}, kind: government}',
        '{id: x, name: Sweden Ltd, kind: government, aliases: ["Swe\\u0085den"]}',
        '{id: x, name: Sweden Ltd, kind: government, note: "a\\rb"}',
    ],
)
def test_every_free_text_field_refuses_control_characters(
    run: Run, small: Path, record: str
) -> None:
    write(small, f"donors:\n  - {record}\n", "more.yaml")
    [line] = check_lines(run, small)
    assert "is not allowed here: text is one line" in line


def test_a_block_scalar_note_is_one_line_or_refused(run: Run, small: Path) -> None:
    folded = "donors:\n  - id: x\n    name: X\n    kind: government\n    note: >\n      a note\n"
    write(small, folded, "more.yaml")
    assert run("check", "--data", small).exit_code == 0  # its final line break is no part of it
    write(small, folded.replace("note: >", "note: |\n      first line"), "more.yaml")
    [line] = check_lines(run, small)
    assert "note: a line break (U+000A) is not allowed here" in line


def _hostile_ledger(use: str, donor_name: str = "Government of Japan") -> Ledger:
    """A ledger built around the input checks (as a future reader might), to test the writers."""
    drawing = LoanDrawing.model_construct(
        id="d1", facility="f1", amount=Decimal(1000), date=date(2003, 1, 1), use=use, note=None
    )
    return Ledger(
        root=Path("."),
        fund=Fund(id="t", name=Names(en="Test fund")),
        donors=(
            Donor.model_construct(
                id="japan", name=Names.model_construct(en=donor_name, zh=None), kind="government"
            ),
        ),
        received=(
            Receipt(
                id="r1", donor="japan", amount=Decimal(500), currency="CHF", date=date(2003, 1, 1)
            ),
        ),
        loan_facilities=(LoanFacility(id="f1", lender="japan", ceiling=Decimal(100000)),),
        loan_drawings=(drawing,),
    )


def _hledger_balances(path: Path) -> str:
    result = subprocess.run(
        ["hledger", "-f", str(path), "balance", "--flat", "--no-total"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is not installed")
@pytest.mark.parametrize("breaker", ["\n", "\r\n", "\u2028", "\x85", "; ", " | "])
def test_a_use_holding_a_line_break_forges_no_transaction_in_hledger(
    tmp_path: Path, breaker: str
) -> None:
    honest = tmp_path / "honest.journal"
    honest.write_text(journal(build_position(_hostile_ledger("rent")), "ledger"), encoding="utf-8")
    hostile = tmp_path / "hostile.journal"
    forged = FORGED.replace("\n", breaker)
    hostile_ledger = _hostile_ledger(forged, donor_name="Japan\nIncome:X  5 CHF")
    text = journal(build_position(hostile_ledger), "ledger")
    hostile.write_text(text, encoding="utf-8")
    assert _hledger_balances(hostile) == _hledger_balances(honest)
    assert "Income:Received:Japan   -1000000" not in _hledger_balances(hostile)
    assert "forged" in text  # the text is kept, on its own line's end


@pytest.mark.skipif(shutil.which("bean-check") is None, reason="bean-check is not installed")
def test_a_use_holding_a_line_break_forges_nothing_in_beancount(tmp_path: Path) -> None:
    path = tmp_path / "hostile.beancount"
    ledger = _hostile_ledger('rent"\n2003-01-02 * "forged" "x"\\')
    text = journal(build_position(ledger), "beancount")
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(["bean-check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\n2003-01-02 *" not in text


# --- 6. records the checks cover ------------------------------------------------

PLEDGE = """\
pledged:
  - {id: p1, donor: japan, amount: 1000, currency: CHF, date: 2003-03-01}
"""


@pytest.mark.parametrize(
    ("section", "record", "kind"),
    [
        ("loan_drawings", "{id: d1, facility: f1, amount: 10, date: 2003-03-01, use: rent}", "loan movement"),
        ("loan_repayments", "{id: d1, facility: f1, amount: 5, date: 2003-03-02}", "loan movement"),
        ("cancellations", "{id: c1, pledge: p1, date: 2003-03-05, note: withdrawn}", "cancellation"),
        ("reassignments", "{id: a1, entry: p1, purpose: core, note: agreed, date: 2003-03-05}", "reassignment"),
    ],
)  # fmt: skip
def test_ids_of_every_record_are_unique(
    run: Run, small: Path, section: str, record: str, kind: str
) -> None:
    write(
        small,
        PLEDGE
        + "loan_facilities:\n  - {id: f1, lender: japan, ceiling: 1000}\n"
        + "loan_drawings:\n  - {id: d0, facility: f1, amount: 10, date: 2003-03-01, use: rent}\n",
    )
    write(small, f"{section}:\n  - {record}\n", "a.yaml")
    assert run("check", "--data", small).exit_code == 0
    write(small, f"{section}:\n  - {record}\n", "b.yaml")  # the same record copied
    lines = check_lines(run, small)
    assert any(
        line.startswith("small/b.yaml:2:") and f"the {kind} id" in line and "used twice" in line
        for line in lines
    ), lines


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        (
            "received:\n  - {id: r1, donor: japan, amount: 10, currency: CHF, date: 2003-04-01, pledge: p1}\n"
            "cancellations:\n  - {id: c1, pledge: p1, date: 2003-03-15, note: withdrawn}\n",
            "pledge: the payment 'r1' (on 2003-04-01) pays the pledge 'p1', cancelled on 2003-03-15",
        ),
        (
            "received:\n  - {id: r1, donor: japan, amount: 1000, currency: CHF, date: 2003-03-02, pledge: p1}\n"
            "cancellations:\n  - {id: c1, pledge: p1, date: 2003-03-15, note: withdrawn}\n",
            "pledge: 'p1' is paid in full by its payments",
        ),
        (
            "received:\n  - {id: r1, donor: japan, amount: 10, currency: CHF, date: 2003-02-01, pledge: p1}\n",
            "date: the payment 'r1' is dated 2003-02-01, before the pledge 'p1' it refers to (2003-03-01)",
        ),
        (
            "cancellations:\n  - {id: c1, pledge: p1, date: 2003-02-01, note: withdrawn}\n",
            "date: the cancellation 'c1' is dated 2003-02-01, before the pledge 'p1'",
        ),
        (
            "cancellations:\n  - {id: c1, pledge: p1, date: 2003-03-15, note: withdrawn}\n"
            "  - {id: c2, pledge: p1, date: 2003-03-16, note: again}\n",
            "pledge: 'p1' is cancelled already by 'c1'",
        ),
    ],
)  # fmt: skip
def test_payments_cancellations_and_dates_are_checked(
    run: Run, small: Path, records: str, expected: str
) -> None:
    write(small, PLEDGE)
    write(small, records, "more.yaml")
    lines = check_lines(run, small)
    assert any(expected in line for line in lines), lines


def test_a_payment_before_the_rest_of_a_pledge_is_withdrawn_is_fine(run: Run, small: Path) -> None:
    write(small, PLEDGE)
    write(
        small,
        "received:\n  - {id: r1, donor: japan, amount: 400, currency: CHF, date: 2003-03-10, pledge: p1}\n"
        "cancellations:\n  - {id: c1, pledge: p1, date: 2003-03-15, note: the rest withdrawn}\n",
        "more.yaml",
    )
    assert run("check", "--data", small).exit_code == 0


def test_an_entry_dated_after_its_statement_is_a_problem(run: Run, small: Path) -> None:
    write(
        small,
        """\
        statement: {id: s1, title: Statement, as_of: 2003-06-30}
        received:
          - {id: r1, donor: japan, amount: 10, currency: CHF, date: 2003-06-30}
          - {id: r2, donor: japan, amount: 10, currency: CHF, date: 2003-07-01}
        pledged:
          - {id: p2, donor: japan, amount: 10, currency: CHF, date: 2003-08-01}
        """,
        "statement.yaml",
    )
    lines = check_lines(run, small)
    assert len(lines) == 2, lines
    assert lines[0].startswith("small/statement.yaml:4:")
    assert "the receipt 'r2' is dated 2003-07-01, after the statement 's1'" in lines[0]
    assert "the pledge 'p2' is dated 2003-08-01" in lines[1]


def test_reassign_without_a_date_dates_it_today(run: Run, small: Path) -> None:
    write(small, PLEDGE)
    result = run("reassign", "p1", "--purpose", "core", "--note", "agreed", "--data", small)
    assert result.exit_code == 0, result.output
    [written] = (small / "journal").glob("*.yaml")
    assert f"date: {date.today().isoformat()}" in written.read_text(encoding="utf-8")


# --- 12. CSV and Markdown outputs ------------------------------------------------

HOSTILE_NAMES = [
    'Bern;=HYPERLINK("http://x";"y")',
    "Basel,+1+1",
    "Zug; @SUM(A1)",
    "Uri;-2+3",
    "=cmd|' /C calc'!A0",
]


def _formula_pieces(text: str) -> list[str]:
    """Every piece a spreadsheet could make a cell of, splitting on `,` `;` or tab,
    that starts a formula (and is no plain number)."""
    found = []
    for line in text.splitlines():
        for separator in (",", ";", "\t"):
            for piece in line.split(separator):
                bare = piece.lstrip(' "')
                if (
                    bare[:1] in ("=", "+", "-", "@")
                    and not bare.strip('"').lstrip("+-").replace(".", "").isdigit()
                ):
                    found.append(piece)
    return found


def test_csv_output_runs_no_formula_with_any_separator(run: Run, small: Path) -> None:
    donors = "".join(
        f"  - {{id: d{n}, name: {json.dumps(name)}, kind: government}}\n"
        for n, name in enumerate(HOSTILE_NAMES)
    )
    write(small, "donors:\n" + donors, "more.yaml")
    write(
        small,
        "received:\n"
        + "".join(
            f"  - {{id: r{n}, donor: d{n}, amount: 10, currency: CHF, date: 2003-01-01}}\n"
            for n in range(len(HOSTILE_NAMES))
        ),
    )
    result = run("report", "--data", small, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert _formula_pieces(result.output) == []
    # Read with the separator it was written with, each name is still there.
    names = {row["donor"] for row in csv.DictReader(io.StringIO(result.output))}
    assert 'Bern;\'=HYPERLINK("http://x";"y")' in names


def test_a_neutralized_cell_keeps_numbers() -> None:
    from wsis_ledger.render import escape

    assert escape.csv_cell("-1000") == "-1000"
    assert escape.csv_cell("+12.50") == "+12.50"
    assert escape.csv_cell("Uri; -2") == "Uri; '-2"
    assert escape.csv_cell("a\t=1") == "aU+0009=1"  # the tab shown, not a separator
    assert escape.csv_cell(5) == 5


def test_markdown_escapes_pipes_and_html_in_names(run: Run, small: Path) -> None:
    name = "A | B <img src=x onerror=alert(1)> & C\\"
    write(
        small, f"donors:\n  - {{id: d1, name: {json.dumps(name)}, kind: government}}\n", "more.yaml"
    )
    write(
        small, "received:\n  - {id: r1, donor: d1, amount: 10, currency: CHF, date: 2003-01-01}\n"
    )
    result = run("report", "--data", small, "--format", "markdown")
    assert result.exit_code == 0, result.output
    [row] = [line for line in result.output.splitlines() if "A \\| B" in line]
    assert "&lt;img src=x onerror=alert\\(1\\)&gt; &amp; C\\\\" in row
    assert "<img" not in result.output
    header = next(
        line for line in result.output.splitlines() if line.startswith("|") and "#" in line
    )
    unescaped = row.replace("\\\\", "").replace("\\|", "")
    assert unescaped.count("|") == header.count("|")


# --- 14. true reasons -------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "reason"),
    [
        ("XDR", "'XDR' (SDR (Special Drawing Right)) is an ISO 4217 code without a minor unit"),
        ("XAU", "'XAU' (Gold) is an ISO 4217 code without a minor unit"),
        ("XTS", "is an ISO 4217 code without a minor unit"),
        ("DEM", "'DEM' (Deutsche Mark, replaced by EUR) is a code withdrawn from ISO 4217"),
        ("FRF", "is a code withdrawn from ISO 4217"),
        ("ABC", "'ABC' is not an ISO 4217 currency code"),
    ],
)
def test_a_currency_refused_gets_its_true_reason(
    run: Run, small: Path, currency: str, reason: str
) -> None:
    write(
        small,
        f"received:\n  - {{id: r1, donor: japan, amount: 10, currency: {currency}, rate: 1.5}}\n",
    )
    [line] = check_lines(run, small)
    assert reason in line
    if currency != "ABC":
        assert "not an ISO 4217" not in line


@pytest.mark.parametrize("count", ["١٢", "３", "²", "1٢", "-1", "1.0", "10000000000"])
def test_counts_take_ascii_digits_only(run: Run, small: Path, count: str) -> None:
    write(small, f'seconded:\n  - {{id: s1, donor: japan, experts: "{count}"}}\n')
    [line] = check_lines(run, small)
    assert f"experts: a count is a whole number written in the digits 0-9, not '{count}'" in line


def test_a_count_in_ascii_digits_is_read(run: Run, small: Path) -> None:
    write(small, 'seconded:\n  - {id: s1, donor: japan, experts: "12"}\n')
    assert run("check", "--data", small).exit_code == 0


@pytest.mark.parametrize(
    "record",
    [
        "{id: r1, donor: japan, amount: 100.50, currency: CHF}",
        "{id: r1, donor: japan, chf: 100.50}",
        "{id: r1, donor: japan, amount: 100.50, currency: CHF, chf: 100.50}",
    ],
)
def test_chf_rappen_are_refused_however_they_are_written(
    run: Run, small: Path, record: str
) -> None:
    write(small, f"received:\n  - {record}\n")
    [line] = check_lines(run, small)
    assert "the fund books multiples of 1 CHF; 100.50 is not one" in line


def test_an_import_of_chf_rappen_names_its_line(run: Run, small: Path) -> None:
    before = files(small)
    code, output = import_csv(run, small, HEADER + "receipt,sweden,100.50,CHF,,,2005-01-01,,,\n")
    assert code == 1
    assert (
        "rows.csv:2: amount: 100.50 CHF is not a multiple of the fund's booking unit"
        " (booking_unit: 1 in ledger.yaml): round it half-up to 101, or set booking_unit: 0.01"
        " under fund: in ledger.yaml to book centimes"
    ) in output
    assert files(small) == before
