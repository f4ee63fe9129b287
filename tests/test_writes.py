"""init, import, receive, loan, reassign, pledges: what they add, what they refuse, nothing lost."""

from __future__ import annotations

import hashlib
import json
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import ANNEX, ReportJson, Run

CSV = """\
type,donor,amount,currency,chf,rate,date,purpose,reference
pledge,Japon,1000000,JPY,,0.0115,2005-02-01,core/fellowships,JP-1
receipt,government of sweden,50000,CHF,,,2005-02-03,core/unrestricted,
receipt,Government of Sweden,50000,CHF,,,2005-02-03,core/unrestricted,
receipt,sdc,20000,EUR,29000,,2005-02-10,other,SDC-7
"""
DONORS = """\
# Donors of the second phase.
donors:
  - id: japan
    name: {en: Government of Japan, zh: 日本政府}
    kind: government
    aliases: [Japon]          # as the French list prints it
  - {id: sweden, name: Government of Sweden, kind: government}
  - {id: sdc, name: Swiss Agency for Development and Cooperation, kind: government}
"""


@pytest.fixture
def tunis(run: Run, tmp_path: Path) -> Path:
    """A new ledger made by `init`, with three donors."""
    root = tmp_path / "tunis"
    result = run("init", root, "--name", "WSIS fund, second phase", "--as-of", "2005-01-01")
    assert result.exit_code == 0, result.output
    (root / "donors.yaml").write_text(DONORS, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, str]:
    """Every file of a ledger (but the lock) and a hash of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".wsis-ledger.lock"
    }


# --- init ----------------------------------------------------------------------


def test_init_makes_an_empty_valid_ledger(run: Run, tunis: Path, report_json: ReportJson) -> None:
    assert run("check", "--data", tunis).exit_code == 0
    document = report_json("--data", tunis)
    assert document["totals"]["received"] == "0"
    assert document["totals"]["pledged"] == "0"
    assert document["as_of"] == "2005-01-01"
    assert document["fund"] == {"id": "wsis-fund-second-phase", "name": "WSIS fund, second phase"}


def test_init_refuses_a_folder_with_files(run: Run, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    result = run("init", ledger_dir)
    assert result.exit_code == 2
    assert "is not empty" in result.output
    assert snapshot(ledger_dir) == before


# --- import --------------------------------------------------------------------


def test_import_adds_rows_and_report_totals_match_the_list(
    run: Run, tunis: Path, tmp_path: Path, report_json: ReportJson
) -> None:
    (tmp_path / "list.csv").write_text(CSV)
    result = run("import", "--data", tunis, tmp_path / "list.csv")
    assert result.exit_code == 0, result.output
    assert "4 rows added, 0 already in the ledger" in result.output
    document = report_json("--data", tunis)
    # The list's own sums: 50000 + 50000 + 29000 received; 1000000 JPY at 0.0115 pledged.
    assert document["totals"]["received"] == "129000"
    assert document["totals"]["pledged"] == "11500"
    purposes = {p["purpose"]: (p["received"], p["pledged"]) for p in document["purposes"]}
    assert purposes == {
        "core": ("100000", "11500"),
        "core/fellowships": ("0", "11500"),
        "core/unrestricted": ("100000", "0"),
        "other": ("29000", "0"),
    }
    sdc = next(e for e in document["received"]["entries"] if e["donor_id"] == "sdc")
    assert (sdc["rate"], sdc["rate_basis"]) == ("1.45", "derived")
    assert run("check", "--data", tunis).exit_code == 0


def test_reimport_adds_nothing_and_writes_nothing(run: Run, tunis: Path, tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text(CSV)
    assert run("import", "--data", tunis, tmp_path / "list.csv").exit_code == 0
    before = snapshot(tunis)
    result = run("import", "--data", tunis, tmp_path / "list.csv")
    assert result.exit_code == 0
    assert "0 rows added, 4 already in the ledger; wrote no file." in result.output
    assert snapshot(tunis) == before


def test_two_identical_rows_are_two_gifts(
    run: Run, tunis: Path, tmp_path: Path, report_json: ReportJson
) -> None:
    (tmp_path / "list.csv").write_text(CSV)
    run("import", "--data", tunis, tmp_path / "list.csv")
    swedish = [
        e for e in report_json("--data", tunis)["received"]["entries"] if e["donor_id"] == "sweden"
    ]
    assert len(swedish) == 2 and swedish[0]["id"] != swedish[1]["id"]


def test_dry_run_shows_the_rows_and_writes_nothing(run: Run, tunis: Path, tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text(CSV)
    before = snapshot(tunis)
    result = run("import", "--data", tunis, tmp_path / "list.csv", "--dry-run", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.output)["rows"]
    assert [(r["line"], r["status"], r["type"], r["donor"]) for r in rows] == [
        (2, "would add", "pledge", "japan"),
        (3, "would add", "receipt", "sweden"),
        (4, "would add", "receipt", "sweden"),
        (5, "would add", "receipt", "sdc"),
    ]
    assert snapshot(tunis) == before


def test_bad_rows_are_all_reported_and_nothing_is_written(
    run: Run, tunis: Path, tmp_path: Path
) -> None:
    (tmp_path / "bad.csv").write_text(
        textwrap.dedent("""\
        type,donor,amount,currency,chf,rate,date,purpose,reference
        pledge,japan,100,JPY,,0.01,2005-02-01,,
        gift,japan,100,CHF,,,,,
        receipt,japan,1e6,CHF,,,,,
        receipt,japan,100,USD,,,,,
        receipt,japan,100,CHF,,,2005-02-30,,
        receipt,Sweeden,100,CHF,,,,,
        """)
    )
    before = snapshot(tunis)
    result = run("import", "--data", tunis, tmp_path / "bad.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "bad.csv:3: type: 'gift' is not pledge, receipt or expenditure",
        "bad.csv:4: amount: the amount '1e6' is not a plain number (write it out in full, without exponent notation)",
        "bad.csv:5: an amount in USD needs a rate or the booked chf: the rates table has none (the row has no date)",
        "bad.csv:6: date: 2005-02-30 is not a real date (day is out of range for month)",
        "bad.csv:7: unknown donor 'Sweeden'; did you mean 'sweden' (Government of Sweden)? "
        "To make it certain, add aliases: [\"Sweeden\"] to donor 'sweden' "
        "(or add it to the donors, or import with --add-donors)",
        "Error: 5 problems; nothing was imported",
    ]
    assert snapshot(tunis) == before


def test_unknown_donors_can_be_added(
    run: Run, tunis: Path, tmp_path: Path, report_json: ReportJson
) -> None:
    (tmp_path / "new.csv").write_text(
        "type,donor,amount,currency\nreceipt,Government of Malta,3512,CHF\n"
    )
    result = run("import", "--data", tunis, tmp_path / "new.csv", "--add-donors")
    assert result.exit_code == 0, result.output
    assert "1 donor added" in result.output
    entry = report_json("--data", tunis)["received"]["entries"][0]
    assert (entry["donor_id"], entry["donor"]) == ("government-of-malta", "Government of Malta")


def test_new_donors_whose_ids_would_meet_stay_apart(run: Run, tmp_path: Path) -> None:
    """Names that make one id (`ab.c`, then `ab-c`, the id made for the first) are
    different donors; the same name in another case is one (as name_key compares)."""
    import random

    seeded = random.Random(27)
    others = ["ab.c", "ab c", "ab_c", "ab/c", "ab--c", "Ab.C."]  # no two the same name
    for trial in range(10):
        root = tmp_path / f"t{trial}"
        assert run("init", root, "--name", "T", "--as-of", "2005-01-01").exit_code == 0
        first, last = seeded.sample(others, 2)
        names = [first, "ab-c", last]  # "ab-c": the id made for the first name
        amounts = [str(1000 + i) for i in range(4)]
        rows = [f"receipt,{name},{amounts[i]},CHF,R{i}\n" for i, name in enumerate(names)]
        rows.append(f"receipt,{first.swapcase()},{amounts[3]},CHF,R3\n")  # the first again
        sheet = tmp_path / f"rows-{trial}.csv"
        sheet.write_text("type,donor,amount,currency,reference\n" + "".join(rows), encoding="utf-8")
        result = run("import", "--data", root, sheet, "--add-donors")
        assert result.exit_code == 0, result.output
        report = json.loads(run("report", "--data", root, "--format", "json").output)
        donor_of = {e["chf"]: e["donor_id"] for e in report["received"]["entries"]}
        ids = [donor_of[amount] for amount in amounts]
        assert len(set(ids[:3])) == 3, (names, ids)
        assert ids[3] == ids[0], (names, ids)


def test_import_json_and_yaml_and_standard_input(
    run: Run, tunis: Path, tmp_path: Path, report_json: ReportJson
) -> None:
    rows = [
        {
            "type": "receipt",
            "donor": "sweden",
            "amount": "12.30",
            "currency": "EUR",
            "chf": "18",
            "reference": "S-1",
        }
    ]
    result = run("import", "--data", tunis, "-", input=json.dumps(rows))
    assert result.exit_code == 0, result.output
    (tmp_path / "more.yaml").write_text(
        "- {type: pledge, donor: japan, amount: 100, currency: JPY, chf: 1, reference: J-9}\n"
    )
    assert run("import", "--data", tunis, tmp_path / "more.yaml").exit_code == 0
    document = report_json("--data", tunis)
    assert document["received"]["entries"][0]["amount"] == "12.30"
    assert document["pledged"]["entries"][0]["amount"] == "100"
    assert document["totals"]["pledged"] == "1"


def test_comments_in_the_data_survive_an_import_byte_for_byte(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    before = snapshot(ledger_dir)
    (tmp_path / "new.csv").write_text(
        "type,donor,amount,currency,date\nreceipt,sweden,1000,CHF,2003-01-10\n"
    )
    assert run("import", "--data", ledger_dir, tmp_path / "new.csv").exit_code == 0
    after = snapshot(ledger_dir)
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(after) == len(before) + 1
    assert run("check", "--data", ledger_dir).exit_code == 0  # the annex's check is unchanged


def test_a_receipt_names_the_pledge_it_pays_by_reference(
    run: Run, tunis: Path, tmp_path: Path
) -> None:
    (tmp_path / "list.csv").write_text(CSV)
    run("import", "--data", tunis, tmp_path / "list.csv")
    (tmp_path / "pay.csv").write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference,pledge\n"
        "receipt,japan,1000000,JPY,,0.0112,2005-06-01,core/fellowships,JP-PAY,JP-1\n"
    )
    assert run("import", "--data", tunis, tmp_path / "pay.csv").exit_code == 0
    [pledge] = json.loads(run("pledges", "--data", tunis, "--format", "json").output)["pledges"]
    assert (pledge["status"], pledge["remaining"], pledge["exchange_difference"]) == (
        "paid",
        "0",
        "-300",
    )


# --- receive and pledges -------------------------------------------------------


def test_a_pledge_paid_in_parts_and_in_another_currency(run: Run, ledger_dir: Path) -> None:
    # p01: Switzerland, 255 000 USD booked at 1.39 = 354 450 CHF
    result = run(
        "receive",
        "p01",
        "--amount",
        "100000",
        "--rate",
        "1.4255",
        "--date",
        "2003-02-14",
        "--data",
        ledger_dir,
    )
    assert result.exit_code == 0, result.output
    assert "pledge p01 is partly paid; 155 000 USD remains" in result.output
    result = run(
        "receive",
        "p01",
        "--amount",
        "215450",
        "--currency",
        "CHF",
        "--date",
        "2003-03-01",
        "--data",
        ledger_dir,
    )
    assert result.exit_code == 0, result.output
    pledges = json.loads(run("pledges", "--data", ledger_dir, "--format", "json").output)["pledges"]
    p01 = next(p for p in pledges if p["id"] == "p01")
    # 100000 USD at 1.4255 = 142550 CHF; 215450 CHF settles 215450 / 1.39 = 155000 USD.
    assert (p01["paid"], p01["paid_chf"], p01["remaining"], p01["status"]) == (
        "255000",
        "358000",
        "0",
        "paid",
    )
    assert p01["exchange_difference"] == "3550"  # 358000 - 354450: shown, not hidden
    outstanding = json.loads(
        run(
            "pledges",
            "--outstanding",
            "--data",
            ledger_dir,
            "--format",
            "json",
            "--on",
            "2003-12-20",
        ).output
    )["pledges"]
    assert "p01" not in [p["id"] for p in outstanding]
    p02 = next(p for p in outstanding if p["id"] == "p02")
    assert (p02["status"], p02["age_days"], p02["age_from"]) == ("open", 365, "statement")


def test_overpaying_a_pledge_is_refused(run: Run, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    result = run("receive", "p05", "--amount", "50001", "--data", ledger_dir)
    assert result.exit_code == 1
    assert (
        "the payments of pledge 'p05' settle 50 001 CHF, 1 more than it promised" in result.stderr
    )
    assert snapshot(ledger_dir) == before


def test_receive_refuses_an_unknown_pledge(run: Run, ledger_dir: Path) -> None:
    result = run("receive", "r01", "--amount", "1", "--data", ledger_dir)
    assert result.exit_code == 2
    assert "there is no pledge 'r01'" in result.output


def test_writes_to_the_packaged_ledger_are_refused(
    run: Run, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wsis_ledger.commands import writes

    monkeypatch.setattr(writes, "packaged_ledger", lambda: ledger_dir)
    result = run("receive", "p05", "--amount", "1", "--data", ledger_dir)
    assert result.exit_code == 2
    assert "read-only" in result.output


def test_writes_to_the_shipped_ledger_are_refused_however_it_is_reached(run: Run) -> None:
    """The ledger shipped with the tool (in a source checkout, the project's own
    `data/`) holds the source's facts: no write lands there, named or found by default."""
    from wsis_ledger.source.discovery import shipped_ledger

    before = {p: p.read_bytes() for p in shipped_ledger().rglob("*") if p.is_file()}
    for where in ([], ["--data", str(shipped_ledger())]):
        result = run("receive", "p05", "--amount", "1", "--date", "2003-01-01", *where)
        assert result.exit_code == 2 and "read-only" in result.output, result.output
    assert {p: p.read_bytes() for p in shipped_ledger().rglob("*") if p.is_file()} == before


