"""Hostile folders and files: nothing below the ledger is passed over in silence,
nothing is written outside it, and every message is one short line."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ANNEX, ReportJson, Run

from wsis_ledger.source import discovery


def check_lines(run: Run, root: Path) -> list[str]:
    """The problem lines of `check`, after asserting it exits 1 without a traceback."""
    result = run("check", "--data", root, "--no-cache")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()[:-1]


# --- 7: every file below the ledger folder is read or named -------------------


def test_a_linked_folder_is_read(
    run: Run, ledger_dir: Path, tmp_path: Path, report_json: ReportJson
) -> None:
    expected = report_json("--data", ledger_dir, "--no-cache")["totals"]
    elsewhere = tmp_path / "statements"
    elsewhere.mkdir()
    shutil.move(ledger_dir / ANNEX, elsewhere / ANNEX)
    (ledger_dir / "statements").symlink_to(elsewhere, target_is_directory=True)
    assert report_json("--data", ledger_dir, "--no-cache")["totals"] == expected


def test_a_link_loop_is_named_not_followed(run: Run, ledger_dir: Path) -> None:
    (ledger_dir / "journal").mkdir()
    (ledger_dir / "journal" / "back").symlink_to(ledger_dir, target_is_directory=True)
    [line] = check_lines(run, ledger_dir)
    assert line.startswith("ledger/journal/back: this folder leads back to")
    assert "loop" in line


def test_two_links_to_one_folder_are_named_not_counted_twice(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "statements"
    elsewhere.mkdir()
    shutil.move(ledger_dir / ANNEX, elsewhere / ANNEX)
    (ledger_dir / "a").symlink_to(elsewhere, target_is_directory=True)
    (ledger_dir / "b").symlink_to(elsewhere, target_is_directory=True)
    [line] = check_lines(run, ledger_dir)
    assert line.startswith("ledger/b: this folder is ledger/a again")


def test_a_link_that_leads_nowhere_is_named(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    (ledger_dir / "statements").symlink_to(tmp_path / "gone", target_is_directory=True)
    [line] = check_lines(run, ledger_dir)
    assert line.startswith("ledger/statements: this is a link to ")
    assert "leads nowhere" in line


def test_a_folder_that_cannot_be_listed_is_a_problem(
    run: Run, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hidden = ledger_dir / "statements"
    hidden.mkdir()
    shutil.move(ledger_dir / ANNEX, hidden / ANNEX)
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        if Path(path) == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    line, *others = check_lines(run, ledger_dir)
    assert line.startswith("ledger/statements: this folder cannot be read (Permission denied)")
    # The direct support (in ledger.yaml) names the statement that could not be read.
    assert all("there is no statement 'annex-2002-12-20'" in other for other in others)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_a_folder_without_permissions_is_a_problem(run: Run, ledger_dir: Path) -> None:
    hidden = ledger_dir / "statements"
    hidden.mkdir()
    shutil.move(ledger_dir / ANNEX, hidden / ANNEX)
    hidden.chmod(0)
    try:
        [line] = check_lines(run, ledger_dir)
    finally:
        hidden.chmod(0o755)
    assert "this folder cannot be read" in line


@pytest.mark.parametrize("name", ["ANNEX.YAML", "annex.YML", "annex.Yaml", "annex.yml"])
def test_upper_case_and_short_extensions_are_read(
    run: Run, ledger_dir: Path, name: str, report_json: ReportJson
) -> None:
    expected = report_json("--data", ledger_dir, "--no-cache")["totals"]
    (ledger_dir / ANNEX).rename(ledger_dir / name)
    assert report_json("--data", ledger_dir, "--no-cache")["totals"] == expected


def test_the_scan_names_no_problem_for_a_plain_ledger(ledger_dir: Path) -> None:
    found = discovery.scan(ledger_dir)
    assert found.problems == []
    assert [p.name for p in found.files] == ["ledger.yaml", ANNEX, "donors.yaml"]


# --- 8, 10: a write lands inside the ledger, where a later load reads it -------

HOSTILE_IDS = ["x/../../../../escaped", "up/../..", "a/b", "deep/../../x", "x..y", "x/.hidden"]


def tree(folder: Path) -> set[str]:
    """Every path below `folder` (links not followed)."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def outside(tmp_path: Path) -> set[str]:
    """Every path below `tmp_path` but in the ledger and the cache."""
    return {p for p in tree(tmp_path) if p.split("/")[0] not in ("ledger", "cache")}


