"""Controls an auditor asks for: who recorded what and when, closed periods, a second person."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import Run

from wsis_ledger import api
from wsis_ledger.write.files import WriteError

LEDGER = """\
fund:
  id: test
  name: Test fund
  support_cost_rate: 0.1
  approval: {expenditure_over: 10000, loan_drawings: true, approvers: [Ana Diaz, Bea Keller]}
loan_facilities:
  - {id: bridge, lender: alpha, ceiling: 500000}
donors:
  - {id: alpha, name: Alpha, kind: government}
"""
RECORDS = """\
received:
  - {id: r1, donor: alpha, amount: 100000, currency: CHF, date: 2003-03-01}
  - {id: r2, donor: alpha, amount: 50000, currency: CHF, date: 2004-02-01}
expenditures:
  - {id: x1, date: 2003-05-01, amount: 20000, description: Venue, payee: Hall}
  - {id: x2, date: 2003-06-01, amount: 5000, description: Printing, payee: Press}
"""


@pytest.fixture
def fund(tmp_path: Path) -> Path:
    root = tmp_path / "fund"
    root.mkdir()
    (root / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    (root / "records.yaml").write_text(RECORDS, encoding="utf-8")
    return root


def new_files(root: Path, before: set[Path]) -> list[Path]:
    return sorted(set(root.rglob("*.yaml")) - before)


def contents(root: Path) -> set[Path]:
    """Every file and folder of the ledger, but its lock file (a write leaves it)."""
    return {p for p in root.rglob("*") if p.name != ".wsis-ledger.lock"}


def recording(path: Path) -> tuple[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["recorded_by"], data["recorded_at"]


def closing_of(root: Path) -> tuple[Path, dict[str, object]]:
    (path,) = (root / "journal").glob("*close*.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return path, data["closings"][0]


# --- who and when -----------------------------------------------------------------


def test_every_write_records_who_and_when(run: Run, fund: Path, tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text(
        "type,donor,amount,currency,date\npledge,alpha,30000,CHF,2004-03-01\n", encoding="utf-8"
    )
    data = ("--data", fund)
    writes = [
        ("import", tmp_path / "rows.csv"),
        ("spend", "100", "--date", "2004-03-02", "--description", "Post"),
        ("loan", "draw", "1000", "--date", "2004-03-03", "--use", "Bridge"),
        ("loan", "repay", "1000", "--date", "2004-03-04"),
        ("reassign", "r2", "--purpose", "meetings", "--note", "Agreed", "--date", "2004-03-05"),
        ("statement", "add", "s1", "--as-of", "2004-12-31", "--source", "Annual report"),
        ("close", "--through", "2003-12-31"),
        ("reopen", "--through", "2003-12-31", "--reason", "Adjustment"),
        ("approve", "x1", "--by", "Bea Keller"),
    ]
    start = datetime.now(UTC).replace(microsecond=0)
    for args in writes:
        before = set(fund.rglob("*.yaml"))
        result = (
            run(*args, *data, "--by", "Ana Diaz") if args[0] != "approve" else run(*args, *data)
        )
        assert result.exit_code == 0, (args, result.output)
        (written,) = new_files(fund, before)
        by, at = recording(written)
        assert by == ("Bea Keller" if args[0] == "approve" else "Ana Diaz")
        when = datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        assert start <= when <= datetime.now(UTC)
    pledge_id = next(
        r["id"]
        for f in (fund / "imports").glob("*.yaml")
        for r in yaml.safe_load(f.read_text())["pledged"]
    )
    before = set(fund.rglob("*.yaml"))
    assert (
        run("receive", pledge_id, "--amount", "100", "--date", "2004-04-01", *data).exit_code == 0
    )
    assert (
        run("cancel", pledge_id, "--date", "2004-05-01", "--note", "Withdrawn", *data).exit_code
        == 0
    )
    for written in new_files(fund, before):  # no --by, no git: the login name
        assert recording(written)[0] == getpass.getuser()
    assert run("check", *data).exit_code == 0


def test_init_records_who_and_existing_files_without_stay_valid(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    assert run("check", "--data", ledger_dir).exit_code == 0  # no file of it says who
    result = run("init", tmp_path / "new", "--by", "Ana Diaz")
    assert result.exit_code == 0, result.output
    for name in ("ledger.yaml", "donors.yaml"):
        assert recording(tmp_path / "new" / name)[0] == "Ana Diaz"
    assert run("check", "--data", tmp_path / "new").exit_code == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_git_user_records_a_write_in_a_work_tree(run: Run, fund: Path) -> None:
    git = ["git", "-C", str(fund)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "config", "user.name", "Ana Diaz"], check=True)
    subprocess.run([*git, "config", "user.email", "ana@example.org"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    assert (
        run(
            "spend", "100", "--date", "2004-03-02", "--description", "Post", "--data", fund
        ).exit_code
        == 0
    )
    (written,) = (fund / "journal").glob("*.yaml")
    assert recording(written)[0] == "Ana Diaz <ana@example.org>"
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "spend"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    written.write_text(written.read_text() + "# edited\n")
    other = ["-c", "user.name=Bob", "-c", "user.email=bob@example.org"]
    subprocess.run([*git[:3], *other, "commit", "-qam", "edit"], check=True)
    result = run("log", "--data", fund, "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["writes"]
    assert row["commit"] == commit.stdout.strip()
    assert row["author"] == "Ana Diaz <ana@example.org>"
    assert "Bob <bob@example.org>" in row["warning"]
    assert "changed after it was committed" in result.stderr


@pytest.mark.parametrize("name", ["Ana\nDiaz", "Ana\rDiaz", "Ana\x1b[31mDiaz", "Ana\u2028Diaz"])
def test_a_name_with_a_line_break_or_control_character_is_refused(
    run: Run, fund: Path, name: str
) -> None:
    before = contents(fund)
    result = run(
        "spend", "100", "--date", "2004-03-02", "--description", "P", "--by", name, "--data", fund
    )
    assert result.exit_code == 2
    assert "is not allowed in a name" in result.output
    with pytest.raises(WriteError, match="not allowed in a name"):
        api.close_period(fund, datetime(2003, 12, 31).date(), by=name)
    assert contents(fund) == before


def test_log_lists_every_write_in_order_and_filters(run: Run, fund: Path) -> None:
    data = ("--data", fund)
    run(
        "spend",
        "100",
        "--date",
        "2004-03-02",
        "--description",
        "P",
        "--payee",
        "Post",
        "--by",
        "Ana Diaz",
        *data,
    )
    run("loan", "draw", "2000", "--date", "2004-03-03", "--use", "B", "--by", "Bea Keller", *data)
    result = run("log", *data, "--format", "json")
    rows = json.loads(result.stdout)["writes"]
    assert [(r["kind"], r["recorded_by"], r["amount"], r["party"]) for r in rows] == [
        ("expenditures", "Ana Diaz", "100", "Post"),
        ("loan_drawings", "Bea Keller", "2000", "bridge"),
    ]
    assert rows[0]["recorded_at"] <= rows[1]["recorded_at"]
    for row in rows:
        assert (fund / row["file"]).exists() or Path(row["file"]).exists()
    mine = json.loads(run("log", *data, "--format", "json", "--by", "ana diaz").stdout)["writes"]
    assert [r["id"] for r in mine] == [rows[0]["id"]]
    day = rows[0]["recorded_at"][:10]
    later = datetime.strptime(day, "%Y-%m-%d").date().replace(year=int(day[:4]) + 1).isoformat()
    assert (
        json.loads(run("log", *data, "--format", "json", "--since", later).stdout)["writes"] == []
    )
    assert (
        len(json.loads(run("log", *data, "--format", "json", "--until", day).stdout)["writes"]) == 2
    )
    csv_lines = run("log", *data, "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("recorded_at,recorded_by,kind,id,amount")
    assert len(csv_lines) == 3


# --- closed periods ---------------------------------------------------------------


def canonical(record: dict[str, object]) -> str:
    """As docs/format.md says a record's canonical text is made."""

    def plain(value: object) -> object:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            text = format(Decimal(value).normalize(), "f")
            return text
        if hasattr(value, "isoformat"):
            return value.isoformat()  # type: ignore[union-attr]
        return value

    return json.dumps(
        {k: plain(v) for k, v in record.items()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def test_a_close_holds_the_digests_the_format_reference_describes(run: Run, fund: Path) -> None:
    result = run("close", "--through", "2003-12-31", "--note", "Audited", "--data", fund)
    assert result.exit_code == 0, result.output
    _, closing = closing_of(fund)
    records = yaml.safe_load((fund / "records.yaml").read_text())
    in_period = {
        f"received/{r['id']}": r for r in records["received"] if str(r["date"]) <= "2003-12-31"
    } | {f"expenditures/{x['id']}": x for x in records["expenditures"]}
    expected = {}
    for key, raw in in_period.items():
        fields = dict(raw)
        if key.startswith("expenditures/"):
            fields.pop("currency", None)  # written at its default (CHF): left out
        expected[key] = hashlib.sha256(canonical(fields).encode()).hexdigest()
    assert closing["records"] == expected
    received = sum(
        Decimal(r["amount"]) for r in records["received"] if str(r["date"]) <= "2003-12-31"
    )
    spent = sum(Decimal(x["amount"]) for x in records["expenditures"])
    totals = {k: Decimal(str(v)) for k, v in closing["totals"].items()}
    assert totals["received"] == received
    assert totals["expenditure"] == spent
    assert totals["support_costs"] == spent * Decimal("0.1")
    lines = ["through 2003-12-31"]
    lines += [f"{k} {expected[k]}" for k in sorted(expected)]
    lines += [f"total {k} {format(totals[k].normalize(), 'f')}" for k in sorted(totals)]
    digest = hashlib.sha256(("\n".join(lines) + "\n").encode()).hexdigest()
    assert closing["digest"] == digest


def test_a_write_dated_in_a_closed_period_is_refused(run: Run, fund: Path) -> None:
    assert run("close", "--through", "2003-12-31", "--data", fund).exit_code == 0
    path, closing = closing_of(fund)
    before = contents(fund)
    result = run("spend", "100", "--date", "2003-07-01", "--description", "Late", "--data", fund)
    assert result.exit_code == 1
    assert f"'{closing['id']}'" in result.output and "closed through 2003-12-31" in result.output
    assert path.name in result.output
    assert "nothing was written" in result.output
    assert contents(fund) == before
    assert (
        run(
            "spend", "100", "--date", "2004-07-01", "--description", "Open", "--data", fund
        ).exit_code
        == 0
    )


def test_check_names_records_added_changed_or_removed_by_hand(run: Run, fund: Path) -> None:
    assert run("close", "--through", "2003-12-31", "--data", fund).exit_code == 0
    path, closing = closing_of(fund)
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("  - id:")
    )
    records = fund / "records.yaml"
    original = records.read_text()
    cases = {
        "changed since the close": original.replace("amount: 20000", "amount: 20001"),
        "added since the close": original
        + "  - {id: x9, date: 2003-08-01, amount: 10, description: Added by hand}\n",
        "was removed since the close": original.replace(
            "  - {id: x2, date: 2003-06-01, amount: 5000, description: Printing, payee: Press}\n",
            "",
        ),
    }
    for what, text in cases.items():
        records.write_text(text)
        result = run("check", "--data", fund)
        assert result.exit_code == 1, what
        assert what in result.output
        assert f"'{closing['id']}' (journal/{path.name}:{line})" in result.output.replace(
            str(fund) + "/", ""
        ).replace("fund/", "")
        assert ("x1" if "changed" in what else "x9" if "added" in what else "x2") in result.output
    records.write_text(
        original.replace("description: Venue", "description: 'Venue'")
    )  # layout only
    assert run("check", "--data", fund).exit_code == 0


def test_a_change_in_a_closed_period_says_what_to_do_and_the_advice_works(
    run: Run, fund: Path
) -> None:
    # The advice was "reopen the period first", which the changed ledger refuses (a write
    # needs a ledger without problems): it says the order that works, followed here.
    data = ("--data", fund)
    assert run("close", "--through", "2003-12-31", *data).exit_code == 0
    records = fund / "records.yaml"
    original = records.read_text()
    changed = original.replace("amount: 20000", "amount: 20001")
    records.write_text(changed)
    said = run("check", *data).output
    assert "changed since the close; undo it, reopen (wsis-ledger reopen), then redo it" in said
    reopen = ("reopen", "--through", "2003-12-31", "--reason", "Correction", *data)
    assert run(*reopen).exit_code == 1  # as the message says: not while changed
    records.write_text(original)
    assert run(*reopen).exit_code == 0
    records.write_text(changed)
    assert run("check", *data).exit_code == 0


def test_a_closing_edited_by_hand_is_an_error_naming_it(run: Run, fund: Path) -> None:
    assert run("close", "--through", "2003-12-31", "--data", fund).exit_code == 0
    path, closing = closing_of(fund)
    text = path.read_text()
    path.write_text(text.replace("expenditure: 25000", "expenditure: 24000"))
    result = run("check", "--data", fund)
    assert result.exit_code == 1
    assert f"the closing '{closing['id']}' (through 2003-12-31) was edited by hand" in result.output


def test_two_closes_that_overlap(run: Run, fund: Path) -> None:
    assert run("close", "--through", "2003-12-31", "--data", fund).exit_code == 0
    path, closing = closing_of(fund)
    for through in ("2003-12-31", "2003-06-30"):
        before = contents(fund)
        result = run("close", "--through", through, "--data", fund)
        assert result.exit_code != 0
        assert "closed already" in result.output and closing["id"] in result.output
        assert contents(fund) == before
    # A second closing written by hand (a copy under another id): check says they overlap.
    (fund / "journal" / "copy.yaml").write_text(
        path.read_text().replace(closing["id"], "hand-copy")
    )
    result = run("check", "--data", fund)
    assert result.exit_code == 1
    assert "'hand-copy' (through 2003-12-31) overlaps" in result.output


def test_a_close_dated_before_the_statement_it_would_close_is_refused(run: Run, fund: Path) -> None:
    (fund / "statement.yaml").write_text(
        textwrap.dedent("""\
            statement: {id: s2004, title: Report 2004, as_of: 2004-12-31}
            received:
              - {id: r3, donor: alpha, amount: 10, currency: CHF, date: 2004-11-01}
              - {id: r4, donor: alpha, amount: 10, currency: CHF, date: 2003-11-01}
        """)
    )
    before = contents(fund)
    result = run("close", "--through", "2003-12-31", "--data", fund)
    assert result.exit_code == 2
    assert "statement 's2004' is as of 2004-12-31" in result.output
    assert contents(fund) == before
    assert run("close", "--through", "2004-12-31", "--data", fund).exit_code == 0


def _cli(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wsis_ledger", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "WSIS_LEDGER_NO_CACHE": "1"},
    )


@pytest.mark.parametrize("attempt", range(3))
def test_a_write_racing_a_close_lands_before_it_or_is_refused(
    run: Run, fund: Path, attempt: int
) -> None:
    close = _cli("close", "--through", "2003-12-31", "--data", fund)
    spend = _cli("spend", "100", "--date", "2003-07-01", "--description", "Race", "--data", fund)
    close_out, spend_out = close.communicate(timeout=120), spend.communicate(timeout=120)
    assert close.returncode == 0, close_out
    _, closing = closing_of(fund)
    spent = list((fund / "journal").glob("2003-07-01-exp-*.yaml"))
    if spend.returncode == 0:  # it landed first: the close holds it
        (written,) = spent
        record_id = yaml.safe_load(written.read_text())["expenditures"][0]["id"]
        assert f"expenditures/{record_id}" in closing["records"]
    else:  # refused, naming the close, and nothing of it written
        assert spend.returncode == 1
        assert closing["id"] in spend_out[1] and "nothing was written" in spend_out[1]
        assert spent == []
    assert not [p for p in fund.rglob(".*") if p.name != ".wsis-ledger.lock"]
    assert run("check", "--data", fund).exit_code == 0


def test_a_reopening_is_a_recorded_write_and_frees_the_period(run: Run, fund: Path) -> None:
    data = ("--data", fund)
    assert run("close", "--through", "2003-12-31", *data).exit_code == 0
    result = run(
        "reopen",
        "--through",
        "2003-12-31",
        "--reason",
        "Auditor's adjustment",
        "--by",
        "Bea Keller",
        *data,
    )
    assert result.exit_code == 0, result.output
    assert (
        run("spend", "100", "--date", "2003-07-01", "--description", "Adjustment", *data).exit_code
        == 0
    )
    assert run("check", *data).exit_code == 0
    rows = json.loads(run("log", *data, "--format", "json").stdout)["writes"]
    assert ("reopenings", "Bea Keller") in [(r["kind"], r["recorded_by"]) for r in rows]
    assert run("close", "--through", "2003-12-31", *data).exit_code == 0
    assert run("reopen", "--through", "2002-12-31", "--reason", "x", *data).exit_code == 2


def test_report_of_a_closed_period_says_so_and_by_whom(run: Run, fund: Path) -> None:
    assert (
        run("close", "--through", "2003-12-31", "--by", "Ana Diaz", "--data", fund).exit_code == 0
    )
    inside = run("report", "--as-of", "2003-12-31", "--data", fund)
    assert "This period is closed" in inside.stdout and "Ana Diaz" in inside.stdout
    after = run("report", "--data", fund)
    assert "Closed through 2003-12-31 by Ana Diaz" in after.stdout
    closed = json.loads(run("report", "--format", "json", "--data", fund).stdout)["controls"][
        "closed"
    ]
    assert (closed["by"], closed["through"], closed["whole_period"]) == (
        "Ana Diaz",
        "2003-12-31",
        False,
    )


# --- a second person --------------------------------------------------------------


def test_check_lists_records_needing_an_approval(run: Run, fund: Path) -> None:
    data = ("--data", fund)
    result = run("check", *data)
    assert result.exit_code == 0
    assert "expenditures/x1 (20 000 CHF) needs an approval" in result.output
    assert "x2" not in result.output  # 5 000 CHF: under the threshold
    assert run("check", "--strict", *data).exit_code == 3
    assert (
        run(
            "loan", "draw", "3000", "--date", "2004-03-03", "--use", "B", "--by", "Ana Diaz", *data
        ).exit_code
        == 0
    )
    assert run("approve", "x1", "--by", "Bea Keller", *data).exit_code == 0
    (drawing,) = (fund / "journal").glob("*draw*.yaml")
    drawing_id = yaml.safe_load(drawing.read_text())["loan_drawings"][0]["id"]
    assert run("approve", drawing_id, "--by", "ana diaz", *data).exit_code == 0
    result = run("check", *data)
    assert "x1" not in result.output
    assert (
        f"loan_drawings/{drawing_id} (3 000 CHF) is approved only by its recorder" in result.output
    )
    report = json.loads(run("report", "--format", "json", *data).stdout)
    unapproved = report["controls"]["unapproved"]
    assert [r["id"] for r in unapproved["records"]] == [drawing_id]
    assert Decimal(unapproved["chf"]) == Decimal(3000)
    assert run("approve", drawing_id, "--by", "Bea Keller", *data).exit_code == 0
    assert run("check", "--strict", *data).exit_code == 0
    report = json.loads(run("report", "--format", "json", *data).stdout)
    assert report["controls"]["unapproved"]["records"] == []


def test_report_counts_unapproved_amounts_apart(run: Run, fund: Path) -> None:
    report = json.loads(run("report", "--format", "json", "--data", fund).stdout)
    rows = {x["id"]: Decimal(x["chf"]) for x in report["expenditure"]["entries"]}
    over = sum(v for v in rows.values() if v > 10000)
    assert Decimal(report["controls"]["unapproved"]["chf"]) == over
    assert (
        "Awaiting a second person's approval: 1 record(s)" in run("report", "--data", fund).stdout
    )


def test_an_approval_by_an_unknown_name_or_of_no_record(run: Run, fund: Path) -> None:
    data = ("--data", fund)
    before = contents(fund)
    result = run("approve", "x1", "--by", "Zed", *data)
    assert result.exit_code == 2 and "'Zed' is not one of the ledger's approvers" in result.output
    result = run("approve", "nothing", "--by", "Bea Keller", *data)
    assert result.exit_code == 2 and "there is no record 'nothing' to approve" in result.output
    assert contents(fund) == before
    (fund / "hand.yaml").write_text(
        "approvals:\n"
        "  - {id: a1, record: x1, by: Zed, date: 2004-01-01}\n"
        "  - {id: a2, record: nothing, by: Bea Keller, date: 2004-01-01}\n"
    )
    result = run("check", *data)
    assert result.exit_code == 1
    assert (
        "hand.yaml:2:" in result.output
        and "'Zed' is not one of the ledger's approvers" in result.output
    )
    assert (
        "hand.yaml:3:" in result.output
        and "names no record of the ledger ('nothing')" in result.output
    )


def test_a_drawing_names_its_document(run: Run, fund: Path, tmp_path: Path) -> None:
    data = ("--data", fund)
    (fund / "documents").mkdir()
    letter = fund / "documents" / "letter.txt"
    letter.write_text("Draw 3 000 CHF for the venue.\n")
    draw = ("loan", "draw", "3000", "--date", "2004-03-03", "--use", "Venue")
    result = run(*draw, "--document", letter, *data)
    assert result.exit_code == 0, result.output
    (written,) = (fund / "journal").glob("*draw*.yaml")
    record = yaml.safe_load(written.read_text())["loan_drawings"][0]
    assert record["document"] == "documents/letter.txt"
    assert record["document_sha256"] == hashlib.sha256(letter.read_bytes()).hexdigest()
    assert run("check", *data).exit_code == 0
    letter.write_text("Draw 30 000 CHF.\n")
    result = run("check", *data)
    assert result.exit_code == 1 and "changed since it was recorded" in result.output
    letter.unlink()
    result = run("check", *data)
    assert result.exit_code == 1 and "is missing" in result.output
    letter.write_text("Draw 3 000 CHF for the venue.\n")
    assert run("check", *data).exit_code == 0
    result = run(*draw, "--document", "C/04/17, letter of 2 March", *data)
    assert result.exit_code == 0
    (second,) = [p for p in (fund / "journal").glob("*draw*.yaml") if p != written]
    assert (
        yaml.safe_load(second.read_text())["loan_drawings"][0]["document"]
        == "C/04/17, letter of 2 March"
    )
    assert "document_sha256" not in second.read_text()


def test_a_document_outside_the_folder_or_a_link_is_refused(
    run: Run, fund: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("elsewhere\n")
    (fund / "documents").mkdir()
    link = fund / "documents" / "link.txt"
    link.symlink_to(outside)
    inner = fund / "documents" / "inner.txt"
    inner.write_text("inside\n")
    (fund / "linked").symlink_to(fund / "documents")
    before = contents(fund)
    draw = ("loan", "draw", "3000", "--date", "2004-03-03", "--use", "Venue", "--data", fund)
    for document, says in [
        (outside, "outside the ledger folder"),
        (link, "is a link"),
        (fund / "linked" / "inner.txt", "link"),
        (tmp_path / "missing.pdf", "there is no file"),
        ("../outside.txt", "outside the ledger folder"),
    ]:
        result = run(*draw, "--document", document)
        assert result.exit_code == 2, document
        assert says in result.output, (document, result.output)
    assert contents(fund) == before


def test_accounts_say_the_period_is_closed_as_report_does(run: Run) -> None:
    """The same control lines stand in `report` and in the notes of `accounts`, in both
    languages: a closed period and who closed it."""
    fund = Path(__file__).resolve().parent.parent / "examples" / "fund"
    for lang in ("en", "zh"):
        report = run("report", "--data", fund, "--lang", lang)
        accounts = run("accounts", "--data", fund, "--as-of", "2024-04-30", "--lang", lang)
        assert report.exit_code == 0 and accounts.exit_code == 0, accounts.output
        closed = [line for line in report.output.splitlines() if "close-2023-12-31-1" in line]
        assert closed, report.output
        assert all(line in accounts.output for line in closed)


def test_a_closing_is_written_one_record_a_line(run: Run, ledger_dir: Path) -> None:
    """A closing's digest of every record is a mapping one key a line, as a reviewer
    reads a diff; it reads back as written (the ledger stays valid)."""
    result = run("close", "--through", "2002-12-31", "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    (written,) = (ledger_dir / "journal").glob("*close*.yaml")
    lines = written.read_text(encoding="utf-8").splitlines()
    assert max(map(len, lines)) <= 100
    (closing,) = yaml.safe_load(written.read_text(encoding="utf-8"))["closings"]
    assert len(closing["records"]) > 20
    for key in closing["records"]:
        assert any(line.strip().startswith(f"{key}: ") for line in lines), key
    assert run("check", "--data", ledger_dir).exit_code == 0