# --- loans -----------------------------------------------------------------------


def test_loan_drawings_and_repayments(run: Run, ledger_dir: Path, report_json: ReportJson) -> None:
    draw = ["loan", "draw", "--data", ledger_dir]
    assert run(*draw, "3000000", "--date", "2003-01-15", "--use", "PrepCom-2").exit_code == 0
    assert run(*draw, "1500000", "--date", "2003-02-15", "--use", "Summit logistics").exit_code == 0
    result = run(*draw, "600000", "--date", "2003-03-01", "--use", "more")
    assert result.exit_code == 1
    assert (
        "takes 'itu-telecom-capital-fund' to 5 100 000 CHF outstanding, past its ceiling of 5 000 000 CHF"
        in result.stderr
    )
    assert (
        run("loan", "repay", "1000000", "--date", "2003-06-30", "--data", ledger_dir).exit_code == 0
    )
    result = run("loan", "repay", "3500001", "--date", "2003-07-30", "--data", ledger_dir)
    assert result.exit_code == 1
    assert "is more than the 3 500 000 CHF outstanding" in result.stderr
    loans = report_json("--data", ledger_dir)["loans"]
    assert loans["by_phase"] == [
        {
            "phase": None,
            "ceiling": "5000000",
            "drawn": "4500000",
            "repaid": "1000000",
            "outstanding": "3500000",
            "drawings_recorded": True,
        }
    ]
    assert run("check", "--data", ledger_dir).exit_code == 0