def add_hostile_records(root: Path, record_id: str) -> None:
    (root / "hostile.yaml").write_text(
        "pledged:\n"
        f"  - {{id: {json.dumps(record_id)}, donor: sweden, amount: 1000, currency: CHF,"
        " date: 2003-01-01, purpose: other}\n"
        "loan_facilities:\n"
        f"  - {{id: {json.dumps(record_id + '-f')}, lender: sweden, ceiling: 1000}}\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("record_id", HOSTILE_IDS)
@pytest.mark.parametrize(
    "command",
    [
        ["receive", "{id}", "--amount", "10", "--date", "2003-02-01"],
        ["cancel", "{id}", "--date", "2003-02-01", "--note", "withdrawn"],
        ["reassign", "{id}", "--purpose", "core", "--note", "agreed", "--date", "2003-02-01"],
        ["loan", "draw", "10", "--date", "2003-02-01", "--use", "x", "--facility", "{id}-f"],
    ],
    ids=["receive", "cancel", "reassign", "loan-draw"],
)
def test_an_id_with_path_parts_never_leaves_the_journal(
    run: Run, ledger_dir: Path, tmp_path: Path, command: list[str], record_id: str
) -> None:
    add_hostile_records(ledger_dir, record_id)
    assert run("check", "--data", ledger_dir, "--no-cache").exit_code == 0
    before = outside(tmp_path)
    args = [a.replace("{id}", record_id) for a in command]
    result = run(*args, "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    [written] = (ledger_dir / "journal").iterdir()
    assert written.name.startswith("2003-02-01-") and written.name.endswith(".yaml")
    assert "/" not in written.name and ".." not in written.name
    assert outside(tmp_path) == before
    assert run("check", "--data", ledger_dir, "--no-cache").exit_code == 0


def test_two_ids_that_make_one_name_get_two_files(run: Run, ledger_dir: Path) -> None:
    (ledger_dir / "hostile.yaml").write_text(
        "pledged:\n"
        "  - {id: a/b, donor: sweden, amount: 10, currency: CHF, purpose: other}\n"
        "  - {id: a_b-x, donor: sweden, amount: 10, currency: CHF, purpose: other}\n",
        encoding="utf-8",
    )
    for pledge in ("a/b", "a_b-x"):
        result = run("cancel", pledge, "--date", "2003-02-01", "--note", "n", "--data", ledger_dir)
        assert result.exit_code == 0, result.output
    assert len(list((ledger_dir / "journal").iterdir())) == 2


def test_a_journal_linked_outside_the_ledger_is_refused(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (ledger_dir / "journal").symlink_to(outside, target_is_directory=True)
    result = run("cancel", "p02", "--date", "2003-02-01", "--note", "n", "--data", ledger_dir)
    assert result.exit_code == 1
    assert "leads outside the ledger folder" in result.output
    assert "Traceback" not in result.output
    assert list(outside.iterdir()) == []


def test_a_journal_linked_to_another_folder_of_the_ledger_is_named(
    run: Run, ledger_dir: Path
) -> None:
    (ledger_dir / "books").mkdir()
    (ledger_dir / "journal").symlink_to(ledger_dir / "books", target_is_directory=True)
    # journal/ and books/ are one folder: read twice, its entries would count twice.
    result = run("cancel", "p02", "--date", "2003-02-01", "--note", "n", "--data", ledger_dir)
    assert result.exit_code == 1
    assert "ledger/journal: this folder is ledger/books again (through a link)" in result.output
    assert list((ledger_dir / "books").iterdir()) == []


def test_a_new_file_over_the_size_limit_is_refused_before_writing(
    run: Run, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wsis_ledger.source import snapshot, yamlsource

    largest = max(p.stat().st_size for p in ledger_dir.rglob("*.yaml"))
    monkeypatch.setattr(snapshot, "MAX_FILE_BYTES", largest + 1)
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", largest + 1)
    rows = "".join(
        f"pledge,Government of Sweden,{1000 + i},CHF,,,2003-01-0{1 + i % 9},other,SE-{i}\n"
        for i in range(200)
    )
    csv = ledger_dir.parent / "big.csv"
    csv.write_text("type,donor,amount,currency,chf,rate,date,purpose,reference\n" + rows)
    before = tree(ledger_dir)
    result = run("import", csv, "--data", ledger_dir)
    assert result.exit_code == 1, result.output
    assert "more than the" in result.output and "Traceback" not in result.output
    assert tree(ledger_dir) - before <= {".wsis-ledger.lock"}


@pytest.mark.parametrize(
    "relative",
    ["../outside.yaml", "journal/../../outside.yaml", ".hidden/x.yaml", "journal/x.txt"],
)
def test_every_write_checks_its_destination(ledger_dir: Path, relative: str) -> None:
    from wsis_ledger.write.files import WriteError, write_new_file

    with pytest.raises(WriteError):
        write_new_file(ledger_dir / relative, "donors: []\n", ledger_dir)
    assert not (ledger_dir.parent / "outside.yaml").exists()
    assert not (ledger_dir / ".hidden").exists()


def test_a_ledger_reached_through_a_link_may_be_written_to(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "via").symlink_to(ledger_dir, target_is_directory=True)
    result = run("cancel", "p02", "--date", "2003-02-01", "--note", "n", "--data", tmp_path / "via")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (ledger_dir / "journal").iterdir()] == [
        "2003-02-01-p02-cancelled-1.yaml"
    ]


# --- 11: -o FILE, and the lock file -------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--format", "csv"],
        ["export", "--format", "beancount"],
        ["export", "--format", "xlsx"],
    ],
)
@pytest.mark.parametrize("target", ["donors.yaml", "ledger.yaml", "new-report.txt", "sub/x.csv"])
def test_an_output_is_never_written_inside_the_ledger(
    run: Run, ledger_dir: Path, command: list[str], target: str
) -> None:
    (ledger_dir / "sub").mkdir()
    before = {p: p.read_bytes() for p in ledger_dir.rglob("*") if p.is_file()}
    result = run(*command, "--data", ledger_dir, "-o", ledger_dir / target)
    assert result.exit_code == 1, result.output
    assert "inside the ledger folder" in result.output and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in ledger_dir.rglob("*") if p.is_file()} == before