def test_a_drawing_needs_a_use(run: Run, ledger_dir: Path) -> None:
    result = run("loan", "draw", "10", "--date", "2003-01-15", "--data", ledger_dir)
    assert result.exit_code == 2
    assert "Missing option '--use'" in result.output
    result = run("loan", "draw", "10", "--date", "2003-01-15", "--use", "  ", "--data", ledger_dir)
    assert result.exit_code == 2


# --- reassign and purposes ---------------------------------------------------------


def test_reassignment_is_its_own_record_and_marks_the_entry(
    run: Run, ledger_dir: Path, report_json: ReportJson
) -> None:
    annex = (ledger_dir / ANNEX).read_bytes()
    result = run(
        "reassign",
        "r12",
        "--purpose",
        "core/fellowships",
        "--note",
        "Sweden agreed",
        "--date",
        "2003-03-03",
        "--data",
        ledger_dir,
    )
    assert result.exit_code == 0, result.output
    assert (ledger_dir / ANNEX).read_bytes() == annex
    entries = report_json("--data", ledger_dir)["received"]["entries"]
    sweden = next(e for e in entries if e["id"] == "r12")
    assert (sweden["purpose"], sweden["reassigned"]) == ("core/fellowships", True)
    table = run("report", "--data", ledger_dir).output
    assert "core/fellowships (reassigned to the stated use with the donor's agreement)" in table


def test_stated_totals_per_purpose_are_checked(run: Run, tunis: Path, tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text(CSV)
    run("import", "--data", tunis, tmp_path / "list.csv")
    statement = tunis / "statement-2005-01-01.yaml"
    # As of after the entries' dates: a statement holds nothing dated after it.
    statement.write_text(
        statement.read_text().replace("as_of: 2005-01-01", "as_of: 2005-03-01")
        + "  stated:\n"
        + "    purposes:\n"
        + "      core: {received: 100000, pledged: 11500, total: 111500}\n"
        + "      core/unrestricted: {received: 99000}\n"
    )
    # The imported entries belong to no statement: name it for them.
    for path in (tunis / "imports").glob("*.yaml"):
        path.write_text(
            path.read_text().replace(
                "    donor:", "    statement: statement-2005-01-01\n    donor:"
            )
        )
    result = run("check", "--data", tunis)
    assert result.exit_code == 3
    lines = statement.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "core/unrestricted:" in text)
    assert result.output.splitlines()[0] == (
        f"tunis/statement-2005-01-01.yaml:{line}:37: stated total received for purpose 'core/unrestricted' "
        "of 'statement-2005-01-01' is 99 000 CHF, but its 2 entries add up to 100 000 CHF (difference +1 000 CHF)"
    )