def test_an_output_through_a_link_into_the_ledger_is_refused(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    link = tmp_path / "report.csv"
    link.symlink_to(ledger_dir / "donors.yaml")
    before = (ledger_dir / "donors.yaml").read_bytes()
    result = run("report", "--data", ledger_dir, "--format", "csv", "-o", link)
    assert result.exit_code == 1
    assert (ledger_dir / "donors.yaml").read_bytes() == before


def test_an_existing_output_keeps_its_permissions(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    private = tmp_path / "private.csv"
    private.write_text("old\n")
    private.chmod(0o600)
    result = run("report", "--data", ledger_dir, "--format", "csv", "-o", private)
    assert result.exit_code == 0, result.output
    assert private.stat().st_mode & 0o777 == 0o600
    assert private.read_text() != "old\n"


def test_a_new_output_gets_the_umask_permissions(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    umask = os.umask(0o027)
    try:
        result = run("report", "--data", ledger_dir, "--format", "csv", "-o", tmp_path / "r.csv")
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.csv").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    "command", [["report", "--format", "csv"], ["export", "--format", "beancount"]]
)
def test_dash_output_is_standard_output(
    run: Run, ledger_dir: Path, tmp_path: Path, command: list[str]
) -> None:
    plain = run(*command, "--data", ledger_dir)
    dashed = run(*command, "--data", ledger_dir, "-o", "-")
    assert dashed.exit_code == 0, dashed.output
    assert dashed.stdout == plain.stdout and dashed.stdout
    assert not (tmp_path / "-").exists()


def test_a_failed_output_write_leaves_no_temporary_file(
    run: Run, ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wsis_ledger.write import files

    out = tmp_path / "out"
    out.mkdir()
    (out / "r.csv").write_text("old\n")

    def full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    result = run("report", "--data", ledger_dir, "--format", "csv", "-o", out / "r.csv")
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["r.csv"]
    assert (out / "r.csv").read_text() == "old\n"


def test_a_lock_file_planted_as_a_link_is_not_followed(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    (ledger_dir / ".wsis-ledger.lock").symlink_to(victim)
    result = run("cancel", "p02", "--date", "2003-02-01", "--note", "n", "--data", ledger_dir)
    assert result.exit_code == 1
    assert "lock file" in result.output and "link" in result.output
    assert not victim.exists()
    assert not (ledger_dir / "journal").exists()


# --- 9: standard streams that are closed or full ------------------------------


def shell(command: str, root: Path) -> subprocess.CompletedProcess[str]:
    """Run `wsis-ledger` through a shell (for redirections), in a process of its own."""
    tool = f"{shlex.quote(sys.executable)} -m wsis_ledger"
    env = {**os.environ, "WSIS_LEDGER_DATA": str(root)}
    return subprocess.run(
        ["sh", "-c", command.replace("wsis-ledger", tool)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def one_clear_line(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    [line] = result.stderr.splitlines()
    assert words in line


FULL_OUTPUT_COMMANDS = [
    "wsis-ledger report",  # through the cache
    "wsis-ledger --help",  # while the arguments are read
    "wsis-ledger export --format xlsx -o -",  # bytes
    "wsis-ledger loan status --format json",
]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", FULL_OUTPUT_COMMANDS)
def test_a_full_standard_output_is_one_line_and_exit_1(ledger_dir: Path, command: str) -> None:
    result = shell(f"{command} > /dev/full", ledger_dir)
    one_clear_line(result, "cannot write to standard output: No space left on device")


@pytest.mark.parametrize(
    "command",
    [
        "wsis-ledger report",  # the reading mark (†) of the annex's derived rates
        "wsis-ledger report --lang zh --no-cache",  # Chinese names
        "wsis-ledger donor --format json 日本政府",
        "wsis-ledger pledges",
    ],
)
def test_an_encoding_that_cannot_write_the_answer_is_one_line_and_exit_1(
    ledger_dir: Path, command: str
) -> None:
    """Standard output in an encoding without the answer's characters: one line naming
    the character and what to do, exit 1; never a traceback, never a figure's mark
    replaced by another character."""
    result = shell(f"PYTHONIOENCODING=latin-1 {command} > /dev/null", ledger_dir)
    one_clear_line(result, "standard output's encoding (iso8859-1) cannot write")
    assert "PYTHONIOENCODING=utf-8" in result.stderr


@pytest.mark.parametrize("command", FULL_OUTPUT_COMMANDS)
def test_a_closed_standard_output_is_one_line_and_exit_1(ledger_dir: Path, command: str) -> None:
    result = shell(f"{command} >&-", ledger_dir)
    one_clear_line(result, "cannot write to standard output: it is closed")


def test_a_write_with_standard_output_closed_says_so_after_writing(ledger_dir: Path) -> None:
    result = shell("wsis-ledger cancel p02 --date 2003-02-01 --note n >&-", ledger_dir)
    # The write itself was done, and the message says so, naming the file: a retry
    # would record it twice.
    (written,) = (ledger_dir / "journal").iterdir()
    one_clear_line(result, "the write went through, but standard output could not be written")
    assert f"journal/{written.name}" in result.stderr
    assert "do not run the command again" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_payment_recorded_with_a_full_output_says_it_was_recorded(
    ledger_dir: Path, fmt: str
) -> None:
    """`receive ... > /dev/full`: the payment is recorded; the message says so, with its
    id and file, so that it is not recorded twice by running the command again."""
    command = "wsis-ledger receive p01 --amount 1000 --rate 1.4 --date 2003-02-14"
    result = shell(f"{command} --format {fmt} >/dev/full", ledger_dir)
    (written,) = (ledger_dir / "journal").iterdir()
    one_clear_line(result, "recorded p01-pay-1: pledge p01 is partly paid; 254 000 USD remains")
    assert f"journal/{written.name}: the write went through" in result.stderr
    assert "p01-pay-1" in written.read_text(encoding="utf-8")
    # Told so, the user does not run it again: the ledger holds the one payment.
    again = shell(f"{command} --dry-run", ledger_dir)
    assert again.returncode == 0 and "would record p01-pay-2" in again.stdout


def test_an_output_file_needs_no_standard_output(ledger_dir: Path, tmp_path: Path) -> None:
    result = shell(f"wsis-ledger report -o {tmp_path / 'r.txt'} >&-", ledger_dir)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.txt").read_text()


def test_a_closed_standard_input_is_one_line(ledger_dir: Path) -> None:
    result = shell("wsis-ledger import - <&-", ledger_dir)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "cannot read -: standard input is closed" in result.stderr


def test_a_pipe_closed_by_its_reader_is_not_an_error(ledger_dir: Path) -> None:
    """A reader that stopped (`| head`) is not an error of ours (issue 27): nothing on
    standard error, the command's own exit code, so `set -o pipefail` scripts go on."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        process = subprocess.run(
            [sys.executable, "-m", "wsis_ledger", "export", "--format", "ledger"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "WSIS_LEDGER_DATA": str(ledger_dir)},
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert process.returncode == 0
    assert process.stderr == ""


# --- 13: messages quote a short excerpt, name encodings and code points -------

SMALL_LEDGER = "fund: {id: t, name: Test fund}\n"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    root.mkdir()
    (root / "ledger.yaml").write_text(SMALL_LEDGER)
    return root


def one_line(run: Run, root: Path) -> str:
    [line] = check_lines(run, root)
    return line


def test_a_plain_text_file_is_not_quoted_in_full(run: Run, small: Path) -> None:
    note = "This is a plain text note saved with a yaml extension by mistake. " * 30
    (small / "notes.yaml").write_text(note)
    line = one_line(run, small)
    assert line.startswith("small/notes.yaml:1:1: a ledger file is a mapping of sections")
    assert "'This is a plain text note saved with a y'…" in line
    assert len(line) < 200


@pytest.mark.parametrize(
    "text",
    [
        'donors:\n  - {{id: "{long}", name: x, kind: government}}\n',  # a long id
        "donors:\n  - {{id: a, name: x, kind: government, {long}: 1}}\n",  # a long key
        "pledged: {long}\n",  # a long value where a list belongs
        "donors: []\ndonors: []\n{long}: 1\n{long}: 2\n",  # a long key twice
    ],
)
def test_no_message_echoes_a_long_value(run: Run, small: Path, text: str) -> None:
    long = "word" + "x y " * 2000
    (small / "entries.yaml").write_text(text.format(long=long.strip()))
    for line in check_lines(run, small):
        assert len(line) < 300, line


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_a_utf16_file_is_named_as_utf16(run: Run, small: Path, encoding: str) -> None:
    text = "donors:\n  - {id: japan, name: 日本政府, kind: government}\n"
    (small / "donors.yaml").write_bytes(text.encode(encoding))
    assert one_line(run, small) == (
        "small/donors.yaml: the file is UTF-16 text, not UTF-8 (save the file as UTF-8)"
    )


def test_a_utf32_file_is_named_as_utf32(run: Run, small: Path) -> None:
    (small / "donors.yaml").write_bytes("donors: []\n".encode("utf-32-le"))
    assert "the file is UTF-32 text" in one_line(run, small)


@pytest.mark.parametrize(("raw", "shown"), [(b"\x00", "U+0000"), (b"\x07", "U+0007")])
def test_a_code_point_is_shown_as_u_plus(run: Run, small: Path, raw: bytes, shown: str) -> None:
    (small / "donors.yaml").write_bytes(b"donors: []\n# a note " + raw + b"\n")
    assert one_line(run, small) == (
        f"small/donors.yaml:2:10: the character {shown} is not allowed in YAML"
    )


def test_helpers_quote_short_and_name_code_points() -> None:
    from wsis_ledger.core.problems import Problem, Where, code_point, excerpt

    assert code_point("\x00") == "U+0000" and code_point(0x1F600) == "U+1F600"
    assert excerpt("abc") == "'abc'"
    assert excerpt("a" * 100) == repr("a" * 40) + "… (100 characters)"
    long = Problem(Where(Path("x.yaml")), "c", "start " + "x" * 5000 + " the hint")
    assert len(long.message) <= 240
    assert long.message.startswith("start ") and long.message.endswith(" the hint")