def test_the_readme_walk_through(run: Run, tmp_path: Path, report_json: ReportJson) -> None:
    """init, import the example list, re-import, report, pay: as the README shows."""
    example = Path(__file__).resolve().parent.parent / "examples" / "contributions.csv"
    assert example.is_file(), "the tests run from the project (or its sdist), beside examples/"
    root = tmp_path / "tunis"
    assert (
        run("init", root, "--name", "WSIS fund, second phase", "--as-of", "2005-01-01").exit_code
        == 0
    )
    assert run("import", "--data", root, example, "--dry-run").exit_code == 1  # unknown donors
    assert run("import", "--data", root, example, "--add-donors").exit_code == 0
    before = snapshot(root)
    assert "0 rows added, 4 already" in run("import", "--data", root, example).output
    assert snapshot(root) == before
    totals = report_json("--data", root)["totals"]
    assert (totals["received"], totals["pledged"]) == ("129000", "11500")
    result = run(
        "receive",
        "--data",
        root,
        "imp-9d45a8e8b469",
        "--amount",
        "500000",
        "--rate",
        "0.0112",
        "--date",
        "2005-06-01",
    )
    assert result.exit_code == 0, result.output
    assert "is partly paid; 500 000 JPY remains" in result.output


def test_a_write_that_fails_leaves_nothing_and_says_why(
    run: Run, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wsis_ledger.write import files as writing

    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    before = snapshot(ledger_dir)
    monkeypatch.setattr(writing.os, "fsync", full_disk)
    result = run("receive", "p05", "--amount", "1", "--data", ledger_dir)
    assert result.exit_code == 1
    assert "No space left on device; nothing was written" in result.output
    assert snapshot(ledger_dir) == before
    assert not [p for p in ledger_dir.rglob(".*.tmp")]


def test_init_refuses_a_file(run: Run, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = run("init", tmp_path / "afile")
    assert result.exit_code == 2 and "is a file" in result.output


def test_a_cancelled_pledge_is_shown_not_counted(
    run: Run, ledger_dir: Path, report_json: ReportJson
) -> None:
    annex = (ledger_dir / ANNEX).read_bytes()
    result = run(
        "cancel", "p02", "--date", "2004-03-31", "--note", "withdrawn", "--data", ledger_dir
    )
    assert result.exit_code == 0, result.output
    assert (ledger_dir / ANNEX).read_bytes() == annex  # a record beside the pledge, not an edit
    assert run("check", "--data", ledger_dir).exit_code == 0  # the annex's own total still holds
    document = report_json("--data", ledger_dir)
    assert document["totals"]["pledged"] == "2030450"
    assert [(c["id"], c["cancelled_on"]) for c in document["pledged"]["cancelled"]] == [
        ("p02", "2004-03-31")
    ]
    # Before the cancellation it still counted:
    earlier = json.loads(
        run("report", "--data", ledger_dir, "--format", "json", "--as-of", "2003-12-31").output
    )
    assert earlier["totals"]["pledged"] == "3030450"
    assert (
        "Cancelled, not counted: Government of Canada 1 000 000 CHF (p02, 2004-03-31)"
        in run("report", "--data", ledger_dir).output
    )
    pledges = json.loads(run("pledges", "--data", ledger_dir, "--format", "json").output)["pledges"]
    assert next(p for p in pledges if p["id"] == "p02")["status"] == "cancelled"
    again = run("cancel", "p02", "--date", "2004-04-01", "--note", "twice", "--data", ledger_dir)
    assert again.exit_code == 2 and "cancelled already" in again.output


def test_records_beside_entries_must_name_one(run: Run, ledger_dir: Path) -> None:
    (ledger_dir / "beside.yaml").write_text(
        "cancellations:\n  - {id: c1, pledge: r01, date: 2003-01-01, note: x}\n"
        "reassignments:\n  - {id: a1, entry: nowhere, purpose: core, note: x}\n"
    )
    result = run("check", "--data", ledger_dir)
    assert result.exit_code == 1
    assert "beside.yaml:2:22: pledge: there is no pledge 'r01'" in result.output
    assert "beside.yaml:4:21: entry: there is no entry 'nowhere'" in result.output


def test_a_payment_takes_the_pledges_purpose_whichever_command_records_it(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    """`receive` and `import` give a payment against a pledge the pledge's purpose (its
    reassigned one, where reassigned): what the purpose received is the same either way."""
    reassigned = run(
        "reassign", "p05", "--purpose", "core/fellowships", "--note", "agreed",
        "--date", "2003-01-10", "--data", ledger_dir,
    )  # fmt: skip
    assert reassigned.exit_code == 0, reassigned.output
    twin = tmp_path / "twin"
    shutil.copytree(ledger_dir, twin)
    received = run(
        "receive", "p05", "--amount", "20000", "--date", "2003-02-01", "--data", ledger_dir
    )
    assert received.exit_code == 0, received.output
    sheet = tmp_path / "pay.csv"
    sheet.write_text(
        "type,donor,amount,currency,chf,rate,date,purpose,reference,pledge\n"
        "receipt,sdc,20000,CHF,,,2003-02-01,,,p05\n",
        encoding="utf-8",
    )
    imported = run("import", sheet, "--data", twin)
    assert imported.exit_code == 0, imported.output

    def purposes(root: Path) -> dict[str, tuple[str, str]]:
        document = json.loads(run("report", "--format", "json", "--data", root).stdout)
        return {p["purpose"]: (p["received"], p["pledged"]) for p in document["purposes"]}

    assert purposes(ledger_dir) == purposes(twin)
    assert purposes(twin)["core/fellowships"] == ("20000", "30000")


def test_a_cancelled_pledge_has_nothing_remaining(run: Run, ledger_dir: Path) -> None:
    done = run("cancel", "p05", "--date", "2003-03-01", "--note", "withdrawn", "--data", ledger_dir)
    assert done.exit_code == 0, done.output
    pledges = json.loads(run("pledges", "--format", "json", "--data", ledger_dir).stdout)
    p05 = next(p for p in pledges["pledges"] if p["id"] == "p05")
    assert (p05["status"], p05["remaining"], p05["remaining_chf"]) == ("cancelled", "0", "0")
